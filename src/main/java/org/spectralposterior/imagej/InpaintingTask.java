package org.spectralposterior.imagej;

import java.util.List;
import java.util.SplittableRandom;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.RandomStreams;
import org.spectralposterior.core.metric.ImageQuality;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.InpaintingPosterior;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Posterior Sampling for an inpainting measurement (missing pixels are NaN): exact posterior samples by
 * kriging + innovation with conjugate gradients ({@link InpaintingPosterior}), per plane. The posterior
 * std is not stationary here (zero-ish on observed pixels, growing into holes) and has no cheap closed
 * form, so the std output is the standard deviation of the samples. Outputs: samples, mean, std.
 */
final class InpaintingTask {

	private InpaintingTask() {}

	static TaskResult run(final List<GaussianPrior> priors, final ImagePlus measurement, final ImagePlus groundTruth, final SamplingTask.Request req, final double sigma,
		final Progress progress) {
		if (!SamplingTask.methodKey(req.method()).equals("exact")) {
			throw new IllegalArgumentException("method=" + req.method() + ": " + OperatorSpec.NOT_CIRCULANT + " Use method=[" + SamplingTask.EXACT + "] for this measurement.");
		}
		final int w = measurement.getWidth(), h = measurement.getHeight();
		final int nc = measurement.getNChannels(), nz = measurement.getNSlices(), nt = measurement.getNFrames(), planes = measurement.getStackSize();
		final int ns = req.samples();
		final String base = Planes.baseTitle(measurement) + "_exact";
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
			final InpaintingPosterior posterior = new InpaintingPosterior(prior, observed, sigma);
			final double[] mean = posterior.mean(v, progress);
			final int meanIterations = posterior.lastIterations();
			double worstResidual = posterior.lastResidual();
			long sampleIterations = 0;
			// The plane's generator feeds the prior innovation and the measurement noise, each its own split.
			final SplittableRandom planeRng = RandomStreams.plane(req.seed(), index - 1);
			final var innovation = posterior.innovationSampler(planeRng.split());
			final SplittableRandom noise = planeRng.split();
			final double[] x = new double[v.length], sum = new double[v.length], sumSq = new double[v.length];
			for (int s = 1; s <= ns; s++) {
				progress.checkCancelled();
				posterior.sample(mean, innovation, noise, x, progress);
				sampleIterations += posterior.lastIterations();
				worstResidual = Math.max(worstResidual, posterior.lastResidual());
				for (int i = 0; i < x.length; i++) {
					final double e = x[i] - mean[i];
					sum[i] += e;
					sumSq[i] += e * e;
				}
				final int out = SamplingTask.sampleSlot(nc, nz, ns, c, z, t, s);
				samples.setProcessor(Planes.toProcessor(x, w, h), out);
				samples.setSliceLabel(SamplingTask.sampleLabel(nc, nz, nt, c, z, t, s), out);
				progress.update(++done[0], (long) planes * ns);
			}
			final double[] std = new double[v.length];
			if (ns > 1) for (int i = 0; i < std.length; i++) std[i] = Math.sqrt(Math.max(0, (sumSq[i] - sum[i] * sum[i] / ns) / (ns - 1)));
			means.setProcessor(Planes.toProcessor(mean, w, h), index);
			stds.setProcessor(Planes.toProcessor(std, w, h), index);

			SamplingTask.rowHeader(table, SamplingTask.EXACT + " (kriging + innovation, conjugate gradients)", planes, c, z, t, OperatorSpec.inpaint().describe(), sigma, ns, req.seed());
			table.addValue("observed pixels", v.length - missing);
			table.addValue("missing pixels", missing);
			table.addValue("CG iterations (mean)", meanIterations);
			table.addValue("CG iterations per sample", ns > 0 ? (double) sampleIterations / ns : 0);
			table.addValue("CG worst relative residual", worstResidual);
			table.addValue("W2", 0);
			table.addValue("std", ns > 1 ? "sample std over " + ns + " samples" : "needs ≥ 2 samples");
			if (groundTruth != null) {
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
				if (ns > 1) table.addValue("coverage ±2 std (missing pixels)", ImageQuality.coverage(holeTruth, holeMean, holeStd, 2));
			}
		});
		final ImagePlus samplesImp = Planes.hyperstack(base + "_samples", samples, nc, nz, nt * ns, measurement, true);
		final ImagePlus meanImp = Planes.hyperstack(base + "_mean", means, nc, nz, nt, measurement, true);
		final ImagePlus stdImp = Planes.hyperstack(base + "_std", stds, nc, nz, nt, measurement, false);
		stdImp.setProperty("Info", Metadata.KIND + "=std\npixels=standard deviation of the " + ns + " posterior samples (inpainting: not stationary, no closed form)\n");
		final TaskResult result = new TaskResult().addImage(samplesImp).addImage(meanImp).addImage(stdImp);
		result.addTable(base + "_results", table);
		result.addFigure(base + "_overview", Overview.montage(measurement, samplesImp, meanImp, stdImp, null, 0));
		return result;
	}
}
