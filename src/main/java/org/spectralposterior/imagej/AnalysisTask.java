package org.spectralposterior.imagej;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Plot;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.ReverseDynamics;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.fourier.FullGrid;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The measurement-free analyses: Compare Samplers (expected W2 against the number of steps),
 * Transfer Functions (measurement → output and noise → output, per frequency) and Reverse-Dynamics
 * Sensitivity. They need the prior, the operator and σ only (for the first channel of the prior).
 */
public final class AnalysisTask {

	/** The degradation and diffusion settings shared by the analyses. */
	public record Setup(ImagePlus priorImp, OperatorSpec operator, double sigma, String schedule, int trainSteps, String scheduleTable, String baseStep, double eta, String dataRange,
		int factor, boolean[] observed) {

		/** A blur or denoising problem. */
		public Setup(final ImagePlus priorImp, final OperatorSpec operator, final double sigma, final String schedule, final int trainSteps, final String scheduleTable,
			final String baseStep, final double eta, final String dataRange) {
			this(priorImp, operator, sigma, schedule, trainSteps, scheduleTable, baseStep, eta, dataRange, 1, null);
		}

		/** The memory an analysis of this prior needs (see {@link MemoryBudget#analysis}). */
		MemoryBudget budget(final String task, final long methods, final long outputPlanes) {
			final MemoryBudget b = MemoryBudget.analysis(task, priorImp.getWidth(), priorImp.getHeight(), methods, outputPlanes);
			// Super-resolution: the law's and the posterior's r²×r² blocks (r² doubles per pixel each) and P, q.
			if (factor > 1) b.add(MemoryBudget.times(2L * factor * factor + 4, MemoryBudget.doubles(priorImp.getWidth(), priorImp.getHeight())));
			return b;
		}

		GaussianPrior prior() {
			return PriorImage.read(priorImp);
		}

		IntensityMap map() {
			return SamplingTask.intensityMap(priorImp, 1, dataRange);
		}

		/**
		 * The independent problems whose E_v W2² add up to the image's: the prior itself (one channel);
		 * each channel of a per-channel prior, with its own PSF when the operator has one per channel and
		 * its own intensity map; each eigen-channel of a cross-channel colour prior (ColourBasis: a
		 * convolution shared by the channels and white noise are unchanged by the rotation U(k), so the
		 * eigen-channels are independent grey problems with spectra λ_e), under one intensity map for
		 * every channel, as Posterior Sampling runs it. Not for super-resolution or inpainting with a
		 * colour prior (an aliasing group or a mask mixes frequencies whose rotations differ).
		 */
		List<Problem> problems() {
			final Schedule sch = Schedule.parse(schedule, trainSteps, NumberLists.resolve("schedule_table", scheduleTable));
			if (PriorImage.isColour(priorImp) && observed != null && factor == 1) {
				// Colour inpainting: the mask mixes the eigen-channels, so one dense problem in channel pixels.
				final ColourUnits units = colourUnits();
				final org.spectralposterior.core.prior.ColourPrior colour = units.colour();
				final int d = colour.channels() * colour.plane().pixels;
				if (d > org.spectralposterior.core.posterior.ColourInpaintingPosterior.DENSE_VARIANCE_LIMIT) {
					throw new IllegalArgumentException("Colour inpainting's expected W2 is computed densely, up to " + org.spectralposterior.core.posterior.ColourInpaintingPosterior.DENSE_VARIANCE_LIMIT
						+ " channel-pixels (e.g. 24×24 RGB); this image has " + d + ": crop it, or use Posterior Sampling, which gives W2 for the measurement at hand (above that size, its exact mean part: a lower bound).");
				}
				if (observed.length != d) throw new IllegalArgumentException("The colour prior has " + colour.channels() + " channels but the measurement's mask " + observed.length / colour.plane().pixels + ".");
				final IntensityMap map = units.map();
				final org.spectralposterior.core.prior.ColourPrior unit = units.unit();
				// The eigen-channel prior stands in where a plane is read (the table, the spectral density's size).
				return List.of(new Problem(this, unit.basis().eigenPrior(0), BlurOperator.of(OperatorSpec.none(), colour.plane().height, colour.plane().width), map.noiseToUnit(sigma), map.half(), sch,
					new Problem.ColourInpainting(unit, observed, map.noiseToUnit(sigma))));
			}
			if (PriorImage.isColour(priorImp)) {
				if (factor > 1 || observed != null || operator.perChannel()) {
					throw new IllegalArgumentException("With a cross-channel colour prior this analysis handles a blur shared by the channels (or none): super-resolution, inpainting and a PSF per "
						+ "channel mix its eigen-channels. Rebuild the prior with colour_model=[per channel], or use Posterior Sampling, which runs those.");
				}
				final ColourUnits units = colourUnits();
				final org.spectralposterior.core.prior.ColourPrior colour = units.colour();
				final IntensityMap map = units.map();
				final org.spectralposterior.core.prior.ColourBasis basis = units.unit().basis();
				final List<Problem> out = new ArrayList<>();
				final int h = colour.plane().height, w = colour.plane().width;
				for (int e = 0; e < colour.channels(); e++) out.add(new Problem(this, basis.eigenPrior(e), BlurOperator.of(operator, h, w), map.noiseToUnit(sigma), map.half(), sch));
				return out;
			}
			final List<GaussianPrior> priors = PriorImage.readAll(priorImp);
			if (priors.size() == 1) return List.of(problem());
			if (factor == 1 && observed != null) throw new IllegalArgumentException("Inpainting with a prior of " + priors.size() + " channels: Posterior Sampling runs it; this analysis takes one channel.");
			if (operator.perChannel() && operator.channelCount() != priors.size()) {
				throw new IllegalArgumentException("The operator has " + operator.channelCount() + " PSFs but the prior " + priors.size() + " channels; give one PSF per channel, or one for all.");
			}
			final List<Problem> out = new ArrayList<>();
			for (int c = 0; c < priors.size(); c++) {
				final IntensityMap map = SamplingTask.intensityMap(priorImp, c + 1, dataRange);
				final GaussianPrior prior = priors.get(c);
				final OperatorSpec spec = operator.perChannel() ? operator.channel(c) : operator;
				out.add(new Problem(this, map.toUnit(prior), BlurOperator.of(spec, prior.plane().height, prior.plane().width), map.noiseToUnit(sigma), map.half(), sch));
			}
			return out;
		}

		/** A cross-channel colour prior as read, the one intensity map of its channels, and the prior in [−1, 1] units under it. */
		private record ColourUnits(org.spectralposterior.core.prior.ColourPrior colour, IntensityMap map, org.spectralposterior.core.prior.ColourPrior unit) {}

		private ColourUnits colourUnits() {
			final org.spectralposterior.core.prior.ColourPrior colour = PriorImage.readColour(priorImp);
			final IntensityMap map = ColourTask.commonMap(priorImp, colour.channels(), IntensityMap.Range.parse(dataRange));
			return new ColourUnits(colour, map, colour.affine(map.mid(), map.half()));
		}

		/** How many problems {@link #problems} gives, from the prior's record (1 when it records none). */
		int components() {
			final String c = org.spectralposterior.imagej.Metadata.read(priorImp).get("channels");
			try {
				return c == null ? 1 : Math.max(1, Integer.parseInt(c.trim()));
			}
			catch (final NumberFormatException e) {
				return 1; // reading the prior says what is wrong
			}
		}

		/** The problem in [−1, 1] units, read once: the prior and operator do not change across methods. */
		Problem problem() {
			final GaussianPrior prior = prior();
			final IntensityMap map = map();
			// Inpainting has no blur: the identity stands in (only the mask matters).
			return new Problem(this, map.toUnit(prior), BlurOperator.of(operator.circulant() ? operator : OperatorSpec.none(), prior.plane().height, prior.plane().width), map.noiseToUnit(sigma),
				map.half(),
				Schedule.parse(schedule, trainSteps, NumberLists.resolve("schedule_table", scheduleTable)));
		}
	}

	/** A prior, operator and noise level in [−1, 1] units, with the factor back to image units. */
	record Problem(Setup setup, GaussianPrior unitPrior, BlurOperator op, double unitSigma, double half, Schedule schedule, ColourInpainting unitColour) {

		/**
		 * A colour inpainting problem's posterior, with its dense variance and factor computed once for every
		 * method × n of a comparison (about 7 s and 6 s at the size limit, and they depend on neither).
		 */
		static final class ColourInpainting {
			private final org.spectralposterior.core.posterior.ColourInpaintingPosterior posterior;
			private double[] variance;
			private org.ejml.data.DMatrixRMaj factor;

			ColourInpainting(final org.spectralposterior.core.prior.ColourPrior unit, final boolean[] observed, final double unitSigma) {
				posterior = new org.spectralposterior.core.posterior.ColourInpaintingPosterior(unit, observed, unitSigma);
			}

			org.spectralposterior.core.posterior.ColourInpaintingPosterior posterior() {
				return posterior;
			}

			double[] variance(final Progress progress) {
				if (variance == null) variance = posterior.pixelVariance(progress);
				return variance;
			}

			org.ejml.data.DMatrixRMaj factor(final Progress progress) {
				if (factor == null) factor = posterior.denseFactor(progress);
				return factor;
			}
		}

		/** A grey problem (or one eigen-channel or channel of a colour one). */
		Problem(final Setup setup, final GaussianPrior unitPrior, final BlurOperator op, final double unitSigma, final double half, final Schedule schedule) {
			this(setup, unitPrior, op, unitSigma, half, schedule, null);
		}

		DiffusionSampler sampler(final Method m, final int steps, final int t0) {
			return new DiffusionSampler(unitPrior, op, unitSigma, config(m, steps, t0));
		}

		DiffusionSampler.Config config(final Method m, final int steps, final int t0) {
			return new DiffusionSampler.Config(m, schedule, steps, BaseStep.parse(setup.baseStep()), setup.eta(), null, t0);
		}

		/** E_v W2² (unit space) of method m with n steps and its law's kind, for a blur or, per aliasing group, for super-resolution. */
		Object[] expected(final Method m, final int steps, final int t0, final Progress progress) {
			if (setup.observed() != null && unitColour != null) {
				if (!m.linear()) return null;
				// Colour inpainting (at most 3 × 24² channel-pixels): dense, exact, in channel pixels.
				final org.spectralposterior.core.posterior.ColourInpaintingPosterior post = unitColour.posterior();
				final int d = setup.observed().length;
				// SDEdit's start is each measurement's posterior mean (expectedW2 asks for it); any one stands in here.
				final double[] start = m.start() == Method.Start.POSTERIOR_MEAN ? post.mean(new double[d], null) : null;
				final org.spectralposterior.core.diffusion.InpaintingSampler is = new org.spectralposterior.core.diffusion.InpaintingSampler(post.conditionedBasis(), setup.observed(), unitSigma,
					config(m, steps, t0), start);
				final double[] e = is.expectedW2(post, unitColour.variance(progress), unitColour.factor(progress), unitSigma, progress);
				return new Object[] { new Wasserstein.Expected(unitPrior.plane(), e[1], e[2], new double[unitPrior.plane().size]), true };
			}
			if (setup.observed() != null) {
				if (!m.linear()) return null;
				// Inpainting (images of at most 64×64 pixels): dense, exact.
				final org.spectralposterior.core.posterior.InpaintingPosterior post = new org.spectralposterior.core.posterior.InpaintingPosterior(unitPrior, setup.observed(), unitSigma);
				final double[] flat = new double[unitPrior.plane().pixels];
				java.util.Arrays.fill(flat, unitPrior.mean());
				final org.spectralposterior.core.diffusion.InpaintingSampler is = new org.spectralposterior.core.diffusion.InpaintingSampler(post.effectivePrior(), setup.observed(), unitSigma,
					config(m, steps, t0), post.mean(flat, null));
				final double[] e = is.expectedW2(post, unitSigma, progress);
				return new Object[] { new Wasserstein.Expected(unitPrior.plane(), e[1], e[2], new double[unitPrior.plane().size]), true };
			}
			if (setup.factor() > 1) {
				final org.spectralposterior.core.diffusion.SuperResolutionSampler ss = new org.spectralposterior.core.diffusion.SuperResolutionSampler(unitPrior, op, setup.factor(), unitSigma,
					config(m, steps, t0));
				final org.spectralposterior.core.diffusion.SuperResolutionSampler.Law law = ss.closedForm();
				return new Object[] { law.law().expected(ss.posterior(), unitPrior, unitSigma), law.exact() };
			}
			final DiffusionSampler ds = sampler(m, steps, t0);
			final DiffusionSampler.Law law = ds.closedForm();
			return new Object[] { Wasserstein.expected(law.law(), ds.posterior(), unitPrior, unitSigma), law.exact() };
		}
	}

	private AnalysisTask() {}

	static List<Method> methods(final String list) {
		final List<Method> out = new ArrayList<>();
		for (final String s : list.split("[,;]")) if (!s.isBlank()) out.add(Methods.parse(s));
		if (out.isEmpty()) throw new IllegalArgumentException("methods is empty; give e.g. methods=dps,pigdm,cgdm");
		return out;
	}

	/** Whole numbers given inline or as a file of one a line ({@link NumberLists#resolve}). */
	static int[] ints(final String given, final String name) {
		final String list = NumberLists.resolve(name, given);
		final String[] p = list.trim().split("[,;\\s]+");
		final int[] v = new int[p.length];
		try {
			for (int i = 0; i < v.length; i++) v[i] = Integer.parseInt(p[i]);
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException(name + " must be whole numbers separated by commas, got '" + list + "'.");
		}
		return v;
	}

	/** Compare Samplers: E_v W2 (image units) for each method and number of steps, heuristic weights. */
	public static TaskResult compare(final Setup setup, final String methodList, final String stepList, final int t0, final Progress progress) {
		return compare(setup, methodList, stepList, t0, "heuristic", 100, progress);
	}

	/** What a Compare Samplers curve runs: the method's published weights and schedule, tuned weights, or a designed schedule. */
	enum Variant {
		HEURISTIC("heuristic"), TUNED("tuned"), DESIGNED("designed");

		final String key;

		Variant(final String key) {
			this.key = key;
		}

		static List<Variant> parse(final String list) {
			final List<Variant> out = new ArrayList<>();
			for (final String s : (list == null ? "" : list).split("[,;]")) {
				if (s.isBlank()) continue;
				final Variant v = java.util.Arrays.stream(values()).filter(x -> x.key.equalsIgnoreCase(s.trim())).findFirst()
					.orElseThrow(() -> new IllegalArgumentException("variants holds '" + s.trim() + "'; give a comma list of heuristic, tuned and designed (e.g. variants=heuristic,tuned)."));
				if (!out.contains(v)) out.add(v);
			}
			if (out.isEmpty()) throw new IllegalArgumentException("variants is empty; give e.g. variants=heuristic or variants=heuristic,tuned,designed.");
			return out;
		}
	}

	/** One curve of the comparison: a method run as a variant. */
	record Series(Method method, int methodIndex, Variant variant) {
		String label() {
			return variant == Variant.HEURISTIC ? method.label : method.label + " (" + variant.key + ")";
		}
	}

	/**
	 * Compare Samplers with {@code variants}: besides the heuristic curve of each method, the curve of its
	 * weights tuned per step at each n (MATH §10, {@code iterations} L-BFGS iterations; tunable methods)
	 * and of its schedule designed at each n (the conditional schedule design, heuristic weights,
	 * convolution operators). Every figure is exact on all frequencies.
	 */
	public static TaskResult compare(final Setup setup, final String methodList, final String stepList, final int t0, final String variantList, final int iterations,
		final Progress progress) {
		final List<Method> methods = methods(methodList);
		final int[] steps = ints(stepList, "steps_list");
		final List<Variant> variants = Variant.parse(variantList);
		if (iterations < 0) throw new IllegalArgumentException("iterations must be ≥ 0, got " + iterations + ".");
		// The memory is checked before the colour basis and the per-channel priors are built.
		final int components = setup.components();
		setup.budget("Compare Samplers", components, 0).check();
		final List<Problem> problems = setup.problems();
		final boolean crossChannel = PriorImage.isColour(setup.priorImp());
		final Problem problem = problems.get(0);
		final double half = problem.half();
		final ResultsTable table = new ResultsTable();
		final String base = Planes.baseTitle(setup.priorImp()).replace("_prior", "");
		final List<Series> series = new ArrayList<>();
		for (int mi = 0; mi < methods.size(); mi++) for (final Variant v : variants) series.add(new Series(methods.get(mi), mi, v));
		// W2 spans decades across methods and n, and a diverged recurrence gives ∞: a log axis from the finite values.
		final double[][] ys = new double[series.size()][steps.length];
		final double[] xs = new double[steps.length];
		for (int i = 0; i < steps.length; i++) xs[i] = steps[i];
		final int[][] rows = new int[series.size()][steps.length];
		final boolean[][] none = new boolean[series.size()][steps.length];
		int done = 0;
		for (int si = 0; si < series.size(); si++) {
			final Series sr = series.get(si);
			final Method m = sr.method();
			for (int i = 0; i < steps.length; i++) {
				progress.checkCancelled();
				progress.detail(sr.label() + " · n = " + steps[i] + " · curve point " + (done + 1) + "/" + series.size() * steps.length);
				rows[si][i] = -1;
				final String unavailable = problems.size() > 1 && sr.variant() != Variant.HEURISTIC
					? "no " + sr.variant().key + " curve: Compare Samplers tunes and designs for a prior of one channel (this one has " + problems.size()
						+ "); Tune Sampler Weights tunes a cross-channel colour prior"
					: crossChannel && !m.linear() ? "no curve: " + m.label + " normalises its guidance by the residual of the whole image, which does not split over colour channels"
						+ " (Posterior Sampling refuses it with a colour prior too)"
					: unavailable(setup, sr);
				final Object[] r = unavailable != null ? null : switch (sr.variant()) {
					case HEURISTIC -> problems.size() == 1 ? problem.expected(m, steps[i], t0, progress) : summed(problems, m, steps[i], t0, progress);
					case TUNED -> tunedExpected(setup, problem, m, steps[i], iterations, progress);
					case DESIGNED -> designedExpected(problem, m, steps[i], iterations, progress);
				};
				if (r == null) {
					ys[si][i] = Double.NaN;
					none[si][i] = true;
					table.incrementCounter();
					table.addValue("method", m.label);
					table.addValue("variant", sr.variant().key);
					table.addValue("steps", steps[i]);
					table.addValue("status", unavailable != null ? unavailable : "no closed form: not affine (its weight divides by the residual) on inpainting");
					progress.update(++done, (long) series.size() * steps.length);
					continue;
				}
				final Wasserstein.Expected e = ((Wasserstein.Expected) r[0]).scaled(half);
				ys[si][i] = Math.sqrt(e.squared());
				rows[si][i] = table.getCounter();
				table.incrementCounter();
				table.addValue("method", m.label);
				table.addValue("variant", sr.variant().key);
				table.addValue("steps", steps[i]);
				table.addValue("E_v W2^2", e.squared());
				table.addValue("E_v W2", ys[si][i]);
				// Per channel-pixel: the sum over the channels divided by every channel's pixels.
				table.addValue("E_v W2^2 per pixel", e.perPixel() / components);
				if (components > 1) {
					table.addValue("channels", components + (!crossChannel ? " (per channel, summed)" : setup.observed() != null ? " (one dense colour inpainting problem)"
						: " (eigen-channels of the cross-channel prior, summed)"));
				}
				table.addValue("E_v W2^2 mean part", e.meanPart());
				table.addValue("E_v W2^2 covariance part", e.covariancePart());
				if (setup.factor() > 1) table.addValue("operator", setup.operator().describe() + ", downsampled ×" + setup.factor());
				if (setup.observed() != null) table.addValue("operator", setup.operator().describe());
				table.addValue("law", (Boolean) r[1] ? "exact" : "linearised (marginal)");
				table.addValue("status", "ok");
				progress.update(++done, (long) series.size() * steps.length);
			}
		}
		// The plot flags a blow-up like ∞, so the table says the same of those rows.
		final double cap = blowUp(ys);
		for (int si = 0; si < series.size(); si++) {
			for (int i = 0; i < steps.length; i++) {
				if (rows[si][i] < 0 || !diverged(ys[si][i], cap)) continue;
				table.setValue("status", rows[si][i], Double.isFinite(ys[si][i]) ? String.format(Locale.ROOT, BLOWN_UP, ys[si][i]) : DIVERGED);
			}
		}
		final Plot plot = comparePlot(base + "_compare_plot", series, xs, ys, none);
		final ImagePlus plotImp = plot.getImagePlus();
		plotImp.setTitle(base + "_compare_plot");
		return new TaskResult().addImage(TaskResult.PLOT, plotImp).addTable(base + "_compare", table);
	}

	/**
	 * E_v W2² of independent problems, summed (unit space of the first: each one's parts are rescaled by
	 * its intensity factor over the first's, so the caller's scaling by the first's gives image units);
	 * exact when every part is.
	 */
	private static Object[] summed(final List<Problem> problems, final Method m, final int steps, final int t0, final Progress progress) {
		final double half0 = problems.get(0).half();
		double meanPart = 0, covPart = 0;
		double[] density = null;
		boolean exact = true;
		for (final Problem p : problems) {
			progress.checkCancelled();
			final Object[] r = p.expected(m, steps, t0, progress);
			if (r == null) return null;
			final Wasserstein.Expected e = ((Wasserstein.Expected) r[0]).scaled(p.half() / half0);
			meanPart += e.meanPart();
			covPart += e.covariancePart();
			if (density == null) density = e.density().clone();
			else for (int k = 0; k < density.length; k++) density[k] += e.density()[k];
			exact &= (Boolean) r[1];
		}
		return new Object[] { new Wasserstein.Expected(problems.get(0).unitPrior().plane(), meanPart, covPart, density), exact };
	}

	/** Why a variant has no curve for this problem, or null when it has one. */
	private static String unavailable(final Setup setup, final Series s) {
		final Method m = s.method();
		return switch (s.variant()) {
			case HEURISTIC -> null;
			case TUNED -> !m.tunable() || !m.linear() ? "no tuned curve: " + m.label + " has no guidance weights with an exact law to tune"
				: setup.observed() != null ? "no tuned curve: weights are tuned on convolution and super-resolution problems" : null;
			case DESIGNED -> setup.observed() != null || setup.factor() > 1 ? "no designed curve: schedules are designed for convolution operators"
				: designable(m) ? null : "no designed curve: the conditional schedule design does not cover " + m.label;
		};
	}

	private static boolean designable(final Method m) {
		try {
			org.spectralposterior.core.diffusion.ConditionalScheduleDesign.check(m);
			return true;
		}
		catch (final IllegalArgumentException e) {
			return false;
		}
	}

	/** E_v W2² (unit space) with the weights tuned per step at n (binned search above {@link TuningTask#BINNING_ABOVE} frequencies, scored exactly). */
	private static Object[] tunedExpected(final Setup setup, final Problem problem, final Method m, final int n, final int iterations, final Progress progress) {
		final org.spectralposterior.core.diffusion.TuningObjective exact, search;
		if (setup.factor() > 1) {
			final org.spectralposterior.core.diffusion.SuperResolutionSampler ss = new org.spectralposterior.core.diffusion.SuperResolutionSampler(problem.unitPrior(), problem.op(), setup.factor(),
				problem.unitSigma(), problem.config(m, n, 1));
			exact = search = new org.spectralposterior.core.diffusion.SuperResolutionObjective(ss, problem.unitPrior(), problem.unitSigma());
		}
		else {
			final org.spectralposterior.core.diffusion.WeightObjective o = new org.spectralposterior.core.diffusion.WeightObjective(problem.sampler(m, n, 1));
			exact = o;
			search = o.entries() > TuningTask.BINNING_ABOVE ? o.binned(TuningTask.BINS) : o;
		}
		final Progress quiet = quiet(progress);
		final org.spectralposterior.core.diffusion.WeightTuner full = new org.spectralposterior.core.diffusion.WeightTuner(exact, 0, iterations);
		final org.spectralposterior.core.diffusion.WeightTuner.Result r = search == exact ? full.tune(quiet)
			: org.spectralposterior.core.diffusion.WeightTuner.scored(new org.spectralposterior.core.diffusion.WeightTuner(search, 0, iterations).tune(quiet), exact, quiet::cancelled);
		// The law of the tuned weights, for the table's mean and covariance parts (its E_v W2² is r.tunedLoss()).
		return expectedWith(problem, setup, m, n, r.tuned());
	}

	/** E_v W2² (unit space) with the schedule designed at n for m (heuristic weights). */
	private static Object[] designedExpected(final Problem problem, final Method m, final int n, final int iterations, final Progress progress) {
		final BaseStep base = BaseStep.parse(problem.setup().baseStep());
		final org.spectralposterior.core.diffusion.ConditionalScheduleDesign exact = new org.spectralposterior.core.diffusion.ConditionalScheduleDesign(problem.unitPrior(), problem.op(),
			problem.unitSigma(), m, base, problem.setup().eta());
		final boolean binned = exact.entries() > TuningTask.BINNING_ABOVE;
		final Thread caller = Thread.currentThread();
		final java.util.function.BooleanSupplier cancelled = () -> caller.isInterrupted() || progress.cancelled();
		// Large images: designed on (λ, ρ) groups; the law below is the exact one on all frequencies.
		final org.spectralposterior.core.diffusion.ConditionalScheduleDesign search = binned ? exact.binned(TuningTask.BINS) : exact;
		// SDEdit: from its best integer t0's grid (a table from T forgets the measurement).
		final double[] start = m.start() == org.spectralposterior.core.diffusion.Method.Start.POSTERIOR_MEAN ? search.bestStartTimeGrid(problem.schedule(), n, cancelled)
			: org.spectralposterior.core.diffusion.ScheduleDesign.alphaBars(problem.schedule(), n);
		final org.spectralposterior.core.diffusion.ScheduleDesign.Result r = search.design(start, iterations, cancelled);
		final DiffusionSampler.Config cfg = org.spectralposterior.core.diffusion.ConditionalScheduleDesign.config(m, r.alphaBars(), base, problem.setup().eta());
		final DiffusionSampler ds = new DiffusionSampler(problem.unitPrior(), problem.op(), problem.unitSigma(), cfg);
		final DiffusionSampler.Law law = ds.closedForm();
		return new Object[] { Wasserstein.expected(law.law(), ds.posterior(), problem.unitPrior(), problem.unitSigma()), law.exact() };
	}

	/** E_v W2² and the law's kind of m at n with these per-step weights. */
	private static Object[] expectedWith(final Problem problem, final Setup setup, final Method m, final int n, final double[] weights) {
		final DiffusionSampler.Config cfg = new DiffusionSampler.Config(m, problem.schedule(), n, BaseStep.parse(setup.baseStep()), setup.eta(), weights, 1);
		if (setup.factor() > 1) {
			final org.spectralposterior.core.diffusion.SuperResolutionSampler ss = new org.spectralposterior.core.diffusion.SuperResolutionSampler(problem.unitPrior(), problem.op(), setup.factor(),
				problem.unitSigma(), cfg);
			final org.spectralposterior.core.diffusion.SuperResolutionSampler.Law law = ss.closedForm();
			return new Object[] { law.law().expected(ss.posterior(), problem.unitPrior(), problem.unitSigma()), law.exact() };
		}
		final DiffusionSampler ds = new DiffusionSampler(problem.unitPrior(), problem.op(), problem.unitSigma(), cfg);
		final DiffusionSampler.Law law = ds.closedForm();
		return new Object[] { Wasserstein.expected(law.law(), ds.posterior(), problem.unitPrior(), problem.unitSigma()), law.exact() };
	}

	/** The same cancellation without the inner search's own progress (the comparison counts its cells). */
	private static Progress quiet(final Progress p) {
		return new Progress() {
			@Override
			public void update(final long done, final long total) {}

			@Override
			public boolean cancelled() {
				return p.cancelled();
			}
		};
	}

	private static final String ADVICE = "; use fewer steps, other weights (Tune Sampler Weights) or another method";
	static final String DIVERGED = "diverged: the sampler's recurrence overflowed (W2 = ∞)" + ADVICE;
	static final String BLOWN_UP = "diverged: W2 = %.3g, over 1000× the median of this comparison (the recurrence is blowing up)" + ADVICE;
	static final String DIVERGED_LEGEND = "diverged (W2 = ∞, or over 1000× the median)";

	/**
	 * A value a thousand times the median is a blow-up (ScoreALD's heuristic reaches 1e70 while
	 * finite): on the axis it would flatten every other curve, so it is flagged like ∞.
	 */
	static double blowUp(final double[][] ys) {
		return 1e3 * median(ys);
	}

	static boolean diverged(final double y, final double cap) {
		return !Double.isFinite(y) || y > cap;
	}

	/**
	 * E_v W2 against n, both on log axes, the limits from the finite values. From the bottom: a band for
	 * the legend, the curves, and a band at the top where diverged points (∞, NaN or a blow-up) are X
	 * markers in their method's colour, each method at its own height so two at one n stay apart.
	 * The exact posterior (W2 = 0) cannot sit on a log axis, so it is a note. {@code none} marks the
	 * points without a closed form (NaN in {@code ys} too): not drawn, and not flagged as diverged.
	 */
	static Plot comparePlot(final String title, final List<Series> methods, final double[] xs, final double[][] ys, final boolean[][] none) {
		final Plot plot = new Plot(title, "sampling steps n", "E_v W2 to the exact posterior (image units)");
		final double cap = blowUp(ys);
		final double[][] shown = new double[ys.length][];
		boolean anyDiverged = false;
		for (int mi = 0; mi < ys.length; mi++) {
			shown[mi] = ys[mi].clone();
			for (int i = 0; i < shown[mi].length; i++) {
				if (diverged(shown[mi][i], cap)) {
					shown[mi][i] = Double.NaN;
					anyDiverged |= !none[mi][i];
				}
			}
		}
		final double[] r = Plots.range(true, shown);
		final double lo = r == null ? 1e-3 : r[0] / 1.5, hi = r == null ? 1 : Math.max(r[1] * 1.5, lo * 10);
		final double flagBand = anyDiverged ? 0.16 : 0.03;
		final double[] y = Plots.withBands(lo, hi, true, Plots.legendShare(methods.size() + (anyDiverged ? 1 : 0)), flagBand);
		final double x0 = Math.max(1, Plots.range(true, xs)[0]) / 1.3, x1 = Plots.range(true, xs)[1] * 1.3;
		plot.setLimits(x0, x1, y[0], y[1]);
		plot.setLogScaleX();
		plot.setLogScaleY();
		for (int mi = 0; mi < methods.size(); mi++) {
			final double[] yd = new double[xs.length];
			// Heights from 20% to 80% of the top band, in log steps.
			final double at = 0.2 + 0.6 * (methods.size() == 1 ? 0.5 : mi / (double) (methods.size() - 1));
			for (int i = 0; i < yd.length; i++) yd[i] = !none[mi][i] && diverged(ys[mi][i], cap) ? hi * Math.pow(y[1] / hi, at) : Double.NaN;
			// One colour per method, one marker per variant (heuristic, tuned, designed).
			final Series sr = methods.get(mi);
			Plots.curve(plot, xs, shown[mi], sr.methodIndex(), sr.variant().ordinal(), sr.label());
			plot.setColor(Plots.color(sr.methodIndex()));
			plot.setLineWidth(2);
			plot.addPoints(xs, yd, Plot.X);
			plot.setLineWidth(1);
		}
		if (anyDiverged) {
			// Legend entry only: a NaN point is not drawn.
			plot.setColor(Color.BLACK);
			plot.setLineWidth(2);
			plot.addPoints(new float[] { Float.NaN }, new float[] { Float.NaN }, null, Plot.X, DIVERGED_LEGEND);
			plot.setLineWidth(1);
			plot.setColor(Color.GRAY);
			plot.drawDottedLine(x0, hi, x1, hi, 3);
		}
		plot.setColor(Color.BLACK);
		plot.addLabel(0.01, 0.92, "exact posterior: W2 = 0");
		plot.addLabel(0.01, 0.98, "(off the log axis)");
		plot.setLegend(null, Plot.BOTTOM_RIGHT);
		return plot;
	}

	/** The median of the finite positive values (1 if none). */
	private static double median(final double[][] ys) {
		final java.util.List<Double> v = new java.util.ArrayList<>();
		for (final double[] y : ys) for (final double x : y) if (Double.isFinite(x) && x > 0) v.add(x);
		if (v.isEmpty()) return 1;
		java.util.Collections.sort(v);
		return v.get(v.size() / 2);
	}

	/** Transfer Functions: |p conj(h)| of each method next to the Wiener filter, and noise → output gains. */
	public static TaskResult transfer(final Setup setup, final String methodList, final int steps, final int t0, final Progress progress) {
		final List<Method> methods = methods(methodList);
		setup.budget("Transfer Functions", methods.size(), 2 + 4L * methods.size()).check();
		final Problem problem = setup.problem();
		final HalfPlane plane = problem.unitPrior().plane();
		final double half = problem.half();
		final ImageStack stack = new ImageStack(plane.width, plane.height);
		if (setup.observed() != null) throw new IllegalArgumentException(OperatorSpec.NOT_CIRCULANT);
		OutputLaw posterior = null;
		int done = 0;
		for (final Method m : methods) {
			progress.checkCancelled();
			progress.detail(m.label + " · method " + (done + 1) + "/" + methods.size());
			if (setup.factor() > 1) {
				// Super-resolution: per HR frequency, the gain from its aliasing group's LR coefficient and
				// the output's marginal std (the noise gains are r²×r² matrices: not shown).
				final org.spectralposterior.core.diffusion.SuperResolutionSampler ss = new org.spectralposterior.core.diffusion.SuperResolutionSampler(problem.unitPrior(), problem.op(),
					setup.factor(), problem.unitSigma(), problem.config(m, steps, t0));
				if (stack.getSize() == 0) {
					final double[][] pf = ss.posterior().perFrequency();
					stack.addSlice("exact posterior: LR measurement→output |P*| (kriging gain)", image(plane, pf[0]));
					stack.addSlice("exact posterior: std (image units)", image(plane, scaled(pf[1], half)));
				}
				final double[][] pf = ss.closedForm().law().perFrequency();
				stack.addSlice(m.label + ": LR measurement→output |P|", image(plane, pf[0]));
				stack.addSlice(m.label + ": output std (image units)", image(plane, scaled(pf[1], half)));
				progress.update(++done, methods.size());
				continue;
			}
			final DiffusionSampler ds = problem.sampler(m, steps, t0);
			if (posterior == null) {
				posterior = ds.posterior();
				stack.addSlice("Wiener |κ* conj(h)| (exact posterior)", image(plane, gainOf(posterior)));
				stack.addSlice("exact posterior std s* (image units)", image(plane, scaledSqrt(posterior.s2(), half)));
			}
			final DiffusionSampler.Law law = ds.closedForm();
			stack.addSlice(m.label + ": measurement→output |p conj(h)|", image(plane, gainOf(law.law())));
			stack.addSlice(m.label + ": output std s (image units)", image(plane, scaledSqrt(law.law().s2(), half)));
			final double[] g = law.initialNoiseGain().clone();
			for (int i = 0; i < g.length; i++) g[i] = Math.abs(g[i]);
			stack.addSlice(m.label + ": initial noise→output |Πa|", image(plane, g));
			final double[] inj = new double[plane.size];
			for (int i = 0; i < inj.length; i++) inj[i] = Math.sqrt(Math.max(0, law.law().s2()[i] - law.initialNoiseGain()[i] * law.initialNoiseGain()[i])) * half;
			stack.addSlice(m.label + ": injected noise→output (image units)", image(plane, inj));
			progress.update(++done, methods.size());
		}
		// A diverged method's gains overflow: its slices say so rather than pass ±∞ off as a gain.
		for (int i = 1; i <= stack.getSize(); i++) {
			final ImageStack one = new ImageStack(plane.width, plane.height);
			one.addSlice(stack.getProcessor(i));
			if (!Planes.finite(one)) stack.setSliceLabel(stack.getSliceLabel(i) + " — DIVERGED: non-finite values (the recurrence overflowed)", i);
		}
		final String base = Planes.baseTitle(setup.priorImp()).replace("_prior", "");
		final ImagePlus imp = DisplayStyle.rangePerSlice(new ImagePlus(base + "_transfer", stack));
		imp.setProperty("Info", "spectral_posterior=transfer\npixels=per-frequency gains, fftshifted (DC at the centre)\nsteps=" + steps + "\n");
		return new TaskResult().addImage(TaskResult.TRANSFER, imp);
	}

	private static double[] scaled(final double[] v, final double f) {
		final double[] out = v.clone();
		for (int i = 0; i < out.length; i++) out[i] *= f;
		return out;
	}

	private static double[] gainOf(final OutputLaw law) {
		final double[] rho = law.operator().rho(), p = law.p(), out = new double[p.length];
		for (int i = 0; i < p.length; i++) out[i] = Math.abs(p[i]) * Math.sqrt(rho[i]);
		return out;
	}

	private static double[] scaledSqrt(final double[] v, final double f) {
		final double[] out = new double[v.length];
		for (int i = 0; i < v.length; i++) out[i] = Math.sqrt(v[i]) * f;
		return out;
	}

	private static ij.process.FloatProcessor image(final HalfPlane plane, final double[] half) {
		return Planes.toProcessor(FullGrid.shifted(plane, half), plane.width, plane.height);
	}

	/** Reverse-Dynamics Sensitivity: impulse responses at chosen t, enclosed energy and spectral radius against t. */
	public static TaskResult sensitivity(final Setup setup, final String timeList, final String radiusList, final Progress progress) {
		setup.budget("Reverse-Dynamics Sensitivity", 1, 2L * ints(timeList, "times").length).check();
		final GaussianPrior prior = setup.map().toUnit(setup.prior());
		final HalfPlane plane = prior.plane();
		final Schedule sch = Schedule.parse(setup.schedule(), setup.trainSteps(), NumberLists.resolve("schedule_table", setup.scheduleTable()));
		final int[] times = ints(timeList, "times");
		for (final int t : times) if (t < 1 || t > sch.T()) throw new IllegalArgumentException("times must lie in 1.." + sch.T() + ", got " + t + ".");
		final int[] radii = ints(radiusList, "radii");
		for (final int r : radii) if (r < 0) throw new IllegalArgumentException("radii must be ≥ 0 pixels, got " + r + ".");
		final ImageStack score = new ImageStack(plane.width, plane.height), step = new ImageStack(plane.width, plane.height);
		for (final int t : times) {
			progress.checkCancelled();
			score.addSlice("t=" + t, Planes.toProcessor(ReverseDynamics.impulseResponse(plane, ReverseDynamics.scoreJacobian(prior.spectrum(), sch, t)), plane.width, plane.height));
			step.addSlice("t=" + t, Planes.toProcessor(ReverseDynamics.impulseResponse(plane, ReverseDynamics.stepJacobian(prior.spectrum(), sch, t)), plane.width, plane.height));
		}
		// Curves against every t of the schedule (sub-sampled to ≤ 200 points).
		final int stride = Math.max(1, sch.T() / 200);
		final List<Integer> ts = new ArrayList<>();
		for (int t = 1; t <= sch.T(); t += stride) ts.add(t);
		final ResultsTable table = new ResultsTable();
		final double[] tx = new double[ts.size()], rad = new double[ts.size()];
		final double[][] enc = new double[radii.length][ts.size()];
		for (int i = 0; i < ts.size(); i++) {
			progress.checkCancelled();
			final int t = ts.get(i);
			if (i % 10 == 0) progress.detail("curves · t = " + t + "/" + sch.T());
			final double[] ms = ReverseDynamics.stepJacobian(prior.spectrum(), sch, t);
			final double[] g = ReverseDynamics.impulseResponse(plane, ReverseDynamics.scoreJacobian(prior.spectrum(), sch, t));
			tx[i] = t;
			rad[i] = ReverseDynamics.spectralRadius(ms);
			table.incrementCounter();
			table.addValue("t", t);
			table.addValue("alpha_bar", sch.alphaBar(t));
			table.addValue("step spectral radius", rad[i]);
			table.addValue("score spectral radius", ReverseDynamics.spectralRadius(ReverseDynamics.scoreJacobian(prior.spectrum(), sch, t)));
			for (int r = 0; r < radii.length; r++) {
				enc[r][i] = ReverseDynamics.enclosedEnergy(plane, g, radii[r]);
				table.addValue(String.format(Locale.ROOT, "score energy within r=%d", radii[r]), enc[r][i]);
			}
			progress.update(i + 1, ts.size());
		}
		final String base = Planes.baseTitle(setup.priorImp()).replace("_prior", "");
		final Plot energy = new Plot(base + "_enclosed_energy", "t (log scale)", "score-Jacobian energy within r");
		for (int r = 0; r < radii.length; r++) Plots.line(energy, tx, enc[r], r, "r = " + radii[r]);
		// The energies lie in [0, 1]; the band above 1 holds the legend. They change at small t (all
		// near 1 from t ≈ 100 for a texture prior), so t is on a log axis.
		Plots.legendAbove(energy, 1, sch.T(), false, radii.length, new double[] { 0, 1 });
		energy.setLogScaleX();
		final Plot radius = new Plot(base + "_spectral_radius", "t", "spectral radius of the reverse-step Jacobian");
		Plots.line(radius, tx, rad, 0, null);
		final double[] rr0 = Plots.range(false, rad);
		if (rr0 != null) {
			final double pad = Math.max(0.05 * (rr0[1] - rr0[0]), 1e-6 * Math.max(1, Math.abs(rr0[1])));
			radius.setLimits(0, sch.T(), rr0[0] - pad, rr0[1] + pad);
		}
		// A response a few pixels wide is invisible in a 512² window: both stacks are cropped to the
		// central square holding 99 % of every slice's energy off the centre pixel (the centre carries the
		// identity part of the step), and each slice gets its own display range (t changes the scale).
		final int reach = Math.max(responseRadius(score, 0.99), responseRadius(step, 0.99));
		final int cx = plane.width / 2, cy = plane.height / 2;
		final int x0 = Math.max(0, cx - reach), y0 = Math.max(0, cy - reach), x1 = Math.min(plane.width - 1, cx + reach), y1 = Math.min(plane.height - 1, cy + reach);
		final boolean cropped = x0 > 0 || y0 > 0 || x1 < plane.width - 1 || y1 < plane.height - 1;
		final ImagePlus scoreImp = DisplayStyle.rangePerSlice(new ImagePlus(base + "_impulse_score", cropped ? score.crop(x0, y0, 0, x1 - x0 + 1, y1 - y0 + 1, score.getSize()) : score));
		final ImagePlus stepImp = DisplayStyle.rangePerSlice(new ImagePlus(base + "_impulse_step", cropped ? step.crop(x0, y0, 0, x1 - x0 + 1, y1 - y0 + 1, step.getSize()) : step));
		scoreImp.setTitle(base + "_impulse_score");
		stepImp.setTitle(base + "_impulse_step");
		final ImagePlus e = energy.getImagePlus(), rr = radius.getImagePlus();
		e.setTitle(base + "_enclosed_energy");
		rr.setTitle(base + "_spectral_radius");
		final TaskResult out = new TaskResult().addImage(TaskResult.IMPULSE_SCORE, scoreImp).addImage(TaskResult.IMPULSE_STEP, stepImp).addImage(TaskResult.ENCLOSED_ENERGY, e)
			.addImage(TaskResult.SPECTRAL_RADIUS, rr).addTable(base + "_sensitivity", table);
		if (cropped) {
			out.addNote("the impulse responses are cropped to the central " + (x1 - x0 + 1) + "×" + (y1 - y0 + 1) + " pixels (99 % of each response's energy off the centre; the impulse is at ("
				+ (cx - x0) + ", " + (cy - y0) + ")).");
		}
		return out;
	}

	/**
	 * The smallest radius (Chebyshev, pixels, at least 8) around the centre (w/2, h/2) holding {@code share}
	 * of the energy off the centre pixel, in every slice.
	 */
	static int responseRadius(final ImageStack stack, final double share) {
		final int w = stack.getWidth(), h = stack.getHeight(), cx = w / 2, cy = h / 2, rMax = Math.max(cx, cy) + 1;
		int radius = 8;
		for (int z = 1; z <= stack.getSize(); z++) {
			final ij.process.ImageProcessor ip = stack.getProcessor(z);
			final double[] ring = new double[rMax + 1];
			double total = 0;
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					if (x == cx && y == cy) continue;
					final double v = ip.getf(x, y), e = v * v;
					ring[Math.max(Math.abs(x - cx), Math.abs(y - cy))] += e;
					total += e;
				}
			}
			if (!(total > 0)) continue;
			double acc = 0;
			for (int r = 0; r <= rMax; r++) {
				acc += ring[r];
				if (acc >= share * total) {
					radius = Math.max(radius, r);
					break;
				}
			}
		}
		return radius;
	}

	private static int min(final int[] v) {
		int m = Integer.MAX_VALUE;
		for (final int x : v) m = Math.min(m, x);
		return m;
	}

	private static int max(final int[] v) {
		int m = Integer.MIN_VALUE;
		for (final int x : v) m = Math.max(m, x);
		return m;
	}
}
