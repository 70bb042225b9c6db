package org.spectralposterior.imagej;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.diffusion.ConditionalScheduleDesign;
import org.spectralposterior.core.diffusion.FrequencyBands;
import org.spectralposterior.core.diffusion.StepEtaDesign;
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
	/**
	 * The η design searched on groups is polished on all frequencies when one exact evaluation is at most
	 * this many entry-steps: 512² gravel, blur 2, noise 5, ΠGDM, n = 20, the grouped (w, η) design scored
	 * no better than the per-step weights exactly, and 20 exact iterations took it from 6.559e6 to 6.230e6.
	 * The per-step weights are polished the same way: dropped once (+4 s for 0.26 % at n = 20), restored when
	 * the grouped weights of the same case scored worse than the best constant (see {@link #run}).
	 */
	static final long REFINE_BUDGET = 3_000_000L;
	static final int REFINE_ITERATIONS = 20;

	private TuningTask() {}

	/**
	 * What is tuned: one weight per step ({@code bands == 1}), or one per step in each of {@code bands}
	 * frequency bands grouped by radius or by the prior's eigenvalue (a guidance filter, MATH §10).
	 */
	public record Parametrisation(int bands, FrequencyBands.By by, boolean eta) {
		public static final Parametrisation PER_STEP = new Parametrisation(1, FrequencyBands.By.FREQUENCY, false);
		/** One weight and one DDIM η per step. */
		public static final String WEIGHTS_AND_ETA = "weights and eta per step";

		public static Parametrisation parse(final String parametrisation, final int bands, final String bandBy) {
			final String p = parametrisation == null ? "" : parametrisation.trim().toLowerCase(Locale.ROOT);
			if (p.equals("per step") || p.isEmpty()) return PER_STEP;
			if (p.equals(WEIGHTS_AND_ETA)) return new Parametrisation(1, FrequencyBands.By.FREQUENCY, true);
			if (!p.equals("per step and band")) throw new IllegalArgumentException("parametrisation must be 'per step', 'per step and band' or '" + WEIGHTS_AND_ETA + "', got '" + parametrisation + "'.");
			FrequencyBands.checkCount(bands);
			return new Parametrisation(bands, FrequencyBands.By.parse(bandBy), false);
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
		return run(setup, methodName, steps, smoothness, iterations, noiseList, "", warmStart, param, progress);
	}

	/**
	 * With {@code blurList} too (comma-separated Gaussian blur σ in pixels, or empty): robust over the
	 * operator as well, one weight list minimising the sum of E_v W2² over every (noise level, blur
	 * width) pair — a microscope whose focus drifts as well as its noise.
	 */
	public static TaskResult run(final AnalysisTask.Setup setup, final String methodName, final int steps, final double smoothness, final int iterations, final String noiseList,
		final String blurList, final int warmStart, final Parametrisation param, final Progress progress) {
		return run(setup, methodName, steps, smoothness, iterations, noiseList, blurList, warmStart, param, 0, progress);
	}

	/** As above, with a first stage on {@code smoothBasis} = K smooth functions of t (0: none; per step only, {@link WeightTuner}). */
	public static TaskResult run(final AnalysisTask.Setup setup, final String methodName, final int steps, final double smoothness, final int iterations, final String noiseList,
		final String blurList, final int warmStart, final Parametrisation param, final int smoothBasis, final Progress progress) {
		if (smoothBasis < 0) throw new IllegalArgumentException("smooth_basis must be ≥ 0 (0: none), got " + smoothBasis + ".");
		if (smoothBasis > 0 && param.banded()) throw new IllegalArgumentException("smooth_basis is a stage of the per-step search; use it with parametrisation=[per step].");
		if (smoothBasis > 0 && warmStart > 0) throw new IllegalArgumentException("smooth_basis and warm_start are two ways to start the per-step search: give one of them.");
		if (smoothBasis > steps) throw new IllegalArgumentException("smooth_basis=" + smoothBasis + " is more functions than steps=" + steps + "; give at most " + steps + ".");
		if (param.banded() && setup.factor() > 1) {
			throw new IllegalArgumentException("Weights per frequency band need a convolution operator: a super-resolution frequency is aliased with r² others. Use parametrisation=[per step].");
		}
		final double[] blurs = blurWidths(setup, blurList);
		if (param.eta() && PriorImage.isColour(setup.priorImp())) colourComponents(setup, new double[1], null, param);
		if (param.eta()) checkEtaDesign(setup);
		if (warmStart < 0 || warmStart >= Math.max(2, steps) && warmStart != 0) {
			throw new IllegalArgumentException("warm_start must be 0 (none) or a number of steps below steps=" + steps + ", got " + warmStart + ".");
		}
		final Method method = Methods.parse(methodName);
		final double[] sigmas = noiseList == null || noiseList.isBlank() ? new double[] { setup.sigma() }
			: NumberLists.values("noise_list", NumberLists.resolve("noise_list", noiseList), "noise_list must be noise levels separated by commas (e.g. 2,5,10), or the path of a file of them");
		for (final double x : sigmas) if (!(x >= 0) || Double.isInfinite(x)) throw new IllegalArgumentException("noise_list holds " + x + "; noise levels must be finite numbers ≥ 0.");
		// A colour prior's eigen-channels are problems of their own, each with its objective.
		final int components = setup.components();
		setup.budget("Tune Sampler Weights", (long) sigmas.length * (blurs == null ? 1 : blurs.length) * components, 0).check();
		final AnalysisTask.Problem first = colourComponents(setup, sigmas, blurs, param).get(0);
		if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps + ".");
		final Objectives obj = objectives(setup, first, method, steps, sigmas, blurs, param);
		final List<TuningObjective> exact = obj.exact();
		final boolean binned = obj.binned();
		final TuningObjective objective = obj.objective(), search = obj.search();
		WeightTuner.Result r;
		if (warmStart > 0) {
			// Tune at the coarser n first, carry its weights to this grid by their ratio to the heuristic
			// (interpolated in t), then continue here: the fine search starts near its optimum.
			final WeightTuner.Result c = new WeightTuner(objectives(setup, first, method, warmStart, sigmas, blurs, param).search(), smoothness, iterations, Math.min(smoothBasis, warmStart)).tune(progress.within("warm start at n = " + warmStart));
			final TuningObjective target = binned ? search : objective;
			final WeightTuner.Result fine = new WeightTuner(target, smoothness, iterations).refine(warmStarted(c, target, method.maxWeight() == 1), iterations, progress.within("n = " + steps));
			r = binned ? WeightTuner.scored(fine, objective, progress::cancelled) : fine;
		}
		// Large images: the search runs on (λ, ρ) groups and every reported loss is exact (one fused pass).
		else {
			final Progress stage = progress.within(method.label + " · " + steps + " steps" + (binned ? " · on frequency groups" : ""));
			r = binned ? WeightTuner.scored(new WeightTuner(search, smoothness, iterations).tune(stage), objective, progress::cancelled) : new WeightTuner(objective, smoothness, iterations).tune(stage);
			if (smoothBasis > 0) {
				// The per-step search from the smooth curve, kept only if it scores better on all frequencies than
				// the one from the best constant: on (λ, ρ) groups a smooth curve can look stable and diverge on the
				// frequencies between them (gravel 1024², ΠGDM 1000 steps, 8 cosines: 1.2·10⁷⁹ exactly).
				final WeightTuner.Result s = binned ? WeightTuner.scored(new WeightTuner(search, smoothness, iterations, smoothBasis).tune(progress), objective, progress::cancelled)
					: new WeightTuner(objective, smoothness, iterations, smoothBasis).tune(progress);
				if (smoothness == 0 && s.smoothLoss() < Math.min(s.tunedLoss(), r.tunedLoss())) {
					// The smooth curve itself is the best on all frequencies (the per-step searches ran on the groups).
					r = new WeightTuner.Result(s.timesteps(), s.heuristic(), s.heuristicLoss(), s.bestConstant(), s.constantLoss(), s.smooth(), s.smoothLoss(), r.iterations() + s.iterations(),
						s.stop() + "; the smooth curve scored best on all frequencies and is kept", s.smooth(), s.smoothLoss());
				}
				else r = s.tunedLoss() <= r.tunedLoss()
					? new WeightTuner.Result(s.timesteps(), s.heuristic(), s.heuristicLoss(), s.bestConstant(), s.constantLoss(), s.tuned(), s.tunedLoss(), r.iterations() + s.iterations(), s.stop(),
						s.smooth(), s.smoothLoss())
					: new WeightTuner.Result(r.timesteps(), r.heuristic(), r.heuristicLoss(), r.bestConstant(), r.constantLoss(), r.tuned(), r.tunedLoss(), r.iterations() + s.iterations(),
						r.stop() + "; from the smooth curve the per-step search scored " + String.format(Locale.ROOT, "%.6g", s.tunedLoss() * first.half() * first.half()) + " on all frequencies, so the search from the best constant is kept",
						s.smooth(), s.smoothLoss());
			}
		}
		// The grouped search can mislead: on the README's tutorial (512² gravel, blur 2, noise 5, ΠGDM, n = 20)
		// its weights scored worse on all frequencies than the best constant after 30 and after 300 iterations,
		// and 1.2 % better after 100. So when one exact evaluation is affordable the result is refined on all
		// frequencies, from the better of its weights and the constant, which can only lower the exact loss.
		if (binned && smoothBasis == 0 && obj.entrySteps() <= REFINE_BUDGET) r = new WeightTuner(objective, smoothness, iterations).refine(r, REFINE_ITERATIONS, progress.within("refining on all frequencies"));
		// The η design's grouped search can miss where the weights' does not; polished on all frequencies when affordable.
		final boolean polishEta = binned && obj.entrySteps() <= REFINE_BUDGET;
		final AnalysisTask.Problem problem = first;
		final double units = problem.half() * problem.half();
		final String base = Planes.baseTitle(setup.priorImp()).replace("_prior", "") + "_" + method.key;
		final EtaDesign etaDesign = param.eta() ? designEta(problems(setup, first, sigmas, blurs), method, steps, r, binned, polishEta, iterations, progress) : null;

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
			if (etaDesign != null) {
				weights.addValue("tuned", etaDesign.weights()[j]);
				weights.addValue("eta", etaDesign.etas()[j]);
			}
			else if (nb == 1) weights.addValue("tuned", r.tuned()[j]);
			else for (int b = 0; b < nb; b++) weights.addValue(FrequencyBands.heading(param.by(), b, nb), r.tuned(j, b));
		}
		final String robustLabel = sigmas.length > 1 ? plain(sigmas) : "", robustBlurs = blurs != null ? plain(blurs) : "";
		final ResultsTable summary = new ResultsTable();
		row(summary, "heuristic", r.heuristicLoss() * units, setup, method, steps, "", robustLabel, robustBlurs);
		row(summary, "best constant (" + (method.maxWeight() == 1 ? "w = " : "× heuristic, c = ") + String.format(Locale.ROOT, "%.5g", r.bestConstant()) + ")", r.constantLoss() * units, setup, method,
			steps, "", robustLabel, robustBlurs);
		if (!Double.isNaN(r.smoothLoss())) {
			row(summary, "smooth in t (" + smoothBasis + " cosines in t/T, L-BFGS from the best constant; the per-step search starts there)", r.smoothLoss() * units, setup, method, steps, "",
				robustLabel, robustBlurs);
		}
		final StringBuilder list = new StringBuilder();
		// A band design is n·B numbers whose meaning needs the band definition: it travels as the table (weights=tuned).
		if (nb == 1) for (final double w : r.tuned()) list.append(list.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", w));
		row(summary, "tuned " + (nb == 1 ? "per step" : "per step and " + nb + " " + param.by().key() + " bands") + " (L-BFGS, " + r.iterations() + " iterations, stop: " + r.stop()
			+ (binned ? "; searched on (λ, ρ) groups of a " + BINS + "² grid" + ", every loss exact on all frequencies" : "") + ")", r.tunedLoss() * units, setup, method, steps, list.toString(), robustLabel, robustBlurs);
		if (etaDesign != null) {
			// The η list travels as the table (weights=tuned), with the weights designed with it.
			row(summary, "tuned weights and η per step (L-BFGS from the per-step optimum at η = " + setup.eta() + ", " + etaDesign.iterations() + " iterations, stop: " + etaDesign.stop()
				+ (etaDesign.kept() ? "; it did not improve on the per-step weights, which are kept with that η" : "") + ")", etaDesign.loss() * units, setup, method, steps, "", robustLabel, robustBlurs);
		}

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
		if (etaDesign != null) Plots.curve(plot, t, etaDesign.weights(), 3, String.format(Locale.ROOT, "designed with η (%.4g)", etaDesign.loss() * units));
		final ImagePlus plotImp = plot.getImagePlus();
		plotImp.setTitle(base + "_tuned_weights_plot");
		final TaskResult out = new TaskResult().addImage(TaskResult.PLOT, plotImp).addTable(base + "_tuning", summary).addTable(base + "_tuned_weights", weights);
		if (etaDesign != null) {
			final Plot etaPlot = new Plot(base + "_tuned_eta_plot", "timestep t", "DDIM η_t (0: deterministic, 1: DDPM)");
			final double[] flat = new double[steps];
			java.util.Arrays.fill(flat, setup.eta());
			Plots.legendAbove(etaPlot, 0, Math.max(t[0], t[steps - 1]) * 1.02, false, 2, new double[][] { flat, etaDesign.etas(), { 0, 1 } });
			Plots.curve(etaPlot, t, flat, 0, "given η");
			Plots.curve(etaPlot, t, etaDesign.etas(), 3, "designed η per step");
			final ImagePlus etaImp = etaPlot.getImagePlus();
			etaImp.setTitle(base + "_tuned_eta_plot");
			out.addImage(etaImp);
		}
		if (nb > 1) out.addTable(base + "_bands", bandTable(bandsOf(first, param), units));
		if (sigmas.length > 1 || blurs != null) {
			// The robust design problem by problem, every figure exact.
			final ResultsTable each = new ResultsTable();
			final double[] constant = new double[steps];
			for (int j = 0; j < steps; j++) constant[j] = method.maxWeight() == 1 ? r.bestConstant() : r.bestConstant() * r.heuristic()[j];
			for (int i = 0; i < exact.size(); i++) {
				each.incrementCounter();
				each.addValue("noise_sigma", sigmas[i % sigmas.length]);
				if (blurs != null) each.addValue("blur_sigma", blurs[i / sigmas.length]);
				final double[] v = exact.get(i).values(progress::cancelled, r.heuristic(), constant, r.tuned());
				each.addValue("E_v W2^2 heuristic", v[0] * units);
				each.addValue("E_v W2^2 best constant", v[1] * units);
				each.addValue("E_v W2^2 tuned (robust)", v[2] * units);
				if (etaDesign != null) each.addValue("E_v W2^2 tuned weights and eta (robust)", etaDesign.perProblem()[i] * units);
			}
			out.addTable(base + "_robust", each);
		}
		return out;
	}

	/**
	 * SDEdit has no guidance weights; what it can tune is its start time t0 (MATH §0.5): the t0 in
	 * [n, T] minimising the exact E_v W2² to the posterior ({@link StartTimeSearch}), against the
	 * given t0. Tables {@code <name>_sdedit_tuning} (given and best t0) and {@code <name>_sdedit_t0}
	 * (every t0 evaluated), and a plot of E_v W2 against t0.
	 */
	public static TaskResult startTime(final AnalysisTask.Setup setup, final String methodName, final int steps, final int givenT0, final Progress progress) {
		final Method method = Methods.parse(methodName);
		if (method.start() != Method.Start.POSTERIOR_MEAN) throw new IllegalArgumentException(method.label + " does not start from the posterior mean; it has no start time t0 to tune.");
		setup.budget("Tune Sampler Weights", 1, 0).check();
		if (PriorImage.isColour(setup.priorImp())) {
			throw new IllegalArgumentException("SDEdit's start time is tuned for a one-channel prior; with a colour prior, compare start times with Posterior Sampling (method=sdedit, t0=…) or Compare Samplers.");
		}
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
			summary.addValue("noise_sigma", setup.sigma());
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
		return new TaskResult().addImage(TaskResult.PLOT, plotImp).addTable(base + "_tuning", summary).addTable(base + "_t0", curve);
	}

	private static String plain(final double[] values) {
		return java.util.Arrays.stream(values).mapToObj(x -> new java.math.BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString()).reduce((a, b) -> a + "," + b).orElse("");
	}

	/**
	 * The blur widths of a design robust over the operator, or null: Gaussian σ in pixels, for a Gaussian
	 * blur (the operator's own width is one of them only if listed).
	 */
	private static double[] blurWidths(final AnalysisTask.Setup setup, final String blurList) {
		if (blurList == null || blurList.isBlank()) return null;
		if (setup.factor() > 1 || setup.operator().kind() != org.spectralposterior.core.operator.OperatorSpec.Kind.GAUSSIAN) {
			throw new IllegalArgumentException("blur_list varies the width of a Gaussian blur; use operator=gaussian (no super-resolution), or leave blur_list empty.");
		}
		final double[] b = NumberLists.values("blur_list", NumberLists.resolve("blur_list", blurList), "blur_list must be Gaussian blur widths in pixels separated by commas (e.g. 1.5,2,2.5), or the path of a file of them");
		for (final double x : b) if (!(x > 0) || Double.isInfinite(x)) throw new IllegalArgumentException("blur_list holds " + x + "; blur widths must be finite numbers > 0 (pixels).");
		return b;
	}

	/**
	 * Weights and η per step, their exact E_v W2² (unit space; robust: the sum, and per problem), and
	 * whether the per-step result was kept.
	 */
	private record EtaDesign(double[] weights, double[] etas, double loss, double[] perProblem, int iterations, String stop, boolean kept) {}

	/** What η per step needs: DDIM and a convolution (the message names the fix). */
	private static void checkEtaDesign(final AnalysisTask.Setup setup) {
		if (org.spectralposterior.core.diffusion.BaseStep.parse(setup.baseStep()) != org.spectralposterior.core.diffusion.BaseStep.DDIM) {
			throw new IllegalArgumentException("parametrisation=[" + Parametrisation.WEIGHTS_AND_ETA + "] designs DDIM's η: set base_step=ddim (eta is then the starting value).");
		}
		if (setup.factor() > 1) throw new IllegalArgumentException("η per step is designed on convolution operators; use parametrisation=[per step] for super-resolution.");
	}

	/**
	 * η per step designed with the weights (MATH §9.3 objective, {@link StepEtaDesign}): from the per-step
	 * optimum at the given η, on the same entries as the weight search (groups above
	 * {@link #BINNING_ABOVE} frequencies), the result scored on every frequency. If it scores worse than the
	 * per-step weights at the given η, those are kept. With several problems (noise_list, blur_list) one
	 * list of weights and η minimises the sum of their ℒ, as the weights alone do.
	 */
	private static EtaDesign designEta(final List<AnalysisTask.Problem> problems, final Method method, final int steps, final WeightTuner.Result r, final boolean binned, final boolean polish,
		final int iterations, final Progress progress) {
		final org.spectralposterior.core.diffusion.BaseStep ddim = org.spectralposterior.core.diffusion.BaseStep.DDIM;
		final AnalysisTask.Problem first = problems.get(0);
		final double eta = first.setup().eta();
		final List<ConditionalScheduleDesign> exacts = new ArrayList<>(), searches = new ArrayList<>();
		for (final AnalysisTask.Problem p : problems) {
			final ConditionalScheduleDesign e = new ConditionalScheduleDesign(p.unitPrior(), p.op(), p.unitSigma(), method, ddim, eta);
			exacts.add(e);
			searches.add(binned ? e.binned(BINS) : e);
		}
		final org.spectralposterior.core.diffusion.StepGrid grid = first.config(method, steps, 1).grid();
		final StepEtaDesign exact = new StepEtaDesign(exacts, grid);
		final double[] given = new double[steps];
		java.util.Arrays.fill(given, eta);
		progress.detail("designing η per step");
		final StepEtaDesign.Result d = new StepEtaDesign(searches, grid).design(r.tuned(), given, iterations, (it, v) -> progress.update(it, iterations), progress::cancelled);
		double loss = binned ? exact.value(d.weights(), d.etas(), null, null, progress::cancelled) : d.loss();
		double[] w = d.weights(), e = d.etas();
		int its = d.iterations();
		String stop = d.stop();
		if (binned && polish) {
			// As the weights (REFINE_BUDGET): a few iterations on all frequencies, from the better start.
			final boolean fromDesign = loss < r.tunedLoss();
			final StepEtaDesign.Result p = exact.design(fromDesign ? w : r.tuned(), fromDesign ? e : given, REFINE_ITERATIONS, (it, v) -> progress.update(it, REFINE_ITERATIONS), progress::cancelled);
			w = p.weights();
			e = p.etas();
			loss = p.loss();
			its += p.iterations();
			stop += "; refined on all frequencies: " + p.stop();
		}
		final boolean kept = loss >= r.tunedLoss();
		final double[] wOut = kept ? r.tuned() : w, eOut = kept ? given : e;
		// Per problem for the robust table (one problem: its loss is the total).
		final double[] each = new double[exacts.size()];
		if (each.length == 1) each[0] = kept ? r.tunedLoss() : loss;
		else for (int i = 0; i < each.length; i++) each[i] = exacts.get(i).stepsValue(grid, wOut, eOut, null, null, progress::cancelled);
		return new EtaDesign(wOut, eOut, kept ? r.tunedLoss() : loss, each, its, stop, kept);
	}

	/** The exact objectives per noise level and what the search runs on (binned above {@link #BINNING_ABOVE} frequencies). */
	private record Objectives(List<TuningObjective> exact, List<TuningObjective> coarse, boolean binned, long entrySteps) {
		TuningObjective objective() {
			return exact.size() == 1 ? exact.get(0) : new SumObjective(exact);
		}

		TuningObjective search() {
			return coarse.size() == 1 ? coarse.get(0) : new SumObjective(coarse);
		}
	}

	private static Objectives objectives(final AnalysisTask.Setup setup, final AnalysisTask.Problem first, final Method method, final int steps, final double[] sigmas, final double[] blurs,
		final Parametrisation param) {
		final List<TuningObjective> exact = new ArrayList<>(), coarse = new ArrayList<>();
		boolean binned = false;
		long work = 0;
		for (final AnalysisTask.Problem problem : problems(setup, first, sigmas, blurs)) {
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
				work += (long) o.entries() * steps;
				exact.add(o);
				coarse.add(binned ? o.binned(BINS) : o);
			}
		}
		return new Objectives(exact, coarse, binned, work);
	}

	/**
	 * The problems a tuning sums: one, or for a cross-channel colour prior its eigen-channels
	 * ({@link AnalysisTask.Setup#problems}: independent grey problems under one intensity map, so their
	 * E_v W2² add in one unit and the colour image's is the sum). One set of weights for every
	 * eigen-channel is what Posterior Sampling runs on a colour measurement with weights=tuned. A
	 * per-channel prior is refused: its channels have intensity maps of their own, so a sum in the
	 * steps' units would weigh them unlike the image's error; so are what the colour sampler does not
	 * take (bands, η per step) and robust sets with colour.
	 */
	private static List<AnalysisTask.Problem> colourComponents(final AnalysisTask.Setup setup, final double[] sigmas, final double[] blurs, final Parametrisation param) {
		if (!PriorImage.isColour(setup.priorImp())) return List.of(setup.problem());
		if (param.banded() || param.eta()) {
			throw new IllegalArgumentException("With a colour prior, tune with parametrisation=[per step]: Posterior Sampling takes neither bands nor η per step for colour (its eigen-channels have spectra of their own).");
		}
		if (sigmas.length > 1 || blurs != null) throw new IllegalArgumentException("Robust sets (noise_list, blur_list) are not available with a colour prior yet: tune at one noise level and blur.");
		return setup.problems();
	}

	/** Problem i is (sigmas[i % S], blurs[i / S]): noise level fastest, as the robust table lists them; with a colour prior, its eigen-channels. */
	private static List<AnalysisTask.Problem> problems(final AnalysisTask.Setup setup, final AnalysisTask.Problem first, final double[] sigmas, final double[] blurs) {
		if (PriorImage.isColour(setup.priorImp())) return setup.problems();
		final IntensityMap map = setup.map();
		final int ops = blurs == null ? 1 : blurs.length;
		final List<AnalysisTask.Problem> out = new ArrayList<>();
		for (int i = 0; i < ops * sigmas.length; i++) {
			final org.spectralposterior.core.operator.BlurOperator op = blurs == null ? first.op()
				: org.spectralposterior.core.operator.BlurOperator.of(org.spectralposterior.core.operator.OperatorSpec.gaussian(blurs[i / sigmas.length]), first.unitPrior().plane().height,
					first.unitPrior().plane().width);
			out.add(new AnalysisTask.Problem(setup, first.unitPrior(), op, map.noiseToUnit(sigmas[i % sigmas.length]), first.half(), first.schedule()));
		}
		return out;
	}

	/** The bands on the problem's plane; eigenvalue bands from its prior (in [−1, 1] units: quantiles do not depend on the scale). */
	static FrequencyBands bandsOf(final AnalysisTask.Problem problem, final Parametrisation param) {
		final var prior = problem.unitPrior();
		return FrequencyBands.of(param.by(), param.bands(), prior.plane(), prior.spectrum().values());
	}

	/**
	 * A coarse result carried to the fine grid: the tuned-to-heuristic ratio (or the weight itself for a
	 * fraction, DDNM) interpolated linearly in t, times the fine heuristic; with weights per step and band,
	 * each band's ratios are interpolated on their own (the bands are the same on both grids: they depend on
	 * the frequencies, not on the steps).
	 */
	static WeightTuner.Result warmStarted(final WeightTuner.Result coarse, final TuningObjective fine, final boolean fraction) {
		final int[] tc = coarse.timesteps(), tf = fine.timesteps();
		final int nb = coarse.bands();
		if (fine.bands() != nb) throw new IllegalArgumentException("The coarse search has " + nb + " bands, the fine objective " + fine.bands() + ".");
		final double[] hf = fine.heuristicWeights(), w = new double[tf.length * nb];
		for (int j = 0; j < tf.length; j++) {
			// Coarse timesteps decrease in execution order.
			int i = 0;
			while (i + 1 < tc.length && tc[i + 1] >= tf[j]) i++;
			final double u = i + 1 < tc.length && tc[i] != tc[i + 1] ? Math.min(1, Math.max(0, (tc[i] - (double) tf[j]) / (tc[i] - tc[i + 1]))) : 0;
			for (int b = 0; b < nb; b++) {
				final double ri = ratio(coarse, i, b, fraction), rNext = i + 1 < tc.length ? ratio(coarse, i + 1, b, fraction) : ri;
				final double r = tf[j] >= tc[0] ? ratio(coarse, 0, b, fraction) : ri + u * (rNext - ri);
				w[j * nb + b] = fraction ? r : r * hf[j];
			}
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

	/** Step i's weight in band b over its heuristic (the weight itself for a fraction). */
	private static double ratio(final WeightTuner.Result r, final int i, final int b, final boolean fraction) {
		final double t = r.tuned(i, b);
		return fraction ? t : t / r.heuristic()[i];
	}

	private static void row(final ResultsTable table, final String weights, final double loss, final AnalysisTask.Setup setup, final Method method, final int steps, final String list,
		final String robust, final String robustBlurs) {
		table.incrementCounter();
		table.addValue("method", method.label);
		table.addValue("steps", steps);
		table.addValue("weights", weights);
		table.addValue("E_v W2^2", loss);
		table.addValue("E_v W2", Math.sqrt(loss));
		table.addValue("noise_sigma", setup.sigma());
		if (!robust.isEmpty()) table.addValue("robust over noise sigmas", robust);
		if (!robustBlurs.isEmpty()) table.addValue("robust over blur sigmas", robustBlurs);
		table.addValue("operator", setup.operator().describe());
		table.addValue("weight_list", list);
	}
}
