package org.spectralposterior.imagej;

import java.io.File;
import java.util.Locale;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.continuous.Eigenvalues;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.diffusion.ScheduleDesign;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Design Noise Schedule: the n step values ᾱ of an unconditional sampler minimising its exact W2 (or KL)
 * to the prior ({@link ScheduleDesign}), next to the strided linear and cosine schedules. Outputs: table
 * {@code <name>_schedule} (per step: ᾱ designed, linear, cosine), table {@code <name>_schedule_table}
 * (one column alpha_bar, least noisy first: saved as CSV it is a {@code schedule_table} file for
 * Posterior Sampling with {@code schedule=table timesteps=n steps=n}), table {@code <name>_schedule_summary}
 * (the criterion for the three schedules on every frequency, and how the search went), plots
 * {@code <name>_schedule_plot} (ᾱ against the step) and {@code <name>_schedule_error_plot} (the
 * per-frequency error against λ).
 */
public final class ScheduleTask {

	/** Above this many distinct frequencies the search runs on weighted λ nodes (scored exactly after). */
	static final int NODES = 4096;

	public record Request(int steps, String criterion, String baseStep, double eta, String start, int iterations, String dataRange) {}

	private ScheduleTask() {}

	public static TaskResult run(final ImagePlus priorImp, final String eigenvalues, final Request req, final Progress progress) {
		ContinuousTask.checkOneSource(priorImp, eigenvalues);
		if (req.steps() < 1 || req.steps() > 10000) throw new IllegalArgumentException("steps must be between 1 and 10000, got " + req.steps() + ".");
		if (req.iterations() < 0) throw new IllegalArgumentException("iterations must be ≥ 0, got " + req.iterations() + ".");
		final ScheduleDesign.Criterion criterion = ScheduleDesign.Criterion.parse(req.criterion());
		final BaseStep base = BaseStep.parse(req.baseStep());
		BaseStep.checkEta(req.eta());
		final ScheduleDesign.Nodes all;
		final String name;
		if (priorImp != null) {
			final GaussianPrior prior = PriorImage.read(priorImp);
			final double[] r = SamplingTask.dataRange(priorImp, 1, req.dataRange());
			// The samplers see intensities in [−1, 1]: design for the prior on that scale.
			all = ScheduleDesign.Nodes.of(IntensityMap.parse(req.dataRange(), r[0], r[1]).toUnit(prior));
			name = Planes.baseTitle(priorImp).replace("_prior", "");
		}
		else {
			final Eigenvalues eig = ContinuousTask.readEigenvalues(eigenvalues.trim());
			all = ScheduleDesign.Nodes.ofList(eig.values(), eig.weights());
			name = Planes.baseName(new File(eigenvalues.trim()).getName());
		}
		final int n = req.steps();
		final double[] linear = ScheduleDesign.alphaBars(Schedule.linear(), n), cosine = ScheduleDesign.alphaBars(Schedule.cosine(1000), n);
		final String startKind = req.start() == null ? "linear" : req.start().trim().toLowerCase(Locale.ROOT);
		final double[] start = switch (startKind) {
			case "linear" -> linear;
			case "cosine" -> cosine;
			default -> throw new IllegalArgumentException("start must be linear or cosine, got '" + req.start() + "'.");
		};
		final ScheduleDesign.Nodes search = all.binned(NODES);
		final ScheduleDesign design = new ScheduleDesign(search, base, req.eta(), criterion), exact = new ScheduleDesign(all, base, req.eta(), criterion);
		progress.update(0, 1);
		final Thread caller = Thread.currentThread();
		final ScheduleDesign.Result r = design.design(start, req.iterations(), () -> caller.isInterrupted() || progress.cancelled());
		progress.update(1, 1);
		final double vd = exact.value(r.alphaBars(), null), vl = exact.value(linear, null), vc = exact.value(cosine, null);

		final ResultsTable steps = new ResultsTable(), table = new ResultsTable(), summary = new ResultsTable();
		for (int j = 0; j < n; j++) {
			steps.incrementCounter();
			steps.addValue("step", j + 1);
			steps.addValue("alpha_bar designed", r.alphaBars()[j]);
			steps.addValue("alpha_bar linear", linear[j]);
			steps.addValue("alpha_bar cosine", cosine[j]);
		}
		for (final double a : ScheduleDesign.asTable(r.alphaBars())) {
			table.incrementCounter();
			table.addValue("alpha_bar", a);
		}
		final String[] kinds = { "designed", "linear", "cosine" };
		final double[] values = { vd, vl, vc };
		for (int i = 0; i < 3; i++) {
			summary.incrementCounter();
			summary.addValue("schedule", kinds[i]);
			summary.addValue("criterion", criterion.key);
			summary.addValue("value", values[i]);
			if (criterion == ScheduleDesign.Criterion.W2) summary.addValue("W2 (unit intensities)", Math.sqrt(values[i]));
			summary.addValue("steps", n);
			summary.addValue("base step", base.key + (base == BaseStep.DDIM ? " η=" + req.eta() : ""));
			summary.addValue("search", "");
			summary.addValue("use", "");
			if (i == 0) {
				summary.addValue("search", (search == all ? "all " : search.lambda().length + " λ nodes of ") + all.lambda().length + " frequencies; " + r.iterations() + " L-BFGS iterations (" + r.stop() + ")");
				summary.addValue("use", "Posterior Sampling schedule=table timesteps=" + n + " steps=" + n + " schedule_table=<the saved " + name + "_schedule_table.csv>");
			}
		}

		final double[] x = new double[n];
		for (int j = 0; j < n; j++) x[j] = j + 1;
		final Plot abPlot = new Plot(name + "_schedule_plot", "step (noisiest first)", "ᾱ");
		abPlot.setLogScaleY();
		Plots.curve(abPlot, x, r.alphaBars(), 0, "designed (" + criterion.key + ")");
		Plots.curve(abPlot, x, linear, 1, "linear");
		Plots.curve(abPlot, x, cosine, 2, "cosine");
		Plots.legendAbove(abPlot, 0.5, n + 0.5, true, 3, r.alphaBars(), linear, cosine);

		final double[][] pd = exact.perNode(r.alphaBars()), pl = exact.perNode(linear), pc = exact.perNode(cosine);
		final double[] lam = all.lambda();
		final int[] order = java.util.stream.IntStream.range(0, lam.length).filter(i -> lam[i] > 0).boxed().sorted((a, b) -> Double.compare(lam[a], lam[b])).mapToInt(Integer::intValue).toArray();
		final double[] lx = new double[order.length], ed = new double[order.length], el = new double[order.length], ec = new double[order.length];
		for (int i = 0; i < order.length; i++) {
			lx[i] = lam[order[i]];
			ed[i] = pd[0][order[i]];
			el[i] = pl[0][order[i]];
			ec[i] = pc[0][order[i]];
		}
		final Plot errPlot = new Plot(name + "_schedule_error_plot", "prior eigenvalue λ", criterion == ScheduleDesign.Criterion.W2 ? "(s − √λ)² per frequency" : "KL per frequency");
		errPlot.setLogScaleX();
		errPlot.setLogScaleY();
		Plots.line(errPlot, lx, ed, 0, "designed");
		Plots.line(errPlot, lx, el, 1, "linear");
		Plots.line(errPlot, lx, ec, 2, "cosine");
		final double[] xr = Plots.range(true, lx);
		Plots.legendAbove(errPlot, xr == null ? 1e-6 : xr[0], xr == null ? 1 : xr[1], true, 3, ed, el, ec);
		final ImagePlus a = abPlot.getImagePlus(), e = errPlot.getImagePlus();
		a.setTitle(name + "_schedule_plot");
		e.setTitle(name + "_schedule_error_plot");
		return new TaskResult().addImage(a).addImage(e).addTable(name + "_schedule", steps).addTable(name + "_schedule_table", table).addTable(name + "_schedule_summary", summary);
	}
}
