package org.spectralposterior.core.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.metric.HermitianEigen;

/**
 * The colour prior: its Hermitian eigensolver, the colour ADSN cross-spectrum against the texton's
 * cross-covariance computed directly in the pixel domain (no FFT), and the eigen-channel basis (real
 * eigen-channel images, exact round trip, the covariance it implies).
 */
class ColourPriorTest {

	// ---------------------------------------------------------------------------------------------
	// Hermitian eigensolver

	private static double[] randomHermitian(final int n, final SplittableRandom r, final boolean real) {
		final double[] h = new double[2 * n * n];
		for (int i = 0; i < n; i++) {
			h[2 * (i * n + i)] = r.nextGaussian();
			for (int l = i + 1; l < n; l++) {
				final double re = r.nextGaussian(), im = real ? 0 : r.nextGaussian();
				h[2 * (i * n + l)] = re;
				h[2 * (i * n + l) + 1] = im;
				h[2 * (l * n + i)] = re;
				h[2 * (l * n + i) + 1] = -im;
			}
		}
		return h;
	}

	/** max |U diag(λ) U* − H| and max |U*U − I|. */
	private static double[] residuals(final double[] h, final double[] lam, final double[] u, final int n) {
		double rec = 0, orth = 0;
		for (int i = 0; i < n; i++) {
			for (int l = 0; l < n; l++) {
				double re = 0, im = 0, gre = 0, gim = 0;
				for (int e = 0; e < n; e++) {
					final double ar = u[2 * (i * n + e)], ai = u[2 * (i * n + e) + 1], br = u[2 * (l * n + e)], bi = -u[2 * (l * n + e) + 1];
					re += lam[e] * (ar * br - ai * bi);
					im += lam[e] * (ar * bi + ai * br);
					// (U*U)_il = Σ_e conj(U_ei) U_el
					final double cr = u[2 * (e * n + i)], ci = -u[2 * (e * n + i) + 1], dr = u[2 * (e * n + l)], di = u[2 * (e * n + l) + 1];
					gre += cr * dr - ci * di;
					gim += cr * di + ci * dr;
				}
				rec = Math.max(rec, Math.hypot(re - h[2 * (i * n + l)], im - h[2 * (i * n + l) + 1]));
				orth = Math.max(orth, Math.hypot(gre - (i == l ? 1 : 0), gim));
			}
		}
		return new double[] { rec, orth };
	}

	@Test
	void jacobiDiagonalisesHermitianMatrices() {
		final SplittableRandom r = new SplittableRandom(3);
		for (final int n : new int[] { 2, 3, 4 }) {
			final HermitianEigen eig = new HermitianEigen(n);
			for (int trial = 0; trial < 50; trial++) {
				final boolean real = trial % 5 == 0;
				final double[] h = randomHermitian(n, r, real), lam = new double[n], u = new double[2 * n * n];
				eig.decompose(h, 0, lam, 0, u, 0);
				final double[] res = residuals(h, lam, u, n);
				assertTrue(res[0] < 1e-12 && res[1] < 1e-12, "n=" + n + " trial " + trial + ": reconstruction " + res[0] + ", orthonormality " + res[1]);
				for (int e = 1; e < n; e++) assertTrue(lam[e - 1] >= lam[e], "decreasing eigenvalues");
				if (real) for (int i = 1; i < u.length; i += 2) assertEquals(0, u[i], 0, "a real symmetric matrix gets a real U (self-conjugate frequencies need it)");
			}
		}
	}

	@Test
	void jacobiHandlesRankOneBlocks() {
		// t t*: eigenvalues |t|², 0, 0 — the colour ADSN block, with a twice repeated eigenvalue.
		final double[] t = { 0.3, -1.2, 0.7, 0.4, -0.5, 2.0 };
		final int n = 3;
		final double[] h = new double[18];
		double norm = 0;
		for (int i = 0; i < n; i++) {
			norm += t[2 * i] * t[2 * i] + t[2 * i + 1] * t[2 * i + 1];
			for (int l = 0; l < n; l++) {
				h[2 * (i * n + l)] = t[2 * i] * t[2 * l] + t[2 * i + 1] * t[2 * l + 1];
				h[2 * (i * n + l) + 1] = t[2 * i + 1] * t[2 * l] - t[2 * i] * t[2 * l + 1];
			}
		}
		final double[] lam = new double[n], u = new double[18];
		new HermitianEigen(n).decompose(h, 0, lam, 0, u, 0);
		assertEquals(norm, lam[0], 1e-12);
		assertEquals(0, lam[1], 1e-12);
		assertEquals(0, lam[2], 1e-12);
		final double[] res = residuals(h, lam, u, n);
		assertTrue(res[0] < 1e-12 && res[1] < 1e-12);
	}

	// ---------------------------------------------------------------------------------------------
	// Colour ADSN

	static double[][] exemplar(final int h, final int w, final long seed) {
		// Correlated channels: G and B are blurred, shifted mixtures of R (a real colour texture's structure).
		final SplittableRandom r = new SplittableRandom(seed);
		final double[] base = new double[h * w], other = new double[h * w];
		for (int i = 0; i < base.length; i++) {
			base[i] = r.nextGaussian();
			other[i] = r.nextGaussian();
		}
		final double[][] x = new double[3][h * w];
		for (int y = 0; y < h; y++) {
			for (int c = 0; c < w; c++) {
				final int i = y * w + c, right = y * w + (c + 1) % w, down = ((y + 1) % h) * w + c;
				x[0][i] = 100 + 20 * base[i];
				x[1][i] = 80 + 10 * base[right] + 6 * base[i] + 4 * other[i];
				x[2][i] = 60 + 8 * base[down] + 9 * other[right];
			}
		}
		return x;
	}

	/** The texton of channel c on the target grid: (per(u_c) − μ_c)/sqrt(hw), zero-padded. */
	private static double[] texton(final double[] u, final double mu, final int h, final int w, final int th, final int tw) {
		final double[] p = PeriodicComponent.of(u, h, w), t = new double[th * tw];
		for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) t[y * tw + x] = (p[y * w + x] - mu) / Math.sqrt(h * w);
		return t;
	}

	/** Σ_cd at full-grid frequency (ky, kx), completing the half plane by Σ(−k) = conj Σ(k). */
	private static double[] block(final ColourPrior prior, final int ky, final int kx, final int c, final int d) {
		final HalfPlane p = prior.plane();
		if (kx <= p.width / 2) {
			final int k = ky * p.cols + kx;
			return new double[] { prior.re(k, c, d), prior.im(k, c, d) };
		}
		final int k = ((p.height - ky) % p.height) * p.cols + (p.width - kx);
		return new double[] { prior.re(k, c, d), -prior.im(k, c, d) };
	}

	@Test
	void colourAdsnIsTheTextonsCrossCovariance() {
		final int h = 8, w = 9, th = 11, tw = 10;
		final double[][] u = exemplar(h, w, 5);
		final ColourPrior prior = ColourPriorEstimator.estimate(PriorEstimator.Estimator.ADSN, List.<double[][]>of(u), h, w, th, tw);
		final double[][] t = new double[3][];
		for (int c = 0; c < 3; c++) {
			double mu = 0;
			for (final double v : u[c]) mu += v;
			mu /= u[c].length;
			assertEquals(mu, prior.mean(c), 1e-9, "mean of channel " + c);
			t[c] = texton(u[c], mu, h, w, th, tw);
		}
		final int d = th * tw;
		for (int c = 0; c < 3; c++) {
			for (int e = 0; e < 3; e++) {
				for (int ty = 0; ty < th; ty++) {
					for (int tx = 0; tx < tw; tx++) {
						// Direct: Cov(x_c(p + τ), x_e(p)) = Σ_s t_c(s + τ) t_e(s), circularly.
						double direct = 0;
						for (int sy = 0; sy < th; sy++) for (int sx = 0; sx < tw; sx++) direct += t[c][((sy + ty) % th) * tw + (sx + tx) % tw] * t[e][sy * tw + sx];
						// From the spectrum: c_ce(τ) = (1/d) Σ_k Σ_ce(k) e^{+iωτ} (unitary blocks of the non-unitary texton DFT).
						double spectral = 0;
						for (int ky = 0; ky < th; ky++) {
							for (int kx = 0; kx < tw; kx++) {
								final double[] b = block(prior, ky, kx, c, e);
								final double phase = 2 * Math.PI * ((double) ky * ty / th + (double) kx * tx / tw);
								spectral += b[0] * Math.cos(phase) - b[1] * Math.sin(phase);
							}
						}
						spectral /= d;
						assertEquals(direct, spectral, 1e-9 * (1 + Math.abs(direct)), "c_" + c + e + "(" + ty + "," + tx + ")");
					}
				}
			}
		}
		// Rank one per frequency: the ADSN has a single colour direction at each k.
		final ColourBasis basis = prior.basis();
		for (int k = 0; k < prior.plane().size; k++) {
			final double top = basis.eigenvalue(k, 0);
			assertTrue(basis.eigenvalue(k, 1) <= 1e-9 * (1 + top) && basis.eigenvalue(k, 2) >= 0, "rank one at " + k);
		}
	}

	@Test
	void averagedPeriodogramAndSmoothingAreFullRank() {
		final int h = 8, w = 8;
		final List<double[][]> ex = new ArrayList<>();
		for (int j = 0; j < 4; j++) ex.add(exemplar(h, w, 40 + j));
		final ColourPrior avg = ColourPriorEstimator.estimate(PriorEstimator.Estimator.PERIODOGRAM, ex, h, w, 12, 9);
		final ColourPrior smooth = ColourPriorEstimator.estimate(PriorEstimator.Estimator.SMOOTHED, ex.subList(0, 1), h, w, 12, 9);
		for (final ColourPrior p : List.of(avg, smooth)) {
			final ColourBasis b = p.basis();
			int full = 0;
			for (int k = 0; k < p.plane().size; k++) if (b.eigenvalue(k, 2) > 1e-6 * b.eigenvalue(k, 0)) full++;
			assertTrue(full > p.plane().size / 2, "most blocks of full rank: " + full + " of " + p.plane().size);
		}
		// The smoothed estimator keeps the per-pixel variance (c(0) is untouched by the lag window).
		final ColourPrior raw = ColourPriorEstimator.estimate(PriorEstimator.Estimator.PERIODOGRAM, ex.subList(0, 1), h, w, 12, 9);
		for (int c = 0; c < 3; c++) assertEquals(raw.pixelVariance(c), smooth.pixelVariance(c), 1e-6 * raw.pixelVariance(c));
		// Its diagonal is the grey smoothed estimator of that channel.
		for (int c = 0; c < 3; c++) {
			final GaussianPrior grey = PriorEstimator.smoothed(List.of(ex.get(0)[c]), h, w, 12, 9);
			for (int k = 0; k < grey.plane().size; k++) assertEquals(grey.spectrum().get(k), smooth.re(k, c, c), 1e-9 * (1 + grey.spectrum().max()));
		}
	}

	/**
	 * C = 3 runs the rotation written out for RGB, C = 2 and 4 the general loop; both must give real
	 * eigen images, a lossless round trip and U diag(λ) U* = Σ against the prior's own blocks.
	 */
	@Test
	void eigenChannelsAreRealImagesAndRoundTrip() {
		for (final int nc : new int[] { 3, 2, 4 }) for (final int[] size : new int[][] { { 11, 10 }, { 12, 9 }, { 8, 8 } }) {
			final int th = size[0], tw = size[1];
			final ColourPrior prior = ColourPriorEstimator.estimate(PriorEstimator.Estimator.SMOOTHED, List.<double[][]>of(channels(exemplar(8, 8, 9), nc)), 8, 8, th, tw);
			assertEquals(nc, prior.channels());
			final ColourBasis basis = prior.basis();
			final HalfPlane plane = prior.plane();
			final RealFft2 fft = new RealFft2(plane);
			final SplittableRandom r = new SplittableRandom(2);
			final double[][] spec = new double[nc][], eig = new double[nc][], back = new double[nc][];
			for (int c = 0; c < nc; c++) {
				final double[] x = new double[plane.pixels];
				for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
				spec[c] = fft.newSpectrum();
				eig[c] = fft.newSpectrum();
				back[c] = fft.newSpectrum();
				fft.forward(x, spec[c]);
			}
			basis.toEigen(spec, eig);
			// Real eigen images: inverse then forward FFT loses nothing, which fails if a column pair's
			// two members were rotated by unrelated eigenvectors.
			for (int e = 0; e < nc; e++) {
				final double[] img = new double[plane.pixels], again = fft.newSpectrum();
				fft.inverse(eig[e], img);
				fft.forward(img, again);
				for (int i = 0; i < again.length; i++) assertEquals(eig[e][i], again[i], 1e-10, nc + " channels, " + th + "×" + tw + " eigen-channel " + e + " entry " + i);
			}
			basis.fromEigen(eig, back);
			for (int c = 0; c < nc; c++) for (int i = 0; i < back[c].length; i++) assertEquals(spec[c][i], back[c][i], 1e-10);
			// U diag(λ) U* is Σ.
			for (int k = 0; k < plane.size; k++) {
				for (int c = 0; c < nc; c++) {
					final double[] unit = new double[2 * plane.size];
					unit[2 * k] = 1;
					final double[][] in = new double[nc][2 * plane.size], y = new double[nc][2 * plane.size], z = new double[nc][2 * plane.size];
					in[c] = unit;
					basis.toEigen(in, y);
					for (int e = 0; e < nc; e++) {
						y[e][2 * k] *= basis.eigenvalue(k, e);
						y[e][2 * k + 1] *= basis.eigenvalue(k, e);
					}
					basis.fromEigen(y, z);
					for (int d = 0; d < nc; d++) {
						assertEquals(prior.re(k, d, c), z[d][2 * k], 1e-9 * (1 + Math.abs(prior.re(k, c, c))));
						assertEquals(prior.im(k, d, c), z[d][2 * k + 1], 1e-9 * (1 + Math.abs(prior.re(k, c, c))));
					}
				}
			}
		}
	}

	/** The RGB exemplar cut to its first two channels, or with a fourth that mixes the three (C ≠ 3). */
	private static double[][] channels(final double[][] rgb, final int nc) {
		if (nc == 3) return rgb;
		if (nc == 2) return new double[][] { rgb[0], rgb[1] };
		final double[] fourth = new double[rgb[0].length];
		for (int i = 0; i < fourth.length; i++) fourth[i] = 0.5 * rgb[0][(i + 1) % fourth.length] - 0.3 * rgb[2][i] + 0.2 * rgb[1][(i + 7) % fourth.length];
		return new double[][] { rgb[0], rgb[1], rgb[2], fourth };
	}

	@Test
	void refusesWhatDefinesNoColourTexture() {
		final double[][] x = exemplar(8, 8, 1);
		java.util.Arrays.fill(x[2], 5);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ColourPriorEstimator.estimate(PriorEstimator.Estimator.ADSN, List.<double[][]>of(x), 8, 8, 8, 8));
		assertTrue(e.getMessage().startsWith("Channel 3: The exemplar is constant"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> ColourPriorEstimator.estimate(PriorEstimator.Estimator.ADSN, List.<double[][]>of(new double[][] { x[0] }), 8, 8, 8, 8));
	}
}
