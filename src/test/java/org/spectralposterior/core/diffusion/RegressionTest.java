package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.ExactPosterior;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/** The regression numbers of MATH §12, computed there with an independent float64 reference. */
class RegressionTest {

	static DiffusionSampler.Config config(final Method m, final int n, final double eta) {
		return new DiffusionSampler.Config(m, Schedule.linear(), n, BaseStep.DDIM, eta, null, 0);
	}

	/** Scalar toy: λ = 2, h = 0.7, σ = 0.1, M = 0, n = 10, η = 1, on a 1×1 "image". */
	@Test
	void scalarToy() {
		final HalfPlane plane = new HalfPlane(1, 1);
		final GaussianPrior prior = new GaussianPrior(0, new Spectrum(plane, new double[] { 2 }));
		final BlurOperator op = BlurOperator.ofTransfer(plane, new double[] { 0.7, 0 });
		final double sigma = 0.1;
		final OutputLaw post = ExactPosterior.of(prior, op, sigma);
		assertEquals(2.02020202, post.p()[0], 1e-8);
		assertEquals(0.0202020202, post.s2()[0], 1e-10);
		check(prior, op, sigma, Methods.UNCONDITIONAL, Double.NaN, 1.103683976, 2.805042746);
		check(prior, op, sigma, Methods.CGDM, 2.020200373, 0.002383519102, 0.008707225135);
		check(prior, op, sigma, Methods.DPS, 1.939982738, 0.01516899871, 0.003481594197);
	}

	private static void check(final GaussianPrior prior, final BlurOperator op, final double sigma, final Method m, final double p, final double s2, final double loss) {
		final DiffusionSampler ds = new DiffusionSampler(prior, op, sigma, config(m, 10, 1));
		final OutputLaw law = ds.closedForm().law();
		if (!Double.isNaN(p)) assertEquals(p, law.p()[0], 1e-8 * p, m + " p");
		assertEquals(s2, law.s2()[0], 1e-9 * s2, m + " s²");
		assertEquals(loss, Wasserstein.expected(law, ds.posterior(), prior, sigma).squared(), 1e-9 * loss, m + " E W2²");
	}

	/** MATH §12 Problem A. */
	static GaussianPrior problemAPrior() {
		return problemAPriorOfSize(32);
	}

	static GaussianPrior problemAPriorOfSize(final int size) {
		final HalfPlane plane = new HalfPlane(size, size);
		final double[] lam = new double[plane.size];
		for (int i = 0; i < lam.length; i++) {
			final double k2 = Math.pow(plane.freqRow(i), 2) + Math.pow(plane.freqCol(i), 2);
			lam[i] = 8 / Math.pow(1 + k2, 1.5);
		}
		return new GaussianPrior(0.3, new Spectrum(plane, lam));
	}

	@Test
	void problemA() {
		final GaussianPrior prior = problemAPrior();
		assertEquals(47.84367996, prior.spectrum().trace(), 1e-8);
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(1.5), 32, 32);
		final double sigma = 0.05;
		assertEquals(6.39193005, ExactPosterior.of(prior, op, sigma).plane().sumAll(ExactPosterior.of(prior, op, sigma).s2()), 1e-8);
		final Object[][] table = {
			{ Methods.UNCONDITIONAL, 20, 66.776918, 70.652717 }, { Methods.CGDM, 20, 1.9410878, 1.3656808 }, { Methods.DPS, 20, 3.4279949, 2.8544193 }, { Methods.PIGDM, 20, 2.0199864, 1.4537452 },
			{ Methods.UNCONDITIONAL, 50, 71.539602, 73.956679 }, { Methods.CGDM, 50, 0.75520862, 0.37167699 }, { Methods.DPS, 50, 1.4516675, 1.0360155 }, { Methods.PIGDM, 50, 0.81515257, 0.52237487 } };
		for (final Object[] row : table) {
			for (int e = 0; e < 2; e++) {
				final double eta = e == 0 ? 1 : 0, expected = (double) row[2 + e];
				final DiffusionSampler ds = new DiffusionSampler(prior, op, sigma, config((Method) row[0], (int) row[1], eta));
				final double got = Wasserstein.expected(ds.closedForm().law(), ds.posterior(), prior, sigma).squared();
				// The table gives 8 significant digits.
				assertEquals(expected, got, 5e-8 * expected + 1e-7, row[0] + " n=" + row[1] + " η=" + eta);
			}
		}
	}
}
