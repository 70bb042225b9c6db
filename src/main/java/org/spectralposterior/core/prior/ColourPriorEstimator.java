package org.spectralposterior.core.prior;

import java.util.List;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;

/**
 * Estimates a {@link ColourPrior} from C-channel exemplars, the cross-channel generalisation of
 * {@link PriorEstimator}: each exemplar j gives the texton vector t_j = (per(u_{j,c}) − μ_c)/sqrt(hw)
 * zero-padded into the target grid, and Σ(k) = (1/J) Σ_j T_j(k) T_j(k)* with T_j = fft(t_j) (the
 * colour ADSN when J = 1: rank one at every frequency, a single colour direction per frequency; the
 * averaged periodogram when J ≥ C: full rank in general). The smoothed estimator tapers every
 * cross-covariance c_cd(τ) by the same Parzen window, which averages neighbouring rank-one blocks and
 * so gives full-rank blocks from a single exemplar.
 * <p>
 * Exemplars are given as {@code exemplars.get(j)[c]}, row-major height×width per channel.
 */
public final class ColourPriorEstimator {

	private ColourPriorEstimator() {}

	public static ColourPrior estimate(final PriorEstimator.Estimator estimator, final List<double[][]> exemplars, final int height, final int width, final int targetHeight,
		final int targetWidth) {
		if (exemplars.isEmpty()) throw new IllegalArgumentException("No exemplar given: a prior needs at least one image");
		final int n = exemplars.get(0).length;
		if (n < 2) throw new IllegalArgumentException("A colour prior needs at least 2 channels, got " + n + "; use the per-channel (grey) model.");
		final List<double[][]> used = estimator == PriorEstimator.Estimator.ADSN ? exemplars.subList(0, 1) : exemplars;
		final double[] mean = new double[n];
		for (int c = 0; c < n; c++) {
			final int channel = c;
			try {
				mean[c] = PriorEstimator.checkedMean(used.stream().map(x -> x[channel]).toList(), height, width, targetHeight, targetWidth);
			}
			catch (final IllegalArgumentException e) {
				throw new IllegalArgumentException("Channel " + (c + 1) + ": " + e.getMessage(), e);
			}
		}
		final HalfPlane target = new HalfPlane(targetHeight, targetWidth);
		final RealFft2 fft = new RealFft2(target);
		final double[] padded = new double[target.pixels];
		final double[][] t = new double[n][];
		for (int c = 0; c < n; c++) t[c] = fft.newSpectrum();
		final double[] blocks = new double[target.size * 2 * n * n];
		// As in the grey estimator: |fft t|² with t = (per(x) − μ)/sqrt(hw) is D/(hw) times the unitary
		// |F x̃|², averaged over the J exemplars.
		final double factor = (double) target.pixels / ((double) height * width) / used.size();
		for (final double[][] x : used) {
			if (x.length != n) throw new IllegalArgumentException("All exemplars must have " + n + " channels");
			for (int c = 0; c < n; c++) {
				final double[] p = PeriodicComponent.of(x[c], height, width);
				java.util.Arrays.fill(padded, 0);
				for (int r = 0; r < height; r++) for (int col = 0; col < width; col++) padded[r * targetWidth + col] = p[r * width + col] - mean[c];
				fft.forward(padded, t[c]);
			}
			for (int k = 0; k < target.size; k++) {
				final int o = k * 2 * n * n;
				for (int a = 0; a < n; a++) {
					final double ar = t[a][2 * k], ai = t[a][2 * k + 1];
					for (int b = 0; b < n; b++) {
						final double br = t[b][2 * k], bi = -t[b][2 * k + 1];
						blocks[o + 2 * (a * n + b)] += factor * (ar * br - ai * bi);
						blocks[o + 2 * (a * n + b) + 1] += factor * (ar * bi + ai * br);
					}
				}
			}
		}
		if (estimator == PriorEstimator.Estimator.SMOOTHED) {
			final double[] spec = fft.newSpectrum();
			for (int a = 0; a < n; a++) {
				for (int b = 0; b < n; b++) {
					for (int k = 0; k < target.size; k++) {
						spec[2 * k] = blocks[k * 2 * n * n + 2 * (a * n + b)];
						spec[2 * k + 1] = blocks[k * 2 * n * n + 2 * (a * n + b) + 1];
					}
					PriorEstimator.taper(fft, spec, padded, height, width);
					for (int k = 0; k < target.size; k++) {
						blocks[k * 2 * n * n + 2 * (a * n + b)] = spec[2 * k];
						blocks[k * 2 * n * n + 2 * (a * n + b) + 1] = spec[2 * k + 1];
					}
				}
			}
		}
		return new ColourPrior(target, mean, blocks);
	}
}
