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
		MemoryBudget.synthesis(priorImp.getWidth(), priorImp.getHeight(), colour ? (long) samples * Integer.parseInt(Metadata.read(priorImp).getOrDefault("channels", "3").trim()) : samples).check();
		if (colour) return ColourTask.synthesise(priorImp, samples, seed, progress);
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
}
