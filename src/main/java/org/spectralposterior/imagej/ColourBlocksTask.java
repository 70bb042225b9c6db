package org.spectralposterior.imagej;

import java.awt.Rectangle;
import java.util.SplittableRandom;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.RandomStreams;
import org.spectralposterior.core.diffusion.BlockSampler;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.BlockLaw;
import org.spectralposterior.core.posterior.DenseBlocks;
import org.spectralposterior.core.prior.ColourPrior;

/**
 * Posterior Sampling with a cross-channel colour prior where the problem does not split into grey
 * eigen-channel problems: colour super-resolution (factor r) and a PSF per channel (chromatic
 * aberration). Per stored low-resolution frequency, the C·r² unknowns of its aliasing group across the
 * channels form one dense block ({@link DenseBlocks#colour}); the exact posterior is kriging per block,
 * every diffusion method's output law its closed form per block ({@link BlockSampler}), W2 and E_v W2
 * Bures sums over blocks. Samples are drawn from the closed-form law, or with mode=[step by step] made by
 * running the method on each sample ({@link BlockSampler#sample}); the figures are the closed form's.
 * <p>
 * Random streams: colour plane g (0-based over slices and frames) owns {@link RandomStreams#plane}(seed, g),
 * and its sampler one split of it (one split per channel inside, see {@link BlockLaw#sampler}).
 */
final class ColourBlocksTask {

	private ColourBlocksTask() {}

	static TaskResult sample(final ImagePlus priorImp, final ColourPrior prior, final ImagePlus measurement, final ImagePlus groundTruth, final SamplingTask.Request req,
		final OperatorSpec spec, final int r, final double sigma, final Progress progress) {
		final int n = prior.channels();
		final int lw = measurement.getWidth(), lh = measurement.getHeight(), w = lw * r, h = lh * r;
		if (prior.plane().width != w || prior.plane().height != h) {
			throw new IllegalArgumentException("The prior is " + prior.plane() + " but the measurement is " + lw + "×" + lh + (r > 1 ? " downsampled ×" + r + ", so the image is " + w + "×" + h : "")
				+ "; rebuild the prior with target_width=" + w + " target_height=" + h + ".");
		}
		final MethodRun.Settings asked = req.settings();
		final boolean exact = asked.exact();
		final String what = r > 1 ? "colour super-resolution" : "a PSF per colour channel";
		final DiffusionSampler.Config cfg = exact ? null : asked.config();
		final int nz = measurement.getNSlices(), nt = measurement.getNFrames(), ns = req.samples();
		SamplingTask.checkedTruth(groundTruth, w, h, measurement.getStackSize());
		final IntensityMap map = exact ? new IntensityMap(-1, 1) : ColourTask.commonMap(priorImp, n, asked.dataRange());
		final ColourPrior unitPrior = prior.affine(map.mid(), map.half());
		final double sigmaUnit = map.noiseToUnit(sigma);
		// The dense blocks: the prior's, the posterior's and the law's n×n complex blocks, the sampler's roots
		// (16 bytes an entry), one per stored low-resolution frequency.
		final long blocks = (long) (lh / 2 + 1) * lw, bn = (long) n * r * r;
		MemoryBudget.of("Posterior Sampling", what + " on " + w + "×" + h + " (" + blocks + " blocks of " + bn + " unknowns)", "crop the image, or use colour_model=[per channel]")
			.add(5 * 16 * blocks * bn * bn).check();
		final BlurOperator[] blurs = new BlurOperator[spec.perChannel() ? n : 1];
		for (int c = 0; c < blurs.length; c++) blurs[c] = BlurOperator.of(spec.channel(c), h, w);
		final DenseBlocks problem = DenseBlocks.colour(unitPrior, blurs, r, sigmaUnit);
		final Thread caller = Thread.currentThread();
		final BlockLaw posterior = BlockLaw.posterior(problem);
		final BlockSampler blockSampler = exact ? null : new BlockSampler(problem, cfg);
		final boolean stepByStep = !exact && asked.stepByStep();
		final BlockSampler.Law closed = exact ? null : blockSampler.closedForm(() -> caller.isInterrupted() || progress.cancelled(), progress.within("closed form"));
		final BlockLaw law = exact ? posterior : closed.law();
		final String method = SamplingTask.methodKey(req.method());
		final String base = Planes.baseTitle(measurement) + "_" + method;
		final ImageStack samples = new ImageStack(w, h, Math.toIntExact((long) n * nz * nt * ns));
		final ImageStack means = new ImageStack(w, h, n * nz * nt), stds = new ImageStack(w, h, n * nz * nt), w2maps = new ImageStack(w, h, n * nz * nt);
		final ResultsTable table = new ResultsTable();
		final Rectangle whole = new Rectangle(0, 0, lw, lh);
		final double half = map.half(), half2 = half * half;
		final double[] std = law.channelStd(), stdPost = posterior.channelStd();
		final BlockLaw.Distance expected = exact ? new BlockLaw.Distance(0, 0) : law.expected(posterior);
		long done = 0;
		final long total = (long) nz * nt * ns;
		for (int t = 1; t <= nt; t++) {
			for (int z = 1; z <= nz; z++) {
				final int group = (t - 1) * nz + (z - 1);
				final double[][] v = ColourTask.unitChannels(measurement, n, z, t, whole, map);
				final SplittableRandom groupRng = RandomStreams.plane(req.seed(), group);
				final BlockLaw.Sampler sampler = stepByStep ? null : law.sampler(v, groupRng.split());
				for (int s = 1; s <= ns; s++) {
					progress.checkCancelled();
					// Step by step: the algorithm run on each sample with its own split; else a draw from the law.
					final double[][] x = stepByStep ? blockSampler.sample(v, groupRng.split(), () -> caller.isInterrupted() || progress.cancelled()) : sampler.next();
					ColourTask.putSample(samples, x, map, w, h, nz, nt, ns, z, t, s);
					progress.update(++done, total);
				}
				final double[][] mean = law.meanImages(v), meanPost = exact ? mean : posterior.meanImages(v);
				final BlockLaw.Distance w2 = exact ? new BlockLaw.Distance(0, 0) : law.w2(posterior, problem.measurementBlocks(v));
				for (int c = 0; c < n; c++) {
					final int index = measurement.getStackIndex(c + 1, z, t);
					// The per-pixel map as for the other colour outputs: sqrt(Δmean² + (std − std*)²), the std the
					// channel's root-mean-square over pixels (super-resolution makes it r-periodic).
					final double ds = std[c] - stdPost[c];
					final double[] px = new double[w * h];
					for (int p = 0; p < px.length; p++) {
						final double dm = mean[c][p] - meanPost[c][p];
						px[p] = Math.sqrt(dm * dm + ds * ds) * half;
					}
					map.fromUnit(mean[c]);
					means.setProcessor(Planes.toProcessor(mean[c], w, h), index);
					final double[] stdMap = new double[w * h];
					java.util.Arrays.fill(stdMap, std[c] * half);
					stds.setProcessor(Planes.toProcessor(stdMap, w, h), index);
					w2maps.setProcessor(Planes.toProcessor(px, w, h), index);
					final String label = SamplingTask.label(n, nz, nt, c + 1, z, t).trim();
					for (final ImageStack st : new ImageStack[] { means, stds, w2maps }) st.setSliceLabel(label, index);
				}
				table.incrementCounter();
				table.addValue("method", exact ? SamplingTask.EXACT : cfg.method().label);
				table.addValue("channels", n + " (cross-channel prior, " + what + ")");
				if (nz * nt > 1) {
					table.addValue("slice", z);
					table.addValue("frame", t);
				}
				SamplingTask.runColumns(table, spec.describe() + (r > 1 ? ", downsampled ×" + r : ""), sigma, ns, req.seed());
				table.addValue("noise_sigma source", SamplingTask.sigmaSource(req));
				if (!exact) SamplingTask.diffusionColumns(table, cfg, stepByStep, map, "exact (closed form, dense blocks of " + problem.n + " unknowns per frequency group)");
				table.addValue("W2", Math.sqrt(w2.squared() * half2));
				table.addValue("W2^2", w2.squared() * half2);
				table.addValue("W2^2 mean part", w2.meanPart() * half2);
				table.addValue("W2^2 covariance part", w2.covariancePart() * half2);
				table.addValue("E_v W2^2", expected.squared() * half2);
				table.addValue("E_v W2^2 per pixel", expected.squared() * half2 / ((double) w * h * n));
				table.addValue("posterior trace", posterior.trace() * half2);
				for (int c = 0; c < n; c++) table.addValue("output std c" + (c + 1), std[c] * half);
				if (groundTruth != null) ColourTask.truthColumns(table, groundTruth, mean, std, half, z, t, n, new Rectangle(0, 0, w, h));
			}
		}
		final ImagePlus samplesImp = Planes.hyperstack(base + "_samples", samples, n, nz, nt * ns, measurement, true);
		final ImagePlus meanImp = Planes.hyperstack(base + "_mean", means, n, nz, nt, measurement, true);
		final ImagePlus stdImp = Planes.hyperstack(base + "_std", stds, n, nz, nt, measurement, false);
		stdImp.setProperty("Info", Metadata.KIND + "=std\npixels=" + (exact ? "exact posterior" : "output law") + " standard deviation, root-mean-square over each channel's pixels"
			+ (r > 1 ? " (super-resolution: the std itself is periodic with period " + r + ")" : "") + "\n");
		final ImagePlus w2Imp = Planes.hyperstack(base + "_w2map", w2maps, n, nz, nt, measurement, false);
		for (final ImagePlus imp : new ImagePlus[] { samplesImp, meanImp, stdImp, w2Imp }) SuperResolutionTask.highResolution(imp, r);
		if (!Planes.finite(samples) || !Planes.finite(means) || !Planes.finite(w2maps)) return SamplingTask.diverged(table, base);
		final TaskResult result = new TaskResult().addImage(TaskResult.SAMPLES, samplesImp).addImage(TaskResult.MEAN, meanImp).addImage(TaskResult.STD, stdImp);
		if (!exact) result.addImage(TaskResult.W2_MAP, w2Imp);
		result.addTable(base + "_results", table);
		return result;
	}
}
