package org.spectralposterior.core.diffusion;

import java.util.List;
import java.util.function.BooleanSupplier;

import org.spectralposterior.core.optim.Lbfgs;

/**
 * DDIM's η per step designed together with the guidance weights (issue 11): on a fixed step grid, the
 * 2n numbers (w_j, η_j) minimising ℒ = E_v W2²(sampler law, exact posterior) (MATH §9.3), by L-BFGS on
 * the exact objective and gradient of {@link ConditionalScheduleDesign#stepsValue}.
 * <p>
 * The bounds hold by construction: η = sigmoid(v) ∈ (0, 1) and w = w₀·exp(u) ≥ 0 (a fraction, DDNM's
 * projection weight: w = sigmoid(u)). A step at η = 0 is deterministic (DDIM), at η = 1 it is DDPM's
 * ancestral step; the design may choose a different trade-off at every noise level, e.g. fresh noise
 * early (where the guidance's error is forgotten) and none late.
 */
public final class StepEtaDesign {

	/** The design: its weights and η per step (execution order) and ℒ at the start and at the end, on the search objective. */
	public record Result(double[] weights, double[] etas, double startLoss, double loss, int iterations, String stop) {}

	// η kept off the bounds at the start: the logistic map is flat there and would freeze the search.
	private static final double ETA_MARGIN = 1e-3;

	private final List<ConditionalScheduleDesign> objectives;
	/** Each problem's gradient before it is summed (made once: L-BFGS evaluates hundreds of times). */
	private double[] sumW, sumEta;
	private final StepGrid grid;
	private final boolean fraction;

	/**
	 * @param objective the entries to search on (all frequencies, or their groups: {@link ConditionalScheduleDesign#binned})
	 * @param grid      the steps Posterior Sampling will run (DDIM base step)
	 */
	public StepEtaDesign(final ConditionalScheduleDesign objective, final StepGrid grid) {
		this(List.of(objective), grid);
	}

	/**
	 * A design robust over several problems (noise levels, blur widths; one method): the sum of their
	 * ℒ, whose gradient is the sum of theirs, minimised by one list of weights and η.
	 */
	public StepEtaDesign(final List<ConditionalScheduleDesign> objectives, final StepGrid grid) {
		if (grid.base != BaseStep.DDIM) throw new IllegalArgumentException("η per step needs base_step=ddim (the DDPM steps have no η).");
		if (objectives.isEmpty()) throw new IllegalArgumentException("no problem to design for");
		for (final ConditionalScheduleDesign o : objectives) {
			if (o.method() != objectives.get(0).method()) throw new IllegalArgumentException("a robust design is for one method");
		}
		this.objectives = List.copyOf(objectives);
		this.grid = grid;
		this.fraction = objectives.get(0).method().maxWeight() == 1;
	}

	/** Σ_i ℒ_i(w, η) and, where the arrays are given, its gradient (overwritten). */
	public double value(final double[] w, final double[] etas, final double[] gradW, final double[] gradEta, final BooleanSupplier cancelled) {
		if (objectives.size() == 1) return objectives.get(0).stepsValue(grid, w, etas, gradW, gradEta, cancelled);
		final boolean grad = gradW != null && gradEta != null;
		final int n = w.length;
		if (grad && (sumW == null || sumW.length != n)) {
			sumW = new double[n];
			sumEta = new double[n];
		}
		final double[] gw = grad ? sumW : null, ge = grad ? sumEta : null;
		if (grad) {
			java.util.Arrays.fill(gradW, 0);
			java.util.Arrays.fill(gradEta, 0);
		}
		double sum = 0;
		for (final ConditionalScheduleDesign o : objectives) {
			sum += o.stepsValue(grid, w, etas, gw, ge, cancelled);
			if (grad) {
				for (int j = 0; j < n; j++) {
					gradW[j] += gw[j];
					gradEta[j] += ge[j];
				}
			}
		}
		return sum;
	}

	/** L-BFGS from the weights {@code w0} and η {@code eta0} (one per step), at most {@code iterations} iterations. */
	public Result design(final double[] w0, final double[] eta0, final int iterations, final Lbfgs.Listener listener, final BooleanSupplier cancelled) {
		final int n = grid.n;
		if (w0.length != n || eta0.length != n) throw new IllegalArgumentException("Give one weight and one η per step (" + n + " steps).");
		double top = 0;
		for (final double x : w0) top = Math.max(top, x);
		// w = scale·exp(u) from u = 0; a step whose start weight is 0 starts just above it.
		final double[] scale = new double[n];
		for (int j = 0; j < n; j++) scale[j] = Math.max(w0[j], 1e-9 * Math.max(top, 1e-12));
		final double[] x0 = new double[2 * n];
		for (int j = 0; j < n; j++) {
			x0[j] = fraction ? logit(Math.min(Math.max(w0[j], 1e-6), 0.98)) : 0;
			x0[n + j] = logit(Math.min(Math.max(eta0[j], ETA_MARGIN), 1 - ETA_MARGIN));
		}
		final double[] w = new double[n], e = new double[n], gw = new double[n], ge = new double[n];
		final Lbfgs.Function f = (x, g) -> {
			map(x, scale, w, e);
			final double v = value(w, e, gw, ge, cancelled);
			for (int j = 0; j < n; j++) {
				g[j] = gw[j] * (fraction ? w[j] * (1 - w[j]) : w[j]);
				g[n + j] = ge[j] * e[j] * (1 - e[j]);
			}
			return v;
		};
		map(x0, scale, w, e);
		final double start = value(w, e, null, null, cancelled);
		final Lbfgs.Result r = new Lbfgs(10, iterations, 1e-9, 1e-10).minimize(f, x0, listener, cancelled);
		final double[] wOut = new double[n], eOut = new double[n];
		map(r.x(), scale, wOut, eOut);
		return new Result(wOut, eOut, start, r.value(), r.iterations(), r.stop());
	}

	private void map(final double[] x, final double[] scale, final double[] w, final double[] e) {
		final int n = w.length;
		for (int j = 0; j < n; j++) {
			w[j] = fraction ? sigmoid(x[j]) : scale[j] * Math.exp(x[j]);
			e[j] = sigmoid(x[n + j]);
		}
	}

	private static double sigmoid(final double x) {
		return 1 / (1 + Math.exp(-x));
	}

	private static double logit(final double p) {
		return Math.log(p / (1 - p));
	}
}
