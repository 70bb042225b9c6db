package org.spectralposterior.core.metric;

import java.util.ArrayList;
import java.util.List;

import org.spectralposterior.core.fourier.HalfPlane;

/**
 * W2² from a sampler's output law (seen only through samples) to a circulant Gaussian target, for
 * samplers without a closed form (the residual-normalised DPS run step by step). The output law is
 * modelled per frequency by its empirical mean and variance — exact for the linear samplers, whose
 * outputs are Gaussian and independent across frequencies, an approximation otherwise. The estimate
 * is bias-corrected by the jackknife over samples, which also gives the 95% confidence interval
 * (±1.96 jackknife standard errors). Samples are kept as float spectra for the jackknife.
 * <p>
 * W2² ≥ 0, but the bias-corrected value and its symmetric interval are not: with few samples of a
 * sampler close to the target the plug-in bias (≈ tr Σ / s, large in high dimension) dominates and
 * the corrected value scatters around the small true value, often below 0 (a run printed
 * [−145 831, 557 136]). Both are therefore truncated at 0. Truncating an interval to the parameter
 * space cannot lose coverage — the true W2² lies in [max(0, lo), hi] whenever it lies in [lo, hi] —
 * so the reported interval keeps its 95% level and only drops impossible values.
 */
public final class MonteCarloW2 {

	private final HalfPlane plane;
	private final double[] targetMean, targetStd;
	private final List<float[]> samples = new ArrayList<>();

	/** @param targetMean complex half-plane spectrum of the target mean; @param targetVar its per-frequency variance */
	public MonteCarloW2(final HalfPlane plane, final double[] targetMean, final double[] targetVar) {
		this.plane = plane;
		this.targetMean = targetMean.clone();
		targetStd = new double[targetVar.length];
		for (int i = 0; i < targetVar.length; i++) targetStd[i] = Math.sqrt(targetVar[i]);
	}

	public void add(final double[] spectrum) {
		final float[] f = new float[spectrum.length];
		for (int i = 0; i < f.length; i++) f[i] = (float) spectrum[i];
		samples.add(f);
	}

	public int count() {
		return samples.size();
	}

	/**
	 * @param w2Squared the bias-corrected estimate, truncated at 0
	 * @param low lower 95% bound, ≥ 0; @param high upper 95% bound
	 */
	public record Estimate(double w2Squared, double low, double high, int samples) {

		/** How the figures were obtained, in words for a results table. */
		public static final String METHOD = "jackknife bias-corrected plug-in over per-frequency means and variances; 95% interval ±1.96 jackknife SE, truncated at 0";

		public Estimate scaled(final double factor) {
			return new Estimate(w2Squared * factor, low * factor, high * factor, samples);
		}
	}

	public Estimate estimate() {
		final int s = samples.size();
		if (s < 3) throw new IllegalArgumentException("A Monte-Carlo W2 needs at least 3 samples, got " + s + ".");
		final int n = plane.size;
		final double[] sum = new double[2 * n], sq = new double[n];
		for (final float[] x : samples) {
			for (int k = 0; k < n; k++) {
				sum[2 * k] += x[2 * k];
				sum[2 * k + 1] += x[2 * k + 1];
				sq[k] += (double) x[2 * k] * x[2 * k] + (double) x[2 * k + 1] * x[2 * k + 1];
			}
		}
		return jackknife(s, 0, i -> plugIn(sum, sq, s, i < 0 ? null : samples.get(i)));
	}

	/**
	 * The jackknife over s samples of a plug-in {@code plugIn(i)} (i < 0: all samples, else sample i
	 * left out): the bias-corrected value s·full − (s − 1)·mean(leave-one-out) and ±1.96 standard
	 * errors, the random part truncated at 0, plus an exactly known part {@code exact} ≥ 0.
	 */
	static Estimate jackknife(final int s, final double exact, final java.util.function.IntToDoubleFunction plugIn) {
		final double full = plugIn.applyAsDouble(-1);
		final double[] loo = new double[s];
		double mean = 0;
		for (int i = 0; i < s; i++) {
			loo[i] = plugIn.applyAsDouble(i);
			mean += loo[i] / s;
		}
		double var = 0;
		for (final double l : loo) var += (l - mean) * (l - mean);
		final double se = Math.sqrt((s - 1.0) / s * var);
		final double corrected = s * full - (s - 1) * mean;
		return new Estimate(exact + Math.max(0, corrected), exact + Math.max(0, corrected - 1.96 * se), exact + Math.max(0, corrected + 1.96 * se), s);
	}

	/** Plug-in W2² from the sums, optionally leaving one sample out. */
	private double plugIn(final double[] sum, final double[] sq, final int s, final float[] out) {
		final int m = out == null ? s : s - 1;
		double total = 0;
		for (int k = 0; k < plane.size; k++) {
			double sr = sum[2 * k], si = sum[2 * k + 1], q = sq[k];
			if (out != null) {
				sr -= out[2 * k];
				si -= out[2 * k + 1];
				q -= (double) out[2 * k] * out[2 * k] + (double) out[2 * k + 1] * out[2 * k + 1];
			}
			final double mr = sr / m, mi = si / m;
			// Unbiased E|X − mean|² (one complex degree of freedom per sample, or one real one at
			// self-conjugate frequencies: the same m − 1 normalisation either way).
			final double v = Math.max(0, (q - m * (mr * mr + mi * mi)) / (m - 1));
			final double dr = mr - targetMean[2 * k], di = mi - targetMean[2 * k + 1];
			final double ds = Math.sqrt(v) - targetStd[k];
			total += plane.multiplicity(k) * (dr * dr + di * di + ds * ds);
		}
		return total;
	}
}
