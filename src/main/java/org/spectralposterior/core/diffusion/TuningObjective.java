package org.spectralposterior.core.diffusion;

import java.util.function.BooleanSupplier;

/**
 * ℒ(w) = E_v W2²(sampler law, posterior) as an exact function of the per-step weights (execution
 * order; or per step and frequency band, {@link #bands}), with its exact gradient (MATH §9.3, §10): what {@link WeightTuner} minimises, for a blur
 * ({@link WeightObjective}) or super-resolution ({@link SuperResolutionObjective}).
 */
public interface TuningObjective {

	/** ℒ(w), and its gradient into {@code grad} when not null; polls {@code cancelled}. */
	double evaluate(double[] w, double[] grad, BooleanSupplier cancelled);

	default double value(final double[] w) {
		return evaluate(w, null, () -> false);
	}

	int steps();

	/**
	 * Weights per step: 1 for one weight per step, B for weights per step and frequency band (issue 11),
	 * whose weight vector is flat, step-major (index j·B + b).
	 */
	default int bands() {
		return 1;
	}

	Method method();

	int[] timesteps();

	/** The method's heuristic weights, one per step (shared by every band). */
	double[] heuristicWeights();
}
