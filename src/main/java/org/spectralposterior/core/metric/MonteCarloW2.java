package org.spectralposterior.core.metric;

import java.util.ArrayList;
import java.util.List;

import org.spectralposterior.core.fourier.HalfPlane;

/**
 * W2² from a sampler's output law (seen only through samples) to a circulant Gaussian target, for
 * samplers without a closed form (the residual-normalised DPS run step by step). The output law is
 * modelled per frequency by its mean and variance — exact for the linear samplers, whose outputs are
 * Gaussian and independent across frequencies, an approximation otherwise.
 * <p>
 * The estimate is unbiased under that Gaussian model, term by term: with m samples, sample mean x̄ and
 * unbiased variance v̂ (k = 2(m − 1) real degrees of freedom, m − 1 at a self-conjugate frequency),
 * ‖μ − μ*‖² is estimated by ‖x̄ − μ*‖² − v̂/m, and (√v − s*)² = v − 2s*√v + s*² by v̂ − 2s*·√v̂/c_k + s*², where
 * c_k = E√(χ²_k/k) = √(2/k)·Γ((k+1)/2)/Γ(k/2) makes √v̂/c_k unbiased for √v. [R] The former plug-in with a
 * jackknife bias correction assumed a bias in 1/m; with 4 samples of a sampler whose std is 20 % below the
 * posterior's its bias was larger than the value and the correction overshot: 1.98·10⁶ [1.75, 2.20]·10⁶ for an
 * exact 3.68·10⁶ (40 samples: 3.686·10⁶ [3.658, 3.714]·10⁶).
 * <p>
 * The 95% interval is ± t_{0.975, m−1} jackknife standard errors (the t quantile: with 4 samples the
 * standard error itself rests on 3 degrees of freedom). W2² ≥ 0 but an unbiased estimate and a symmetric
 * interval are not, so both are truncated at 0; truncating an interval to the parameter space cannot
 * lose coverage — the true W2² lies in [max(0, lo), hi] whenever it lies in [lo, hi]. Samples are kept
 * as float spectra for the jackknife.
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
		public static final String METHOD = "unbiased per-frequency estimate (Gaussian output law); 95% interval ± t(0.975, samples − 1) jackknife SE, truncated at 0";

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
		return unbiased(s, 0, i -> plugIn(sum, sq, s, i < 0 ? null : samples.get(i)));
	}

	/**
	 * An unbiased estimate {@code estimator(-1)} from s samples (and {@code estimator(i)}: the same with
	 * sample i left out) with its 95% interval: ± t_{0.975, s−1} jackknife standard errors, the random part
	 * truncated at 0, plus an exactly known part {@code exact} ≥ 0.
	 */
	static Estimate unbiased(final int s, final double exact, final java.util.function.IntToDoubleFunction estimator) {
		final double full = estimator.applyAsDouble(-1);
		final double[] loo = new double[s];
		double mean = 0;
		for (int i = 0; i < s; i++) {
			loo[i] = estimator.applyAsDouble(i);
			mean += loo[i] / s;
		}
		double var = 0;
		for (final double l : loo) var += (l - mean) * (l - mean);
		final double se = Math.sqrt((s - 1.0) / s * var), t = t975(s - 1);
		return new Estimate(exact + Math.max(0, full), exact + Math.max(0, full - t * se), exact + Math.max(0, full + t * se), s);
	}

	private static final double[] T975 = { Double.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093,
		2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042 };

	/** Student's t 0.975 quantile for {@code dof} degrees of freedom (tabulated to 30, then 1.96 + 2.4/dof, within 0.002). */
	static double t975(final int dof) {
		return dof < T975.length ? T975[Math.max(1, dof)] : 1.96 + 2.4 / dof;
	}

	/** c_k = E√(χ²_k / k) = √(2/k)·Γ((k+1)/2)/Γ(k/2), by the recurrence of the Γ ratio in k (k ≥ 1). */
	static double chiMeanFactor(final int k) {
		// r(k) = Γ((k+1)/2)/Γ(k/2): r(1) = 1/√π, r(2) = √π/2, r(k+2) = r(k)·(k+1)/k.
		double r = k % 2 == 1 ? 1 / Math.sqrt(Math.PI) : Math.sqrt(Math.PI) / 2;
		for (int j = k % 2 == 1 ? 1 : 2; j < k; j += 2) r *= (j + 1.0) / j;
		return Math.sqrt(2.0 / k) * r;
	}

	/**
	 * An unbiased estimate of (√v − target)² from v̂, unbiased for v with k degrees of freedom (Gaussian
	 * samples), given c = {@link #chiMeanFactor}(k) (computed once per estimate by the callers: it costs O(k)).
	 */
	static double squaredStdGap(final double vHat, final double c, final double target) {
		return vHat - 2 * target * Math.sqrt(vHat) / c + target * target;
	}

	/** The unbiased W2² estimate from the sums, optionally leaving one sample out. */
	private double plugIn(final double[] sum, final double[] sq, final int s, final float[] out) {
		final int m = out == null ? s : s - 1;
		final double cComplex = chiMeanFactor(2 * (m - 1)), cReal = chiMeanFactor(m - 1);
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
			// A self-conjugate frequency (multiplicity 1: DC, Nyquist) is real: half the degrees of freedom.
			final double c = plane.multiplicity(k) == 1 ? cReal : cComplex;
			total += plane.multiplicity(k) * (dr * dr + di * di - v / m + squaredStdGap(v, c, targetStd[k]));
		}
		return total;
	}
}
