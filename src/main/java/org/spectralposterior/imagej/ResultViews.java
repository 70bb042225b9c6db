package org.spectralposterior.imagej;

import java.util.Map;

import ij.measure.ResultsTable;

/**
 * Readable views of a command's main results table, for a person at the screen (the tables a run
 * saves and that macros read are unchanged): a log that gains one row per run, as Analyze › Measure
 * does, and a key/value summary of the last run that says, for every figure, its unit and what it
 * means in plain words (for a table of several rows, each figure's range over them).
 */
public final class ResultViews {

	private ResultViews() {}

	/** Unit and meaning of the figures the commands report, by column name; columns not listed are settings, shown as they are. */
	private static final Map<String, String[]> GLOSSARY = Map.ofEntries(
		entry("W2", "intensity", "Wasserstein-2 distance between this method's output law and the true posterior, given this measurement: how far, in intensity units per image (root of a sum over pixels), its samples are from correct ones. 0 = exact; compare it with √(posterior trace), the posterior's own spread."),
		entry("W2^2", "intensity²", "the square of W2; the sum of the mean part and the covariance part"),
		entry("W2^2 mean part", "intensity²", "how far the method's mean is from the posterior mean (squared, summed over pixels): bias"),
		entry("W2^2 covariance part", "intensity²", "how wrong the spread and correlations of the samples are: too much, too little or wrongly shaped noise"),
		entry("E_v W2^2", "intensity²", "W2² averaged over every measurement the model could have produced (not just this one): the figure the samplers' settings are tuned on"),
		entry("E_v W2^2 per pixel", "intensity²", "E_v W2² divided by the number of pixels: a typical squared error per pixel"),
		entry("E_v W2", "intensity", "√(E_v W2²)"),
		entry("posterior trace", "intensity²", "the total variance of the true posterior (sum over pixels): its square root is the natural scale for W2"),
		entry("W2^2 Monte Carlo", "intensity²", "W2² estimated from the samples themselves (step-by-step runs), to check the exact value"),
		entry("W2^2 MC 95% low", "intensity²", "lower end of the Monte-Carlo 95 % interval"),
		entry("W2^2 MC 95% high", "intensity²", "upper end of the Monte-Carlo 95 % interval"),
		entry("PSNR mean (dB)", "dB", "peak signal-to-noise ratio of the mean against the ground truth: higher is closer"),
		entry("SSIM mean", "0..1", "structural similarity of the mean to the ground truth: 1 = identical"),
		entry("coverage ±2 std", "fraction", "share of pixels whose true value lies within ±2 std of the mean; about 0.95 when the std is honest, less when it is too small"),
		entry("coverage ±2 std (missing pixels)", "fraction", "the same, over the missing pixels only"),
		entry("noise_sigma", "intensity", "the measurement noise level the posterior assumes"),
		entry("value", "unit intensities²", "the schedule design's criterion: W2² or KL from the sampler's output law to the prior, or E_v W2² to the posterior (the posterior criterion)"),
		entry("blur_sigma", "px", "the Gaussian blur's standard deviation"),
		entry("E_v W2^2 mean part", "intensity²", "the part of E_v W2² due to the method's mean being wrong (bias), averaged over measurements"),
		entry("E_v W2^2 covariance part", "intensity²", "the part of E_v W2² due to the wrong spread and correlations of the samples"),
		entry("noise_sigma source", "", "whether σ was recorded by Simulate Degradation, given, or estimated from the image"),
		entry("law", "", "how the output law and its W2 were obtained: exact (closed form), dense algebra, or Monte-Carlo"),
		entry("status", "", "ok, or why the figures could not be computed (e.g. the sampler diverged)"),
		entry("std", "intensity", "posterior standard deviation per pixel"),
		entry("intensity map", "", "the affine map from image intensities to the [-1, 1] range the diffusion steps run in"));

	private static Map.Entry<String, String[]> entry(final String column, final String unit, final String meaning) {
		return Map.entry(column, new String[] { unit, meaning });
	}

	/** Appends every row of {@code main} to {@code log}, behind a first column {@code run} naming the run. Columns new to the log are added. */
	public static ResultsTable append(final ResultsTable log, final String run, final ResultsTable main) {
		final ResultsTable out = log != null ? log : new ResultsTable();
		for (int row = 0; row < main.size(); row++) {
			out.incrementCounter();
			out.addValue("run", run);
			for (final String column : main.getHeadings()) {
				if (column.equals("Label") || column.equals(" ")) continue;
				copy(main, column, row, out);
			}
		}
		return out;
	}

	private static void copy(final ResultsTable from, final String column, final int row, final ResultsTable to) {
		final String text = from.getStringValue(column, row);
		final double d = from.getValue(column, row);
		// A string column reads as NaN; a numeric NaN reads back as the text "NaN".
		if (Double.isNaN(d) && text != null && !text.equals("NaN")) to.addValue(column, text);
		else to.addValue(column, d);
	}

	/**
	 * The table as rows of quantity, value, unit and meaning: for one row, its values; for several (a
	 * comparison, a robust set), each figure's range over the rows and each setting's value when every
	 * row shares it ("varies" when not) — the per-row values stay in the table itself.
	 */
	public static ResultsTable summary(final ResultsTable main) {
		if (main.size() == 0) return null;
		final ResultsTable out = new ResultsTable();
		// The figures first, then the settings that produced them.
		final java.util.List<String> columns = new java.util.ArrayList<>();
		for (final String c : main.getHeadings()) if (GLOSSARY.containsKey(c)) columns.add(c);
		for (final String c : main.getHeadings()) if (!GLOSSARY.containsKey(c) && !c.equals("Label") && !c.equals(" ")) columns.add(c);
		for (final String column : columns) {
			out.incrementCounter();
			out.addValue("quantity", column);
			out.addValue("value", main.size() == 1 ? cell(main, column, 0) : overRows(main, column));
			final String[] g = GLOSSARY.get(column);
			out.addValue("unit", g == null ? "" : g[0]);
			out.addValue("meaning", g == null ? "setting" : g[1]);
		}
		return out;
	}

	private static String cell(final ResultsTable t, final String column, final int row) {
		final String text = t.getStringValue(column, row);
		final double d = t.getValue(column, row);
		return Double.isNaN(d) && text != null && !text.equals("NaN") ? text : format(d);
	}

	/** A column over several rows: the one value they share, else the finite numbers' range, else "varies". */
	private static String overRows(final ResultsTable t, final String column) {
		final java.util.Set<String> distinct = new java.util.LinkedHashSet<>();
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		int finite = 0;
		for (int row = 0; row < t.size(); row++) {
			distinct.add(cell(t, column, row));
			final double d = t.getValue(column, row);
			if (Double.isFinite(d)) {
				lo = Math.min(lo, d);
				hi = Math.max(hi, d);
				finite++;
			}
		}
		if (distinct.size() == 1) return distinct.iterator().next();
		if (finite >= 2 && GLOSSARY.containsKey(column)) {
			return format(lo) + " … " + format(hi) + " over " + t.size() + " rows" + (finite < t.size() ? " (" + (t.size() - finite) + " not finite)" : "");
		}
		return "varies (" + distinct.size() + " values over " + t.size() + " rows)";
	}

	/**
	 * Decimals per column for a person reading the table: whole-number columns without decimals, the
	 * others with about five significant digits of their smallest non-zero value (so 0.95 and 26876.3
	 * both read well, not 26876.312345678), and scientific notation below 10⁻⁴, where fixed decimals
	 * would show zeros (ImageJ formats negative decimal places that way).
	 */
	public static void readable(final ResultsTable table) {
		for (int c = 0; c <= table.getLastColumn(); c++) {
			if (!table.columnExists(c)) continue;
			double smallest = Double.POSITIVE_INFINITY;
			boolean whole = true;
			for (int row = 0; row < table.size(); row++) {
				final double v = table.getValueAsDouble(c, row);
				if (!Double.isFinite(v)) continue;
				if (v != Math.rint(v)) whole = false;
				if (v != 0) smallest = Math.min(smallest, Math.abs(v));
			}
			table.setDecimalPlaces(c, decimals(whole, smallest));
		}
	}

	static int decimals(final boolean whole, final double smallest) {
		if (whole || smallest == Double.POSITIVE_INFINITY) return 0;
		if (smallest < 1e-4) return -4;
		return (int) Math.max(0, Math.min(9, 4 - Math.floor(Math.log10(smallest))));
	}

	/** Six significant digits: enough to read, and the full value stays in the results log and the saved CSV. */
	private static String format(final double d) {
		if (Double.isNaN(d) || Double.isInfinite(d)) return Double.toString(d);
		if (d == Math.rint(d) && Math.abs(d) < 1e12) return Long.toString((long) d);
		return new java.math.BigDecimal(d).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
	}
}
