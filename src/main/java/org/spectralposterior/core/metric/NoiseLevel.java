package org.spectralposterior.core.metric;

import java.util.Arrays;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * An estimate of the white-noise level σ of a measurement v = A x + σ n from v itself, for real images
 * whose σ nobody recorded.
 * <p>
 * The finest diagonal Haar detail d = (v₀₀ − v₀₁ − v₁₀ + v₁₁)/2 over disjoint 2×2 blocks is an
 * orthonormal filter: white noise passes with variance σ², constants not at all. Donoho's robust scale
 * median|d|/0.6745 estimates the detail's standard deviation while ignoring a minority of large
 * coefficients (edges, specks). Under a stationary prior the detail also holds signal, of variance
 * s = (1/D) Σ_k ρ_k λ_k |F(k)|² with |F(k)|² = 4 sin²(ω_x/2) sin²(ω_y/2), which for a texture with
 * pixel-scale structure and no blur is not small; the estimate subtracts it:
 * σ̂² = max(0, (median|d|/0.6745)² − s). Without a prior (s = 0) it is Donoho's estimator, an upper
 * bound wherever the image has detail at the pixel scale. The median's relative spread is about
 * 1.25/√(blocks); once subtracted, the error in σ̂² is that spread times σ² + s, so σ is resolved
 * when σ² is not far below s (a texture at full resolution with very little noise is not).
 */
public final class NoiseLevel {

	/** The median of |N(0, 1)|: median|d| / this is σ for Gaussian d. */
	static final double MAD_NORMAL = 0.6744897501960817;

	private NoiseLevel() {}

	/** The diagonal Haar details of every complete 2×2 block without NaN (missing pixels). */
	static double[] details(final double[] v, final int width, final int height) {
		final double[] d = new double[(width / 2) * (height / 2)];
		int n = 0;
		for (int y = 0; y + 1 < height; y += 2) {
			for (int x = 0; x + 1 < width; x += 2) {
				final double a = v[y * width + x], b = v[y * width + x + 1], c = v[(y + 1) * width + x], e = v[(y + 1) * width + x + 1];
				final double h = (a - b - c + e) / 2;
				if (!Double.isNaN(h)) d[n++] = h;
			}
		}
		return Arrays.copyOf(d, n);
	}

	/** (median|d|/0.6745)² over the given planes together: the detail's robust variance. */
	public static double detailVariance(final double[][] planes, final int width, final int height) {
		final double[][] parts = new double[planes.length][];
		int total = 0;
		for (int i = 0; i < planes.length; i++) total += (parts[i] = details(planes[i], width, height)).length;
		final double[] all = new double[total];
		for (int i = 0, o = 0; i < parts.length; o += parts[i].length, i++) System.arraycopy(parts[i], 0, all, o, parts[i].length);
		if (all.length < 8) throw new IllegalArgumentException("The noise level cannot be estimated from fewer than 8 complete 2×2 blocks of observed pixels; give noise_sigma explicitly.");
		for (int i = 0; i < all.length; i++) all[i] = Math.abs(all[i]);
		Arrays.sort(all);
		final int m = all.length / 2;
		final double median = all.length % 2 == 1 ? all[m] : 0.5 * (all[m - 1] + all[m]);
		final double s = median / MAD_NORMAL;
		return s * s;
	}

	/** The variance the prior's signal, seen through the operator's ρ = |h|² (null: no operator), puts into the detail. */
	public static double signalDetailVariance(final GaussianPrior prior, final double[] rho) {
		final HalfPlane plane = prior.plane();
		final double[] lam = prior.spectrum().values();
		double s = 0;
		for (int k = 0; k < plane.size; k++) {
			final double wx = 2 * Math.PI * plane.freqCol(k) / plane.width, wy = 2 * Math.PI * plane.freqRow(k) / plane.height;
			final double sx = Math.sin(wx / 2), sy = Math.sin(wy / 2);
			s += plane.multiplicity(k) * (rho == null ? 1 : rho[k]) * lam[k] * 4 * sx * sx * sy * sy;
		}
		return s / plane.pixels;
	}

	/** σ̂ from the planes' robust detail variance minus the signal's share (see the class comment). */
	public static double sigma(final double detailVariance, final double signalVariance) {
		return Math.sqrt(Math.max(0, detailVariance - signalVariance));
	}
}
