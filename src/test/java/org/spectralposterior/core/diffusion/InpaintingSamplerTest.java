package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Dense;
import org.spectralposterior.core.DenseSamplerLaw;
import org.spectralposterior.core.posterior.InpaintingPosterior;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Every registered method on inpainting, run in the pixel domain with the exact score by FFT,
 * against the independent dense reference ({@link DenseSamplerLaw}): the noise-free pass is the
 * law's mean, the column-propagated covariance is the dense one, and step-by-step samples follow
 * that law (per-pixel means within 5 standard errors; per-pixel variances within 5·sqrt(2/N);
 * the covariance's Frobenius error below 4 times its Wishart size). 7×6 grid (odd × even) with an
 * irregular hole, non-zero prior mean.
 */
class InpaintingSamplerTest {

	static final int H = 7, W = 6;

	static boolean[] mask() {
		final boolean[] obs = new boolean[H * W];
		java.util.Arrays.fill(obs, true);
		for (final int p : new int[] { 8, 9, 14, 15, 16, 21, 27, 40 }) obs[p] = false;
		return obs;
	}

	/** Rows [r0, r1) × columns [c0, c1) missing, and every pixel p with p mod {@code every} = 3. */
	static boolean[] holeMask(final int h, final int w, final int r0, final int r1, final int c0, final int c1, final int every) {
		final boolean[] obs = new boolean[h * w];
		for (int p = 0; p < obs.length; p++) obs[p] = !(p / w >= r0 && p / w < r1 && p % w >= c0 && p % w < c1) && p % every != 3;
		return obs;
	}

	static double[] measurement(final boolean[] obs, final long seed) {
		final double[] v = new double[H * W];
		final SplittableRandom r = new SplittableRandom(seed);
		for (int i = 0; i < v.length; i++) v[i] = obs[i] ? 0.3 + r.nextGaussian() : Double.NaN;
		return v;
	}

	private static InpaintingSampler sampler(final GaussianPrior prior, final boolean[] obs, final double sigma, final Method m, final int steps, final double[] v) {
		final DiffusionSampler.Config cfg = new DiffusionSampler.Config(m, Schedule.linear(), steps, BaseStep.DDPM, 1, null, m.start() == Method.Start.POSTERIOR_MEAN ? 500 : 0);
		final double[] postMean = m.start() == Method.Start.POSTERIOR_MEAN ? new InpaintingPosterior(prior, obs, sigma).mean(v, null) : null;
		return new InpaintingSampler(prior, obs, sigma, cfg, postMean);
	}

	private static void againstDense(final Method m, final double sigma) {
		final GaussianPrior prior = SuperResolutionSamplerTest.prior(H, W, 21);
		final boolean[] obs = mask();
		final double[] v = measurement(obs, 4);
		final InpaintingSampler is = sampler(prior, obs, sigma, m, 7, v);
		final DMatrixRMaj a = DenseSamplerLaw.inpainting(obs);
		final DMatrixRMaj sig = Dense.circulantFromSpectrum(prior.plane(), prior.spectrum().values());
		final double[] mu = new double[H * W];
		java.util.Arrays.fill(mu, prior.mean());
		final StepGrid g = is.grid();
		final DenseSamplerLaw.Law dense = DenseSamplerLaw.law(m.key, a, sig, mu, sigma, new DenseSamplerLaw.Steps(g.abT, g.abS, g.phi, g.psi, g.nu), is.weights());
		final double[] vOmega = new double[a.numRows];
		for (int i = 0, j = 0; i < obs.length; i++) if (obs[i]) vOmega[j++] = v[i];
		final double[] dm = dense.mean(vOmega), mean = is.mean(v, null);
		final String tag = m.key + " σ=" + sigma;
		for (int i = 0; i < mean.length; i++) assertEquals(dm[i], mean[i], 1e-8 * (1 + Math.abs(dm[i])), tag + " mean pixel " + i);
		final double[] s = is.covariance(null);
		final int d = H * W;
		double scale = 0;
		for (int i = 0; i < d * d; i++) scale = Math.max(scale, Math.abs(dense.S().get(i)));
		// (ScoreALD's heuristic diverges with 7 steps on this mask — 1e19 — and both agree to rounding.)
		for (int i = 0; i < d * d; i++) assertEquals(dense.S().get(i), s[i], 1e-9 * (1 + scale), tag + " covariance entry " + i);
	}

	@Test
	void everyMethodsLawIsTheDenseLaw() {
		for (final Method m : Methods.ALL) {
			if (!m.linear()) continue;
			againstDense(m, 0.1);
		}
		for (final Method m : new Method[] { Methods.DDRM, Methods.DDNM, Methods.CGDM }) againstDense(m, 0);
	}

	@Test
	void stepByStepSamplesFollowTheLaw() {
		final GaussianPrior prior = SuperResolutionSamplerTest.prior(H, W, 22);
		final boolean[] obs = mask();
		final double[] v = measurement(obs, 5);
		final int nSamples = 3000, d = H * W;
		for (final int steps : new int[] { 2, 6 }) for (final Method m : Methods.ALL) {
			if (!m.linear()) continue;
			final InpaintingSampler is = sampler(prior, obs, 0.1, m, steps, v);
			final double[] mean = is.mean(v, null), cov = is.covariance(null);
			final double[] sum = new double[d], x = new double[d];
			final double[][] outer = new double[d][d];
			final InpaintingSampler.Stepper st = is.stepper(v);
			final SplittableRandom rng = new SplittableRandom(31);
			for (int s = 0; s < nSamples; s++) {
				st.sample(x, rng.split(), null);
				for (int i = 0; i < d; i++) {
					sum[i] += x[i];
					for (int l = 0; l < d; l++) outer[i][l] += (x[i] - mean[i]) * (x[l] - mean[l]);
				}
			}
			double err = 0, fro = 0, tr = 0;
			for (int i = 0; i < d; i++) {
				final double vi = Math.max(0, cov[i * d + i]);
				final double z = (sum[i] / nSamples - mean[i]) / Math.max(Math.sqrt(vi / nSamples), 1e-12);
				assertTrue(Math.abs(z) < 5, m.key + " n=" + steps + " pixel " + i + " mean z = " + z);
				if (vi > 1e-10) assertTrue(Math.abs(outer[i][i] / nSamples / vi - 1) < 5 * Math.sqrt(2.0 / nSamples), m.key + " n=" + steps + " pixel " + i + " variance off by " + (outer[i][i] / nSamples / vi - 1));
				else assertTrue(outer[i][i] / nSamples < 1e-8, m.key + " pixel " + i + " should be deterministic");
				tr += vi;
				for (int l = 0; l < d; l++) {
					final double e = outer[i][l] / nSamples - cov[i * d + l];
					err += e * e;
					fro += cov[i * d + l] * cov[i * d + l];
				}
			}
			assertTrue(Math.sqrt(err) < 4 * Math.sqrt((fro + tr * tr) / nSamples), m.key + " n=" + steps + ": covariance error " + Math.sqrt(err));
		}
	}

	/** E_v W2² on inpainting against the independent dense reference, for every exact-law method. */
	@Test
	void expectedW2IsTheDenseOne() {
		final GaussianPrior prior = SuperResolutionSamplerTest.prior(H, W, 23);
		final boolean[] obs = mask();
		final double sigma = 0.15;
		final DMatrixRMaj a = DenseSamplerLaw.inpainting(obs);
		final DMatrixRMaj sig = Dense.circulantFromSpectrum(prior.plane(), prior.spectrum().values());
		final double[] mu = new double[H * W];
		java.util.Arrays.fill(mu, prior.mean());
		final InpaintingPosterior post = new InpaintingPosterior(prior, obs, sigma);
		for (final Method m : Methods.ALL) {
			if (!m.linear()) continue;
			final double[] v = measurement(obs, 6);
			final InpaintingSampler is = sampler(prior, obs, sigma, m, 5, v);
			final StepGrid g = is.grid();
			final DenseSamplerLaw.Law dense = DenseSamplerLaw.law(m.key, a, sig, mu, sigma, new DenseSamplerLaw.Steps(g.abT, g.abS, g.phi, g.psi, g.nu), is.weights());
			final double expected = DenseSamplerLaw.expectedW2Squared(dense, DenseSamplerLaw.posterior(a, sig, mu, sigma), a, sig, mu, sigma);
			final double got = is.expectedW2(post, sigma, null)[0];
			assertEquals(expected, got, 1e-7 * (1 + Math.abs(expected)), m.key + " E_v W2²");
		}
	}

	/**
	 * σ = 0: the posterior lives on the hole (its factor has the hole's rank) and CGDM's bracket is
	 * Γ_ΩΩ alone; against the dense reference for the methods defined there.
	 */
	@Test
	void expectedW2AtZeroNoiseIsTheDenseOne() {
		final GaussianPrior prior = SuperResolutionSamplerTest.prior(H, W, 25);
		final boolean[] obs = mask();
		final DMatrixRMaj a = DenseSamplerLaw.inpainting(obs);
		final DMatrixRMaj sig = Dense.circulantFromSpectrum(prior.plane(), prior.spectrum().values());
		final double[] mu = new double[H * W];
		java.util.Arrays.fill(mu, prior.mean());
		final InpaintingPosterior post = new InpaintingPosterior(prior, obs, 0);
		for (final Method m : new Method[] { Methods.DDNM, Methods.CGDM, Methods.DDRM }) {
			final InpaintingSampler is = sampler(prior, obs, 0, m, 6, measurement(obs, 8));
			final StepGrid g = is.grid();
			final DenseSamplerLaw.Law dense = DenseSamplerLaw.law(m.key, a, sig, mu, 0, new DenseSamplerLaw.Steps(g.abT, g.abS, g.phi, g.psi, g.nu), is.weights());
			final double expected = DenseSamplerLaw.expectedW2Squared(dense, DenseSamplerLaw.posterior(a, sig, mu, 0), a, sig, mu, 0);
			assertEquals(expected, is.expectedW2(post, 0, null)[0], 1e-6 * (1 + Math.abs(expected)), m.key + " E_v W2² at σ = 0");
		}
	}

	/** Above the former 32×32 limit (33×32 pixels), CGDM's law and E_v W2² against the dense reference. */
	@Test
	void aLawAboveThirtyTwoSquaredIsTheDenseOne() {
		final int h = 33, w = 32, d = h * w;
		final GaussianPrior prior = SuperResolutionSamplerTest.prior(h, w, 26);
		final boolean[] obs = holeMask(h, w, 5, 17, 9, 16, 37);
		final double sigma = 0.2;
		final DiffusionSampler.Config cfg = new DiffusionSampler.Config(Methods.CGDM, Schedule.linear(), 2, BaseStep.DDPM, 1, null, 0);
		final InpaintingSampler is = new InpaintingSampler(prior, obs, sigma, cfg, null);
		final DMatrixRMaj a = DenseSamplerLaw.inpainting(obs);
		final DMatrixRMaj sig = Dense.circulantFromSpectrum(prior.plane(), prior.spectrum().values());
		final double[] mu = new double[d];
		java.util.Arrays.fill(mu, prior.mean());
		final StepGrid g = is.grid();
		final DenseSamplerLaw.Law dense = DenseSamplerLaw.law("cgdm", a, sig, mu, sigma, new DenseSamplerLaw.Steps(g.abT, g.abS, g.phi, g.psi, g.nu), is.weights());
		final double expected = DenseSamplerLaw.expectedW2Squared(dense, DenseSamplerLaw.posterior(a, sig, mu, sigma), a, sig, mu, sigma);
		assertEquals(expected, is.expectedW2(new InpaintingPosterior(prior, obs, sigma), sigma, null)[0], 1e-7 * (1 + Math.abs(expected)), "E_v W2² at 33×32");
	}

	@Test
	void theDenseMemoryIsCheckedFirstWithTheFix() {
		final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> InpaintingSampler.checkDenseMemory(1 << 20, 1 << 19, true));
		assertTrue(e.getMessage().contains("MB") && e.getMessage().contains("-Xmx"), e.getMessage());
		InpaintingSampler.checkDenseMemory(42, 30, true);
	}
}
