package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Step-by-step runs against the closed-form law, per frequency, within Monte-Carlo bounds: means
 * |z| &lt; 4.5 (N samples: the mean of a complex entry has variance s²/(2N) per part, of a
 * self-conjugate one s²/N); variances within 5·sqrt(2/N) relative. 7×6 grid (odd × even), an
 * asymmetric PSF (complex h: conj(h) vs h matters), a non-zero mean.
 */
class AgreementTest {

	static final int H = 7, W = 6;

	static GaussianPrior prior() {
		final HalfPlane plane = new HalfPlane(H, W);
		final double[] lam = new double[plane.size];
		final SplittableRandom r = new SplittableRandom(42);
		// λ must be symmetric: entries paired inside columns 0 and W/2 get the same value.
		for (int i = 0; i < lam.length; i++) lam[i] = 0.05 + r.nextDouble();
		for (int i = 0; i < lam.length; i++) {
			final int c = i % plane.cols;
			if (c == 0 || (W % 2 == 0 && c == W / 2)) lam[plane.partnerInColumn(i)] = lam[i];
		}
		return new GaussianPrior(0.2, new Spectrum(plane, lam));
	}

	static BlurOperator asymmetricPsf() {
		return BlurOperator.of(OperatorSpec.psf(new double[] { 4, 2, 1, 0.5, 0.25, 0 }, 3, 2), H, W);
	}

	static DiffusionSampler sampler(final Method m, final int n) {
		return new DiffusionSampler(prior(), asymmetricPsf(), 0.1, new DiffusionSampler.Config(m, Schedule.linear(), n, BaseStep.DDPM, 1, null, m == Methods.SDEDIT ? 600 : 0));
	}

	@Test
	void everyLinearMethodMatchesItsClosedForm() {
		final double[] v = new double[H * W];
		final SplittableRandom r = new SplittableRandom(3);
		for (int i = 0; i < v.length; i++) v[i] = 0.2 + r.nextGaussian();
		for (final Method m : Methods.ALL) {
			if (!m.linear()) continue;
			agree(sampler(m, 8), v, m.toString());
		}
	}

	@Test
	void ddrmMatchesItsClosedFormWithoutNoiseAndWithDdimEta() {
		// σ = 0 takes DDRM's other branches (|h|σ_s > 0 everywhere A sees); base_step = ddim sets its η.
		final double[] v = new double[H * W];
		final SplittableRandom r = new SplittableRandom(4);
		for (int i = 0; i < v.length; i++) v[i] = -0.1 + r.nextGaussian();
		agree(new DiffusionSampler(prior(), asymmetricPsf(), 0, new DiffusionSampler.Config(Methods.DDRM, Schedule.linear(), 8, BaseStep.DDPM, 1, null, 0)), v, "DDRM σ=0");
		agree(new DiffusionSampler(prior(), asymmetricPsf(), 0.3, new DiffusionSampler.Config(Methods.DDRM, Schedule.cosine(1000), 6, BaseStep.DDIM, 0.4, null, 0)), v, "DDRM η=0.4");
	}

	/** Per-frequency means (z < 4.5) and variances (5·sqrt(2/N)) of 4000 step-by-step samples against the closed form. */
	static void agree(final DiffusionSampler ds, final double[] v, final String m) {
		{
			final OutputLaw law = ds.closedForm().law();
			final HalfPlane plane = law.plane();
			final double[] vs = new double[2 * plane.size];
			new org.spectralposterior.core.fourier.RealFft2(plane).forward(v, vs);
			final double[] mean = law.meanSpectrum(vs);
			final int N = 4000;
			final double[] sum = new double[2 * plane.size], sq = new double[plane.size];
			final DiffusionSampler.Stepper st = ds.stepper(v);
			final SplittableRandom rng = new SplittableRandom(9);
			final double[] out = new double[H * W];
			for (int s = 0; s < N; s++) {
				st.sample(out, rng.split(), null, 0, null);
				final double[] x = st.lastSpectrum();
				for (int k = 0; k < plane.size; k++) {
					sum[2 * k] += x[2 * k];
					sum[2 * k + 1] += x[2 * k + 1];
					final double dr = x[2 * k] - mean[2 * k], di = x[2 * k + 1] - mean[2 * k + 1];
					sq[k] += dr * dr + di * di;
				}
			}
			for (int k = 0; k < plane.size; k++) {
				final double s2 = law.s2()[k];
				final boolean real = plane.selfConjugate(k);
				// Where the law is deterministic (DDNM fixes the DC), only rounding separates the runs.
				final double sdMean = Math.max(Math.sqrt((real ? s2 : s2 / 2) / N), 1e-9);
				final double zr = (sum[2 * k] / N - mean[2 * k]) / sdMean;
				assertTrue(Math.abs(zr) < 4.5, m + " k=" + k + " mean z=" + zr);
				if (!real) {
					final double zi = (sum[2 * k + 1] / N - mean[2 * k + 1]) / sdMean;
					assertTrue(Math.abs(zi) < 4.5, m + " k=" + k + " imaginary mean z=" + zi);
				}
				final double rel = s2 < 1e-20 ? sq[k] / N : sq[k] / N / s2 - 1;
				assertTrue(Math.abs(rel) < 5 * Math.sqrt(2.0 / N), m + " k=" + k + " variance off by " + rel);
			}
		}
	}


	@Test
	void linearisedNormalisedDpsWeightsMatchTheRealisedOnesInHighDimension() {
		// ‖r_t‖ concentrates in high dimension (MATH §7.3 quotes ~8 % between the marginal and given-v linearised weights; here realised vs given-v within 10 %, marginal vs given-v within 50 %).
		final int size = 64;
		final GaussianPrior prior = RegressionTest.problemAPriorOfSize(size);
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(1.5), size, size);
		final DiffusionSampler ds = new DiffusionSampler(prior, op, 0.05, new DiffusionSampler.Config(Methods.DPS_NORMALIZED, Schedule.linear(), 20, BaseStep.DDPM, 1, null, 0));
		final double[] x = prior.sampler(1).next();
		final double[] v = op.apply(x);
		final SplittableRandom r = new SplittableRandom(2);
		for (int i = 0; i < v.length; i++) v[i] += 0.05 * r.nextGaussian();
		final double[] lin = ds.closedForm(v).weights();
		final DiffusionSampler.Stepper st = ds.stepper(v);
		final double[] real = new double[lin.length];
		final int runs = 4;
		for (int s = 0; s < runs; s++) {
			st.sample(new double[size * size], r.split(), null, 0, null);
			for (int j = 0; j < lin.length; j++) real[j] += st.lastWeights()[j] / runs;
		}
		// ‖r_t‖ of one run still fluctuates by a few per cent at 64²; 4 runs, 10%.
		for (int j = 0; j < lin.length; j++) assertEquals(1, real[j] / lin[j], 0.10, "step " + j);
		// The marginal linearisation averages over measurements: the same order, not the same values.
		final double[] marginal = ds.closedForm().weights();
		for (int j = 0; j < lin.length; j++) assertEquals(1, marginal[j] / lin[j], 0.5, "step " + j);
	}

	@Test
	void ddimWithEtaOneIsDdpmWithBetaTilde() {
		final GaussianPrior prior = prior();
		final BlurOperator op = asymmetricPsf();
		final OutputLaw a = new DiffusionSampler(prior, op, 0.1, new DiffusionSampler.Config(Methods.DPS, Schedule.linear(), 13, BaseStep.DDIM, 1, null, 0)).closedForm().law();
		final OutputLaw b = new DiffusionSampler(prior, op, 0.1, new DiffusionSampler.Config(Methods.DPS, Schedule.linear(), 13, BaseStep.DDPM, 0, null, 0)).closedForm().law();
		assertArrayEquals(b.p(), a.p(), 1e-12);
		assertArrayEquals(b.s2(), a.s2(), 1e-12);
		final double[] c1 = new double[3], c2 = new double[3];
		BaseStep.DDIM.coefficients(0.3, 0.6, 1, c1);
		BaseStep.DDPM.coefficients(0.3, 0.6, 0, c2);
		assertArrayEquals(c2, c1, 1e-14);
	}

	@Test
	void cgdmConvergesToTheExactPosterior() {
		final GaussianPrior prior = RegressionTest.problemAPrior();
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(1.5), 32, 32);
		double previous = Double.POSITIVE_INFINITY;
		for (final int n : new int[] { 10, 50, 250, 1000 }) {
			final DiffusionSampler ds = new DiffusionSampler(prior, op, 0.05, new DiffusionSampler.Config(Methods.CGDM, Schedule.linear(), n, BaseStep.DDPM, 1, null, 0));
			final double l = Wasserstein.expected(ds.closedForm().law(), ds.posterior(), prior, 0.05).squared();
			assertTrue(l < previous, "E W2² decreases with n: " + l + " at n=" + n);
			previous = l;
		}
		assertTrue(previous < 0.05, "n = T: only the discretisation error is left, " + previous);
	}

	@Test
	void expectedW2SpectralDensitySumsToTheTotal() {
		final DiffusionSampler ds = sampler(Methods.PIGDM, 10);
		final Wasserstein.Expected e = Wasserstein.expected(ds.closedForm().law(), ds.posterior(), prior(), 0.1);
		double sum = 0;
		for (final double d : e.spectralMap()) sum += d;
		assertEquals(e.squared(), sum, 1e-12 * e.squared());
	}

	@Test
	void badInputsAreRefusedWithAClearMessage() {
		final GaussianPrior p = prior();
		final BlurOperator op = asymmetricPsf();
		msg(() -> new DiffusionSampler(p, op, 0.1, new DiffusionSampler.Config(Methods.DPS, Schedule.linear(), 1001, BaseStep.DDPM, 1, null, 0)), "exceeds");
		msg(() -> new DiffusionSampler(p, op, 0.1, new DiffusionSampler.Config(Methods.DPS, Schedule.linear(), 0, BaseStep.DDPM, 1, null, 0)), "at least 1");
		msg(() -> new DiffusionSampler(p, op, 0.1, new DiffusionSampler.Config(Methods.DPS, Schedule.linear(), 5, BaseStep.DDIM, 1.5, null, 0)), "eta");
		msg(() -> new DiffusionSampler(p, op, 0.1, new DiffusionSampler.Config(Methods.DPS, Schedule.linear(), 5, BaseStep.DDPM, 1, new double[4], 0)), "one weight per step");
		msg(() -> new DiffusionSampler(p, op, 0.1, new DiffusionSampler.Config(Methods.DPS, Schedule.linear(), 2, BaseStep.DDPM, 1, new double[] { 1, -1 }, 0)), "≥ 0");
		msg(() -> new DiffusionSampler(p, op, 0.1, new DiffusionSampler.Config(Methods.SDEDIT, Schedule.linear(), 5, BaseStep.DDPM, 1, null, 0)), "t0");
		msg(() -> new DiffusionSampler(p, op, 0.1, new DiffusionSampler.Config(Methods.SDEDIT, Schedule.linear(), 5, BaseStep.DDPM, 1, null, 1001)), "t0");
		msg(() -> new DiffusionSampler(p, op, 0, new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 5, BaseStep.DDPM, 1, null, 0)), "noise_sigma > 0");
		msg(() -> Schedule.table(new double[] { 0.9, 0.95 }), "decrease");
		msg(() -> Schedule.table(new double[] { 0.9, 1.2 }), "outside (0, 1)");
	}

	static void msg(final org.junit.jupiter.api.function.Executable e, final String fragment) {
		final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
		assertTrue(ex.getMessage().contains(fragment), () -> "'" + ex.getMessage() + "' should mention '" + fragment + "'");
	}
}
