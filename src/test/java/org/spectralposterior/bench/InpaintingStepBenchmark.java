package org.spectralposterior.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.InpaintingSampler;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.posterior.ColourInpaintingPosterior;
import org.spectralposterior.core.posterior.InpaintingPosterior;
import org.spectralposterior.core.prior.ColourPrior;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The step-by-step inpainting sampler's cost per step against its yardstick, one FFT pair of the same
 * size, measured in the same run (the machine is shared: only ratios carry over). 512², a centred
 * square hole of a quarter of the side plus every 10th pixel missing, σ = 0.05, 20 DDPM steps per
 * sample, so that per step = per op / 20. Grey: one FFT pair per step plus, for CGDM, one per CG
 * iteration (the count per solve is printed at tear-down); colour (C = 3, a cross-channel prior whose
 * 3×3 blocks mix the channels): C FFT pairs per step plus the rotation. Run:
 * {@code java -cp ... org.openjdk.jmh.Main InpaintingStepBenchmark -f 1 -wi 2 -i 3}.
 */
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InpaintingStepBenchmark {

	static final int SIZE = 512, STEPS = 20;

	static boolean[] mask(final int channels) {
		final int d = SIZE * SIZE;
		final boolean[] obs = new boolean[channels * d];
		final int side = SIZE / 4, r0 = (SIZE - side) / 2;
		for (int c = 0; c < channels; c++) for (int y = 0; y < SIZE; y++) for (int x = 0; x < SIZE; x++) {
			final int p = y * SIZE + x;
			obs[c * d + p] = !(y >= r0 && y < r0 + side && x >= r0 && x < r0 + side) && (p + c) % 10 != 0;
		}
		return obs;
	}

	static double[] measurement(final boolean[] obs) {
		final double[] v = new double[obs.length];
		final SplittableRandom r = new SplittableRandom(1);
		for (int i = 0; i < v.length; i++) v[i] = obs[i] ? 0.3 * r.nextGaussian() : 0;
		return v;
	}

	@State(Scope.Thread)
	public static class Grey {
		@Param({ "dps", "cgdm" })
		String method;
		InpaintingSampler sampler;
		InpaintingSampler.Stepper stepper;
		double[] out;
		SplittableRandom rng;

		@Setup
		public void setup() {
			final GaussianPrior prior = SuperResolutionBenchmark.smoothPrior(SIZE);
			final boolean[] obs = mask(1);
			final InpaintingPosterior post = new InpaintingPosterior(prior, obs, 0.05);
			final DiffusionSampler.Config cfg = new DiffusionSampler.Config(Methods.parse(method), Schedule.linear(), STEPS, BaseStep.DDPM, 1, null, 0);
			sampler = new InpaintingSampler(post.effectivePrior(), obs, 0.05, cfg, null);
			stepper = sampler.stepper(measurement(obs));
			out = new double[SIZE * SIZE];
			rng = new SplittableRandom(2);
		}

		@TearDown
		public void report() {
			System.out.println(method + ": CG iterations per solve " + sampler.cgIterationsPerSolve());
		}
	}

	@State(Scope.Thread)
	public static class Colour {
		InpaintingSampler sampler;
		InpaintingSampler.Stepper stepper;
		double[] out;
		SplittableRandom rng;

		@Setup
		public void setup() {
			final org.spectralposterior.core.fourier.HalfPlane plane = new org.spectralposterior.core.fourier.HalfPlane(SIZE, SIZE);
			final ColourPrior prior = new ColourPrior(plane, new double[] { 0.1, 0, -0.1 }, ColourBenchmark.coherentBlocks(plane));
			final boolean[] obs = mask(3);
			final ColourInpaintingPosterior post = new ColourInpaintingPosterior(prior, obs, 0.05);
			final DiffusionSampler.Config cfg = new DiffusionSampler.Config(Methods.DPS, Schedule.linear(), STEPS, BaseStep.DDPM, 1, null, 0);
			sampler = new InpaintingSampler(post.conditionedBasis(), obs, 0.05, cfg, null);
			stepper = sampler.stepper(measurement(obs));
			out = new double[3 * SIZE * SIZE];
			rng = new SplittableRandom(2);
		}
	}

	@State(Scope.Thread)
	public static class Pair {
		RealFft2 fft;
		double[] pixels, spectrum;

		@Setup
		public void setup() {
			final GaussianPrior prior = SuperResolutionBenchmark.smoothPrior(SIZE);
			fft = new RealFft2(prior.plane());
			pixels = prior.sampler(5).next();
			spectrum = fft.newSpectrum();
		}
	}

	@Benchmark
	public double[] greySample20Steps(final Grey g) {
		g.stepper.sample(g.out, g.rng.split(), null);
		return g.out;
	}

	@Benchmark
	public double[] colourDpsSample20Steps(final Colour c) {
		c.stepper.sample(c.out, c.rng.split(), null);
		return c.out;
	}

	@Benchmark
	public double[] fftPair(final Pair p) {
		p.fft.forward(p.pixels, p.spectrum);
		p.fft.inverse(p.spectrum, p.pixels);
		return p.pixels;
	}
}
