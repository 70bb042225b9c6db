package org.spectralposterior.imagej;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ij.WindowManager;
import ij.measure.ResultsTable;
import ij.text.TextWindow;
import org.spectralposterior.core.diffusion.BandWeights;
import org.spectralposterior.core.diffusion.FrequencyBands;

/**
 * The weights of a Tune Sampler Weights run, read back for Posterior Sampling's {@code weights=tuned}:
 * from its {@code <name>_<method>_tuned_weights} table, open at the screen (by title) or saved as CSV
 * (by path). A table cell is copied by ImageJ only as a whole row, so a GUI user cannot carry a
 * 1000-value {@code weight_list} by hand; the table itself is the hand-over.
 * <p>
 * The table is one row per step, noisiest first, with the columns {@code method} and {@code t} and
 * either {@code tuned} (one weight per step) or the {@link FrequencyBands#heading band headings}
 * (weights per step and band), and {@code eta} when DDIM's η was designed per step with the weights
 * (applied with them). The method and the timesteps are checked against the run, so weights
 * tuned for another method or another step grid are refused rather than applied silently.
 */
record TunedWeights(String source, String method, int[] timesteps, double[] alphaBars, double[] perStep, BandWeights bands, double[] etas) {

	static final String SUFFIX = "_tuned_weights";

	/**
	 * {@code ref}: a table's title, a CSV file's path, or blank for the most recent open
	 * {@code …_tuned_weights} table.
	 */
	static TunedWeights read(final String ref) {
		final String r = ref == null ? "" : ref.trim();
		final ResultsTable table;
		final String source;
		if (r.isEmpty()) {
			source = latestOpenTable();
			if (source == null) {
				throw new IllegalArgumentException("weights=tuned needs tuned_table=<the title of a Tune Sampler Weights '…" + SUFFIX
					+ "' table, or the path of its saved CSV>; no such table is open. Run Tune Sampler Weights first, or give the CSV it saved.");
			}
			table = ResultsTable.getResultsTable(source);
		}
		else {
			final ResultsTable open = isOpen(r) ? ResultsTable.getResultsTable(r) : null;
			if (open != null) {
				table = open;
				source = r;
			}
			else {
				final File f = new File(r);
				if (!f.isFile()) {
					throw new IllegalArgumentException("tuned_table=" + r + " is neither an open table nor a file; give the title of a Tune Sampler Weights '…" + SUFFIX
						+ "' table or the path of the CSV it saved.");
				}
				try {
					table = ResultsTable.open(f.getPath());
				}
				catch (final IOException | RuntimeException e) {
					throw new IllegalArgumentException("tuned_table=" + r + " could not be read as a table (" + e.getMessage() + "); give the CSV Tune Sampler Weights saved.");
				}
				if (table == null) throw new IllegalArgumentException("tuned_table=" + r + " could not be read as a table; give the CSV Tune Sampler Weights saved.");
				source = f.getName();
			}
		}
		return of(table, source);
	}

	/** The weights held by {@code table} (named {@code source} in messages). */
	static TunedWeights of(final ResultsTable table, final String source) {
		final String fix = "; give a '…" + SUFFIX + "' table made by Tune Sampler Weights.";
		final int n = table.size();
		if (n == 0 || !table.columnExists("t") || !table.columnExists("method")) throw new IllegalArgumentException(source + " is not a tuned-weights table (it needs the columns method, t and tuned)" + fix);
		final String method = table.getStringValue("method", 0).trim();
		final int[] t = new int[n];
		for (int j = 0; j < n; j++) t[j] = (int) Math.round(table.getValue("t", j));
		final double[] ab = new double[n];
		for (int j = 0; j < n; j++) ab[j] = table.columnExists("alpha_bar") ? table.getValue("alpha_bar", j) : Double.NaN;
		// Band columns, in band order; their count and grouping are in the headings themselves.
		final List<Integer> bandColumns = new ArrayList<>();
		FrequencyBands.By by = null;
		int count = 0;
		final String[] headings = table.getHeadings();
		for (int b = 0;; b++) {
			int found = -1;
			for (final String h : headings) {
				final Object[] parsed = FrequencyBands.parseHeading(h);
				if (parsed == null) continue;
				if (by == null) {
					by = (FrequencyBands.By) parsed[0];
					count = (int) parsed[2];
				}
				// A hand-edited table mixing two band layouts would be read with the wrong columns.
				if (parsed[0] != by || (int) parsed[2] != count) throw new IllegalArgumentException(source + " mixes band columns of two layouts ('" + h + "')" + fix);
				if ((int) parsed[1] == b) {
					if (found >= 0) throw new IllegalArgumentException(source + " has two columns for band " + (b + 1) + fix);
					found = table.getColumnIndex(h);
				}
			}
			if (found < 0) break;
			bandColumns.add(found);
		}
		if (by != null) {
			// η per step is designed with one weight per step only; a band table with an eta column was edited by hand.
			if (table.columnExists("eta")) throw new IllegalArgumentException(source + " has band columns and an eta column; η per step comes with one weight per step" + fix);
			if (bandColumns.size() != count) throw new IllegalArgumentException(source + " has " + bandColumns.size() + " of its " + count + " band columns" + fix);
			final double[][] w = new double[n][count];
			for (int j = 0; j < n; j++) for (int b = 0; b < count; b++) w[j][b] = finite(table.getValueAsDouble(bandColumns.get(b), j), source, j, fix);
			return new TunedWeights(source, method, t, ab, null, new BandWeights(by, w), null);
		}
		if (!table.columnExists("tuned")) throw new IllegalArgumentException(source + " has no 'tuned' column" + fix);
		final double[] w = new double[n];
		for (int j = 0; j < n; j++) w[j] = finite(table.getValue("tuned", j), source, j, fix);
		double[] etas = null;
		if (table.columnExists("eta")) {
			etas = new double[n];
			for (int j = 0; j < n; j++) {
				etas[j] = table.getValue("eta", j);
				if (!(etas[j] >= 0 && etas[j] <= 1)) throw new IllegalArgumentException(source + " row " + (j + 1) + " holds η = " + etas[j] + ", outside [0, 1]" + fix);
			}
		}
		return new TunedWeights(source, method, t, ab, w, null, etas);
	}

	private static double finite(final double w, final String source, final int row, final String fix) {
		if (!Double.isFinite(w)) throw new IllegalArgumentException(source + " row " + (row + 1) + " holds a weight that is not a number" + fix);
		return w;
	}

	/** Refuses weights tuned for another method or another step grid (execution order, noisiest first). */
	void checkFor(final String methodKey, final int[] runTimesteps, final double[] runAlphaBars) {
		if (!method.toLowerCase(Locale.ROOT).equals(methodKey.toLowerCase(Locale.ROOT))) {
			throw new IllegalArgumentException("The weights of " + source + " were tuned for " + method + ", not " + methodKey + "; choose method=" + method + " or tune " + methodKey + ".");
		}
		if (runTimesteps.length != timesteps.length) {
			throw new IllegalArgumentException("The weights of " + source + " were tuned for " + timesteps.length + " steps but this run has " + runTimesteps.length + "; use steps=" + timesteps.length
				+ " or tune with steps=" + runTimesteps.length + ".");
		}
		for (int j = 0; j < timesteps.length; j++) {
			if (timesteps[j] != runTimesteps[j]) {
				throw new IllegalArgumentException("The weights of " + source + " were tuned on other timesteps (step " + (j + 1) + ": t = " + timesteps[j] + ", here " + runTimesteps[j]
					+ "); use the schedule and training timesteps T the tuning used.");
			}
			// Saved with every digit; a table without the column (hand-made) is checked on t only.
			if (!Double.isNaN(alphaBars[j]) && Math.abs(alphaBars[j] - runAlphaBars[j]) > 1e-9 * Math.max(1e-12, runAlphaBars[j])) {
				throw new IllegalArgumentException("The weights of " + source + " were tuned on another noise schedule (step " + (j + 1) + ": ᾱ = " + alphaBars[j] + ", here " + runAlphaBars[j]
					+ "); use the schedule the tuning used.");
			}
		}
	}

	/** What the results table says of these weights. */
	String describe() {
		if (etas != null) return "tuned with η per step (" + source + ")";
		return bands == null ? "tuned per step (" + source + ")" : "tuned per step and " + bands.bands() + " " + bands.by().key() + " bands (" + source + ")";
	}

	private static boolean isOpen(final String title) {
		return openTables().contains(title);
	}

	/** The most recently opened table whose title ends with {@link #SUFFIX} (ImageJ's unique-name suffix "-2" allowed). */
	private static String latestOpenTable() {
		String latest = null;
		for (final String t : openTables()) if (t.replaceFirst("-\\d+$", "").endsWith(SUFFIX)) latest = t;
		return latest;
	}

	/** Titles of the open text windows holding a table, oldest first (none without a display). */
	static List<String> openTables() {
		final List<String> out = new ArrayList<>();
		if (java.awt.GraphicsEnvironment.isHeadless()) return out;
		final java.awt.Window[] windows = WindowManager.getAllNonImageWindows();
		if (windows == null) return out;
		for (final java.awt.Window w : windows) {
			if (w instanceof TextWindow tw && tw.getResultsTable() != null) out.add(tw.getTitle());
		}
		return out;
	}

	/** The open table of this title, or null (none open, or no display). */
	static ResultsTable openTable(final String title) {
		return openTables().contains(title) ? ResultsTable.getResultsTable(title) : null;
	}
}
