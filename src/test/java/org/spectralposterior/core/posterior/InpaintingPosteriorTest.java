package org.spectralposterior.core.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Dense;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.prior.GaussianPrior;

/** Inpainting kriging by CG against dense kriging (EJML), and conditional simulation against Σ_post. */
class InpaintingPosteriorTest {

	static GaussianPrior prior(final int h, final int w, final double mean) {
		final HalfPlane plane = new HalfPlane(h, w);
		final double[] lam = new double[plane.size];
		for (int i = 0; i < lam.length; i++) {
			final double fr = plane.freqRow(i) * 24.0 / h, fc = plane.freqCol(i) * 24.0 / w;
			lam[i] = 8 / Math.pow(1 + fr * fr + 0.5 * fc * fc + 0.3 * fr * fc, 1.5);
		}
		return new GaussianPrior(mean, new Spectrum(plane, lam));
	}

	/** A rectangular hole plus scattered missing pixels. */
	static boolean[] mask(final int h, final int w, final int r0, final int c0, final int hh, final int hw, final long seed) {
		final boolean[] obs = new boolean[h * w];
		final SplittableRandom r = new SplittableRandom(seed);
		for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) obs[y * w + x] = !(y >= r0 && y < r0 + hh && x >= c0 && x < c0 + hw) && r.nextDouble() > 0.1;
		return obs;
	}

	/** Dense kriging: mean μ + Σ_{·Ω}(Σ_ΩΩ + σ²I)⁻¹(v_Ω − μ) and Σ_post = Σ − Σ_{·Ω}(Σ_ΩΩ + σ²I)⁻¹Σ_{Ω·}. */
	static DMatrixRMaj[] dense(final GaussianPrior prior, final boolean[] obs, final double[] v, final double sigma) {
		final DMatrixRMaj s = Dense.circulantFromSpectrum(prior.plane(), prior.spectrum().values());
		final int d = obs.length;
		int m = 0;
		for (final boolean b : obs) if (b) m++;
		final int[] om = new int[m];
		for (int i = 0, j = 0; i < d; i++) if (obs[i]) om[j++] = i;
		final DMatrixRMaj soo = new DMatrixRMaj(m, m), sdo = new DMatrixRMaj(d, m), r = new DMatrixRMaj(m, 1);
		for (int a = 0; a < m; a++) {
			for (int b = 0; b < m; b++) soo.set(a, b, s.get(om[a], om[b]) + (a == b ? sigma * sigma : 0));
			for (int i = 0; i < d; i++) sdo.set(i, a, s.get(i, om[a]));
			r.set(a, 0, v[om[a]] - prior.mean());
		}
		final DMatrixRMaj inv = soo.copy();
		if (!CommonOps_DDRM.invert(inv)) throw new IllegalStateException("singular");
		final DMatrixRMaj k = new DMatrixRMaj(d, m), mean = new DMatrixRMaj(d, 1), post = new DMatrixRMaj(d, d);
		CommonOps_DDRM.mult(sdo, inv, k);
		CommonOps_DDRM.mult(k, r, mean);
		for (int i = 0; i < d; i++) mean.add(i, 0, prior.mean());
		CommonOps_DDRM.multTransB(k, sdo, post);
		CommonOps_DDRM.subtract(s, post, post);
		return new DMatrixRMaj[] { mean, post };
	}

	@Test
	void meanMatchesDenseKriging() {
		for (final int[] size : new int[][] { { 12, 10 }, { 11, 9 } }) {
			final int h = size[0], w = size[1];
			final GaussianPrior prior = prior(h, w, 0.4);
			final boolean[] obs = mask(h, w, 3, 2, 5, 4, 3);
			final double[] v = prior.sampler(5).next();
			for (final double sigma : new double[] { 0.1, 0.01 }) {
				final InpaintingPosterior ip = new InpaintingPosterior(prior, obs, sigma);
				final double[] mean = ip.mean(v, null);
				final DMatrixRMaj ref = dense(prior, obs, v, sigma)[0];
				for (int i = 0; i < v.length; i++) assertEquals(ref.get(i, 0), mean[i], 1e-8, h + "×" + w + " σ=" + sigma + " pixel " + i);
				assertTrue(ip.lastResidual() <= InpaintingPosterior.TOLERANCE, "CG converged: " + ip.lastResidual());
			}
		}
	}

	@Test
	void mathReferenceCase() {
		// MATH §4.4: 24×24 image, 10×12 hole, σ = 0.02; CG against dense kriging.
		final GaussianPrior prior = prior(24, 24, 0);
		final boolean[] obs = new boolean[576];
		for (int y = 0; y < 24; y++) for (int x = 0; x < 24; x++) obs[y * 24 + x] = !(y >= 7 && y < 17 && x >= 6 && x < 18);
		final double[] v = prior.sampler(9).next();
		final InpaintingPosterior ip = new InpaintingPosterior(prior, obs, 0.02);
		final double[] mean = ip.mean(v, null);
		final DMatrixRMaj ref = dense(prior, obs, v, 0.02)[0];
		double err = 0, norm = 0;
		for (int i = 0; i < 576; i++) {
			err = Math.max(err, Math.abs(ref.get(i, 0) - mean[i]));
			norm = Math.max(norm, Math.abs(ref.get(i, 0)));
		}
		assertTrue(err <= 1e-9 * norm, "max error " + err + " (scale " + norm + "), " + ip.lastIterations() + " CG iterations");
		assertTrue(ip.lastIterations() < obs.length, ip.lastIterations() + " iterations");
	}

	@Test
	void samplesHaveThePosteriorLaw() {
		final int h = 8, w = 7, n = 4000;
		final GaussianPrior prior = prior(h, w, -0.3);
		final boolean[] obs = mask(h, w, 2, 2, 3, 3, 7);
		final double[] v = prior.sampler(2).next();
		final double sigma = 0.2;
		final InpaintingPosterior ip = new InpaintingPosterior(prior, obs, sigma);
		final double[] mean = ip.mean(v, null);
		final DMatrixRMaj[] ref = dense(prior, obs, v, sigma);
		final var innov = ip.innovationSampler(new SplittableRandom(11));
		final SplittableRandom noise = new SplittableRandom(12);
		assertSampleLaw(ref[0], ref[1], n, x -> ip.sample(mean, innov, noise, x, null));
	}

	/**
	 * n draws against a Gaussian law: per-pixel sample means (z-score < 4.5) and every sample covariance
	 * within 5·sqrt((Σii Σjj + Σij²)/n).
	 */
	static void assertSampleLaw(final DMatrixRMaj mean, final DMatrixRMaj cov, final int n, final java.util.function.Consumer<double[]> draw) {
		final int d = mean.numRows;
		final double[] sum = new double[d], x = new double[d];
		final double[][] cross = new double[d][d];
		for (int s = 0; s < n; s++) {
			draw.accept(x);
			for (int i = 0; i < d; i++) {
				final double e = x[i] - mean.get(i, 0);
				sum[i] += e;
				for (int j = 0; j <= i; j++) cross[i][j] += e * (x[j] - mean.get(j, 0));
			}
		}
		for (int i = 0; i < d; i++) {
			final double var = cov.get(i, i);
			assertEquals(0, sum[i] / n, 4.5 * Math.sqrt(Math.max(var, 1e-12) / n) + 1e-9, "mean at " + i);
			for (int j = 0; j <= i; j++) {
				final double c = cov.get(i, j), se = Math.sqrt((var * cov.get(j, j) + c * c) / n);
				assertEquals(c, cross[i][j] / n, 5 * se + 1e-9, "covariance " + i + "," + j);
			}
		}
	}

	@Test
	void noiselessObservationsAreKept() {
		final GaussianPrior prior = prior(16, 13, 1.5);
		final boolean[] obs = mask(16, 13, 4, 3, 6, 5, 1);
		final double[] v = prior.sampler(3).next();
		final InpaintingPosterior ip = new InpaintingPosterior(prior, obs, 0);
		final double[] mean = ip.mean(v, null), x = new double[v.length];
		ip.sample(mean, ip.innovationSampler(new SplittableRandom(4)), new SplittableRandom(5), x, null);
		final double scale = Math.sqrt(prior.pixelVariance());
		for (int i = 0; i < v.length; i++) {
			if (!obs[i]) continue;
			assertEquals(v[i], mean[i], 1e-4 * scale, "mean at an observed pixel");
			assertEquals(v[i], x[i], 1e-4 * scale, "sample at an observed pixel");
		}
	}

	@Test
	void aPriorThatFixesTheImageMeanHasItEstimated() {
		// ADSN-like: λ_0 = 0 pins the image mean to the prior's. Observations offset by +3 prior stds
		// must move the hole with them, not pile the whole offset of 1000 pixels into 30.
		final GaussianPrior fitted = prior(32, 32, 0);
		final double[] lam = fitted.spectrum().values().clone();
		lam[0] = 0;
		final GaussianPrior prior = new GaussianPrior(0, new Spectrum(fitted.plane(), lam));
		final boolean[] obs = new boolean[1024];
		for (int i = 0; i < obs.length; i++) obs[i] = !(i / 32 >= 10 && i / 32 < 15 && i % 32 >= 10 && i % 32 < 16);
		final double sd = Math.sqrt(prior.pixelVariance());
		final double[] v = prior.sampler(4).next();
		for (int i = 0; i < v.length; i++) v[i] += 3 * sd;
		final InpaintingPosterior ip = new InpaintingPosterior(prior, obs, 0.05 * sd);
		assertTrue(ip.meanEstimated());
		final double[] mean = ip.mean(v, null);
		double hole = 0;
		int n = 0;
		for (int i = 0; i < v.length; i++) {
			if (obs[i]) continue;
			hole += mean[i];
			n++;
		}
		assertEquals(3 * sd, hole / n, 1.5 * sd, "the hole follows the observed level");
		assertTrue(!new InpaintingPosterior(fitted, obs, 0.1).meanEstimated(), "a prior with DC variance keeps it");
	}

	@Test
	void aMaskWithNothingObservedIsRefused() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new InpaintingPosterior(prior(8, 8, 0), new boolean[64], 0.1));
		assertTrue(e.getMessage().contains("observes no pixel"));
	}
}
