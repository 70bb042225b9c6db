package org.spectralposterior.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.posterior.ColourConvolution;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.ColourPrior;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The colour closed form against three grey ones, at 1024², same JMH run (target: colour ≤ 4× three
 * grey closed forms). "colour" pays everything a colour run adds: the eigendecomposition of every
 * 3×3 block (building the {@link ColourPrior}), the rotation of v into eigen-channels, the three
 * eigen-channel closed forms, the mean rotated back and W2 + E_v W2 summed; "grey" is three closed
 * forms with their mean and W2 + E_v W2 on the channels' own spectra.
 * Run: {@code java -cp ... org.openjdk.jmh.Main ColourBenchmark -f 1 -wi 2 -i 4}.
 */
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@BenchmarkMode(Mode.AverageTime)
@State(Scope.Thread)
public class ColourBenchmark {

	private static final int SIZE = 1024;
	private static final double SIGMA = 0.05;

	@Param({ "pigdm", "cgdm" })
	public String method;

	@Param({ "1000" })
	public int steps;

	HalfPlane plane;
	double[] blocks, means;
	GaussianPrior[] greys;
	BlurOperator blur;
	double[][] v;
	DiffusionSampler.Config cfg;

	/** A smooth, strongly coherent colour spectrum: Σ(k) = s(k) (a aᵀ + 0.1 I) with a frequency-dependent a (3×3 complex blocks, row-major). */
	static double[] coherentBlocks(final HalfPlane plane) {
		final double[] blocks = new double[plane.size * 18];
		for (int k = 0; k < plane.size; k++) {
			final double kr = plane.freqRow(k), kc = plane.freqCol(k), s = 1 / (1 + (kr * kr + kc * kc) / 64);
			final double[] a = { 1, 0.8 + 0.1 * Math.cos(kr / 50), 0.5 + 0.2 * Math.sin(kc / 70) };
			for (int i = 0; i < 3; i++) for (int l = 0; l < 3; l++) blocks[k * 18 + 2 * (i * 3 + l)] = s * (a[i] * a[l] + (i == l ? 0.1 : 0));
		}
		return blocks;
	}

	@Setup
	public void setup() {
		plane = new HalfPlane(SIZE, SIZE);
		blur = SuperResolutionBenchmark.blur(SIZE);
		blocks = coherentBlocks(plane);
		greys = new GaussianPrior[3];
		final double[][] lam = new double[3][plane.size];
		for (int k = 0; k < plane.size; k++) for (int i = 0; i < 3; i++) lam[i][k] = blocks[k * 18 + 2 * (i * 3 + i)];
		means = new double[] { 0.1, 0, -0.1 };
		for (int c = 0; c < 3; c++) greys[c] = new GaussianPrior(means[c], new org.spectralposterior.core.fourier.Spectrum(plane, lam[c]));
		final SplittableRandom r = new SplittableRandom(4);
		v = new double[3][plane.pixels];
		for (int c = 0; c < 3; c++) for (int p = 0; p < plane.pixels; p++) v[c][p] = 0.2 * r.nextGaussian();
		cfg = new DiffusionSampler.Config(Methods.parse(method), Schedule.linear(), steps, BaseStep.DDPM, 0, null, 0);
	}

	@Benchmark
	public double grey() {
		double acc = 0;
		for (int c = 0; c < 3; c++) {
			final DiffusionSampler s = new DiffusionSampler(greys[c], blur, SIGMA, cfg);
			final OutputLaw law = s.closedForm(v[c]).law();
			acc += law.meanImage(v[c])[0];
			acc += org.spectralposterior.core.metric.Wasserstein.between(law, s.posterior(), v[c]).squared();
			acc += org.spectralposterior.core.metric.Wasserstein.expected(law, s.posterior(), greys[c], SIGMA).squared();
		}
		return acc;
	}

	@Benchmark
	public double colour() {
		final ColourPrior prior = new ColourPrior(plane, means, blocks.clone());
		final ColourConvolution cc = new ColourConvolution(prior, blur, SIGMA);
		final double[][] ve = cc.toEigen(v);
		final List<OutputLaw> laws = new ArrayList<>(), posts = new ArrayList<>();
		for (int e = 0; e < 3; e++) {
			final DiffusionSampler s = new DiffusionSampler(cc.eigenPrior(e), blur, SIGMA, cfg);
			laws.add(s.closedForm(ve[e]).law());
			posts.add(s.posterior());
		}
		return cc.mean(laws, ve)[0][0] + cc.w2(laws, posts, ve).total().squared() + cc.expected(laws, posts).squared();
	}
}
