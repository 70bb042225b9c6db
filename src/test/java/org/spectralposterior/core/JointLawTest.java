package org.spectralposterior.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.HermitianNoise;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.ExactPosteriorDenseTest;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The joint law of the random fields, not only each frequency's marginal: no correlation between
 * frequencies k and k + d of one field, between consecutive fields, or between samples. All of these
 * failed before the streams were derived with split(): rows seeded seed + i·γ were one draw apart
 * (correlation 0.5–1 between rows r and r + 1).
 */
class JointLawTest {

	@Test
	void parallelWhiteNoiseHasNoCorrelationAcrossFrequenciesOrFields() {
		for (final int[] size : new int[][] { { 64, 64 }, { 45, 38 }, { 33, 75 } }) {
			final HalfPlane plane = new HalfPlane(size[0], size[1]);
			final SplittableRandom rng = new SplittableRandom(12);
			final double[] a = new double[2 * plane.size], b = new double[2 * plane.size];
			double worstWithin = 0, worstBetween = 0, n = 0;
			for (int rep = 0; rep < 6; rep++) {
				HermitianNoise.fillParallel(plane, rng, a);
				HermitianNoise.fillParallel(plane, rng, b);
				// White noise is already whitened: E|Z|² = 1.
				final double[] w = JointLaw.maxSpectralCorrelation(plane, a, a, true, JointLaw.SPECTRAL_OFFSETS);
				final double[] x = JointLaw.maxSpectralCorrelation(plane, a, b, false, JointLaw.SPECTRAL_OFFSETS);
				worstWithin = Math.max(worstWithin, w[0]);
				worstBetween = Math.max(worstBetween, x[0]);
				n = w[1];
			}
			final double bound = 5 / Math.sqrt(n);
			assertTrue(worstWithin < bound, size[0] + "×" + size[1] + ": correlation " + worstWithin + " between k and k+d ≥ " + bound);
			assertTrue(worstBetween < bound, size[0] + "×" + size[1] + ": correlation " + worstBetween + " between consecutive fields ≥ " + bound);
		}
	}

	@Test
	void parallelWhiteNoiseDoesNotDependOnTheThreadCount() throws Exception {
		final HalfPlane plane = new HalfPlane(57, 40);
		final double[] one = new double[2 * plane.size], many = new double[2 * plane.size];
		final ForkJoinPool single = new ForkJoinPool(1), four = new ForkJoinPool(4);
		try {
			single.submit(() -> HermitianNoise.fillParallel(plane, new SplittableRandom(3), one)).get();
			four.submit(() -> HermitianNoise.fillParallel(plane, new SplittableRandom(3), many)).get();
		}
		finally {
			single.shutdown();
			four.shutdown();
		}
		assertArrayEquals(one, many);
	}

	@Test
	void stepByStepSamplesAreJointlyDistributedAsTheirClosedFormLaw() {
		// PiGDM with DDPM noise every step, and DDRM (its own step-by-step code path), on an odd,
		// non-power-of-two grid with an off-centre (asymmetric) blur.
		final int h = 36, w = 45;
		// In the samplers' [−1, 1] units (λ ≤ 1: the heuristic weights diverge on λ ~ 10⁵).
		final GaussianPrior raw = ExactPosteriorDenseTest.randomPrior(h, w, 7);
		final double[] lam = raw.spectrum().values().clone();
		double max = 0;
		for (final double l : lam) max = Math.max(max, l);
		for (int k = 0; k < lam.length; k++) lam[k] /= max;
		final GaussianPrior prior = new GaussianPrior(0.1, new org.spectralposterior.core.fourier.Spectrum(raw.plane(), lam));
		final BlurOperator op = BlurOperator.of(OperatorSpec.motion(5, 30), h, w);
		final double sigma = 0.2;
		final double[] v = op.apply(prior.sampler(1).next());
		// And PiGDM with weights per step and frequency band (issue 11): 3 radial bands at 0.1, 1 and 4 × the heuristic.
		final double[] heuristic = new DiffusionSampler(prior, op, sigma, new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 15, BaseStep.DDPM, 1, null, 0)).weights();
		final double[] banded = new double[15 * 3];
		for (int j = 0; j < 15; j++) for (int b = 0; b < 3; b++) banded[3 * j + b] = heuristic[j] * new double[] { 0.1, 1, 4 }[b];
		final DiffusionSampler.Config[] configs = { new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 15, BaseStep.DDPM, 1, null, 0),
			new DiffusionSampler.Config(Methods.DDRM, Schedule.linear(), 15, BaseStep.DDPM, 1, null, 0),
			new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 15, BaseStep.DDPM, 1, null, 0,
				org.spectralposterior.core.diffusion.BandWeights.ofFlat(org.spectralposterior.core.diffusion.FrequencyBands.By.FREQUENCY, 3, banded)) };
		for (final DiffusionSampler.Config cfg : configs) {
			final String m = cfg.method().key + (cfg.bands() != null ? " with band weights" : "");
			final DiffusionSampler ds = new DiffusionSampler(prior, op, sigma, cfg);
			final OutputLaw law = ds.closedForm(v).law();
			final HalfPlane plane = law.plane();
			final RealFft2 fft = new RealFft2(plane);
			final double[] vs = fft.newSpectrum();
			fft.forward(v, vs);
			final double[] mean = law.meanSpectrum(vs);
			final DiffusionSampler.Stepper st = ds.stepper(v);
			final SplittableRandom rng = new SplittableRandom(5);
			double[] previous = null;
			double worstWithin = 0, worstBetween = 0, n = 0, power = 0;
			final int samples = 8;
			for (int s = 0; s < samples; s++) {
				st.sample(new double[h * w], rng.split(), null, 0, null);
				final double[] z = JointLaw.whiten(plane, st.lastSpectrum(), mean, law.s2());
				for (int k = 0; k < plane.size; k++) power += (z[2 * k] * z[2 * k] + z[2 * k + 1] * z[2 * k + 1]) / plane.size / samples;
				final double[] within = JointLaw.maxSpectralCorrelation(plane, z, z, true, JointLaw.SPECTRAL_OFFSETS);
				worstWithin = Math.max(worstWithin, within[0]);
				n = within[1];
				if (previous != null) worstBetween = Math.max(worstBetween, JointLaw.maxSpectralCorrelation(plane, previous, z, false, JointLaw.SPECTRAL_OFFSETS)[0]);
				previous = z;
			}
			final double bound = 5 / Math.sqrt(n);
			assertTrue(Math.abs(power - 1) < 0.1, m + ": whitened power " + power + " should be 1");
			assertTrue(worstWithin < bound, m + ": correlation " + worstWithin + " between frequencies k and k+d of a sample ≥ " + bound);
			assertTrue(worstBetween < bound, m + ": correlation " + worstBetween + " between consecutive samples ≥ " + bound);
		}
	}

	@Test
	void planeStreamsAreIndependentAndReproducible() {
		final HalfPlane plane = new HalfPlane(50, 64);
		final double[] a = new double[2 * plane.size], b = new double[2 * plane.size], again = new double[2 * plane.size];
		HermitianNoise.fill(plane, RandomStreams.plane(42, 0), a);
		HermitianNoise.fill(plane, RandomStreams.plane(42, 1), b);
		HermitianNoise.fill(plane, RandomStreams.plane(42, 1), again);
		assertArrayEquals(b, again);
		final double[] c = JointLaw.maxSpectralCorrelation(plane, a, b, false, JointLaw.SPECTRAL_OFFSETS);
		assertTrue(c[0] < 5 / Math.sqrt(c[1]), "planes 1 and 2 correlate: " + c[0]);
	}
}
