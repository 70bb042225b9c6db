package org.spectralposterior.core.diffusion.methods;

import org.spectralposterior.core.diffusion.Guidance;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.StepGrid;

/** A method without guidance weights: its steps are the base step (its start or its rule do the conditioning). */
abstract class Unguided extends Method {

	Unguided(final String key, final String label) {
		super(key, label);
	}

	@Override
	public final boolean tunable() {
		return false;
	}

	@Override
	public final double heuristicWeight(final StepGrid grid, final int j) {
		return 0;
	}

	@Override
	public final Guidance guidance(final StepGrid grid, final int j, final double sigma) {
		return Guidance.NONE;
	}
}
