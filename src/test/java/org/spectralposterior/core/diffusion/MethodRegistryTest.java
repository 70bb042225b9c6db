package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.posterior.OutputLaw;

/**
 * The method registry as the extension point: keys unique and parseable, every tunable method's
 * step linear in its weight (the premise of the exact tuning gradient), and a sampler defined
 * outside the registry — ΠGDM's noiseless pseudo-inverse code form (MATH §7.2, κ = w g/ρ for
 * ρ > τ) as one small class — running through the unchanged engine in both modes.
 */
class MethodRegistryTest {

	@Test
	void keysAreUniqueAndParseBack() {
		final Set<String> keys = new HashSet<>();
		for (final Method m : Methods.ALL) {
			assertTrue(keys.add(m.key), "duplicate key " + m.key);
			assertEquals(m, Methods.parse(m.key));
			assertEquals(m, Methods.parse(" " + m.label.toUpperCase(java.util.Locale.ROOT) + " "));
		}
		assertEquals(Methods.ALL.size(), Methods.keys().length);
	}

	@Test
	void everyTunableMethodIsLinearInItsWeight() {
		// p and the DC bias of the law after one step are affine in w: p(2w) − p(w) = p(w) − p(0).
		for (final Method m : Methods.ALL) {
			if (!m.tunable() || !m.linear()) continue;
			final double[] p0 = oneStep(m, 0), p1 = oneStep(m, 0.4), p2 = oneStep(m, 0.8);
			for (int k = 0; k < p0.length; k++) assertEquals(p2[k] - p1[k], p1[k] - p0[k], 1e-12 * (1 + Math.abs(p1[k])), m + " k=" + k);
		}
	}

	private static double[] oneStep(final Method m, final double w) {
		final DiffusionSampler ds = new DiffusionSampler(AgreementTest.prior(), AgreementTest.asymmetricPsf(), 0.1,
			new DiffusionSampler.Config(m, Schedule.linear(), 1, BaseStep.DDPM, 1, new double[] { w }, 0));
		final OutputLaw law = ds.closedForm().law();
		final double[] out = law.p().clone();
		out[0] += law.q()[0];
		return out;
	}

	/** ΠGDM's noiseless code form: 𝒦 = w G A† — one class, no engine change. */
	static final class PigdmPseudoInverse extends Method {
		PigdmPseudoInverse() {
			super("pigdm-pinv", "PiGDM (pseudo-inverse)");
		}

		@Override
		public double heuristicWeight(final StepGrid grid, final int j) {
			return Methods.PIGDM.heuristicWeight(grid, j) / (1 - grid.abT[j]);
		}

		@Override
		public Guidance guidance(final StepGrid grid, final int j, final double sigma) {
			return new Guidance(1, 1, 0, 0, 1, 0, 0, true, false);
		}
	}

	@Test
	void aMethodDefinedOutsideTheRegistryRunsThroughTheEngine() {
		final Method m = new PigdmPseudoInverse();
		final DiffusionSampler ds = new DiffusionSampler(AgreementTest.prior(), AgreementTest.asymmetricPsf(), 0.1,
			new DiffusionSampler.Config(m, Schedule.linear(), 6, BaseStep.DDPM, 1, null, 0));
		// Its closed form is the per-frequency recurrence with κ = w g/ρ written out here independently.
		final OutputLaw law = ds.closedForm().law();
		final double[] lam = AgreementTest.prior().spectrum().values(), rho = AgreementTest.asymmetricPsf().rho();
		final StepGrid g = ds.grid();
		final double[] w = ds.weights();
		for (int k = 0; k < lam.length; k++) {
			double p = 0, s2 = 1;
			for (int j = 0; j < g.n; j++) {
				final double gg = g.g(j, lam[k]);
				final double kap = rho[k] > Guidance.PINV_THRESHOLD ? w[j] * gg / rho[k] : 0;
				final double a = (g.phi[j] - kap * rho[k]) * gg + g.psi[j];
				p = a * p + kap;
				s2 = a * a * s2 + g.nu[j] * g.nu[j];
			}
			assertEquals(p, law.p()[k], 1e-12 * (1 + Math.abs(p)), "p k=" + k);
			assertEquals(s2, law.s2()[k], 1e-12 * (1 + s2), "s² k=" + k);
		}
		// And its step-by-step run agrees with that law (the same Monte-Carlo contract as the registry's methods).
		final double[] v = new double[AgreementTest.H * AgreementTest.W];
		final java.util.SplittableRandom r = new java.util.SplittableRandom(5);
		for (int i = 0; i < v.length; i++) v[i] = 0.2 + r.nextGaussian();
		AgreementTest.agree(ds, v, m.key);
	}
}
