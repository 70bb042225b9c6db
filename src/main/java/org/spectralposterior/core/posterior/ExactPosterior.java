package org.spectralposterior.core.posterior;

import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The exact posterior of x given v = A x + σ n for a Gaussian prior N(m, Σ) and a circulant A
 * (MATH §4.2). Per frequency it is Gaussian with
 * <pre>
 *   κ*_k = λ_k / (ρ_k λ_k + σ²),  mean κ*_k conj(h_k) V_k + (1 − κ*_k ρ_k) M_k,  s*²_k = λ_k σ² / (ρ_k λ_k + σ²).
 * </pre>
 * The mean is the Wiener filter. For σ = 0 the limits are taken exactly: κ* = 1/ρ and s*² = 0 where
 * ρλ &gt; 0; κ* = 0 and s*² = λ where the operator (or the prior) carries nothing, ρλ = 0. With σ = 0, a
 * transfer |h_k| ≤ {@link #RELATIVE_ZERO_TRANSFER}·max|h| counts as zero (FFT rounding of an exact zero).
 */
public final class ExactPosterior {

	/** With σ = 0, |h_k| at or below this fraction of max|h| counts as zero (see {@link #of}). */
	public static final double RELATIVE_ZERO_TRANSFER = 1e-10;

	private ExactPosterior() {}

	public static OutputLaw of(final GaussianPrior prior, final BlurOperator op, final double sigma) {
		if (!prior.plane().sameShape(op.plane())) {
			throw new IllegalArgumentException("The prior lives on a " + prior.plane() + " grid but the measurement is " + op.plane()
				+ "; build the prior with target size " + op.plane() + ".");
		}
		if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + sigma);
		final double[] lambda = prior.spectrum().values();
		final double[] rho = op.rho();
		final int n = lambda.length;
		final double[] kappa = new double[n], q = new double[n], s2 = new double[n];
		final double var = sigma * sigma;
		// σ = 0 divides by ρ_k. A transfer function that vanishes exactly (e.g. a 2×2 box blur on
		// the Nyquist row/column of an even grid) comes out of the FFT as ~1e-17, and κ* = 1/ρ would
		// then amplify the measurement by ~1e33. Treat |h_k| ≤ 1e-10·max|h| as a numerical zero of
		// the operator (numerical rank, as a pseudo-inverse does): there κ* = 0 and s*² = λ.
		double rhoMax = 0;
		for (final double r : rho) rhoMax = Math.max(rhoMax, r);
		final double rhoZero = var == 0 ? RELATIVE_ZERO_TRANSFER * RELATIVE_ZERO_TRANSFER * rhoMax : 0;
		for (int i = 0; i < n; i++) {
			final double denom = (rho[i] > rhoZero ? rho[i] : 0) * lambda[i] + var;
			if (denom > 0) {
				kappa[i] = lambda[i] / denom;
				s2[i] = lambda[i] * var / denom;
			}
			else {
				kappa[i] = 0;
				s2[i] = lambda[i];
			}
		}
		// The mean is constant, so M lives at DC only (MATH §1.1).
		q[0] = (1 - kappa[0] * rho[0]) * prior.meanDc();
		return new OutputLaw(op, kappa, q, s2);
	}
}
