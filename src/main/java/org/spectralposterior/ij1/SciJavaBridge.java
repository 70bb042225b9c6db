package org.spectralposterior.ij1;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.macro.Interpreter;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.thread.ThreadService;
import org.spectralposterior.commands.BatchModeOutputs;
import org.spectralposterior.commands.DialogRules;
import org.spectralposterior.commands.ImageDefaults;
import org.spectralposterior.commands.Options;
import org.spectralposterior.commands.Remembered;
import org.spectralposterior.commands.SpectralCommand;
import org.spectralposterior.imagej.TaskResult;

/**
 * Runs a SciJava command for plain ImageJ 1.x. Parameters are read generically from the command's
 * inputs, so every command and parameter works without code here: macro keys are the parameter
 * names, image parameters take image titles, choices their choice text.
 */
final class SciJavaBridge {

	private static Context context;

	private SciJavaBridge() {}

	private static synchronized Context context() {
		if (context == null) context = new Context(CommandService.class, ModuleService.class, ThreadService.class);
		return context;
	}

	/** Returns null on success, else the message to show. */
	static String run(final String label, final String options) {
		// Plain ImageJ loads plugins with its own class loader; SciJava finds plugins (and loads the
		// command classes) through the thread's context class loader, so point it at ours.
		final Thread thread = Thread.currentThread();
		final ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(SciJavaBridge.class.getClassLoader());
		try {
			return runInContext(label, options);
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	private static String runInContext(final String label, final String options) {
		final CommandService commands = context().service(CommandService.class);
		CommandInfo info = null;
		for (final CommandInfo c : commands.getCommands()) {
			if (c.getClassName().startsWith(SpectralCommand.class.getPackageName() + ".") && c.getTitle().equalsIgnoreCase(label.trim())) info = c;
		}
		if (info == null) return "Unknown Spectral Posterior command '" + label + "'.";
		final Map<String, Object> inputs = new LinkedHashMap<>();
		try {
			final CommandModule defaults = (CommandModule) info.createModule();
			if (options == null) {
				if (!dialog(info, defaults, inputs)) return null; // cancelled by the user
			}
			else {
				fromOptions(info, options, inputs);
				fillActiveImage(info, inputs);
			}
			// Run as Fiji runs it (on a SciJava thread whose parent is this, the macro's, thread), with
			// the one postprocessor that matters without a SciJava UI: the batch-mode outputs.
			final ModuleService modules = context().service(ModuleService.class);
			final BatchModeOutputs batch = new BatchModeOutputs();
			context().inject(batch);
			final CommandModule module = (CommandModule) modules.run(modules.createModule(info), List.of(), List.of(batch), inputs).get();
			if (module.isCanceled()) return module.getCancelReason();
			final TaskResult r = ((SpectralCommand) module.getCommand()).result();
			if (r != null && !r.images().isEmpty()) {
				// Interactive plain ImageJ: show every output, the main one last so it is current. (In
				// batch mode BatchModeOutputs has registered them and made the main one current here.)
				// Outputs that show nothing (a constant std, a zero W2 map) are left out, as in Fiji.
				final List<ImagePlus> shown = ((SpectralCommand) module.getCommand()).displayed();
				if (!Interpreter.isBatchMode()) {
					for (int i = shown.size() - 1; i >= 0; i--) shown.get(i).show();
					for (final ImagePlus imp : shown) org.spectralposterior.imagej.DisplayStyle.decorateShown(imp);
					if (!shown.isEmpty()) org.spectralposterior.imagej.DisplayStyle.makeCurrent(shown.get(0));
				}
			}
			return null;
		}
		catch (final IllegalArgumentException e) {
			return e.getMessage();
		}
		catch (final Exception e) {
			return "Failed: " + e;
		}
	}

	/**
	 * What Fiji does before running a command from a macro, here for plain ImageJ: the current image
	 * fills the image input the options left out, when exactly one auto-fill image input is left out.
	 * (Read in imagej-common's SingleInputPreprocessor, which imagej-legacy's active-ImagePlus
	 * preprocessor extends: a single unresolved compatible input takes the active object; with two or
	 * more, none does.) So {@code run("Build Gaussian Prior", "estimator=adsn")} learns from the
	 * current image, as every ImageJ command does.
	 */
	static void fillActiveImage(final CommandInfo info, final Map<String, Object> inputs) {
		ModuleItem<?> single = null;
		for (final ModuleItem<?> item : info.inputs()) {
			if (!ImagePlus.class.isAssignableFrom(item.getType()) || inputs.containsKey(item.getName()) || !item.isAutoFill()) continue;
			if (single != null) return;
			single = item;
		}
		final ImagePlus current = WindowManager.getCurrentImage();
		if (single != null && current != null) inputs.put(single.getName(), current);
	}

	/** The macro's options, read strictly and the same way as on the command line and in Fiji ({@link Options}). */
	private static void fromOptions(final CommandInfo info, final String options, final Map<String, Object> inputs) {
		inputs.putAll(Options.convert(info, Options.tokenize(options), Options::byTitle, Set.of()));
	}

	/** One dialog field: its parameter, the AWT component that holds its text, and how it reads back. */
	private record Field(ModuleItem<?> item, java.awt.Component component, java.awt.Label label) {
		String text() {
			if (component instanceof java.awt.Choice c) return c.getSelectedItem();
			if (component instanceof java.awt.TextComponent t) return t.getText();
			return "";
		}
	}

	/**
	 * A GenericDialog generated from the command's parameters: the headings between groups, a unit
	 * after each number, fields a choice makes irrelevant greyed out as the user changes it (a
	 * DialogListener), the last interactive run's values ({@link Remembered}), image choices that fit
	 * the field (priors for a prior, no priors elsewhere) and a Help button. Each label is the macro
	 * key itself: ImageJ's recorder writes a field as the first word of its label (Recorder /
	 * Macro.trimKey), so the recorded line is {@code key=value}, which every route reads.
	 */
	private static boolean dialog(final CommandInfo info, final CommandModule defaults, final Map<String, Object> inputs) throws org.scijava.module.ModuleException {
		final GenericDialog gd = new GenericDialog(info.getTitle());
		final Map<String, ModuleItem<?>> params = Options.parameters(info);
		final Map<String, Object> remembered = Remembered.load(info);
		final List<Field> fields = new ArrayList<>();
		final String[] titles = imageTitles();
		final java.awt.Font bold = new java.awt.Font("SansSerif", java.awt.Font.BOLD, 12);
		boolean afterField = false;
		for (final ModuleItem<?> item : info.inputs()) {
			// Fiji's in-use line: this dialog greys the unused fields instead.
			if (DialogRules.isLive(item)) continue;
			if (DialogRules.isHeading(item)) {
				gd.addMessage(DialogRules.heading(defaults, item), bold);
				afterField = false;
				continue;
			}
			if (!params.containsKey(item.getName()) || !DialogRules.offered(item)) continue;
			// Beside the previous field, never beside a heading.
			if (afterField && DialogRules.sameRow(item)) gd.addToSameRow();
			afterField = true;
			final String key = item.getName();
			final Object def = remembered.containsKey(key) ? remembered.get(key) : defaults.getInput(key);
			final Class<?> type = item.getType();
			final String unit = DialogRules.unit(item);
			final java.awt.Component component;
			if (ImagePlus.class.isAssignableFrom(type)) {
				final String[] fitting = fitting(key, titles);
				final String[] choices = item.isRequired() ? fitting : prepend("none", fitting);
				gd.addChoice(key, choices, ImageDefaults.choose(key, item.isRequired(), List.of(fitting), kinds(titles), currentTitle()));
				component = last(gd.getChoices());
			}
			else if (item.getChoices() != null && !item.getChoices().isEmpty()) {
				gd.addChoice(key, item.getChoices().stream().map(Object::toString).toArray(String[]::new), String.valueOf(def));
				component = last(gd.getChoices());
			}
			else if (type == boolean.class || type == Boolean.class) {
				// A choice, not a checkbox: the recorder writes a checkbox as a bare key, which is no key=value.
				gd.addChoice(key, new String[] { "false", "true" }, String.valueOf(def));
				component = last(gd.getChoices());
			}
			else if (type == int.class || type == long.class || type == double.class) {
				final double d = def == null ? 0 : ((Number) def).doubleValue();
				final int digits = type == double.class ? decimals(d) : 0;
				if (unit != null) gd.addNumericField(key, d, digits, 8, unit);
				else gd.addNumericField(key, d, digits);
				component = last(gd.getNumericFields());
			}
			else if (File.class.isAssignableFrom(type)) {
				gd.addDirectoryField(key, def == null ? "" : def.toString());
				component = last(gd.getStringFields());
			}
			else {
				gd.addStringField(key, def == null ? "" : def.toString(), 24);
				component = last(gd.getStringFields());
			}
			fields.add(new Field(item, component, gd.getLabel()));
		}
		// The command's advice on the values in the fields (the noise estimate a run will use, an
		// operator a real image cannot give): a few wrapped lines under the fields, kept current with them.
		final CommandModule live = (CommandModule) info.createModule();
		final SpectralCommand adviser = (SpectralCommand) live.getCommand();
		final ij.gui.MultiLineLabel adviceLabel;
		if (adviser.advises()) {
			gd.addMessage(adviceLines(" ".repeat(ADVICE_WIDTH + 6)));
			adviceLabel = gd.getMessage() instanceof ij.gui.MultiLineLabel m ? m : null;
		}
		else adviceLabel = null;
		gd.addHelp(DialogRules.helpHtml(info));
		final Runnable advise = () -> {
			if (adviceLabel == null) return;
			for (final Field f : fields) {
				try {
					live.setInput(f.item().getName(), Options.value(f.item(), f.text(), Options::byTitle));
				}
				catch (final IllegalArgumentException halfTyped) {
					// the field's previous value stays, until the user finishes typing
				}
			}
			final String advice = adviser.refreshDialog();
			// What the command corrected shows in its field (only choices are corrected).
			for (final Field f : fields) {
				if (!(f.component() instanceof java.awt.Choice c) || ImagePlus.class.isAssignableFrom(f.item().getType())) continue;
				final String now = DialogRules.text(live.getInput(f.item().getName()));
				if (!now.equals(c.getSelectedItem())) c.select(now);
			}
			adviceLabel.setText(adviceLines(advice));
			adviceLabel.repaint();
		};
		final Runnable grey = () -> {
			advise.run();
			final Map<String, String> now = new LinkedHashMap<>();
			for (final Field f : fields) now.put(f.item().getName(), f.text());
			for (final Field f : fields) {
				final boolean used = DialogRules.used(f.item(), now::get);
				f.component().setEnabled(used);
				// AWT on X11 draws a disabled text field like an enabled one: grey its text and label too.
				f.component().setForeground(used ? java.awt.SystemColor.textText : java.awt.Color.GRAY);
				if (f.label() != null) f.label().setForeground(used ? java.awt.SystemColor.controlText : java.awt.Color.GRAY);
			}
		};
		grey.run();
		// On OK, ImageJ calls the listener once more with no event and expects it to read every field
		// then: that read is what the recorder records, and it stops recording afterwards (read in
		// GenericDialog.actionPerformed; reading after showDialog recorded a bare run("…") line).
		// Read once: ImageJ 1.53t's GenericDialog.finalizeRecording, which makes that call, runs from both
		// dispose() (event thread) and showDialog() (the plugin's thread) behind an unsynchronised
		// optionsRecorded flag, so under load both calls got through and the recorder wrote every option
		// twice (CI's 1.53t recorder check: "image=… output_folder=[] image=… output_folder=[]").
		// The check and the read under one lock, which the plugin's thread takes too before using them.
		// The plugin's thread may also get there first (showDialog returned before the event thread's
		// dispose() called the listener; CI's 1.54p recorder check under load recorded Tune Sampler
		// Weights' options twice): then its read is the one kept, and the listener's later call reads
		// nothing — every path reads the fields at most once, so the recorder writes them once.
		final List<String> read = new ArrayList<>();
		gd.addDialogListener((dialog, event) -> {
			if (event == null) {
				synchronized (read) {
					if (read.isEmpty()) read.addAll(readAll(gd, fields));
				}
			}
			else grey.run();
			return true;
		});
		gd.showDialog();
		if (gd.wasCanceled()) return false;
		final List<String> values;
		synchronized (read) {
			if (read.isEmpty()) read.addAll(readAll(gd, fields));
			values = new ArrayList<>(read);
		}
		// Kept as typed, before they are read and before the run: a dialog reopened after an error — also
		// a value refused right here, such as samples=0 — shows what was typed, not the previous run's.
		final Map<String, String> typed = new LinkedHashMap<>();
		for (int i = 0; i < fields.size(); i++) typed.put(fields.get(i).item().getName(), values.get(i));
		Remembered.saveTexts(info, typed);
		for (int i = 0; i < fields.size(); i++) {
			final ModuleItem<?> item = fields.get(i).item();
			final Object v = Options.value(item, values.get(i), Options::byTitle);
			if (v != null) inputs.put(item.getName(), v);
		}
		return true;
	}

	/** Every field's text in order, read the GenericDialog way (getNext…), which is what ImageJ records. */
	private static List<String> readAll(final GenericDialog gd, final List<Field> fields) {
		final List<String> out = new ArrayList<>();
		for (final Field f : fields) {
			final Class<?> type = f.item().getType();
			if (f.component() instanceof java.awt.Choice) out.add(gd.getNextChoice());
			else if (type == int.class || type == long.class || type == double.class) out.add(number(gd.getNextNumber()));
			else out.add(gd.getNextString());
		}
		return out;
	}

	/** Characters per line of the advice under a dialog's fields, and its lines. */
	private static final int ADVICE_WIDTH = 90, ADVICE_LINES = 4;

	/** The advice wrapped into exactly {@link #ADVICE_LINES} lines (a MultiLineLabel keeps the size it was laid out with). */
	static String adviceLines(final String advice) {
		final List<String> lines = new ArrayList<>();
		StringBuilder line = new StringBuilder();
		for (final String word : advice.trim().split("\\s+")) {
			if (line.length() > 0 && line.length() + 1 + word.length() > ADVICE_WIDTH) {
				lines.add(line.toString());
				line = new StringBuilder();
			}
			if (line.length() > 0) line.append(' ');
			line.append(word);
		}
		if (line.length() > 0) lines.add(line.toString());
		if (lines.size() > ADVICE_LINES) {
			lines.subList(ADVICE_LINES, lines.size()).clear();
			lines.set(ADVICE_LINES - 1, lines.get(ADVICE_LINES - 1) + " …");
		}
		// StringTokenizer, which MultiLineLabel splits with, skips empty lines: a space keeps each one.
		while (lines.size() < ADVICE_LINES) lines.add(" ");
		return String.join("\n", lines);
	}

	private static java.awt.Component last(final java.util.Vector<?> components) {
		return (java.awt.Component) components.get(components.size() - 1);
	}

	/** Enough decimals to show the value exactly (2, 0.001; not 2.0000), at most 6: only the display, ImageJ records the field's text. */
	private static int decimals(final double d) {
		for (int k = 0; k < 6; k++) if (Math.abs(d * Math.pow(10, k) - Math.rint(d * Math.pow(10, k))) < 1e-9) return k;
		return 6;
	}

	/** A dialog number as option text: whole numbers without ".0", so an integer field's 16 reads as 16 and 2.5 is refused, not rounded. */
	private static String number(final double d) {
		return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
	}

	/** The images a field can sensibly take ({@link ImageDefaults#fitting}). */
	static String[] fitting(final String key, final String[] titles) {
		return ImageDefaults.fitting(key, List.of(titles), kinds(titles)).toArray(String[]::new);
	}

	private static Map<String, String> kinds(final String[] titles) {
		final Map<String, String> kinds = new java.util.HashMap<>();
		for (final String t : titles) kinds.put(t, org.spectralposterior.imagej.Metadata.kind(WindowManager.getImage(t)));
		return kinds;
	}

	private static String currentTitle() {
		final ImagePlus current = WindowManager.getCurrentImage();
		return current == null ? null : current.getTitle();
	}

	private static String[] imageTitles() {
		final int[] ids = WindowManager.getIDList();
		if (ids == null) return new String[0];
		final String[] t = new String[ids.length];
		for (int i = 0; i < ids.length; i++) t[i] = WindowManager.getImage(ids[i]).getTitle();
		return t;
	}

	private static String[] prepend(final String first, final String[] rest) {
		final String[] out = new String[rest.length + 1];
		out[0] = first;
		System.arraycopy(rest, 0, out, 1, rest.length);
		return out;
	}

}
