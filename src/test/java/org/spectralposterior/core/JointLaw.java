package org.spectralposterior.core;

import org.spectralposterior.core.fourier.HalfPlane;

/**
 * Correlation statistics for the joint law of random fields (test support). Under the null
 * hypothesis — independent standardised entries — each returned correlation is a mean of N products
 * of independent unit-variance variables, so its standard deviation is 1/√N; tests compare the
 * largest of a few dozen against 5/√N, which independent fields exceed with probability well below
 * 10⁻⁴, and fields drawn from shifted streams exceed at once (their correlations are 0.5 to 1).
 */
public final class JointLaw {

	private JointLaw() {}

	/** Frequency offsets (rows, columns) that a row-per-stream or a one-draw shift would correlate. */
	public static final int[][] SPECTRAL_OFFSETS = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 }, { 1, -1 }, { 2, 0 }, { 0, 2 }, { -1, 1 } };

	/**
	 * The largest |correlation| between the components (re, im) of whitened half-plane spectra a and b
	 * at frequencies k and k + d, over the offsets given, each component pair separately (a shifted
	 * stream correlates re with im). Columns 0 and W/2 (paired draws) are left out; with
	 * {@code sameField} the zero offset is skipped for the re·re and im·im pairs (a variance, not a
	 * correlation), and the re·im pair too (independent by construction, tested elsewhere).
	 *
	 * @return {max |corr|, N of the smallest sample}
	 */
	public static double[] maxSpectralCorrelation(final HalfPlane plane, final double[] a, final double[] b, final boolean sameField, final int[][] offsets) {
		final int h = plane.height, cols = plane.cols;
		double worst = 0;
		long minN = Long.MAX_VALUE;
		for (final int[] d : offsets) {
			if (sameField && d[0] == 0 && d[1] == 0) continue;
			final double[] sum = new double[4];
			long n = 0;
			for (int r = 0; r < h; r++) {
				for (int c = 1; c < cols - 1; c++) {
					final int r2 = Math.floorMod(r + d[0], h), c2 = c + d[1];
					if (c2 < 1 || c2 >= cols - 1) continue;
					final int i = 2 * (r * cols + c), j = 2 * (r2 * cols + c2);
					sum[0] += a[i] * b[j];
					sum[1] += a[i] * b[j + 1];
					sum[2] += a[i + 1] * b[j];
					sum[3] += a[i + 1] * b[j + 1];
					n++;
				}
			}
			// Each component of a whitened entry has variance 1/2.
			for (final double s : sum) worst = Math.max(worst, Math.abs(s / n / 0.5));
			minN = Math.min(minN, n);
		}
		return new double[] { worst, minN };
	}

	/**
	 * The largest |correlation| between pixel fields a and b (each of unit variance and zero mean
	 * under the null) at pixels (x, y) and (x + dx, y + dy), over the offsets given (circularly), with
	 * the zero offset skipped when {@code sameField}.
	 */
	public static double[] maxPixelCorrelation(final int w, final int h, final double[] a, final double[] b, final boolean sameField, final int[][] offsets) {
		double worst = 0;
		for (final int[] d : offsets) {
			if (sameField && d[0] == 0 && d[1] == 0) continue;
			double s = 0;
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) s += a[y * w + x] * b[Math.floorMod(y + d[0], h) * w + Math.floorMod(x + d[1], w)];
			}
			worst = Math.max(worst, Math.abs(s / (w * (double) h)));
		}
		return new double[] { worst, w * (double) h };
	}

	/** (x − mean) / sqrt(s2) per frequency, in place on a copy; entries with s2 ≈ 0 set to 0. */
	public static double[] whiten(final HalfPlane plane, final double[] x, final double[] mean, final double[] s2) {
		double max = 0;
		for (final double s : s2) max = Math.max(max, s);
		final double[] out = new double[x.length];
		for (int k = 0; k < plane.size; k++) {
			if (!(s2[k] > 1e-12 * max)) continue;
			final double f = 1 / Math.sqrt(s2[k]);
			out[2 * k] = (x[2 * k] - mean[2 * k]) * f;
			out[2 * k + 1] = (x[2 * k + 1] - mean[2 * k + 1]) * f;
		}
		return out;
	}
}
