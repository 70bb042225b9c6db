package org.spectralposterior.core.continuous;

/**
 * The variance-preserving SDE of Pierret–Galerne (MATH §11): dx = −β_t x dt + √(2β_t) dw on [0, T], T = 1,
 * β_t = β_min + (β_max − β_min) t, B_t = ∫_0^t β. For data N(0, Σ) every law along the forward and the
 * backward dynamics is N(0, ·) and diagonal in Σ's eigenbasis, so everything here is per eigenvalue λ.
 */
public final class VpSde {

	public static final double BETA_MIN = 0.05, BETA_MAX = 10, T = 1;

	private VpSde() {}

	public static double beta(final double t) {
		return BETA_MIN + (BETA_MAX - BETA_MIN) * t;
	}

	public static double bigB(final double t) {
		return BETA_MIN * t + (BETA_MAX - BETA_MIN) * t * t / 2;
	}

	/** λ^{(t)} = e^{−2B_t} λ + 1 − e^{−2B_t}: the eigenvalue of the diffused data covariance Σ_t (MATH §11). */
	public static double diffused(final double lambda, final double t) {
		// a·λ + (1 − a) with 1 − a from expm1: (λ + 1) − 1 would lose tiny eigenvalues (singular-ish priors hold
		// λ ~ 1e-29) near t = 0, where ℓ must tend to λ exactly for the truncation error and for 1/ℓ.
		final double twoB = 2 * bigB(t);
		return Math.exp(-twoB) * lambda - Math.expm1(-twoB);
	}

	/**
	 * Variance at forward time t of the exact backward SDE started at time T from N(0, v0) (poster Prop. 1):
	 * y = e^{−(B_T−B_t)} ℓ_t/ℓ_T y_0 + ξ with Var ξ = ℓ_t − e^{−2(B_T−B_t)} ℓ_t²/ℓ_T, so
	 * Var y = ℓ_t + e^{−2(B_T−B_t)} (ℓ_t/ℓ_T)² (v0 − ℓ_T). With v0 = 1 this is MATH §11's Σ^SDE_t; with v0 = ℓ_T it is ℓ_t.
	 */
	public static double sdeVariance(final double lambda, final double t, final double v0) {
		final double lt = diffused(lambda, t), lT = diffused(lambda, T), r = lt / lT;
		return lt + Math.exp(-2 * (bigB(T) - bigB(t))) * r * r * (v0 - lT);
	}

	/** Variance at forward time t of the exact probability-flow ODE from N(0, v0) at T (poster Prop. 1): y = (ℓ_t/ℓ_T)^½ y_0. */
	public static double odeVariance(final double lambda, final double t, final double v0) {
		return diffused(lambda, t) / diffused(lambda, T) * v0;
	}
}
