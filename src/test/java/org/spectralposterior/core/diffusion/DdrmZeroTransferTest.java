package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Dense;
import org.spectralposterior.core.DenseSamplerLaw;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * DDRM where the blur's transfer is exactly zero (a 2×2 box: the Nyquist row and column) with σ > 0:
 * MATH §7.5 gives such a frequency the null-space update, as the dense reference does through its SVD
 * (a zero singular value). The engine used to take the "less noisy than y" branch there with a
 * vanishing correction, so the law jumped at ρ = 0.
 */
class DdrmZeroTransferTest {

	@Test
	void exactZerosOfTheTransferTakeTheNullSpaceUpdate() {
		final int h = 8, w = 6;
		final double sigma = 0.1;
		final GaussianPrior prior = SuperResolutionSamplerTest.prior(h, w, 5);
		final BlurOperator box = BlurOperator.of(OperatorSpec.psf(new double[] { 1, 1, 1, 1 }, 2, 2), h, w);
		int zeros = 0;
		for (final double r : box.rho()) if (r == 0) zeros++;
		assertTrue(zeros > 0, "the box must have exact zeros for this test to mean anything");
		final DiffusionSampler ds = new DiffusionSampler(prior, box, sigma, new DiffusionSampler.Config(Methods.DDRM, Schedule.linear(), 7, BaseStep.DDPM, 1, null, 0, null));
		final DMatrixRMaj a = DenseSamplerLaw.superResolution(box.wrappedKernel(), h, w, 1);
		final DMatrixRMaj sig = Dense.circulantFromSpectrum(prior.plane(), prior.spectrum().values());
		final double[] mu = new double[h * w];
		java.util.Arrays.fill(mu, prior.mean());
		final StepGrid g = ds.grid();
		final DenseSamplerLaw.Law dense = DenseSamplerLaw.law("ddrm", a, sig, mu, sigma, new DenseSamplerLaw.Steps(g.abT, g.abS, g.phi, g.psi, g.nu), ds.weights());
		final DenseSamplerLaw.Law densePost = DenseSamplerLaw.posterior(a, sig, mu, sigma);
		final double want = DenseSamplerLaw.expectedW2Squared(dense, densePost, a, sig, mu, sigma);
		final Wasserstein.Expected got = Wasserstein.expected(ds.closedForm().law(), ds.posterior(), prior, sigma);
		assertEquals(want, got.meanPart() + got.covariancePart(), 1e-7 * (1 + want), "E_v W2² of DDRM against the dense SVD reference");
		// The pixel variance too (a circulant law: the same at every pixel).
		double trace = 0;
		for (int i = 0; i < h * w; i++) trace += dense.S().get(i, i);
		final double[] s2 = ds.closedForm().law().s2();
		double sum = 0;
		for (int k = 0; k < s2.length; k++) sum += prior.plane().multiplicity(k) * s2[k];
		assertEquals(trace, sum, 1e-8 * trace, "total output variance");
	}
}
