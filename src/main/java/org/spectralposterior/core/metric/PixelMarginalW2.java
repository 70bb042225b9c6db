package org.spectralposterior.core.metric;

import java.util.ArrayList;
import java.util.List;

/**
 * A Monte-Carlo W2² from a sampler's Gaussian output law N(m, S), m known exactly (the noise-free
 * pass) and S seen only through samples, to a target N(μ*, Σ*) that no basis diagonalises but whose
 * pixel variances are known exactly (the inpainting posterior). What is estimated, and why:
 * <p>
 * For any coupling of X ~ N(m, S) and Y ~ N(μ*, Σ*), E‖X − Y‖² = Σ_p E(X_p − Y_p)² ≥ Σ_p W2²(X_p, Y_p),
 * each term the 1-D Gaussian W2² of the pixel marginals. Hence
 * <pre>
 *   W2² ≥ L = ‖m − μ*‖² + Σ_p (sqrt(S_pp) − sqrt(Σ*_pp))²,
 * </pre>
 * with equality when the optimal coupling acts pixel by pixel (e.g. S and Σ* both diagonal in
 * pixels). The full Bures term tr S + tr Σ* − 2 tr(Σ*^{1/2} S Σ*^{1/2})^{1/2} has no usable sample
 * estimator when the samples are far fewer than the pixels: the empirical Ŝ has rank s, and for
 * S = Σ* = I_d the plug-in gives ≈ 2d − 2√(sd) instead of 0, a bias no O(1/s) correction removes.
 * L needs only per-pixel variances, which s samples estimate at rate 1/s in every pixel. Its mean
 * part is exact; the pixel part is the jackknife bias-corrected plug-in with sample variances about
 * the exact mean (s degrees of freedom), with a ±1.96 jackknife SE interval truncated at 0 (as in
 * {@link MonteCarloW2}). So the interval's lower end is also a 95% lower confidence bound on W2²
 * itself; its upper end bounds only L.
 */
public final class PixelMarginalW2 {

	/** How the figures were obtained, in words for a results table. */
	public static final String METHOD = "lower bound: W2^2 of the pixel marginals (exact mean part + jackknife bias-corrected sum of (sample std − exact posterior std)²; 95% interval ±1.96 jackknife SE, truncated at 0); W2^2 ≥ this";

	private final double[] lawMean, targetStd;
	private final double meanPart;
	private final List<float[]> deviations = new ArrayList<>();

	/**
	 * @param lawMean the sampler law's exact mean; @param targetMean the target's mean;
	 * @param targetVariance the target's exact per-pixel variances
	 */
	public PixelMarginalW2(final double[] lawMean, final double[] targetMean, final double[] targetVariance) {
		if (lawMean.length != targetMean.length || lawMean.length != targetVariance.length) throw new IllegalArgumentException("The law's mean, the target's mean and its variances must have one value per pixel: got " + lawMean.length + ", " + targetMean.length + ", " + targetVariance.length + ".");
		this.lawMean = lawMean.clone();
		targetStd = new double[targetVariance.length];
		double mp = 0;
		for (int p = 0; p < lawMean.length; p++) {
			targetStd[p] = Math.sqrt(Math.max(0, targetVariance[p]));
			mp += (lawMean[p] - targetMean[p]) * (lawMean[p] - targetMean[p]);
		}
		meanPart = mp;
	}

	/** One sample of the law (pixels). Kept as float squared deviations from the exact mean. */
	public void add(final double[] sample) {
		if (sample.length != lawMean.length) throw new IllegalArgumentException("A sample has " + sample.length + " pixels, the law " + lawMean.length + ".");
		final float[] f = new float[sample.length];
		for (int p = 0; p < f.length; p++) {
			final double e = sample[p] - lawMean[p];
			f[p] = (float) (e * e);
		}
		deviations.add(f);
	}

	public int count() {
		return deviations.size();
	}

	/** The exact mean part ‖m − μ*‖². */
	public double meanPart() {
		return meanPart;
	}

	public MonteCarloW2.Estimate estimate() {
		final int s = deviations.size();
		if (s < 3) throw new IllegalArgumentException("A Monte-Carlo W2 needs at least 3 samples, got " + s + ".");
		final int d = lawMean.length;
		final double[] sum = new double[d];
		for (final float[] f : deviations) for (int p = 0; p < d; p++) sum[p] += f[p];
		// Deviations from the exactly known mean: v̂ = Σ d²/m is unbiased with m degrees of freedom.
		return MonteCarloW2.unbiased(s, meanPart, i -> {
			final float[] out = i < 0 ? null : deviations.get(i);
			final int m = out == null ? s : s - 1;
			final double c = MonteCarloW2.chiMeanFactor(m);
			double total = 0;
			for (int p = 0; p < d; p++) total += MonteCarloW2.squaredStdGap(Math.max(0, (sum[p] - (out == null ? 0 : out[p])) / m), c, targetStd[p]);
			return total;
		});
	}
}
