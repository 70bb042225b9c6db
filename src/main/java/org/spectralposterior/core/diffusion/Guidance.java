package org.spectralposterior.core.diffusion;

/**
 * What a guided method adds to the base step, as data (the analogue of a Butcher tableau): every
 * guided method of MATH §7.2/§7.4 adds 𝒦 (v − A y) with y = x̂0 (or x_t/sqrt(ᾱ_t) for ScoreALD), and
 * its gain at unit weight is
 * <pre>
 *   𝒦₁ = scale · (fG·G + fGamma·Γ + fI·I) · A* · (dAA·AA* + dAGammaA·AΓA* + dI·I)⁻¹,
 * </pre>
 * G and Γ the exact denoiser's gain and x0|x_t covariance at step t. The gain at weight w is w·𝒦₁:
 * every method is linear in its weight, which is what makes the tuning objective's gradient exact
 * (MATH §10). {@code pseudoInverse}: the inverse is A's thresholded pseudo-inverse convention — zero
 * where the bracket's eigenvalue is at most {@link #PINV_THRESHOLD} (DDNM's A†) — rather than zero
 * only where it vanishes. Each operator (convolution, super-resolution groups, inpainting) applies
 * this once, for every method.
 */
public record Guidance(double scale, double fG, double fGamma, double fI, double dAA, double dAGammaA, double dI, boolean pseudoInverse, boolean onXt) {

	/** Pseudo-inverse threshold on an eigenvalue of AA* (relative to a kernel summing to 1). */
	public static final double PINV_THRESHOLD = 1e-3;

	/** No guidance (unconditional steps). */
	public static final Guidance NONE = new Guidance(0, 0, 0, 0, 0, 0, 1, false, false);

	public boolean none() {
		return scale == 0;
	}

	/**
	 * The unit-weight gain κ₁ at one frequency (or one member of an aliasing group), given the
	 * denoiser gain g and Γ there and the group's eigenvalues of AA* and AΓA*: the gain is then
	 * κ₁·conj(a) for the operator's row a.
	 */
	public double kappa(final double g, final double gamma, final double aa, final double agammaa) {
		final double den = dAA * aa + dAGammaA * agammaa + dI;
		return den > (pseudoInverse ? PINV_THRESHOLD : 0) ? scale * (fG * g + fGamma * gamma + fI) / den : 0;
	}
}
