package org.spectralposterior.core.continuous;

import java.util.Locale;

import org.spectralposterior.core.Progress;

/**
 * Exact output laws of the discretised Pierret–Galerne samplers (MATH §11). With the exact score −y/ℓ every
 * step maps N(0, v) to N(0, m²v + q) per eigenvalue, so a run is a variance recurrence on the grid
 * t_k = (T − ε) k / (N − 1) in backward time (forward time T − t_k), and its W2 to the data and to p_t is exact.
 */
public final class ContinuousSchemes {

	/** Initial law at backward time 0: N(0, I) as practised, or the exact p_T (then only discretisation errs). */
	public enum Init {
		STANDARD("standard"), P_T("p_T");

		public final String key;

		Init(final String key) {
			this.key = key;
		}

		public static Init parse(final String s) {
			for (final Init i : values()) if (i.key.equalsIgnoreCase(s.trim())) return i;
			throw new IllegalArgumentException("init must be standard (N(0, I)) or p_T, got '" + s + "'.");
		}

		double variance(final double lambda) {
			return this == STANDARD ? 1 : VpSde.diffused(lambda, VpSde.T);
		}
	}

	/**
	 * One run's settings. {@code notebookHeun}: MATH §11 "Quirk" — the authors' table loop overwrote its Heun entry, so
	 * their published Heun column uses N = NFE grid points (twice the budget); true reproduces that, false (the default)
	 * gives Heun N = NFE/2 grid points like RK4's NFE/4.
	 */
	public record Config(Scheme scheme, int nfe, double epsilon, Init init, boolean notebookHeun) {

		public Config {
			if (!(epsilon >= 0 && epsilon < VpSde.T)) throw new IllegalArgumentException("epsilon must lie in [0, 1) (the truncation time; e.g. 1e-3), got " + epsilon + ".");
			final int n = ContinuousSchemes.gridPoints(scheme, nfe, notebookHeun);
			if (n < 2) throw new IllegalArgumentException("NFE = " + nfe + " is too small for " + scheme.key + " (" + scheme.evaluations + " evaluations a step): give NFE ≥ " + 2 * evaluationsPerGridPoint(scheme, notebookHeun) + ".");
		}

		public int gridPoints() {
			return ContinuousSchemes.gridPoints(scheme, nfe, notebookHeun);
		}
	}

	/**
	 * The exact laws of a run: final variances, W2 to the data law N(0, Σ) (truncation ε included), W2 along the
	 * trajectory to p_t at each grid time, or {@code status} saying why the run is undefined (then W2 = NaN).
	 */
	public record Result(Config config, double[] finalVariance, double w2, double[] times, double[] trajectoryW2, String status) {

		public boolean defined() {
			return status.equals("ok");
		}
	}

	private ContinuousSchemes() {}

	private static int evaluationsPerGridPoint(final Scheme s, final boolean notebookHeun) {
		return s == Scheme.HEUN && notebookHeun ? 1 : s.evaluations;
	}

	/** The notebook's accounting N = NFE / (evaluations per step), with the Heun quirk as an option. */
	static int gridPoints(final Scheme s, final int nfe, final boolean notebookHeun) {
		return nfe / evaluationsPerGridPoint(s, notebookHeun);
	}

	/** Eigenvalue of Σ_{T−t} at backward time t, the denominator of the exact score −y/ℓ. */
	private static double ell(final double lambda, final double backward) {
		return VpSde.diffused(lambda, VpSde.T - backward);
	}

	/** ODE drift factor β_{T−t}(1 − 1/ℓ): the probability-flow ODE is y' = g(t) y per eigenvalue. */
	private static double g(final double lambda, final double backward) {
		return VpSde.beta(VpSde.T - backward) * (1 - 1 / ell(lambda, backward));
	}

	public static Result run(final Eigenvalues eig, final Config c, final Progress progress) {
		final int n = c.gridPoints();
		final double delta = (VpSde.T - c.epsilon()) / (n - 1);
		final double[] lam = eig.values();
		final double[] v = new double[lam.length];
		for (int i = 0; i < v.length; i++) v[i] = c.init().variance(lam[i]);
		final double[] times = new double[n], traj = new double[n];
		final double[] target = new double[lam.length];
		// Heun and RK4 evaluate the score at the last grid time T − ε: with ε = 0 that is 1/λ, infinite for λ = 0 (MATH §11 "–").
		if (c.epsilon() == 0 && eig.singular() && (c.scheme() == Scheme.HEUN || c.scheme() == Scheme.RK4)) {
			return new Result(c, null, Double.NaN, new double[0], new double[0], "undefined: " + c.scheme().key + " evaluates the score 1/λ at t = 0, infinite for the zero eigenvalues; give epsilon > 0 (e.g. 1e-3)");
		}
		if (c.scheme() == Scheme.PG_DDPM) {
			final double b = 2 * delta * VpSde.BETA_MAX;
			if (b >= 1) return new Result(c, null, Double.NaN, new double[0], new double[0], String.format(Locale.ROOT,
				"undefined: the DDPM step needs 2Δβ < 1 (here %.3g); give NFE ≥ %d", b, (int) Math.ceil(2 * VpSde.BETA_MAX * (VpSde.T - c.epsilon())) + 2));
		}
		for (int k = 0; k < n; k++) {
			final double t = delta * k;
			times[k] = t;
			for (int i = 0; i < lam.length; i++) target[i] = ell(lam[i], t);
			traj[k] = eig.w2(v, target);
			if (k == n - 1) break;
			if ((k & 15) == 0) progress.checkCancelled();
			step(c.scheme(), lam, v, t, delta);
		}
		for (int i = 0; i < lam.length; i++) {
			if (!Double.isFinite(v[i])) return new Result(c, v, Double.NaN, times, traj, "diverged: the variance recurrence overflowed (with ε = 0 the last steps divide by ℓ ≈ λ, tiny eigenvalues make them explode); give epsilon > 0 (e.g. 1e-3) or a larger NFE");
		}
		if (c.epsilon() == 0 && (c.scheme() == Scheme.HEUN || c.scheme() == Scheme.RK4)) {
			// Exact but not a usable number: the last stage divides by ℓ_T−ε = λ, so near-singular Σ blows it up.
			double min = Double.POSITIVE_INFINITY;
			for (final double l : lam) min = Math.min(min, l);
			if (min < 1e-6) return new Result(c, v, eig.w2(v, lam), times, traj, String.format(Locale.ROOT,
				"ok but ε = 0: the last step divides by λ_min = %.3g (MATH §11 '–'); give epsilon > 0 (e.g. 1e-3)", min));
		}
		return new Result(c, v, eig.w2(v, lam), times, traj, "ok");
	}

	/** One step t → t + Δ of each scheme of MATH §11, applied to every eigenvalue's variance in place. */
	private static void step(final Scheme s, final double[] lam, final double[] v, final double t, final double d) {
		final double bk = VpSde.beta(VpSde.T - t);
		// Exponential-integrator weights: ∫ β over the step, = B(T − t_k) − B(T − t_{k+1}).
		final double intBeta = VpSde.bigB(VpSde.T - t) - VpSde.bigB(VpSde.T - t - d);
		final double g1 = Math.expm1(intBeta), g2 = Math.expm1(2 * intBeta) / 2;
		final double b = 2 * d * bk;
		for (int i = 0; i < lam.length; i++) {
			final double l = lam[i], lk = ell(l, t);
			switch (s) {
				case EM -> {
					final double m = 1 + d * bk * (1 - 2 / lk);
					v[i] = m * m * v[i] + 2 * d * bk;
				}
				case EI -> {
					final double m = 1 + g1 * (1 - 2 / lk);
					v[i] = m * m * v[i] + 2 * g2;
				}
				case PG_DDPM -> {
					final double m = 1 - b / lk;
					v[i] = m * m * v[i] / (1 - b) + b;
				}
				case EULER -> {
					final double m = 1 + d * g(l, t);
					v[i] = m * m * v[i];
				}
				case HEUN -> {
					final double g0 = g(l, t), m = 1 + d / 2 * g0 + d / 2 * g(l, t + d) * (1 + d * g0);
					v[i] = m * m * v[i];
				}
				case RK4 -> {
					final double c1 = g(l, t), gh = g(l, t + d / 2);
					final double c2 = gh * (1 + d / 2 * c1), c3 = gh * (1 + d / 2 * c2), c4 = g(l, t + d) * (1 + d * c3);
					final double m = 1 + d / 6 * (c1 + 2 * c2 + 2 * c3 + c4);
					v[i] = m * m * v[i];
				}
			}
		}
	}

	/** W2 to the data of the exact (continuous) backward SDE or flow ODE stopped at forward time ε (MATH §11, Prop. 1). */
	public static double continuousW2(final Eigenvalues eig, final boolean ode, final double epsilon, final Init init) {
		final double[] lam = eig.values(), v = new double[lam.length];
		for (int i = 0; i < lam.length; i++) {
			final double v0 = init.variance(lam[i]);
			v[i] = ode ? VpSde.odeVariance(lam[i], epsilon, v0) : VpSde.sdeVariance(lam[i], epsilon, v0);
		}
		return eig.w2(v, lam);
	}
}
