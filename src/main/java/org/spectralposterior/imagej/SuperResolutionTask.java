package org.spectralposterior.imagej;

import java.util.List;
import java.util.SplittableRandom;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.RandomStreams;
import org.spectralposterior.core.metric.ImageQuality;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.SuperResolutionPosterior;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Posterior Sampling for a super-resolution measurement (Simulate Degradation with downsample = r):
 * exact posterior samples on the high-resolution grid by kriging + innovation
 * ({@link SuperResolutionPosterior}), per plane, with the exact (r-periodic) posterior std. The prior
 * lives on the high-resolution grid, r times the measurement's size; outputs have its pixel size.
 */
final class SuperResolutionTask {

	private SuperResolutionTask() {}

	static TaskResult run(final ImagePlus priorImp, final List<GaussianPrior> priors, final ImagePlus measurement, final ImagePlus groundTruth, final SamplingTask.Request req,
		final int r, final Progress progress) {
		if (!SamplingTask.methodKey(req.method()).equals("exact")) {
			throw new IllegalArgumentException("method=" + req.method() + ": the measurement is downsampled ×" + r + " (super-resolution), which is not a convolution; only the exact "
				+ "posterior handles it here. Use method=[" + SamplingTask.EXACT + "].");
		}
		final int lw = measurement.getWidth(), lh = measurement.getHeight(), w = Math.toIntExact((long) lw * r), h = Math.toIntExact((long) lh * r);
		final GaussianPrior first = priors.get(0);
		if (first.plane().width != w || first.plane().height != h) {
			throw new IllegalArgumentException("The prior is " + first.plane() + " but the measurement is " + lw + "×" + lh + " downsampled ×" + r + ", so the image is " + w + "×" + h
				+ "; build the prior with target_width=" + w + " target_height=" + h + ".");
		}
		final int nc = measurement.getNChannels(), nz = measurement.getNSlices(), nt = measurement.getNFrames(), planes = measurement.getStackSize();
		if (priors.size() != 1 && priors.size() != nc) {
			throw new IllegalArgumentException("The prior has " + priors.size() + " channels but the measurement has " + nc + "; build the prior from an image with the same channels.");
		}
		final OperatorSpec spec = MeasurementImage.operator(measurement);
		final double sigma = MeasurementImage.noiseSigma(measurement);
		final int ns = req.samples();
		SamplingTask.checkSampleCount(ns);
		SamplingTask.checkedTruth(groundTruth, w, h, planes);
		final BlurOperator blur = BlurOperator.of(spec, h, w);
		final String base = Planes.baseTitle(measurement) + "_exact";
		final ImageStack samples = new ImageStack(w, h, Math.toIntExact((long) nc * nz * nt * ns)); // fits: MemoryBudget checked ImageJ's stack limit
		final ImageStack means = new ImageStack(w, h, planes), stds = new ImageStack(w, h, planes);
		final ResultsTable table = new ResultsTable();
		final java.awt.Rectangle lowGrid = new java.awt.Rectangle(0, 0, lw, lh);
		final long[] done = { 0 };
		SamplingTask.forEachPlane(measurement, (c, z, t, index) -> {
			progress.checkCancelled();
			final GaussianPrior prior = priors.get(priors.size() == 1 ? 0 : c - 1);
			final SuperResolutionPosterior posterior = new SuperResolutionPosterior(prior, blur, r, sigma);
			final double[] mean = posterior.mean(Planes.read(measurement, index, lowGrid));
			final double[] var = posterior.pixelVariance();
			final double[] std = new double[var.length];
			for (int i = 0; i < std.length; i++) std[i] = Math.sqrt(var[i]);
			// The plane's generator feeds the prior innovation and the measurement noise, each its own split.
			final SplittableRandom planeRng = RandomStreams.plane(req.seed(), index - 1);
			final var innovation = posterior.innovationSampler(planeRng.split());
			final SplittableRandom noise = planeRng.split();
			final double[] x = new double[w * h];
			for (int s = 1; s <= ns; s++) {
				progress.checkCancelled();
				posterior.sample(mean, innovation, noise, x);
				final int out = SamplingTask.sampleSlot(nc, nz, ns, c, z, t, s);
				samples.setProcessor(Planes.toProcessor(x, w, h), out);
				samples.setSliceLabel(SamplingTask.sampleLabel(nc, nz, nt, c, z, t, s), out);
				progress.update(++done[0], (long) planes * ns);
			}
			means.setProcessor(Planes.toProcessor(mean, w, h), index);
			stds.setProcessor(Planes.toProcessor(std, w, h), index);

			SamplingTask.rowHeader(table, SamplingTask.EXACT + " (super-resolution kriging + innovation)", planes, c, z, t, spec.describe() + ", downsampled ×" + r, sigma, ns, req.seed());
			table.addValue("W2", 0);
			double meanStd = 0;
			for (final double v : std) meanStd += v / std.length;
			table.addValue("output std per pixel (mean)", meanStd);
			if (groundTruth != null) {
				final double[] truth = Planes.read(groundTruth, index, new java.awt.Rectangle(0, 0, w, h));
				final double peak = ImageQuality.dataRange(truth);
				table.addValue("PSNR mean (dB)", ImageQuality.psnr(truth, mean, peak));
				table.addValue("SSIM mean", ImageQuality.ssim(truth, mean, w, h, peak));
				table.addValue("coverage ±2 std", ImageQuality.coverage(truth, mean, std, 2));
			}
		});
		final ImagePlus samplesImp = highResolution(Planes.hyperstack(base + "_samples", samples, nc, nz, nt * ns, measurement, true), r);
		final ImagePlus meanImp = highResolution(Planes.hyperstack(base + "_mean", means, nc, nz, nt, measurement, true), r);
		final ImagePlus stdImp = highResolution(Planes.hyperstack(base + "_std", stds, nc, nz, nt, measurement, false), r);
		stdImp.setProperty("Info", Metadata.KIND + "=std\npixels=exact posterior standard deviation (super-resolution: periodic with period " + r + ")\n");
		final TaskResult result = new TaskResult().addImage(samplesImp).addImage(meanImp).addImage(stdImp);
		result.addTable(base + "_results", table);
		// The overview shows the measurement at the output size (nearest neighbour).
		final ImagePlus shown = new ImagePlus(measurement.getTitle(), measurement.getProcessor().resize(w, h, false));
		result.addFigure(base + "_overview", Overview.montage(shown, samplesImp, meanImp, stdImp, null, 0));
		return result;
	}

	/** Outputs live on the r-times finer grid: pixel size divided by r. */
	private static ImagePlus highResolution(final ImagePlus imp, final int r) {
		final Calibration cal = imp.getCalibration();
		cal.pixelWidth /= r;
		cal.pixelHeight /= r;
		return imp;
	}
}
