package org.spectralposterior.core.posterior;

import java.util.SplittableRandom;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.HermitianNoise;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.operator.BlurOperator;

/**
 * The law of a sampler's output given the measurement v, for a circulant operator (MATH §8):
 * independent per frequency, X_{0,k} | V ~ N(p_k conj(h_k) V_k + q_k, s_k²). The exact posterior is
 * one such law (p = κ*, q = (1 − κ*ρ) M, s² = s*²), and so is every diffusion sampler run with the
 * exact Gaussian score. p, s² are real and symmetric; q is real and non-zero only at DC because the
 * prior mean is constant.
 */
public final class OutputLaw {

	private final BlurOperator operator;
	private final double[] p;
	private final double[] q;
	private final double[] s2;

	/** Takes ownership of the arrays (half-plane, one value per stored frequency). */
	public OutputLaw(final BlurOperator operator, final double[] p, final double[] q, final double[] s2) {
		final int n = operator.plane().size;
		if (p.length != n || q.length != n || s2.length != n) throw new IllegalArgumentException("Output-law arrays must match the " + operator.plane() + " half plane");
		this.operator = operator;
		this.p = p;
		this.q = q;
		this.s2 = s2;
	}

	public BlurOperator operator() {
		return operator;
	}

	public HalfPlane plane() {
		return operator.plane();
	}

	/** Measurement gain p_k (the transfer function v → output is p_k conj(h_k)); read-only. */
	public double[] p() {
		return p;
	}

	/** Offset q_k; read-only. */
	public double[] q() {
		return q;
	}

	/** Variance s_k²; read-only. */
	public double[] s2() {
		return s2;
	}

	/** Mean spectrum p conj(h) V + q given the unitary spectrum V of the measurement. */
	public double[] meanSpectrum(final double[] measurementSpectrum) {
		final double[] h = operator.transfer();
		final double[] m = new double[measurementSpectrum.length];
		for (int i = 0; i < p.length; i++) {
			final double vr = measurementSpectrum[2 * i], vi = measurementSpectrum[2 * i + 1];
			final double hr = h[2 * i], hi = -h[2 * i + 1];
			m[2 * i] = p[i] * (hr * vr - hi * vi) + q[i];
			m[2 * i + 1] = p[i] * (hr * vi + hi * vr);
		}
		return m;
	}

	/** Mean image given the measurement pixels. */
	public double[] meanImage(final double[] measurement) {
		final RealFft2 fft = new RealFft2(plane());
		final double[] v = fft.newSpectrum();
		fft.forward(measurement, v);
		final double[] out = new double[plane().pixels];
		fft.inverse(meanSpectrum(v), out);
		return out;
	}

	/** Per-pixel variance tr(S)/d, the same at every pixel for a circulant covariance. */
	public double pixelVariance() {
		return plane().sumAll(s2) / plane().pixels;
	}

	/** Exact sampler given one measurement: per sample one white-noise spectrum and one inverse FFT. */
	public Sampler sampler(final double[] measurement, final long seed) {
		return sampler(measurement, new SplittableRandom(seed));
	}

	/** The same, drawing sample after sample from {@code rng}. */
	public Sampler sampler(final double[] measurement, final SplittableRandom rng) {
		final RealFft2 fft = new RealFft2(plane());
		final double[] v = fft.newSpectrum();
		fft.forward(measurement, v);
		return new Sampler(fft, meanSpectrum(v), rng);
	}

	/** Draws X = mean + s ⊙ F w. Not thread-safe; reuses its buffers. */
	public final class Sampler {
		private final RealFft2 fft;
		private final double[] mean;
		private final double[] s;
		private final double[] spec;
		private final SplittableRandom rng;

		private Sampler(final RealFft2 fft, final double[] mean, final SplittableRandom rng) {
			this.fft = fft;
			this.mean = mean;
			this.rng = rng;
			s = new double[s2.length];
			for (int i = 0; i < s.length; i++) s[i] = Math.sqrt(s2[i]);
			spec = fft.newSpectrum();
		}

		public void next(final double[] out) {
			HermitianNoise.fill(plane(), rng, spec);
			for (int i = 0; i < s.length; i++) {
				spec[2 * i] = mean[2 * i] + s[i] * spec[2 * i];
				spec[2 * i + 1] = mean[2 * i + 1] + s[i] * spec[2 * i + 1];
			}
			fft.inverse(spec, out);
		}

		public void next(final float[] out) {
			HermitianNoise.fill(plane(), rng, spec);
			for (int i = 0; i < s.length; i++) {
				spec[2 * i] = mean[2 * i] + s[i] * spec[2 * i];
				spec[2 * i + 1] = mean[2 * i + 1] + s[i] * spec[2 * i + 1];
			}
			fft.inverse(spec, out);
		}
	}
}
