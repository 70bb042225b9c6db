package org.spectralposterior.core.diffusion;

import java.util.function.BooleanSupplier;

import org.spectralposterior.core.Progress;
import org.spectralposterior.core.optim.Lbfgs;

/**
 * Per-step guidance weights that minimise the expected W2² to the true posterior (MATH §10), in
 * place of a method's published heuristic.
 * <p>
 * Two stages, as MATH §10 suggests: the best constant multiple c of the heuristic weights (a 1-D
 * search on log c), then L-BFGS on all n weights from there. The weights are parametrised as
 * w_j = h_j·exp θ_j (h = the heuristic), which keeps them positive without bounds and makes the
 * problem scale-free across steps whose heuristic weights differ by orders of magnitude (ΠGDM's
 * natural weight); DDNM's weights, a fraction of a projection, are w_j = 1/(1 + exp(−θ_j)) ∈ (0, 1).
 * An optional smoothness penalty γ Σ (w_{j+1} − w_j)² is added to ℒ. Local optima are possible
 * (ℒ is not convex in w), so the result is an upper bound on the best achievable ℒ, and never
 * worse than the heuristic or the best constant, which are its starting points.
 */
public final class WeightTuner {

	/** What tuning found; losses are ℒ = E_v W2² in the objective's units (no penalty). */
	public record Result(int[] timesteps, double[] heuristic, double heuristicLoss, double bestConstant, double constantLoss, double[] tuned, double tunedLoss, int iterations,
		String stop) {}

	private final WeightObjective objective;
	private final double smoothness;
	private final int maxIterations;
	private final boolean fraction;
	private final double[] h;

	public WeightTuner(final WeightObjective objective, final double smoothness, final int maxIterations) {
		if (!(smoothness >= 0) || Double.isInfinite(smoothness)) throw new IllegalArgumentException("smoothness must be a finite number ≥ 0, got " + smoothness);
		if (maxIterations < 0) throw new IllegalArgumentException("iterations must be ≥ 0, got " + maxIterations);
		this.objective = objective;
		this.smoothness = smoothness;
		this.maxIterations = maxIterations;
		this.fraction = objective.method() == Method.DDNM;
		this.h = objective.heuristicWeights();
	}

	/** Progress counts the constant search (40 evaluations) and then the L-BFGS iterations. */
	public Result tune(final Progress progress) {
		final BooleanSupplier cancelled = progress::cancelled;
		final long total = 40L + maxIterations;
		final double heuristicLoss = objective.value(h);
		// Stage 1: the best constant: c·h (c > 0), or c ∈ (0, 1] for DDNM.
		final double[] buf = new double[h.length];
		final java.util.function.DoubleUnaryOperator lossAt = c -> {
			for (int j = 0; j < h.length; j++) buf[j] = fraction ? c : c * h[j];
			return objective.evaluate(buf, null, cancelled);
		};
		final double lo = Math.log(1e-4), hi = fraction ? 0 : Math.log(1e4);
		double bestLog = 0, bestLoss = fraction ? lossAt.applyAsDouble(1) : heuristicLoss;
		final int grid = 24;
		for (int i = 0; i <= grid; i++) {
			final double u = lo + (hi - lo) * i / grid, v = lossAt.applyAsDouble(Math.exp(u));
			if (v < bestLoss) {
				bestLoss = v;
				bestLog = u;
			}
			progress.update(i, total);
		}
		// Golden-section refinement inside the grid cell around the best point.
		final double cell = (hi - lo) / grid;
		double a = Math.max(lo, bestLog - cell), b = Math.min(hi, bestLog + cell);
		final double r = (Math.sqrt(5) - 1) / 2;
		double x1 = b - r * (b - a), x2 = a + r * (b - a), f1 = lossAt.applyAsDouble(Math.exp(x1)), f2 = lossAt.applyAsDouble(Math.exp(x2));
		for (int i = 0; i < 13; i++) {
			if (f1 < f2) {
				b = x2;
				x2 = x1;
				f2 = f1;
				x1 = b - r * (b - a);
				f1 = lossAt.applyAsDouble(Math.exp(x1));
			}
			else {
				a = x1;
				x1 = x2;
				f1 = f2;
				x2 = a + r * (b - a);
				f2 = lossAt.applyAsDouble(Math.exp(x2));
			}
			progress.update(grid + 1 + i, total);
		}
		if (Math.min(f1, f2) < bestLoss) {
			bestLog = f1 < f2 ? x1 : x2;
			bestLoss = Math.min(f1, f2);
		}
		final double c = Math.exp(bestLog);
		// Stage 2: L-BFGS on θ from the best constant.
		final double[] theta0 = new double[h.length];
		// (A DDNM optimum at the bound w = 1 would freeze the logistic map: start just inside.)
		java.util.Arrays.fill(theta0, fraction ? logit(Math.min(c, 0.98)) : Math.log(c));
		final double[] w = new double[h.length], gw = new double[h.length];
		final Lbfgs.Function f = (theta, g) -> {
			weights(theta, w);
			double v = objective.evaluate(w, gw, cancelled);
			for (int j = 0; j + 1 < w.length; j++) {
				final double d = w[j + 1] - w[j];
				v += smoothness * d * d;
				gw[j] -= 2 * smoothness * d;
				gw[j + 1] += 2 * smoothness * d;
			}
			for (int j = 0; j < w.length; j++) g[j] = gw[j] * dWeight(theta[j], w[j]);
			return v;
		};
		final Lbfgs.Result res = new Lbfgs(10, maxIterations, 1e-9, 1e-10).minimize(f, theta0, (it, v) -> progress.update(40 + it, total), cancelled);
		final double[] tuned = new double[h.length];
		weights(res.x(), tuned);
		double tunedLoss = objective.value(tuned);
		final double[] constant = new double[h.length];
		for (int j = 0; j < h.length; j++) constant[j] = fraction ? c : c * h[j];
		// With a smoothness penalty the penalised optimum may trade a little ℒ; without one, never
		// return worse than where the search started.
		if (smoothness == 0 && tunedLoss > bestLoss) {
			System.arraycopy(constant, 0, tuned, 0, tuned.length);
			tunedLoss = bestLoss;
		}
		progress.update(total, total);
		return new Result(objective.timesteps(), h.clone(), heuristicLoss, c, bestLoss, tuned, tunedLoss, res.iterations(), res.stop());
	}

	private void weights(final double[] theta, final double[] w) {
		for (int j = 0; j < w.length; j++) w[j] = fraction ? 1 / (1 + Math.exp(-theta[j])) : h[j] * Math.exp(theta[j]);
	}

	/** dw/dθ. */
	private double dWeight(final double theta, final double w) {
		return fraction ? w * (1 - w) : w;
	}

	private static double logit(final double c) {
		final double p = Math.min(1 - 1e-9, Math.max(1e-9, c));
		return Math.log(p / (1 - p));
	}
}
