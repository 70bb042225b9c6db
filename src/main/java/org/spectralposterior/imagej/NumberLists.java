package org.spectralposterior.imagej;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A list parameter ({@code weight_list}, {@code schedule_table}) given inline ({@code 0.9,0.8,…}) or as
 * the path of a text file: one value a line, or comma/semicolon/space separated, an optional header
 * line of text (e.g. a CSV column name), {@code #} comments; or, at the screen, the title of an open
 * table of one column (or, for a schedule, with an {@code alpha_bar} column). Why files: a table of a thousand ᾱ or
 * weights at full precision does not fit one command-line argument (~128 KiB) or a dialog field.
 */
public final class NumberLists {

	private NumberLists() {}

	/** The list as inline text: {@code value} itself, or the numbers of the file it names. */
	public static String resolve(final String key, final String value) {
		if (value == null) return null;
		final String v = value.trim();
		// Inline lists have a separator or are one number; a file path is anything else that exists; at
		// the screen, the title of an open table (Design Noise Schedule's ᾱ table) is one too.
		if (v.isEmpty() || v.matches("[-+0-9.eE,;\\s]+")) return value;
		if (!Files.isRegularFile(Path.of(v))) {
			final ij.measure.ResultsTable t = TunedWeights.openTable(v);
			return t == null ? value : column(key, v, t);
		}
		final List<String> lines;
		try {
			lines = Files.readAllLines(Path.of(v), StandardCharsets.UTF_8);
		}
		catch (final IOException | java.io.UncheckedIOException e) {
			throw new IllegalArgumentException(key + "=" + v + ": cannot read that file (" + e.getMessage() + "); give the values inline or a readable text file.");
		}
		final StringBuilder sb = new StringBuilder();
		boolean first = true;
		for (final String raw : lines) {
			final String line = raw.replaceFirst("#.*$", "").trim();
			if (line.isEmpty()) continue;
			if (first && isHeader(line)) {
				first = false;
				continue;
			}
			first = false;
			if (sb.length() > 0) sb.append(',');
			sb.append(line.replaceAll("[,;\\s]+", ","));
		}
		if (sb.length() == 0) throw new IllegalArgumentException(key + "=" + v + ": the file holds no values; write one number a line (noisiest step first for weights, ᾱ_1 first for a schedule).");
		return sb.toString();
	}

	/**
	 * The numbers of a list given inline or as a file ({@link #resolve}); a field that is not a
	 * number is refused with {@code fix}. Range checks (finite, ≥ 0, …) are the caller's.
	 */
	public static double[] values(final String key, final String value, final String fix) {
		final String list = resolve(key, value);
		if (list == null || list.isBlank()) throw new IllegalArgumentException(key + " is empty; " + fix + ".");
		final String[] parts = list.trim().split("[,;\\s]+");
		final double[] v = new double[parts.length];
		for (int i = 0; i < v.length; i++) {
			try {
				v[i] = Double.parseDouble(parts[i]);
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException(key + "=" + (value.length() > 60 ? value.substring(0, 60) + "…" : value) + ": '" + parts[i] + "' is not a number; " + fix + ".");
			}
		}
		return v;
	}

	/** The values of a table's only column (or, for {@code schedule_table}, its {@code alpha_bar} column), inline. */
	private static String column(final String key, final String title, final ij.measure.ResultsTable t) {
		final String[] headings = java.util.Arrays.stream(t.getHeadings()).filter(h -> !h.isBlank() && !h.equals("Label")).toArray(String[]::new);
		// ᾱ only for a schedule: a tuned-weights table has an alpha_bar column too, which is no weight list.
		final String col = key.equals("schedule_table") && t.columnExists("alpha_bar") ? "alpha_bar" : headings.length == 1 ? headings[0] : null;
		if (col == null || t.size() == 0) {
			throw new IllegalArgumentException(key + "=" + title + ": that table has " + headings.length + " columns; give a table of one column (e.g. Design Noise Schedule's '…_schedule_table'), a file or the values inline.");
		}
		final StringBuilder sb = new StringBuilder();
		for (int i = 0; i < t.size(); i++) sb.append(i == 0 ? "" : ",").append(t.getValue(col, i));
		return sb.toString();
	}

	/** A first line none of whose fields is a number (NaN and Infinity are numbers: kept, and refused later). */
	private static boolean isHeader(final String line) {
		for (final String t : line.split("[,;\\s]+")) {
			try {
				Double.parseDouble(t.replace("\"", ""));
				return false;
			}
			catch (final NumberFormatException e) {
				// not a number: look at the next field
			}
		}
		return true;
	}
}
