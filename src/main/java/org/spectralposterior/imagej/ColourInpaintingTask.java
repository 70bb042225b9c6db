package org.spectralposterior.imagej;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.RandomStreams;
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
 * std, said so), a table with one row per colour plane. The diffusion methods do not run here yet:
 * they are refused, naming the per-channel prior that does run them.
 * <p>
 * Random streams: colour plane g (0-based over slices and frames) owns {@link RandomStreams#plane}(seed, g).
 */
final class ColourInpaintingTask {

	private ColourInpaintingTask() {}

	static TaskResult sample(final ImagePlus priorImp, final ColourPrior prior, final ImagePlus measurement, final ImagePlus groundTruth, final SamplingTask.Request req,
		final Progress progress) {
		final MethodRun.Settings settings = req.settings();
		if (!settings.exact()) {
			throw new IllegalArgumentException("With a cross-channel colour prior, inpainting runs the exact posterior only (method=[exact posterior]); to run "
				+ settings.config().method().key + ", rebuild the prior with colour_model=[per channel] (each channel is then inpainted on its own).");
		}
		if (settings.trajectoryEvery() > 0) throw new IllegalArgumentException("trajectory_every is not available with a colour prior yet; set trajectory_every=0.");
		final int n = prior.channels(), w = measurement.getWidth(), h = measurement.getHeight(), d = w * h;
		final int nz = measurement.getNSlices(), nt = measurement.getNFrames(), ns = req.samples();
		SamplingTask.checkSampleCount(ns);
		SamplingTask.checkedTruth(groundTruth, w, h, measurement.getStackSize());
		final List<GaussianPrior> marginals = new ArrayList<>();
		for (int c = 0; c < n; c++) marginals.add(prior.channel(c));
		final double sigma = SamplingTask.sigma(req, measurement, marginals, null);
		final String base = Planes.baseTitle(measurement) + "_exact";
		final ImageStack samples = new ImageStack(w, h, Math.toIntExact((long) n * nz * nt * ns));
		final ImageStack means = new ImageStack(w, h, measurement.getStackSize()), stds = new ImageStack(w, h, measurement.getStackSize());
		final ResultsTable table = new ResultsTable();
		final IntensityMap identity = new IntensityMap(-1, 1);
		final boolean denseStd = n * d <= ColourInpaintingPosterior.DENSE_VARIANCE_LIMIT;
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
						v[c * d + p] = observed[c * d + p] ? px[p] : 0;
						if (!observed[c * d + p]) missing++;
					}
				}
				progress.checkCancelled();
				final ColourInpaintingPosterior posterior = new ColourInpaintingPosterior(prior, observed, sigma);
				final double[] mean = posterior.mean(v, progress);
				final int meanIterations = posterior.lastIterations();
				double worstResidual = posterior.lastResidual();
				long sampleIterations = 0;
				final SplittableRandom groupRng = RandomStreams.plane(req.seed(), group);
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
				final double[][] meanC = channels(mean, n, d), stdC = channels(std, n, d);
				for (int c = 0; c < n; c++) {
					final int index = measurement.getStackIndex(c + 1, z, t);
					means.setProcessor(Planes.toProcessor(meanC[c], w, h), index);
					stds.setProcessor(Planes.toProcessor(stdC[c], w, h), index);
					final String label = SamplingTask.label(n, nz, nt, c + 1, z, t).trim();
					means.setSliceLabel(label, index);
					stds.setSliceLabel(label, index);
				}
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
		stdImp.setProperty("Info", Metadata.KIND + "=std\npixels=" + (denseStd ? "exact standard deviation of the colour posterior (dense)" : "standard deviation of the " + ns + " samples") + "\n");
		if (!Planes.finite(samples) || !Planes.finite(means) || !Planes.finite(stds)) return SamplingTask.diverged(table, base);
		final TaskResult result = new TaskResult().addImage(TaskResult.SAMPLES, samplesImp).addImage(TaskResult.MEAN, meanImp).addImage(TaskResult.STD, stdImp);
		result.addTable(base + "_results", table);
		result.addFigure(base + "_overview", Overview.montageColour(measurement, samplesImp, meanImp, stdImp, null, 0));
		return result;
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
