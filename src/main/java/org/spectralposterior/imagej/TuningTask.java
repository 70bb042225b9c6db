package org.spectralposterior.imagej;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.diffusion.FrequencyBands;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.diffusion.SumObjective;
import org.spectralposterior.core.diffusion.TuningObjective;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.StartTimeSearch;
import org.spectralposterior.core.diffusion.SuperResolutionObjective;
import org.spectralposterior.core.diffusion.SuperResolutionSampler;
import org.spectralposterior.core.diffusion.WeightObjective;
import org.spectralposterior.core.diffusion.WeightTuner;

/**
 * Tune Sampler Weights: the per-step weights of one method that minimise E_v W2² to the true
 * posterior for a prior and a degradation (MATH §10), against the heuristic and the best constant
 * multiple. Tuning runs in the samplers' [−1, 1] units (where the heuristics are defined); losses
 * are reported in image units. The tuned list goes straight into Posterior Sampling
 * (weights=custom weight_list=…), noisiest step first.
 */
public final class TuningTask {

	/** Above this many frequencies the search runs on binned (λ, ρ) groups. */
	static final int BINNING_ABOVE = 20000;
	static final int BINS = 32;

	private TuningTask() {}

	/**
	 * What is tuned: one weight per step ({@code bands == 1}), or one per step in each of {@code bands}
	 * frequency bands grouped by radius or by the prior's eigenvalue (a guidance filter, MATH §10).
	 */
	public record Parametrisation(int bands, FrequencyBands.By by) {
		public static final Parametrisation PER_STEP = new Parametrisation(1, FrequencyBands.By.FREQUENCY);

		public static Parametrisation parse(final String parametrisation, final int bands, final String bandBy) {
			final String p = parametrisation == null ? "" : parametrisation.trim().toLowerCase(Locale.ROOT);
			if (p.equals("per step") || p.isEmpty()) return PER_STEP;
			if (!p.equals("per step and band")) throw new IllegalArgumentException("parametrisation must be 'per step' or 'per step and band', got '" + parametrisation + "'.");
			FrequencyBands.checkCount(bands);
			return new Parametrisation(bands, FrequencyBands.By.parse(bandBy));
		}

		boolean banded() {
			return bands > 1;
		}
	}

	public static TaskResult run(final AnalysisTask.Setup setup, final String methodName, final int steps, final double smoothness, final int iterations, final Progress progress) {
		return run(setup, methodName, steps, smoothness, iterations, "", 0, Parametrisation.PER_STEP, progress);
	}

	/**
	 * With {@code noiseList} (comma-separated σ in image units, or empty): a robust design, one weight
	 * list minimising the sum of E_v W2² over those noise levels ({@link SumObjective}).
	 */
	public static TaskResult run(final AnalysisTask.Setup setup, final String methodName, final int steps, final double smoothness, final int iterations, final String noiseList,
		final int warmStart, final Parametrisation param, final Progress progress) {
		if (param.banded() && setup.factor() > 1) {
			throw new IllegalArgumentException("Weights per frequency band need a convolution operator: a super-resolution frequency is aliased with r² others. Use parametrisation=[per step].");
		}
		if (param.banded() && warmStart > 0) throw new IllegalArgumentException("warm_start works with parametrisation=[per step] only; set warm_start=0 (the band search starts from the per-step optimum anyway).");
		if (warmStart < 0 || warmStart >= Math.max(2, steps) && warmStart != 0) {
			throw new IllegalArgumentException("warm_start must be 0 (none) or a number of steps below steps=" + steps + ", got " + warmStart + ".");
		}
		final Method method = Methods.parse(methodName);
		final double[] sigmas = noiseList == null || noiseList.isBlank() ? new double[] { setup.sigma() }
			: NumberLists.values("noise_list", NumberLists.resolve("noise_list", noiseList), "noise_list must be noise levels separated by commas (e.g. 2,5,10), or the path of a file of them");
		for (final double x : sigmas) if (!(x >= 0) || Double.isInfinite(x)) throw new IllegalArgumentException("noise_list holds " + x + "; noise levels must be finite numbers ≥ 0.");
		setup.budget("Tune Sampler Weights", sigmas.length, 0).check();
		final AnalysisTask.Problem first = setup.problem();
		if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps + ".");
		final Objectives obj = objectives(setup, first, method, steps, sigmas, param);
		final List<TuningObjective> exact = obj.exact();
		final boolean binned = obj.binned();
		final TuningObjective objective = obj.objective(), search = obj.search();
		final WeightTuner full = new WeightTuner(objective, smoothness, iterations);
		final WeightTuner.Result r;
		if (warmStart > 0) {
			// Tune at the coarser n first, carry its weights to this grid by their ratio to the heuristic
			// (interpolated in t), then continue here: the fine search starts near its optimum.
			final WeightTuner.Result c = new WeightTuner(objectives(setup, first, method, warmStart, sigmas, param).search(), smoothness, iterations).tune(progress);
			final TuningObjective target = binned ? search : objective;
			final WeightTuner.Result fine = new WeightTuner(target, smoothness, iterations).refine(warmStarted(c, target, method.maxWeight() == 1), iterations, progress);
			r = binned ? WeightTuner.scored(fine, objective, progress::cancelled) : fine;
		}
		// Large images: the search runs on (λ, ρ) groups and every reported loss is exact (one fused pass).
		else r = binned ? WeightTuner.scored(new WeightTuner(search, smoothness, iterations).tune(progress), objective, progress::cancelled) : full.tune(progress);
		final AnalysisTask.Problem problem = first;
		final double units = problem.half() * problem.half();
		final String base = Planes.baseTitle(setup.priorImp()).replace("_prior", "") + "_" + method.key;

		final int nb = r.bands();
		final ResultsTable weights = new ResultsTable();
		for (int j = 0; j < steps; j++) {
			weights.incrementCounter();
			weights.addValue("step", j + 1);
			weights.addValue("t", r.timesteps()[j]);
			// ᾱ_t identifies the schedule (linear and cosine share the integer timesteps).
			weights.addValue("alpha_bar", first.schedule().alphaBar(r.timesteps()[j]));
			// The method travels with the weights: Posterior Sampling's weights=tuned checks it.
			weights.addValue("method", method.key);
			weights.addValue("heuristic", r.heuristic()[j]);
			weights.addValue("best constant", method.maxWeight() == 1 ? r.bestConstant() : r.bestConstant() * r.heuristic()[j]);
			if (nb == 1) weights.addValue("tuned", r.tuned()[j]);
			else for (int b = 0; b < nb; b++) weights.addValue(FrequencyBands.heading(param.by(), b, nb), r.tuned(j, b));
		}
		final String robustLabel = sigmas.length > 1 ? java.util.Arrays.stream(sigmas).mapToObj(x -> new java.math.BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString()).reduce((a, b) -> a + "," + b).orElse("") : "";
		final ResultsTable summary = new ResultsTable();
		row(summary, "heuristic", r.heuristicLoss() * units, setup, method, steps, "", robustLabel);
		row(summary, "best constant (" + (method.maxWeight() == 1 ? "w = " : "× heuristic, c = ") + String.format(Locale.ROOT, "%.5g", r.bestConstant()) + ")", r.constantLoss() * units, setup, method,
			steps, "", robustLabel);
		final StringBuilder list = new StringBuilder();
		// A band design is n·B numbers whose meaning needs the band definition: it travels as the table (weights=tuned).
		if (nb == 1) for (final double w : r.tuned()) list.append(list.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", w));
		row(summary, "tuned " + (nb == 1 ? "per step" : "per step and " + nb + " " + param.by().key() + " bands") + " (L-BFGS, " + r.iterations() + " iterations, stop: " + r.stop()
			+ (binned ? "; searched on (λ, ρ) groups of a " + BINS + "² grid, every loss exact on all frequencies" : "") + ")", r.tunedLoss() * units, setup, method, steps, list.toString(), robustLabel);

		final Plot plot = new Plot(base + "_tuned_weights_plot", "timestep t", "weight w_t");
		final double[] t = new double[steps], hw = r.heuristic().clone(), cw = new double[steps];
		final double[][] tunedCurves = new double[nb][steps];
		for (int j = 0; j < steps; j++) {
			t[j] = r.timesteps()[j];
			cw[j] = method.maxWeight() == 1 ? r.bestConstant() : r.bestConstant() * hw[j];
			for (int b = 0; b < nb; b++) tunedCurves[b][j] = r.tuned(j, b);
		}
		final double[][] all = new double[nb + 2][];
		all[0] = hw;
		all[1] = cw;
		System.arraycopy(tunedCurves, 0, all, 2, nb);
		// Log y when the weights span decades.
		final boolean log = Plots.spansDecades(all);
		Plots.legendAbove(plot, 0, Math.max(t[0], t[steps - 1]) * 1.02, log, 2 + nb, all);
		if (log) plot.setLogScaleY();
		Plots.curve(plot, t, hw, 0, String.format(Locale.ROOT, "heuristic (E_v W2² = %.4g)", r.heuristicLoss() * units));
		Plots.curve(plot, t, cw, 1, String.format(Locale.ROOT, "best constant (%.4g)", r.constantLoss() * units));
		if (nb == 1) Plots.curve(plot, t, r.tuned(), 2, String.format(Locale.ROOT, "tuned (%.4g)", r.tunedLoss() * units));
		else for (int b = 0; b < nb; b++) Plots.curve(plot, t, tunedCurves[b], 2 + b, (b == 0 ? String.format(Locale.ROOT, "tuned (%.4g), ", r.tunedLoss() * units) : "") + FrequencyBands.heading(param.by(), b, nb));
		final ImagePlus plotImp = plot.getImagePlus();
		plotImp.setTitle(base + "_tuned_weights_plot");
		final TaskResult out = new TaskResult().addImage(plotImp).addTable(base + "_tuning", summary).addTable(base + "_tuned_weights", weights);
		if (nb > 1) out.addTable(base + "_bands", bandTable(bandsOf(first, param), units));
		if (sigmas.length > 1) {
			// The robust design problem by problem, every figure exact.
			final ResultsTable each = new ResultsTable();
			final double[] constant = new double[steps];
			for (int j = 0; j < steps; j++) constant[j] = method.maxWeight() == 1 ? r.bestConstant() : r.bestConstant() * r.heuristic()[j];
			for (int i = 0; i < sigmas.length; i++) {
				each.incrementCounter();
				each.addValue("noise sigma", sigmas[i]);
				final double[] v = exact.get(i).values(progress::cancelled, r.heuristic(), constant, r.tuned());
				each.addValue("E_v W2^2 heuristic", v[0] * units);
				each.addValue("E_v W2^2 best constant", v[1] * units);
				each.addValue("E_v W2^2 tuned (robust)", v[2] * units);
			}
			out.addTable(base + "_robust", each);
		}
		return out;
	}

	/**
	 * SDEdit has no guidance weights; what it can tune is its start time t0 (MATH §7.6): the t0 in
	 * [n, T] minimising the exact E_v W2² to the posterior ({@link StartTimeSearch}), against the
	 * given t0. Tables {@code <name>_sdedit_tuning} (given and best t0) and {@code <name>_sdedit_t0}
	 * (every t0 evaluated), and a plot of E_v W2 against t0.
	 */
	public static TaskResult startTime(final AnalysisTask.Setup setup, final String methodName, final int steps, final int givenT0, final Progress progress) {
		final Method method = Methods.parse(methodName);
		if (method.start() != Method.Start.POSTERIOR_MEAN) throw new IllegalArgumentException(method.label + " does not start from the posterior mean; it has no start time t0 to tune.");
		setup.budget("Tune Sampler Weights", 1, 0).check();
		final AnalysisTask.Problem problem = setup.problem();
		final int T = problem.schedule().T();
		if (steps < 1 || steps > T) throw new IllegalArgumentException("steps must lie in 1.." + T + " (at most one step per timestep), got " + steps + ".");
		if (givenT0 < steps || givenT0 > T) throw new IllegalArgumentException("t0 = " + givenT0 + " must lie in " + steps + ".." + T + " (n = " + steps + " steps need n timesteps below t0).");
		final double units = problem.half() * problem.half();
		final Thread caller = Thread.currentThread();
		final int[] done = { 0 };
		final int scan = 33;
		final java.util.function.IntToDoubleFunction loss = t0 -> {
			progress.update(Math.min(++done[0], scan + 12), scan + 12);
			final Object[] r = problem.expected(method, steps, t0, progress);
			return ((org.spectralposterior.core.metric.Wasserstein.Expected) r[0]).squared();
		};
		final StartTimeSearch.Result r = StartTimeSearch.minimise(loss, steps, T, scan, () -> caller.isInterrupted() || progress.cancelled());
		final double given = loss.applyAsDouble(givenT0);
		final String base = Planes.baseTitle(setup.priorImp()).replace("_prior", "") + "_" + method.key;
		final ResultsTable summary = new ResultsTable();
		final String[] kinds = { "given t0", "best t0" };
		final int[] t0s = { givenT0, r.best() };
		final double[] values = { given * units, r.value() * units };
		for (int i = 0; i < 2; i++) {
			summary.incrementCounter();
			summary.addValue("method", method.label);
			summary.addValue("steps", steps);
			summary.addValue("t0", kinds[i] + " = " + t0s[i]);
			summary.addValue("E_v W2^2", values[i]);
			summary.addValue("E_v W2", Math.sqrt(values[i]));
			summary.addValue("noise sigma", setup.sigma());
			summary.addValue("operator", setup.operator().describe());
			summary.addValue("use", i == 1 ? "Posterior Sampling method=" + method.key + " steps=" + steps + " t0=" + r.best() : "");
		}
		final ResultsTable curve = new ResultsTable();
		final double[] x = new double[r.evaluated().length], y = new double[x.length];
		for (int i = 0; i < x.length; i++) {
			x[i] = r.evaluated()[i];
			y[i] = Math.sqrt(r.values()[i] * units);
			curve.incrementCounter();
			curve.addValue("t0", r.evaluated()[i]);
			curve.addValue("E_v W2^2", r.values()[i] * units);
			curve.addValue("E_v W2", y[i]);
		}
		final Plot plot = new Plot(base + "_t0_plot", "start time t0", "E_v W2 to the exact posterior (image units)");
		final boolean log = Plots.spansDecades(y);
		Plots.legendAbove(plot, 0, T * 1.02, log, 2, y);
		if (log) plot.setLogScaleY();
		Plots.line(plot, x, y, 0, "E_v W2 at t0 (" + x.length + " evaluated)");
		Plots.curve(plot, new double[] { r.best() }, new double[] { Math.sqrt(r.value() * units) }, 3, String.format(Locale.ROOT, "best t0 = %d (E_v W2 = %.4g)", r.best(), Math.sqrt(r.value() * units)));
		final ImagePlus plotImp = plot.getImagePlus();
		plotImp.setTitle(base + "_t0_plot");
		return new TaskResult().addImage(plotImp).addTable(base + "_tuning", summary).addTable(base + "_t0", curve);
	}

	/** The exact objectives per noise level and what the search runs on (binned above {@link #BINNING_ABOVE} frequencies). */
	private record Objectives(List<TuningObjective> exact, List<TuningObjective> coarse, boolean binned) {
		TuningObjective objective() {
			return exact.size() == 1 ? exact.get(0) : new SumObjective(exact);
		}

		TuningObjective search() {
			return coarse.size() == 1 ? coarse.get(0) : new SumObjective(coarse);
		}
	}

	private static Objectives objectives(final AnalysisTask.Setup setup, final AnalysisTask.Problem first, final Method method, final int steps, final double[] sigmas,
		final Parametrisation param) {
		final IntensityMap map = setup.map();
		final List<TuningObjective> exact = new ArrayList<>(), coarse = new ArrayList<>();
		boolean binned = false;
		for (final double sigma : sigmas) {
			final AnalysisTask.Problem problem = new AnalysisTask.Problem(setup, first.unitPrior(), first.op(), map.noiseToUnit(sigma), first.half(), first.schedule());
			if (setup.factor() > 1) {
				// Super-resolution: the objective per aliasing group, its gradient by the block adjoint (no binning).
				final SuperResolutionSampler ss = new SuperResolutionSampler(problem.unitPrior(), problem.op(), setup.factor(), problem.unitSigma(), problem.config(method, steps, 1));
				final SuperResolutionObjective o = new SuperResolutionObjective(ss, problem.unitPrior(), problem.unitSigma());
				exact.add(o);
				coarse.add(o);
			}
			else {
				final WeightObjective o = new WeightObjective(problem.sampler(method, steps, 1), param.banded() ? bandsOf(problem, param) : null);
				// Large images: tune on (λ, ρ) groups (MATH §10), then score every weight set exactly.
				binned = o.entries() > BINNING_ABOVE;
				exact.add(o);
				coarse.add(binned ? o.binned(BINS) : o);
			}
		}
		return new Objectives(exact, coarse, binned);
	}

	/** The bands on the problem's plane; eigenvalue bands from its prior (in [−1, 1] units: quantiles do not depend on the scale). */
	static FrequencyBands bandsOf(final AnalysisTask.Problem problem, final Parametrisation param) {
		final var prior = problem.unitPrior();
		return FrequencyBands.of(param.by(), param.bands(), prior.plane(), prior.spectrum().values());
	}

	/**
	 * A coarse result carried to the fine grid: the tuned-to-heuristic ratio (or the weight itself for a
	 * fraction, DDNM) interpolated linearly in t, times the fine heuristic.
	 */
	static WeightTuner.Result warmStarted(final WeightTuner.Result coarse, final TuningObjective fine, final boolean fraction) {
		final int[] tc = coarse.timesteps(), tf = fine.timesteps();
		final double[] hf = fine.heuristicWeights(), w = new double[tf.length];
		for (int j = 0; j < tf.length; j++) {
			// Coarse timesteps decrease in execution order.
			int i = 0;
			while (i + 1 < tc.length && tc[i + 1] >= tf[j]) i++;
			final double ri = ratio(coarse, i, fraction), rNext = i + 1 < tc.length ? ratio(coarse, i + 1, fraction) : ri;
			final double u = i + 1 < tc.length && tc[i] != tc[i + 1] ? Math.min(1, Math.max(0, (tc[i] - (double) tf[j]) / (tc[i] - tc[i + 1]))) : 0;
			final double r = tf[j] >= tc[0] ? ratio(coarse, 0, fraction) : ri + u * (rNext - ri);
			w[j] = fraction ? r : r * hf[j];
		}
		return new WeightTuner.Result(tf, hf, Double.NaN, coarse.bestConstant(), Double.NaN, w, Double.NaN, coarse.iterations(), "warm start from n = " + tc.length + " (" + coarse.stop() + ")");
	}

	/** Where each band lies: radius (1 = the corner frequency) or λ in image units², and how many frequencies it holds. */
	private static ResultsTable bandTable(final FrequencyBands bands, final double units) {
		final ResultsTable t = new ResultsTable();
		final boolean byLambda = bands.by() == FrequencyBands.By.EIGENVALUE;
		for (int b = 0; b < bands.count(); b++) {
			t.incrementCounter();
			t.addValue("band", FrequencyBands.heading(bands.by(), b, bands.count()));
			t.addValue(byLambda ? "lambda from" : "radius from", bands.lower(b) * (byLambda ? units : 1));
			t.addValue(byLambda ? "lambda to" : "radius to", bands.upper(b) * (byLambda ? units : 1));
			t.addValue("frequencies", bands.members(b));
		}
		return t;
	}

	private static double ratio(final WeightTuner.Result r, final int i, final boolean fraction) {
		return fraction ? r.tuned()[i] : r.tuned()[i] / r.heuristic()[i];
	}

	private static void row(final ResultsTable table, final String weights, final double loss, final AnalysisTask.Setup setup, final Method method, final int steps, final String list,
		final String robust) {
		table.incrementCounter();
		table.addValue("method", method.label);
		table.addValue("steps", steps);
		table.addValue("weights", weights);
		table.addValue("E_v W2^2", loss);
		table.addValue("E_v W2", Math.sqrt(loss));
		table.addValue("noise sigma", setup.sigma());
		if (!robust.isEmpty()) table.addValue("robust over noise sigmas", robust);
		table.addValue("operator", setup.operator().describe());
		table.addValue("weight_list", list);
	}
}
