package org.spectralposterior.core.diffusion.methods;

import org.spectralposterior.core.diffusion.Guidance;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.StepGrid;

/**
 * CGDM, the exact conditional score: x̃0 = x̂0 + Γ_t A*(AΓ_tA* + σ²I)⁻¹(v − A x̂0) = E[x0 | x_t, v] in a
 * base step, so 𝒦 = w φ Γ_t A*(AΓ_tA* + σ²I)⁻¹ (the oracle of MATH §7.2). Heuristic w ≡ 1.
 */
public final class Cgdm extends Method {

	public Cgdm() {
		super("cgdm", "CGDM (exact conditional score)");
	}

	@Override
	public double heuristicWeight(final StepGrid grid, final int j) {
		return 1;
	}

	@Override
	public Guidance guidance(final StepGrid grid, final int j, final double sigma) {
		return new Guidance(grid.phi[j], 0, 1, 0, 0, 1, sigma * sigma, false, false);
	}
}
