package org.spectralposterior.core.prior;

import java.util.SplittableRandom;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.HermitianNoise;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.fourier.Spectrum;

/**
 * Stationary Gaussian prior x ~ N(m·1, Σ) with circulant Σ = F* diag(λ) F (MATH §2.1) on an H×W
 * grid. The mean is a constant image: a stationary law cannot have any other mean, and it puts all
 * bias terms at the DC coefficient M_0 = sqrt(d)·m (MATH §1.1).
 */
public final class GaussianPrior {

	private final double mean;
	private final Spectrum spectrum;

	public GaussianPrior(final double mean, final Spectrum spectrum) {
		if (!Double.isFinite(mean)) throw new IllegalArgumentException("The prior mean must be finite, got " + mean);
		this.mean = mean;
		this.spectrum = spectrum;
	}

	public double mean() {
		return mean;
	}

	public Spectrum spectrum() {
		return spectrum;
	}

	public HalfPlane plane() {
		return spectrum.plane();
	}

	/** The unitary DC coefficient of the mean image, M_0 = sqrt(d)·m; M_k = 0 elsewhere. */
	public double meanDc() {
		return Math.sqrt(plane().pixels) * mean;
	}

	/** Per-pixel variance tr(Σ)/d, the same at every pixel of a stationary field. */
	public double pixelVariance() {
		return spectrum.trace() / plane().pixels;
	}

	/** Reusable sampler: one white-noise spectrum and one inverse FFT per sample. */
	public Sampler sampler(final long seed) {
		return new Sampler(new SplittableRandom(seed));
	}

	/** A sampler drawing from {@code rng} (sequentially: sample after sample from one stream). */
	public Sampler sampler(final SplittableRandom rng) {
		return new Sampler(rng);
	}

	/** Draws prior samples (texture synthesis) x = m + F⁻¹(sqrt(λ) ⊙ F w). Not thread-safe. */
	public final class Sampler {
		private final SplittableRandom rng;
		private final RealFft2 fft = new RealFft2(plane());
		private final double[] spec = fft.newSpectrum();
		private final double[] sqrtLambda;

		private Sampler(final SplittableRandom rng) {
			this.rng = rng;
			final double[] l = spectrum.values();
			sqrtLambda = new double[l.length];
			for (int i = 0; i < l.length; i++) sqrtLambda[i] = Math.sqrt(l[i]);
		}

		public void next(final double[] out) {
			HermitianNoise.fill(plane(), rng, spec);
			Spectrum.scale(spec, sqrtLambda);
			spec[0] += meanDc();
			fft.inverse(spec, out);
		}

		public double[] next() {
			final double[] out = new double[plane().pixels];
			next(out);
			return out;
		}
	}
}
