package org.spectralposterior.imagej;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Synthesize Texture: samples of the prior itself (ADSN / random-phase texture synthesis, MATH §2.1–2.2),
 * as a stack titled {@code <prior>_samples}. Samples are periodic: they tile seamlessly.
 */
public final class SynthesisTask {

	private SynthesisTask() {}

	public static TaskResult run(final ImagePlus priorImp, final int samples, final long seed, final Progress progress) {
		SamplingTask.checkSampleCount(samples);
		final boolean colour = PriorImage.isColour(priorImp);
		final int channels = Integer.parseInt(Metadata.read(priorImp).getOrDefault("channels", colour ? "3" : "1").trim());
		MemoryBudget.synthesis(priorImp.getWidth(), priorImp.getHeight(), (long) samples * channels).check();
		if (colour) return ColourTask.synthesise(priorImp, samples, seed, progress);
		if (channels > 1) return perChannel(priorImp, samples, seed, progress);
		final GaussianPrior prior = PriorImage.read(priorImp);
		final int w = prior.plane().width, h = prior.plane().height;
		final GaussianPrior.Sampler sampler = prior.sampler(seed);
		final ImageStack stack = new ImageStack(w, h);
		final double[] x = new double[w * h];
		for (int s = 0; s < samples; s++) {
			progress.checkCancelled();
			progress.detail("texture " + (s + 1) + "/" + samples);
			sampler.next(x);
			stack.addSlice("texture " + (s + 1), Planes.toProcessor(x, w, h));
			progress.update(s + 1, samples);
		}
		final ImagePlus out = new ImagePlus(Planes.baseTitle(priorImp) + "_samples", stack);
		out.getProcessor().resetMinAndMax();
		return new TaskResult().addImage(TaskResult.TEXTURES, out);
	}

	/**
	 * A per-channel prior (independent channels): each channel drawn from its own prior on its own
	 * stream, split from the seed's (never seed + c: a shifted copy of one stream), as a composite of
	 * the prior's channels. Before, only the first channel was drawn, as a grey stack.
	 */
	private static TaskResult perChannel(final ImagePlus priorImp, final int samples, final long seed, final Progress progress) {
		final java.util.List<GaussianPrior> priors = PriorImage.readAll(priorImp);
		final int n = priors.size(), w = priors.get(0).plane().width, h = priors.get(0).plane().height;
		final java.util.SplittableRandom root = new java.util.SplittableRandom(seed);
		final java.util.List<GaussianPrior.Sampler> samplers = new java.util.ArrayList<>();
		for (final GaussianPrior p : priors) samplers.add(p.sampler(root.split()));
		final ImageStack stack = new ImageStack(w, h);
		final double[] x = new double[w * h];
		for (int s = 1; s <= samples; s++) {
			progress.checkCancelled();
			progress.detail("texture " + s + "/" + samples);
			for (int c = 0; c < n; c++) {
				samplers.get(c).next(x);
				stack.addSlice("c" + (c + 1) + " texture " + s, Planes.toProcessor(x, w, h));
			}
			progress.update(s, samples);
		}
		final ImagePlus out = Planes.hyperstack(Planes.baseTitle(priorImp) + "_samples", stack, n, 1, samples, null, false);
		if (n == 3) Planes.rgbLuts(out, priorImp);
		return new TaskResult().addImage(TaskResult.TEXTURES, out);
	}
}
