package org.spectralposterior.imagej;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.RandomStreams;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.metric.ImageQuality;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.ColourConvolution;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.ColourPrior;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Posterior Sampling and Synthesize Texture with a cross-channel colour prior. Every method runs on
 * the prior's eigen-channels ({@link ColourConvolution}): one grey {@link MethodRun} per
 * eigen-channel, in the common intensity units of all channels, whose samples, means and laws are
 * rotated back to the colour channels. Outputs are C-channel composites (red, green, blue for RGB)
 * with the grey outputs' titles; the table has one row per colour plane (slice, frame), W2 summed
 * over the channels, and per-channel std.
 * <p>
 * Random streams: colour plane g (0-based over slices and frames) owns {@link RandomStreams#plane}(seed, g),
 * and eigen-channel e its (e+1)-th split, used as a grey plane's generator.
 */
final class ColourTask {

	private ColourTask() {}

	static TaskResult sample(final ImagePlus priorImp, final ImagePlus measurement, final ImagePlus groundTruth, final SamplingTask.Request req, final Progress progress) {
		final ColourPrior prior = PriorImage.readColour(priorImp);
		final int n = prior.channels();
		final int w = measurement.getWidth(), h = measurement.getHeight();
		if (measurement.getNChannels() != n) {
			throw new IllegalArgumentException("The colour prior has " + n + " channels but the measurement '" + measurement.getTitle() + "' has " + measurement.getNChannels()
				+ "; give a colour measurement (RGB or a " + n + "-channel composite).");
		}
		final int factor = req.operator() == null ? MeasurementImage.downsample(measurement) : 1;
		final OperatorSpec given = req.operator() != null ? req.operator() : MeasurementImage.operator(measurement);
		if (factor > 1 || given.perChannel()) {
			// Super-resolution or a PSF per channel: the problem does not split over eigen-channels (dense blocks).
			if (!given.circulant()) throw new IllegalArgumentException(OperatorSpec.NOT_CIRCULANT);
			final BlurOperator[] ops = DegradationTask.channelOperators(n, given, h * factor, w * factor);
			final List<GaussianPrior> marginalsAll = new ArrayList<>();
			for (int c = 0; c < n; c++) marginalsAll.add(prior.channel(c));
			// noise_sigma=auto estimates σ from the image on its own grid; the recorded σ otherwise.
			final double sigmaAll = factor > 1 ? MeasurementImage.noiseSigma(measurement) : SamplingTask.sigma(req, measurement, marginalsAll, ops[0].rho());
			SamplingTask.checkSampleCount(req.samples());
			return ColourBlocksTask.sample(priorImp, prior, measurement, groundTruth, req, given, factor, sigmaAll, progress);
		}
		if (prior.plane().width != w || prior.plane().height != h) {
			throw new IllegalArgumentException("The prior is " + prior.plane() + " but the measurement is " + w + "×" + h + "; rebuild the prior with target_width=" + w + " target_height=" + h + ".");
		}
		if (measurement.getNChannels() != n) {
			throw new IllegalArgumentException("The colour prior has " + n + " channels but the measurement '" + measurement.getTitle() + "' has " + measurement.getNChannels()
				+ "; give a colour measurement (RGB or a " + n + "-channel composite).");
		}
		final OperatorSpec spec = req.operator() != null ? req.operator() : MeasurementImage.operator(measurement);
		if (!spec.circulant()) return ColourInpaintingTask.sample(priorImp, prior, measurement, groundTruth, req, progress);
		final List<GaussianPrior> marginals = new ArrayList<>();
		for (int c = 0; c < n; c++) marginals.add(prior.channel(c));
		final double sigma = SamplingTask.sigma(req, measurement, marginals, BlurOperator.of(spec, h, w).rho());
		SamplingTask.checkSampleCount(req.samples());
		final MethodRun.Settings asked = req.settings();
		if (asked.trajectoryEvery() > 0) throw new IllegalArgumentException("trajectory_every is not available with a colour prior yet; set trajectory_every=0.");
		final boolean exact = asked.exact();
		if (!exact && asked.config().bands() != null) {
			throw new IllegalArgumentException("Weights per frequency band are not available with a colour prior (its eigen-channels have spectra of their own); tune with parametrisation=[per step].");
		}
		if (!exact && !asked.config().method().linear()) {
			throw new IllegalArgumentException("The method '" + asked.config().method().key + "' normalises its guidance by the residual of the whole image, which does not split over colour channels; "
				+ "choose dps, or rebuild the prior with colour_model=[per channel].");
		}
		final int nz = measurement.getNSlices(), nt = measurement.getNFrames(), ns = req.samples();
		SamplingTask.checkedTruth(groundTruth, w, h, measurement.getStackSize());
		// One intensity map for every channel, so that white noise stays white in the eigen-channels.
		final IntensityMap map = exact ? new IntensityMap(-1, 1) : commonMap(priorImp, n, asked.dataRange());
		final ColourPrior unitPrior = prior.affine(map.mid(), map.half());
		final BlurOperator op = BlurOperator.of(spec, h, w);
		final double sigmaUnit = map.noiseToUnit(sigma);
		final ColourConvolution colour = new ColourConvolution(unitPrior, op, sigmaUnit);
		// The grey runs work on unit intensities already: an identity map for each of them.
		final MethodRun.Settings settings = asked.inUnitIntensities();
		final IntensityMap identity = new IntensityMap(-1, 1);
		final String method = SamplingTask.methodKey(req.method());
		final String base = Planes.baseTitle(measurement) + "_" + method;
		final ImageStack samples = new ImageStack(w, h, Math.toIntExact((long) n * nz * nt * ns));
		final ImageStack means = new ImageStack(w, h, measurement.getStackSize()), stds = new ImageStack(w, h, measurement.getStackSize());
		final ImageStack w2maps = new ImageStack(w, h, measurement.getStackSize()), w2specs = new ImageStack(w, h, nz * nt);
		final ResultsTable table = new ResultsTable();
		final Rectangle whole = new Rectangle(0, 0, w, h);
		final double half = map.half(), half2 = half * half;
		long done = 0;
		final long total = (long) nz * nt * ns;
		for (int t = 1; t <= nt; t++) {
			for (int z = 1; z <= nz; z++) {
				final int group = (t - 1) * nz + (z - 1);
				final double[][] v = unitChannels(measurement, n, z, t, whole, map);
				final double[][] ve = colour.toEigen(v);
				final SplittableRandom groupRng = RandomStreams.plane(req.seed(), group);
				final List<MethodRun> runs = new ArrayList<>();
				final List<SplittableRandom> rngs = new ArrayList<>();
				for (int e = 0; e < n; e++) {
					progress.checkCancelled();
					runs.add(new MethodRun(settings, colour.eigenPrior(e), identity, op, sigmaUnit, ve[e], progress));
					rngs.add(groupRng.split());
				}
				final double[][] eigenSample = new double[n][w * h];
				final float[] buffer = new float[w * h];
				for (int s = 1; s <= ns; s++) {
					for (int e = 0; e < n; e++) {
						progress.checkCancelled();
						runs.get(e).sample(buffer, rngs.get(e), progress, 0, null);
						for (int p = 0; p < buffer.length; p++) eigenSample[e][p] = buffer[p];
					}
					final double[][] x = colour.fromEigen(eigenSample);
					ColourTask.putSample(samples, x, map, w, h, nz, nt, ns, z, t, s);
					progress.update(++done, total);
				}
				final List<OutputLaw> laws = new ArrayList<>(), posteriors = new ArrayList<>();
				for (final MethodRun r : runs) {
					laws.add(r.law);
					posteriors.add(r.posterior);
				}
				// Each eigen-channel run has its W2 and E_v W2 already (in unit intensities: its map is the identity).
				final List<Wasserstein.Result> parts = new ArrayList<>();
				final List<Wasserstein.Expected> expectedParts = new ArrayList<>();
				for (final MethodRun r : runs) {
					parts.add(r.w2);
					expectedParts.add(r.expected);
				}
				final double[][] mean = colour.mean(laws, ve);
				final double[] std = colour.channelStd(laws);
				final ColourConvolution.ColourW2 w2 = colour.assemble(parts, mean, colour.mean(posteriors, ve), std, colour.channelStd(posteriors));
				final Wasserstein.Expected expected = colour.sum(expectedParts);
				for (int c = 0; c < n; c++) {
					final int index = measurement.getStackIndex(c + 1, z, t);
					map.fromUnit(mean[c]);
					means.setProcessor(Planes.toProcessor(mean[c], w, h), index);
					final double[] stdMap = new double[w * h];
					java.util.Arrays.fill(stdMap, std[c] * half);
					stds.setProcessor(Planes.toProcessor(stdMap, w, h), index);
					final double[] px = w2.pixelMaps()[c].clone();
					for (int p = 0; p < px.length; p++) px[p] *= half;
					w2maps.setProcessor(Planes.toProcessor(px, w, h), index);
					final String label = SamplingTask.label(n, nz, nt, c + 1, z, t).trim();
					for (final ImageStack st : new ImageStack[] { means, stds, w2maps }) st.setSliceLabel(label, index);
				}
				final double[] spectral = w2.total().spectralMap();
				for (int i = 0; i < spectral.length; i++) spectral[i] *= half2;
				w2specs.setProcessor(Planes.toProcessor(SamplingTask.log10(spectral), w, h), group + 1);

				table.incrementCounter();
				table.addValue("method", exact ? SamplingTask.EXACT : runs.get(0).sampler.config().method().label);
				table.addValue("channels", n + " (cross-channel prior)");
				if (nz * nt > 1) {
					table.addValue("slice", z);
					table.addValue("frame", t);
				}
				SamplingTask.runColumns(table, spec.describe(), sigma, ns, req.seed());
				table.addValue("noise_sigma source", SamplingTask.sigmaSource(req));
				if (!exact) SamplingTask.diffusionColumns(table, runs.get(0).sampler.config(), settings.stepByStep(), map, runs.get(0).lawKind());
				table.addValue("W2", Math.sqrt(w2.total().squared() * half2));
				table.addValue("W2^2", w2.total().squared() * half2);
				table.addValue("W2^2 mean part", w2.total().meanPart() * half2);
				table.addValue("W2^2 covariance part", w2.total().covariancePart() * half2);
				table.addValue("E_v W2^2", expected.squared() * half2);
				table.addValue("E_v W2^2 per pixel", expected.squared() * half2 / ((double) w * h * n));
				double trace = 0;
				for (final OutputLaw p : posteriors) trace += p.plane().sumAll(p.s2());
				table.addValue("posterior trace", trace * half2);
				for (int c = 0; c < n; c++) table.addValue("output std c" + (c + 1), std[c] * half);
				if (groundTruth != null) truthColumns(table, groundTruth, mean, std, half, z, t, n, whole);
			}
		}
		final ImagePlus samplesImp = Planes.hyperstack(base + "_samples", samples, n, nz, nt * ns, measurement, true);
		final ImagePlus meanImp = Planes.hyperstack(base + "_mean", means, n, nz, nt, measurement, true);
		final ImagePlus stdImp = Planes.hyperstack(base + "_std", stds, n, nz, nt, measurement, false);
		final ImagePlus w2Imp = Planes.hyperstack(base + "_w2map", w2maps, n, nz, nt, measurement, false);
		final ImagePlus w2Spec = Planes.hyperstack(base + "_w2spectrum", w2specs, 1, nz, nt, null, false);
		w2Spec.setProperty("Info", "spectral_posterior=w2spectrum\npixels=log10 of the per-frequency W2^2 contributions summed over the colour channels, fftshifted; NaN where zero\n");
		if (!Planes.finite(samples) || !Planes.finite(means) || !Planes.finite(w2maps)) {
			return SamplingTask.diverged(table, base);
		}
		final TaskResult result = new TaskResult().addImage(TaskResult.SAMPLES, samplesImp).addImage(TaskResult.MEAN, meanImp).addImage(TaskResult.STD, stdImp).addImage(TaskResult.W2_MAP, w2Imp)
			.addImage(TaskResult.W2_SPECTRUM, w2Spec);
		result.addTable(base + "_results", table);
		result.addFigure(base + "_overview", Overview.montageColour(measurement, samplesImp, meanImp, stdImp, w2Imp, table.getValue("W2", 0)));
		return result;
	}

	/** Sample s of plane (z, t): its channels, mapped back to image units (in place), into their slots. */
	static void putSample(final ImageStack samples, final double[][] x, final IntensityMap map, final int w, final int h, final int nz, final int nt, final int ns, final int z,
		final int t, final int s) {
		final int n = x.length;
		for (int c = 0; c < n; c++) {
			map.fromUnit(x[c]);
			final int slot = SamplingTask.sampleSlot(n, nz, ns, c + 1, z, t, s);
			samples.setProcessor(Planes.toProcessor(x[c], w, h), slot);
			samples.setSliceLabel(SamplingTask.sampleLabel(n, nz, nt, c + 1, z, t, s), slot);
		}
	}

	/** The n channels of plane (z, t) of {@code measurement}, in the samplers' units. */
	static double[][] unitChannels(final ImagePlus measurement, final int n, final int z, final int t, final Rectangle whole, final IntensityMap map) {
		final double[][] v = new double[n][];
		for (int c = 0; c < n; c++) {
			v[c] = Planes.read(measurement, measurement.getStackIndex(c + 1, z, t), whole);
			map.toUnit(v[c]);
		}
		return v;
	}

	/** PSNR and coverage over all channels together, SSIM averaged over channels. */
	static void truthColumns(final ResultsTable table, final ImagePlus truthImp, final double[][] mean, final double[] std, final double half, final int z, final int t,
		final int n, final Rectangle whole) {
		final int d = mean[0].length;
		final double[] truth = new double[n * d], all = new double[n * d], stdAll = new double[n * d];
		double ssim = 0;
		for (int c = 0; c < n; c++) {
			final double[] x = Planes.read(truthImp, truthImp.getStackIndex(c + 1, z, t), whole);
			System.arraycopy(x, 0, truth, c * d, d);
			System.arraycopy(mean[c], 0, all, c * d, d);
			java.util.Arrays.fill(stdAll, c * d, (c + 1) * d, std[c] * half);
			ssim += ImageQuality.ssim(x, mean[c], truthImp.getWidth(), truthImp.getHeight(), ImageQuality.dataRange(x));
		}
		final double peak = ImageQuality.dataRange(truth);
		table.addValue("PSNR mean (dB)", ImageQuality.psnr(truth, all, peak));
		table.addValue("SSIM mean", ssim / n);
		table.addValue("coverage ±2 std", ImageQuality.coverage(truth, all, stdAll, 2));
	}

	/** The "auto" range over all channels, or the explicit data_range. */
	static IntensityMap commonMap(final ImagePlus priorImp, final int n, final IntensityMap.Range dataRange) {
		if (!dataRange.auto()) return dataRange.fixed();
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (int c = 1; c <= n; c++) {
			final double[] r = PriorImage.dataRange(priorImp, c);
			lo = Math.min(lo, r[0]);
			hi = Math.max(hi, r[1]);
		}
		return dataRange.resolve(lo, hi);
	}

	/** Colour textures: eigen-channel samples (independent, with their own splits of the seed) rotated back. */
	static TaskResult synthesise(final ImagePlus priorImp, final int samples, final long seed, final Progress progress) {
		final ColourPrior prior = PriorImage.readColour(priorImp);
		final int n = prior.channels(), w = prior.plane().width, h = prior.plane().height;
		final org.spectralposterior.core.prior.ColourBasis basis = prior.basis();
		final SplittableRandom root = new SplittableRandom(seed);
		final List<GaussianPrior.Sampler> samplers = new ArrayList<>();
		for (int e = 0; e < n; e++) samplers.add(basis.eigenPrior(e).sampler(root.split()));
		final ImageStack stack = new ImageStack(w, h);
		final double[][] y = new double[n][w * h];
		for (int s = 1; s <= samples; s++) {
			progress.checkCancelled();
			for (int e = 0; e < n; e++) samplers.get(e).next(y[e]);
			final double[][] x = basis.fromEigenImages(y);
			for (int c = 0; c < n; c++) stack.addSlice("c" + (c + 1) + " texture " + s, Planes.toProcessor(x[c], w, h));
			progress.update(s, samples);
		}
		final ImagePlus out = Planes.hyperstack(Planes.baseTitle(priorImp) + "_samples", stack, n, 1, samples, null, false);
		if (n == 3) Planes.rgbLuts(out, priorImp);
		return new TaskResult().addImage(TaskResult.TEXTURES, out);
	}
}
