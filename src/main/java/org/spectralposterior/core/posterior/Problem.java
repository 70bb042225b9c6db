package org.spectralposterior.core.posterior;

import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * One inverse problem: a stationary Gaussian prior, a linear operator and white noise of standard
 * deviation σ (MATH §2–§4). The operator is one of the three the package handles exactly; each says
 * how the Fourier domain splits (one frequency, r² aliased frequencies, or no split at all).
 */
public record Problem(GaussianPrior prior, Operator operator, double sigma) {

	/** A linear operator of the model. */
	public sealed interface Operator permits Convolution, Decimation, Mask {}

	/** A circulant blur (or the identity: denoising); diagonal in Fourier. */
	public record Convolution(BlurOperator blur) implements Operator {}

	/** Super-resolution A = S_r C: the blur, then every r-th pixel of every r-th row (MATH §3.1). */
	public record Decimation(BlurOperator blur, int factor) implements Operator {}

	/** Inpainting A = S_Ω: the pixels where {@code observed} is true are kept (MATH §3.2). */
	public record Mask(boolean[] observed) implements Operator {}

	public Problem {
		if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + sigma);
	}

	/** The exact posterior of this problem. */
	public Posterior posterior() {
		// (Java 17: no pattern switch; the interface is sealed, so these are all the cases.)
		if (operator instanceof Convolution c) return new ConvolutionPosterior(ExactPosterior.of(prior, c.blur(), sigma));
		if (operator instanceof Decimation d) return new SuperResolutionPosterior(prior, d.blur(), d.factor(), sigma);
		return new InpaintingPosterior(prior, ((Mask) operator).observed(), sigma);
	}

	/** The convolution posterior: the Wiener filter and its per-frequency variances (stationary). */
	static final class ConvolutionPosterior implements Posterior {
		private final OutputLaw law;

		ConvolutionPosterior(final OutputLaw law) {
			this.law = law;
		}

		@Override
		public double[] mean(final double[] measurement, final org.spectralposterior.core.Progress progress) {
			return law.meanImage(measurement);
		}

		@Override
		public Draws draws(final double[] measurement, final java.util.SplittableRandom planeRng, final org.spectralposterior.core.Progress progress) {
			return law.sampler(measurement, planeRng.split())::next;
		}

		@Override
		public double[] pixelVariance(final org.spectralposterior.core.Progress progress) {
			final double[] out = new double[law.plane().pixels];
			java.util.Arrays.fill(out, law.pixelVariance());
			return out;
		}

		@Override
		public OutputLaw spectralLaw() {
			return law;
		}
	}
}
