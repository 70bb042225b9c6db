package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.prior.GaussianPrior;

/** Tuning against MATH §12 (Problem A, η = 1): best constants to the digits given, optimised weights at or below the reference's. */
class WeightTunerTest {

	static final Progress QUIET = new Progress() {
		@Override
		public void update(final long done, final long total) {}

		@Override
		public boolean cancelled() {
			return false;
		}
	};

	private static DiffusionSampler problemA(final Method m, final int n, final double[] w) {
		final GaussianPrior prior = RegressionTest.problemAPrior();
		return new DiffusionSampler(prior, BlurOperator.of(OperatorSpec.gaussian(1.5), 32, 32), 0.05, new DiffusionSampler.Config(m, Schedule.linear(), n, BaseStep.DDIM, 1, w, 0));
	}

	/**
	 * The smooth stage (K cosines in t): its gradient Φᵀ∂ℒ/∂θ against central differences in the K
	 * coefficients (with the smoothness penalty on, and for DDNM's logistic weights); its loss lies
	 * between the best constant (its start) and the per-step optimum that continues from it, and well
	 * below the constant — a wrong gradient stops its line search at the start.
	 */
	@Test
	void theSmoothStageHasTheExactGradientAndSitsBetweenConstantAndPerStep() {
		for (final Method m : new Method[] { Methods.PIGDM, Methods.DDNM }) {
			final WeightTuner tuner = new WeightTuner(new WeightObjective(problemA(m, 20, null)), 0.3, 300, 5);
			final double[] start = new double[20], h = problemA(m, 20, null).weights();
			for (int j = 0; j < 20; j++) start[j] = m == Methods.DDNM ? 0.6 : 0.8 * h[j];
			final org.spectralposterior.core.optim.Lbfgs.Function f = tuner.smoothObjective(tuner.startTheta(start), () -> false);
			final double[] a = { 0.3, -0.2, 0.1, 0.05, -0.1 }, g = new double[5], scratch = new double[5];
			f.evaluate(a, g);
			for (int i = 0; i < 5; i++) {
				final double e = 1e-5, ap[] = a.clone(), am[] = a.clone();
				ap[i] += e;
				am[i] -= e;
				final double fd = (f.evaluate(ap, scratch) - f.evaluate(am, scratch)) / (2 * e);
				assertEquals(fd, g[i], 1e-5 * (1 + Math.abs(fd)), m + " ∂/∂a_" + i);
			}
			final WeightTuner.Result r = new WeightTuner(new WeightObjective(problemA(m, 20, null)), 0, 300, 5).tune(QUIET);
			assertTrue(r.smoothLoss() < r.constantLoss() && r.tunedLoss() <= r.smoothLoss() * (1 + 1e-12), m + ": constant " + r.constantLoss() + ", smooth " + r.smoothLoss() + ", per step " + r.tunedLoss());
			assertTrue(r.constantLoss() - r.smoothLoss() > 0.3 * (r.constantLoss() - r.tunedLoss()), m + ": the smooth curve takes a good part of the per-step gain");
			// Every reported loss is the loss of the weights reported with it.
			final WeightObjective check = new WeightObjective(problemA(m, 20, null));
			assertEquals(check.value(r.smooth()), r.smoothLoss(), 1e-12 * r.smoothLoss(), m + " smooth loss of the smooth weights");
			assertEquals(check.value(r.tuned()), r.tunedLoss(), 1e-12 * r.tunedLoss(), m + " tuned loss of the tuned weights");
			assertTrue(Double.isNaN(new WeightTuner(new WeightObjective(problemA(m, 20, null)), 0, 30).tune(QUIET).smoothLoss()), "no smooth stage by default");
		}
		assertThrows(IllegalArgumentException.class, () -> new WeightTuner(new WeightObjective(problemA(Methods.DPS, 20, null)), 0, 30, -1));
	}

	@Test
	void problemATable() {
		// { method, n, best constant (3 decimals), optimised (reference's local optimum: an upper bound) }
		final Object[][] table = { { Methods.DPS, 20, 2.929, 2.123 }, { Methods.DPS, 50, 1.214, 0.846 }, { Methods.PIGDM, 20, 1.987, 1.818 }, { Methods.PIGDM, 50, 0.804, 0.639 } };
		for (final Object[] row : table) {
			final Method m = (Method) row[0];
			final int n = (int) row[1];
			final WeightTuner.Result r = new WeightTuner(new WeightObjective(problemA(m, n, null)), 0, 500).tune(QUIET);
			final String what = m + " n=" + n;
			assertEquals((double) row[2], r.constantLoss(), 6e-4, what + " best constant");
			assertTrue(r.tunedLoss() <= (double) row[3] + 1e-3, what + ": tuned " + r.tunedLoss() + " above the reference " + row[3]);
			assertTrue(r.tunedLoss() < r.constantLoss() && r.constantLoss() <= r.heuristicLoss(), what + " ordering");
			assertEquals(n, r.timesteps().length);
			// The tuned weights, given back to the sampler as a custom list, have that loss.
			final DiffusionSampler custom = problemA(m, n, r.tuned());
			final double check = Wasserstein.expected(custom.closedForm().law(), custom.posterior(), custom.prior, 0.05).squared();
			assertEquals(r.tunedLoss(), check, 1e-9 * check, what + " through the closed form");
		}
	}

	@Test
	void binnedSearchFindsWeightsAsGoodAsTheFullOne() {
		final GaussianPrior prior = RegressionTest.problemAPriorOfSize(96);
		final DiffusionSampler ds = new DiffusionSampler(prior, BlurOperator.of(OperatorSpec.motion(7, 20), 96, 96), 0.05,
			new DiffusionSampler.Config(Methods.DPS, Schedule.linear(), 20, BaseStep.DDIM, 1, null, 0));
		final WeightObjective exact = new WeightObjective(ds), binned = exact.binned(32);
		assertTrue(binned.entries() < exact.entries() / 3, binned.entries() + " groups for " + exact.entries() + " frequencies");
		final double h = exact.value(ds.weights());
		assertEquals(h, binned.value(ds.weights()), 0.03 * h, "the grouped objective approximates the full one");
		final WeightTuner.Result full = new WeightTuner(exact, 0, 300).tune(QUIET);
		final WeightTuner.Result viaBins = new WeightTuner(exact, 0, 300).refine(new WeightTuner(binned, 0, 300).tune(QUIET), 30, QUIET);
		assertEquals(full.heuristicLoss(), viaBins.heuristicLoss(), 1e-12 * h, "losses are the full objective's");
		assertEquals(full.constantLoss(), viaBins.constantLoss(), 1e-3 * full.constantLoss(), "the same best constant");
		assertTrue(viaBins.tunedLoss() <= 1.01 * full.tunedLoss(), "groups + 30 full iterations: " + viaBins.tunedLoss() + " vs the full search's " + full.tunedLoss());
	}

	@Test
	void aGroupedSearchScoredExactlyIsWithinOnePercentOfTheFullOptimumAt256() {
		// Issue 11: search on a few hundred (λ, ρ) groups, report every loss on all frequencies, no refinement.
		final GaussianPrior prior = RegressionTest.problemAPriorOfSize(256);
		final DiffusionSampler ds = new DiffusionSampler(prior, BlurOperator.of(OperatorSpec.gaussian(2), 256, 256), 0.05,
			new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 15, BaseStep.DDPM, 1, null, 0));
		final WeightObjective exact = new WeightObjective(ds), grouped = exact.binned(32);
		assertTrue(grouped.entries() < 1100, grouped.entries() + " groups");
		final WeightTuner.Result full = new WeightTuner(exact, 0, 300).tune(QUIET);
		final WeightTuner.Result scored = WeightTuner.scored(new WeightTuner(grouped, 0, 300).tune(QUIET), exact, () -> false);
		final double excess = scored.tunedLoss() / full.tunedLoss() - 1;
		System.out.printf("grouped (%d groups) vs full (%d frequencies) at 256²: E_v W2² %.6g vs %.6g, excess %.3f %%%n", grouped.entries(), exact.entries(), scored.tunedLoss(), full.tunedLoss(),
			100 * excess);
		assertTrue(excess < 0.01, "excess " + 100 * excess + " %");
		// Every figure is the exact objective's, in order.
		assertEquals(exact.value(scored.heuristic()), scored.heuristicLoss(), 1e-9 * scored.heuristicLoss());
		assertEquals(exact.value(scored.tuned()), scored.tunedLoss(), 1e-9 * scored.tunedLoss());
		final double[] c = scored.heuristic().clone();
		for (int j = 0; j < c.length; j++) c[j] *= scored.bestConstant();
		assertEquals(exact.value(c), scored.constantLoss(), 1e-9 * scored.constantLoss());
		assertTrue(scored.tunedLoss() <= scored.constantLoss() && scored.constantLoss() <= scored.heuristicLoss());
		// The fused evaluation of several vectors equals their separate values.
		final double[] v = exact.values(() -> false, scored.heuristic(), c, scored.tuned());
		assertEquals(scored.heuristicLoss(), v[0], 1e-12 * v[0]);
		assertEquals(scored.tunedLoss(), v[2], 1e-12 * v[2]);
	}

	/** ΠGDM, 20 DDPM steps, on problem A's 96² prior with a 7-px motion blur at 20° and σ = 0.05. */
	private static WeightObjective pigdmOnMotion96() {
		final GaussianPrior prior = RegressionTest.problemAPriorOfSize(96);
		return new WeightObjective(new DiffusionSampler(prior, BlurOperator.of(OperatorSpec.motion(7, 20), 96, 96), 0.05,
			new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 20, BaseStep.DDPM, 1, null, 0)));
	}

	@Test
	void aGroupsConstantWorseThanTheHeuristicOnAllFrequenciesIsReportedAsCEqualsOne() {
		final WeightObjective exact = pigdmOnMotion96();
		final double[] h = exact.heuristicWeights();
		// A search result whose constant is far off (c = 50) and whose weights are that constant.
		final double[] far = h.clone();
		for (int j = 0; j < far.length; j++) far[j] *= 50;
		final WeightTuner.Result bad = new WeightTuner.Result(exact.timesteps(), h, Double.NaN, 50, Double.NaN, far, Double.NaN, 0, "test");
		final WeightTuner.Result r = WeightTuner.scored(bad, exact, () -> false);
		assertTrue(exact.value(far) > exact.value(h), "the test needs a constant worse than the heuristic");
		assertEquals(1, r.bestConstant());
		assertEquals(r.heuristicLoss(), r.constantLoss(), 0);
		assertEquals(r.heuristicLoss(), r.tunedLoss(), 0, "the tuned weights fall back to the best constant known");
	}

	@Test
	void theReportedBestConstantIsChosenOnTheExactObjectiveNotOnTheGroups() {
		// Few, coarse groups: their best constant is off; the refined result's constant (and its loss) must
		// be the exact objective's own best constant, never worse than the heuristic.
		final WeightObjective exact = pigdmOnMotion96();
		final WeightTuner.Result full = new WeightTuner(exact, 0, 0).tune(QUIET);
		final WeightTuner.Result coarse = new WeightTuner(exact.binned(3), 0, 50).tune(QUIET);
		final WeightTuner.Result viaBins = new WeightTuner(exact, 0, 0).refine(coarse, 0, QUIET);
		assertTrue(Math.abs(Math.log(coarse.bestConstant() / full.bestConstant())) > 0.01, "the groups' constant differs (else this test shows nothing): " + coarse.bestConstant() + " vs " + full.bestConstant());
		assertEquals(full.constantLoss(), viaBins.constantLoss(), 1e-4 * full.constantLoss(), "the exact best constant, c = " + viaBins.bestConstant() + " vs " + full.bestConstant());
		assertTrue(viaBins.constantLoss() <= viaBins.heuristicLoss());
	}

	@Test
	void ddnmWeightsStayFractions() {
		final WeightTuner.Result r = new WeightTuner(new WeightObjective(problemA(Methods.DDNM, 20, null)), 0, 100).tune(QUIET);
		for (final double w : r.tuned()) assertTrue(w >= 0 && w <= 1, "DDNM weight " + w);
		assertTrue(r.tunedLoss() <= r.constantLoss());
	}

	@Test
	void smoothnessFlattensTheWeights() {
		final WeightTuner.Result free = new WeightTuner(new WeightObjective(problemA(Methods.DPS, 20, null)), 0, 300).tune(QUIET);
		final WeightTuner.Result smooth = new WeightTuner(new WeightObjective(problemA(Methods.DPS, 20, null)), 10, 300).tune(QUIET);
		assertTrue(roughness(smooth.tuned()) < roughness(free.tuned()), roughness(smooth.tuned()) + " vs " + roughness(free.tuned()));
		assertTrue(smooth.tunedLoss() >= free.tunedLoss() - 1e-9);
	}

	private static double roughness(final double[] w) {
		double s = 0;
		for (int j = 0; j + 1 < w.length; j++) s += (w[j + 1] - w[j]) * (w[j + 1] - w[j]);
		return s;
	}

	@Test
	void cancellationStopsIt() {
		final Progress cancelled = new Progress() {
			@Override
			public void update(final long done, final long total) {}

			@Override
			public boolean cancelled() {
				return true;
			}
		};
		assertThrows(CancellationException.class, () -> new WeightTuner(new WeightObjective(problemA(Methods.DPS, 20, null)), 0, 100).tune(cancelled));
	}
}
