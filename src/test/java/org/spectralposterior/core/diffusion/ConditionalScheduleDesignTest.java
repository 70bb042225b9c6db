package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Conditional schedule design: the objective equals Compare Samplers' E_v W2² of a sampler run on the
 * designed table (an independent route: the engine's closed form and {@link Wasserstein#expected}); its
 * gradient equals central differences for every guided method, DDPM and DDIM(η), odd sizes and a
 * non-zero mean; the designed schedule beats the linear and cosine ones for ΠGDM on a blur.
 */
class ConditionalScheduleDesignTest {

	static final List<Method> GUIDED = List.of(Methods.PIGDM, Methods.DPS, Methods.CGDM, Methods.DDNM, Methods.SCORE_ALD);

	static BlurOperator blur(final GaussianPrior p, final double s) {
		return BlurOperator.of(OperatorSpec.gaussian(s), p.plane().height, p.plane().width);
	}

	/** E_v W2² as Compare Samplers computes it, for the sampler Posterior Sampling runs with the table of ᾱ. */
	static double independent(final GaussianPrior p, final BlurOperator op, final double sigma, final Method m, final double[] ab, final BaseStep base, final double eta) {
		final DiffusionSampler s = new DiffusionSampler(p, op, sigma, ConditionalScheduleDesign.config(m, ab, base, eta));
		for (int j = 0; j < ab.length; j++) assertEquals(ab[j], s.grid().abT[j], 1e-15, "the table runs the designed steps");
		return Wasserstein.expected(s.closedForm().law(), s.posterior(), p, sigma).squared();
	}

	@Test
	void objectiveIsCompareSamplersExpectedW2OnTheTable() {
		final GaussianPrior p = ScheduleDesignTest.prior(13, 10);
		final BlurOperator op = blur(p, 1.5);
		final double[] ab = ScheduleDesign.alphaBars(Schedule.cosine(1000), 7);
		for (final Method m : GUIDED) {
			for (final BaseStep base : BaseStep.values()) {
				final double eta = base == BaseStep.DDIM ? 0.4 : 0;
				final double v = new ConditionalScheduleDesign(p, op, 0.05, m, base, eta).value(ab, null);
				final double ref = independent(p, op, 0.05, m, ab, base, eta);
				assertEquals(ref, v, 1e-10 * ref, m.key + " " + base);
			}
		}
	}

	@Test
	void gradientIsTheFiniteDifference() {
		final GaussianPrior p = ScheduleDesignTest.prior(9, 11);
		final BlurOperator op = blur(p, 1.2);
		final double[] ab = ScheduleDesign.alphaBars(Schedule.linear(), 6);
		for (final Method m : GUIDED) {
			for (final BaseStep base : BaseStep.values()) {
				final double eta = base == BaseStep.DDIM ? 0.5 : 0;
				final ConditionalScheduleDesign d = new ConditionalScheduleDesign(p, op, 0.1, m, base, eta);
				final double[] g = new double[ab.length];
				d.value(ab, g);
				for (int i = 0; i < ab.length; i++) {
					final double h = 1e-4 * Math.min(ab[i], 1 - ab[i]) * (i + 1 < ab.length ? Math.min(1, (ab[i + 1] - ab[i]) / ab[i]) : 1);
					final double[] a = ab.clone(), b = ab.clone();
					a[i] += h;
					b[i] -= h;
					final double fd = (d.value(a, null) - d.value(b, null)) / (2 * h);
					assertEquals(fd, g[i], 1e-5 * (1 + Math.abs(fd)), m.key + " " + base + " ∂/∂ᾱ_" + i);
				}
				// And in θ, the variables the search moves.
				final double[] th = ScheduleDesign.toTheta(ab), gt = new double[th.length];
				d.valueTheta(th, gt);
				CentralDifferences.check(x -> d.valueTheta(x, null), th, gt, m.key + " " + base + " ∂/∂θ");
			}
		}
	}

	@Test
	void designedScheduleBeatsLinearAndCosineForPigdm() {
		final GaussianPrior p = ScheduleDesignTest.prior(32, 32);
		final BlurOperator op = blur(p, 1.5);
		final ConditionalScheduleDesign d = new ConditionalScheduleDesign(p, op, 0.05, Methods.PIGDM, BaseStep.DDPM, 0);
		for (final int n : new int[] { 10, 20 }) {
			final double[] lin = ScheduleDesign.alphaBars(Schedule.linear(), n), cos = ScheduleDesign.alphaBars(Schedule.cosine(1000), n);
			final double vl = d.value(lin, null), vc = d.value(cos, null);
			final ScheduleDesign.Result r = d.design(lin, 300, () -> false);
			for (int j = 1; j < n; j++) assertTrue(r.alphaBars()[j] > r.alphaBars()[j - 1], "monotone by construction");
			final double vd = independent(p, op, 0.05, Methods.PIGDM, r.alphaBars(), BaseStep.DDPM, 0);
			assertEquals(vd, r.value(), 1e-10 * vd, "the reported value is the sampler's");
			// The figures of MATH §6.3 (printed: mvn -Dtest=ConditionalScheduleDesignTest#designedScheduleBeatsLinearAndCosineForPigdm).
			System.out.printf(java.util.Locale.ROOT, "PiGDM DDPM 32x32 blur 1.5 sigma 0.05, n = %d: E_v W2^2 linear %.6g, cosine %.6g, designed %.6g%n", n, vl, vc, vd);
			assertTrue(vd < 0.9 * Math.min(vl, vc), "n=" + n + ": designed " + vd + " vs linear " + vl + ", cosine " + vc);
		}
	}

	@Test
	void theBinnedSearchScoredExactlyIsCloseToTheExactSearch() {
		final GaussianPrior p = ScheduleDesignTest.prior(48, 45);
		final BlurOperator op = blur(p, 1.5);
		final ConditionalScheduleDesign all = new ConditionalScheduleDesign(p, op, 0.05, Methods.PIGDM, BaseStep.DDIM, 0), bins = all.binned(24);
		assertTrue(bins.entries() < all.entries() / 2, bins.entries() + " groups of " + all.entries());
		final double[] start = ScheduleDesign.alphaBars(Schedule.linear(), 10);
		final double fromBins = all.value(bins.design(start, 200, () -> false).alphaBars(), null);
		final double optimum = all.design(start, 200, () -> false).value();
		assertTrue(fromBins <= 1.05 * optimum && fromBins < all.value(start, null), "binned optimum scored exactly " + fromBins + " vs exact optimum " + optimum);
	}

	@Test
	void refusesMethodsWithoutAnExactSmoothLaw() {
		for (final Method m : List.of(Methods.DDRM, Methods.SDEDIT, Methods.UNCONDITIONAL, Methods.DPS_NORMALIZED)) {
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConditionalScheduleDesign.check(m), m.key);
			assertTrue(e.getMessage().contains("pigdm") || e.getMessage().contains("dps"), e.getMessage());
		}
	}
}
