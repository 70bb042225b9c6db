package org.spectralposterior.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.ExactPosterior;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.posterior.ExactPosteriorDenseTest;
import org.spectralposterior.core.prior.GaussianPrior;

class MonteCarloW2Test {

	@Test
	void monteCarloIntervalCoversTheClosedForm() {
		final GaussianPrior prior = ExactPosteriorDenseTest.randomPrior(16, 16, 4);
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(1), 16, 16);
		final OutputLaw post = ExactPosterior.of(prior, op, 0.3);
		final double[] p = post.p().clone(), s2 = post.s2().clone();
		for (int i = 0; i < p.length; i++) {
			p[i] *= 0.7;
			s2[i] *= 2;
		}
		final OutputLaw law = new OutputLaw(op, p, post.q().clone(), s2);
		final double[] v = op.apply(prior.sampler(1).next());
		final double exact = Wasserstein.between(law, post, v).squared();
		final RealFft2 fft = new RealFft2(law.plane());
		final double[] vs = fft.newSpectrum();
		fft.forward(v, vs);
		final MonteCarloW2 mc = new MonteCarloW2(law.plane(), post.meanSpectrum(vs), post.s2());
		final OutputLaw.Sampler sampler = law.sampler(v, 3);
		final double[] x = new double[256], xs = fft.newSpectrum();
		for (int s = 0; s < 400; s++) {
			sampler.next(x);
			fft.forward(x, xs);
			mc.add(xs);
		}
		final MonteCarloW2.Estimate e = mc.estimate();
		assertTrue(e.low() <= exact && exact <= e.high(), "95% interval [" + e.low() + ", " + e.high() + "] should hold " + exact);
		assertTrue(e.high() - e.low() < 0.5 * exact, "and be informative");
	}

	@Test
	void intervalRespectsNonNegativityAndCoversSmallDistances() {
		// Few samples of a sampler at or near the target: the bias correction scatters around a small
		// true W2² and the symmetric jackknife interval reached far below 0. Truncated at 0 it must stay
		// ≥ 0 and still hold the closed-form value (the sampler is linear, so that value is exact).
		final GaussianPrior prior = ExactPosteriorDenseTest.randomPrior(32, 30, 6);
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(1.5), 32, 30);
		final OutputLaw post = ExactPosterior.of(prior, op, 0.5);
		final double[] v = op.apply(prior.sampler(2).next());
		int covered = 0, trials = 0;
		for (final double shrink : new double[] { 1, 0.99 }) {
			final double[] p = post.p().clone();
			for (int i = 0; i < p.length; i++) p[i] *= shrink;
			final OutputLaw law = new OutputLaw(op, p, post.q().clone(), post.s2().clone());
			final double exact = Wasserstein.between(law, post, v).squared();
			final RealFft2 fft = new RealFft2(law.plane());
			final double[] vs = fft.newSpectrum(), x = new double[32 * 30], xs = fft.newSpectrum();
			fft.forward(v, vs);
			for (int seed = 0; seed < 20; seed++) {
				final MonteCarloW2 mc = new MonteCarloW2(law.plane(), post.meanSpectrum(vs), post.s2());
				final OutputLaw.Sampler sampler = law.sampler(v, seed);
				for (int s = 0; s < 5; s++) {
					sampler.next(x);
					fft.forward(x, xs);
					mc.add(xs);
				}
				final MonteCarloW2.Estimate e = mc.estimate();
				assertTrue(e.low() >= 0 && e.w2Squared() >= 0 && e.low() <= e.w2Squared() && e.w2Squared() <= e.high(), "interval [" + e.low() + ", " + e.high() + "] around " + e.w2Squared() + " must lie in W2² ≥ 0");
				trials++;
				if (e.low() <= exact && exact <= e.high()) covered++;
			}
		}
		// 95% nominal; 40 trials: at least 34 (a binomial(40, 0.95) falls below 34 with probability < 0.5%).
		assertTrue(covered >= 34, "the 95% interval held the exact W2² in only " + covered + " of " + trials + " runs");
	}

	@Test
	void withFewSamplesOfASamplerWhoseStdIsWellBelowTheTargetsTheEstimateIsUnbiased() {
		// The case a user met: 4 samples, output std 20 % below the posterior's. Averaged over many runs the
		// estimate must sit on the exact W2² (the former jackknife-corrected plug-in gave half of it).
		final GaussianPrior prior = ExactPosteriorDenseTest.randomPrior(24, 20, 5);
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(1.2), 24, 20);
		final OutputLaw post = ExactPosterior.of(prior, op, 0.4);
		final double[] p = post.p().clone(), s2 = post.s2().clone();
		for (int i = 0; i < p.length; i++) {
			p[i] *= 0.9;
			s2[i] *= 0.64;
		}
		final OutputLaw law = new OutputLaw(op, p, post.q().clone(), s2);
		final double[] v = op.apply(prior.sampler(4).next());
		final double exact = Wasserstein.between(law, post, v).squared();
		final RealFft2 fft = new RealFft2(law.plane());
		final double[] vs = fft.newSpectrum(), x = new double[24 * 20], xs = fft.newSpectrum();
		fft.forward(v, vs);
		final int runs = 300;
		double sum = 0, sumSq = 0;
		int covered = 0;
		for (int seed = 0; seed < runs; seed++) {
			final MonteCarloW2 mc = new MonteCarloW2(law.plane(), post.meanSpectrum(vs), post.s2());
			final OutputLaw.Sampler sampler = law.sampler(v, 1000 + seed);
			for (int s = 0; s < 4; s++) {
				sampler.next(x);
				fft.forward(x, xs);
				mc.add(xs);
			}
			final MonteCarloW2.Estimate e = mc.estimate();
			sum += e.w2Squared();
			sumSq += e.w2Squared() * e.w2Squared();
			if (e.low() <= exact && exact <= e.high()) covered++;
		}
		final double mean = sum / runs, se = Math.sqrt((sumSq / runs - mean * mean) / runs);
		System.out.printf("4 samples, %d runs: mean estimate %.5g ± %.2g (exact %.5g), 95%% interval held it %d times%n", runs, mean, se, exact, covered);
		// Unbiased up to the truncation at 0 (not reached here): within 4 standard errors of the exact value.
		assertTrue(Math.abs(mean - exact) < 4 * se, "mean of the estimates " + mean + " ± " + se + " vs exact " + exact);
		// The t interval on 3 degrees of freedom: nominal 95 %; at least 90 % of 300 runs.
		assertTrue(covered >= 270, "the 95% interval held the exact W2² in " + covered + " of " + runs + " runs");
	}

	@Test
	void theChiMeanFactorAndTheTQuantileAreRight() {
		// c_k = E√(χ²_k/k): c_1 = √(2/π), c_2 = √π/2, c_6 = 0.9594 (tables); t(0.975, 3) = 3.182.
		assertEquals(Math.sqrt(2 / Math.PI), MonteCarloW2.chiMeanFactor(1), 1e-12);
		assertEquals(Math.sqrt(Math.PI) / 2, MonteCarloW2.chiMeanFactor(2), 1e-12);
		assertEquals(0.959369, MonteCarloW2.chiMeanFactor(6), 1e-6);
		assertEquals(1, MonteCarloW2.chiMeanFactor(4000), 1e-4);
		assertEquals(3.182, MonteCarloW2.t975(3), 0);
		assertEquals(2.021, MonteCarloW2.t975(40), 0.002);
	}
}
