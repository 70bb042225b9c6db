package org.spectralposterior.imagej;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.RandomStreams;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.InpaintingSampler;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.ColourInpaintingPosterior;
import org.spectralposterior.core.prior.ColourPrior;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Posterior Sampling for inpainting with a cross-channel colour prior: the exact posterior
 * ({@link ColourInpaintingPosterior}, kriging and innovation through the C×C cross-spectra by
 * conjugate gradients), per colour plane (slice, frame). Missing entries are NaN and may differ between
 * channels. Outputs, as for grey inpainting but C-channel composites: samples, mean, std (exact, dense,
 * up to {@link ColourInpaintingPosterior#DENSE_VARIANCE_LIMIT} channel-pixels; above, the samples'
 * std, said so), a table with one row per colour plane.
 * <p>
 * Every diffusion method runs too, step by step, on the whole colour image at once
 * ({@link InpaintingSampler} in the eigen-channels of the prior the exact posterior conditions on, the
 * mask applied in channel pixels), in one intensity map for all channels. Its law is Gaussian for an
 * affine method: the mean exactly (a noise-free pass) and, up to
 * {@link ColourInpaintingPosterior#DENSE_VARIANCE_LIMIT} channel-pixels, the covariance, the std and the
 * W2 to the exact posterior exactly (dense); above, the samples' std and W2²'s exact mean part, a lower
 * bound. The residual-normalised DPS runs on the joint residual of all channels: samples only.
 * <p>
 * Random streams: colour plane g (0-based over slices and frames) owns {@link RandomStreams#plane}(seed, g).
 */
final class ColourInpaintingTask {

	private ColourInpaintingTask() {}

	static TaskResult sample(final ImagePlus priorImp, final ColourPrior prior, final ImagePlus measurement, final ImagePlus groundTruth, final SamplingTask.Request req,
		final Progress progress) {
		final MethodRun.Settings settings = req.settings();
		if (settings.trajectoryEvery() > 0) throw new IllegalArgumentException("trajectory_every is not available with a colour prior yet; set trajectory_every=0.");
		final int n = prior.channels(), w = measurement.getWidth(), h = measurement.getHeight(), d = w * h;
		final int nz = measurement.getNSlices(), nt = measurement.getNFrames(), ns = req.samples();
		SamplingTask.checkSampleCount(ns);
		SamplingTask.checkedTruth(groundTruth, w, h, measurement.getStackSize());
		final List<GaussianPrior> marginals = new ArrayList<>();
		for (int c = 0; c < n; c++) marginals.add(prior.channel(c));
		final double sigma = SamplingTask.sigma(req, measurement, marginals, null);
		final boolean exact = settings.exact();
		if (!exact && settings.config().bands() != null) {
			throw new IllegalArgumentException("Weights per frequency band are not available with a colour prior (its eigen-channels have spectra of their own); tune with parametrisation=[per step].");
		}
		// One intensity map for every channel, so that white noise stays white in the eigen-channels.
		final IntensityMap map = exact ? new IntensityMap(-1, 1) : ColourTask.commonMap(priorImp, n, settings.dataRange());
		final ColourPrior unitPrior = exact ? prior : prior.affine(map.mid(), map.half());
		final double sigmaUnit = exact ? sigma : map.noiseToUnit(sigma);
		final String base = Planes.baseTitle(measurement) + "_" + SamplingTask.methodKey(req.method());
		final ImageStack samples = new ImageStack(w, h, Math.toIntExact((long) n * nz * nt * ns));
		final ImageStack means = new ImageStack(w, h, measurement.getStackSize()), stds = new ImageStack(w, h, measurement.getStackSize());
		final ResultsTable table = new ResultsTable();
		final IntensityMap identity = new IntensityMap(-1, 1);
		final boolean denseStd = n * d <= ColourInpaintingPosterior.DENSE_VARIANCE_LIMIT;
		final String[] stdKind = { null };
		long done = 0;
		final long total = (long) nz * nt * ns;
		for (int t = 1; t <= nt; t++) {
			for (int z = 1; z <= nz; z++) {
				final int group = (t - 1) * nz + (z - 1);
				final double[] v = new double[n * d];
				final boolean[] observed = new boolean[n * d];
				int missing = 0;
				for (int c = 0; c < n; c++) {
					final double[] px = Planes.readRaw(measurement, measurement.getStackIndex(c + 1, z, t));
					for (int p = 0; p < d; p++) {
						if (Double.isInfinite(px[p])) throw new IllegalArgumentException("The measurement '" + measurement.getTitle() + "' has infinite pixels; missing pixels must be NaN.");
						observed[c * d + p] = !Double.isNaN(px[p]);
						v[c * d + p] = observed[c * d + p] ? px[p] : map.mid();
						if (!observed[c * d + p]) missing++;
					}
				}
				progress.checkCancelled();
				final SplittableRandom groupRng = RandomStreams.plane(req.seed(), group);
				if (!exact) {
					final int zz = z, tt = t;
					final long before = done;
					final double[][] meanStd = diffusionPlane(unitPrior, map, observed, v, sigma, sigmaUnit, settings, ns, groupRng,
						(s, x) -> {
							ColourTask.putSample(samples, channels(x, n, d), map, w, h, nz, nt, ns, zz, tt, s);
							progress.update(before + s, total);
						}, table, req, stdKind, nz * nt > 1 ? new int[] { z, t } : null, progress);
					done += ns;
					putPlanes(means, stds, measurement, meanStd[0], meanStd[1], n, nz, nt, z, t, d);
					if (groundTruth != null) qualityColumns(table, groundTruth, z, t, n, w, h, channels(meanStd[0], n, d), meanStd[1], observed, stdKind[0] != null);
					continue;
				}
				final ColourInpaintingPosterior posterior = new ColourInpaintingPosterior(prior, observed, sigma);
				final double[] mean = posterior.mean(v, progress);
				final int meanIterations = posterior.lastIterations();
				double worstResidual = posterior.lastResidual();
				long sampleIterations = 0;
				final ColourInpaintingPosterior.Draws draws = posterior.draws(v, groupRng, progress);
				final double[] x = new double[n * d];
				final SampleMoments moments = new SampleMoments(mean);
				for (int s = 1; s <= ns; s++) {
					progress.checkCancelled();
					draws.next(x);
					sampleIterations += posterior.lastIterations();
					worstResidual = Math.max(worstResidual, posterior.lastResidual());
					moments.add(x);
					ColourTask.putSample(samples, channels(x, n, d), identity, w, h, nz, nt, ns, z, t, s);
					progress.update(++done, total);
				}
				final double[] std = new double[n * d];
				if (denseStd) {
					final double[] var = posterior.pixelVariance(progress);
					for (int i = 0; i < std.length; i++) std[i] = Math.sqrt(var[i]);
				}
				else if (ns > 1) moments.std(std, 1);
				stdKind[0] = denseStd ? "exact standard deviation of the colour posterior (dense)" : ns > 1 ? "standard deviation of the " + ns + " samples" : null;
				final double[][] meanC = channels(mean, n, d);
				putPlanes(means, stds, measurement, mean, std, n, nz, nt, z, t, d);
				table.incrementCounter();
				table.addValue("method", SamplingTask.EXACT + " (kriging + innovation, conjugate gradients)");
				table.addValue("channels", n + " (cross-channel prior)");
				if (nz * nt > 1) {
					table.addValue("slice", z);
					table.addValue("frame", t);
				}
				SamplingTask.runColumns(table, OperatorSpec.inpaint().describe(), sigma, ns, req.seed());
				table.addValue("noise_sigma source", SamplingTask.sigmaSource(req));
				table.addValue("observed channel-pixels", n * d - missing);
				table.addValue("missing channel-pixels", missing);
				table.addValue("CG iterations (mean)", meanIterations);
				table.addValue("CG iterations per sample", ns > 0 ? (double) sampleIterations / ns : 0);
				table.addValue("CG worst relative residual", worstResidual);
				table.addValue("W2", 0);
				table.addValue("std", denseStd ? "exact (dense posterior covariance)"
					: (ns > 1 ? "sample std over " + ns + " samples" : "none (needs ≥ 2 samples)") + "; the exact std is dense, up to " + ColourInpaintingPosterior.DENSE_VARIANCE_LIMIT
						+ " channel-pixels");
				if (groundTruth != null) qualityColumns(table, groundTruth, z, t, n, w, h, meanC, std, observed, denseStd || ns > 1);
			}
		}
		final ImagePlus samplesImp = Planes.hyperstack(base + "_samples", samples, n, nz, nt * ns, measurement, true);
		final ImagePlus meanImp = Planes.hyperstack(base + "_mean", means, n, nz, nt, measurement, true);
		final ImagePlus stdImp = Planes.hyperstack(base + "_std", stds, n, nz, nt, measurement, false);
		stdImp.setProperty("Info", Metadata.KIND + "=std\npixels=" + (stdKind[0] != null ? stdKind[0] : "none (needs ≥ 2 samples or a dense law)") + "\n");
		if (!Planes.finite(samples) || !Planes.finite(means) || !Planes.finite(stds)) return SamplingTask.diverged(table, base);
		final TaskResult result = new TaskResult().addImage(TaskResult.SAMPLES, samplesImp).addImage(TaskResult.MEAN, meanImp).addImage(TaskResult.STD, stdImp);
		result.addTable(base + "_results", table);
		result.addFigure(base + "_overview", Overview.montageColour(measurement, samplesImp, meanImp, stdImp, null, 0));
		return result;
	}

	/** Mean and std (channel-major, image units) of colour plane (z, t) into their stacks, with labels. */
	private static void putPlanes(final ImageStack means, final ImageStack stds, final ImagePlus measurement, final double[] mean, final double[] std, final int n, final int nz, final int nt,
		final int z, final int t, final int d) {
		final int w = measurement.getWidth(), h = measurement.getHeight();
		for (int c = 0; c < n; c++) {
			final int index = measurement.getStackIndex(c + 1, z, t);
			means.setProcessor(Planes.toProcessor(java.util.Arrays.copyOfRange(mean, c * d, (c + 1) * d), w, h), index);
			stds.setProcessor(Planes.toProcessor(java.util.Arrays.copyOfRange(std, c * d, (c + 1) * d), w, h), index);
			final String label = SamplingTask.label(n, nz, nt, c + 1, z, t).trim();
			means.setSliceLabel(label, index);
			stds.setSliceLabel(label, index);
		}
	}

	/** Where a sample goes: sample s (1-based), channel-major, in the sampler's unit intensities. */
	interface SampleSink {
		void put(int s, double[] x);
	}

	/**
	 * One colour plane with a diffusion sampler in unit intensities: the samples (into {@code sink},
	 * image units), and the law's mean, std and W2 to the exact posterior as far as they are exact
	 * (see the class comment); one table row. Returns {mean, std}, channel-major, image units.
	 */
	private static double[][] diffusionPlane(final ColourPrior unitPrior, final IntensityMap map, final boolean[] observed, final double[] v, final double sigma, final double sigmaUnit,
		final MethodRun.Settings settings, final int ns, final SplittableRandom groupRng, final SampleSink sink, final ResultsTable table, final SamplingTask.Request req, final String[] stdKind,
		final int[] slice, final Progress progress) {
		final int d = v.length, n = unitPrior.channels();
		stdKind[0] = null;
		final double[] vUnit = v.clone();
		map.toUnit(vUnit);
		final ColourInpaintingPosterior post = new ColourInpaintingPosterior(unitPrior, observed, sigmaUnit);
		final double[] postMean = post.mean(vUnit, progress);
		final DiffusionSampler.Config cfg = settings.config();
		final InpaintingSampler sampler = new InpaintingSampler(post.conditionedBasis(), observed, sigmaUnit, cfg, postMean);
		final boolean linear = cfg.method().linear();
		final boolean denseLaw = linear && d <= ColourInpaintingPosterior.DENSE_VARIANCE_LIMIT;
		final double[] mean = sampler.mean(vUnit, progress.within("the output law's mean (a noise-free pass)"));
		final SampleMoments moments = new SampleMoments(mean);
		final InpaintingSampler.Stepper stepper = sampler.stepper(vUnit);
		final double[] x = new double[d];
		for (int s = 1; s <= ns; s++) {
			progress.checkCancelled();
			stepper.sample(x, groupRng.split(), progress.within("sample " + s + "/" + ns));
			moments.add(x);
			sink.put(s, x);
		}
		final double half = map.half(), h2 = half * half;
		final double[] std = new double[d];
		double bures = Double.NaN;
		if (denseLaw) {
			final double[] cov = sampler.covariance(progress.within("the output law's covariance (dense)"));
			for (int i = 0; i < d; i++) std[i] = Math.sqrt(Math.max(0, cov[i * d + i])) * half;
			final org.ejml.data.DMatrixRMaj factor = post.denseFactor(progress);
			progress.checkCancelled();
			bures = org.spectralposterior.core.metric.DenseGaussian.bures(cov, factor, null);
			stdKind[0] = "exact standard deviation of the output law (dense)";
		}
		else if (ns > 1) {
			moments.std(std, half);
			stdKind[0] = "standard deviation of the " + ns + " samples";
		}
		// The residual-normalised DPS is not affine: its noise-free run is not its mean; the samples' mean is reported.
		if (!linear) for (int i = 0; i < d; i++) mean[i] += moments.meanOffset(i);
		double meanPart = 0;
		for (int i = 0; i < d; i++) meanPart += (mean[i] - postMean[i]) * (mean[i] - postMean[i]);
		map.fromUnit(mean);
		table.incrementCounter();
		table.addValue("method", cfg.method().label);
		table.addValue("channels", n + " (cross-channel prior)");
		if (slice != null) {
			table.addValue("slice", slice[0]);
			table.addValue("frame", slice[1]);
		}
		SamplingTask.runColumns(table, OperatorSpec.inpaint().describe(), sigma, ns, req.seed());
		table.addValue("noise_sigma source", SamplingTask.sigmaSource(req));
		SamplingTask.diffusionColumns(table, cfg, true, map, linear ? "Gaussian, exact mean (noise-free pass)" + (denseLaw ? " and covariance (dense)" : "") : "not affine (residual-normalised): samples only");
		int missing = 0;
		for (final boolean b : observed) if (!b) missing++;
		table.addValue("observed channel-pixels", d - missing);
		table.addValue("missing channel-pixels", missing);
		if (cfg.method().guidance(sampler.grid(), 0, sigmaUnit).dAGammaA() != 0) table.addValue("CG iterations per solve", sampler.cgIterationsPerSolve());
		if (denseLaw) InpaintingTask.exactW2Columns(table, meanPart, bures, h2);
		else {
			table.addValue("W2", Double.NaN);
			table.addValue("W2^2", linear ? "exact value not computed: the dense law needs at most " + ColourInpaintingPosterior.DENSE_VARIANCE_LIMIT + " channel-pixels (" + d + " here)"
				: "no closed form (not affine): see the samples");
			if (linear) table.addValue("W2^2 mean part", meanPart * h2);
			table.addValue("W2^2 covariance part", linear ? "not computed (W2^2 ≥ the mean part)" : "no closed form (not affine)");
		}
		table.addValue("std", denseLaw ? "exact (dense output covariance)" : ns > 1 ? "sample std over " + ns + " samples" : "needs ≥ 2 samples");
		return new double[][] { mean, std };
	}

	/**
	 * As grey inpainting's: PSNR and SSIM of the mean (SSIM averaged over channels), PSNR in the missing
	 * channel-pixels, and there the ±2 std coverage with the per-entry std — only when there is a std.
	 */
	private static void qualityColumns(final ResultsTable table, final ImagePlus truthImp, final int z, final int t, final int n, final int w, final int h, final double[][] mean,
		final double[] std, final boolean[] observed, final boolean haveStd) {
		final int d = w * h;
		final double[] truth = new double[n * d], all = new double[n * d];
		double ssim = 0;
		for (int c = 0; c < n; c++) {
			final double[] x = Planes.read(truthImp, truthImp.getStackIndex(c + 1, z, t), new java.awt.Rectangle(0, 0, w, h));
			System.arraycopy(x, 0, truth, c * d, d);
			System.arraycopy(mean[c], 0, all, c * d, d);
			ssim += org.spectralposterior.core.metric.ImageQuality.ssim(x, mean[c], w, h, org.spectralposterior.core.metric.ImageQuality.dataRange(x));
		}
		final double peak = org.spectralposterior.core.metric.ImageQuality.dataRange(truth);
		table.addValue("PSNR mean (dB)", org.spectralposterior.core.metric.ImageQuality.psnr(truth, all, peak));
		table.addValue("SSIM mean", ssim / n);
		int missing = 0;
		for (final boolean b : observed) if (!b) missing++;
		final double[] ht = new double[missing], hm = new double[missing], hs = new double[missing];
		for (int i = 0, j = 0; i < observed.length; i++) {
			if (observed[i]) continue;
			ht[j] = truth[i];
			hm[j] = all[i];
			hs[j++] = std[i];
		}
		table.addValue("PSNR mean in the missing pixels (dB)", org.spectralposterior.core.metric.ImageQuality.psnr(ht, hm, peak));
		if (haveStd) table.addValue("coverage ±2 std (missing pixels)", org.spectralposterior.core.metric.ImageQuality.coverage(ht, hm, hs, 2));
	}

	/** Channel-major entries → C channel images (copies). */
	private static double[][] channels(final double[] x, final int n, final int d) {
		final double[][] out = new double[n][d];
		for (int c = 0; c < n; c++) System.arraycopy(x, c * d, out[c], 0, d);
		return out;
	}
}
