package org.spectralposterior.core.diffusion.methods;

import org.spectralposterior.core.diffusion.Guidance;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.StepGrid;

/**
 * DDNM, paper form (Wang et al. 2023): x̃0 = x̂0 + w A†(v − A x̂0) in a base step, 𝒦 = φ w A†, with
 * A† the thresholded pseudo-inverse. The weight is the fraction of the range-space correction, so
 * it lies in [0, 1]. Heuristic w ≡ 1.
 */
public final class Ddnm extends Method {

	public Ddnm() {
		super("ddnm", "DDNM");
	}

	@Override
	public double heuristicWeight(final StepGrid grid, final int j) {
		return 1;
	}

	@Override
	public double maxWeight() {
		return 1;
	}

	@Override
	public Guidance guidance(final StepGrid grid, final int j, final double sigma) {
		return new Guidance(grid.phi[j], 0, 0, 1, 1, 0, 0, true, false);
	}
}
