package org.spectralposterior.core.diffusion.methods;

import org.spectralposterior.core.diffusion.Guidance;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.StepGrid;

/**
 * ΠGDM, noisy form (Song et al. 2023): 𝒦 = w G A*((1 − ᾱ_t)AA* + σ²I)⁻¹, i.e. r_t² = 1 − ᾱ_t
 * (MATH §7.2). Heuristic: the natural weight φ(1 − ᾱ_t)/sqrt(ᾱ_t) [R], which turns the likelihood
 * score into the change of x_s through Tweedie's formula.
 */
public final class Pigdm extends Method {

	public Pigdm() {
		super("pigdm", "PiGDM");
	}

	@Override
	public double heuristicWeight(final StepGrid grid, final int j) {
		final double abT = grid.abT[j], abS = grid.abS[j];
		// The ancestral φ = sqrt(ᾱ_s)β/(1 − ᾱ_t) whatever the base step: a property of the schedule
		// alone. This convention reproduces MATH §12 for η = 0 (1.4537452 at n = 20; the DDIM(0) φ
		// would give 1.6069).
		final double phi = abS >= 1 ? 1 : Math.sqrt(abS) * (1 - abT / abS) / (1 - abT);
		return phi * (1 - abT) / Math.sqrt(abT);
	}

	@Override
	public Guidance guidance(final StepGrid grid, final int j, final double sigma) {
		return new Guidance(1, 1, 0, 0, 1 - grid.abT[j], 0, sigma * sigma, false, false);
	}

	@Override
	public void check(final double sigma) {
		if (sigma == 0) {
			throw new IllegalArgumentException("PiGDM's noisy form divides by (1 − ᾱ_t)AA* + σ², which vanishes at the last steps wherever the measurement has no signal (a frequency the blur removes); "
				+ "it needs noise_sigma > 0. Use DDNM or CGDM for noiseless measurements.");
		}
	}
}
