package org.spectralposterior.imagej;

import java.util.Locale;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.Methods;
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
	static final int BINS = 128;
	/** L-BFGS iterations on all frequencies after the binned search. */
	static final int REFINE = 30;

	private TuningTask() {}

	public static TaskResult run(final AnalysisTask.Setup setup, final String methodName, final int steps, final double smoothness, final int iterations, final Progress progress) {
		final Method method = Methods.parse(methodName);
		setup.budget("Tune Sampler Weights", 1, 0).check();
		final AnalysisTask.Problem problem = setup.problem();
		if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps + ".");
		final WeightTuner.Result r;
		final boolean binned;
		if (setup.factor() > 1) {
			// Super-resolution: the objective per aliasing group, its gradient by the block adjoint (no binning).
			final SuperResolutionSampler ss = new SuperResolutionSampler(problem.unitPrior(), problem.op(), setup.factor(), problem.unitSigma(), problem.config(method, steps, 1));
			binned = false;
			r = new WeightTuner(new SuperResolutionObjective(ss, problem.unitPrior(), problem.unitSigma()), smoothness, iterations).tune(progress);
		}
		else {
			final DiffusionSampler ds = problem.sampler(method, steps, 1);
			final WeightObjective exact = new WeightObjective(ds);
			// Large images: tune on (λ, ρ) groups (MATH §10), then score every weight set exactly.
			binned = exact.entries() > BINNING_ABOVE;
			final WeightTuner full = new WeightTuner(exact, smoothness, iterations);
			r = binned ? full.refine(new WeightTuner(exact.binned(BINS), smoothness, iterations).tune(progress), REFINE, progress) : full.tune(progress);
		}
		final double units = problem.half() * problem.half();
		final String base = Planes.baseTitle(setup.priorImp()).replace("_prior", "") + "_" + method.key;

		final ResultsTable weights = new ResultsTable();
		for (int j = 0; j < steps; j++) {
			weights.incrementCounter();
			weights.addValue("step", j + 1);
			weights.addValue("t", r.timesteps()[j]);
			weights.addValue("heuristic", r.heuristic()[j]);
			weights.addValue("best constant", method.maxWeight() == 1 ? r.bestConstant() : r.bestConstant() * r.heuristic()[j]);
			weights.addValue("tuned", r.tuned()[j]);
		}
		final ResultsTable summary = new ResultsTable();
		row(summary, "heuristic", r.heuristicLoss() * units, setup, method, steps, "");
		row(summary, "best constant (" + (method.maxWeight() == 1 ? "w = " : "× heuristic, c = ") + String.format(Locale.ROOT, "%.5g", r.bestConstant()) + ")", r.constantLoss() * units, setup, method,
			steps, "");
		final StringBuilder list = new StringBuilder();
		for (final double w : r.tuned()) list.append(list.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", w));
		row(summary, "tuned (L-BFGS, " + r.iterations() + " iterations, stop: " + r.stop() + (binned ? "; searched on " + BINS + "² (λ, ρ) groups first" : "") + ")",
			r.tunedLoss() * units, setup, method, steps, list.toString());

		final Plot plot = new Plot(base + "_tuned_weights_plot", "timestep t", "weight w_t");
		final double[] t = new double[steps], hw = r.heuristic().clone(), cw = new double[steps];
		for (int j = 0; j < steps; j++) {
			t[j] = r.timesteps()[j];
			cw[j] = method.maxWeight() == 1 ? r.bestConstant() : r.bestConstant() * hw[j];
		}
		// Log y when the weights span decades.
		final boolean log = Plots.spansDecades(hw, cw, r.tuned());
		Plots.legendAbove(plot, 0, Math.max(t[0], t[steps - 1]) * 1.02, log, 3, hw, cw, r.tuned());
		if (log) plot.setLogScaleY();
		Plots.curve(plot, t, hw, 0, String.format(Locale.ROOT, "heuristic (E W2² = %.4g)", r.heuristicLoss() * units));
		Plots.curve(plot, t, cw, 1, String.format(Locale.ROOT, "best constant (%.4g)", r.constantLoss() * units));
		Plots.curve(plot, t, r.tuned(), 2, String.format(Locale.ROOT, "tuned (%.4g)", r.tunedLoss() * units));
		final ImagePlus plotImp = plot.getImagePlus();
		plotImp.setTitle(base + "_tuned_weights_plot");
		return new TaskResult().addImage(plotImp).addTable(base + "_tuning", summary).addTable(base + "_tuned_weights", weights);
	}

	private static void row(final ResultsTable table, final String weights, final double loss, final AnalysisTask.Setup setup, final Method method, final int steps, final String list) {
		table.incrementCounter();
		table.addValue("method", method.label);
		table.addValue("steps", steps);
		table.addValue("weights", weights);
		table.addValue("E_v W2^2", loss);
		table.addValue("E_v W2", Math.sqrt(loss));
		table.addValue("noise sigma", setup.sigma());
		table.addValue("operator", setup.operator().describe());
		table.addValue("weight_list", list);
	}
}
