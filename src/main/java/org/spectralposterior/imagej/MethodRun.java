package org.spectralposterior.imagej;

import java.util.List;
import java.util.SplittableRandom;

import org.spectralposterior.core.Progress;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.metric.MonteCarloW2;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * One method on one measurement plane, in the image's own intensity units. The exact posterior runs
 * in image units directly; a diffusion sampler runs in [−1, 1] units (the {@link IntensityMap}), and
 * everything it returns is mapped back: samples and means affinely, W2 by the scale factor.
 */
final class MethodRun {

	/**
	 * What the user chose, independent of the plane, parsed once by the front-end ({@link
	 * SamplingTask.Request#settings}): {@code config} is null for the exact posterior.
	 */
	record Settings(DiffusionSampler.Config config, boolean stepByStep, IntensityMap.Range dataRange, int trajectoryEvery) {

		boolean exact() {
			return config == null;
		}

		/** The same choices for runs on intensities already in [−1, 1] (a colour prior's eigen-channels), without a trajectory. */
		Settings inUnitIntensities() {
			return new Settings(config, stepByStep, IntensityMap.Range.of(-1, 1), 0);
		}
	}

	final OutputLaw law, posterior;
	final Wasserstein.Result w2;
	final Wasserstein.Expected expected;
	final IntensityMap map;
	final DiffusionSampler sampler;
	private final double[] v;
	private final double[] vUnit;
	private final Settings settings;
	/** The exact posterior when it is the method run (else null). */
	private final org.spectralposterior.core.posterior.Posterior exact;
	private org.spectralposterior.core.posterior.Posterior.Draws exactDraws;
	private OutputLaw.Sampler exactSampler;
	private DiffusionSampler.Stepper stepper;
	private final double[] buffer;
	private MonteCarloW2 monteCarlo;

	/** {@code map}: the plane's intensity map (ignored by the exact posterior, which runs in image units). */
	MethodRun(final Settings s, final GaussianPrior prior, final IntensityMap map, final BlurOperator op, final double sigma, final double[] v, final Progress progress) {
		this.settings = s;
		this.v = v;
		buffer = new double[v.length];
		if (s.exact()) {
			exact = new org.spectralposterior.core.posterior.Problem(prior, new org.spectralposterior.core.posterior.Problem.Convolution(op), sigma).posterior();
			posterior = law = exact.spectralLaw();
			w2 = Wasserstein.between(law, posterior, v);
			expected = Wasserstein.expected(law, posterior, prior, sigma);
			this.map = null;
			sampler = null;
			vUnit = null;
			return;
		}
		exact = null;
		this.map = map;
		final GaussianPrior priorUnit = map.toUnit(prior);
		final double sigmaUnit = map.noiseToUnit(sigma);
		vUnit = v.clone();
		map.toUnit(vUnit);
		sampler = new DiffusionSampler(priorUnit, op, sigmaUnit, s.config());
		// A long closed form (large images, n ~ T) must stop on Esc / interruption of the calling thread.
		final Thread caller = Thread.currentThread();
		law = sampler.closedForm(vUnit, () -> caller.isInterrupted() || progress.cancelled()).law();
		posterior = sampler.posterior();
		w2 = Wasserstein.between(law, posterior, vUnit).scaled(map.half());
		expected = Wasserstein.expected(law, posterior, priorUnit, sigmaUnit).scaled(map.half());
	}

	/**
	 * The next sample in image units, drawn from the plane's generator {@code planeRng}: a step-by-step
	 * sample takes a split of its own, the exact samplers one split for all their samples in turn.
	 */
	void sample(final float[] out, final SplittableRandom planeRng, final Progress progress, final int every, final List<DiffusionSampler.Snapshot> trajectory) {
		if (settings.stepByStep() && sampler != null) {
			if (stepper == null) {
				stepper = sampler.stepper(vUnit);
				final org.spectralposterior.core.fourier.RealFft2 fft = new org.spectralposterior.core.fourier.RealFft2(law.plane());
				final double[] vs = fft.newSpectrum();
				fft.forward(vUnit, vs);
				monteCarlo = new MonteCarloW2(law.plane(), posterior.meanSpectrum(vs), posterior.s2());
			}
			stepper.sample(buffer, planeRng.split(), progress, every, trajectory);
			monteCarlo.add(stepper.lastSpectrum());
		}
		else {
			if (exact != null) {
				if (exactDraws == null) exactDraws = exact.draws(v, planeRng, progress);
				exactDraws.next(buffer);
			}
			else {
				// A diffusion method's closed-form law, sampled exactly.
				if (exactSampler == null) exactSampler = law.sampler(vUnit, planeRng.split());
				exactSampler.next(buffer);
			}
		}
		if (map != null) map.fromUnit(buffer);
		for (int i = 0; i < out.length; i++) out[i] = (float) buffer[i];
	}

	/** The law's mean in image units. */
	double[] mean() {
		if (map == null) return law.meanImage(v);
		final double[] m = law.meanImage(vUnit);
		map.fromUnit(m);
		return m;
	}

	/** The law's per-pixel std in image units (uniform for a circulant covariance). */
	double std() {
		return Math.sqrt(law.pixelVariance()) * (map == null ? 1 : map.half());
	}

	/** Posterior trace in image units². */
	double posteriorTrace() {
		final double f = map == null ? 1 : map.half() * map.half();
		return posterior.plane().sumAll(posterior.s2()) * f;
	}

	/**
	 * W2² (image units²) of the step-by-step samples to the posterior, estimated by Monte Carlo with a
	 * 95% jackknife interval; null unless at least 3 step-by-step samples were drawn.
	 */
	MonteCarloW2.Estimate monteCarlo() {
		if (monteCarlo == null || monteCarlo.count() < 3) return null;
		return monteCarlo.estimate().scaled(map.half() * map.half());
	}

	String lawKind() {
		if (sampler == null) return "exact";
		final String law = sampler.config().method().linear() ? "exact (closed form)" : "linearised given v (docs/MATHEMATICS.md)";
		// The samples of a step-by-step run are the sampler's own; the figures (W2, std) are those of its
		// output law, which is computed in closed form — said in those words, not as "law: exact (closed form)".
		return settings.stepByStep() ? "samples drawn step by step; W2 and std from the sampler's output law, " + (sampler.config().method().linear() ? "computed exactly" : "linearised given v") : law;
	}
}
