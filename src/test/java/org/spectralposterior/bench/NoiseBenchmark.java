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
import org.openjdk.jmh.annotations.Warmup;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.HermitianNoise;
import org.spectralposterior.core.fourier.RealFft2;

/**
 * The cost of independent row streams: one parallel white-noise spectrum with rows from split()
 * (what every step of a step-by-step sample draws) against the former shifted-seed rows (correlated,
 * kept here only as the cost reference) and one inverse real FFT of the same size. Run with
 * {@code java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main NoiseBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NoiseBenchmark {

	@Param({ "1024" })
	public int size;

	private HalfPlane plane;
	private RealFft2 fft;
	private double[] spectrum, pixels;
	private SplittableRandom rng;

	@Setup
	public void setup() {
		plane = new HalfPlane(size, size);
		fft = new RealFft2(plane);
		spectrum = fft.newSpectrum();
		pixels = new double[plane.pixels];
		rng = new SplittableRandom(1);
	}

	@Benchmark
	public double[] splitRows() {
		HermitianNoise.fillParallel(plane, rng, spectrum);
		return spectrum;
	}

	@Benchmark
	public double[] shiftedSeedRows() {
		final long seed = rng.nextLong();
		final int cols = plane.cols;
		java.util.stream.IntStream.range(0, plane.height).parallel().forEach(r -> {
			final SplittableRandom rr = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (r + 1));
			for (int c = 1; c < cols; c++) {
				spectrum[2 * (r * cols + c)] = rr.nextGaussian();
				spectrum[2 * (r * cols + c) + 1] = rr.nextGaussian();
			}
		});
		return spectrum;
	}

	@Benchmark
	public double[] inverseFft() {
		fft.inverse(spectrum, pixels);
		return pixels;
	}
}
