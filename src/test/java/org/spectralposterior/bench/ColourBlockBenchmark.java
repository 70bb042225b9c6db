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
import org.spectralposterior.core.diffusion.BlockSampler;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.diffusion.SuperResolutionSampler;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.posterior.BlockLaw;
import org.spectralposterior.core.posterior.DenseBlocks;
import org.spectralposterior.core.prior.ColourPrior;

/**
 * Colour super-resolution (C = 3, r = 2: blocks of n = 12 unknowns, m = 3 measurements) closed form +
 * E_v W2² at 128², against the grey super-resolution closed form + E_v W2² on channel 0 of the same
 * prior, blur and config (only the ratio carries over: the machine is shared).
 * Run: {@code java -cp ... org.openjdk.jmh.Main ColourBlockBenchmark -f 1 -wi 1 -i 3}.
 */
@Fork(1)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
public class ColourBlockBenchmark {

	private static final int SIZE = 128;
	private static final double SIGMA = 0.05;

	/** A smooth colour prior with correlated channels: Σ(k) = s(k)·(ρ 11ᵀ + (1 − ρ) I), ρ = 0.6. */
	static ColourPrior prior(final int size) {
		final HalfPlane plane = new HalfPlane(size, size);
		final double[] blocks = new double[plane.size * 18];
		for (int k = 0; k < plane.size; k++) {
			final double kr = plane.freqRow(k), kc = plane.freqCol(k), s = 1 / (1 + (kr * kr + kc * kc) / 64);
			for (int c = 0; c < 3; c++) for (int e = 0; e < 3; e++) blocks[k * 18 + 2 * (c * 3 + e)] = s * (c == e ? 1 : 0.6);
		}
		return new ColourPrior(plane, new double[] { 0.1, 0, -0.1 }, blocks);
	}

	@State(Scope.Thread)
	public static class Forms {
		@Param({ "cgdm", "dps", "ddrm" })
		String method;
		@Param({ "50", "1000" })
		int steps;

		ColourPrior prior;
		BlurOperator blur;
		DiffusionSampler.Config cfg;

		@Setup
		public void setup() {
			prior = prior(SIZE);
			blur = BlurOperator.of(org.spectralposterior.core.operator.OperatorSpec.gaussian(1.0), SIZE, SIZE);
			cfg = new DiffusionSampler.Config(Methods.parse(method), Schedule.linear(), steps, BaseStep.DDPM, 1, null, 0);
		}
	}

	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	@OutputTimeUnit(TimeUnit.MILLISECONDS)
	public double colourR2(final Forms f) {
		final BlockSampler bs = new BlockSampler(DenseBlocks.colour(f.prior, new BlurOperator[] { f.blur }, 2, SIGMA), f.cfg);
		final BlockLaw law = bs.closedForm().law();
		return law.expected(bs.posterior()).squared();
	}

	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	@OutputTimeUnit(TimeUnit.MILLISECONDS)
	public double greyR2(final Forms f) {
		final SuperResolutionSampler ss = new SuperResolutionSampler(f.prior.channel(0), f.blur, 2, SIGMA, f.cfg);
		return ss.closedForm().law().expected(ss.posterior(), f.prior.channel(0), SIGMA).squared();
	}
}
