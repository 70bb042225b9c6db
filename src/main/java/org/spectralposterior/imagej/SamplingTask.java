package org.spectralposterior.imagej;

import java.awt.Rectangle;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.RandomStreams;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.diffusion.StepGrid;
import org.spectralposterior.core.metric.ImageQuality;
import org.spectralposterior.core.metric.NoiseLevel;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.ExactPosterior;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Posterior Sampling: draws samples of a method's output law given the measurement, with the law's
 * exact mean and std, its W2 maps to the true posterior and a results table. Output titles, with
 * {@code <m>} the measurement's title and {@code <method>} the method key:
 * {@code <m>_<method>_samples}, {@code _mean}, {@code _std}, {@code _w2map}, {@code _w2spectrum},
 * table {@code <m>_<method>_results}, figure {@code <m>_<method>_overview}.
 */
public final class SamplingTask {

	public static final String EXACT = "exact posterior";

	/**
	 * Inputs beyond images; {@code operator == null} means "read it from the measurement". The
	 * diffusion settings are ignored by the exact posterior.
	 */
	public record Request(String method, int samples, long seed, OperatorSpec operator, double noiseSigma, String mode, String schedule, int trainSteps, String scheduleTable, int steps,
		String baseStep, double eta, String weights, String weightList, String tunedWeights, int t0, String dataRange, int trajectoryEvery) {

		/** The exact posterior (or closed-form) request with default diffusion settings. */
		public static Request exact(final String method, final int samples, final long seed, final OperatorSpec operator, final double noiseSigma) {
			return new Request(method, samples, seed, operator, noiseSigma, "closed form", "linear", 1000, "", 50, "ddpm", 0, "heuristic", "", "", 500, "auto", 0);
		}

		boolean stepByStep() {
			final String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
			if (m.equals("step by step")) return true;
			if (m.equals("closed form") || m.isEmpty()) return false;
			throw new IllegalArgumentException("mode must be 'closed form' or 'step by step', got '" + mode + "'.");
		}

		/**
		 * Every text setting parsed and checked once, before any work: the method, schedule, base
		 * step, weights (a tuned table or weight file read here — read per plane it could change
		 * mid-run), data range. The exact posterior ignores the diffusion settings.
		 */
		MethodRun.Settings settings() {
			if (trajectoryEvery < 0) throw new IllegalArgumentException("trajectory_every must be ≥ 0 (0 = no trajectory), got " + trajectoryEvery + ".");
			final boolean stepByStep = stepByStep();
			if (methodKey(method).equals("exact")) return new MethodRun.Settings(null, stepByStep, IntensityMap.Range.AUTO, trajectoryEvery);
			return new MethodRun.Settings(config(), stepByStep, IntensityMap.Range.parse(dataRange), trajectoryEvery);
		}

		private DiffusionSampler.Config config() {
			final Method m = Methods.parse(method);
			final Schedule sched = Schedule.parse(schedule, trainSteps, NumberLists.resolve("schedule_table", scheduleTable));
			final BaseStep base = BaseStep.parse(baseStep);
			final String mode = weights == null ? "heuristic" : weights.trim().toLowerCase(Locale.ROOT);
			switch (mode) {
				case "heuristic":
					return new DiffusionSampler.Config(m, sched, steps, base, eta, null, t0);
				case "custom": {
					if (weightList == null || weightList.isBlank()) throw new IllegalArgumentException("weights=custom needs weight_list=w1,w2,… (one per step, noisiest first) or the path of a file of them.");
					final double[] w = NumberLists.values("weight_list", weightList, "weight_list must be numbers separated by commas, or the path of an existing text file of them");
					return new DiffusionSampler.Config(m, sched, steps, base, eta, w, t0);
				}
				case "tuned": {
					if (!m.tunable()) throw new IllegalArgumentException(m.label + " has no guidance weights; leave the weights at heuristic.");
					final TunedWeights tuned = TunedWeights.read(tunedWeights);
					if (tuned == null) throw new IllegalArgumentException("weights=tuned needs tuned_table=<a Tune Sampler Weights table or its CSV>.");
					if (tuned.etas() != null && base != BaseStep.DDIM) {
						throw new IllegalArgumentException("The table " + tuned.source() + " holds DDIM's η per step, designed with its weights: set base_step=ddim.");
					}
					final DiffusionSampler.Config cfg = new DiffusionSampler.Config(m, sched, steps, base, eta, tuned.perStep(), t0, tuned.bands(), tuned.etas());
					final StepGrid grid = cfg.grid();
					final int[] t = new int[grid.n];
					for (int j = 0; j < t.length; j++) t[j] = grid.t(j);
					tuned.checkFor(m.key, t, grid.abT);
					return cfg;
				}
				default:
					throw new IllegalArgumentException("weights must be heuristic, custom or tuned, got '" + weights + "'.");
			}
		}
	}

	private SamplingTask() {}

	public static TaskResult run(final ImagePlus priorImp, final ImagePlus measurementImage, final ImagePlus groundTruthImage, final Request req, final Progress progress) {
		final ImagePlus measurement = Planes.channels(measurementImage), groundTruth = Planes.channels(groundTruthImage);
		Planes.checkReadable(measurement, "measurement");
		MemoryBudget.sampling(measurement, req).check();
		if (PriorImage.isColour(priorImp)) return ColourTask.sample(priorImp, measurement, groundTruth, req, progress);
		final List<GaussianPrior> priors = PriorImage.readAll(priorImp);
		final int w = measurement.getWidth(), h = measurement.getHeight();
		final GaussianPrior first = priors.get(0);
		final int factor = req.operator() != null ? 1 : MeasurementImage.downsample(measurement);
		if (factor > 1) return SuperResolutionTask.run(priorImp, priors, measurement, groundTruth, req, factor, progress);
		if (first.plane().width != w || first.plane().height != h) {
			throw new IllegalArgumentException("The prior is " + first.plane() + " but the measurement is " + w + "×" + h
				+ "; rebuild the prior with target_width=" + w + " target_height=" + h + ".");
		}
		final int nc = measurement.getNChannels(), nz = measurement.getNSlices(), nt = measurement.getNFrames();
		if (priors.size() != 1 && priors.size() != nc) {
			throw new IllegalArgumentException("The prior has " + priors.size() + " channels but the measurement has " + nc + "; build the prior from an image with the same channels.");
		}
		final String method = methodKey(req.method());
		final OperatorSpec spec = req.operator() != null ? req.operator() : MeasurementImage.operator(measurement);
		// One operator per channel when each channel has its own PSF (chromatic aberration).
		final BlurOperator[] ops = spec.circulant() ? DegradationTask.channelOperators(measurement, spec) : null;
		final BlurOperator op = ops == null ? null : ops[0];
		final double sigma = sigma(req, measurement, priors, op == null ? null : op.rho());
		final String sigmaSource = sigmaSource(req);
		final int planes = measurement.getStackSize();
		checkSampleCount(req.samples());
		if (!spec.circulant()) return InpaintingTask.run(priorImp, priors, measurement, checkedTruth(groundTruth, w, h, planes), req, sigma, progress);
		checkedTruth(groundTruth, w, h, planes);
		final MethodRun.Settings settings = req.settings();
		final List<DiffusionSampler.Snapshot> trajectory = new java.util.ArrayList<>();
		final int ns = req.samples();
		final String base = Planes.baseTitle(measurement) + "_" + method;
		final ImageStack samples = new ImageStack(w, h, Math.toIntExact((long) nc * nz * nt * ns)); // fits: MemoryBudget checked ImageJ's stack limit
		final ImageStack means = new ImageStack(w, h, planes), stds = new ImageStack(w, h, planes), w2maps = new ImageStack(w, h, planes), w2specs = new ImageStack(w, h, planes);
		final ResultsTable table = new ResultsTable();
		final Rectangle whole = new Rectangle(0, 0, w, h);
		final long[] done = { 0 };
		forEachPlane(measurement, (c, z, t, index) -> {
			final GaussianPrior prior = priors.get(priors.size() == 1 ? 0 : c - 1);
			final double[] v = Planes.read(measurement, index, whole);
			final IntensityMap map = settings.exact() ? null : intensityMap(priorImp, priors.size() == 1 ? 1 : c, settings.dataRange());
			final MethodRun run = new MethodRun(settings, prior, map, ops[ops.length == 1 ? 0 : c - 1], sigma, v, progress);
			final java.util.SplittableRandom planeRng = RandomStreams.plane(req.seed(), index - 1);
			for (int s = 1; s <= ns; s++) {
				progress.checkCancelled();
				final float[] px = new float[w * h];
				final boolean record = trajectory.isEmpty() && s == 1 && settings.trajectoryEvery() > 0 && settings.stepByStep();
				run.sample(px, planeRng, progress.within((planes > 1 ? "plane " + index + "/" + planes + " · " : "") + "sample " + s + "/" + ns), record ? settings.trajectoryEvery() : 0,
					record ? trajectory : null);
				final int out = sampleSlot(nc, nz, ns, c, z, t, s);
				samples.setPixels(px, out);
				samples.setSliceLabel(label(nc, nz, nt, c, z, t) + "sample " + s, out);
				progress.update(++done[0], (long) planes * ns);
			}
			final double[] mean = run.mean();
			final double std = run.std();
			final double[] stdMap = new double[w * h];
			java.util.Arrays.fill(stdMap, std);
			final Wasserstein.Result w2 = run.w2;
			final Wasserstein.Expected expected = run.expected;
			means.setProcessor(Planes.toProcessor(mean, w, h), index);
			stds.setProcessor(Planes.toProcessor(stdMap, w, h), index);
			w2maps.setProcessor(Planes.toProcessor(w2.pixelMap(), w, h), index);
			w2specs.setProcessor(Planes.toProcessor(log10(w2.spectralMap()), w, h), index);

			table.incrementCounter();
			table.addValue("method", settings.exact() ? EXACT : run.sampler.config().method().label);
			if (planes > 1) {
				table.addValue("channel", c);
				table.addValue("slice", z);
				table.addValue("frame", t);
			}
			runColumns(table, spec.describe(), sigma, ns, req.seed());
			table.addValue("noise_sigma source", sigmaSource);
			if (!settings.exact()) {
				diffusionColumns(table, run.sampler.config(), settings.stepByStep(), run.map, run.lawKind());
			}
			table.addValue("W2", w2.distance());
			table.addValue("W2^2", w2.squared());
			table.addValue("W2^2 mean part", w2.meanPart());
			table.addValue("W2^2 covariance part", w2.covariancePart());
			final org.spectralposterior.core.metric.MonteCarloW2.Estimate mc = run.monteCarlo();
			if (mc != null) {
				// The step-by-step samples themselves, against the exact posterior (needed where the
				// law is only linearised: the residual-normalised DPS).
				table.addValue("W2^2 Monte Carlo", mc.w2Squared());
				table.addValue("W2^2 MC 95% low", mc.low());
				table.addValue("W2^2 MC 95% high", mc.high());
				table.addValue("W2^2 MC method", org.spectralposterior.core.metric.MonteCarloW2.Estimate.METHOD);
			}
			table.addValue("E_v W2^2", expected.squared());
			table.addValue("E_v W2^2 per pixel", expected.perPixel());
			table.addValue("posterior trace", run.posteriorTrace());
			table.addValue("output std per pixel", std);
			if (groundTruth != null) {
				final double[] truth = Planes.read(groundTruth, index, whole);
				final double peak = ImageQuality.dataRange(truth);
				table.addValue("PSNR mean (dB)", ImageQuality.psnr(truth, mean, peak));
				table.addValue("SSIM mean", ImageQuality.ssim(truth, mean, w, h, peak));
				table.addValue("coverage ±2 std", ImageQuality.coverage(truth, mean, stdMap, 2));
			}
		});
		final ImagePlus samplesImp = Planes.hyperstack(base + "_samples", samples, nc, nz, nt * ns, measurement, true);
		final ImagePlus meanImp = Planes.hyperstack(base + "_mean", means, nc, nz, nt, measurement, true);
		final ImagePlus stdImp = Planes.hyperstack(base + "_std", stds, nc, nz, nt, measurement, false);
		final ImagePlus w2Imp = Planes.hyperstack(base + "_w2map", w2maps, nc, nz, nt, measurement, false);
		final ImagePlus w2Spec = Planes.hyperstack(base + "_w2spectrum", w2specs, nc, nz, nt, null, false);
		w2Spec.setProperty("Info", "spectral_posterior=w2spectrum\npixels=log10 of the per-frequency W2^2 contributions, fftshifted; NaN where zero\n");

		if (!Planes.finite(samples) || !Planes.finite(means) || !Planes.finite(stds) || !Planes.finite(w2maps)) {
			return diverged(table, base);
		}
		final TaskResult result = new TaskResult().addImage(TaskResult.SAMPLES, samplesImp).addImage(TaskResult.MEAN, meanImp).addImage(TaskResult.STD, stdImp).addImage(TaskResult.W2_MAP, w2Imp)
			.addImage(TaskResult.W2_SPECTRUM, w2Spec);
		if (!trajectory.isEmpty()) {
			final IntensityMap map = intensityMap(priorImp, 1, settings.dataRange());
			final ImageStack xt = new ImageStack(w, h), x0 = new ImageStack(w, h);
			for (final DiffusionSampler.Snapshot snap : trajectory) {
				final double[] a = snap.xt().clone(), b = snap.x0hat().clone();
				map.fromUnit(a);
				map.fromUnit(b);
				xt.addSlice("step " + snap.step() + " t=" + snap.t(), Planes.toProcessor(a, w, h));
				x0.addSlice("step " + snap.step() + " x̂0 from t", Planes.toProcessor(b, w, h));
			}
			result.addImage(TaskResult.TRAJECTORY_XT, Planes.hyperstack(base + "_trajectory_xt", xt, 1, xt.getSize(), 1, measurement, true));
			result.addImage(TaskResult.TRAJECTORY_X0, Planes.hyperstack(base + "_trajectory_x0", x0, 1, x0.getSize(), 1, measurement, true));
		}
		result.addTable(base + "_results", table);
		result.addFigure(base + "_overview", Overview.montage(measurement, samplesImp, meanImp, stdImp, w2Imp, table.getValue("W2", 0)));
		return result;
	}

	/**
	 * A diverged sampler (an overflowed recurrence: W2 = ∞) gives images of ±∞/NaN that look like
	 * results; say so in the table, which is then the only output.
	 */
	static TaskResult diverged(final ResultsTable table, final String base) {
		for (int row = 0; row < table.size(); row++) {
			table.setValue("status", row, "diverged: the sampler's values overflowed (W2 = " + table.getValue("W2", row) + "); no images were made. Use fewer steps, other weights or another method.");
		}
		return new TaskResult().addTable(base + "_results", table);
	}

	/** Work on one plane (channel c, slice z, frame t, 1-based; stack index). */
	interface PlaneWork {
		void run(int c, int z, int t, int index);
	}

	/** Every plane of a hyperstack, frames outermost, channels innermost. */
	static void forEachPlane(final ImagePlus imp, final PlaneWork work) {
		for (int t = 1; t <= imp.getNFrames(); t++) for (int z = 1; z <= imp.getNSlices(); z++) for (int c = 1; c <= imp.getNChannels(); c++) work.run(c, z, t, imp.getStackIndex(c, z, t));
	}

	/** Stack slot of sample s (1-based) of plane (c, z, t) when the samples run along the frames. */
	static int sampleSlot(final int nc, final int nz, final int ns, final int c, final int z, final int t, final int s) {
		return ((t - 1) * ns + s - 1) * nc * nz + (z - 1) * nc + c;
	}

	/** The first columns of a results row, shared by every posterior sampling path. */
	static void rowHeader(final ResultsTable table, final String method, final int planes, final int c, final int z, final int t, final String operator, final double sigma,
		final int samples, final long seed) {
		table.incrementCounter();
		table.addValue("method", method);
		if (planes > 1) {
			table.addValue("channel", c);
			table.addValue("slice", z);
			table.addValue("frame", t);
		}
		runColumns(table, operator, sigma, samples, seed);
	}

	/** {@code auto} (or empty) → NaN, "estimate it from the measurement"; else a finite number ≥ 0. */
	public static double parseNoiseSigma(final String text) {
		final String t = text == null ? "" : text.trim();
		if (t.isEmpty() || t.equalsIgnoreCase("auto")) return Double.NaN;
		try {
			final double v = Double.parseDouble(t);
			if (v >= 0 && Double.isFinite(v) && !t.matches(".*[xXpP].*")) return v;
		}
		catch (final NumberFormatException e) {
			// the message below
		}
		throw new IllegalArgumentException("noise_sigma=" + t + " is not auto or a finite number ≥ 0: give noise_sigma=auto (estimated from the image) or the noise's standard deviation, e.g. noise_sigma=5.");
	}

	/**
	 * The noise level of a run: the measurement's recorded σ when the operator comes from it, the given
	 * σ, or (NaN = auto) the estimate from the measurement's own pixels, corrected for the detail the
	 * priors put there ({@link NoiseLevel}).
	 */
	static double sigma(final Request req, final ImagePlus measurement, final List<GaussianPrior> priors, final double[] rho) {
		final double sigma;
		if (req.operator() == null) sigma = MeasurementImage.noiseSigma(measurement);
		else if (Double.isNaN(req.noiseSigma())) sigma = autoSigma(planesDetailVariance(measurement), priors, rho);
		else sigma = req.noiseSigma();
		if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + sigma);
		return sigma;
	}

	/** The measurement's robust detail variance, the part of {@link #sigma}'s estimate that depends on it alone (NaN if unreadable). */
	public static double detailVariance(final ImagePlus measurementImage) {
		try {
			return planesDetailVariance(Planes.channels(measurementImage));
		}
		catch (final RuntimeException e) {
			return Double.NaN;
		}
	}

	/** The robust detail variance over every plane of a measurement already split into channel planes. */
	private static double planesDetailVariance(final ImagePlus measurement) {
		final double[][] planes = new double[measurement.getStackSize()][];
		for (int i = 0; i < planes.length; i++) planes[i] = Planes.readRaw(measurement, i + 1);
		return NoiseLevel.detailVariance(planes, measurement.getWidth(), measurement.getHeight());
	}

	/** The auto σ: the detail variance less the priors' mean share of it through the operator's |h|² (rho). */
	private static double autoSigma(final double detailVariance, final List<GaussianPrior> priors, final double[] rho) {
		double signal = 0;
		for (final GaussianPrior p : priors) signal += NoiseLevel.signalDetailVariance(p, rho);
		return NoiseLevel.sigma(detailVariance, signal / priors.size());
	}

	/**
	 * The σ a run with {@code noise_sigma=auto} and this explicit operator would use ({@link #sigma}'s
	 * estimate: the measurement's detail variance, {@link #detailVariance}, less the priors' share
	 * through the operator), for the dialog to show before the run; NaN when it cannot be made yet — a
	 * colour prior, sizes that do not match, an operator that is not a blur — the run then says why.
	 * Never throws: a dialog calls it on every change.
	 */
	public static double estimatedSigma(final ImagePlus priorImp, final ImagePlus measurementImage, final OperatorSpec spec, final double detailVariance) {
		try {
			if (priorImp == null || measurementImage == null || spec == null || !Double.isFinite(detailVariance) || PriorImage.isColour(priorImp)) return Double.NaN;
			final ImagePlus measurement = Planes.channels(measurementImage);
			final List<GaussianPrior> priors = PriorImage.readAll(priorImp);
			final int w = measurement.getWidth(), h = measurement.getHeight();
			if (priors.get(0).plane().width != w || priors.get(0).plane().height != h || !spec.circulant()) return Double.NaN;
			return autoSigma(detailVariance, priors, DegradationTask.channelOperators(measurement, spec)[0].rho());
		}
		catch (final RuntimeException e) {
			return Double.NaN;
		}
	}

	/** Where the run's σ came from, for the table. */
	static String sigmaSource(final Request req) {
		if (req.operator() == null) return "recorded in the measurement";
		return Double.isNaN(req.noiseSigma()) ? "estimated from the image (Haar detail MAD minus the prior's share)" : "given";
	}

	/** Operator, noise, sample count and seed: what reproduces a row. */
	static void runColumns(final ResultsTable table, final String operator, final double sigma, final int samples, final long seed) {
		table.addValue("operator", operator);
		table.addValue("noise_sigma", sigma);
		table.addValue("samples", samples);
		table.addValue("seed", Long.toString(seed));
	}

	/** The columns that say how a diffusion sampler was run. */
	static void diffusionColumns(final ResultsTable table, final DiffusionSampler.Config cfg, final boolean stepByStep, final IntensityMap map, final String law) {
		table.addValue("mode", stepByStep ? "step by step" : "closed form");
		table.addValue("steps", cfg.steps());
		table.addValue("schedule", cfg.schedule().toString());
		table.addValue("base step", cfg.base().key + (cfg.base() != BaseStep.DDIM ? "" : cfg.etas() != null ? " η per step (tuned table)" : " η=" + cfg.eta()));
		table.addValue("weights", cfg.bands() != null ? "per step and band (" + cfg.bands().bands() + " " + cfg.bands().by().key() + " bands)" : cfg.weights() == null ? "heuristic" : "custom");
		if (cfg.method().start() == Method.Start.POSTERIOR_MEAN) table.addValue("t0", cfg.t0());
		table.addValue("intensity map", map.toString());
		table.addValue("law", law);
	}

	/** Slice label of sample s of plane (c, z, t). */
	static String sampleLabel(final int nc, final int nz, final int nt, final int c, final int z, final int t, final int s) {
		return (nc > 1 ? "c" + c + " " : "") + (nz > 1 ? "z" + z + " " : "") + (nt > 1 ? "t" + t + " " : "") + "sample " + s;
	}

	static ImagePlus checkedTruth(final ImagePlus groundTruth, final int w, final int h, final int planes) {
		if (groundTruth == null) return null;
		Planes.checkReadable(groundTruth, "ground truth");
		if (groundTruth.getWidth() != w || groundTruth.getHeight() != h || groundTruth.getStackSize() != planes) {
			throw new IllegalArgumentException("The ground truth is " + groundTruth.getWidth() + "×" + groundTruth.getHeight() + "×" + groundTruth.getStackSize() + " but the measurement is "
				+ w + "×" + h + "×" + planes + "; give the clean image the measurement was made from.");
		}
		return groundTruth;
	}

	static String label(final int nc, final int nz, final int nt, final int c, final int z, final int t) {
		return (nc > 1 ? "c" + c + " " : "") + (nz > 1 ? "z" + z + " " : "") + (nt > 1 ? "t" + t + " " : "");
	}

	/** The choices offered for {@code method}: the exact posterior, then the diffusion samplers' keys. */
	public static final String[] METHODS = java.util.stream.Stream.concat(java.util.stream.Stream.of(EXACT), java.util.Arrays.stream(Methods.keys())).toArray(String[]::new);

	public static String methodKey(final String method) {
		final String m = method == null ? "" : method.trim().toLowerCase(Locale.ROOT);
		if (m.equals(EXACT) || m.equals("exact")) return "exact";
		return Methods.parse(m).key;
	}

	/** The data range of channel c for data_range=auto (read lazily: explicit ranges need no metadata). */
	/** The intensity map of a prior channel: the fixed one, or for auto the channel's exemplar range. */
	static IntensityMap intensityMap(final ImagePlus priorImp, final int channel, final IntensityMap.Range range) {
		if (!range.auto()) return range.fixed();
		final double[] r = PriorImage.dataRange(priorImp, channel);
		return range.resolve(r[0], r[1]);
	}

	/** As above, for a data_range text (commands that parse their settings where they use them). */
	static IntensityMap intensityMap(final ImagePlus priorImp, final int channel, final String dataRange) {
		return intensityMap(priorImp, channel, IntensityMap.Range.parse(dataRange));
	}

	/** Refuses zero samples (whether they fit in memory is {@link MemoryBudget}'s question). */
	static void checkSampleCount(final long samples) {
		if (samples < 1) throw new IllegalArgumentException("samples must be at least 1, got " + samples + ".");
	}

	static double[] log10(final double[] full) {
		final double[] out = new double[full.length];
		for (int i = 0; i < out.length; i++) out[i] = full[i] > 0 ? Math.log10(full[i]) : Double.NaN;
		return out;
	}
}
