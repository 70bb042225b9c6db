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
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.ExactPosterior;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;
import org.spectralposterior.core.prior.PriorEstimator;

/**
 * One exact posterior sample versus its floor: one pixel-space white-noise field plus one inverse
 * real FFT of the same size (issue target: ratio ≤ 1.5 at 1024²). Run with
 * {@code java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main ExactSample}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExactSampleBenchmark {

	@Param({ "1024" })
	public int size;

	private OutputLaw.Sampler sampler;
	private RealFft2 fft;
	private double[] spectrum;
	private double[] pixels;
	private SplittableRandom rng;

	@Setup
	public void setup() {
		final int ex = 64;
		final double[] exemplar = new double[ex * ex];
		final SplittableRandom r = new SplittableRandom(1);
		for (int i = 0; i < exemplar.length; i++) exemplar[i] = r.nextGaussian() + (i % 7);
		final GaussianPrior prior = PriorEstimator.adsn(exemplar, ex, ex, size, size);
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(2), size, size);
		final double[] v = prior.sampler(2).next();
		sampler = ExactPosterior.of(prior, op, 0.1).sampler(op.apply(v), 3);
		fft = new RealFft2(new HalfPlane(size, size));
		spectrum = fft.newSpectrum();
		fft.forward(v, spectrum);
		pixels = new double[size * size];
		rng = new SplittableRandom(4);
	}

	@Benchmark
	public double[] exactPosteriorSample() {
		sampler.next(pixels);
		return pixels;
	}

	@Benchmark
	public double[] whiteNoisePlusInverseFft() {
		for (int i = 0; i < pixels.length; i++) pixels[i] = rng.nextGaussian();
		fft.inverse(spectrum, pixels);
		return pixels;
	}
}
