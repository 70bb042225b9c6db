package org.spectralposterior.core.diffusion;

import java.util.Locale;

import org.spectralposterior.core.fourier.HalfPlane;

/**
 * A partition of the frequencies into B bands, for weights per step and per band (issue 11): at
 * frequency k the guidance weight of step j is W[j][band(k)], a generalisation of MATH §10's one
 * weight per step (B = 1) that stays affine in each weight, so the §10 gradient carries over band by
 * band. Two ways to cut:
 * <ul>
 * <li>{@link By#FREQUENCY}: equal widths in the normalised radius r = |(2f_row/H, 2f_col/W)|/√2,
 * which is 1 at the corner of the spectrum (MATH §1.1 frequencies);</li>
 * <li>{@link By#EIGENVALUE}: equal-count quantiles of the prior eigenvalues λ_k (hence of log λ),
 * every frequency of the full grid counted once (MATH §1.2 multiplicities).</li>
 * </ul>
 * Band membership depends only on the plane and the order of the λ, so a prior rescaled to the
 * samplers' [−1, 1] units has the same bands as in image units.
 */
public final class FrequencyBands {

	public enum By {
		FREQUENCY, EIGENVALUE;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		/** {@code frequency} or {@code eigenvalue} (case-insensitive). */
		public static By parse(final String s) {
			final String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
			for (final By b : values()) if (b.key().equals(k)) return b;
			throw new IllegalArgumentException("band_by must be frequency or eigenvalue, got '" + s + "'; use band_by=frequency (radial |ω|) or band_by=eigenvalue (quantiles of log λ).");
		}
	}

	/** Band of every stored entry of the half plane (0..count−1). */
	private final int[] band;
	private final int count;
	private final By by;
	/** count + 1 edges: normalised radius (frequency) or λ (eigenvalue); band b is [edges[b], edges[b+1]). */
	private final double[] edges;
	/** Frequencies (full grid) per band. */
	private final double[] members;

	private FrequencyBands(final int[] band, final int count, final By by, final double[] edges, final HalfPlane plane) {
		this.band = band;
		this.count = count;
		this.by = by;
		this.edges = edges;
		members = new double[count];
		for (int k = 0; k < band.length; k++) members[band[k]] += plane.multiplicity(k);
	}

	public static void checkCount(final int count) {
		if (count < 1) throw new IllegalArgumentException("bands must be at least 1, got " + count + "; use bands=8 (or parametrisation=per step for one weight per step).");
	}

	/** The bands of {@code plane}; {@code lam} (the prior eigenvalues on the half plane) is needed for {@link By#EIGENVALUE} only. */
	public static FrequencyBands of(final By by, final int count, final HalfPlane plane, final double[] lam) {
		checkCount(count);
		final int[] band = new int[plane.size];
		final double[] edges = new double[count + 1];
		if (by == By.FREQUENCY) {
			for (int b = 0; b <= count; b++) edges[b] = (double) b / count;
			for (int k = 0; k < plane.size; k++) {
				final double u = 2.0 * plane.freqRow(k) / plane.height, v = 2.0 * plane.freqCol(k) / plane.width;
				final double r = Math.sqrt((u * u + v * v) / 2);
				band[k] = Math.min(count - 1, (int) (r * count));
			}
			return new FrequencyBands(band, count, by, edges, plane);
		}
		if (lam == null || lam.length != plane.size) throw new IllegalArgumentException("eigenvalue bands need the prior's eigenvalues on " + plane);
		// Quantile edges of λ over the full grid (each stored entry counts its multiplicity), then
		// membership by comparison with the edges, so that equal λ always share a band.
		final Integer[] idx = new Integer[plane.size];
		for (int k = 0; k < idx.length; k++) idx[k] = k;
		java.util.Arrays.sort(idx, (a, b) -> Double.compare(lam[a], lam[b]));
		final double total = plane.pixels;
		double seen = 0;
		int next = 1;
		edges[0] = lam[idx[0]];
		edges[count] = lam[idx[idx.length - 1]];
		for (final Integer k : idx) {
			while (next < count && seen >= total * next / count) edges[next++] = lam[k];
			seen += plane.multiplicity(k);
		}
		while (next < count) edges[next++] = edges[count];
		for (int k = 0; k < plane.size; k++) {
			int b = 0;
			while (b + 1 < count && lam[k] >= edges[b + 1]) b++;
			band[k] = b;
		}
		return new FrequencyBands(band, count, by, edges, plane);
	}

	/** The band of stored entry k. */
	public int band(final int k) {
		return band[k];
	}

	/** Bands of all entries (a copy). */
	public int[] bands() {
		return band.clone();
	}

	public int count() {
		return count;
	}

	public By by() {
		return by;
	}

	/**
	 * The entries sorted by band (stable), DC first whatever its band: the order in which the
	 * engines run the frequencies so that a block of consecutive entries shares one band, hence one
	 * weight per step ({@link #runs}); DC first because its bias recurrence (MATH §8) is kept at entry 0.
	 */
	public int[] order() {
		final int size = band.length;
		final int[] start = new int[count + 1];
		for (int k = 1; k < size; k++) start[band[k] + 1]++;
		for (int b = 0; b < count; b++) start[b + 1] += start[b];
		final int[] out = new int[size];
		out[0] = 0;
		for (int k = 1; k < size; k++) out[1 + start[band[k]]++] = k;
		return out;
	}

	/** {@code v} in {@code order} (v itself when order is null: the identity). */
	public static double[] permuted(final double[] v, final int[] order) {
		if (order == null) return v;
		final double[] out = new double[order.length];
		for (int i = 0; i < order.length; i++) out[i] = v[order[i]];
		return out;
	}

	public static int[] permuted(final int[] v, final int[] order) {
		if (order == null) return v;
		final int[] out = new int[order.length];
		for (int i = 0; i < order.length; i++) out[i] = v[order[i]];
		return out;
	}

	/** Undoes {@link #permuted} in place: {@code v} in order → v in plane order (nothing when order is null). */
	public static void restore(final double[] v, final int[] order) {
		if (order == null) return;
		final double[] c = v.clone();
		for (int i = 0; i < order.length; i++) v[order[i]] = c[i];
	}

	/**
	 * Runs {from, to, band} of at most {@code block} consecutive entries of one band, covering [0, size):
	 * the parallel blocks of the engines. {@code bandInOrder} null: every entry in band 0.
	 */
	public static int[][] runs(final int[] bandInOrder, final int size, final int block) {
		final java.util.List<int[]> out = new java.util.ArrayList<>();
		int from = 0;
		while (from < size) {
			final int b = bandInOrder == null ? 0 : bandInOrder[from];
			int to = from + 1;
			while (to < size && to - from < block && (bandInOrder == null || bandInOrder[to] == b)) to++;
			out.add(new int[] { from, to, b });
			from = to;
		}
		return out.toArray(int[][]::new);
	}

	/** Lower edge of band b (radius in [0, 1], or λ). */
	public double lower(final int b) {
		return edges[b];
	}

	/** Upper edge of band b. */
	public double upper(final int b) {
		return edges[b + 1];
	}

	/** How many frequencies of the full grid band b holds. */
	public double members(final int b) {
		return members[b];
	}

	/**
	 * The heading of band b's weight column, as Tune Sampler Weights writes it and Posterior Sampling
	 * reads it back ({@link #parseHeading}): {@code frequency band 3 of 8}.
	 */
	public static String heading(final By by, final int b, final int count) {
		return by.key() + " band " + (b + 1) + " of " + count;
	}

	private static final java.util.regex.Pattern HEADING = java.util.regex.Pattern.compile("\\s*\"?(frequency|eigenvalue) band (\\d+) of (\\d+)\"?\\s*", java.util.regex.Pattern.CASE_INSENSITIVE);

	/** {by, band (0-based), count} of a heading written by {@link #heading}, or null if it is not one. */
	public static Object[] parseHeading(final String h) {
		final java.util.regex.Matcher m = HEADING.matcher(h == null ? "" : h);
		if (!m.matches()) return null;
		return new Object[] { By.parse(m.group(1)), Integer.parseInt(m.group(2)) - 1, Integer.parseInt(m.group(3)) };
	}
}
