package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.prior.GaussianPrior;

class ReverseDynamicsTest {

	@Test
	void stepJacobianMatchesFiniteDifferencesOfTheReverseStep() {
		// f(x) = (x + (1 − α) s(x))/sqrt(α) with the exact score s(x) = −Σ_t⁻¹ x: perturb one frequency.
		final GaussianPrior prior = RegressionTest.problemAPriorOfSize(12);
		final Schedule sch = Schedule.linear();
		final int t = 300;
		final double[] m = ReverseDynamics.stepJacobian(prior.spectrum(), sch, t);
		final double ab = sch.alphaBar(t), alpha = ab / sch.alphaBar(t - 1);
		for (final int k : new int[] { 0, 5, 40 }) {
			final double l = ab * prior.spectrum().get(k) + 1 - ab;
			final double eps = 1e-6;
			final double f1 = (eps + (1 - alpha) * (-eps / l)) / Math.sqrt(alpha);
			assertEquals(f1 / eps, m[k], 1e-9);
		}
	}

	@Test
	void impulseResponseIsTheCirculantKernelAndEnergyIsConserved() {
		final HalfPlane plane = new HalfPlane(9, 8);
		final double[] ones = new double[plane.size];
		java.util.Arrays.fill(ones, 1);
		final double[] delta = ReverseDynamics.impulseResponse(plane, ones);
		assertEquals(1, delta[(9 / 2) * 8 + 4], 1e-12, "identity → a centred delta");
		assertEquals(1, ReverseDynamics.enclosedEnergy(plane, delta, 0), 1e-12);
		final double[] lam = new double[plane.size];
		for (int i = 0; i < lam.length; i++) lam[i] = 1 + Math.abs(plane.freqRow(i)) + Math.abs(plane.freqCol(i));
		final double[] mult = ReverseDynamics.scoreJacobian(new Spectrum(plane, lam), Schedule.linear(), 100);
		final double[] g = ReverseDynamics.impulseResponse(plane, mult);
		double e = 0, want = 0;
		for (final double v : g) e += v * v;
		for (int k = 0; k < plane.size; k++) want += plane.multiplicity(k) * mult[k] * mult[k] / plane.pixels;
		assertEquals(want, e, 1e-12, "Parseval");
		assertEquals(1, ReverseDynamics.enclosedEnergy(plane, g, 100), 1e-12);
	}
}
