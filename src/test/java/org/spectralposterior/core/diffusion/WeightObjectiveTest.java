package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.prior.GaussianPrior;

/** ℒ(w) and its adjoint gradient against the closed form + expected W2, and against finite differences. */
class WeightObjectiveTest {

	static final Method[] TUNABLE = { Methods.DPS, Methods.PIGDM, Methods.CGDM, Methods.DDNM, Methods.SCORE_ALD };

	/** An odd, non-square grid with a non-zero mean and an asymmetric (motion) blur. */
	static GaussianPrior oddPrior() {
		final HalfPlane plane = new HalfPlane(15, 12);
		final double[] lam = new double[plane.size];
		for (int i = 0; i < lam.length; i++) lam[i] = 3 / Math.pow(1 + 0.3 * (Math.pow(plane.freqRow(i), 2) + 2 * Math.pow(plane.freqCol(i), 2)), 1.2);
		return new GaussianPrior(-0.2, new Spectrum(plane, lam));
	}

	static DiffusionSampler sampler(final GaussianPrior prior, final BlurOperator op, final double sigma, final Method m, final int n, final double eta, final double[] w) {
		return new DiffusionSampler(prior, op, sigma, new DiffusionSampler.Config(m, Schedule.linear(), n, BaseStep.DDIM, eta, w, 0));
	}

	private static double[] randomWeights(final double[] heuristic, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final double[] w = new double[heuristic.length];
		for (int j = 0; j < w.length; j++) w[j] = heuristic[j] * Math.exp(r.nextDouble(-0.7, 0.7));
		return w;
	}

	@Test
	void valueIsTheExpectedW2OfTheClosedForm() {
		final GaussianPrior a = RegressionTest.problemAPrior(), odd = oddPrior();
		final BlurOperator opA = BlurOperator.of(OperatorSpec.gaussian(1.5), 32, 32), opOdd = BlurOperator.of(OperatorSpec.motion(5, 30), 15, 12);
		for (final Method m : TUNABLE) {
			for (final double eta : new double[] { 1, 0 }) {
				for (final Object[] prob : new Object[][] { { a, opA, 0.05 }, { odd, opOdd, 0.1 } }) {
					final GaussianPrior prior = (GaussianPrior) prob[0];
					final BlurOperator op = (BlurOperator) prob[1];
					final double sigma = (double) prob[2];
					final DiffusionSampler heur = sampler(prior, op, sigma, m, 12, eta, null);
					final double[] w = randomWeights(heur.weights(), 7);
					final DiffusionSampler custom = sampler(prior, op, sigma, m, 12, eta, w);
					final double expected = Wasserstein.expected(custom.closedForm().law(), custom.posterior(), prior, sigma).squared();
					// Several blocks: the block boundaries must not change anything.
					final double got = new WeightObjective(heur, 37).value(w);
					assertEquals(expected, got, 1e-10 * expected, m + " η=" + eta + " " + prior.plane());
					assertEquals(Wasserstein.expected(heur.closedForm().law(), heur.posterior(), prior, sigma).squared(), new WeightObjective(heur).value(heur.weights()), 1e-10 * expected);
				}
			}
		}
	}

	@Test
	void gradientMatchesCentralDifferences() {
		final GaussianPrior prior = oddPrior();
		final BlurOperator op = BlurOperator.of(OperatorSpec.motion(5, 30), 15, 12);
		// n = 10 runs one checkpointed segment of the forward history; n = 37 three (16 + 16 + 5), so the
		// backward pass restores from checkpoints and crosses segment boundaries.
		for (final int n : new int[] { 10, 37 }) {
			for (final Method m : TUNABLE) {
				final DiffusionSampler ds = sampler(prior, op, 0.1, m, n, 1, null);
				assertGradientMatchesCentralDifferences(new WeightObjective(ds, 29), randomWeights(ds.weights(), 11), m + " n=" + n);
			}
		}
	}

	/** The adjoint gradient of {@code f} at {@code w} against central differences, weight by weight. */
	static void assertGradientMatchesCentralDifferences(final TuningObjective f, final double[] w, final String what) {
		final double[] grad = new double[w.length];
		final double loss = f.evaluate(w, grad, () -> false);
		for (int j = 0; j < w.length; j++) {
			// Central differences: truncation O(h²), round-off ~1e-16·ℒ/h; h = 1e-4·w balances them.
			final double h = 1e-4 * Math.max(1e-3, Math.abs(w[j]));
			final double[] wp = w.clone(), wm = w.clone();
			wp[j] += h;
			wm[j] -= h;
			final double fd = (f.value(wp) - f.value(wm)) / (2 * h);
			assertEquals(fd, grad[j], 1e-6 * Math.abs(fd) + 1e-12 * loss / h, what + " ∂ℒ/∂w_" + j);
		}
	}

	@Test
	void normalisedDpsAndUnweightedMethodsAreRefused() {
		final GaussianPrior prior = oddPrior();
		final BlurOperator op = BlurOperator.of(OperatorSpec.motion(5, 30), 15, 12);
		for (final Method m : new Method[] { Methods.DPS_NORMALIZED, Methods.UNCONDITIONAL }) {
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WeightObjective(sampler(prior, op, 0.1, m, 10, 1, null)));
			assertTrue(e.getMessage().contains(m.label), e.getMessage());
		}
	}
}
