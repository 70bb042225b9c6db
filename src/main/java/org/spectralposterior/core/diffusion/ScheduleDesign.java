package org.spectralposterior.core.diffusion;

import java.util.function.BooleanSupplier;

import org.spectralposterior.core.optim.Lbfgs;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Design of the sampling schedule itself: the n values ᾱ of an unconditional sampler's steps (noisiest
 * first, ᾱ_0 &lt; … &lt; ᾱ_{n−1} &lt; 1, then the last step to ᾱ = 1), chosen to bring its output law
 * N(q, s²) — exact per frequency under a Gaussian prior with the exact score — closest to the prior
 * N(M, λ) (docs/MATHEMATICS.md, "Schedule design"; Benita–Elad–Keshet 2025).
 * <ul>
 * <li>W2: Σ_k w_k (s_k − √λ_k)² + (q_0 − M_0)² (the mean lives at DC only);</li>
 * <li>KL(N(q, s²) ‖ N(M, λ)) = ½ Σ_{λ_k &gt; 0} w_k (s_k²/λ_k − 1 − ln(s_k²/λ_k)) + (q_0 − M_0)²/(2λ_0) —
 * frequencies with λ = 0 (the DC of a zero-mean texton) carry no KL and are left out.</li>
 * </ul>
 * The per-frequency recurrence is s² ← a² s² + ν², q ← a q + c with a = φ g + ψ, c = φ(1 − g√ᾱ_t)M and the
 * base step's (φ, ψ, ν) of (ᾱ_t, ᾱ_s) (MATH §6.1–6.2), from x_T ~ N(0, I). The gradient is the exact adjoint
 * of that recurrence; the partial derivatives of the scalar (φ, ψ, ν²) in (ᾱ_t, ᾱ_s) — 6n numbers per
 * evaluation, not per frequency — are central differences of their closed forms.
 * <p>
 * Monotonicity is built into the variables θ: γ_0 = θ_0, γ_i = γ_{i−1} + softplus(θ_i), ᾱ_i = sigmoid(γ_i)
 * (MATH §6.3). The objective depends on a frequency only through λ, so large priors are searched on
 * weighted nodes ({@link Nodes#binned}) and every reported value is evaluated on all frequencies.
 */
public final class ScheduleDesign {

	public enum Criterion {
		W2("w2"), KL("kl");

		public final String key;

		Criterion(final String key) {
			this.key = key;
		}

		public static Criterion parse(final String s) {
			for (final Criterion c : values()) if (c.key.equalsIgnoreCase(s == null ? "" : s.trim())) return c;
			throw new IllegalArgumentException("criterion must be w2, kl or posterior (E_v W2² to the posterior of a guided method), got '" + s + "'.");
		}
	}

	/**
	 * Frequencies as weighted eigenvalues, and the DC mean M_0 (unitary) with its own eigenvalue;
	 * {@code dcLambda = NaN} for an eigenvalue list without a mean direction.
	 */
	public record Nodes(double[] lambda, double[] weight, double dcLambda, double dcMean) {

		/** A centred list of eigenvalues with multiplicities (no DC node). */
		public static Nodes ofList(final double[] lambda, final double[] weight) {
			return new Nodes(lambda.clone(), weight.clone(), Double.NaN, 0);
		}

		/** Every stored frequency but DC as a node (weight = multiplicity), DC apart. */
		public static Nodes of(final GaussianPrior prior) {
			final double[] l = prior.spectrum().values(), m = prior.plane().multiplicities();
			final double[] lam = new double[l.length - 1], w = new double[l.length - 1];
			System.arraycopy(l, 1, lam, 0, lam.length);
			System.arraycopy(m, 1, w, 0, w.length);
			return new Nodes(lam, w, l[0], prior.meanDc());
		}

		/**
		 * At most {@code bins} nodes: zero eigenvalues in one node, the others in equal bins of log λ,
		 * each represented by its weighted mean eigenvalue. The loss is smooth in log λ, so the binned
		 * optimum is close to the exact one; callers score it on {@link #of} (the exact value).
		 */
		public Nodes binned(final int bins) {
			if (lambda.length <= bins) return this;
			double lo = Double.POSITIVE_INFINITY, hi = 0;
			for (final double l : lambda) {
				if (l > 0) {
					lo = Math.min(lo, l);
					hi = Math.max(hi, l);
				}
			}
			final int b = bins - 1;
			final double[] sw = new double[b + 1], sl = new double[b + 1];
			final double span = Math.max(1e-300, Math.log(hi) - Math.log(lo));
			for (int i = 0; i < lambda.length; i++) {
				final int k = lambda[i] > 0 ? 1 + Math.min(b - 1, (int) ((Math.log(lambda[i]) - Math.log(lo)) / span * b)) : 0;
				sw[k] += weight[i];
				sl[k] += weight[i] * lambda[i];
			}
			int count = 0;
			for (final double x : sw) if (x > 0) count++;
			final double[] lam = new double[count], w = new double[count];
			for (int k = 0, j = 0; k <= b; k++) {
				if (sw[k] == 0) continue;
				lam[j] = sl[k] / sw[k];
				w[j++] = sw[k];
			}
			return new Nodes(lam, w, dcLambda, dcMean);
		}
	}

	private static final double FD = 1e-7;

	private final Nodes nodes;
	private final BaseStep base;
	private final double eta;
	private final Criterion criterion;

	public ScheduleDesign(final Nodes nodes, final BaseStep base, final double eta, final Criterion criterion) {
		BaseStep.checkEta(eta);
		this.nodes = nodes;
		this.base = base;
		this.eta = eta;
		this.criterion = criterion;
	}

	/** The step-by-step ᾱ (execution order) of a training schedule strided to n steps. */
	public static double[] alphaBars(final Schedule schedule, final int steps) {
		final int[] tau = schedule.strided(steps, schedule.T());
		final double[] ab = new double[steps];
		for (int j = 0; j < steps; j++) ab[j] = schedule.alphaBar(tau[steps - j]);
		return ab;
	}

	/**
	 * A schedule designed at a coarser n carried to n steps (a warm start, MATH §6.3): logit ᾱ interpolated
	 * linearly in the step's place u = j/(n − 1), first (noisiest) and last steps at u = 0 and 1 on both
	 * grids. Both end values are kept, and a strictly increasing coarse schedule gives a strictly
	 * increasing one (a piecewise-linear map with positive slopes).
	 */
	public static double[] warmStart(final double[] coarse, final int n) {
		final int nc = coarse.length;
		if (nc < 2 || n < 2) throw new IllegalArgumentException("A warm start carries a schedule of at least 2 steps to at least 2 steps, got " + nc + " → " + n + ".");
		checkIncreasing(coarse);
		final double[] out = new double[n];
		for (int j = 0; j < n; j++) {
			final double x = (double) j * (nc - 1) / (n - 1);
			final int i = Math.min(nc - 2, (int) Math.floor(x));
			final double u = x - i, l0 = logit(coarse[i]), l1 = logit(coarse[i + 1]);
			out[j] = j == 0 ? coarse[0] : j == n - 1 ? coarse[nc - 1] : 1 / (1 + Math.exp(-(l0 + u * (l1 - l0))));
		}
		return out;
	}

	private static double logit(final double p) {
		return Math.log(p / (1 - p));
	}

	/** The designed schedule as a training table of n timesteps, ᾱ_1 (least noisy) first: run it with timesteps = steps = n. */
	public static double[] asTable(final double[] executionOrder) {
		final int n = executionOrder.length;
		final double[] t = new double[n];
		for (int i = 0; i < n; i++) t[i] = executionOrder[n - 1 - i];
		return t;
	}

	/**
	 * The objective at ᾱ (execution order, increasing, in (0, 1)); with {@code grad != null} its
	 * gradient in ᾱ.
	 */
	public double value(final double[] ab, final double[] grad) {
		final int n = ab.length;
		checkIncreasing(ab);
		final double[][] coef = coefficients(ab);
		final double[] phi = coef[0], psi = coef[1], nu2 = coef[2];
		final double[] gPhi = new double[n], gPsi = new double[n], gNu2 = new double[n], gAb = new double[n];
		final double[] a = new double[n], s2 = new double[n + 1], q = new double[n + 1];
		double total = 0;
		for (int i = -1; i < nodes.lambda.length; i++) {
			final boolean dc = i < 0;
			if (dc && Double.isNaN(nodes.dcLambda)) continue;
			final double lam = dc ? nodes.dcLambda : nodes.lambda[i], w = dc ? 1 : nodes.weight[i], mean = dc ? nodes.dcMean : 0;
			if (criterion == Criterion.KL && !(lam > 0)) continue;
			s2[0] = 1;
			q[0] = 0;
			for (int j = 0; j < n; j++) {
				final double g = Math.sqrt(ab[j]) * lam / (ab[j] * lam + 1 - ab[j]);
				a[j] = phi[j] * g + psi[j];
				s2[j + 1] = a[j] * a[j] * s2[j] + nu2[j];
				q[j + 1] = a[j] * q[j] + phi[j] * (1 - g * Math.sqrt(ab[j])) * mean;
			}
			final double sn2 = s2[n], s = Math.sqrt(sn2), dq = q[n] - mean;
			double u, r;
			if (criterion == Criterion.W2) {
				final double e = s - Math.sqrt(lam);
				total += w * e * e + (dc ? dq * dq : 0);
				u = s > 0 ? w * e / s : 0;
				r = dc ? 2 * dq : 0;
			}
			else {
				final double ratio = sn2 / lam;
				total += w * 0.5 * (ratio - 1 - Math.log(ratio)) + (dc ? dq * dq / (2 * lam) : 0);
				u = w * 0.5 * (1 / lam - 1 / sn2);
				r = dc ? dq / lam : 0;
			}
			if (grad == null) continue;
			for (int j = n - 1; j >= 0; j--) {
				final double sa = Math.sqrt(ab[j]), den = ab[j] * lam + 1 - ab[j];
				final double g = sa * lam / den;
				final double gA = u * 2 * a[j] * s2[j] + r * q[j];
				final double gC = r;
				gNu2[j] += u;
				gPhi[j] += gA * g + gC * (1 - g * sa) * mean;
				gPsi[j] += gA;
				final double dLdg = gA * phi[j] - gC * phi[j] * sa * mean;
				final double dgdab = lam * (1 - ab[j] * (lam - 1)) / (2 * sa * den * den);
				gAb[j] += dLdg * dgdab - gC * phi[j] * g * mean / (2 * sa);
				u *= a[j] * a[j];
				r *= a[j];
			}
		}
		if (grad != null) {
			// Chain the coefficients' dependence on (ᾱ_t, ᾱ_s) = (ab[j], ab[j+1]).
			final double[] plus = new double[3], minus = new double[3];
			System.arraycopy(gAb, 0, grad, 0, n);
			for (int j = 0; j < n; j++) {
				final double t = ab[j], s = j + 1 < n ? ab[j + 1] : 1;
				final double ht = FD * Math.min(t, 1 - t);
				base.coefficients(t + ht, s, eta, plus);
				base.coefficients(t - ht, s, eta, minus);
				grad[j] += chain(gPhi[j], gPsi[j], gNu2[j], plus, minus, 2 * ht);
				if (j + 1 < n) {
					final double hs = FD * Math.min(s - t, 1 - s);
					base.coefficients(t, s + hs, eta, plus);
					base.coefficients(t, s - hs, eta, minus);
					grad[j + 1] += chain(gPhi[j], gPsi[j], gNu2[j], plus, minus, 2 * hs);
				}
			}
		}
		return total;
	}

	/**
	 * The unweighted per-node loss (W2: (s − √λ)², KL: ½(s²/λ − 1 − ln(s²/λ)), NaN where KL is undefined)
	 * and the output std s of each node, for plotting the error against λ.
	 */
	public double[][] perNode(final double[] ab) {
		final int n = ab.length, m = nodes.lambda.length;
		final double[][] coef = coefficients(ab);
		final double[] loss = new double[m], std = new double[m];
		for (int i = 0; i < m; i++) {
			final double lam = nodes.lambda[i];
			double s2 = 1;
			for (int j = 0; j < n; j++) {
				final double a = coef[0][j] * Math.sqrt(ab[j]) * lam / (ab[j] * lam + 1 - ab[j]) + coef[1][j];
				s2 = a * a * s2 + coef[2][j];
			}
			std[i] = Math.sqrt(s2);
			final double e = std[i] - Math.sqrt(lam);
			loss[i] = criterion == Criterion.W2 ? e * e : lam > 0 ? 0.5 * (s2 / lam - 1 - Math.log(s2 / lam)) : Double.NaN;
		}
		return new double[][] { loss, std };
	}

	/** {φ, ψ, ν²} of every step (execution order; the last step goes to ᾱ = 1). */
	private double[][] coefficients(final double[] ab) {
		final int n = ab.length;
		final double[][] out = new double[3][n];
		final double[] c = new double[3];
		for (int j = 0; j < n; j++) {
			base.coefficients(ab[j], j + 1 < n ? ab[j + 1] : 1, eta, c);
			out[0][j] = c[0];
			out[1][j] = c[1];
			out[2][j] = c[2] * c[2];
		}
		return out;
	}

	private static double chain(final double gPhi, final double gPsi, final double gNu2, final double[] plus, final double[] minus, final double h) {
		return (gPhi * (plus[0] - minus[0]) + gPsi * (plus[1] - minus[1]) + gNu2 * (plus[2] * plus[2] - minus[2] * minus[2])) / h;
	}

	// ---------------------------------------------------------------------------------------------
	// The monotone parametrisation

	public static double[] toTheta(final double[] ab) {
		final double[] th = new double[ab.length];
		double prev = 0;
		for (int i = 0; i < ab.length; i++) {
			final double gamma = Math.log(ab[i] / (1 - ab[i]));
			th[i] = i == 0 ? gamma : inverseSoftplus(gamma - prev);
			prev = gamma;
		}
		return th;
	}

	public static double[] fromTheta(final double[] th) {
		final double[] ab = new double[th.length];
		double gamma = 0;
		for (int i = 0; i < th.length; i++) {
			gamma = i == 0 ? th[0] : gamma + softplus(th[i]);
			ab[i] = 1 / (1 + Math.exp(-gamma));
		}
		return ab;
	}

	/** The objective in θ, with its gradient (the adjoint in ᾱ chained through sigmoid and softplus). */
	public double valueTheta(final double[] th, final double[] grad) {
		return inTheta(this::value, th, grad);
	}

	/** An objective of the step ᾱ (execution order) with its gradient in ᾱ when {@code grad != null}. */
	@FunctionalInterface
	public interface Objective {
		double value(double[] ab, double[] grad);
	}

	/** {@code f} in θ (MATH §6.3): ᾱ = sigmoid(γ), γ_i = γ_{i−1} + softplus(θ_i); its gradient chained from the one in ᾱ. */
	static double inTheta(final Objective f, final double[] th, final double[] grad) {
		final double[] ab = fromTheta(th);
		final double[] gab = grad == null ? null : new double[ab.length];
		final double v = f.value(ab, gab);
		if (grad != null) {
			double tail = 0;
			for (int i = ab.length - 1; i >= 0; i--) {
				tail += gab[i] * ab[i] * (1 - ab[i]);
				grad[i] = i == 0 ? tail : tail / (1 + Math.exp(-th[i]));
			}
		}
		return v;
	}

	public record Result(double[] alphaBars, double value, double startValue, int iterations, String stop) {}

	/** L-BFGS from {@code start} (execution order); {@code value} and {@code startValue} are on these nodes. */
	public Result design(final double[] start, final int iterations, final BooleanSupplier cancelled) {
		return minimise(this::value, start, iterations, cancelled);
	}

	/** L-BFGS on {@code f} in θ from {@code start} (execution order): monotone by construction. */
	static Result minimise(final Objective f, final double[] start, final int iterations, final BooleanSupplier cancelled) {
		final double startValue = f.value(start, null);
		final Lbfgs.Result r = new Lbfgs(10, iterations, 1e-10, 1e-12).minimize((x, g) -> {
			try {
				return inTheta(f, x, g);
			}
			catch (final IllegalArgumentException e) {
				// Saturated sigmoids (ᾱ rounding to 1 or two ᾱ equal): outside the feasible set for the line search.
				return Double.POSITIVE_INFINITY;
			}
		}, toTheta(start), (it, v) -> {}, cancelled);
		final double[] ab = fromTheta(r.x());
		return new Result(ab, f.value(ab, null), startValue, r.iterations(), r.stop());
	}

	/** Refuses ᾱ that do not increase strictly inside (0, 1) in sampling order. */
	static void checkIncreasing(final double[] ab) {
		for (int j = 0; j < ab.length; j++) {
			if (!(ab[j] > 0 && ab[j] < 1) || (j > 0 && !(ab[j] > ab[j - 1]))) {
				throw new IllegalArgumentException("a schedule's ᾱ must increase strictly inside (0, 1) in sampling order; got ᾱ_" + j + " = " + ab[j]);
			}
		}
	}

	private static double softplus(final double x) {
		return x > 30 ? x : Math.log1p(Math.exp(x));
	}

	private static double inverseSoftplus(final double y) {
		if (!(y > 0)) throw new IllegalArgumentException("a schedule's ᾱ must increase strictly in sampling order");
		return y > 30 ? y : Math.log(Math.expm1(y));
	}
}
