package org.spectralposterior.commands;

import java.io.File;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.Function;

import ij.ImagePlus;
import org.scijava.ItemVisibility;
import org.scijava.module.ModuleInfo;
import org.scijava.module.ModuleItem;
import org.scijava.plugin.Plugin;

/**
 * What a dialog shows beside a command's parameters, read from the parameters themselves so that
 * Fiji's dialog (SciJava's harvester) and the plain-ImageJ dialog (a GenericDialog, {@code ij1})
 * agree: headings are {@link ItemVisibility#MESSAGE} items placed between the groups; a parameter
 * may carry two attributes, {@code unit} (shown after a number) and {@code when} (the condition on
 * the other fields under which it is used — the plain-ImageJ dialog greys it out otherwise).
 * <p>
 * {@code when} is a conjunction of terms joined by {@code &}: {@code key=v1|v2} (one of these
 * values), {@code key!=v1|v2} (none of them), {@code key~a|b} (a comma list containing the item
 * a or b, for {@code methods=dps,sdedit}), or {@code never} (kept for recorded macros but not
 * offered: SDEdit's t0 in a command whose methods cannot be SDEdit). Values compare without case.
 * <p>
 * SciJava's Swing harvester builds its widgets once and cannot hide or disable one from a callback
 * (scijava-common issues 42 and 52, both open), so in Fiji the rule is stated in the Help text, and a
 * {@link #LIVE} line that the fields' callbacks keep current names the fields the choices leave unused.
 */
public final class DialogRules {

	public static final String UNIT = "unit", WHEN = "when";
	/** {@code row = "same"}: the plain-ImageJ dialog puts the field beside the one before it (a shorter dialog; the macro key is unchanged). */
	public static final String ROW = "row";
	/** A MESSAGE item whose text a callback keeps current (Fiji's in-use line): no heading, and not in the plain-ImageJ dialog. */
	public static final String LIVE = "live";

	/** Fiji's in-use line (see {@link #LIVE}). */
	public static boolean isLive(final ModuleItem<?> item) {
		return "true".equals(item.get(LIVE));
	}

	private DialogRules() {}

	/** A heading between groups of fields: a MESSAGE item (its text is the field's value). */
	public static boolean isHeading(final ModuleItem<?> item) {
		return item.getVisibility() == ItemVisibility.MESSAGE && !isLive(item);
	}

	/** A heading's text: the MESSAGE field's value. */
	public static String heading(final org.scijava.module.Module module, final ModuleItem<?> item) {
		return String.valueOf(module.getInput(item.getName()));
	}

	/** Whether the field shares the previous field's row ({@link #ROW}). */
	public static boolean sameRow(final ModuleItem<?> item) {
		return "same".equals(item.get(ROW));
	}

	/** The unit shown after a number field, or null. */
	public static String unit(final ModuleItem<?> item) {
		final String u = item.get(UNIT);
		return u == null || u.isBlank() ? null : u;
	}

	/** Whether the parameter is offered at all (a {@code when = "never"} one is kept only for old macros). */
	public static boolean offered(final ModuleItem<?> item) {
		return !"never".equalsIgnoreCase(String.valueOf(item.get(WHEN)).trim());
	}

	/**
	 * Whether the parameter is used given the other fields' current text ({@code value} returns a
	 * field's text by key, or null when the command has no such field — a term about a field the
	 * command lacks holds).
	 */
	public static boolean used(final ModuleItem<?> item, final Function<String, String> value) {
		final String rule = item.get(WHEN);
		if (rule == null || rule.isBlank()) return true;
		if (!offered(item)) return false;
		return used(rule, value);
	}

	/** Whether a rule holds for the fields' current text (see above). */
	public static boolean used(final String rule, final Function<String, String> value) {
		for (final String term : rule.split("&")) {
			if (!holds(term.trim(), value)) return false;
		}
		return true;
	}

	private static boolean holds(final String term, final Function<String, String> value) {
		final int ne = term.indexOf("!="), eq = term.indexOf('='), has = term.indexOf('~');
		final int at = ne >= 0 ? ne : eq >= 0 ? eq : has;
		if (at <= 0) throw new IllegalStateException("Malformed dialog rule '" + term + "'.");
		final String key = term.substring(0, at).trim();
		final String wanted = term.substring(at + (ne >= 0 ? 2 : 1)).trim().toLowerCase(Locale.ROOT);
		final String current = value.apply(key);
		if (current == null) return true;
		final String now = current.trim().toLowerCase(Locale.ROOT);
		if (ne < 0 && eq < 0) {
			for (final String part : now.split(",")) for (final String alt : wanted.split("\\|")) if (part.trim().equals(alt.trim())) return true;
			return false;
		}
		boolean any = false;
		for (final String alt : wanted.split("\\|")) any |= now.equals(alt.trim());
		return ne >= 0 ? !any : any;
	}

	/** The text of a value as an option would give it (what is remembered and shown): whole doubles without ".0". */
	public static String text(final Object value) {
		if (value == null) return "";
		if (value instanceof ImagePlus imp) return imp.getTitle();
		if (value instanceof File f) return f.getPath();
		if (value instanceof Double d) return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : d.toString();
		return value.toString();
	}

	/** The command's help, as HTML, with each field's default (ImageJ's Help button shows text that starts with {@code <html>} in a window). */
	public static String helpHtml(final ModuleInfo info) {
		final org.scijava.module.Module module;
		try {
			module = info.createModule(); // the defaults, whatever the dialog shows now
		}
		catch (final org.scijava.module.ModuleException e) {
			return "<html>No help: " + escape(String.valueOf(e.getMessage())) + "</html>";
		}
		final StringBuilder b = new StringBuilder("<html><body style='width:560px'><h2>").append(escape(info.getTitle())).append("</h2>");
		final Plugin p = module.getDelegateObject().getClass().getAnnotation(Plugin.class);
		if (p != null && !p.description().isEmpty()) b.append("<p>").append(escape(p.description())).append("</p>");
		b.append("<p>Each field's macro key is the first word of its label; a macro may leave a key out, and then its default below is used.</p>");
		b.append("<table border=1 cellpadding=3><tr><th>key</th><th>what</th><th>default</th><th>used when</th></tr>");
		for (final ModuleItem<?> item : info.inputs()) {
			if (isLive(item)) continue;
			if (isHeading(item)) {
				b.append("<tr><td colspan=4><b>").append(escape(heading(module, item))).append("</b></td></tr>");
				continue;
			}
			if (!Options.parameters(info).containsKey(item.getName()) || !offered(item)) continue;
			final String label = item.getLabel() == null ? item.getName() : item.getLabel();
			final String unit = unit(item);
			final String desc = item.getDescription();
			b.append("<tr><td><code>").append(escape(item.getName())).append("</code></td><td>").append(escape(label));
			if (unit != null) b.append(" [").append(escape(unit)).append(']');
			if (desc != null && !desc.isBlank() && !desc.equals(label)) b.append("<br><small>").append(escape(desc)).append("</small>");
			final Object def = module.getInput(item.getName());
			b.append("</td><td>").append(escape(def == null ? (item.isRequired() ? "(required)" : "(none)") : text(def))).append("</td><td>");
			final String when = item.get(WHEN);
			b.append(escape(when == null ? "always" : when.replace("&", " and ").replace("!=", " is not ").replace("~", " includes ").replace("=", " is ").replace("|", " or ")));
			b.append("</td></tr>");
		}
		return b.append("</table><p>Plugins › Spectral Posterior; see the README and docs/MATHEMATICS.md of the plugin for what every figure means.</p></body></html>").toString();
	}

	private static String escape(final String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}
