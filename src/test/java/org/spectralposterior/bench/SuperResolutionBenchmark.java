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
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.diffusion.SuperResolutionSampler;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.SuperResolutionPosterior;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Super-resolution costs at 1024², each stated relative to a baseline measured in the same JMH run
 * (the machine is shared, so only ratios carry over): (a) one exact posterior sample at r = 4 in
 * units of one HR FFT pair; (b) the r = 2 closed form + E_v W2 for T = 1000 against the convolution
 * closed form + E_v W2 on the same prior and blur (target: SR ≤ 4× convolution).
 * Run: {@code java -cp ... org.openjdk.jmh.Main SuperResolutionBenchmark -f 1 -wi 2 -i 4}.
 */
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
public class SuperResolutionBenchmark {

	private static final int SIZE = 1024;
	private static final double SIGMA = 0.05;

	/**
	 * A smooth prior rather than the ADSN texture of {@link DiffusionBenchmark}: the SR cost does not
	 * depend on the spectrum's values, and a closed-form λ keeps the benchmark free of estimation.
	 */
	static GaussianPrior smoothPrior(final int size) {
		final HalfPlane plane = new HalfPlane(size, size);
		final double[] lam = new double[plane.size];
		for (int i = 0; i < plane.size; i++) {
			final double kr = plane.freqRow(i), kc = plane.freqCol(i);
			lam[i] = 1 / (1 + (kr * kr + kc * kc) / 64);
		}
		return new GaussianPrior(0, new Spectrum(plane, lam));
	}

	static BlurOperator blur(final int size) {
		return BlurOperator.of(OperatorSpec.gaussian(1.0), size, size);
	}

	/** (a) The exact r = 4 sample and its yardstick, one HR FFT pair, share one state so they run together. */
	@State(Scope.Thread)
	public static class Exact {
		SuperResolutionPosterior posterior;
		GaussianPrior.Sampler innovation;
		SplittableRandom noise;
		double[] mean, out, pixels, spectrum;
		RealFft2 fft;
		org.spectralposterior.core.posterior.GroupLaw.KrigingSampler kriging;

		@Setup
		public void setup() {
			final GaussianPrior prior = smoothPrior(SIZE);
			posterior = new SuperResolutionPosterior(prior, blur(SIZE), 4, SIGMA);
			final double[] v = posterior.degrade(prior.sampler(2).next());
			// The mean is per measurement, not per sample: a user drawing many samples pays it once.
			mean = posterior.mean(v);
			innovation = posterior.innovationSampler(new SplittableRandom(3));
			// The Fourier-domain kriging sampler Posterior Sampling uses (one inverse FFT per sample).
			kriging = org.spectralposterior.core.posterior.GroupLaw.posterior(prior, new org.spectralposterior.core.operator.AliasingGroups(blur(SIZE), 4), SIGMA).krigingSampler(prior, SIGMA, v,
				new SplittableRandom(3));
			noise = new SplittableRandom(4);
			out = new double[SIZE * SIZE];
			fft = new RealFft2(prior.plane());
			pixels = prior.sampler(5).next();
			spectrum = fft.newSpectrum();
		}
	}

	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	@OutputTimeUnit(TimeUnit.MILLISECONDS)
	public double[] exactSampleR4(final Exact e) {
		e.kriging.next(e.out);
		return e.out;
	}

	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	@OutputTimeUnit(TimeUnit.MILLISECONDS)
	public double[] fftPair(final Exact e) {
		e.fft.forward(e.pixels, e.spectrum);
		// Back into the input buffer: the pair is then a fixed point up to rounding, so repeated calls stay O(1).
		e.fft.inverse(e.spectrum, e.pixels);
		return e.pixels;
	}

	/**
	 * (b) Both closed forms on one prior, blur and config, so their ratio isolates the cost of the
	 * aliasing-group blocks (d = r² = 4 per group, O(d²) per step) over the diagonal recurrence.
	 */
	@State(Scope.Thread)
	public static class ClosedForms {
		@Param({ "cgdm", "dps", "ddrm" })
		String method;

		GaussianPrior prior;
		SuperResolutionSampler sr;
		DiffusionSampler convolution;

		@Setup
		public void setup() {
			prior = smoothPrior(SIZE);
			final BlurOperator blur = blur(SIZE);
			final DiffusionSampler.Config cfg = new DiffusionSampler.Config(Methods.parse(method), Schedule.linear(), 1000, BaseStep.DDPM, 1, null, 0);
			sr = new SuperResolutionSampler(prior, blur, 2, SIGMA, cfg);
			convolution = new DiffusionSampler(prior, blur, SIGMA, cfg);
		}
	}

	// One call is ~1 s (convolution) to many seconds (SR): single shots, so that -wi 2 -i 4 means
	// 6 calls and not 6 × 3 s time windows rounded up to whole calls.
	@Benchmark
	@BenchmarkMode(Mode.SingleShotTime)
	@OutputTimeUnit(TimeUnit.MILLISECONDS)
	public double srClosedFormAndExpectedW2R2T1000(final ClosedForms c) {
		return c.sr.closedForm().law().expected(c.sr.posterior(), c.prior, SIGMA).squared();
	}

	@Benchmark
	@BenchmarkMode(Mode.SingleShotTime)
	@OutputTimeUnit(TimeUnit.MILLISECONDS)
	public double convolutionClosedFormAndExpectedW2T1000(final ClosedForms c) {
		return Wasserstein.expected(c.convolution.closedForm().law(), c.convolution.posterior(), c.prior, SIGMA).squared();
	}
}
