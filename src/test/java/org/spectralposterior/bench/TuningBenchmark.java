package org.spectralposterior.bench;

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
import org.spectralposterior.core.diffusion.WeightObjective;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The cost of tuning at 1024², n = 50 (PiGDM): one evaluation of ℒ and its adjoint gradient, on all
 * frequencies and on 128² (λ, ρ) groups, and ℒ alone on all frequencies, against one closed-form
 * law + expected W2 (the same recurrence forward only). Run: {@code java -cp ... org.openjdk.jmh.Main TuningBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class TuningBenchmark {

	private static final int SIZE = 1024;

	private GaussianPrior prior;
	private DiffusionSampler sampler;
	private WeightObjective full, binned;
	private double[] w, grad;

	@Setup
	public void setup() {
		prior = DiffusionBenchmark.texturePrior(SIZE);
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(2), SIZE, SIZE);
		sampler = new DiffusionSampler(prior, op, 0.1, new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 50, BaseStep.DDPM, 1, null, 0));
		full = new WeightObjective(sampler);
		binned = full.binned(128);
		w = sampler.weights();
		grad = new double[w.length];
	}

	@Benchmark
	public double closedFormAndExpectedW2() {
		return Wasserstein.expected(sampler.closedForm().law(), sampler.posterior(), prior, 0.1).squared();
	}

	@Benchmark
	public double objectiveAndGradientAllFrequencies() {
		return full.evaluate(w, grad, () -> false);
	}

	/** ℒ alone on all frequencies (the scoring path: the sampler's fused step loop per weight set). */
	@Benchmark
	public double objectiveValueAllFrequencies() {
		return full.value(w);
	}

	@Benchmark
	public double objectiveAndGradientBinned() {
		return binned.evaluate(w, grad, () -> false);
	}
}
