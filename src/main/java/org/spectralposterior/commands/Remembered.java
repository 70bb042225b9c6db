package org.spectralposterior.commands;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import ij.ImagePlus;
import ij.Prefs;
import org.scijava.module.ModuleInfo;
import org.scijava.module.ModuleItem;

/**
 * The values of a command's last interactive run, kept in ImageJ's preferences (IJ_Prefs.txt, as
 * ImageJ 1.x commands keep theirs; the same store in plain ImageJ and in Fiji), so a dialog reopens
 * with what the user typed — also after a run that failed, since they are kept before the run.
 * Macros and the command line never read them: a key a macro leaves out takes the documented
 * default, ImageJ's own convention, so that a recorded macro gives the same result on every machine.
 * Images are not remembered (their titles change between sessions); everything else is kept as the
 * text an option would give, and read back through {@link Options#value}, so a stale value (a
 * choice that no longer exists) is dropped rather than trusted.
 */
public final class Remembered {

	private static final String PREFIX = "spectralposterior.";

	private Remembered() {}

	private static String prefKey(final ModuleInfo info, final String key) {
		return PREFIX + info.getTitle().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "." + key;
	}

	/** The remembered values that still convert, by key. */
	public static Map<String, Object> load(final ModuleInfo info) {
		final Map<String, Object> values = new LinkedHashMap<>();
		for (final ModuleItem<?> item : Options.parameters(info).values()) {
			if (ImagePlus.class.isAssignableFrom(item.getType())) continue;
			final String text = Prefs.get(prefKey(info, item.getName()), null);
			if (text == null) continue;
			try {
				values.put(item.getName(), Options.value(item, text, (k, v) -> null));
			}
			catch (final IllegalArgumentException refused) {
				// A number the run refused (samples=0) is shown again as typed, for the user to correct; a
				// choice that no longer exists, or text that is no number, falls back to the default.
				final Object number = number(item.getType(), text);
				if (number != null) values.put(item.getName(), number);
			}
		}
		return values;
	}

	/** A whole or decimal number of the field's type, without its range checks; null if the text is none. */
	private static Object number(final Class<?> type, final String text) {
		try {
			if (type == int.class || type == Integer.class) return Integer.valueOf(text.trim());
			if (type == long.class || type == Long.class) return Long.valueOf(text.trim());
			if (type == double.class || type == Double.class) {
				final double d = Double.parseDouble(text.trim());
				return Double.isFinite(d) ? d : null;
			}
		}
		catch (final NumberFormatException e) {
			// not a number: the default is shown
		}
		return null;
	}

	/** Keeps the dialog's fields as typed, by key (images and unknown keys are skipped). */
	public static void saveTexts(final ModuleInfo info, final Map<String, String> texts) {
		final Map<String, ModuleItem<?>> items = Options.parameters(info);
		for (final Map.Entry<String, String> e : texts.entrySet()) {
			final ModuleItem<?> item = items.get(e.getKey());
			if (item == null || ImagePlus.class.isAssignableFrom(item.getType()) || e.getValue() == null) continue;
			Prefs.set(prefKey(info, e.getKey()), e.getValue());
		}
	}

	/** Keeps the given values (images and unknown keys are skipped). */
	public static void save(final ModuleInfo info, final Map<String, ?> values) {
		final Map<String, ModuleItem<?>> items = Options.parameters(info);
		for (final Map.Entry<String, ?> e : values.entrySet()) {
			final ModuleItem<?> item = items.get(e.getKey());
			if (item == null || ImagePlus.class.isAssignableFrom(item.getType())) continue;
			Prefs.set(prefKey(info, e.getKey()), DialogRules.text(e.getValue()));
		}
	}

	/** Forgets a command's values (tests; a user resets by deleting them from IJ_Prefs.txt). */
	static void forget(final ModuleInfo info) {
		for (final ModuleItem<?> item : Options.parameters(info).values()) Prefs.set(prefKey(info, item.getName()), null);
	}
}
