package org.spectralposterior.core.diffusion;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.spectralposterior.core.Progress;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.HermitianNoise;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.posterior.ExactPosterior;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * A zero-shot diffusion sampler run with the exact score of a Gaussian prior, for a circulant
 * operator (blur or denoising), where every method's step is one affine map per frequency
 * (MATH §7.1). Two ways to run it, which agree in law:
 * <ul>
 * <li>{@link #closedForm()}: the exact output law per frequency, from the recurrences
 * p ← a p + κ, q ← a q + c, s² ← a² s² + ν² (MATH §8, Appendix A);</li>
 * <li>{@link #stepper}: the algorithm as written, step by step in the Fourier domain with fresh noise.</li>
 * </ul>
 * The method enters only through its {@link Guidance} (or DDRM's {@link Method.SpectralRule}) and its
 * start: with the exact denoiser x̂0 = M + g (x_t − sqrt(ᾱ_t) M), g = sqrt(ᾱ_t) λ/(ᾱ_t λ + 1 − ᾱ_t),
 * Γ = g(1 − ᾱ_t)/sqrt(ᾱ_t), a guided step is x_s = φ x̂0 + ψ x_t + ν z + κ conj(h) (v − h y), y = x̂0
 * (or x_t/sqrt(ᾱ_t) for a guidance "on x_t"), κ = w·{@link Guidance#kappa}(g, Γ, ρ, Γρ).
 * SDEdit [R]: x_init(v) is the exact posterior mean (Wiener filter); the start law is
 * p = sqrt(ᾱ_t0) κ*, q = sqrt(ᾱ_t0) q*, s² = 1 − ᾱ_t0.
 */
public final class DiffusionSampler {

	/** Frequencies per parallel block: large enough to amortise the fork, small enough to stay in cache. */
	private static final int BLOCK = 8192;

	/**
	 * @param weights per-step weights in execution order (noisiest step first), or null for the
	 *                method's heuristic
	 * @param t0      SDEdit start time (ignored otherwise)
	 * @param bands   weights per step and per frequency band (issue 11), or null; exclusive with
	 *                {@code weights}; convolution operators only
	 * @param etas    DDIM's η per step (execution order), or null for {@code eta} at every step
	 */
	public record Config(Method method, Schedule schedule, int steps, BaseStep base, double eta, double[] weights, int t0, BandWeights bands, double[] etas) {

		/** One weight per step (or the heuristic). */
		public Config(final Method method, final Schedule schedule, final int steps, final BaseStep base, final double eta, final double[] weights, final int t0) {
			this(method, schedule, steps, base, eta, weights, t0, null, null);
		}

		/** One η for every step. */
		public Config(final Method method, final Schedule schedule, final int steps, final BaseStep base, final double eta, final double[] weights, final int t0, final BandWeights bands) {
			this(method, schedule, steps, base, eta, weights, t0, bands, null);
		}

		public Config {
			if (weights != null && bands != null) throw new IllegalArgumentException("Give either one weight per step or weights per step and band, not both.");
			if (etas != null) {
				// η only enters DDIM's step; DDRM's η is a rule of its own (MATH §7.5), one value for the run.
				if (base != BaseStep.DDIM) throw new IllegalArgumentException("η per step needs base_step=ddim (the DDPM steps have no η).");
				if (method.start() == Method.Start.SPECTRAL) throw new IllegalArgumentException(method.label + " uses one η for the whole run (MATH §7.5); η per step is for the guided methods.");
				if (etas.length != steps) throw new IllegalArgumentException("There are " + etas.length + " values of η but " + steps + " steps; give one η per step.");
				for (int j = 0; j < etas.length; j++) BaseStep.checkEta(etas[j]);
				etas = etas.clone();
			}
		}

		/** The step grid this configuration runs on (from t0 for a method that starts from the posterior mean). */
		public StepGrid grid() {
			final int tMax;
			if (method.start() == Method.Start.POSTERIOR_MEAN) {
				if (t0 < 1 || t0 > schedule.T()) throw new IllegalArgumentException(method.label + "'s start t0 = " + t0 + " must lie in (0, T] = (0, " + schedule.T() + "].");
				tMax = t0;
			}
			else tMax = schedule.T();
			return etas == null ? new StepGrid(schedule, steps, tMax, base, eta) : new StepGrid(schedule, steps, tMax, base, etas);
		}

		/**
		 * Everything the engines need from the method, once: the grid, the weights, the unit-weight
		 * guidance of every step and DDRM's rule; refuses a bad σ or a σ the method cannot run with.
		 */
		public Plan plan(final double sigma) {
			if (bands != null) {
				// The band weights act per Fourier frequency, which diagonalises only a convolution.
				throw new IllegalArgumentException("band weights need a convolution operator (blur or denoising); use parametrisation=per step and weights=custom with one weight per step for super-resolution, inpainting and colour.");
			}
			return planOf(sigma);
		}

		/** {@link #plan} without the refusal of band weights: for {@link DiffusionSampler}, which applies them. */
		Plan planOf(final double sigma) {
			if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + sigma);
			BaseStep.checkEta(eta);
			method.check(sigma);
			final StepGrid grid = grid();
			final Guidance[] unit = new Guidance[grid.n];
			for (int j = 0; j < grid.n; j++) unit[j] = method.guidance(grid, j, sigma);
			return new Plan(grid, bands != null ? firstBand(bandWeightsOn(grid)) : weightsOn(grid), unit, method.spectralRule(grid));
		}

		/** Band 0's weight of every step: what a per-step consumer of the plan (a progress report, the realised weights) sees. */
		private static double[] firstBand(final double[][] w) {
			final double[] out = new double[w.length];
			for (int j = 0; j < w.length; j++) out[j] = w[j][0];
			return out;
		}

		/**
		 * The weights in use per step and band, n × B: the band weights (checked against the grid and
		 * the method), or the per-step weights as one band.
		 */
		public double[][] bandWeightsOn(final StepGrid grid) {
			if (bands == null) {
				final double[] w = weightsOn(grid);
				final double[][] out = new double[w.length][];
				for (int j = 0; j < w.length; j++) out[j] = new double[] { w[j] };
				return out;
			}
			if (!method.tunable()) throw new IllegalArgumentException(method.label + " has no guidance weights; leave the weights at heuristic.");
			if (!method.linear()) throw new IllegalArgumentException(method.label + " divides its weight by the residual, which couples the bands; band weights need a method linear in its weights (e.g. dps, pigdm).");
			if (bands.steps() != grid.n) throw new IllegalArgumentException("The band weights have " + bands.steps() + " rows (steps) but there are " + grid.n + " steps; give one row per step (tune with the same steps).");
			return bands.weights();
		}

		/** The weights in use: the given ones (checked) or the method's heuristic ones. */
		public double[] weightsOn(final StepGrid grid) {
			final int n = grid.n;
			final double[] out = new double[n];
			if (weights != null) {
				if (!method.tunable()) throw new IllegalArgumentException(method.label + " has no guidance weights; leave the weights at heuristic.");
				if (weights.length != n) throw new IllegalArgumentException("The weights list has " + weights.length + " values but there are " + n + " steps; give one weight per step.");
				for (int j = 0; j < n; j++) {
					final double w = weights[j];
					if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("Weight " + (j + 1) + " is " + w + "; weights must be finite and ≥ 0.");
					out[j] = w;
				}
			}
			else for (int j = 0; j < n; j++) out[j] = method.heuristicWeight(grid, j);
			return out;
		}
	}

	/** A configuration resolved for one noise level (see {@link Config#plan}). */
	public record Plan(StepGrid grid, double[] weights, Guidance[] unit, Method.SpectralRule ddrm) {}

	// Package-private for WeightObjective, which differentiates the same recurrence.
	final GaussianPrior prior;
	final BlurOperator op;
	final double sigma;
	private final Config cfg;
	final Method method;
	final StepGrid grid;
	final int n;
	/** Per step j = 0..n−1 in execution order (views of the grid's arrays). */
	final double[] abT, abS, phi, psi, nu, weight;
	/** Weights per step and band, n × B (B = 1: one weight per step, as {@code weight}). */
	final double[][] bandWeight;
	/** The bands of the weights, or null for one weight per step. */
	final FrequencyBands bands;
	/** The method's guidance at unit weight, per step. */
	final Guidance[] unit;
	private final Method.SpectralRule ddrm;
	private final OutputLaw posterior;

	public DiffusionSampler(final GaussianPrior prior, final BlurOperator op, final double sigma, final Config cfg) {
		if (!prior.plane().sameShape(op.plane())) throw new IllegalArgumentException("The prior is " + prior.plane() + " but the operator is " + op.plane() + ".");
		final Plan plan = cfg.planOf(sigma);
		this.prior = prior;
		this.op = op;
		this.sigma = sigma;
		this.cfg = cfg;
		this.method = cfg.method();
		grid = plan.grid();
		n = grid.n;
		abT = grid.abT;
		abS = grid.abS;
		phi = grid.phi;
		psi = grid.psi;
		nu = grid.nu;
		weight = plan.weights();
		bandWeight = cfg.bandWeightsOn(grid);
		bands = cfg.bands() == null ? null : FrequencyBands.of(cfg.bands().by(), cfg.bands().bands(), prior.plane(), prior.spectrum().values());
		unit = plan.unit();
		ddrm = plan.ddrm();
		posterior = ExactPosterior.of(prior, op, sigma);
	}

	/** The weights in use, execution order (a copy); with band weights step-major, index j·B + b. */
	public double[] weights() {
		if (bands == null) return weight.clone();
		final int nb = bands.count();
		final double[] out = new double[n * nb];
		for (int j = 0; j < n; j++) System.arraycopy(bandWeight[j], 0, out, j * nb, nb);
		return out;
	}

	/** The frequency bands of the weights, or null for one weight per step. */
	public FrequencyBands bands() {
		return bands;
	}

	public int steps() {
		return n;
	}

	/** The timestep t of each sampling step, execution order (noisiest first). */
	public int[] timesteps() {
		final int[] t = new int[n];
		for (int j = 0; j < n; j++) t[j] = grid.t(j);
		return t;
	}

	public StepGrid grid() {
		return grid;
	}

	public OutputLaw posterior() {
		return posterior;
	}

	public Config config() {
		return cfg;
	}

	/** κ of step j at one frequency with weight w, eigenvalue λ, ρ = |h|² and denoiser gain g. */
	double kappa(final int j, final double w, final double lam, final double rho, final double g) {
		final double gam = g * (1 - abT[j]) / Math.sqrt(abT[j]);
		return w * unit[j].kappa(g, gam, rho, gam * rho);
	}

	/**
	 * One DDRM step at one frequency as an affine map (MATH §7.5, VP coordinates):
	 * x_s = a x_t + b conj(h) V + c M + e z, written into {@code out} = {a, b, c, e}. In VE coordinates
	 * X̄ = X/sqrt(ᾱ), σ_t = sqrt((1 − ᾱ_t)/ᾱ_t), with X̂0 = g x_t + (1 − g sqrt(ᾱ_t)) M and ȳ = conj(h)V/ρ,
	 * and the authors' branch tests on |h| σ_s against σ_y:
	 * <pre>
	 *   |h|σ_s > σ_y:  X̄_s = (1 − η_b) X̂0 + η_b ȳ + sqrt(σ_s² − η_b²σ_y²/ρ) z
	 *   |h|σ_s < σ_y:  X̄_s = X̂0 + sqrt(1 − η²) σ_s |h| (ȳ − X̂0)/σ_y + η σ_s z
	 *   otherwise:     X̄_s = X̂0 + sqrt(1 − η²) σ_s (X̄_t − X̂0)/σ_t + η σ_s z   (what A does not see)
	 * </pre>
	 */
	void ddrmStep(final int j, final double l, final double r, final double[] out) {
		final double abt = abT[j], sab = Math.sqrt(abt), sas = Math.sqrt(abS[j]);
		final double g = sab * l / (abt * l + 1 - abt), bias = 1 - g * sab;
		final double sigT = grid.veT[j], sigS = grid.veS[j];
		final double eta = ddrm.eta(), etaB = ddrm.etaB(), c1 = Math.sqrt(1 - eta * eta) * sigS, sv = Math.sqrt(r), sy = sigma;
		double a, b, c, e;
		if (sv * sigS > sy) {
			final double d = Math.sqrt(Math.max(0, sigS * sigS - etaB * etaB * sy * sy / r));
			a = (1 - etaB) * g;
			b = etaB / r;
			c = (1 - etaB) * bias;
			e = d;
		}
		else if (r > 0 && sv * sigS < sy) {
			// r > 0: a frequency the blur removes entirely (ρ = 0 exactly, e.g. a box PSF's Nyquist) is
			// in the null space of A and takes the last branch (MATH §7.5), not a vanishing correction.
			final double f = c1 * sv / sy;
			a = (1 - f) * g;
			b = r > 0 ? f / r : 0;
			c = (1 - f) * bias;
			e = eta * sigS;
		}
		else {
			final double f = c1 / sigT;
			a = (1 - f) * g + f / sab;
			b = 0;
			c = (1 - f) * bias;
			e = eta * sigS;
		}
		out[0] = sas * a;
		out[1] = sas * b;
		out[2] = sas * c;
		out[3] = sas * e;
	}

	/** DDRM's x_T at one frequency: {coefficient of conj(h)V, noise variance} (sqrt(ᾱ_T)(ȳ + …) or the prior's). */
	void ddrmInit(final double r, final double[] out) {
		final double abt = abT[0], sigT2 = (1 - abt) / abt;
		if (Math.sqrt(r * sigT2) > sigma) {
			out[0] = Math.sqrt(abt) / r;
			out[1] = abt * Math.max(0, sigT2 - sigma * sigma / r);
		}
		else {
			out[0] = 0;
			out[1] = 1 - abt;
		}
	}

	/** The closed-form output law and the gain of the initial noise. */
	public record Law(OutputLaw law, double[] initialNoiseGain, double[] weights, boolean exact) {}

	/**
	 * The exact output law (MATH §8). For the residual-normalised DPS the weight ζ'/‖r_t‖ uses
	 * sqrt(E‖r_t‖²) over the measurement marginal (MATH §7.3, linearisation; {@code exact = false}).
	 * Frequencies are processed in cache-sized blocks, in parallel, each block running all steps.
	 */
	public Law closedForm() {
		return closedForm(null);
	}

	/**
	 * As {@link #closedForm()}, but the residual-normalised DPS weights are linearised given this
	 * measurement (pixels) rather than over the measurement marginal (MATH §7.3 "given v"); the other
	 * methods do not depend on it.
	 */
	public Law closedForm(final double[] measurement) {
		return closedForm(measurement, () -> false);
	}

	/**
	 * As {@link #closedForm(double[])}, checking {@code cancelled} at every step of every block (the
	 * blocks run on pool threads, so the caller's interruption must be captured in the supplier);
	 * throws {@link java.util.concurrent.CancellationException} when it turns true.
	 */
	public Law closedForm(final double[] measurement, final java.util.function.BooleanSupplier cancelled) {
		final HalfPlane plane = prior.plane();
		final int size = plane.size;
		final double[] lam = prior.spectrum().values(), rho = op.rho();
		final double[] p = new double[size], s2 = new double[size], gain = new double[size];
		double[] vSpec = null;
		final boolean normalised = method.normalisedByResidual();
		if (measurement != null && normalised) {
			final RealFft2 fft = new RealFft2(plane);
			vSpec = fft.newSpectrum();
			fft.forward(measurement, vSpec);
		}
		final double[] w = normalised ? normalizedDpsWeights(vSpec) : weight;
		// Weights per step and band (one band for one weight per step; the normalised DPS weights, realised, as one band).
		final double[][] wb = normalised ? new double[n][1] : bandWeight;
		if (normalised) for (int j = 0; j < n; j++) wb[j][0] = w[j];
		final Method.Start start = method.start();
		final boolean fromMean = start == Method.Start.POSTERIOR_MEAN;
		final double s20 = fromMean ? 1 - abT[0] : 1, g0 = Math.sqrt(s20), sab0 = Math.sqrt(abT[0]);
		// With bands the frequencies run sorted by band, in blocks of one band each, so that every step
		// is still one weight per loop (the vectorised loops of guidedStep); the results are put back after.
		final int[] order = bands == null ? null : bands.order();
		final double[] lamO = FrequencyBands.permuted(lam, order), rhoO = FrequencyBands.permuted(rho, order), postP = FrequencyBands.permuted(posterior.p(), order);
		final int[][] runs = FrequencyBands.runs(bands == null ? null : FrequencyBands.permuted(bands.bands(), order), size, 2048);
		IntStream.range(0, runs.length).parallel().forEach(b -> {
			final int from = runs[b][0], to = runs[b][1], band = runs[b][2];
			if (start == Method.Start.SPECTRAL) {
				ddrmBlock(from, to, lamO, rhoO, p, s2, gain, cancelled);
				return;
			}
			for (int k = from; k < to; k++) {
				p[k] = fromMean ? sab0 * postP[k] : 0;
				s2[k] = s20;
				gain[k] = g0;
			}
			for (int j = 0; j < n; j++) {
				if (cancelled.getAsBoolean()) throw new java.util.concurrent.CancellationException("Cancelled by the user");
				// Π a decays geometrically: flushing it to 0 every 8 steps, well before it could go subnormal
				// (subnormal arithmetic is ~100× slower), keeps the step loops branch-free, hence vectorised.
				if ((j & 7) == 7) flushTiny(gain, from, to);
				guidedStep(unit[j], wb[j][band], from, to, lamO, rhoO, p, s2, gain, abT[j], phi[j], psi[j], nu[j] * nu[j]);
			}
		});
		FrequencyBands.restore(p, order);
		FrequencyBands.restore(s2, order);
		FrequencyBands.restore(gain, order);
		// The bias lives at DC only (constant prior mean): a scalar recurrence.
		final double[] q = new double[size];
		final double m = prior.meanDc();
		double qq = fromMean ? sab0 * posterior.q()[0] : 0;
		final double[] coef = new double[4];
		final int dcBand = bands == null || normalised ? 0 : bands.band(0);
		for (int j = 0; j < n; j++) {
			if (start == Method.Start.SPECTRAL) {
				ddrmStep(j, lam[0], rho[0], coef);
				qq = coef[0] * qq + coef[2] * m;
				continue;
			}
			final double l = lam[0], r = rho[0], sab = Math.sqrt(abT[j]);
			final double g = sab * l / (abT[j] * l + 1 - abT[j]);
			final double kap = kappa(j, wb[j][dcBand], l, r, g);
			final boolean onXt = unit[j].onXt();
			final double a = onXt ? phi[j] * g + psi[j] - kap * r / sab : (phi[j] - kap * r) * g + psi[j];
			qq = a * qq + (onXt ? phi[j] : phi[j] - kap * r) * (1 - g * sab) * m;
		}
		q[0] = qq;
		return new Law(new OutputLaw(op, p, q, s2), gain, normalised ? w.clone() : weights(), method.linear());
	}

	private static void flushTiny(final double[] v, final int from, final int to) {
		for (int k = from; k < to; k++) if (Math.abs(v[k]) < 1e-200) v[k] = 0;
	}

	/**
	 * One step of the §8 recurrence for frequencies [from, to), for any {@link Guidance} at weight w:
	 * κ = w·scale·(fG g + fΓ Γ + fI)/(dAA ρ + dAΓA Γρ + dI), then a, p, s² and the noise gain. Static
	 * straight-line loops (one per shape of the guidance) so that the JIT vectorises them.
	 */
	static void guidedStep(final Guidance u, final double w, final int from, final int to, final double[] lam, final double[] rho, final double[] p, final double[] s2,
		final double[] gain, final double ab, final double ph, final double ps, final double nu2) {
		final double sab = Math.sqrt(ab), one = 1 - ab, gf = one / sab;
		final double sc = w * u.scale(), fG = u.fG(), fGam = u.fGamma(), fI = u.fI(), dAA = u.dAA(), dAGA = u.dAGammaA(), dI = u.dI();
		final double thr = u.pseudoInverse() ? Guidance.PINV_THRESHOLD : 0;
		if (u.onXt()) {
			// a = φg + ψ − κρ/sqrt(ᾱ): the residual is taken on x_t/sqrt(ᾱ_t), not on x̂0.
			for (int k = from; k < to; k++) {
				final double l = lam[k], r = rho[k];
				final double g = sab * l / (ab * l + one), gam = g * gf;
				final double den = dAA * r + dAGA * gam * r + dI;
				final double kap = den > thr ? sc * (fG * g + fGam * gam + fI) / den : 0;
				final double a = ph * g + ps - kap * r / sab;
				p[k] = a * p[k] + kap;
				s2[k] = a * a * s2[k] + nu2;
				gain[k] *= a;
			}
		}
		// Loops specialised by the guidance's shape: C2 leaves the general one (F = fG g + fΓ Γ + fI, a
		// select on the bracket) scalar, and it was 10× slower at 1024², T = 1000 than these.
		else if (fGam == 0 && fI == 0 && dAGA == 0 && dAA == 0 && dI > thr) {
			// F = fG·g over a constant bracket (DPS): no division for κ.
			final double c = sc * fG / dI;
			for (int k = from; k < to; k++) {
				final double l = lam[k], r = rho[k];
				final double g = sab * l / (ab * l + one);
				final double kap = c * g;
				final double a = (ph - kap * r) * g + ps;
				p[k] = a * p[k] + kap;
				s2[k] = a * a * s2[k] + nu2;
				gain[k] *= a;
			}
		}
		else if (fGam == 0 && fI == 0 && dAGA == 0 && !u.pseudoInverse() && dI > 0 && dAA >= 0) {
			// F = fG·g over a bracket dAA ρ + dI ≥ dI > 0 (ΠGDM)
			final double c = sc * fG;
			for (int k = from; k < to; k++) {
				final double l = lam[k], r = rho[k];
				final double g = sab * l / (ab * l + one);
				final double kap = c * g / (dAA * r + dI);
				final double a = (ph - kap * r) * g + ps;
				p[k] = a * p[k] + kap;
				s2[k] = a * a * s2[k] + nu2;
				gain[k] *= a;
			}
		}
		else if (fG == 0 && fI == 0 && dAA == 0 && !u.pseudoInverse() && dI > 0 && dAGA >= 0) gammaStep(sc * fGam, dAGA, dI, from, to, lam, rho, p, s2, gain, ab, ph, ps, nu2);
		else {
			for (int k = from; k < to; k++) {
				final double l = lam[k], r = rho[k];
				final double g = sab * l / (ab * l + one), gam = g * gf;
				final double den = dAA * r + dAGA * gam * r + dI;
				final double kap = den > thr ? sc * (fG * g + fGam * gam + fI) / den : 0;
				final double a = (ph - kap * r) * g + ps;
				p[k] = a * p[k] + kap;
				s2[k] = a * a * s2[k] + nu2;
				gain[k] *= a;
			}
		}
	}

	/** F = c·Γ over the bracket dAΓA·Γρ + dI ≥ dI > 0 (CGDM with σ > 0); a method of its own so that C2 vectorises it. */
	private static void gammaStep(final double c, final double dAGA, final double dI, final int from, final int to, final double[] lam, final double[] rho, final double[] p,
		final double[] s2, final double[] gain, final double ab, final double ph, final double ps, final double nu2) {
		final double sab = Math.sqrt(ab), one = 1 - ab;
		for (int k = from; k < to; k++) {
			final double l = lam[k], r = rho[k];
			final double den = ab * l + one;
			final double g = sab * l / den;
			// κ = cΓ/(dAΓA Γρ + dI) with Γ = (1 − ᾱ)λ/den, over one division
			final double lo = l * one;
			final double kap = c * lo / (dAGA * lo * r + dI * den);
			final double a = (ph - kap * r) * g + ps;
			p[k] = a * p[k] + kap;
			s2[k] = a * a * s2[k] + nu2;
			gain[k] *= a;
		}
	}

	/** The DDRM closed form for frequencies [from, to): p ← a p + b, s² ← a² s² + e², from DDRM's x_T. */
	private void ddrmBlock(final int from, final int to, final double[] lam, final double[] rho, final double[] p, final double[] s2, final double[] gain,
		final java.util.function.BooleanSupplier cancelled) {
		final double[] coef = new double[4], init = new double[2];
		for (int k = from; k < to; k++) {
			ddrmInit(rho[k], init);
			p[k] = init[0];
			s2[k] = init[1];
			gain[k] = Math.sqrt(init[1]);
		}
		for (int j = 0; j < n; j++) {
			if (cancelled.getAsBoolean()) throw new java.util.concurrent.CancellationException("Cancelled by the user");
			if ((j & 7) == 7) flushTiny(gain, from, to);
			for (int k = from; k < to; k++) {
				ddrmStep(j, lam[k], rho[k], coef);
				p[k] = coef[0] * p[k] + coef[1];
				s2[k] = coef[0] * coef[0] * s2[k] + coef[3] * coef[3];
				gain[k] *= coef[0];
			}
		}
	}

	/**
	 * Linearised residual-normalised DPS (MATH §7.3): w_t = ζ'_t / sqrt(E‖r_t‖²), the expectation over
	 * the sampler's current law and the measurement marginal. Needs a reduction over all
	 * frequencies before each step, so it runs step by step over the whole spectrum.
	 */
	private double[] normalizedDpsWeights(final double[] vSpec) {
		final HalfPlane plane = prior.plane();
		final int size = plane.size;
		final double[] lam = prior.spectrum().values(), rho = op.rho();
		final double[] p = new double[size], s2 = new double[size];
		java.util.Arrays.fill(s2, 1);
		double q = 0;
		final double m = prior.meanDc(), var = sigma * sigma;
		final double[] w = new double[n];
		for (int j = 0; j < n; j++) {
			final double sab = Math.sqrt(abT[j]), one = 1 - abT[j];
			double e = 0;
			for (int k = 0; k < size; k++) {
				final double l = lam[k], r = rho[k];
				final double g = sab * l / (abT[j] * l + one);
				final double u = 1 - g * r * p[k];
				double term = r * g * g * s2[k];
				if (vSpec == null) {
					// Marginal: V_k ~ N(h_k M_k, ρλ + σ²); the bias only at DC.
					term += u * u * (r * l + var);
					if (k == 0) {
						final double bias = g * (sab * m - r * p[k] * m - q);
						term += r * bias * bias;
					}
				}
				else {
					// Given v: |(1 − gρp) V − h ((1 − g sqrt(ᾱ)) M + g q)|², the offset only at DC.
					final double off = k == 0 ? (1 - g * sab) * m + g * q : 0;
					final double hr = op.transfer()[2 * k], hi = op.transfer()[2 * k + 1];
					final double er = u * vSpec[2 * k] - hr * off, ei = u * vSpec[2 * k + 1] - hi * off;
					term += er * er + ei * ei;
				}
				e += plane.multiplicity(k) * term;
			}
			w[j] = e > 0 ? weight[j] / Math.sqrt(e) : 0;
			for (int k = 0; k < size; k++) {
				final double l = lam[k], r = rho[k];
				final double g = sab * l / (abT[j] * l + one);
				final double kap = w[j] * g;
				final double a = (phi[j] - kap * r) * g + psi[j];
				if (k == 0) q = a * q + (phi[j] - kap * r) * (1 - g * sab) * m;
				p[k] = a * p[k] + kap;
				s2[k] = a * a * s2[k] + nu[j] * nu[j];
			}
		}
		return w;
	}

	/** Snapshot of a step-by-step run after step {@code step}: x_t at time t and the x̂0 that produced it (pixels). */
	public record Snapshot(int step, int t, double[] xt, double[] x0hat) {}

	/** A step-by-step sampler for one measurement. Not thread-safe; reuses its buffers. */
	public Stepper stepper(final double[] measurement) {
		return new Stepper(measurement);
	}

	public final class Stepper {
		private final HalfPlane plane = prior.plane();
		private final RealFft2 fft = new RealFft2(plane);
		private final double[] v = fft.newSpectrum(), x = fft.newSpectrum(), x0 = fft.newSpectrum(), z = fft.newSpectrum(), init;
		private final double[] lam = prior.spectrum().values(), rho = op.rho(), h = op.transfer();
		private final double[] usedWeights = new double[n];
		private final int[] bandOf = bands == null ? null : bands.bands();

		private Stepper(final double[] measurement) {
			fft.forward(measurement, v);
			init = method.start() == Method.Start.POSTERIOR_MEAN ? posterior.meanSpectrum(v) : null;
		}

		/**
		 * One sample into {@code out}, every noise field (x_T, then one per step) drawn from {@code rng}
		 * (a generator of its own for this sample, see {@code RandomStreams}); snapshots every {@code
		 * every} steps (0 = none) into {@code trajectory}.
		 */
		public void sample(final double[] out, final SplittableRandom rng, final Progress progress, final int every, final List<Snapshot> trajectory) {
			final int size = plane.size;
			final double m = prior.meanDc();
			HermitianNoise.fillParallel(plane, rng, x);
			if (init != null) {
				final double a = Math.sqrt(abT[0]), b = Math.sqrt(1 - abT[0]);
				for (int i = 0; i < x.length; i++) x[i] = a * init[i] + b * x[i];
			}
			if (method.start() == Method.Start.SPECTRAL) {
				sampleDdrm(rng, progress, every, trajectory);
				fft.inverse(x, out);
				return;
			}
			final boolean normalized = method.normalisedByResidual();
			for (int j = 0; j < n; j++) {
				if (progress != null) {
					progress.checkCancelled();
					progress.detail("step " + (j + 1) + "/" + n);
				}
				final double sab = Math.sqrt(abT[j]), ab = abT[j], one = 1 - abT[j], ph = phi[j], ps = psi[j], nuJ = nu[j];
				final double dc = m * (1 - (sab * lam[0] / (ab * lam[0] + one)) * sab);
				double wj = weight[j];
				if (normalized) {
					// ζ'/‖v − A x̂0‖ needs the whole residual before the step: one extra pass.
					double rNorm2 = 0;
					for (int k = 0; k < size; k++) {
						final double g = sab * lam[k] / (ab * lam[k] + one);
						final double re = g * x[2 * k] + (k == 0 ? dc : 0), im = g * x[2 * k + 1];
						final double hr = h[2 * k], hi = h[2 * k + 1];
						final double rr = v[2 * k] - (hr * re - hi * im), ri = v[2 * k + 1] - (hr * im + hi * re);
						rNorm2 += plane.multiplicity(k) * (rr * rr + ri * ri);
					}
					wj = rNorm2 > 0 ? weight[j] / Math.sqrt(rNorm2) : 0;
				}
				usedWeights[j] = wj;
				final boolean snapshot = trajectory != null && every > 0 && ((j + 1) % every == 0 || j == n - 1);
				if (nuJ > 0) HermitianNoise.fillParallel(plane, rng, z);
				final double noise = nuJ > 0 ? nuJ : 0, wStep = wj;
				// Band weights: frequency k takes its band's weight of this step.
				final double[] bw = bandWeight[j];
				final Guidance u = unit[j];
				final boolean onXt = u.onXt(), guided = !u.none();
				final double gf = one / sab;
				// One fused pass: x̂0 = M + g(x − sqrt(ᾱ)M), r = v − h y (y = x̂0, or x/sqrt(ᾱ) for a guidance
				// on x_t), x ← φ x̂0 + ψ x + κ conj(h) r + ν z, over blocks of frequencies in parallel.
				IntStream.range(0, (size + BLOCK - 1) / BLOCK).parallel().forEach(b -> {
				for (int k = b * BLOCK, end = Math.min(size, k + BLOCK); k < end; k++) {
					final double l = lam[k], r = rho[k];
					final double g = sab * l / (ab * l + one);
					final double xr = x[2 * k], xi = x[2 * k + 1];
					final double re = g * xr + (k == 0 ? dc : 0), im = g * xi;
					if (snapshot) {
						x0[2 * k] = re;
						x0[2 * k + 1] = im;
					}
					double gr = 0, gi = 0;
					if (guided) {
						final double gam = g * gf, kap = (bandOf == null ? wStep : bw[bandOf[k]]) * u.kappa(g, gam, r, gam * r);
						final double yr = onXt ? xr / sab : re, yi = onXt ? xi / sab : im;
						final double hr = h[2 * k], hi = h[2 * k + 1];
						final double rr = v[2 * k] - (hr * yr - hi * yi), ri = v[2 * k + 1] - (hr * yi + hi * yr);
						// κ conj(h) r
						gr = kap * (hr * rr + hi * ri);
						gi = kap * (hr * ri - hi * rr);
					}
					final double zr = noise > 0 ? noise * z[2 * k] : 0, zi = noise > 0 ? noise * z[2 * k + 1] : 0;
					x[2 * k] = ph * re + ps * xr + gr + zr;
					x[2 * k + 1] = ph * im + ps * xi + gi + zi;
				}
				});
				if (snapshot) {
					final double[] xt = new double[plane.pixels], xh = new double[plane.pixels];
					fft.inverse(x, xt);
					fft.inverse(x0, xh);
					trajectory.add(new Snapshot(j + 1, grid.s(j), xt, xh));
				}
			}
			fft.inverse(x, out);
		}

		/**
		 * DDRM as the authors' code runs it, per frequency (A's singular vectors are Fourier modes):
		 * x_T from ȳ = conj(h)V/ρ, then at each step the branch by |h|σ_s against σ_y, in VE coordinates.
		 */
		private void sampleDdrm(final SplittableRandom rng, final Progress progress, final int every, final List<Snapshot> trajectory) {
			final int size = plane.size;
			final double m = prior.meanDc(), sy = sigma, eta = ddrm.eta(), etaB = ddrm.etaB();
			{
				// x currently holds unit white noise z.
				final double ab = abT[0], sig2 = (1 - ab) / ab;
				for (int k = 0; k < size; k++) {
					final double r = rho[k];
					if (r > 0 && Math.sqrt(r * sig2) > sy) {
						final double d = Math.sqrt(Math.max(0, sig2 - sy * sy / r)), yr = (h[2 * k] * v[2 * k] + h[2 * k + 1] * v[2 * k + 1]) / r,
							yi = (h[2 * k] * v[2 * k + 1] - h[2 * k + 1] * v[2 * k]) / r;
						x[2 * k] = Math.sqrt(ab) * (yr + d * x[2 * k]);
						x[2 * k + 1] = Math.sqrt(ab) * (yi + d * x[2 * k + 1]);
					}
					else {
						x[2 * k] *= Math.sqrt(1 - ab);
						x[2 * k + 1] *= Math.sqrt(1 - ab);
					}
				}
			}
			for (int j = 0; j < n; j++) {
				if (progress != null) {
					progress.checkCancelled();
					progress.detail("step " + (j + 1) + "/" + n);
				}
				final double ab = abT[j], sab = Math.sqrt(ab), sas = Math.sqrt(abS[j]);
				final double sigT = grid.veT[j], sigS = grid.veS[j], c1 = Math.sqrt(1 - eta * eta) * sigS;
				final double dc = m * (1 - (sab * lam[0] / (ab * lam[0] + 1 - ab)) * sab);
				final boolean snapshot = trajectory != null && every > 0 && ((j + 1) % every == 0 || j == n - 1);
				HermitianNoise.fillParallel(plane, rng, z);
				IntStream.range(0, (size + BLOCK - 1) / BLOCK).parallel().forEach(b -> {
					for (int k = b * BLOCK, end = Math.min(size, k + BLOCK); k < end; k++) {
						final double l = lam[k], r = rho[k], sv = Math.sqrt(r);
						final double g = sab * l / (ab * l + 1 - ab);
						final double x0r = g * x[2 * k] + (k == 0 ? dc : 0), x0i = g * x[2 * k + 1];
						if (snapshot) {
							x0[2 * k] = x0r;
							x0[2 * k + 1] = x0i;
						}
						final double yr = r > 0 ? (h[2 * k] * v[2 * k] + h[2 * k + 1] * v[2 * k + 1]) / r : 0;
						final double yi = r > 0 ? (h[2 * k] * v[2 * k + 1] - h[2 * k + 1] * v[2 * k]) / r : 0;
						double nr, ni;
						if (sv * sigS > sy) {
							final double d = Math.sqrt(Math.max(0, sigS * sigS - etaB * etaB * sy * sy / r));
							nr = (1 - etaB) * x0r + etaB * yr + d * z[2 * k];
							ni = (1 - etaB) * x0i + etaB * yi + d * z[2 * k + 1];
						}
						else if (r > 0 && sv * sigS < sy) {
							nr = x0r + c1 * sv * (yr - x0r) / sy + eta * sigS * z[2 * k];
							ni = x0i + c1 * sv * (yi - x0i) / sy + eta * sigS * z[2 * k + 1];
						}
						else {
							nr = x0r + c1 * (x[2 * k] / sab - x0r) / sigT + eta * sigS * z[2 * k];
							ni = x0i + c1 * (x[2 * k + 1] / sab - x0i) / sigT + eta * sigS * z[2 * k + 1];
						}
						x[2 * k] = sas * nr;
						x[2 * k + 1] = sas * ni;
					}
				});
				if (snapshot) {
					final double[] xt = new double[plane.pixels], xh = new double[plane.pixels];
					fft.inverse(x, xt);
					fft.inverse(x0, xh);
					trajectory.add(new Snapshot(j + 1, grid.s(j), xt, xh));
				}
			}
		}

		/** The weights the last sample used (for DPS-normalised: ζ'/‖r_t‖ as realised). */
		public double[] lastWeights() {
			return usedWeights.clone();
		}

		/** The spectrum of the last sample (unitary, half plane); valid after {@link #sample}. */
		public double[] lastSpectrum() {
			return x;
		}
	}
}
