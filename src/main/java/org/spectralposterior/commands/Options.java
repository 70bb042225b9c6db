package org.spectralposterior.commands;

import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import ij.ImagePlus;
import ij.WindowManager;
import org.scijava.Context;
import org.scijava.module.ModuleInfo;
import org.scijava.module.ModuleItem;
import org.scijava.widget.FileWidget;
import org.spectralposterior.imagej.ImageFiles;

/**
 * The one strict reader of {@code key=value} options for every front-end: the command line, the
 * plain-ImageJ bridge and Fiji's macro path ({@link MacroDefaults}). Every key must be a parameter
 * of the command (or one of the front-end's extra keys), appear once, and its value must convert
 * to the parameter's type and lie in its {@code @Parameter(min, max)} range; anything else is an
 * {@link IllegalArgumentException} whose message names the key, the value and the fix — the same
 * message on every route, since the raw text is read the same way everywhere.
 * <p>
 * Why the raw text: each front-end converted values differently. SciJava's ConvertService turns
 * {@code five} into 0.0 for a double; {@code ij.Macro.getValue} rounds {@code 2.5}; and in Fiji
 * imagej-legacy's MacroPreprocessor converts every value before we see it (an unknown title becomes
 * an empty 0×0 image, {@code steps=abc} becomes 0), so only the options string still says what the
 * user wrote.
 */
public final class Options {

	/** How a front-end turns an image parameter's value (a title, or a path on the command line) into an image. */
	@FunctionalInterface
	public interface Images {
		/** The image for {@code key=value} (value neither empty nor {@code none}); never null: throws IllegalArgumentException. */
		ImagePlus find(String key, String value);
	}

	private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
	private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

	private Options() {}

	/**
	 * Splits an options string as ImageJ's recorder writes it: {@code key=value key=[value with spaces]},
	 * separated by spaces. ImageJ itself ({@code Macro.getValue}) looks keys up by substring, which once
	 * read {@code steps=} inside {@code train_steps=}; splitting into tokens first reads each key once.
	 */
	public static Map<String, String> tokenize(final String options) {
		final List<String[]> pairs = new ArrayList<>();
		final String s = options == null ? "" : options;
		int i = 0;
		while (i < s.length()) {
			if (Character.isWhitespace(s.charAt(i))) {
				i++;
				continue;
			}
			int end = i;
			while (end < s.length() && !Character.isWhitespace(s.charAt(end)) && s.charAt(end) != '=') end++;
			if (end >= s.length() || s.charAt(end) != '=') {
				throw notAPair(s.substring(i, end));
			}
			final String key = s.substring(i, end);
			int start = end + 1, next;
			final String value;
			if (start < s.length() && s.charAt(start) == '[') {
				final int close = s.indexOf(']', start + 1);
				if (close < 0) throw new IllegalArgumentException(key + "=" + s.substring(start) + ": the '[' has no closing ']'; write " + key + "=[value with spaces].");
				value = s.substring(start + 1, close);
				next = close + 1;
			}
			else {
				next = start;
				while (next < s.length() && !Character.isWhitespace(s.charAt(next))) next++;
				value = s.substring(start, next);
			}
			pairs.add(new String[] { key, value });
			i = next;
		}
		return collect(pairs);
	}

	/** Command-line arguments, one {@code key=value} each (the shell has done the quoting; [brackets] are accepted too). */
	public static Map<String, String> fromArguments(final String[] args) {
		final List<String[]> pairs = new ArrayList<>();
		for (final String arg : args) {
			final int eq = arg.indexOf('=');
			if (eq <= 0) throw notAPair(arg);
			String value = arg.substring(eq + 1).trim();
			if (value.length() >= 2 && value.startsWith("[") && value.endsWith("]")) value = value.substring(1, value.length() - 1);
			pairs.add(new String[] { arg.substring(0, eq).trim(), value });
		}
		return collect(pairs);
	}

	private static IllegalArgumentException notAPair(final String word) {
		return new IllegalArgumentException("'" + word + "' is not of the form key=value: write " + word + "=<value> (parameters take a value; [brackets] around values with spaces).");
	}

	private static Map<String, String> collect(final List<String[]> pairs) {
		final Map<String, String> map = new LinkedHashMap<>();
		for (final String[] p : pairs) {
			final String previous = map.putIfAbsent(p[0], p[1]);
			if (previous != null) {
				throw new IllegalArgumentException(p[0] + " is given twice (" + p[0] + "=" + previous + " and " + p[0] + "=" + p[1] + "): give it once.");
			}
		}
		return map;
	}

	/**
	 * The command's user-facing inputs by name: services and the context are injected, and the
	 * dialogs' headings (MESSAGE items) and Help button are no options.
	 */
	public static Map<String, ModuleItem<?>> parameters(final ModuleInfo info) {
		final Map<String, ModuleItem<?>> items = new LinkedHashMap<>();
		for (final ModuleItem<?> item : info.inputs()) {
			final Class<?> type = item.getType();
			if (org.scijava.service.Service.class.isAssignableFrom(type) || Context.class.isAssignableFrom(type)) continue;
			if (item.getVisibility() == org.scijava.ItemVisibility.MESSAGE || org.scijava.widget.Button.class.isAssignableFrom(type)) continue;
			items.put(item.getName(), item);
		}
		return items;
	}

	/**
	 * Converts every option to its parameter's value (null for an optional image given as {@code none}
	 * or empty), in the order given; refuses unknown keys. {@code extraKeys} are the front-end's own
	 * keys (the command line's {@code roi}), returned untouched as strings.
	 */
	public static Map<String, Object> convert(final ModuleInfo info, final Map<String, String> raw, final Images images, final Set<String> extraKeys) {
		final Map<String, ModuleItem<?>> items = parameters(info);
		final Map<String, Object> inputs = new LinkedHashMap<>();
		for (final Map.Entry<String, String> e : raw.entrySet()) {
			final String key = e.getKey();
			if (extraKeys.contains(key)) {
				inputs.put(key, e.getValue());
				continue;
			}
			final ModuleItem<?> item = items.get(key);
			if (item == null) {
				final List<String> valid = new ArrayList<>(items.keySet());
				valid.addAll(extraKeys);
				throw new IllegalArgumentException("Unknown parameter '" + key + "' (" + key + "=" + e.getValue() + ") for " + info.getTitle() + ": check its spelling; the parameters are "
					+ String.join(", ", valid) + ".");
			}
			inputs.put(key, value(item, e.getValue(), images));
		}
		return inputs;
	}

	/** One value, converted strictly by the parameter's type and checked against its range. */
	public static Object value(final ModuleItem<?> item, final String text, final Images images) {
		final String key = item.getName(), value = text.trim();
		final Class<?> type = item.getType();
		if (ImagePlus.class.isAssignableFrom(type)) {
			if (value.isEmpty() || value.equalsIgnoreCase("none")) {
				if (item.isRequired()) throw new IllegalArgumentException(key + "=" + value + ": " + key + " is required; give an image.");
				return null;
			}
			return images.find(key, value);
		}
		if (File.class.isAssignableFrom(type)) {
			if (value.isEmpty()) return null;
			final File f = new File(value);
			if (FileWidget.DIRECTORY_STYLE.equals(item.getWidgetStyle()) && f.exists() && !f.isDirectory()) {
				throw new IllegalArgumentException(key + "=" + value + " is a file, not a folder: give a folder (it is created if missing).");
			}
			return f;
		}
		if (item.getChoices() != null && !item.getChoices().isEmpty()) {
			for (final Object c : item.getChoices()) if (c.toString().equalsIgnoreCase(value)) return c.toString();
			final List<String> choices = item.getChoices().stream().map(Object::toString).toList();
			throw new IllegalArgumentException(key + "=" + value + " is not one of: " + String.join(", ", choices) + "; give e.g. " + example(key, choices.get(0)) + ".");
		}
		if (type == int.class || type == Integer.class) return (int) integer(item, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
		if (type == long.class || type == Long.class) return integer(item, value, Long.MIN_VALUE, Long.MAX_VALUE);
		if (type == double.class || type == Double.class) {
			if (!DECIMAL.matcher(value).matches() || !Double.isFinite(Double.parseDouble(value))) {
				throw new IllegalArgumentException(key + "=" + value + " is not a finite number: give a decimal number with a point, e.g. " + key + "=" + sample(item, "1.5") + ".");
			}
			final double d = Double.parseDouble(value);
			checkRange(item, value, new BigDecimal(value));
			return d;
		}
		if (type == String.class) return value;
		if (type == boolean.class || type == Boolean.class) {
			if (value.equalsIgnoreCase("true")) return true;
			if (value.equalsIgnoreCase("false")) return false;
			throw new IllegalArgumentException(key + "=" + value + " is not true or false: give " + key + "=true or " + key + "=false.");
		}
		throw new IllegalStateException("No option conversion for " + key + " of type " + type.getName() + ".");
	}

	private static long integer(final ModuleItem<?> item, final String value, final long min, final long max) {
		final String key = item.getName();
		if (!INTEGER.matcher(value).matches()) {
			throw new IllegalArgumentException(key + "=" + value + " is not a whole number: give an integer, e.g. " + key + "=" + sample(item, "1") + ".");
		}
		final BigInteger n = new BigInteger(value.startsWith("+") ? value.substring(1) : value);
		if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
			throw new IllegalArgumentException(key + "=" + value + " is out of range: give a whole number from " + min + " to " + max + ".");
		}
		checkRange(item, value, new BigDecimal(n));
		return n.longValue();
	}

	/** SciJava's {@code @Parameter(min = …, max = …)}, as {@code ModuleItem} reports them. */
	private static void checkRange(final ModuleItem<?> item, final String value, final BigDecimal v) {
		final Object lo = item.getMinimumValue(), hi = item.getMaximumValue();
		if (lo instanceof Number n && v.compareTo(new BigDecimal(n.toString())) < 0) {
			throw new IllegalArgumentException(item.getName() + "=" + value + " is too small: " + item.getName() + " must be at least " + plain(n) + "; give " + item.getName() + "=" + plain(n) + " or more.");
		}
		if (hi instanceof Number n && v.compareTo(new BigDecimal(n.toString())) > 0) {
			throw new IllegalArgumentException(item.getName() + "=" + value + " is too large: " + item.getName() + " must be at most " + plain(n) + "; give " + item.getName() + "=" + plain(n) + " or less.");
		}
	}

	private static String plain(final Number n) {
		return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
	}

	/** An example value for the message: the parameter's default where it is a number. */
	private static String sample(final ModuleItem<?> item, final String fallback) {
		return item.getDefaultValue() instanceof Number n ? plain(n) : fallback;
	}

	private static String example(final String key, final String value) {
		return key + "=" + (value.contains(" ") ? "[" + value + "]" : value);
	}

	/**
	 * Images by title, as a macro names them (plain ImageJ and Fiji): the open (or batch-mode) image of
	 * that title; one opened from a file must still match that file ({@link ImageFiles#check}).
	 */
	public static ImagePlus byTitle(final String key, final String title) {
		final ImagePlus imp = WindowManager.getImage(title);
		if (imp == null) {
			final String[] titles = WindowManager.getImageTitles();
			final String open = titles.length == 0 ? "no image is open" : titles.length <= 8 ? "open images: " + String.join(", ", titles) : titles.length + " images are open";
			throw new IllegalArgumentException(key + "=" + title + ": no open image has that title (" + open + "); open it first or give its exact title.");
		}
		ImageFiles.check(imp, key + "=" + title);
		return imp;
	}
}
