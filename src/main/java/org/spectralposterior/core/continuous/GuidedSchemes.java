package org.spectralposterior.core.continuous;

import java.util.Locale;

import org.spectralposterior.core.Progress;
import org.spectralposterior.core.continuous.ContinuousSchemes.Config;
import org.spectralposterior.core.continuous.ContinuousSchemes.Init;
import org.spectralposterior.core.diffusion.Guidance;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.posterior.ExactPosterior;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Guided (conditional) Pierret–Galerne schemes for a circulant blur (MATH §11.1). The score fed to each scheme of
 * {@link ContinuousSchemes} is the prior score −(y − √ᾱ M)/ℓ plus a likelihood score, both affine per frequency in
 * (y, conj(h)V), so every step is y ← m y + n conj(h)V + o + noise and the law of the state given v is
 * N(p conj(h)V + q, s²) exactly as in MATH §8; its E_v W2² to the posterior (and, along the run, to the exact law
 * of x_t given v) is {@link Wasserstein#expected}.
 */
public final class GuidedSchemes {

	/**
	 * The likelihood score of each method (MATH §11.1): w·κ₁·conj(h)(V − h x̂0) with κ₁ written in {@link Guidance}'s
	 * form, but as a score (not the per-step displacement of MATH §7.2), with the continuous ᾱ(t) = e^{−2B_t}.
	 * {@link #EXACT} is the exact conditional score of x_t given v taken directly from the diffused posterior
	 * N(√ᾱ μ_post, ᾱ s⋆² + 1 − ᾱ), an independent route to what {@link #CGDM} at weight 1 gives.
	 */
	public enum Guide {
		DPS("dps"), PIGDM("pigdm"), CGDM("cgdm"), EXACT("exact");

		public final String key;

		Guide(final String key) {
			this.key = key;
		}

		public static Guide parse(final String s) {
			final String k = s.trim().toLowerCase(Locale.ROOT);
			for (final Guide g : values()) if (g.key.equals(k)) return g;
			throw new IllegalArgumentException("Unknown guidance '" + s.trim() + "'; give none, dps, pigdm, cgdm or exact.");
		}

		/** The unit-weight score gain as a {@link Guidance} at forward time τ (1 − ᾱ given): DPS N(v; A x̂0, σ²), ΠGDM r² = 1 − ᾱ, CGDM Γ. */
		Guidance guidance(final double oneMinusAb, final double var) {
			return switch (this) {
				case DPS -> new Guidance(1, 1, 0, 0, 0, 0, var, false, false);
				case PIGDM -> new Guidance(1, 1, 0, 0, oneMinusAb, 0, var, false, false);
				case CGDM -> new Guidance(1, 1, 0, 0, 0, 1, var, false, false);
				case EXACT -> Guidance.NONE;
			};
		}
	}

	/** The problem in [−1, 1] units: prior N(M, λ), circulant operator, white noise σ. */
	public record Problem(GaussianPrior prior, BlurOperator op, double sigma) {

		public Problem {
			if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + sigma + ".");
			if (!prior.plane().sameShape(op.plane())) throw new IllegalArgumentException("The prior lives on a " + prior.plane() + " grid but the operator on " + op.plane() + ".");
		}
	}

	/**
	 * One guided run: the output law given v, its E_v W2² to the exact posterior (null when undefined), E_v W2² to the
	 * exact law of x_t given v at each grid time, and a status ("ok" or why the run is undefined).
	 */
	public record Result(Config config, Guide guide, double weight, OutputLaw law, Wasserstein.Expected expected, double[] times, double[] trajectoryW2sq, String status) {

		public boolean defined() {
			return status.equals("ok");
		}

		/** √(E_v W2²), NaN when undefined. */
		public double w2() {
			return expected == null ? Double.NaN : Math.sqrt(expected.squared());
		}
	}

	/** The weight of "heuristic": 1 for every method — see MATH §11.1 (the discrete heuristics turn these scores into per-step displacements, which the schemes do themselves). */
	public static final double HEURISTIC = 1;

	/** A run whose E_v W2 exceeds this multiple of the prior's own (the measurement ignored) is reported as blown up. */
	public static final double BLOW_UP = 1e3;

	private GuidedSchemes() {}

	/** Refuses what has no score: DPS's and ΠGDM's brackets need σ > 0 (MATH §7.2); a weight must be finite and ≥ 0. */
	public static void check(final Guide guide, final double weight, final double sigma) {
		if (!(weight >= 0) || Double.isInfinite(weight)) throw new IllegalArgumentException("weight must be heuristic or a finite number ≥ 0, got " + weight + ".");
		if (guide == Guide.EXACT && weight != 1) throw new IllegalArgumentException("guidance=exact is the exact conditional score and takes no weight; give weight=heuristic, or guidance=cgdm with weight=" + weight + ".");
		if (sigma == 0 && (guide == Guide.DPS || guide == Guide.PIGDM)) {
			throw new IllegalArgumentException(guide.key + "'s likelihood score divides by σ² where the blur removes a frequency; it needs noise_sigma > 0 (cgdm and exact work at σ = 0).");
		}
	}

	/** Per-frequency data: prior λ, ρ, mean M (DC only), exact posterior κ⋆, q⋆, s⋆². */
	private record Freq(double[] lam, double[] rho, double[] m, double[] kStar, double[] qStar, double[] s2Star) {}

	private static Freq freq(final Problem pb) {
		final OutputLaw post = ExactPosterior.of(pb.prior(), pb.op(), pb.sigma());
		final double[] m = new double[post.p().length];
		m[0] = pb.prior().meanDc();
		return new Freq(pb.prior().spectrum().values(), pb.op().rho(), m, post.p(), post.q(), post.s2());
	}

	/**
	 * The score's affine coefficients S(y) = A y + B conj(h)V + C at frequency i and forward time τ, written to out[0..2]
	 * (MATH §11.1): prior −(y − √ᾱ M)/ℓ plus w κ conj(h)(V − h x̂0), x̂0 = M + g(y − √ᾱ M); or the exact conditional
	 * −(y − √ᾱ μ_post)/(ᾱ s⋆² + 1 − ᾱ).
	 */
	private static void score(final Freq f, final int i, final double tau, final Guide guide, final double w, final double var, final double[] out) {
		final double twoB = 2 * VpSde.bigB(tau), ab = Math.exp(-twoB), oneMinus = -Math.expm1(-twoB), sa = Math.exp(-twoB / 2);
		if (guide == Guide.EXACT) {
			final double ls = ab * f.s2Star[i] + oneMinus;
			out[0] = -1 / ls;
			out[1] = sa * f.kStar[i] / ls;
			out[2] = sa * f.qStar[i] / ls;
			return;
		}
		final double lam = f.lam[i], rho = f.rho[i], ell = ab * lam + oneMinus;
		final double g = sa * lam / ell, gamma = oneMinus * lam / ell;
		final double kappa = w * guide.guidance(oneMinus, var).kappa(g, gamma, rho, gamma * rho);
		out[0] = -1 / ell - kappa * rho * g;
		out[1] = kappa;
		out[2] = sa * f.m[i] / ell - kappa * rho * (1 - g * sa) * f.m[i];
	}

	/** y ↦ (ey, eU, e1): the right-hand side a·e + (0, b, c) of an affine drift (a, b, c) applied to an affine expression. */
	private static void apply(final double a, final double b, final double c, final double[] e, final double[] out) {
		out[0] = a * e[0];
		out[1] = a * e[1] + b;
		out[2] = a * e[2] + c;
	}

	public static Result run(final Problem pb, final Guide guide, final double weight, final Config c, final Progress progress) {
		check(guide, weight, pb.sigma());
		final Freq f = freq(pb);
		final int size = f.lam.length, n = c.gridPoints();
		final double delta = (VpSde.T - c.epsilon()) / (n - 1), var = pb.sigma() * pb.sigma();
		final double[] p = new double[size], q = new double[size], s2 = new double[size];
		// p_T given v is the diffused posterior at T (MATH §11.1): only the discretisation then errs.
		final double twoBT = 2 * VpSde.bigB(VpSde.T), saT = Math.exp(-twoBT / 2);
		for (int i = 0; i < size; i++) {
			if (c.init() == Init.P_T) {
				p[i] = saT * f.kStar[i];
				q[i] = saT * f.qStar[i];
				s2[i] = Math.exp(-twoBT) * f.s2Star[i] - Math.expm1(-twoBT);
			}
			else s2[i] = 1;
		}
		final Scheme s = c.scheme();
		if (c.epsilon() == 0 && (s == Scheme.HEUN || s == Scheme.RK4)) {
			// The last stage evaluates the score at t = 0, where ℓ = λ and the likelihood brackets Γρ, ᾱs⋆² + 1 − ᾱ may vanish.
			return new Result(c, guide, weight, null, null, new double[0], new double[0], "undefined: " + s.key + " evaluates the guided score at t = 0, where its denominators vanish; give epsilon > 0 (e.g. 1e-3)");
		}
		if (s == Scheme.PG_DDPM && 2 * delta * VpSde.BETA_MAX >= 1) {
			return new Result(c, guide, weight, null, null, new double[0], new double[0], String.format(Locale.ROOT, "undefined: the DDPM step needs 2Δβ < 1 (here %.3g); give NFE ≥ %d",
				2 * delta * VpSde.BETA_MAX, (int) Math.ceil(2 * VpSde.BETA_MAX * (VpSde.T - c.epsilon())) + 2));
		}
		final double[] times = new double[n], traj = new double[n];
		final double[] pe = new double[size], qe = new double[size], se = new double[size];
		final OutputLaw state = new OutputLaw(pb.op(), p, q, s2), exactAtT = new OutputLaw(pb.op(), pe, qe, se);
		final double[] mno = new double[4];
		for (int k = 0; k < n; k++) {
			final double t = delta * k, tau = VpSde.T - t;
			times[k] = t;
			// The exact law of x_τ given v: N(√ᾱ μ_post, ᾱ s⋆² + 1 − ᾱ) (MATH §11.1).
			final double twoB = 2 * VpSde.bigB(tau), sa = Math.exp(-twoB / 2);
			for (int i = 0; i < size; i++) {
				pe[i] = sa * f.kStar[i];
				qe[i] = sa * f.qStar[i];
				se[i] = Math.exp(-twoB) * f.s2Star[i] - Math.expm1(-twoB);
			}
			traj[k] = Wasserstein.expected(state, exactAtT, pb.prior(), pb.sigma()).squared();
			if (k == n - 1) break;
			if ((k & 15) == 0) progress.checkCancelled();
			for (int i = 0; i < size; i++) {
				step(s, f, i, t, delta, guide, weight, var, mno);
				p[i] = mno[0] * p[i] + mno[1];
				q[i] = mno[0] * q[i] + mno[2];
				s2[i] = mno[0] * mno[0] * s2[i] + mno[3];
			}
		}
		for (int i = 0; i < size; i++) {
			if (!(Double.isFinite(p[i]) && Double.isFinite(q[i]) && Double.isFinite(s2[i]))) {
				return new Result(c, guide, weight, state, null, times, traj, "diverged: the law recurrence overflowed (a stiff likelihood score for this step size); give a larger NFE, a smaller weight or epsilon > 0");
			}
		}
		final OutputLaw post = ExactPosterior.of(pb.prior(), pb.op(), pb.sigma());
		final Wasserstein.Expected e = Wasserstein.expected(state, post, pb.prior(), pb.sigma());
		// A finite but absurd law (a stiff likelihood score, e.g. DPS's 1/σ² at a coarse grid) is flagged against a
		// natural scale: the E_v W2² of the prior itself (ignoring v), what a sampler that learnt nothing would cost.
		final double[] q0 = new double[size];
		q0[0] = f.m[0];
		final double ignore = Wasserstein.expected(new OutputLaw(pb.op(), new double[size], q0, f.lam.clone()), post, pb.prior(), pb.sigma()).squared();
		if (e.squared() > BLOW_UP * BLOW_UP * ignore) {
			return new Result(c, guide, weight, state, e, times, traj, String.format(Locale.ROOT,
				"blew up: E_v W2 = %.3g, over %.0f× that of the prior itself (%.3g); give a larger NFE or a smaller weight", Math.sqrt(e.squared()), BLOW_UP, Math.sqrt(ignore)));
		}
		return new Result(c, guide, weight, state, e, times, traj, "ok");
	}

	/**
	 * One step t → t + Δ at frequency i as (m, n, o, noise²): y ← m y + n conj(h)V + o + noise (MATH §11 schemes with
	 * the affine score). SDE drift β(y + 2S), flow ODE β(y + S); with S = −y/ℓ these reduce to the variance maps of §11.
	 */
	private static void step(final Scheme s, final Freq f, final int i, final double t, final double d, final Guide guide, final double w, final double var, final double[] out) {
		final double[] sc = new double[3];
		final double bk = VpSde.beta(VpSde.T - t);
		score(f, i, VpSde.T - t, guide, w, var, sc);
		switch (s) {
			case EM -> {
				out[0] = 1 + d * bk * (1 + 2 * sc[0]);
				out[1] = d * bk * 2 * sc[1];
				out[2] = d * bk * 2 * sc[2];
				out[3] = 2 * d * bk;
			}
			case EI -> {
				// Linear part e^{∫β} exact, score frozen at t_k: ∫ 2β e^{B(τ)−B(τ_{k+1})} = 2(e^I − 1).
				final double intBeta = VpSde.bigB(VpSde.T - t) - VpSde.bigB(VpSde.T - t - d), g1 = Math.expm1(intBeta);
				out[0] = 1 + g1 + 2 * g1 * sc[0];
				out[1] = 2 * g1 * sc[1];
				out[2] = 2 * g1 * sc[2];
				out[3] = Math.expm1(2 * intBeta);
			}
			case PG_DDPM -> {
				final double b = 2 * d * bk, r = 1 / Math.sqrt(1 - b);
				out[0] = (1 + b * sc[0]) * r;
				out[1] = b * sc[1] * r;
				out[2] = b * sc[2] * r;
				out[3] = b;
			}
			case EULER -> {
				out[0] = 1 + d * bk * (1 + sc[0]);
				out[1] = d * bk * sc[1];
				out[2] = d * bk * sc[2];
				out[3] = 0;
			}
			case HEUN, RK4 -> {
				// Runge–Kutta on affine expressions e = (coefficient of y_k, of conj(h)V, constant).
				final double[] one = { 1, 0, 0 }, k1 = new double[3], k2 = new double[3], k3 = new double[3], k4 = new double[3], tmp = new double[3];
				final double[] a0 = ode(f, i, t, guide, w, var);
				apply(a0[0], a0[1], a0[2], one, k1);
				if (s == Scheme.HEUN) {
					final double[] a1 = ode(f, i, t + d, guide, w, var);
					for (int j = 0; j < 3; j++) tmp[j] = one[j] + d * k1[j];
					apply(a1[0], a1[1], a1[2], tmp, k2);
					for (int j = 0; j < 3; j++) out[j] = one[j] + d / 2 * (k1[j] + k2[j]);
				}
				else {
					final double[] ah = ode(f, i, t + d / 2, guide, w, var), a1 = ode(f, i, t + d, guide, w, var);
					for (int j = 0; j < 3; j++) tmp[j] = one[j] + d / 2 * k1[j];
					apply(ah[0], ah[1], ah[2], tmp, k2);
					for (int j = 0; j < 3; j++) tmp[j] = one[j] + d / 2 * k2[j];
					apply(ah[0], ah[1], ah[2], tmp, k3);
					for (int j = 0; j < 3; j++) tmp[j] = one[j] + d * k3[j];
					apply(a1[0], a1[1], a1[2], tmp, k4);
					for (int j = 0; j < 3; j++) out[j] = one[j] + d / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
				}
				out[3] = 0;
			}
		}
	}

	/** The flow ODE's affine right-hand side β(y + S(y)) at backward time t, as (a, b, c). */
	private static double[] ode(final Freq f, final int i, final double t, final Guide guide, final double w, final double var) {
		final double[] sc = new double[3];
		score(f, i, VpSde.T - t, guide, w, var, sc);
		final double b = VpSde.beta(VpSde.T - t);
		return new double[] { b * (1 + sc[0]), b * sc[1], b * sc[2] };
	}

	/**
	 * E_v W2² to the posterior of the exact conditional backward SDE (ode = false) or flow ODE stopped at forward time ε
	 * (MATH §11.1): z = y − √ᾱ μ_post follows the unconditional dynamics of §11 with λ → s⋆², so from the start law
	 * (p₀, q₀, v₀) the mean gap shrinks by e^{−(B_T−B_ε)}ℓ'_ε/ℓ'_T (SDE) or (ℓ'_ε/ℓ'_T)^½ (ODE), ℓ' = ᾱ s⋆² + 1 − ᾱ,
	 * and the variance is {@link VpSde#sdeVariance}/{@link VpSde#odeVariance} of s⋆².
	 */
	public static Wasserstein.Expected continuousExact(final Problem pb, final boolean ode, final double epsilon, final Init init) {
		final Freq f = freq(pb);
		final int size = f.lam.length;
		final double[] p = new double[size], q = new double[size], s2 = new double[size];
		final double saT = Math.exp(-VpSde.bigB(VpSde.T)), saE = Math.exp(-VpSde.bigB(epsilon));
		for (int i = 0; i < size; i++) {
			final double ls = f.s2Star[i];
			final double p0 = init == Init.P_T ? saT * f.kStar[i] : 0, q0 = init == Init.P_T ? saT * f.qStar[i] : 0;
			final double v0 = init == Init.P_T ? VpSde.diffused(ls, VpSde.T) : 1;
			final double r = VpSde.diffused(ls, epsilon) / VpSde.diffused(ls, VpSde.T);
			final double shrink = ode ? Math.sqrt(r) : Math.exp(-(VpSde.bigB(VpSde.T) - VpSde.bigB(epsilon))) * r;
			p[i] = saE * f.kStar[i] + shrink * (p0 - saT * f.kStar[i]);
			q[i] = saE * f.qStar[i] + shrink * (q0 - saT * f.qStar[i]);
			s2[i] = ode ? VpSde.odeVariance(ls, epsilon, v0) : VpSde.sdeVariance(ls, epsilon, v0);
		}
		return Wasserstein.expected(new OutputLaw(pb.op(), p, q, s2), ExactPosterior.of(pb.prior(), pb.op(), pb.sigma()), pb.prior(), pb.sigma());
	}
}
