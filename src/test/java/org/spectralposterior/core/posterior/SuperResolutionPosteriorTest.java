package org.spectralposterior.core.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Dense;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.prior.GaussianPrior;

/** Super-resolution kriging (LR-circulant AΣA*) against dense kriging with A = S_r C built pixel by pixel. */
class SuperResolutionPosteriorTest {

	/** Dense A (LR × HR): row (y, x) is row (r y, r x) of the circulant blur. */
	static DMatrixRMaj denseA(final BlurOperator blur, final int hh, final int hw, final int r) {
		final DMatrixRMaj c = Dense.circulantFromKernel(blur.wrappedKernel(), hh, hw);
		final int lh = hh / r, lw = hw / r;
		final DMatrixRMaj a = new DMatrixRMaj(lh * lw, hh * hw);
		for (int y = 0; y < lh; y++) for (int x = 0; x < lw; x++) for (int q = 0; q < hh * hw; q++) a.set(y * lw + x, q, c.get(r * y * hw + r * x, q));
		return a;
	}

	/** { mean, Σ_post } by dense kriging (pseudo-inverse, for σ = 0). */
	static DMatrixRMaj[] dense(final GaussianPrior prior, final DMatrixRMaj a, final double[] v, final double sigma) {
		final DMatrixRMaj s = Dense.circulantFromSpectrum(prior.plane(), prior.spectrum().values());
		final int m = a.numRows, d = a.numCols;
		final DMatrixRMaj as = new DMatrixRMaj(m, d), asa = new DMatrixRMaj(m, m), k = new DMatrixRMaj(d, m);
		CommonOps_DDRM.mult(a, s, as);
		CommonOps_DDRM.multTransB(as, a, asa);
		for (int i = 0; i < m; i++) asa.add(i, i, sigma * sigma);
		final DMatrixRMaj inv = new DMatrixRMaj(m, m);
		CommonOps_DDRM.pinv(asa, inv);
		CommonOps_DDRM.multTransA(as, inv, k);
		final DMatrixRMaj res = new DMatrixRMaj(m, 1), mu = new DMatrixRMaj(d, 1);
		final DMatrixRMaj am = new DMatrixRMaj(m, 1);
		final DMatrixRMaj flat = new DMatrixRMaj(d, 1);
		flat.fill(prior.mean());
		CommonOps_DDRM.mult(a, flat, am);
		for (int i = 0; i < m; i++) res.set(i, 0, v[i] - am.get(i, 0));
		CommonOps_DDRM.mult(k, res, mu);
		for (int i = 0; i < d; i++) mu.add(i, 0, prior.mean());
		final DMatrixRMaj post = new DMatrixRMaj(d, d);
		CommonOps_DDRM.mult(k, as, post);
		CommonOps_DDRM.subtract(s, post, post);
		return new DMatrixRMaj[] { mu, post };
	}

	@Test
	void meanAndVarianceMatchDenseKriging() {
		final int[][] cases = { { 8, 6, 2 }, { 10, 6, 2 }, { 9, 6, 3 } };
		for (final int[] c : cases) {
			final int hh = c[0], hw = c[1], r = c[2];
			final GaussianPrior prior = InpaintingPosteriorTest.prior(hh, hw, 0.7);
			// A centred motion blur is point-symmetric (real h); the 3×3 PSF with its mass off-centre is not,
			// so it is the one that tells conj(h) from h.
			final OperatorSpec skew = OperatorSpec.psf(new double[] { 0, 0, 0, 0, 1, 2, 0, 0.5, 1 }, 3, 3);
			for (final OperatorSpec spec : new OperatorSpec[] { skew, OperatorSpec.motion(3, 30), OperatorSpec.gaussian(0.8) }) {
				final BlurOperator blur = BlurOperator.of(spec, hh, hw);
				final DMatrixRMaj a = denseA(blur, hh, hw, r);
				for (final double sigma : new double[] { 0.1, 0 }) {
					final SuperResolutionPosterior sr = new SuperResolutionPosterior(prior, blur, r, sigma);
					final double[] v = sr.degrade(prior.sampler(3).next());
					final DMatrixRMaj[] ref = dense(prior, a, v, sigma);
					final double[] mean = sr.mean(v), var = sr.pixelVariance();
					final String what = hh + "×" + hw + " r=" + r + " " + spec.describe() + " σ=" + sigma;
					for (int i = 0; i < mean.length; i++) {
						assertEquals(ref[0].get(i, 0), mean[i], 1e-9, what + " mean " + i);
						assertEquals(Math.max(0, ref[1].get(i, i)), var[i], 1e-9, what + " variance " + i);
					}
				}
			}
		}
	}

	@Test
	void samplesHaveThePosteriorLaw() {
		final int hh = 6, hw = 8, r = 2, n = 4000;
		final GaussianPrior prior = InpaintingPosteriorTest.prior(hh, hw, -0.2);
		final BlurOperator blur = BlurOperator.of(OperatorSpec.psf(new double[] { 0, 0, 0, 0, 1, 2, 0, 0.5, 1 }, 3, 3), hh, hw);
		final SuperResolutionPosterior sr = new SuperResolutionPosterior(prior, blur, r, 0.15);
		final double[] v = sr.degrade(prior.sampler(8).next());
		final DMatrixRMaj[] ref = dense(prior, denseA(blur, hh, hw, r), v, 0.15);
		final double[] mean = sr.mean(v);
		final var innov = sr.innovationSampler(new java.util.SplittableRandom(21));
		final SplittableRandom noise = new SplittableRandom(22);
		InpaintingPosteriorTest.assertSampleLaw(ref[0], ref[1], n, x -> sr.sample(mean, innov, noise, x));
	}

	@Test
	void gridsNotDivisibleByTheFactorAreRefused() {
		final GaussianPrior prior = InpaintingPosteriorTest.prior(9, 8, 0);
		assertThrows(IllegalArgumentException.class, () -> new SuperResolutionPosterior(prior, BlurOperator.of(OperatorSpec.none(), 9, 8), 2, 0.1));
	}
}
