package org.spectralposterior.imagej;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.spectralposterior.core.Progress;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.diffusion.StepGrid;
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

	/** What the user chose, independent of the plane. */
	record Settings(String method, boolean stepByStep, String schedule, int trainSteps, String scheduleTable, int steps, String baseStep, double eta, String weights, String weightList,
		TunedWeights tuned, int t0, String dataRange, int trajectoryEvery) {

		boolean exact() {
			return SamplingTask.methodKey(method).equals("exact");
		}

		DiffusionSampler.Config config() {
			final Method m = Methods.parse(method);
			final Schedule sched = Schedule.parse(schedule, trainSteps, NumberLists.resolve("schedule_table", scheduleTable));
			final BaseStep base = BaseStep.parse(baseStep);
			final String mode = weights == null ? "heuristic" : weights.trim().toLowerCase(Locale.ROOT);
			switch (mode) {
				case "heuristic":
					return new DiffusionSampler.Config(m, sched, steps, base, eta, null, t0);
				case "custom": {
					if (weightList == null || weightList.isBlank()) throw new IllegalArgumentException("weights=custom needs weight_list=w1,w2,… (one per step, noisiest first) or the path of a file of them.");
					final double[] w = NumberLists.values("weight_list", weightList, "weight_list must be numbers separated by commas, or the path of an existing text file of them");
					return new DiffusionSampler.Config(m, sched, steps, base, eta, w, t0);
				}
				case "tuned": {
					if (!m.tunable()) throw new IllegalArgumentException(m.label + " has no guidance weights; leave the weights at heuristic.");
					if (tuned == null) throw new IllegalArgumentException("weights=tuned needs tuned_table=<a Tune Sampler Weights table or its CSV>.");
					if (tuned.etas() != null && base != BaseStep.DDIM) {
						throw new IllegalArgumentException("The table " + tuned.source() + " holds DDIM's η per step, designed with its weights: set base_step=ddim.");
					}
					final DiffusionSampler.Config cfg = new DiffusionSampler.Config(m, sched, steps, base, eta, tuned.perStep(), t0, tuned.bands(), tuned.etas());
					final StepGrid grid = cfg.grid();
					final int[] t = new int[grid.n];
					for (int j = 0; j < t.length; j++) t[j] = grid.t(j);
					tuned.checkFor(m.key, t, grid.abT);
					return cfg;
				}
				default:
					throw new IllegalArgumentException("weights must be heuristic, custom or tuned, got '" + weights + "'.");
			}
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

	MethodRun(final Settings s, final GaussianPrior prior, final double[] dataRange, final BlurOperator op, final double sigma, final double[] v, final Progress progress) {
		this.settings = s;
		this.v = v;
		buffer = new double[v.length];
		if (s.exact()) {
			exact = new org.spectralposterior.core.posterior.Problem(prior, new org.spectralposterior.core.posterior.Problem.Convolution(op), sigma).posterior();
			posterior = law = exact.spectralLaw();
			w2 = Wasserstein.between(law, posterior, v);
			expected = Wasserstein.expected(law, posterior, prior, sigma);
			map = null;
			sampler = null;
			vUnit = null;
			return;
		}
		exact = null;
		map = IntensityMap.parse(s.dataRange(), dataRange[0], dataRange[1]);
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
		// The samples of a step-by-step run are the sampler's own; only the reported law is the closed form.
		return settings.stepByStep() ? "samples step by step; law " + law : law;
	}
}
