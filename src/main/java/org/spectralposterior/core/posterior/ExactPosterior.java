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
 * ρλ &gt; 0; κ* = 0 and s*² = λ where the operator (or the prior) carries nothing, ρλ = 0.
 */
public final class ExactPosterior {

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
		for (int i = 0; i < n; i++) {
			final double denom = rho[i] * lambda[i] + var;
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
