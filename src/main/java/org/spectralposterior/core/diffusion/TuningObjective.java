package org.spectralposterior.core.diffusion;

import java.util.function.BooleanSupplier;

/**
 * ℒ(w) = E_v W2²(sampler law, posterior) as an exact function of the per-step weights (execution
 * order), with its exact gradient (MATH §9.3, §10): what {@link WeightTuner} minimises, for a blur
 * ({@link WeightObjective}) or super-resolution ({@link SuperResolutionObjective}).
 */
public interface TuningObjective {

	/** ℒ(w), and its gradient into {@code grad} when not null; polls {@code cancelled}. */
	double evaluate(double[] w, double[] grad, BooleanSupplier cancelled);

	default double value(final double[] w) {
		return evaluate(w, null, () -> false);
	}

	int steps();

	Method method();

	int[] timesteps();

	double[] heuristicWeights();
}
