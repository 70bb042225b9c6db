package org.spectralposterior.core.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Dense;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The Fourier closed forms of the exact posterior against dense kriging with EJML:
 * K = ΣAᵀ(AΣAᵀ + σ²I)⁻¹, μ_post = μ + K(v − Aμ), Σ_post = Σ − KAΣ, with A built from the kernel by
 * its definition (circular convolution), not from h.
 */
public class ExactPosteriorDenseTest {

	/** λ = |F x|² + 0.05 of a random real image: symmetric, as a real stationary prior's must be. */
	public static GaussianPrior randomPrior(final int h, final int w, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final HalfPlane plane = new HalfPlane(h, w);
		final double[] ex = new double[h * w];
		for (int i = 0; i < ex.length; i++) ex[i] = r.nextGaussian() + 0.3 * (i % w);
		final org.spectralposterior.core.fourier.RealFft2 fft = new org.spectralposterior.core.fourier.RealFft2(plane);
		final double[] spec = fft.newSpectrum();
		fft.forward(ex, spec);
		final double[] lam = new double[plane.size];
		for (int k = 0; k < lam.length; k++) lam[k] = spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1] + 0.05;
		return new GaussianPrior(0.4, new Spectrum(plane, lam));
	}

	static void check(final GaussianPrior prior, final OperatorSpec spec, final double sigma, final String what) {
		final HalfPlane plane = prior.plane();
		final int h = plane.height, w = plane.width, d = plane.pixels;
		final BlurOperator op = BlurOperator.of(spec, h, w);
		final DMatrixRMaj A = Dense.circulantFromKernel(op.wrappedKernel(), h, w);
		// Σ from the ADSN texton's circular autocovariance would be another route; here F* diag(λ) F.
		final DMatrixRMaj S = Dense.circulantFromSpectrum(plane, prior.spectrum().values());
		final DMatrixRMaj AS = new DMatrixRMaj(d, d), ASAt = new DMatrixRMaj(d, d), SAt = new DMatrixRMaj(d, d);
		CommonOps_DDRM.mult(A, S, AS);
		CommonOps_DDRM.multTransB(AS, A, ASAt);
		for (int i = 0; i < d; i++) ASAt.add(i, i, sigma * sigma);
		CommonOps_DDRM.multTransB(S, A, SAt);
		final DMatrixRMaj inv = new DMatrixRMaj(d, d);
		CommonOps_DDRM.pinv(ASAt, inv);
		final DMatrixRMaj K = new DMatrixRMaj(d, d);
		CommonOps_DDRM.mult(SAt, inv, K);

		final SplittableRandom r = new SplittableRandom(7);
		final double[] v = new double[d];
		for (int i = 0; i < d; i++) v[i] = prior.mean() + r.nextGaussian();
		final double[] mu = new double[d];
		java.util.Arrays.fill(mu, prior.mean());
		final DMatrixRMaj resid = Dense.vector(v.clone());
		final DMatrixRMaj Amu = new DMatrixRMaj(d, 1);
		CommonOps_DDRM.mult(A, Dense.vector(mu), Amu);
		CommonOps_DDRM.subtractEquals(resid, Amu);
		final DMatrixRMaj mean = new DMatrixRMaj(d, 1);
		CommonOps_DDRM.mult(K, resid, mean);
		CommonOps_DDRM.addEquals(mean, Dense.vector(mu));
		final DMatrixRMaj KAS = new DMatrixRMaj(d, d), post = S.copy();
		CommonOps_DDRM.mult(K, AS, KAS);
		CommonOps_DDRM.subtractEquals(post, KAS);

		final OutputLaw law = ExactPosterior.of(prior, op, sigma);
		final double[] m = law.meanImage(v);
		final DMatrixRMaj postF = Dense.circulantFromSpectrum(plane, law.s2());
		final double scale = Math.max(1, CommonOps_DDRM.elementMaxAbs(S));
		for (int i = 0; i < d; i++) assertEquals(mean.get(i), m[i], 1e-8 * scale, what + " mean[" + i + "]");
		for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) assertEquals(post.get(i, j), postF.get(i, j), 1e-8 * scale, what + " cov[" + i + "," + j + "]");
	}

	@Test
	void gaussianBlurOddSize() {
		check(randomPrior(9, 7, 1), OperatorSpec.gaussian(1.2), 0.3, "Gaussian 9×7");
	}

	@Test
	void motionBlurEvenSize() {
		check(randomPrior(8, 10, 2), OperatorSpec.motion(4.5, 30), 0.2, "motion 8×10");
	}

	@Test
	void asymmetricPsfCatchesConjugationMistakes() {
		// A 3×2 PSF with distinct values: h is complex, and h vs conj(h) mirrors the blur.
		check(randomPrior(11, 13, 3), OperatorSpec.psf(new double[] { 5, 1, 0.5, 2, 0, 3 }, 3, 2), 0.25, "asymmetric PSF 11×13");
		check(randomPrior(16, 16, 4), OperatorSpec.psf(new double[] { 1, 2, 3, 0, 0, 4, 0, 0, 1 }, 3, 3), 0.1, "asymmetric PSF 16×16");
	}

	@Test
	void noiselessDenoisingReturnsTheMeasurement() {
		final GaussianPrior prior = randomPrior(7, 6, 5);
		final BlurOperator id = BlurOperator.of(OperatorSpec.none(), 7, 6);
		final OutputLaw law = ExactPosterior.of(prior, id, 0);
		final double[] v = new double[42];
		for (int i = 0; i < v.length; i++) v[i] = prior.mean() + Math.sin(i);
		final double[] m = law.meanImage(v);
		// Every frequency has λ > 0, so v fixes it: zero variance, mean = v.
		final double[] lam = prior.spectrum().values();
		double rest = 0;
		for (int k = 0; k < lam.length; k++) if (lam[k] > 0) assertEquals(0, law.s2()[k], 0);
		for (int i = 0; i < v.length; i++) rest = Math.max(rest, Math.abs(m[i] - v[i]));
		assertEquals(0, rest, 1e-9);
	}

	@Test
	void noiselessBlurWithExactZerosKeepsThePriorThere() {
		// A 2×2 box has h = 0 exactly on the Nyquist row and column of an even grid; the FFT gives ~1e-17.
		final GaussianPrior prior = randomPrior(8, 8, 6);
		final BlurOperator op = BlurOperator.of(OperatorSpec.psf(new double[] { 1, 1, 1, 1 }, 2, 2), 8, 8);
		final OutputLaw law = ExactPosterior.of(prior, op, 0);
		final double[] v = op.apply(prior.sampler(1).next());
		for (final double m : law.meanImage(v)) assertEquals(0.4, m, 50, "finite, sensible mean");
	}

	@Test
	void noiselessBlurMatchesDenseWithPseudoInverse() {
		// σ = 0 with an invertible ASAᵀ (λ > 0, h ≠ 0 everywhere): plain inverse, exact interpolation.
		final HalfPlane plane = new HalfPlane(6, 5);
		final double[] lam = new double[plane.size];
		for (int i = 0; i < lam.length; i++) lam[i] = 1 + 0.1 * i;
		for (int i = 0; i < lam.length; i++) if (i % plane.cols == 0) lam[plane.partnerInColumn(i)] = lam[i];
		check(new GaussianPrior(0.5, new Spectrum(plane, lam)), OperatorSpec.psf(new double[] { 3, 1 }, 2, 1), 0, "σ = 0");
	}
}
