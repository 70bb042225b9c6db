package org.spectralposterior.core.diffusion;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A robust design objective: Σ_i ℒ_i(w) over several problems that share the sampler's steps (the same
 * method, schedule and n) but differ in noise level or operator — "one setting for a microscope whose
 * noise varies". Values and gradients add; the start (heuristic weights) is the first problem's.
 */
public final class SumObjective implements TuningObjective {

	private final List<? extends TuningObjective> parts;

	public SumObjective(final List<? extends TuningObjective> parts) {
		if (parts.isEmpty()) throw new IllegalArgumentException("A robust objective needs at least one problem.");
		final TuningObjective first = parts.get(0);
		for (final TuningObjective p : parts) {
			if (p.steps() != first.steps() || p.bands() != first.bands() || p.method() != first.method() || !java.util.Arrays.equals(p.timesteps(), first.timesteps())) {
				throw new IllegalArgumentException("The problems of a robust objective must share the method, the sampling steps and the bands.");
			}
		}
		this.parts = List.copyOf(parts);
	}

	public List<? extends TuningObjective> parts() {
		return parts;
	}

	@Override
	public double evaluate(final double[] w, final double[] grad, final BooleanSupplier cancelled) {
		double total = 0;
		final double[] g = grad == null ? null : new double[grad.length];
		if (grad != null) java.util.Arrays.fill(grad, 0);
		for (final TuningObjective p : parts) {
			total += p.evaluate(w, g, cancelled);
			if (grad != null) for (int j = 0; j < grad.length; j++) grad[j] += g[j];
		}
		return total;
	}

	@Override
	public double[] values(final BooleanSupplier cancelled, final double[]... ws) {
		final double[] out = new double[ws.length];
		for (final TuningObjective p : parts) {
			final double[] v = p.values(cancelled, ws);
			for (int i = 0; i < out.length; i++) out[i] += v[i];
		}
		return out;
	}

	@Override
	public int steps() {
		return parts.get(0).steps();
	}

	@Override
	public int bands() {
		return parts.get(0).bands();
	}

	@Override
	public Method method() {
		return parts.get(0).method();
	}

	@Override
	public int[] timesteps() {
		return parts.get(0).timesteps();
	}

	@Override
	public double[] heuristicWeights() {
		return parts.get(0).heuristicWeights();
	}
}
