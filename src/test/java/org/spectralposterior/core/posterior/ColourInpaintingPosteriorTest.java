package org.spectralposterior.core.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Progress;

/**
 * Colour inpainting's exact posterior against dense kriging on a 9×10 RGB grid (odd, not a power of
 * two) with a cross-channel periodogram prior whose dense covariance is built independently, from the
 * textons ({@link ColourConvolutionTest#denseCovariance}), plus the documented DC adjustment. The mask
 * differs between channels (random entries missing, and a 3×3 hole in every channel). Checked: the
 * mean for σ = 3 and σ = 0, the exact per-entry variance, and the joint law of the samples — the
 * whole 270×270 sample covariance, across pixels and channels, against the dense posterior covariance,
 * each entry within 6 of its Wishart standard deviation √((S_ii S_jj + S_ij²)/n), and the sample mean
 * within 6 √(S_ii/n); and, because an error confined to one frequency is spread thinly over the
 * pixels, the variance of every channel's every Fourier coefficient (real and imaginary parts, by
 * explicit cosine and sine vectors ℓ) against ℓᵀSℓ, within 6 √(2/n) of it (a scaled χ²_n).
 */
class ColourInpaintingPosteriorTest {

	private static final int H = ColourConvolutionTest.H, W = ColourConvolutionTest.W, D = H * W;

	static boolean[] mask(final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final boolean[] observed = new boolean[3 * D];
		for (int i = 0; i < observed.length; i++) observed[i] = r.nextDouble() < 0.7;
		for (int c = 0; c < 3; c++) for (int y = 3; y < 6; y++) for (int x = 4; x < 7; x++) observed[c * D + y * W + x] = false;
		return observed;
	}

	/** The textons' covariance plus the posterior's DC adjustment ΔM/N in every entry pair (a constant image per channel pair). */
	static DMatrixRMaj priorCovariance(final ColourConvolutionTest.Fixture f, final ColourInpaintingPosterior post) {
		final DMatrixRMaj s = f.sigma().copy();
		final double[] added = post.dcBlockAdded();
		for (int c = 0; c < 3; c++) for (int d = 0; d < 3; d++) for (int p = 0; p < D; p++) for (int q = 0; q < D; q++) s.add(c * D + p, d * D + q, added[c * 3 + d] / D);
		return s;
	}

	/**
	 * The DC adjustment does not depend on the eigenvectors the solver picks at a singular Σ(0): with one
	 * exemplar (Σ(k) of rank one, Σ(0) = 0) the added block is the pixel covariance times N, whose every
	 * channel has its own variance — no channel's mean is left pinned.
	 */
	@Test
	void theDcAdjustmentIsThePixelCovarianceOnTheNullSpace() {
		final ColourConvolutionTest.Fixture f = ColourConvolutionTest.fixture(1, 0);
		final ColourInpaintingPosterior post = new ColourInpaintingPosterior(f.prior(), mask(3), 3);
		final double[] added = post.dcBlockAdded();
		for (int c = 0; c < 3; c++) {
			for (int d = 0; d < 3; d++) {
				double pix = 0;
				for (int k = 0; k < f.prior().plane().size; k++) pix += f.prior().plane().multiplicity(k) * f.prior().re(k, c, d);
				final double at0 = f.prior().re(0, c, d);
				assertEquals(pix - at0, added[c * 3 + d], 1e-6 * (1 + Math.abs(pix)), "ΔM(" + c + ", " + d + ")");
			}
			assertTrue(added[c * 3 + c] > 0.1 * added[0], "channel " + c + " keeps a free mean");
		}
	}

	private record Dense(double[] mean, DMatrixRMaj cov) {}

	private static Dense kriging(final DMatrixRMaj sig, final double[] mu, final double[] v, final boolean[] observed, final double diagonal) {
		final int n = 3 * D;
		int m = 0;
		for (final boolean b : observed) if (b) m++;
		final int[] omega = new int[m];
		for (int i = 0, j = 0; i < n; i++) if (observed[i]) omega[j++] = i;
		final DMatrixRMaj a = new DMatrixRMaj(m, m), b = new DMatrixRMaj(m, n), r = new DMatrixRMaj(m, 1);
		for (int i = 0; i < m; i++) {
			for (int l = 0; l < m; l++) a.set(i, l, sig.get(omega[i], omega[l]) + (i == l ? diagonal : 0));
			for (int l = 0; l < n; l++) b.set(i, l, sig.get(omega[i], l));
			r.set(i, 0, v[omega[i]] - mu[omega[i]]);
		}
		final DMatrixRMaj ai = new DMatrixRMaj(m, m);
		assertTrue(CommonOps_DDRM.invert(a, ai));
		final DMatrixRMaj air = new DMatrixRMaj(m, 1), aib = new DMatrixRMaj(m, n), gain = new DMatrixRMaj(n, 1), down = new DMatrixRMaj(n, n);
		CommonOps_DDRM.mult(ai, r, air);
		CommonOps_DDRM.multTransA(b, air, gain);
		CommonOps_DDRM.mult(ai, b, aib);
		CommonOps_DDRM.multTransA(b, aib, down);
		final double[] mean = new double[n];
		for (int i = 0; i < n; i++) mean[i] = mu[i] + gain.get(i, 0);
		final DMatrixRMaj cov = sig.copy();
		CommonOps_DDRM.subtractEquals(cov, down);
		return new Dense(mean, cov);
	}

	@Test
	void meanAndVarianceAreDenseKriging() {
		final ColourConvolutionTest.Fixture f = ColourConvolutionTest.fixture(4, 0);
		final boolean[] observed = mask(3);
		for (final double sigma : new double[] { 3, 0 }) {
			final ColourInpaintingPosterior post = new ColourInpaintingPosterior(f.prior(), observed, sigma);
			final DMatrixRMaj sig = priorCovariance(f, post);
			double var = 0;
			for (int i = 0; i < 3 * D; i++) var += sig.get(i, i);
			final Dense dense = kriging(sig, f.mu(), f.v(), observed, sigma > 0 ? sigma * sigma : 1e-10 * var / (3 * D));
			final double[] mean = post.mean(f.v(), Progress.NONE);
			double scale = 0;
			for (final double x : dense.mean) scale = Math.max(scale, Math.abs(x));
			for (int i = 0; i < mean.length; i++) assertEquals(dense.mean[i], mean[i], 1e-6 * scale, "σ = " + sigma + " mean entry " + i);
			for (int i = 0; i < mean.length; i++) if (observed[i] && sigma == 0) assertEquals(f.v()[i], mean[i], 1e-4 * scale, "noise-free: the mean keeps observed entry " + i);
			final double[] v = post.pixelVariance(Progress.NONE);
			double vs = 0;
			for (int i = 0; i < v.length; i++) vs = Math.max(vs, dense.cov.get(i, i));
			for (int i = 0; i < v.length; i++) assertEquals(Math.max(0, dense.cov.get(i, i)), v[i], 1e-7 * vs, "σ = " + sigma + " variance entry " + i);
		}
	}

	@Test
	void samplesFollowTheDensePosteriorJointly() {
		final ColourConvolutionTest.Fixture f = ColourConvolutionTest.fixture(4, 0);
		final boolean[] observed = mask(5);
		final double sigma = 3;
		final ColourInpaintingPosterior post = new ColourInpaintingPosterior(f.prior(), observed, sigma);
		final Dense dense = kriging(priorCovariance(f, post), f.mu(), f.v(), observed, sigma * sigma);
		final int n = 3 * D, samples = 3000;
		final ColourInpaintingPosterior.Draws draws = post.draws(f.v(), new SplittableRandom(17), Progress.NONE);
		final double[] x = new double[n], sum = new double[n];
		final DMatrixRMaj cov = new DMatrixRMaj(n, n);
		// Cosine and sine vectors of each channel's every frequency (unit-norm up to the DFT's 1/√N).
		final java.util.List<double[]> ell = new java.util.ArrayList<>();
		for (int c = 0; c < 3; c++) {
			for (int ky = 0; ky < H; ky++) {
				for (int kx = 0; kx < W; kx++) {
					final double[] cs = new double[n], sn = new double[n];
					for (int y = 0; y < H; y++) for (int xx = 0; xx < W; xx++) {
						final double th = 2 * Math.PI * ((double) ky * y / H + (double) kx * xx / W);
						cs[c * D + y * W + xx] = Math.cos(th) / Math.sqrt(D);
						sn[c * D + y * W + xx] = Math.sin(th) / Math.sqrt(D);
					}
					ell.add(cs);
					if ((2 * ky) % H != 0 || (2 * kx) % W != 0) ell.add(sn);
				}
			}
		}
		final double[] proj2 = new double[ell.size()];
		for (int s = 0; s < samples; s++) {
			draws.next(x);
			for (int a = 0; a < ell.size(); a++) {
				final double[] l = ell.get(a);
				double t = 0;
				for (int i = 0; i < n; i++) t += l[i] * (x[i] - dense.mean[i]);
				proj2[a] += t * t;
			}
			for (int i = 0; i < n; i++) {
				final double di = x[i] - dense.mean[i];
				sum[i] += di;
				for (int l = 0; l <= i; l++) cov.add(i, l, di * (x[l] - dense.mean[l]));
			}
		}
		for (int i = 0; i < n; i++) {
			final double sii = dense.cov.get(i, i);
			assertEquals(0, sum[i] / samples, 6 * Math.sqrt(Math.max(sii, 1e-12) / samples) + 1e-9, "sample mean entry " + i);
			for (int l = 0; l <= i; l++) {
				final double sij = dense.cov.get(i, l), sll = dense.cov.get(l, l);
				final double sd = Math.sqrt((sii * sll + sij * sij) / samples);
				assertEquals(sij, cov.get(i, l) / samples, 6 * sd + 1e-9, "sample covariance (" + i + ", " + l + ")");
			}
		}
		final DMatrixRMaj lv = new DMatrixRMaj(n, 1), sl = new DMatrixRMaj(n, 1);
		for (int a = 0; a < ell.size(); a++) {
			lv.setData(ell.get(a).clone());
			CommonOps_DDRM.mult(dense.cov, lv, sl);
			final double expect = CommonOps_DDRM.dot(lv, sl);
			assertEquals(expect, proj2[a] / samples, 6 * Math.sqrt(2.0 / samples) * expect + 1e-9, "variance of Fourier functional " + a);
		}
	}
}
