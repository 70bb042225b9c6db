package org.spectralposterior.core.fourier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The half-plane unitary FFT against a naive O(d²) DFT, for odd, even and non-power-of-two sizes. */
class RealFft2Test {

	static final int[][] SIZES = { { 1, 1 }, { 8, 8 }, { 7, 5 }, { 6, 9 }, { 9, 9 }, { 12, 10 }, { 16, 15 }, { 2, 3 } };

	@Test
	void forwardMatchesTheNaiveUnitaryDftAndInverseRoundTrips() {
		final SplittableRandom rng = new SplittableRandom(1);
		for (final int[] s : SIZES) {
			final int h = s[0], w = s[1];
			final HalfPlane plane = new HalfPlane(h, w);
			final double[] x = new double[h * w];
			for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
			final RealFft2 fft = new RealFft2(plane);
			final double[] spec = fft.newSpectrum();
			fft.forward(x, spec);
			for (int r = 0; r < h; r++) {
				for (int c = 0; c < plane.cols; c++) {
					double re = 0, im = 0;
					for (int n1 = 0; n1 < h; n1++) for (int n2 = 0; n2 < w; n2++) {
						final double a = -2 * Math.PI * ((double) r * n1 / h + (double) c * n2 / w);
						re += x[n1 * w + n2] * Math.cos(a);
						im += x[n1 * w + n2] * Math.sin(a);
					}
					final int i = r * plane.cols + c;
					assertEquals(re / Math.sqrt(h * w), spec[2 * i], 1e-12, h + "×" + w + " re " + r + "," + c);
					assertEquals(im / Math.sqrt(h * w), spec[2 * i + 1], 1e-12, h + "×" + w + " im " + r + "," + c);
				}
			}
			final double[] back = new double[h * w];
			fft.inverse(spec, back);
			double e2 = 0, x2 = 0;
			for (int i = 0; i < x.length; i++) {
				assertEquals(x[i], back[i], 1e-12, h + "×" + w + " round trip");
				x2 += x[i] * x[i];
			}
			for (int k = 0; k < plane.size; k++) e2 += plane.multiplicity(k) * (spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1]);
			assertEquals(x2, e2, 1e-10 * x2, "Parseval with multiplicities");
		}
	}

	@Test
	void hermitianNoiseIsTheSpectrumOfRealWhiteNoise() {
		for (final int[] s : new int[][] { { 8, 6 }, { 7, 5 }, { 6, 7 } }) {
			final HalfPlane plane = new HalfPlane(s[0], s[1]);
			final RealFft2 fft = new RealFft2(plane);
			final double[] z = fft.newSpectrum(), px = new double[plane.pixels], again = fft.newSpectrum();
			final SplittableRandom rng = new SplittableRandom(5);
			final int n = 20000;
			double sum = 0, sq = 0, lag = 0;
			for (int t = 0; t < n; t++) {
				HermitianNoise.fill(plane, rng, z);
				fft.inverse(z, px);
				if (t == 0) {
					fft.forward(px, again);
					for (int i = 0; i < z.length; i++) assertEquals(z[i], again[i], 1e-12, "the draw is the spectrum of a real image");
				}
				sum += px[0];
				sq += px[0] * px[0];
				lag += px[0] * px[1];
			}
			// Pixel 0 ~ N(0, 1): mean within 4.5 standard errors, variance within 4.5·sqrt(2/n), lag-1 correlation ~ 0.
			assertEquals(0, sum / n, 4.5 / Math.sqrt(n));
			assertEquals(1, sq / n, 4.5 * Math.sqrt(2.0 / n));
			assertEquals(0, lag / n, 4.5 / Math.sqrt(n));
		}
	}
}
