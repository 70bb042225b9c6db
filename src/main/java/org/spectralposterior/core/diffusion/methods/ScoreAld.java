package org.spectralposterior.core.diffusion.methods;

import org.spectralposterior.core.diffusion.Guidance;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.StepGrid;

/**
 * ScoreALD [R]: the likelihood of x_t itself, N(v; A x_t/sqrt(ᾱ_t), (σ² + γ_t²)I) with
 * γ_t² = (1 − ᾱ_t)/ᾱ_t, its gradient scaled by the annealed step ζ_t = w_t(σ² + γ_t²): the term
 * (w_t/sqrt(ᾱ_t)) A*(v − A x_t/sqrt(ᾱ_t)). Heuristic w_t = 1 − ᾱ_t/ᾱ_s (the strided β), the
 * annealed-Langevin rule "step ∝ noise level²".
 */
public final class ScoreAld extends Method {

	public ScoreAld() {
		super("scoreald", "ScoreALD");
	}

	@Override
	public double heuristicWeight(final StepGrid grid, final int j) {
		return 1 - grid.abT[j] / grid.abS[j];
	}

	@Override
	public Guidance guidance(final StepGrid grid, final int j, final double sigma) {
		return new Guidance(1 / Math.sqrt(grid.abT[j]), 0, 0, 1, 0, 0, 1, false, true);
	}
}
