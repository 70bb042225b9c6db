package org.spectralposterior.bench;

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
import org.openjdk.jmh.annotations.Warmup;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.InpaintingSampler;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.posterior.InpaintingPosterior;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The dense inpainting closed forms at 48² and 64², n = 50 steps, a centred square hole of a
 * quarter of the side (one pass each: a 64² E_v W2² takes minutes). DPS has a scalar bracket, CGDM
 * the hole-factorised C_{v|t}. Also the exact posterior std map alone. Run:
 * {@code java -Xmx2g -cp ... org.openjdk.jmh.Main InpaintingDenseBenchmark -f 1 -wi 0 -i 1}.
 */
@Fork(1)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class InpaintingDenseBenchmark {

	@Param({ "48", "64" })
	int size;

	@Param({ "dps", "cgdm" })
	String method;

	GaussianPrior prior;
	boolean[] observed;
	InpaintingPosterior post;

	@Setup
	public void setup() {
		prior = SuperResolutionBenchmark.smoothPrior(size);
		observed = new boolean[size * size];
		final int side = size / 4, r0 = (size - side) / 2;
		for (int y = 0; y < size; y++) for (int x = 0; x < size; x++) observed[y * size + x] = !(y >= r0 && y < r0 + side && x >= r0 && x < r0 + side);
		post = new InpaintingPosterior(prior, observed, 0.05);
	}

	@Benchmark
	public double expectedW2() {
		final DiffusionSampler.Config cfg = new DiffusionSampler.Config(Methods.parse(method), Schedule.linear(), 50, BaseStep.DDPM, 1, null, 0);
		return new InpaintingSampler(post.effectivePrior(), observed, 0.05, cfg, null).expectedW2(post, 0.05, null)[0];
	}

	@Benchmark
	public double exactStd() {
		return post.variance(null)[0];
	}
}
