package org.spectralposterior.imagej;

import java.awt.Rectangle;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.metric.ImageQuality;
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

	/** Inputs beyond images; {@code operator == null} means "read it from the measurement". */
	public record Request(String method, int samples, long seed, OperatorSpec operator, double noiseSigma) {}

	private SamplingTask() {}

	public static TaskResult run(final ImagePlus priorImp, final ImagePlus measurement, final ImagePlus groundTruth, final Request req, final Progress progress) {
		Planes.checkReadable(measurement, "measurement");
		final List<GaussianPrior> priors = PriorImage.readAll(priorImp);
		final int w = measurement.getWidth(), h = measurement.getHeight();
		final GaussianPrior first = priors.get(0);
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
		final double sigma = req.operator() != null ? req.noiseSigma() : MeasurementImage.noiseSigma(measurement);
		if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + sigma);
		final int planes = measurement.getStackSize();
		checkSampleCount((long) req.samples() * planes, w, h);
		if (groundTruth != null) {
			Planes.checkReadable(groundTruth, "ground truth");
			if (groundTruth.getWidth() != w || groundTruth.getHeight() != h || groundTruth.getStackSize() != planes) {
				throw new IllegalArgumentException("The ground truth is " + groundTruth.getWidth() + "×" + groundTruth.getHeight() + "×" + groundTruth.getStackSize() + " but the measurement is "
					+ w + "×" + h + "×" + planes + "; give the clean image the measurement was made from.");
			}
		}
		final BlurOperator op = BlurOperator.of(spec, h, w);
		final int ns = req.samples();
		final String base = Planes.baseTitle(measurement) + "_" + method;
		final ImageStack samples = new ImageStack(w, h, nc * nz * nt * ns);
		final ImageStack means = new ImageStack(w, h, planes), stds = new ImageStack(w, h, planes), w2maps = new ImageStack(w, h, planes), w2specs = new ImageStack(w, h, planes);
		final ResultsTable table = new ResultsTable();
		final Rectangle whole = new Rectangle(0, 0, w, h);
		long done = 0;
		for (int t = 1; t <= nt; t++) {
			for (int z = 1; z <= nz; z++) {
				for (int c = 1; c <= nc; c++) {
					final int index = measurement.getStackIndex(c, z, t);
					final GaussianPrior prior = priors.get(priors.size() == 1 ? 0 : c - 1);
					final double[] v = Planes.read(measurement, index, whole);
					final OutputLaw posterior = ExactPosterior.of(prior, op, sigma);
					final OutputLaw law = posterior; // the only method so far: the exact posterior sampler
					// One independent, reproducible stream per plane.
					final OutputLaw.Sampler sampler = law.sampler(v, req.seed() + 0x9E3779B97F4A7C15L * (index - 1));
					for (int s = 1; s <= ns; s++) {
						progress.checkCancelled();
						final float[] px = new float[w * h];
						sampler.next(px);
						final int frame = (t - 1) * ns + s;
						final int out = (frame - 1) * nc * nz + (z - 1) * nc + c;
						samples.setPixels(px, out);
						samples.setSliceLabel(label(nc, nz, nt, c, z, t) + "sample " + s, out);
						progress.update(++done, (long) planes * ns);
					}
					final double[] mean = law.meanImage(v);
					final double std = Math.sqrt(law.pixelVariance());
					final double[] stdMap = new double[w * h];
					java.util.Arrays.fill(stdMap, std);
					final Wasserstein.Result w2 = Wasserstein.between(law, posterior, v);
					final Wasserstein.Expected expected = Wasserstein.expected(law, posterior, prior, sigma);
					means.setProcessor(Planes.toProcessor(mean, w, h), index);
					stds.setProcessor(Planes.toProcessor(stdMap, w, h), index);
					w2maps.setProcessor(Planes.toProcessor(w2.pixelMap(), w, h), index);
					w2specs.setProcessor(Planes.toProcessor(log10(w2.spectralMap()), w, h), index);

					table.incrementCounter();
					table.addValue("method", law == posterior ? EXACT : method);
					if (planes > 1) {
						table.addValue("channel", c);
						table.addValue("slice", z);
						table.addValue("frame", t);
					}
					table.addValue("operator", spec.describe());
					table.addValue("noise_sigma", sigma);
					table.addValue("samples", ns);
					table.addValue("seed", Long.toString(req.seed()));
					table.addValue("W2", w2.distance());
					table.addValue("W2^2", w2.squared());
					table.addValue("W2^2 mean part", w2.meanPart());
					table.addValue("W2^2 covariance part", w2.covariancePart());
					table.addValue("E_v W2^2", expected.squared());
					table.addValue("E_v W2^2 per pixel", expected.perPixel());
					table.addValue("posterior trace", posterior.plane().sumAll(posterior.s2()));
					table.addValue("output std per pixel", std);
					if (groundTruth != null) {
						final double[] truth = Planes.read(groundTruth, index, whole);
						final double range = ImageQuality.dataRange(truth);
						table.addValue("PSNR mean (dB)", ImageQuality.psnr(truth, mean, range));
						table.addValue("SSIM mean", ImageQuality.ssim(truth, mean, w, h, range));
						table.addValue("coverage ±2 std", ImageQuality.coverage(truth, mean, stdMap, 2));
					}
				}
			}
		}
		final ImagePlus samplesImp = Planes.hyperstack(base + "_samples", samples, nc, nz, nt * ns, measurement, true);
		final ImagePlus meanImp = Planes.hyperstack(base + "_mean", means, nc, nz, nt, measurement, true);
		final ImagePlus stdImp = Planes.hyperstack(base + "_std", stds, nc, nz, nt, measurement, false);
		final ImagePlus w2Imp = Planes.hyperstack(base + "_w2map", w2maps, nc, nz, nt, measurement, false);
		final ImagePlus w2Spec = Planes.hyperstack(base + "_w2spectrum", w2specs, nc, nz, nt, null, false);
		w2Spec.setProperty("Info", "spectral_posterior=w2spectrum\npixels=log10 of the per-frequency W2^2 contributions, fftshifted; NaN where zero\n");

		final TaskResult result = new TaskResult().addImage(samplesImp).addImage(meanImp).addImage(stdImp).addImage(w2Imp).addImage(w2Spec);
		result.addTable(base + "_results", table);
		result.addFigure(base + "_overview", Overview.montage(measurement, samplesImp, meanImp, stdImp, w2Imp, table.getValue("W2", 0)));
		return result;
	}

	private static String label(final int nc, final int nz, final int nt, final int c, final int z, final int t) {
		return (nc > 1 ? "c" + c + " " : "") + (nz > 1 ? "z" + z + " " : "") + (nt > 1 ? "t" + t + " " : "");
	}

	public static String methodKey(final String method) {
		final String m = method == null ? "" : method.trim().toLowerCase(Locale.ROOT);
		if (m.equals(EXACT) || m.equals("exact")) return "exact";
		throw new IllegalArgumentException("Unknown method '" + method + "'; available: " + EXACT + ".");
	}

	/** Refuses zero samples and stacks that would not fit in the free heap (estimated first). */
	static void checkSampleCount(final long samples, final int w, final int h) {
		if (samples < 1) throw new IllegalArgumentException("samples must be at least 1, got " + samples + ".");
		final long bytes = 4L * w * h * samples;
		final Runtime rt = Runtime.getRuntime();
		final long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
		// Leave room for the working arrays (a few double images) next to the stack.
		final long needed = bytes + 64L * w * h;
		if (needed > free) {
			throw new IllegalArgumentException(String.format(Locale.ROOT, "%d samples of %d×%d need about %.0f MB but only %.0f MB of memory is free; "
				+ "ask for fewer samples or raise the memory limit (Edit > Options > Memory & Threads, or java -Xmx).", samples, w, h, needed / 1e6, free / 1e6));
		}
	}

	private static double[] log10(final double[] full) {
		final double[] out = new double[full.length];
		for (int i = 0; i < out.length; i++) out[i] = full[i] > 0 ? Math.log10(full[i]) : Double.NaN;
		return out;
	}
}
