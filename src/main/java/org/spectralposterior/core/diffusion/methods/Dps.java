package org.spectralposterior.core.diffusion.methods;

import org.spectralposterior.core.diffusion.Guidance;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.StepGrid;

/**
 * DPS in its linear form (Chung et al. 2023): x_s = base + w J_tᵀAᵀ(v − A x̂0), J_t = ∂x̂0/∂x_t = G
 * under a Gaussian prior, so 𝒦 = w G A* (MATH §7.2). Heuristic w ≡ 1.
 */
public class Dps extends Method {

	static final Guidance UNIT = new Guidance(1, 1, 0, 0, 0, 0, 1, false, false);

	public Dps() {
		super("dps", "DPS");
	}

	protected Dps(final String key, final String label) {
		super(key, label);
	}

	@Override
	public double heuristicWeight(final StepGrid grid, final int j) {
		return 1;
	}

	@Override
	public Guidance guidance(final StepGrid grid, final int j, final double sigma) {
		return UNIT;
	}
}
