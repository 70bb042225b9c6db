package org.spectralposterior.imagej;

import java.util.List;
import java.util.SplittableRandom;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.RandomStreams;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.diffusion.SuperResolutionSampler;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.posterior.GroupLaw;
import org.spectralposterior.core.posterior.Posterior;
import org.spectralposterior.core.posterior.Problem;
import org.spectralposterior.core.metric.ImageQuality;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Posterior Sampling for a super-resolution measurement (Simulate Degradation with downsample = r):
 * exact posterior samples on the high-resolution grid by kriging + innovation per aliasing group
 * ({@link GroupLaw#krigingSampler}), or any diffusion sampler, per plane, with the exact (r-periodic) std. The prior
 * lives on the high-resolution grid, r times the measurement's size; outputs have its pixel size.
 */
final class SuperResolutionTask {

	private SuperResolutionTask() {}

	static TaskResult run(final ImagePlus priorImp, final List<GaussianPrior> priors, final ImagePlus measurement, final ImagePlus groundTruth, final SamplingTask.Request req,
		final int r, final Progress progress) {
		final boolean exact = SamplingTask.methodKey(req.method()).equals("exact");
		final MethodRun.Settings settings = req.settings();
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
		final BlurOperator[] blurs = DegradationTask.channelOperators(nc, spec, h, w);
		final String base = Planes.baseTitle(measurement) + "_" + SamplingTask.methodKey(req.method());
		final ImageStack samples = new ImageStack(w, h, Math.toIntExact((long) nc * nz * nt * ns)); // fits: MemoryBudget checked ImageJ's stack limit
		final ImageStack means = new ImageStack(w, h, planes), stds = new ImageStack(w, h, planes), w2maps = new ImageStack(w, h, planes), w2specs = new ImageStack(w, h, planes);
		final ResultsTable table = new ResultsTable();
		final java.awt.Rectangle lowGrid = new java.awt.Rectangle(0, 0, lw, lh);
		final long[] done = { 0 };
		SamplingTask.forEachPlane(measurement, (c, z, t, index) -> {
			progress.checkCancelled();
			final GaussianPrior prior = priors.get(priors.size() == 1 ? 0 : c - 1);
			final double[] v = Planes.read(measurement, index, lowGrid);
			// The plane's generator: every sample takes splits of it in turn (see RandomStreams).
			final SplittableRandom planeRng = RandomStreams.plane(req.seed(), index - 1);
			final double[] x = new double[w * h];
			final double[] mean, std;
			if (exact) {
				// Kriging + innovation per aliasing group in the Fourier domain (one inverse FFT per sample);
				// the exact std by r² probes (no r²×r² covariance blocks: memory at large r).
				final Posterior posterior = new Problem(prior, new Problem.Decimation(blurs[blurs.length == 1 ? 0 : c - 1], r), sigma).posterior();
				mean = posterior.mean(v, progress);
				final double[] var = posterior.pixelVariance(progress);
				std = new double[var.length];
				for (int i = 0; i < std.length; i++) std[i] = Math.sqrt(var[i]);
				final Posterior.Draws draws = posterior.draws(v, planeRng, progress);
				for (int s = 1; s <= ns; s++) {
					progress.checkCancelled();
					draws.next(x);
					addSample(samples, x, w, h, nc, nz, nt, ns, c, z, t, s);
					progress.update(++done[0], (long) planes * ns);
				}
				SamplingTask.rowHeader(table, SamplingTask.EXACT + " (super-resolution kriging + innovation)", planes, c, z, t, spec.describe() + ", downsampled ×" + r, sigma, ns, req.seed());
				table.addValue("W2", 0);
				double trace = 0;
				for (final double x2 : var) trace += x2;
				table.addValue("posterior trace", trace);
				w2maps.setProcessor(Planes.toProcessor(new double[w * h], w, h), index);
				w2specs.setProcessor(Planes.toProcessor(new double[w * h], w, h), index);
			}
			else {
				// A diffusion sampler runs in [−1, 1] units (MethodRun's convention); results are mapped back.
				final IntensityMap map = SamplingTask.intensityMap(priorImp, priors.size() == 1 ? 1 : c, settings.dataRange());
				final GaussianPrior priorUnit = map.toUnit(prior);
				final double sigmaUnit = map.noiseToUnit(sigma);
				final double[] vUnit = v.clone();
				map.toUnit(vUnit);
				final SuperResolutionSampler sampler = new SuperResolutionSampler(priorUnit, blurs[blurs.length == 1 ? 0 : c - 1], r, sigmaUnit, settings.config());
				final Thread caller = Thread.currentThread();
				final SuperResolutionSampler.Law closed = sampler.closedForm(vUnit, () -> caller.isInterrupted() || progress.cancelled(), progress);
				final GroupLaw law = closed.law(), post = sampler.posterior();
				if (settings.stepByStep()) {
					final SuperResolutionSampler.Stepper stepper = sampler.stepper(vUnit);
					for (int s = 1; s <= ns; s++) {
						progress.checkCancelled();
						stepper.sample(x, planeRng.split(), progress.within((planes > 1 ? "plane " + index + "/" + planes + " · " : "") + "sample " + s + "/" + ns));
						map.fromUnit(x);
						addSample(samples, x, w, h, nc, nz, nt, ns, c, z, t, s);
						progress.update(++done[0], (long) planes * ns);
					}
				}
				else {
					final GroupLaw.Sampler exactLaw = law.sampler(vUnit, planeRng.split());
					for (int s = 1; s <= ns; s++) {
						progress.checkCancelled();
						exactLaw.next(x);
						map.fromUnit(x);
						addSample(samples, x, w, h, nc, nz, nt, ns, c, z, t, s);
						progress.update(++done[0], (long) planes * ns);
					}
				}
				mean = law.meanImage(vUnit);
				map.fromUnit(mean);
				final double[] var = law.pixelVariance();
				std = new double[var.length];
				for (int i = 0; i < std.length; i++) std[i] = Math.sqrt(var[i]) * map.half();
				final Wasserstein.Result w2 = law.w2(post, vUnit).scaled(map.half());
				final Wasserstein.Expected expected = law.expected(post, priorUnit, sigmaUnit).scaled(map.half());
				w2maps.setProcessor(Planes.toProcessor(w2.pixelMap(), w, h), index);
				w2specs.setProcessor(Planes.toProcessor(SamplingTask.log10(w2.spectralMap()), w, h), index);
				final DiffusionSampler.Config cfg = sampler.config();
				SamplingTask.rowHeader(table, cfg.method().label, planes, c, z, t, spec.describe() + ", downsampled ×" + r, sigma, ns, req.seed());
				SamplingTask.diffusionColumns(table, cfg, settings.stepByStep(), map, closed.exact() ? "exact (closed form, aliasing-group blocks)" : "linearised given v (MATH §7.3)");
				table.addValue("W2", w2.distance());
				table.addValue("W2^2", w2.squared());
				table.addValue("W2^2 mean part", w2.meanPart());
				table.addValue("W2^2 covariance part", w2.covariancePart());
				table.addValue("E_v W2^2", expected.squared());
				table.addValue("E_v W2^2 per pixel", expected.perPixel());
				table.addValue("posterior trace", post.trace() * map.half() * map.half());
			}
			means.setProcessor(Planes.toProcessor(mean, w, h), index);
			stds.setProcessor(Planes.toProcessor(std, w, h), index);
			double meanStd = 0;
			for (final double sd : std) meanStd += sd / std.length;
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
		stdImp.setProperty("Info", Metadata.KIND + "=std\npixels=" + (exact ? "exact posterior" : "output law") + " standard deviation (super-resolution: periodic with period " + r + ")\n");
		if (!Planes.finite(samples) || !Planes.finite(means) || !Planes.finite(stds)) {
			for (int row = 0; row < table.size(); row++) {
				table.setValue("status", row, "diverged: the sampler's values overflowed (W2 = " + table.getValue("W2", row) + "); no images were made. Use fewer steps, other weights or another method.");
			}
			return new TaskResult().addTable(base + "_results", table);
		}
		final TaskResult result = new TaskResult().addImage(TaskResult.SAMPLES, samplesImp).addImage(TaskResult.MEAN, meanImp).addImage(TaskResult.STD, stdImp);
		if (!exact) {
			result.addImage(TaskResult.W2_MAP, highResolution(Planes.hyperstack(base + "_w2map", w2maps, nc, nz, nt, measurement, false), r));
			final ImagePlus w2Spec = Planes.hyperstack(base + "_w2spectrum", w2specs, nc, nz, nt, null, false);
			w2Spec.setProperty("Info", "spectral_posterior=w2spectrum\npixels=log10 of the per-frequency W2^2 contributions (each aliasing group's Bures term shared by its r² frequencies), fftshifted; NaN where zero\n");
			result.addImage(TaskResult.W2_SPECTRUM, w2Spec);
		}
		result.addTable(base + "_results", table);
		// The overview shows the measurement at the output size (nearest neighbour).
		final ImagePlus shown = new ImagePlus(measurement.getTitle(), measurement.getProcessor().resize(w, h, false));
		result.addFigure(base + "_overview", Overview.montage(shown, samplesImp, meanImp, stdImp, null, 0));
		return result;
	}

	private static void addSample(final ImageStack samples, final double[] x, final int w, final int h, final int nc, final int nz, final int nt, final int ns, final int c, final int z,
		final int t, final int s) {
		final int out = SamplingTask.sampleSlot(nc, nz, ns, c, z, t, s);
		samples.setProcessor(Planes.toProcessor(x, w, h), out);
		samples.setSliceLabel(SamplingTask.sampleLabel(nc, nz, nt, c, z, t, s), out);
	}

	/** Outputs live on the r-times finer grid: pixel size divided by r. */
	static ImagePlus highResolution(final ImagePlus imp, final int r) {
		final Calibration cal = imp.getCalibration();
		cal.pixelWidth /= r;
		cal.pixelHeight /= r;
		return imp;
	}
}
