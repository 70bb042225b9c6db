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
 * <p>
 * With weights per step and band ({@link TuningObjective#bands} = B > 1) the parameters are the n·B
 * weights W[j][b] (flat, j·B + b). The search is hierarchical: first one weight per step (the
 * band objective with every band of a step tied to one weight, the same two stages as above), then
 * L-BFGS on all n·B weights from that optimum and, separately, from the best constant, keeping the
 * better; the band result is never worse than the per-step one (ℒ is not convex: neither start alone
 * reaches the best optimum on every problem).
 * The smoothness penalty runs along the steps of each band.
 */
public final class WeightTuner {

	/**
	 * What tuning found; losses are ℒ = E_v W2² in the objective's units (no penalty). {@code heuristic}:
	 * one weight per step; {@code tuned}: n·B weights, step-major (B = {@link #bands}).
	 */
	public record Result(int[] timesteps, double[] heuristic, double heuristicLoss, double bestConstant, double constantLoss, double[] tuned, double tunedLoss, int iterations,
		String stop, double[] smooth, double smoothLoss) {

		/** Without a smooth stage ({@link #smooth} null, {@link #smoothLoss} NaN). */
		public Result(final int[] timesteps, final double[] heuristic, final double heuristicLoss, final double bestConstant, final double constantLoss, final double[] tuned,
			final double tunedLoss, final int iterations, final String stop) {
			this(timesteps, heuristic, heuristicLoss, bestConstant, constantLoss, tuned, tunedLoss, iterations, stop, null, Double.NaN);
		}

		public int bands() {
			return tuned.length / heuristic.length;
		}

		/** The tuned weight of step j in band b. */
		public double tuned(final int j, final int b) {
			return tuned[j * bands() + b];
		}
	}

	private final TuningObjective objective;
	private final double smoothness;
	private final int maxIterations;
	private final boolean fraction;
	/** The heuristic per weight (n·B, each step's in all its bands) and per step. */
	private final double[] h, perStep;
	private final int bands;
	/** K > 0: a stage on K smooth functions of t between the best constant and the per-step search. */
	private final int smoothBasis;

	public WeightTuner(final TuningObjective objective, final double smoothness, final int maxIterations) {
		this(objective, smoothness, maxIterations, 0);
	}

	/**
	 * With {@code smoothBasis} = K > 0 (one weight per step only), a stage between the best constant and
	 * the per-step search: θ_j = log(w_j/h_j) (DDNM: logit w_j) restricted to θ = θ_c + Σ_{k<K} a_k
	 * cos(πk u_j), u_j = j/(n − 1) — K numbers instead of n, a smooth curve in t that the per-step
	 * L-BFGS then refines. Its loss is {@link Result#smoothLoss}.
	 */
	public WeightTuner(final TuningObjective objective, final double smoothness, final int maxIterations, final int smoothBasis) {
		if (!(smoothness >= 0) || Double.isInfinite(smoothness)) throw new IllegalArgumentException("smoothness must be a finite number ≥ 0, got " + smoothness);
		if (maxIterations < 0) throw new IllegalArgumentException("iterations must be ≥ 0, got " + maxIterations);
		this.objective = objective;
		this.smoothness = smoothness;
		this.maxIterations = maxIterations;
		this.fraction = objective.method().maxWeight() == 1;
		this.perStep = objective.heuristicWeights();
		this.bands = objective.bands();
		this.h = new double[perStep.length * bands];
		for (int i = 0; i < h.length; i++) h[i] = perStep[i / bands];
		if (smoothBasis < 0) throw new IllegalArgumentException("smooth_basis must be ≥ 0 (0: none), got " + smoothBasis);
		if (smoothBasis > 0 && bands > 1) throw new IllegalArgumentException("smooth_basis is a stage of the per-step search; use it with parametrisation=[per step].");
		this.smoothBasis = smoothBasis;
	}

	/** Progress counts the constant search (40 evaluations) and then the L-BFGS iterations. */
	public Result tune(final Progress progress) {
		if (bands > 1) {
			final Result perStep = new WeightTuner(new Tied(objective), smoothness, maxIterations).tune(progress);
			final double[] start = new double[h.length];
			for (int i = 0; i < h.length; i++) start[i] = perStep.tuned()[i / bands];
			if (fraction) for (int i = 0; i < start.length; i++) start[i] = Math.min(Math.max(start[i], 1e-6), 0.98);
			final double[] constant = new double[h.length];
			for (int i = 0; i < h.length; i++) constant[i] = fraction ? perStep.bestConstant() : perStep.bestConstant() * h[i];
			// Two starts, the per-step optimum and the best constant, the better kept. The per-step optimum can
			// sit on a knife edge (a step's a ≈ 0 at a group that later steps amplify: ℒ's curvature there was
			// 10¹³ times its value), from which no line search moves in floating point; from the constant the
			// same search ended 0.2 % below the all-frequency search where the first start stopped 12 % above it
			// (BandWeightsTest, 256², motion blur, 8 radial bands on 32² groups).
			final double[] fromConstant = constant.clone();
			if (fraction) for (int i = 0; i < fromConstant.length; i++) fromConstant[i] = Math.min(Math.max(fromConstant[i], 1e-6), 0.98);
			final long total = 2L * maxIterations;
			final Lbfgs.Result a = lbfgs(start, maxIterations, progress, 0, total), b = lbfgs(fromConstant, maxIterations, progress, maxIterations, total);
			final boolean second = b.value() < a.value();
			final Lbfgs.Result res = second ? b : a;
			final Result r = finish(res, perStep.heuristicLoss(), perStep.bestConstant(), constant, perStep.constantLoss(), progress, total);
			return new Result(r.timesteps(), r.heuristic(), r.heuristicLoss(), r.bestConstant(), r.constantLoss(), r.tuned(), r.tunedLoss(), perStep.iterations() + a.iterations() + b.iterations(),
				"per step: " + perStep.stop() + "; per step and band: " + r.stop() + (second ? " (from the best constant)" : " (from the per-step optimum)"));
		}
		final BooleanSupplier cancelled = progress::cancelled;
		final long total = 40L + maxIterations;
		final double heuristicLoss = objective.value(h);
		// Stage 1: the best constant: c·h (c > 0), or c ∈ (0, 1] for DDNM.
		final double[] best = constantSearch(Math.log(1e-4), fraction ? 0 : Math.log(1e4), 24, 13, fraction ? Double.NaN : 0, heuristicLoss, progress, total);
		final double bestLog = best[0], bestLoss = best[1];
		final double c = Math.exp(bestLog);
		// Stage 2: L-BFGS on θ from the best constant (or from the smooth stage's optimum).
		final double[] constant = new double[h.length];
		// (A DDNM optimum at the bound w = 1 would freeze the logistic map: start just inside.)
		for (int j = 0; j < h.length; j++) constant[j] = fraction ? Math.min(c, 0.98) : c * h[j];
		double[] start = constant;
		double smoothLoss = Double.NaN;
		int smoothIterations = 0;
		final double[] ws = new double[h.length];
		if (smoothBasis > 0) {
			final Lbfgs.Result sm = smooth(constant, progress);
			weights(sm.x(), ws);
			smoothLoss = objective.value(ws);
			smoothIterations = sm.iterations();
			if (smoothLoss < bestLoss) start = ws.clone();
			// (The clamp for DDNM's logistic map applies to the search's start, not to the smooth result it reports.)
			if (fraction) for (int j = 0; j < start.length; j++) start[j] = Math.min(Math.max(start[j], 1e-6), 0.98);
		}
		final Lbfgs.Result res = lbfgs(start, maxIterations, progress, 40, total);
		for (int j = 0; j < h.length; j++) constant[j] = fraction ? c : c * h[j];
		final Result r = finish(res, heuristicLoss, c, constant, bestLoss, progress, total);
		if (smoothBasis == 0) return r;
		// (DDNM's start is clamped inside (0, 1), which can leave the per-step search a hair above the smooth optimum.)
		final boolean keepSmooth = smoothness == 0 && smoothLoss < r.tunedLoss();
		return new Result(r.timesteps(), r.heuristic(), r.heuristicLoss(), r.bestConstant(), r.constantLoss(), keepSmooth ? ws : r.tuned(), keepSmooth ? smoothLoss : r.tunedLoss(),
			smoothIterations + r.iterations(), "smooth in t (" + smoothBasis + " cosines, " + smoothIterations + " iterations); per step: " + r.stop()
				+ (keepSmooth ? "; the smooth curve scored better and is kept" : ""), ws, smoothLoss);
	}

	/** θ of given weights: log(w/h), or logit w for a fraction. */
	double[] startTheta(final double[] startWeights) {
		final double[] theta0 = new double[h.length];
		for (int j = 0; j < h.length; j++) theta0[j] = fraction ? logit(startWeights[j]) : Math.log(startWeights[j] / h[j]);
		return theta0;
	}

	/** The penalised ℒ as a function of the smooth stage's K coefficients a (θ = θ₀ + Φa), with its gradient Φᵀ∂ℒ/∂θ. */
	Lbfgs.Function smoothObjective(final double[] theta0, final BooleanSupplier cancelled) {
		final int n = h.length, k = smoothBasis;
		final double[] phi = smoothBasisMatrix(), theta = new double[n], gTheta = new double[n];
		final Lbfgs.Function onTheta = penalised(cancelled);
		return (a, g) -> {
			for (int j = 0; j < n; j++) {
				double t = theta0[j];
				for (int i = 0; i < k; i++) t += phi[j * k + i] * a[i];
				theta[j] = t;
			}
			final double v = onTheta.evaluate(theta, gTheta);
			java.util.Arrays.fill(g, 0);
			for (int j = 0; j < n; j++) for (int i = 0; i < k; i++) g[i] += phi[j * k + i] * gTheta[j];
			return v;
		};
	}

	/** The cosine basis of the smooth stage: φ_k(u_j) = cos(πk u_j), u_j = j/(n − 1), row-major n×K. */
	double[] smoothBasisMatrix() {
		final int n = h.length, k = smoothBasis;
		final double[] phi = new double[n * k];
		for (int j = 0; j < n; j++) {
			final double u = n == 1 ? 0 : (double) j / (n - 1);
			for (int i = 0; i < k; i++) phi[j * k + i] = Math.cos(Math.PI * i * u);
		}
		return phi;
	}

	/**
	 * The smooth stage: L-BFGS on a ∈ R^K with θ = θ_start + Φa; the gradient is Φᵀ ∂ℒ/∂θ (the chain
	 * rule through a linear map). Returns θ at the optimum (as the per-step search's x).
	 */
	private Lbfgs.Result smooth(final double[] startWeights, final Progress progress) {
		final int n = h.length, k = smoothBasis;
		final double[] phi = smoothBasisMatrix(), theta0 = startTheta(startWeights);
		progress.detail("smooth stage: " + k + " cosines in t");
		final Lbfgs.Result r = new Lbfgs(10, maxIterations, 1e-9, 1e-10).minimize(smoothObjective(theta0, progress::cancelled), new double[k], null, progress::cancelled);
		final double[] x = new double[n];
		for (int j = 0; j < n; j++) {
			double t = theta0[j];
			for (int i = 0; i < k; i++) t += phi[j * k + i] * r.x()[i];
			x[j] = t;
		}
		return new Lbfgs.Result(x, r.value(), r.iterations(), r.evaluations(), r.converged(), r.stop());
	}

	/**
	 * Minimises ℒ(c·h) (or ℒ(c) for DDNM) over log c in [lo, hi]: a grid of {@code grid} cells, then
	 * {@code golden} golden-section steps in the best cell. {@code knownLog}/{@code knownLoss}: a point
	 * already evaluated (NaN: none). Returns {best log c, its loss}.
	 */
	private double[] constantSearch(final double lo, final double hi, final int grid, final int golden, final double knownLog, final double knownLoss, final Progress progress,
		final long total) {
		final BooleanSupplier cancelled = progress::cancelled;
		final double[] buf = new double[h.length];
		final java.util.function.DoubleUnaryOperator lossAt = c -> {
			for (int j = 0; j < h.length; j++) buf[j] = fraction ? c : c * h[j];
			return objective.evaluate(buf, null, cancelled);
		};
		double bestLog = Double.isNaN(knownLog) ? hi : knownLog, bestLoss = Double.isNaN(knownLog) ? lossAt.applyAsDouble(Math.exp(hi)) : knownLoss;
		for (int i = 0; i <= grid; i++) {
			final double u = lo + (hi - lo) * i / grid, v = lossAt.applyAsDouble(Math.exp(u));
			if (v < bestLoss) {
				bestLoss = v;
				bestLog = u;
			}
			progress.update(i, total);
			progress.detail("best constant weight: grid point " + (i + 1) + "/" + (grid + 1));
		}
		// Golden-section refinement inside the grid cell around the best point.
		final double cell = (hi - lo) / grid;
		double a = Math.max(lo, bestLog - cell), b = Math.min(hi, bestLog + cell);
		final double r = (Math.sqrt(5) - 1) / 2;
		double x1 = b - r * (b - a), x2 = a + r * (b - a), f1 = lossAt.applyAsDouble(Math.exp(x1)), f2 = lossAt.applyAsDouble(Math.exp(x2));
		for (int i = 0; i < golden; i++) {
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
		return new double[] { bestLog, bestLoss };
	}

	/**
	 * Continues a search made on another objective (typically a {@link WeightObjective#binned
	 * binned} one) on this one: L-BFGS from the better, here, of that search's tuned weights and
	 * its best constant, for at most {@code iterations} iterations. Every loss of the result is
	 * this objective's.
	 */
	public Result refine(final Result coarse, final int iterations, final Progress progress) {
		// The constant is re-chosen on this objective (a decade either side of the coarse one): chosen
		// on the groups and only scored here, it could come out worse than the heuristic.
		final double coarseLog = Math.log(coarse.bestConstant()), hiLog = fraction ? Math.min(0, coarseLog + Math.log(10)) : coarseLog + Math.log(10);
		final double[] constant = new double[h.length];
		for (int j = 0; j < h.length; j++) constant[j] = fraction ? coarse.bestConstant() : coarse.bestConstant() * h[j];
		final double[] best = constantSearch(coarseLog - Math.log(10), hiLog, 4, 8, coarseLog, objective.value(constant), progress, iterations + 13L);
		final double c = Math.exp(best[0]);
		for (int j = 0; j < h.length; j++) constant[j] = fraction ? c : c * h[j];
		final double heuristicLoss = objective.value(h), constantLoss = best[1], coarseLoss = objective.value(coarse.tuned());
		final double[] start = coarseLoss <= constantLoss ? coarse.tuned().clone() : constant.clone();
		if (fraction) for (int j = 0; j < start.length; j++) start[j] = Math.min(Math.max(start[j], 1e-6), 0.98);
		final Lbfgs.Result res = lbfgs(start, iterations, progress, 0, iterations);
		final Result r = finish(res, heuristicLoss, c, constant, constantLoss, progress, iterations);
		return new Result(r.timesteps(), r.heuristic(), r.heuristicLoss(), c, constantLoss, r.tuned(), r.tunedLoss(), coarse.iterations() + r.iterations(),
			coarse.stop() + "; refined on all frequencies: " + r.stop());
	}

	/**
	 * A search made on a grouped objective (MATH §10, {@link WeightObjective#binned}), scored on the
	 * exact one: the heuristic, the best constant and the tuned weights in one pass over every
	 * frequency ({@link TuningObjective#values}). Every loss of the result is exact; the weights are
	 * the grouped search's (an exact refinement costs tens of evaluations on all frequencies and, on
	 * the groups of a few thousand nodes, gains well under 1 %; the tests bound that excess). If the
	 * tuned weights score worse than the best constant exactly, the constant is returned.
	 */
	public static Result scored(final Result search, final TuningObjective exact, final BooleanSupplier cancelled) {
		final boolean fraction = exact.method().maxWeight() == 1;
		final double[] h = search.heuristic(), tuned = search.tuned(), constant = new double[tuned.length], hb = new double[tuned.length];
		final int nb = tuned.length / h.length;
		for (int i = 0; i < tuned.length; i++) {
			hb[i] = h[i / nb];
			constant[i] = fraction ? search.bestConstant() : search.bestConstant() * hb[i];
		}
		final double[] v = exact.values(cancelled, hb, constant, tuned);
		// The smooth stage's curve, when there is one, is scored exactly too.
		final double smoothLoss = search.smooth() == null ? Double.NaN : exact.value(search.smooth());
		// The groups' constant scored on all frequencies can come out above the heuristic (c = 1, itself a
		// constant multiple): then c = 1 is the best constant known, so heuristic ≥ constant ≥ tuned holds exactly.
		final boolean heuristicBetter = !fraction && v[1] > v[0];
		final double c = heuristicBetter ? 1 : search.bestConstant(), constantLoss = heuristicBetter ? v[0] : v[1];
		final double[] bestConstant = heuristicBetter ? hb : constant;
		final boolean keepConstant = v[2] > constantLoss;
		return new Result(search.timesteps(), h, v[0], c, constantLoss, keepConstant ? bestConstant.clone() : tuned, keepConstant ? constantLoss : v[2], search.iterations(),
			search.stop() + (heuristicBetter ? "; on all frequencies the groups' constant scored above the heuristic, so c = 1" : "")
				+ (keepConstant ? "; the best constant scored better on all frequencies" : ""), search.smooth(), smoothLoss);
	}

	private Lbfgs.Result lbfgs(final double[] startWeights, final int iterations, final Progress progress, final long offset, final long total) {
		final BooleanSupplier cancelled = progress::cancelled;
		final double[] theta0 = new double[h.length];
		for (int j = 0; j < h.length; j++) theta0[j] = fraction ? logit(startWeights[j]) : Math.log(startWeights[j] / h[j]);
		return new Lbfgs(10, iterations, 1e-9, 1e-10).minimize(penalised(cancelled), theta0, (it, v) -> {
			progress.update(offset + it, total);
			progress.detail("L-BFGS iteration " + it + "/" + iterations);
		}, cancelled);
	}

	/** ℒ plus the smoothness penalty as a function of θ, with its gradient in θ. */
	private Lbfgs.Function penalised(final BooleanSupplier cancelled) {
		final double[] w = new double[h.length], gw = new double[h.length];
		return (theta, g) -> {
			weights(theta, w);
			double v = objective.evaluate(w, gw, cancelled);
			// Smoothness along the steps, band by band (B = 1: along the steps).
			for (int j = 0; j + bands < w.length; j++) {
				final double d = w[j + bands] - w[j];
				v += smoothness * d * d;
				gw[j] -= 2 * smoothness * d;
				gw[j + bands] += 2 * smoothness * d;
			}
			for (int j = 0; j < w.length; j++) g[j] = gw[j] * dWeight(theta[j], w[j]);
			return v;
		};
	}

	private Result finish(final Lbfgs.Result res, final double heuristicLoss, final double c, final double[] constant, final double constantLoss, final Progress progress,
		final long total) {
		final double[] tuned = new double[h.length];
		weights(res.x(), tuned);
		double tunedLoss = objective.value(tuned);
		// With a smoothness penalty the penalised optimum may trade a little ℒ; without one, never
		// return worse than the best constant.
		if (smoothness == 0 && tunedLoss > constantLoss) {
			System.arraycopy(constant, 0, tuned, 0, tuned.length);
			tunedLoss = constantLoss;
		}
		progress.update(total, total);
		return new Result(objective.timesteps(), perStep.clone(), heuristicLoss, c, constantLoss, tuned, tunedLoss, res.iterations(), res.stop());
	}

	private void weights(final double[] theta, final double[] w) {
		for (int j = 0; j < w.length; j++) w[j] = fraction ? 1 / (1 + Math.exp(-theta[j])) : h[j] * Math.exp(theta[j]);
	}

	/** dw/dθ. */
	private double dWeight(final double theta, final double w) {
		return fraction ? w * (1 - w) : w;
	}

	/**
	 * A band objective with the bands of each step tied to one weight: ℒ(w) = ℒ_B(w ⊗ 1_B), whose
	 * gradient sums the band gradients of each step (the chain rule through the copy).
	 */
	private static final class Tied implements TuningObjective {
		private final TuningObjective banded;
		private final int nb;

		Tied(final TuningObjective banded) {
			this.banded = banded;
			this.nb = banded.bands();
		}

		@Override
		public double evaluate(final double[] w, final double[] grad, final BooleanSupplier cancelled) {
			final double[] wb = new double[w.length * nb], gb = grad == null ? null : new double[wb.length];
			for (int i = 0; i < wb.length; i++) wb[i] = w[i / nb];
			final double v = banded.evaluate(wb, gb, cancelled);
			if (grad != null) {
				java.util.Arrays.fill(grad, 0);
				for (int i = 0; i < gb.length; i++) grad[i / nb] += gb[i];
			}
			return v;
		}

		@Override
		public int steps() {
			return banded.steps();
		}

		@Override
		public Method method() {
			return banded.method();
		}

		@Override
		public int[] timesteps() {
			return banded.timesteps();
		}

		@Override
		public double[] heuristicWeights() {
			return banded.heuristicWeights();
		}
	}

	private static double logit(final double c) {
		final double p = Math.min(1 - 1e-9, Math.max(1e-9, c));
		return Math.log(p / (1 - p));
	}
}
