package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Noise-schedule design: the objective against the engine's own unconditional closed form (an
 * independent route to the same law), its gradient against central differences for both criteria,
 * DDPM and DDIM(η), with a non-zero mean; the designed schedule beats the linear and cosine ones on the
 * objective it minimises; and the binned search's optimum, scored on every frequency, is within 1 % of
 * the unbinned optimum on a 256² prior.
 */
class ScheduleDesignTest {

	/** A power-law texture spectrum (λ ∝ 1/(1 + |k|²/16)^1.5) with a non-zero mean, in [−1, 1] units. */
	static GaussianPrior prior(final int h, final int w) {
		final HalfPlane plane = new HalfPlane(h, w);
		final double[] lam = new double[plane.size];
		// λ_DC > 0 (an image mean that varies) so that the mean term of the objective is exercised.
		for (int i = 0; i < plane.size; i++) {
			final double kr = plane.freqRow(i), kc = plane.freqCol(i);
			lam[i] = 0.02 * plane.pixels / (plane.pixels / 40.0) / Math.pow(1 + (kr * kr + kc * kc) / 16, 1.5);
		}
		return new GaussianPrior(0.2, new Spectrum(plane, lam));
	}

	@Test
	void objectiveIsTheEnginesUnconditionalLaw() {
		final GaussianPrior p = prior(12, 9);
		for (final BaseStep base : BaseStep.values()) {
			final double eta = base == BaseStep.DDIM ? 0.3 : 0;
			final DiffusionSampler.Config cfg = new DiffusionSampler.Config(Methods.UNCONDITIONAL, Schedule.linear(), 7, base, eta, null, 0);
			final DiffusionSampler s = new DiffusionSampler(p, BlurOperator.of(OperatorSpec.none(), 12, 9), 0.1, cfg);
			final OutputLaw law = s.closedForm().law();
			final double[] lam = p.spectrum().values();
			double w2 = 0, kl = 0;
			for (int k = 0; k < lam.length; k++) {
				final double m = p.plane().multiplicity(k), dq = k == 0 ? law.q()[0] - p.meanDc() : 0;
				final double e = Math.sqrt(law.s2()[k]) - Math.sqrt(lam[k]);
				w2 += m * e * e + dq * dq;
				if (lam[k] > 0) kl += m * 0.5 * (law.s2()[k] / lam[k] - 1 - Math.log(law.s2()[k] / lam[k])) + dq * dq / (2 * lam[k]);
			}
			final double[] ab = ScheduleDesign.alphaBars(Schedule.linear(), 7);
			assertEquals(s.grid().abT[0], ab[0], 1e-15);
			final ScheduleDesign.Nodes nodes = ScheduleDesign.Nodes.of(p);
			assertEquals(w2, new ScheduleDesign(nodes, base, eta, ScheduleDesign.Criterion.W2).value(ab, null), 1e-9 * w2, base + " W2");
			assertEquals(kl, new ScheduleDesign(nodes, base, eta, ScheduleDesign.Criterion.KL).value(ab, null), 1e-9 * kl, base + " KL");
		}
	}

	@Test
	void gradientIsTheFiniteDifference() {
		final ScheduleDesign.Nodes nodes = ScheduleDesign.Nodes.of(prior(10, 11));
		final double[] th = ScheduleDesign.toTheta(ScheduleDesign.alphaBars(Schedule.cosine(1000), 6));
		for (final BaseStep base : BaseStep.values()) {
			for (final ScheduleDesign.Criterion c : ScheduleDesign.Criterion.values()) {
				final double eta = base == BaseStep.DDIM ? 0.5 : 0;
				final ScheduleDesign d = new ScheduleDesign(nodes, base, eta, c);
				final double[] g = new double[th.length];
				d.valueTheta(th, g);
				CentralDifferences.check(x -> d.valueTheta(x, null), th, g, base + " " + c + " ∂/∂θ");
			}
		}
	}

	@Test
	void designedScheduleBeatsLinearAndCosine() {
		final ScheduleDesign.Nodes nodes = ScheduleDesign.Nodes.of(prior(32, 30));
		for (final int n : new int[] { 5, 10 }) {
			for (final ScheduleDesign.Criterion c : ScheduleDesign.Criterion.values()) {
				final ScheduleDesign d = new ScheduleDesign(nodes, BaseStep.DDIM, 0, c);
				final double lin = d.value(ScheduleDesign.alphaBars(Schedule.linear(), n), null), cos = d.value(ScheduleDesign.alphaBars(Schedule.cosine(1000), n), null);
				final ScheduleDesign.Result r = d.design(ScheduleDesign.alphaBars(Schedule.linear(), n), 300, () -> false);
				assertTrue(r.value() < 0.9 * Math.min(lin, cos), c + " n=" + n + ": designed " + r.value() + " vs linear " + lin + ", cosine " + cos);
				for (int j = 1; j < n; j++) assertTrue(r.alphaBars()[j] > r.alphaBars()[j - 1], "monotone by construction");
			}
		}
	}

	@Test
	void aWarmStartCarriesTheCoarseScheduleAndStartsNearTheOptimum() {
		final double[] coarse = ScheduleDesign.alphaBars(Schedule.cosine(1000), 5);
		// The coarse schedule on its own grid is itself; on a finer one its nodes are kept where the grids meet.
		final double[] same = ScheduleDesign.warmStart(coarse, 5);
		for (int j = 0; j < 5; j++) assertEquals(coarse[j], same[j], 1e-15 * coarse[j] + 1e-300, "node " + j);
		final double[] fine = ScheduleDesign.warmStart(coarse, 9);
		for (int i = 0; i < 5; i++) assertEquals(coarse[i], fine[2 * i], 1e-12, "u = " + i / 4.0);
		for (int j = 1; j < 9; j++) assertTrue(fine[j] > fine[j - 1], "strictly increasing");
		// Between two nodes: logit ᾱ is their mean at the midpoint.
		final double mid = Math.log(fine[1] / (1 - fine[1])), l0 = Math.log(coarse[0] / (1 - coarse[0])), l1 = Math.log(coarse[1] / (1 - coarse[1]));
		assertEquals(0.5 * (l0 + l1), mid, 1e-12);
		// The optimum at n = 5 carried to n = 10 starts closer to the n = 10 optimum than linear does, and ends there.
		final ScheduleDesign d = new ScheduleDesign(ScheduleDesign.Nodes.of(prior(32, 30)), BaseStep.DDIM, 0, ScheduleDesign.Criterion.W2);
		final double[] lin10 = ScheduleDesign.alphaBars(Schedule.linear(), 10);
		final double[] carried = ScheduleDesign.warmStart(d.design(ScheduleDesign.alphaBars(Schedule.linear(), 5), 300, () -> false).alphaBars(), 10);
		final ScheduleDesign.Result cold = d.design(lin10, 300, () -> false), warm = d.design(carried, 300, () -> false);
		assertTrue(d.value(carried, null) < d.value(lin10, null), "the carried start " + d.value(carried, null) + " beats linear " + d.value(lin10, null));
		assertTrue(warm.value() <= 1.01 * cold.value(), "warm " + warm.value() + " vs cold " + cold.value());
		assertThrows(IllegalArgumentException.class, () -> ScheduleDesign.warmStart(new double[] { 0.5 }, 4));
	}

	@Test
	void binnedOptimumIsWithinOnePercentOfTheExactOne() {
		final ScheduleDesign.Nodes all = ScheduleDesign.Nodes.of(prior(256, 256));
		final ScheduleDesign.Nodes binned = all.binned(512);
		assertTrue(binned.lambda().length <= 512);
		final double[] start = ScheduleDesign.alphaBars(Schedule.linear(), 10);
		final ScheduleDesign exact = new ScheduleDesign(all, BaseStep.DDPM, 0, ScheduleDesign.Criterion.W2);
		final double fromBins = exact.value(new ScheduleDesign(binned, BaseStep.DDPM, 0, ScheduleDesign.Criterion.W2).design(start, 300, () -> false).alphaBars(), null);
		final double optimum = exact.design(start, 300, () -> false).value();
		assertTrue(fromBins <= 1.01 * optimum, "binned optimum scored exactly " + fromBins + " vs exact optimum " + optimum);
		assertTrue(optimum < exact.value(start, null), "the design improves on its start");
	}

	@Test
	void theDesignedTableReproducesTheDesignedSteps() {
		final double[] ab = new ScheduleDesign(ScheduleDesign.Nodes.of(prior(16, 16)), BaseStep.DDPM, 0, ScheduleDesign.Criterion.W2)
			.design(ScheduleDesign.alphaBars(Schedule.linear(), 8), 100, () -> false).alphaBars();
		// Posterior Sampling runs it as schedule=table timesteps=n steps=n: the strided grid is then every timestep.
		final Schedule table = Schedule.parse("table", 8, java.util.Arrays.stream(ScheduleDesign.asTable(ab)).mapToObj(Double::toString).reduce((a, b) -> a + "," + b).orElseThrow());
		final StepGrid grid = new StepGrid(table, 8, 8, BaseStep.DDPM, 0);
		for (int j = 0; j < 8; j++) assertEquals(ab[j], grid.abT[j], 1e-15, "step " + j);
	}
}
