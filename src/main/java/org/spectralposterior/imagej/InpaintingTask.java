package org.spectralposterior.imagej;

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
import org.spectralposterior.core.metric.DenseGaussian;
import org.spectralposterior.core.metric.ImageQuality;
import org.spectralposterior.core.metric.MonteCarloW2;
import org.spectralposterior.core.metric.PixelMarginalW2;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.InpaintingPosterior;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Posterior Sampling for an inpainting measurement (missing pixels are NaN): exact posterior samples by
 * kriging + innovation with conjugate gradients ({@link InpaintingPosterior}), per plane. The posterior
 * std is not stationary here (zero on exactly observed pixels, growing into holes); it is exact at any
 * image size ({@link InpaintingPosterior#variance}: a factorisation of the hole's precision block) as
 * long as the hole has at most {@link InpaintingPosterior#MAX_HOLE} pixels and the work fits {@link InpaintingPosterior#MAX_STD_WORK}, and the samples' std,
 * said so in the table, above. Outputs: samples, mean, std.
 */
final class InpaintingTask {

	private InpaintingTask() {}

	static TaskResult run(final ImagePlus priorImp, final List<GaussianPrior> priors, final ImagePlus measurement, final ImagePlus groundTruth, final SamplingTask.Request req, final double sigma,
		final Progress progress) {
		final boolean exact = SamplingTask.methodKey(req.method()).equals("exact");
		final MethodRun.Settings settings = req.settings();
		final int w = measurement.getWidth(), h = measurement.getHeight();
		final int nc = measurement.getNChannels(), nz = measurement.getNSlices(), nt = measurement.getNFrames(), planes = measurement.getStackSize();
		final int ns = req.samples();
		final String base = Planes.baseTitle(measurement) + "_" + SamplingTask.methodKey(req.method());
		final boolean dense = (long) w * h <= InpaintingSampler.DENSE_LIMIT;
		final String[] stdKind = { null };
		final ImageStack samples = new ImageStack(w, h, Math.toIntExact((long) nc * nz * nt * ns)); // fits: MemoryBudget checked ImageJ's stack limit
		final ImageStack means = new ImageStack(w, h, planes), stds = new ImageStack(w, h, planes);
		final ResultsTable table = new ResultsTable();
		final long[] done = { 0 };
		SamplingTask.forEachPlane(measurement, (c, z, t, index) -> {
			final GaussianPrior prior = priors.get(priors.size() == 1 ? 0 : c - 1);
			final double[] v = Planes.readRaw(measurement, index);
			final boolean[] observed = new boolean[v.length];
			int missing = 0;
			for (int i = 0; i < v.length; i++) {
				observed[i] = !Double.isNaN(v[i]);
				if (Double.isInfinite(v[i])) throw new IllegalArgumentException("The measurement '" + measurement.getTitle() + "' has infinite pixels; missing pixels must be NaN.");
				if (!observed[i]) missing++;
			}
			if (!exact) {
				final double[] std = diffusionPlane(priorImp, priors.size() == 1 ? 1 : c, prior, observed, v, sigma, settings, dense, c, z, t, index, planes, ns, (s, x) -> putSample(samples, x, w, h, nc, nz, nt, ns, c, z, t, s),
					w, h, means, stds, table, req, progress, done);
				qualityColumns(table, groundTruth, index, w, h, v, observed, missing, means, std, ns > 1 || dense && settings.config().method().linear());
				return;
			}
			// The CG counts are this operator's own diagnostics; mean, samples and std go through Posterior.
			final InpaintingPosterior posterior = new InpaintingPosterior(prior, observed, sigma);
			final double[] mean = posterior.mean(v, progress);
			final int meanIterations = posterior.lastIterations();
			double worstResidual = posterior.lastResidual();
			long sampleIterations = 0;
			// The plane's generator feeds the prior innovation and the measurement noise, each its own split.
			final SplittableRandom planeRng = RandomStreams.plane(req.seed(), index - 1);
			final org.spectralposterior.core.posterior.Posterior.Draws draws = posterior.draws(v, planeRng, progress);
			final double[] x = new double[v.length];
			final SampleMoments moments = new SampleMoments(mean);
			for (int s = 1; s <= ns; s++) {
				progress.checkCancelled();
				draws.next(x);
				sampleIterations += posterior.lastIterations();
				worstResidual = Math.max(worstResidual, posterior.lastResidual());
				moments.add(x);
				putSample(samples, x, w, h, nc, nz, nt, ns, c, z, t, s);
				progress.update(++done[0], (long) planes * ns);
			}
			final double[] std = new double[v.length];
			String refused = null;
			try {
				final double[] var = posterior.pixelVariance(progress);
				for (int i = 0; i < std.length; i++) std[i] = Math.sqrt(Math.max(0, var[i]));
			}
			catch (final IllegalArgumentException e) {
				// The hole is too large for the exact std: said in the table and the image's Info, not hidden.
				refused = e.getMessage();
				if (ns > 1) moments.std(std, 1);
			}
			final boolean exactStd = refused == null;
			stdKind[0] = exactStd ? "exact standard deviation of the posterior (through the hole's precision block)" : "standard deviation of the " + ns + " samples (exact std not computed: " + refused + ")";
			means.setProcessor(Planes.toProcessor(mean, w, h), index);
			stds.setProcessor(Planes.toProcessor(std, w, h), index);

			SamplingTask.rowHeader(table, SamplingTask.EXACT + " (kriging + innovation, conjugate gradients)", planes, c, z, t, OperatorSpec.inpaint().describe(), sigma, ns, req.seed());
			table.addValue("observed pixels", v.length - missing);
			table.addValue("missing pixels", missing);
			table.addValue("CG iterations (mean)", meanIterations);
			table.addValue("CG iterations per sample", ns > 0 ? (double) sampleIterations / ns : 0);
			table.addValue("CG worst relative residual", worstResidual);
			table.addValue("W2", 0);
			table.addValue("std", exactStd ? "exact (posterior variance through the hole)" : (ns > 1 ? "sample std over " + ns + " samples" : "none (needs ≥ 2 samples)") + "; exact std not computed: " + refused);
			qualityColumns(table, groundTruth, index, w, h, v, observed, missing, means, std, ns > 1 || exactStd);
		});
		final ImagePlus samplesImp = Planes.hyperstack(base + "_samples", samples, nc, nz, nt * ns, measurement, true);
		final ImagePlus meanImp = Planes.hyperstack(base + "_mean", means, nc, nz, nt, measurement, true);
		final ImagePlus stdImp = Planes.hyperstack(base + "_std", stds, nc, nz, nt, measurement, false);
		final String stdInfo = exact ? stdKind[0] : dense ? "exact standard deviation of the output law (dense, if the table says so) or of its samples" : "standard deviation of the " + ns + " samples (no closed form above 64×64 pixels)";
		stdImp.setProperty("Info", Metadata.KIND + "=std\npixels=" + stdInfo + "\n");
		if (!Planes.finite(samples) || !Planes.finite(means) || !Planes.finite(stds)) {
			for (int row = 0; row < table.size(); row++) table.setValue("status", row, "diverged: the sampler's values overflowed; no images were made. Use fewer steps, other weights or another method.");
			return new TaskResult().addTable(base + "_results", table);
		}
		final TaskResult result = new TaskResult().addImage(TaskResult.SAMPLES, samplesImp).addImage(TaskResult.MEAN, meanImp).addImage(TaskResult.STD, stdImp);
		result.addTable(base + "_results", table);
		result.addFigure(base + "_overview", Overview.montage(measurement, samplesImp, meanImp, stdImp, null, 0));
		return result;
	}

	/**
	 * One plane with a diffusion sampler, in [−1, 1] units (MethodRun's convention): samples step by
	 * step; the law's exact mean; for images of at most 64×64 pixels (and the memory for it) its exact
	 * covariance, std and W2 to the exact posterior (dense); otherwise, with ≥ 3 samples, a Monte-Carlo
	 * W2² ({@link PixelMarginalW2}: a lower bound with its 95% interval) against the exact posterior
	 * std, and the samples' std. Returns the std map (image units).
	 */
	private static double[] diffusionPlane(final ImagePlus priorImp, final int priorChannel, final GaussianPrior prior, final boolean[] observed, final double[] v, final double sigma, final MethodRun.Settings settings,
		final boolean dense, final int c, final int z, final int t, final int index, final int planes, final int ns, final SampleSink sink, final int w, final int h,
		final ImageStack means, final ImageStack stds, final ResultsTable table, final SamplingTask.Request req, final Progress progress, final long[] done) {
		final int d = v.length;
		final IntensityMap map = SamplingTask.intensityMap(priorImp, priorChannel, settings.dataRange());
		final double sigmaUnit = map.noiseToUnit(sigma);
		final double[] vUnit = v.clone();
		map.toUnit(vUnit);
		final InpaintingPosterior post = new InpaintingPosterior(map.toUnit(prior), observed, sigmaUnit);
		final double[] postMean = post.mean(vUnit, progress);
		final InpaintingSampler sampler = new InpaintingSampler(post.effectivePrior(), observed, sigmaUnit, settings.config(), postMean);
		final InpaintingSampler.Stepper stepper = sampler.stepper(vUnit);
		final SplittableRandom planeRng = RandomStreams.plane(req.seed(), index - 1);
		final double[] x = new double[d];
		final double[] mean = sampler.mean(vUnit, progress.within("the output law's mean (a noise-free pass)"));
		final SampleMoments moments = new SampleMoments(mean);
		final boolean linear = sampler.config().method().linear();
		String denseRefused = null;
		if (dense && linear) {
			try {
				InpaintingSampler.checkDenseMemory(d, d - countMissing(observed), false);
			}
			catch (final IllegalArgumentException e) {
				denseRefused = e.getMessage();
			}
		}
		final boolean exactLaw = dense && linear && denseRefused == null;
		// Beyond the dense law: a Monte-Carlo W2² against the exact posterior's pixel variances.
		PixelMarginalW2 mc = null;
		String mcRefused = exactLaw ? null : !linear ? "not affine: its law's mean is not the noise-free pass" : ns < 3 ? "needs ≥ 3 samples" : null;
		if (!exactLaw && mcRefused == null) {
			try {
				mc = new PixelMarginalW2(mean, postMean, post.variance(progress));
			}
			catch (final IllegalArgumentException e) {
				mcRefused = e.getMessage();
			}
		}
		for (int s = 1; s <= ns; s++) {
			progress.checkCancelled();
			stepper.sample(x, planeRng.split(), progress.within("sample " + s + "/" + ns));
			if (mc != null) mc.add(x);
			moments.add(x);
			map.fromUnit(x);
			sink.put(s, x);
			progress.update(++done[0], (long) planes * ns);
		}
		final double[] std = new double[d];
		double[] parts = null;
		if (exactLaw) {
			final double[] cov = sampler.covariance(progress);
			for (int i = 0; i < d; i++) std[i] = Math.sqrt(Math.max(0, cov[i * d + i])) * map.half();
			double mp = 0;
			for (int i = 0; i < d; i++) mp += (mean[i] - postMean[i]) * (mean[i] - postMean[i]);
			final double bures = DenseGaussian.bures(cov, post.denseFactor(InpaintingSampler.DENSE_LIMIT, progress), null);
			parts = new double[] { mp + bures, mp, bures };
		}
		else if (ns > 1) moments.std(std, map.half());
		final MonteCarloW2.Estimate mcEstimate = mc == null ? null : mc.estimate();
		// A non-affine sampler (the residual-normalised DPS): the noise-free run is not its mean; report
		// the samples' mean instead, and no W2 part.
		if (!linear) for (int i = 0; i < d; i++) mean[i] += moments.meanOffset(i);
		double meanPart = 0;
		for (int i = 0; i < d; i++) meanPart += (mean[i] - postMean[i]) * (mean[i] - postMean[i]);
		final double h2 = map.half() * map.half();
		map.fromUnit(mean);
		means.setProcessor(Planes.toProcessor(mean, w, h), index);
		stds.setProcessor(Planes.toProcessor(std, w, h), index);
		final DiffusionSampler.Config cfg = sampler.config();
		SamplingTask.rowHeader(table, cfg.method().label, planes, c, z, t, OperatorSpec.inpaint().describe(), sigma, ns, req.seed());
		SamplingTask.diffusionColumns(table, cfg, true, map, linear ? "Gaussian, exact mean (noise-free pass)" + (exactLaw ? " and covariance (dense)" : "") : "not affine (residual-normalised): samples only");
		int missing = 0;
		for (final boolean b : observed) if (!b) missing++;
		table.addValue("observed pixels", d - missing);
		table.addValue("missing pixels", missing);
		if (cfg.method().guidance(sampler.grid(), 0, sigmaUnit).dAGammaA() != 0) table.addValue("CG iterations per solve", sampler.cgIterationsPerSolve());
		if (parts != null) exactW2Columns(table, parts[1], parts[2], h2);
		else if (!linear) {
			table.addValue("W2", Double.NaN);
			table.addValue("W2^2 mean part", "no closed form (not affine): see the samples");
			table.addValue("W2^2 covariance part", "no closed form (not affine)");
		}
		else {
			// Without the dense law: W2² ≥ its exact mean part, and ≥ the Monte-Carlo pixel-marginal bound.
			table.addValue("W2", Double.NaN);
			table.addValue("W2^2", "exact value not computed: " + (denseRefused != null ? denseRefused : "the dense law needs at most 64×64 pixels"));
			table.addValue("W2^2 mean part", meanPart * h2);
			table.addValue("W2^2 covariance part", "not computed (W2^2 ≥ the mean part)");
			if (mcEstimate != null) {
				table.addValue("W2^2 Monte Carlo", mcEstimate.w2Squared() * h2);
				table.addValue("W2^2 MC 95% low", mcEstimate.low() * h2);
				table.addValue("W2^2 MC 95% high", mcEstimate.high() * h2);
				table.addValue("W2^2 MC method", PixelMarginalW2.METHOD + ", " + mcEstimate.samples() + " samples");
			}
			else table.addValue("W2^2 Monte Carlo", "not computed: " + mcRefused);
		}
		table.addValue("std", parts != null ? "exact (dense output covariance)" : ns > 1 ? "sample std over " + ns + " samples" : "needs ≥ 2 samples");
		return std;
	}

	/** W2, W2² and its two parts of an exact law, from unit-space parts scaled by h2 = half² to image units. */
	static void exactW2Columns(final ResultsTable table, final double meanPart, final double covariancePart, final double h2) {
		table.addValue("W2", Math.sqrt((meanPart + covariancePart) * h2));
		table.addValue("W2^2", (meanPart + covariancePart) * h2);
		table.addValue("W2^2 mean part", meanPart * h2);
		table.addValue("W2^2 covariance part", covariancePart * h2);
	}

	private static int countMissing(final boolean[] observed) {
		int k = 0;
		for (final boolean b : observed) if (!b) k++;
		return k;
	}

	private static void putSample(final ImageStack samples, final double[] x, final int w, final int h, final int nc, final int nz, final int nt, final int ns, final int c, final int z,
		final int t, final int s) {
		final int out = SamplingTask.sampleSlot(nc, nz, ns, c, z, t, s);
		samples.setProcessor(Planes.toProcessor(x, w, h), out);
		samples.setSliceLabel(SamplingTask.sampleLabel(nc, nz, nt, c, z, t, s), out);
	}

	/** PSNR/SSIM of the mean, in the whole image and in the missing pixels, and the ±2 std coverage there. */
	private static void qualityColumns(final ResultsTable table, final ImagePlus groundTruth, final int index, final int w, final int h, final double[] v, final boolean[] observed,
		final int missing, final ImageStack means, final double[] std, final boolean haveStd) {
		if (groundTruth == null) return;
		final double[] mean = new double[w * h];
		final float[] mp = (float[]) means.getProcessor(index).getPixels();
		for (int i = 0; i < mean.length; i++) mean[i] = mp[i];
		final double[] truth = Planes.read(groundTruth, index, new java.awt.Rectangle(0, 0, w, h));
		final double peak = ImageQuality.dataRange(truth);
		table.addValue("PSNR mean (dB)", ImageQuality.psnr(truth, mean, peak));
		table.addValue("SSIM mean", ImageQuality.ssim(truth, mean, w, h, peak));
		final double[] holeTruth = new double[missing], holeMean = new double[missing], holeStd = new double[missing];
		for (int i = 0, j = 0; i < v.length; i++) {
			if (observed[i]) continue;
			holeTruth[j] = truth[i];
			holeMean[j] = mean[i];
			holeStd[j++] = std[i];
		}
		table.addValue("PSNR mean in the missing pixels (dB)", ImageQuality.psnr(holeTruth, holeMean, peak));
		if (haveStd) table.addValue("coverage ±2 std (missing pixels)", ImageQuality.coverage(holeTruth, holeMean, holeStd, 2));
	}

	/** Where a plane's samples go. */
	interface SampleSink {
		void put(int s, double[] x);
	}
}
