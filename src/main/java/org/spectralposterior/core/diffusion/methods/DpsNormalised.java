package org.spectralposterior.core.diffusion.methods;

import org.spectralposterior.core.diffusion.Guidance;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.StepGrid;

/**
 * DPS as published: the step ζ'/‖v − A x̂0‖ times the gradient of the unsquared residual norm
 * (DPS2022 code), i.e. the linear DPS with w_t = ζ'/‖r_t‖: nonlinear, so its closed-form law is
 * linearised (MATH §7.3). Heuristic ζ' = 0.3 for images in [−1, 1] (the code's SR and deblurring configs).
 */
public final class DpsNormalised extends Dps {

	/** DPS code default ζ'. */
	public static final double ZETA = 0.3;

	public DpsNormalised() {
		super("dps-normalized", "DPS (residual-normalised)");
	}

	@Override
	public boolean linear() {
		return false;
	}

	@Override
	public boolean normalisedByResidual() {
		return true;
	}

	@Override
	public double heuristicWeight(final StepGrid grid, final int j) {
		return ZETA;
	}
}
