package org.spectralposterior.imagej;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.continuous.Eigenvalues;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.ConditionalScheduleDesign;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.diffusion.ScheduleDesign;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
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
 * <p>
 * {@code criterion = posterior} (issue 11): the ᾱ of a guided method run with its heuristic weights that
 * minimise the exact E_v W2² of its output law to the posterior for an operator and noise level
 * ({@link ConditionalScheduleDesign}), searched on (λ, ρ) groups above {@link TuningTask#BINNING_ABOVE}
 * frequencies and refined on all; every reported E_v W2² (image units, as Compare Samplers reports it)
 * is on all frequencies.
 */
public final class ScheduleTask {

	/** Above this many distinct frequencies the search runs on weighted λ nodes (scored exactly after). */
	static final int NODES = 4096;

	public record Request(int steps, String criterion, String baseStep, double eta, String start, int iterations, String dataRange, int warmStart) {

		public Request(final int steps, final String criterion, final String baseStep, final double eta, final String start, final int iterations, final String dataRange) {
			this(steps, criterion, baseStep, eta, start, iterations, dataRange, 0);
		}
	}

	/** The conditional problem of {@code criterion = posterior}: the method, and the operator and noise σ (image units). */
	public record Posterior(String method, OperatorSpec operator, double sigma, String noiseList) {

		public Posterior(final String method, final OperatorSpec operator, final double sigma) {
			this(method, operator, sigma, "");
		}
	}

	/** The criterion key of the conditional design. */
	public static final String POSTERIOR = "posterior";

	private ScheduleTask() {}

	public static TaskResult run(final ImagePlus priorImp, final String eigenvalues, final Request req, final Progress progress) {
		return run(priorImp, eigenvalues, req, null, progress);
	}

	/** With {@code posterior} the problem of {@code criterion = posterior} (ignored for w2 and kl). */
	public static TaskResult run(final ImagePlus priorImp, final String eigenvalues, final Request req, final Posterior posterior, final Progress progress) {
		ContinuousTask.checkOneSource(priorImp, eigenvalues);
		if (req.steps() < 1 || req.steps() > 10000) throw new IllegalArgumentException("steps must be between 1 and 10000, got " + req.steps() + ".");
		if (req.iterations() < 0) throw new IllegalArgumentException("iterations must be ≥ 0, got " + req.iterations() + ".");
		if (req.warmStart() != 0 && (req.warmStart() < 2 || req.warmStart() >= req.steps())) {
			throw new IllegalArgumentException("warm_start must be 0 (none) or a number of steps from 2 to steps − 1 = " + (req.steps() - 1) + ", got " + req.warmStart() + ".");
		}
		final boolean conditional = req.criterion() != null && POSTERIOR.equalsIgnoreCase(req.criterion().trim());
		final ScheduleDesign.Criterion criterion = conditional ? null : ScheduleDesign.Criterion.parse(req.criterion());
		final BaseStep base = BaseStep.parse(req.baseStep());
		BaseStep.checkEta(req.eta());
		if (conditional) return conditional(priorImp, req, posterior, base, progress);
		final ScheduleDesign.Nodes all;
		final String name;
		if (priorImp != null) {
			final GaussianPrior prior = PriorImage.read(priorImp);
			// The samplers see intensities in [−1, 1]: design for the prior on that scale.
			all = ScheduleDesign.Nodes.of(SamplingTask.intensityMap(priorImp, 1, req.dataRange()).toUnit(prior));
			name = Planes.baseTitle(priorImp).replace("_prior", "");
		}
		else {
			final Eigenvalues eig = ContinuousTask.readEigenvalues(eigenvalues.trim());
			all = ScheduleDesign.Nodes.ofList(eig.values(), eig.weights());
			name = Planes.baseName(new File(eigenvalues.trim()).getName());
		}
		final int n = req.steps();
		final double[] linear = ScheduleDesign.alphaBars(Schedule.linear(), n), cosine = ScheduleDesign.alphaBars(Schedule.cosine(1000), n);
		final double[] start = start(req, linear, cosine);
		final ScheduleDesign.Nodes search = all.binned(NODES);
		final ScheduleDesign design = new ScheduleDesign(search, base, req.eta(), criterion), exact = new ScheduleDesign(all, base, req.eta(), criterion);
		progress.update(0, 1);
		progress.detail("designing the ᾱ table: " + req.steps() + " steps" + (req.warmStart() > 0 ? ", warm start from " + req.warmStart() : ""));
		final Thread caller = Thread.currentThread();
		final java.util.function.BooleanSupplier cancelled = () -> caller.isInterrupted() || progress.cancelled();
		final ScheduleDesign.Result r = warm(req, start, nc -> start(req, ScheduleDesign.alphaBars(Schedule.linear(), nc), ScheduleDesign.alphaBars(Schedule.cosine(1000), nc)),
			(s0, it) -> design.design(s0, it, cancelled));
		progress.update(1, 1);
		final double vd = exact.value(r.alphaBars(), null), vl = exact.value(linear, null), vc = exact.value(cosine, null);

		final ResultsTable steps = new ResultsTable(), table = new ResultsTable(), summary = new ResultsTable();
		fill(steps, table, r.alphaBars(), linear, cosine);
		final String[] kinds = { "designed", "linear", "cosine" };
		final double[] values = { vd, vl, vc };
		for (int i = 0; i < 3; i++) {
			summary.incrementCounter();
			summary.addValue("schedule", kinds[i]);
			// How to run it comes first: the column a user needs, not the last one past the screen's edge.
			summary.addValue("use", "");
			summary.addValue("criterion", criterion.key);
			summary.addValue("value", values[i]);
			if (criterion == ScheduleDesign.Criterion.W2) summary.addValue("W2 (unit intensities)", Math.sqrt(values[i]));
			summary.addValue("steps", n);
			summary.addValue("base step", base.key + (base == BaseStep.DDIM ? " η=" + req.eta() : ""));
			summary.addValue("search", "");
			if (i == 0) {
				summary.addValue("search", (search == all ? "all " : search.lambda().length + " λ nodes of ") + all.lambda().length + " frequencies; " + r.iterations() + " L-BFGS iterations (" + r.stop() + ")");
				summary.addValue("use", "Posterior Sampling schedule=table timesteps=" + n + " steps=" + n + " schedule_table=<the saved " + name + "_schedule_table.csv>");
			}
		}

		final Plot abPlot = alphaBarPlot(name, criterion.key, r.alphaBars(), linear, cosine);

		final double[][] pd = exact.perNode(r.alphaBars()), pl = exact.perNode(linear), pc = exact.perNode(cosine);
		final Plot errPlot = errorPlot(name, criterion == ScheduleDesign.Criterion.W2 ? "(s − √λ)² per frequency" : "KL per frequency", all.lambda(), 0, pd[0], pl[0], pc[0], false);
		return result(name, abPlot, errPlot, steps, table, summary);
	}

	private static TaskResult result(final String name, final Plot abPlot, final Plot errPlot, final ResultsTable steps, final ResultsTable table, final ResultsTable summary) {
		final ImagePlus a = abPlot.getImagePlus(), e = errPlot.getImagePlus();
		a.setTitle(name + "_schedule_plot");
		e.setTitle(name + "_schedule_error_plot");
		return new TaskResult().addImage(TaskResult.PLOT, a).addImage(TaskResult.ERROR_PLOT, e).addTable(name + "_schedule", steps).addTable(name + "_schedule_table", table).addTable(name + "_schedule_summary", summary);
	}

	/**
	 * The design from {@code start}, or with {@code warm_start} = n' first at n' steps (from the same kind
	 * of start there) and then at n from that optimum carried over ({@link ScheduleDesign#warmStart}).
	 */
	private static ScheduleDesign.Result warm(final Request req, final double[] start, final java.util.function.IntFunction<double[]> startAt,
		final java.util.function.BiFunction<double[], Integer, ScheduleDesign.Result> design) {
		if (req.warmStart() == 0) return design.apply(start, req.iterations());
		final int nc = req.warmStart();
		final double[] coarseStart = startAt.apply(nc);
		final ScheduleDesign.Result coarse = design.apply(coarseStart, req.iterations());
		final ScheduleDesign.Result fine = design.apply(ScheduleDesign.warmStart(coarse.alphaBars(), req.steps()), req.iterations());
		return new ScheduleDesign.Result(fine.alphaBars(), fine.value(), fine.startValue(), fine.iterations(), fine.stop() + "; warm start from n = " + nc + " (" + coarse.iterations()
			+ " iterations there, " + coarse.stop() + ")");
	}

	private static double[] start(final Request req, final double[] linear, final double[] cosine) {
		final String startKind = req.start() == null ? "linear" : req.start().trim().toLowerCase(Locale.ROOT);
		return switch (startKind) {
			case "linear" -> linear;
			case "cosine" -> cosine;
			default -> throw new IllegalArgumentException("start_from must be linear or cosine, got '" + req.start() + "'.");
		};
	}

	/** The per-step table (designed, linear, cosine ᾱ) and the one-column schedule_table (least noisy first). */
	private static void fill(final ResultsTable steps, final ResultsTable table, final double[] designed, final double[] linear, final double[] cosine) {
		for (int j = 0; j < designed.length; j++) {
			steps.incrementCounter();
			steps.addValue("step", j + 1);
			steps.addValue("alpha_bar designed", designed[j]);
			steps.addValue("alpha_bar linear", linear[j]);
			steps.addValue("alpha_bar cosine", cosine[j]);
		}
		for (final double a : ScheduleDesign.asTable(designed)) {
			table.incrementCounter();
			table.addValue("alpha_bar", a);
		}
	}

	private static Plot alphaBarPlot(final String name, final String key, final double[] designed, final double[] linear, final double[] cosine) {
		final int n = designed.length;
		final double[] x = new double[n];
		for (int j = 0; j < n; j++) x[j] = j + 1;
		final Plot abPlot = new Plot(name + "_schedule_plot", "step (noisiest first)", "ᾱ");
		abPlot.setLogScaleY();
		Plots.curve(abPlot, x, designed, 0, "designed (" + key + ")");
		Plots.curve(abPlot, x, linear, 1, "linear");
		Plots.curve(abPlot, x, cosine, 2, "cosine");
		Plots.legendAbove(abPlot, 0.5, n + 0.5, true, 3, designed, linear, cosine);
		return abPlot;
	}

	/** criterion = posterior: the schedule of a guided method minimising E_v W2² to the posterior (MATH §9.3 with ᾱ as the variables). */
	private static TaskResult conditional(final ImagePlus priorImp, final Request req, final Posterior post, final BaseStep base, final Progress progress) {
		if (priorImp == null) {
			throw new IllegalArgumentException("criterion=" + POSTERIOR + " needs a prior image: the operator acts per frequency, which an eigenvalue list does not locate; give prior=<a prior image>.");
		}
		if (post == null || post.operator() == null) throw new IllegalArgumentException("criterion=" + POSTERIOR + " needs an operator and a noise level: give operator=… (or a measurement) and noise_sigma=….");
		if (post.method() == null || post.method().isBlank()) throw new IllegalArgumentException("criterion=" + POSTERIOR + " needs a method: give method=pigdm (or dps, cgdm, ddnm, scoreald, sdedit).");
		final Method method = Methods.parse(post.method());
		ConditionalScheduleDesign.check(method);
		if (!post.operator().circulant()) throw new IllegalArgumentException(OperatorSpec.NOT_CIRCULANT);
		if (!(post.sigma() >= 0) || Double.isInfinite(post.sigma())) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + post.sigma());
		MemoryBudget.analysis("Design Noise Schedule", priorImp.getWidth(), priorImp.getHeight(), 1, 0).check();
		final GaussianPrior prior = PriorImage.read(priorImp);
		final IntensityMap map = SamplingTask.intensityMap(priorImp, 1, req.dataRange());
		// The samplers run in [−1, 1] units: design there, report in image units (× half², as Compare Samplers).
		final GaussianPrior unit = map.toUnit(prior);
		final BlurOperator op = BlurOperator.of(post.operator(), prior.plane().height, prior.plane().width);
		final double units = map.half() * map.half();
		final String name = Planes.baseTitle(priorImp).replace("_prior", "");
		final int n = req.steps();
		final double[] linear = ScheduleDesign.alphaBars(Schedule.linear(), n), cosine = ScheduleDesign.alphaBars(Schedule.cosine(1000), n);
		final double[] start = start(req, linear, cosine);
		// A robust design (noise_list): one schedule for several noise levels, minimising the sum of their exact ℒ.
		final boolean robust = post.noiseList() != null && !post.noiseList().isBlank();
		final double[] sigmas = robust ? NumberLists.values("noise_list", post.noiseList(), "give noise levels (image units) separated by commas, e.g. noise_list=2,5,10, or a file of one a line")
			: new double[] { post.sigma() };
		final List<ConditionalScheduleDesign> exacts = new ArrayList<>(), searches = new ArrayList<>();
		for (final double s : sigmas) {
			if (!(s >= 0) || Double.isInfinite(s)) {
				throw new IllegalArgumentException((robust ? "noise_list holds " + s + "; noise levels must be finite numbers" : "noise_sigma=" + s + "; the noise level must be a finite number") + " ≥ 0 (image units).");
			}
			final ConditionalScheduleDesign exact = new ConditionalScheduleDesign(unit, op, map.noiseToUnit(s), method, base, req.eta());
			exacts.add(exact);
			searches.add(exact.entries() > TuningTask.BINNING_ABOVE ? exact.binned(TuningTask.BINS) : exact);
		}
		final ConditionalScheduleDesign first = exacts.get(0), firstSearch = searches.get(0);
		// SDEdit: from the best integer t0's grid on the start_from schedule (a table from T forgets v).
		final boolean sdedit = method.start() == Method.Start.POSTERIOR_MEAN;
		final Schedule startSchedule = start == cosine ? Schedule.cosine(1000) : Schedule.linear();
		final java.util.function.IntFunction<double[]> startAt = k -> sdedit ? firstSearch.bestStartTimeGrid(startSchedule, k, () -> progress.cancelled())
			: start(req, ScheduleDesign.alphaBars(Schedule.linear(), k), ScheduleDesign.alphaBars(Schedule.cosine(1000), k));
		final double[] from = startAt.apply(n);
		final boolean binned = first.entries() > TuningTask.BINNING_ABOVE;
		progress.update(0, 1);
		progress.detail("designing the ᾱ table: " + req.steps() + " steps" + (req.warmStart() > 0 ? ", warm start from " + req.warmStart() : ""));
		final Thread caller = Thread.currentThread();
		final java.util.function.BooleanSupplier cancelled = () -> caller.isInterrupted() || progress.cancelled();
		final ScheduleDesign.Result r = warm(req, from, startAt, (s0, it) -> ConditionalScheduleDesign.robust(searches, s0, it, cancelled));
		final int iterations = r.iterations();
		// Large images: the grouped optimum is scored on every frequency and not refined there (as Tune Sampler
		// Weights does): 30 exact iterations cost ~13× a sampling run at 1024² for no measurable gain.
		progress.update(1, 1);
		final double[] designed = r.alphaBars();

		final ResultsTable steps = new ResultsTable(), table = new ResultsTable(), summary = new ResultsTable();
		fill(steps, table, designed, linear, cosine);
		final String[] kinds = { "designed", "linear", "cosine" };
		final double[][] schedules = { designed, linear, cosine };
		// One row per schedule and noise level (every figure exact on all frequencies); with noise_list, then one
		// row per schedule for the sum the design minimised (noise sigma NaN).
		final double[] sums = new double[3];
		final double[][] perEntry = new double[3][];
		for (int k = 0; k < sigmas.length; k++) {
			for (int i = 0; i < 3; i++) {
				final double v = exacts.get(k).evaluate(schedules[i], null, cancelled) * units;
				sums[i] += v;
				final double[] terms = exacts.get(k).perEntry(schedules[i]);
				if (perEntry[i] == null) perEntry[i] = terms;
				else for (int e = 0; e < terms.length; e++) perEntry[i][e] += terms[e];
				summaryRow(summary, kinds[i], POSTERIOR, v, method, base, req.eta(), n, post.operator(), sigmas[k]);
				if (i == 0 && k == 0) describeSearch(summary, binned, firstSearch, first, iterations, r, robust ? sigmas.length : 0, method, base, n, name);
			}
		}
		if (robust) for (int i = 0; i < 3; i++) {
			summaryRow(summary, kinds[i], POSTERIOR + ", sum over noise_list", sums[i], method, base, req.eta(), n, post.operator(), Double.NaN);
			if (i == 0) describeSearch(summary, binned, firstSearch, first, iterations, r, sigmas.length, method, base, n, name);
		}
		final Plot abPlot = alphaBarPlot(name, POSTERIOR + ", " + method.key + (robust ? ", " + sigmas.length + " noise levels" : ""), designed, linear, cosine);
		// The error per frequency against λ: each frequency's E_v W2² term (unit space; summed over noise_list), frequencies with λ > 0 (DC apart).
		final Plot errPlot = errorPlot(name, "E_v W2² per frequency ([−1, 1] units" + (robust ? ", sum over noise_list" : "") + ")", unit.spectrum().values(), 1, perEntry[0], perEntry[1],
			perEntry[2], true);
		return result(name, abPlot, errPlot, steps, table, summary);
	}

	private static void summaryRow(final ResultsTable summary, final String kind, final String criterion, final double value, final Method method, final BaseStep base, final double eta,
		final int n, final OperatorSpec operator, final double sigma) {
		summary.incrementCounter();
		summary.addValue("schedule", kind);
		summary.addValue("use", "");
		summary.addValue("criterion", criterion);
		summary.addValue("value", value);
		summary.addValue("E_v W2^2", value);
		summary.addValue("E_v W2", Math.sqrt(value));
		summary.addValue("method", method.label);
		summary.addValue("weights", "heuristic");
		summary.addValue("steps", n);
		summary.addValue("base step", base.key + (base == BaseStep.DDIM ? " η=" + eta : ""));
		summary.addValue("operator", operator.describe());
		summary.addValue("noise_sigma", sigma);
		summary.addValue("search", "");
	}

	/** The search and the way to use the designed schedule, on the current (designed) row. */
	private static void describeSearch(final ResultsTable summary, final boolean binned, final ConditionalScheduleDesign search, final ConditionalScheduleDesign exact, final int iterations,
		final ScheduleDesign.Result r, final int noiseLevels, final Method method, final BaseStep base, final int n, final String name) {
		summary.addValue("search", (noiseLevels > 0 ? "robust: the sum over " + noiseLevels + " noise levels; " : "") + (binned ? TuningTask.BINS + "² (λ, ρ) groups (" + search.entries()
			+ " entries), scored on all " : "all ") + exact.entries() + " frequencies; " + iterations + " L-BFGS iterations (" + r.stop() + ")");
		summary.addValue("use", "Posterior Sampling method=" + method.key + " base_step=" + base.key + " schedule=table timesteps=" + n + " steps=" + n + " schedule_table=<the saved " + name
			+ "_schedule_table.csv>");
	}

	/**
	 * Each frequency's error term against its λ (those with λ > 0 from index {@code from} on, sorted by λ),
	 * for the three schedules: lines where the term is a function of λ alone (the unconditional
	 * criteria), dots where it also depends on the blur and the mean at that frequency (the posterior
	 * criterion: joined by lines, the values drew a jagged band).
	 */
	private static Plot errorPlot(final String name, final String yLabel, final double[] lam, final int from, final double[] designed, final double[] linear, final double[] cosine,
		final boolean dots) {
		final int[] order = java.util.stream.IntStream.range(from, lam.length).filter(i -> lam[i] > 0).boxed().sorted((a, b) -> Double.compare(lam[a], lam[b])).mapToInt(Integer::intValue).toArray();
		final double[] lx = new double[order.length], ed = new double[order.length], el = new double[order.length], ec = new double[order.length];
		for (int i = 0; i < order.length; i++) {
			lx[i] = lam[order[i]];
			ed[i] = designed[order[i]];
			el[i] = linear[order[i]];
			ec[i] = cosine[order[i]];
		}
		final Plot errPlot = new Plot(name + "_schedule_error_plot", "prior eigenvalue λ", yLabel);
		errPlot.setLogScaleX();
		errPlot.setLogScaleY();
		Plots.line(errPlot, lx, ed, 0, "designed", dots);
		Plots.line(errPlot, lx, el, 1, "linear", dots);
		Plots.line(errPlot, lx, ec, 2, "cosine", dots);
		final double[] xr = Plots.range(true, lx);
		Plots.legendAbove(errPlot, xr == null ? 1e-6 : xr[0], xr == null ? 1 : xr[1], true, 3, ed, el, ec);
		return errPlot;
	}
}
