package org.spectralposterior.core.diffusion.methods;

import org.spectralposterior.core.diffusion.StepGrid;

/**
 * DDRM (Kawar et al. 2022; MATH §7.5, checked against the authors' {@code efficient_generalized_steps}):
 * in A's spectral coordinates, per coordinate one of three updates by how the step's noise level
 * compares with the measurement's, with η = 0.85 and η_b = 1 as published (η = eta with
 * base_step = ddim). No per-step weights.
 */
public final class Ddrm extends Unguided {

	/** The published η and η_b. */
	public static final double ETA = 0.85, ETA_B = 1;

	public Ddrm() {
		super("ddrm", "DDRM");
	}

	@Override
	public Start start() {
		return Start.SPECTRAL;
	}

	@Override
	public SpectralRule spectralRule(final StepGrid grid) {
		return new SpectralRule(grid.base == org.spectralposterior.core.diffusion.BaseStep.DDIM ? grid.eta : ETA, ETA_B);
	}
}
