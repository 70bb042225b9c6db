package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.metric.DenseGaussian;
import org.spectralposterior.core.metric.MonteCarloW2;
import org.spectralposterior.core.metric.PixelMarginalW2;
import org.spectralposterior.core.posterior.InpaintingPosterior;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The Monte-Carlo W2² on inpainting from step-by-step samples ({@link PixelMarginalW2}) where the
 * dense law exists too (16×15, an off-centre hole plus scattered pixels): its interval covers the
 * exact pixel-marginal value in at least 34 of 40 independent runs of 12 samples, every interval is
 * ≥ the exact mean part ≥ 0, and the exact pixel-marginal value is a lower bound of the exact dense
 * W2². With 240 pixels and 12 samples the plug-in's bias (≈ Σ_p S_pp/(2s)) is several standard
 * errors, so the coverage fails without the jackknife correction.
 */
class InpaintingMonteCarloTest {

	@Test
	void intervalsCoverTheExactValueAndBoundW2FromBelow() {
		final int h = 16, w = 15, d = h * w;
		final GaussianPrior prior = SuperResolutionSamplerTest.prior(h, w, 24);
		final boolean[] obs = InpaintingSamplerTest.holeMask(h, w, 4, 10, 3, 9, 17);
		final SplittableRandom mr = new SplittableRandom(7);
		final double[] v = new double[d];
		for (int p = 0; p < d; p++) v[p] = obs[p] ? 0.3 + mr.nextGaussian() : Double.NaN;
		final double sigma = 0.1;
		final InpaintingPosterior post = new InpaintingPosterior(prior, obs, sigma);
		final double[] postMean = post.mean(v, null), postVar = post.variance(null);
		for (final Method m : new Method[] { Methods.DPS, Methods.PIGDM }) {
			final DiffusionSampler.Config cfg = new DiffusionSampler.Config(m, Schedule.linear(), 4, BaseStep.DDPM, 1, null, 0);
			final InpaintingSampler is = new InpaintingSampler(prior, obs, sigma, cfg, null);
			final double[] mean = is.mean(v, null), cov = is.covariance(null);
			double exactMarginal = 0, meanPart = 0;
			for (int p = 0; p < d; p++) {
				final double dm = mean[p] - postMean[p], ds = Math.sqrt(Math.max(0, cov[p * d + p])) - Math.sqrt(postVar[p]);
				meanPart += dm * dm;
				exactMarginal += dm * dm + ds * ds;
			}
			final double w2 = DenseGaussian.bures(cov.clone(), post.denseFactor(d, null), null) + meanPart;
			assertTrue(exactMarginal <= w2 * (1 + 1e-9), m.key + ": the marginal bound " + exactMarginal + " exceeds W2² " + w2);
			assertTrue(exactMarginal - meanPart > 0.05 * exactMarginal, m.key + ": the pixel part is not negligible, so coverage is a real test");
			final InpaintingSampler.Stepper st = is.stepper(v);
			final SplittableRandom rng = new SplittableRandom(91);
			final double[] x = new double[d];
			int covered = 0;
			final int runs = 40;
			for (int r = 0; r < runs; r++) {
				final PixelMarginalW2 mc = new PixelMarginalW2(mean, postMean, postVar);
				for (int s = 0; s < 12; s++) {
					st.sample(x, rng.split(), null);
					mc.add(x);
				}
				assertEquals(meanPart, mc.meanPart(), 1e-12 * (1 + meanPart));
				final MonteCarloW2.Estimate e = mc.estimate();
				assertTrue(e.low() >= meanPart * (1 - 1e-12) && e.low() <= e.w2Squared() && e.w2Squared() <= e.high(), m.key + ": interval " + e);
				assertTrue(e.high() - e.low() < exactMarginal, m.key + ": the interval is informative: " + e);
				if (e.low() <= exactMarginal && exactMarginal <= e.high()) covered++;
			}
			assertTrue(covered >= 34, m.key + ": " + covered + " of " + runs + " intervals cover the exact " + exactMarginal);
		}
	}
}
