package org.spectralposterior.imagej;

import java.util.Locale;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import ij.process.FloatProcessor;
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
		final GaussianPrior prior = PriorImage.read(priorImp);
		Planes.checkReadable(measurement, "measurement");
		final int w = measurement.getWidth(), h = measurement.getHeight();
		if (prior.plane().width != w || prior.plane().height != h) {
			throw new IllegalArgumentException("The prior is " + prior.plane() + " but the measurement is " + w + "×" + h
				+ "; rebuild the prior with target_width=" + w + " target_height=" + h + ".");
		}
		final String method = methodKey(req.method());
		final OperatorSpec spec = req.operator() != null ? req.operator() : MeasurementImage.operator(measurement);
		final double sigma = req.operator() != null ? req.noiseSigma() : MeasurementImage.noiseSigma(measurement);
		if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + sigma);
		checkSampleCount(req.samples(), w, h);
		double[] truth = null;
		if (groundTruth != null) {
			Planes.checkReadable(groundTruth, "ground truth");
			if (groundTruth.getWidth() != w || groundTruth.getHeight() != h) {
				throw new IllegalArgumentException("The ground truth is " + groundTruth.getWidth() + "×" + groundTruth.getHeight() + " but the measurement is " + w + "×" + h + "; give the clean image the measurement was made from.");
			}
			truth = Planes.readCurrent(groundTruth);
		}
		final double[] v = Planes.readCurrent(measurement);
		final BlurOperator op = BlurOperator.of(spec, h, w);
		final OutputLaw posterior = ExactPosterior.of(prior, op, sigma);
		final OutputLaw law = posterior; // the only method so far: the exact posterior sampler

		final String base = Planes.baseTitle(measurement) + "_" + method;
		final ImageStack stack = new ImageStack(w, h);
		final OutputLaw.Sampler sampler = law.sampler(v, req.seed());
		for (int s = 0; s < req.samples(); s++) {
			progress.checkCancelled();
			final float[] px = new float[w * h];
			sampler.next(px);
			stack.addSlice("sample " + (s + 1), new FloatProcessor(w, h, px));
			progress.update(s + 1, req.samples());
		}
		final double[] mean = law.meanImage(v);
		final double std = Math.sqrt(law.pixelVariance());
		final double[] stdMap = new double[w * h];
		java.util.Arrays.fill(stdMap, std);
		final Wasserstein.Result w2 = Wasserstein.between(law, posterior, v);
		final Wasserstein.Expected expected = Wasserstein.expected(law, posterior, prior, sigma);

		final ImagePlus samplesImp = Planes.newStack(base + "_samples", stack, measurement);
		samplesImp.resetDisplayRange();
		final ImagePlus meanImp = Planes.newImage(base + "_mean", Planes.toProcessor(mean, w, h), measurement);
		final ImagePlus stdImp = Planes.newImage(base + "_std", Planes.toProcessor(stdMap, w, h), measurement);
		final ImagePlus w2Imp = Planes.newImage(base + "_w2map", Planes.toProcessor(w2.pixelMap(), w, h), measurement);
		final ImagePlus w2Spec = new ImagePlus(base + "_w2spectrum", Planes.toProcessor(log10Shifted(w2.spectralMap()), w, h));
		w2Spec.setProperty("Info", "spectral_posterior=w2spectrum\npixels=log10 of the per-frequency W2^2 contributions, fftshifted; NaN where zero\n");

		final ResultsTable table = new ResultsTable();
		table.incrementCounter();
		table.addValue("method", law == posterior ? EXACT : method);
		table.addValue("operator", spec.describe());
		table.addValue("noise_sigma", sigma);
		table.addValue("samples", req.samples());
		table.addValue("seed", Long.toString(req.seed()));
		table.addValue("W2", w2.distance());
		table.addValue("W2^2", w2.squared());
		table.addValue("W2^2 mean part", w2.meanPart());
		table.addValue("W2^2 covariance part", w2.covariancePart());
		table.addValue("E_v W2^2", expected.squared());
		table.addValue("E_v W2^2 per pixel", expected.perPixel());
		table.addValue("posterior trace", posterior.plane().sumAll(posterior.s2()));
		table.addValue("output std per pixel", std);
		if (truth != null) {
			final double range = ImageQuality.dataRange(truth);
			table.addValue("PSNR mean (dB)", ImageQuality.psnr(truth, mean, range));
			table.addValue("SSIM mean", ImageQuality.ssim(truth, mean, w, h, range));
			table.addValue("coverage ±2 std", ImageQuality.coverage(truth, mean, stdMap, 2));
		}
		final TaskResult result = new TaskResult().addImage(samplesImp).addImage(meanImp).addImage(stdImp).addImage(w2Imp).addImage(w2Spec);
		result.addTable(base + "_results", table);
		result.addFigure(base + "_overview", Overview.montage(measurement, samplesImp, meanImp, stdImp, w2Imp, w2.distance()));
		return result;
	}

	public static String methodKey(final String method) {
		final String m = method == null ? "" : method.trim().toLowerCase(Locale.ROOT);
		if (m.equals(EXACT) || m.equals("exact")) return "exact";
		throw new IllegalArgumentException("Unknown method '" + method + "'; available: " + EXACT + ".");
	}

	/** Refuses zero samples and stacks that would not fit in the free heap (estimated first). */
	static void checkSampleCount(final int samples, final int w, final int h) {
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

	private static double[] log10Shifted(final double[] full) {
		final double[] out = new double[full.length];
		for (int i = 0; i < out.length; i++) out[i] = full[i] > 0 ? Math.log10(full[i]) : Double.NaN;
		return out;
	}
}
