package org.spectralposterior.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.HermitianNoise;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.prior.GaussianPrior;
import org.spectralposterior.core.prior.PriorEstimator;

/**
 * Issue targets at 1024²: (a) closed-form law + expected W2 for T = 1000 steps ≤ 1 s on 2 cores;
 * (b) one step-by-step step within 1.3× of drawing one white-noise field (stepTenSteps / 10 vs
 * whiteNoiseSpectrum). Run: {@code java -cp ... org.openjdk.jmh.Main DiffusionBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class DiffusionBenchmark {

	private static final int SIZE = 1024;

	private GaussianPrior prior;
	private BlurOperator op;
	private DiffusionSampler thousand, ten;
	private DiffusionSampler.Stepper stepper;
	private double[] out, spectrum;
	private HalfPlane plane;
	private SplittableRandom rng;

	@Setup
	public void setup() {
		prior = texturePrior(SIZE);
		op = BlurOperator.of(OperatorSpec.gaussian(2), SIZE, SIZE);
		thousand = new DiffusionSampler(prior, op, 0.1, new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 1000, BaseStep.DDPM, 1, null, 0));
		ten = new DiffusionSampler(prior, op, 0.1, new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 10, BaseStep.DDPM, 1, null, 0));
		final double[] v = op.apply(prior.sampler(2).next());
		stepper = ten.stepper(v);
		out = new double[SIZE * SIZE];
		plane = prior.plane();
		spectrum = new double[2 * plane.size];
		rng = new SplittableRandom(4);
	}

	/** An ADSN prior on a size² grid from a fixed 64² synthetic exemplar (shared by the diffusion benchmarks). */
	static GaussianPrior texturePrior(final int size) {
		final int ex = 64;
		final double[] exemplar = new double[ex * ex];
		final SplittableRandom r = new SplittableRandom(1);
		for (int i = 0; i < exemplar.length; i++) exemplar[i] = r.nextGaussian() + (i % 7);
		return PriorEstimator.adsn(exemplar, ex, ex, size, size);
	}

	@Benchmark
	public double closedFormAndExpectedW2T1000() {
		return Wasserstein.expected(thousand.closedForm().law(), thousand.posterior(), prior, 0.1).squared();
	}

	@Benchmark
	public double[] stepByStepTenStepsPlusInverseFft() {
		stepper.sample(out, rng, null, 0, null);
		return out;
	}

	@Benchmark
	public double[] whiteNoiseSpectrum() {
		HermitianNoise.fill(plane, rng, spectrum);
		return spectrum;
	}
}
