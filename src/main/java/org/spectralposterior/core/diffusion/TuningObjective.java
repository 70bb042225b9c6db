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

	/**
	 * ℒ at several weight vectors (each as {@link #value}); an objective may share the work the
	 * vectors have in common (the per-step gains), as reporting the heuristic, the best constant and
	 * the tuned weights exactly does.
	 */
	default double[] values(final BooleanSupplier cancelled, final double[]... ws) {
		final double[] out = new double[ws.length];
		for (int i = 0; i < ws.length; i++) out[i] = evaluate(ws[i], null, cancelled);
		return out;
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
