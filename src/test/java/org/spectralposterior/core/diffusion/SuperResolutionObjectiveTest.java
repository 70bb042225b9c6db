package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The super-resolution tuning objective: its value is the closed form's E_v W2² (GroupLaw.expected,
 * itself checked against dense algebra) for arbitrary weights, and its adjoint gradient matches
 * central finite differences (h = 1e-6 relative; agreement to 1e-5 relative) for every tunable
 * method, on 8×6 with r = 2 (conjugated groups) and an asymmetric PSF.
 */
class SuperResolutionObjectiveTest {

	@Test
	void valueAndGradientOfEveryTunableMethod() {
		final int h = 8, w = 6, r = 2, n = 6;
		final GaussianPrior prior = SuperResolutionSamplerTest.prior(h, w, 31);
		final BlurOperator blur = SuperResolutionSamplerTest.psf(h, w);
		final double sigma = 0.2;
		for (final Method m : Methods.ALL) {
			if (!m.tunable() || !m.linear()) continue;
			final SuperResolutionSampler base = new SuperResolutionSampler(prior, blur, r, sigma, new DiffusionSampler.Config(m, Schedule.linear(), n, BaseStep.DDPM, 1, null, 0));
			final SuperResolutionObjective obj = new SuperResolutionObjective(base, prior, sigma);
			final double[] wt = base.weights();
			final SplittableRandom rng = new SplittableRandom(5);
			// Off the heuristic, and inside DDNM's (0, 1): at w = 1 it pins what A sees, a singular law where Bures is not smooth.
			for (int j = 0; j < n; j++) wt[j] *= 0.3 + 0.6 * rng.nextDouble();
			final SuperResolutionSampler at = new SuperResolutionSampler(prior, blur, r, sigma, new DiffusionSampler.Config(m, Schedule.linear(), n, BaseStep.DDPM, 1, wt, 0));
			final double closed = at.closedForm().law().expected(at.posterior(), prior, sigma).squared();
			final double[] grad = new double[n];
			final double value = obj.evaluate(wt, grad, () -> false);
			assertEquals(closed, value, 1e-9 * (1 + closed), m.key + " value");
			for (int j = 0; j < n; j++) {
				final double step = 1e-6 * Math.max(1e-3, Math.abs(wt[j]));
				final double[] up = wt.clone(), dn = wt.clone();
				up[j] += step;
				dn[j] -= step;
				final double fd = (obj.value(up) - obj.value(dn)) / (2 * step);
				assertEquals(fd, grad[j], 1e-5 * (Math.abs(fd) + 1e-6 * Math.abs(value)), m.key + " ∂ℒ/∂w_" + j);
			}
			assertTrue(value > 0);
		}
	}

	/** Weights that make the recurrence overflow (the constant search tries 10⁴× the heuristic) give ℒ = ∞, not an exception. */
	@Test
	void divergedWeightsAreInfinitelyFar() {
		final int h = 16, w = 16, n = 200;
		final GaussianPrior prior = SuperResolutionSamplerTest.prior(h, w, 32);
		final SuperResolutionSampler ss = new SuperResolutionSampler(prior, SuperResolutionSamplerTest.psf(h, w), 2, 0.05,
			new DiffusionSampler.Config(Methods.DPS, Schedule.linear(), n, BaseStep.DDPM, 1, null, 0));
		final double[] huge = ss.weights();
		for (int j = 0; j < n; j++) huge[j] *= 1e4;
		final double[] grad = new double[n];
		final double v = new SuperResolutionObjective(ss, prior, 0.05).evaluate(huge, grad, () -> false);
		assertTrue(v == Double.POSITIVE_INFINITY, "diverged ℒ = " + v);
	}
}
