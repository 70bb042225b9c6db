package org.spectralposterior.core.diffusion;

import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Conditional schedule design (issue 11): the n step values ᾱ of a guided method, run with its
 * heuristic weights, chosen to minimise the tuning objective of MATH §9.3,
 * ℒ(ᾱ) = E_v W2²(sampler law, exact posterior) — the sum {@link WeightObjective} computes, with the
 * schedule instead of the weights as the variables (MATH §6.3 for the parametrisation, §8 for the law).
 * <p>
 * Per frequency the step j is affine (MATH §7.1, §8): with g = sqrt(ᾱ_t)λ/(ᾱ_tλ + 1 − ᾱ_t),
 * Γ = g(1 − ᾱ_t)/sqrt(ᾱ_t) and the method's {@link Guidance} κ = w·scale·(fG g + fΓ Γ + fI)/(dAA ρ + dAΓA Γρ + dI),
 * <pre>
 *   a = (φ − κρ) g + ψ            (or φ g + ψ − κρ/sqrt(ᾱ_t) for a guidance on x_t)
 *   p ← a p + κ,  s² ← a² s² + ν²,  q ← a q + c,  c = (φ − κρ)(1 − g sqrt(ᾱ_t)) M  (φ(…) on x_t; DC only).
 * </pre>
 * Everything but g, Γ and sqrt(ᾱ_t) is a scalar of the step, a closed form of (ᾱ_t, ᾱ_s) only: the base
 * step's (φ, ψ, ν²), the heuristic weight w and the guidance's seven numbers (ΠGDM's dAA = 1 − ᾱ_t, its
 * weight φ(1 − ᾱ_t)/sqrt(ᾱ_t), CGDM's and DDNM's scale = φ, ScoreALD's 1/sqrt(ᾱ_t) and w = 1 − ᾱ_t/ᾱ_s).
 * The gradient is the exact adjoint of the recurrence (MATH §10): per frequency the adjoints of (a, κ, c)
 * are carried back exactly onto those 11 scalars and onto g, Γ, sqrt(ᾱ_t) (whose ᾱ-derivatives are
 * analytic); only the 11 × 2 partial derivatives of each step's scalars in (ᾱ_t, ᾱ_s) — per step, not per
 * frequency — are central differences of their closed forms, evaluated through the method's own code.
 * <p>
 * The guided methods {@link WeightObjective} accepts (tunable, affine in their weight, started from
 * noise) qualify, and SDEdit: its steps are unguided and it starts from the noised posterior mean at the
 * table's first ᾱ, p = sqrt(ᾱ_0) κ*, q = sqrt(ᾱ_0) q*, s² = 1 − ᾱ_0 (MATH §0.5), so ᾱ_0 is its start
 * level — t0 made continuous — and its adjoint adds (p̄ κ* + q̄ q*)/(2 sqrt(ᾱ_0)) − s̄² to ∂ℒ/∂ᾱ_0.
 * {@link #startTime} relaxes SDEdit's integer t0 itself. DDRM's branches switch with ᾱ: refused.
 */
public final class ConditionalScheduleDesign {

	/** The step scalars, in this order. */
	private static final int PHI = 0, PSI = 1, NU2 = 2, W = 3, SCALE = 4, FG = 5, FGAM = 6, FI = 7, DAA = 8, DAGA = 9, DI = 10, NS = 11;
	// Central differences of closed forms: h ≈ 1e-5 relative balances truncation (h²) and rounding (ε/h).
	private static final double FD = 1e-5;
	/** Entries per parallel block. */
	private static final int BLOCK = 512;

	private final Method method;
	private final BaseStep base;
	private final double eta, sigma;
	/** Entries (entry 0 is DC) as in {@link WeightObjective}. */
	private final double[] lam, rho, kStar, sStar, mult;
	private final double qStarDc, meanDc, var;
	/** The weight objective whose entries these are: {@link #binned} groups them as it does. */
	private final WeightObjective binsSource;

	/** All frequencies of the problem (prior and σ in the samplers' [−1, 1] units). */
	public ConditionalScheduleDesign(final GaussianPrior prior, final BlurOperator op, final double sigma, final Method method, final BaseStep base, final double eta) {
		this(objective(prior, op, sigma, method, base, eta), method, base, eta, sigma);
	}

	private ConditionalScheduleDesign(final WeightObjective o, final Method method, final BaseStep base, final double eta, final double sigma) {
		final double[][] t = o.entryTable();
		this.method = method;
		this.base = base;
		this.eta = eta;
		this.sigma = sigma;
		lam = t[0];
		rho = t[1];
		kStar = t[2];
		sStar = t[3];
		mult = t[4];
		qStarDc = t[5][0];
		meanDc = t[5][1];
		var = t[5][2];
		this.binsSource = o;
	}

	/**
	 * The same objective on (log λ, log ρ) groups ({@link WeightObjective#binned}): the exact objective of a
	 * smaller problem, for the search; report values with the full one.
	 */
	public ConditionalScheduleDesign binned(final int binsPerAxis) {
		return new ConditionalScheduleDesign(binsSource.binned(binsPerAxis), method, base, eta, sigma);
	}

	/** The weight objective of the problem (its entries do not depend on the schedule; a linear one stands in). */
	private static WeightObjective objective(final GaussianPrior prior, final BlurOperator op, final double sigma, final Method method, final BaseStep base, final double eta) {
		check(method);
		// The entries (λ, ρ, κ*, s*, the DC terms) belong to the problem, not to the method: SDEdit, which has
		// no weights for a WeightObjective, borrows a guided method's.
		final Method entries = method.tunable() ? method : Methods.PIGDM;
		return new WeightObjective(new DiffusionSampler(prior, op, sigma, new DiffusionSampler.Config(entries, Schedule.linear(), 1, base, eta, null, 0)));
	}

	/** SDEdit's kind: started from the noised posterior mean at the table's first ᾱ. */
	private boolean fromPosteriorMean() {
		return method.start() == Method.Start.POSTERIOR_MEAN;
	}

	/** Refuses a method whose law is not an affine recurrence from noise with heuristic weights (the message names the fix). */
	public static void check(final Method method) {
		if (method.start() == Method.Start.SPECTRAL) {
			throw new IllegalArgumentException(method.label + "'s update switches branch with ᾱ (MATH §7.5), so its E_v W2² is not smooth in the schedule; design the schedule for pigdm, dps, cgdm, ddnm, scoreald or sdedit.");
		}
		if (!method.tunable() && method.start() != Method.Start.POSTERIOR_MEAN) {
			throw new IllegalArgumentException(method.label + " has no guidance to condition on in its steps; the posterior criterion needs a guided method (pigdm, dps, cgdm, ddnm or scoreald) or sdedit, or use criterion=w2 or kl for the prior.");
		}
		if (!method.linear()) {
			throw new IllegalArgumentException(method.label + " divides its weight by the residual, so its law is not affine and has no exact E_v W2²; design the schedule for the linear DPS (dps) instead.");
		}
	}

	/** The number of entries (frequencies, or groups when binned). */
	public int entries() {
		return lam.length;
	}

	public Method method() {
		return method;
	}

	/** The sampler that runs ᾱ (execution order) as Posterior Sampling does: schedule=table timesteps=n steps=n, heuristic weights. */
	public static DiffusionSampler.Config config(final Method method, final double[] ab, final BaseStep base, final double eta) {
		// SDEdit starts at the table's top, t0 = n: its first ᾱ is its start level.
		return new DiffusionSampler.Config(method, Schedule.table(ScheduleDesign.asTable(ab)), ab.length, base, eta, null, method.start() == Method.Start.POSTERIOR_MEAN ? ab.length : 0);
	}

	/** The step grid of ᾱ (execution order): the table's, every timestep a step. */
	private StepGrid grid(final double[] ab) {
		return new StepGrid(Schedule.table(ScheduleDesign.asTable(ab)), ab.length, ab.length, base, eta);
	}

	/**
	 * The 11 scalars of step j at (ᾱ_t, ᾱ_s) through the method's own closed forms: the grid's entries of
	 * step j are set to these ᾱ (a method reads step j's entries only), read, and restored.
	 */
	private void scalars(final StepGrid g, final int j, final double abT, final double abS, final double[] out) {
		scalars(g, j, abT, abS, eta, out);
	}

	/** As above at DDIM's η of the step. */
	private void scalars(final StepGrid g, final int j, final double abT, final double abS, final double stepEta, final double[] out) {
		final double t0 = g.abT[j], s0 = g.abS[j], ph0 = g.phi[j], ps0 = g.psi[j], nu0 = g.nu[j], vt0 = g.veT[j], vs0 = g.veS[j];
		final double[] c = new double[3];
		base.coefficients(abT, abS, stepEta, c);
		g.abT[j] = abT;
		g.abS[j] = abS;
		g.phi[j] = c[0];
		g.psi[j] = c[1];
		g.nu[j] = c[2];
		g.veT[j] = Math.sqrt((1 - abT) / abT);
		g.veS[j] = Math.sqrt((1 - abS) / abS);
		final Guidance u = method.guidance(g, j, sigma);
		out[PHI] = c[0];
		out[PSI] = c[1];
		out[NU2] = c[2] * c[2];
		out[W] = method.heuristicWeight(g, j);
		out[SCALE] = u.scale();
		out[FG] = u.fG();
		out[FGAM] = u.fGamma();
		out[FI] = u.fI();
		out[DAA] = u.dAA();
		out[DAGA] = u.dAGammaA();
		out[DI] = u.dI();
		g.abT[j] = t0;
		g.abS[j] = s0;
		g.phi[j] = ph0;
		g.psi[j] = ps0;
		g.nu[j] = nu0;
		g.veT[j] = vt0;
		g.veS[j] = vs0;
	}

	/**
	 * ℒ at ᾱ (execution order, strictly increasing in (0, 1); the last step goes to ᾱ = 1), with its exact
	 * gradient in ᾱ into {@code grad} when not null.
	 */
	public double value(final double[] ab, final double[] grad) {
		return evaluate(ab, grad, () -> false);
	}

	/** As {@link #value}, polling {@code cancelled} once per entry ({@link java.util.concurrent.CancellationException} when it turns true). */
	public double evaluate(final double[] ab, final double[] grad, final BooleanSupplier cancelled) {
		return evaluate(ab, grad, null, cancelled);
	}

	/** Each entry's term of ℒ, without its multiplicity (entry order: for the full problem, the half plane's frequency order). */
	public double[] perEntry(final double[] ab) {
		final double[] terms = new double[lam.length];
		evaluate(ab, null, terms, () -> false);
		return terms;
	}

	private double evaluate(final double[] ab, final double[] grad, final double[] terms, final BooleanSupplier cancelled) {
		ScheduleDesign.checkIncreasing(ab);
		method.check(sigma);
		final int n = ab.length;
		final StepGrid g = grid(ab);
		final double[][] sc = new double[n][NS];
		final boolean[] onXt = new boolean[n], pinv = new boolean[n];
		for (int j = 0; j < n; j++) {
			scalars(g, j, g.abT[j], g.abS[j], sc[j]);
			final Guidance u = method.guidance(g, j, sigma);
			onXt[j] = u.onXt();
			pinv[j] = u.pseudoInverse();
		}
		final int blocks = (lam.length + BLOCK - 1) / BLOCK;
		final double[][] parts = IntStream.range(0, blocks).parallel().mapToObj(b -> block(b, ab, sc, onXt, pinv, grad != null, terms, cancelled)).toArray(double[][]::new);
		double total = 0;
		final double[] gs = grad == null ? null : new double[n * (NS + 1)];
		for (final double[] part : parts) {
			total += part[part.length - 1];
			if (gs != null) for (int i = 0; i < gs.length; i++) gs[i] += part[i];
		}
		if (grad == null) return total;
		// ∂ℒ/∂ᾱ: the explicit part (through g, Γ, sqrt(ᾱ_t)), then each step's scalars chained through
		// central differences of their closed forms in ᾱ_t and ᾱ_s.
		final double[] plus = new double[NS], minus = new double[NS];
		for (int j = 0; j < n; j++) grad[j] = gs[j * (NS + 1) + NS];
		for (int j = 0; j < n; j++) {
			final double t = ab[j], s = j + 1 < n ? ab[j + 1] : 1;
			final double ht = FD * Math.min(t, 1 - t);
			scalars(g, j, t + ht, s, plus);
			scalars(g, j, t - ht, s, minus);
			grad[j] += dot(gs, j, plus, minus) / (2 * ht);
			if (j + 1 < n) {
				final double hs = FD * Math.min(s - t, 1 - s);
				scalars(g, j, t, s + hs, plus);
				scalars(g, j, t, s - hs, minus);
				grad[j + 1] += dot(gs, j, plus, minus) / (2 * hs);
			}
		}
		return total;
	}

	/**
	 * ℒ on a fixed step grid (the one Posterior Sampling runs, e.g. strided) with the weights and DDIM's
	 * η of every step as the variables (issue 11: η per step), with its exact gradient in both when
	 * {@code gradW}/{@code gradEta} are not null. The weights are taken as given (not re-derived from
	 * η, as a heuristic that reads φ would be): Posterior Sampling applies a weight list literally. η
	 * enters through the base step's (φ, ψ, ν²) and whatever the method's guidance reads of them (CGDM's
	 * scale φ, ΠGDM's φ(1 − ᾱ_t)/sqrt(ᾱ_t)); its partial derivatives are central differences of those
	 * closed forms in η, the adjoint onto them exact. η − h below 0 is harmless (DDIM's coefficients
	 * depend on η²); above, 1 − ᾱ_s − c₁² vanishes at {@link BaseStep#etaLimit} η* > 1, which on a cosine
	 * schedule's first step is within 10⁻⁷ of 1 (found by review): h is at most 10⁻⁷ and 0.1 % of η* − η
	 * (h = 10⁻⁵ was 24 % off at η = 0.999 there, checked against the whole objective's differences).
	 */
	public double stepsValue(final StepGrid grid, final double[] w, final double[] etas, final double[] gradW, final double[] gradEta, final BooleanSupplier cancelled) {
		if (grid.base != base) throw new IllegalArgumentException("The grid's base step is " + grid.base.key + " but the objective's is " + base.key + ".");
		method.check(sigma);
		final int n = grid.n;
		if (w.length != n || etas.length != n) throw new IllegalArgumentException("Give one weight and one η per step (" + n + " steps).");
		final double[][] sc = new double[n][NS];
		final boolean[] onXt = new boolean[n], pinv = new boolean[n];
		for (int j = 0; j < n; j++) {
			scalars(grid, j, grid.abT[j], grid.abS[j], etas[j], sc[j]);
			sc[j][W] = w[j];
			final Guidance u = method.guidance(grid, j, sigma);
			onXt[j] = u.onXt();
			pinv[j] = u.pseudoInverse();
		}
		final boolean wantGrad = gradW != null || gradEta != null;
		final double[] ab = grid.abT.clone();
		final int blocks = (lam.length + BLOCK - 1) / BLOCK;
		final double[][] parts = IntStream.range(0, blocks).parallel().mapToObj(b -> block(b, ab, sc, onXt, pinv, wantGrad, null, cancelled)).toArray(double[][]::new);
		double total = 0;
		final double[] gs = wantGrad ? new double[n * (NS + 1)] : null;
		for (final double[] part : parts) {
			total += part[part.length - 1];
			if (gs != null) for (int i = 0; i < gs.length; i++) gs[i] += part[i];
		}
		if (gradW != null) for (int j = 0; j < n; j++) gradW[j] = gs[j * (NS + 1) + W];
		if (gradEta != null) {
			final double[] plus = new double[NS], minus = new double[NS];
			for (int j = 0; j < n; j++) {
				// c₂ = sqrt(1 − ᾱ_s − c₁²) has a square-root singularity at η*: the step stays a small
				// fraction of the distance to it (rounding: ~ε/h = 1e-9 relative at h = 1e-7).
				final double room = BaseStep.etaLimit(grid.abT[j], grid.abS[j]) - etas[j];
				final double h = Math.max(1e-12, Math.min(1e-7, 1e-3 * room));
				scalars(grid, j, grid.abT[j], grid.abS[j], etas[j] + h, plus);
				scalars(grid, j, grid.abT[j], grid.abS[j], etas[j] - h, minus);
				plus[W] = minus[W] = w[j];
				gradEta[j] = dot(gs, j, plus, minus) / (2 * h);
			}
		}
		return total;
	}

	private static double dot(final double[] gs, final int j, final double[] plus, final double[] minus) {
		double d = 0;
		for (int m = 0; m < NS; m++) if (gs[j * (NS + 1) + m] != 0) d += gs[j * (NS + 1) + m] * (plus[m] - minus[m]);
		return d;
	}

	/**
	 * One block of entries: its share of ℒ (last index) and, with the gradient, per step j its adjoints of the
	 * 11 scalars (indices j(NS+1) + m) and of ᾱ_t through g, Γ and sqrt(ᾱ_t) (index j(NS+1) + NS).
	 */
	private double[] block(final int b, final double[] ab, final double[][] sc, final boolean[] onXt, final boolean[] pinv, final boolean wantGrad, final double[] terms,
		final BooleanSupplier cancelled) {
		final int n = ab.length, from = b * BLOCK, to = Math.min(lam.length, from + BLOCK);
		final double[] out = new double[n * (NS + 1) + 1];
		final double[] p = new double[n + 1], s2 = new double[n + 1], q = new double[n + 1];
		double loss = 0;
		final boolean posteriorStart = fromPosteriorMean();
		final double sab0 = Math.sqrt(ab[0]);
		for (int k = from; k < to; k++) {
			if (cancelled.getAsBoolean()) throw new java.util.concurrent.CancellationException("Cancelled by the user");
			final double l = lam[k], r = rho[k], m = k == 0 ? meanDc : 0, qStar = k == 0 ? qStarDc : 0;
			p[0] = posteriorStart ? sab0 * kStar[k] : 0;
			s2[0] = posteriorStart ? 1 - ab[0] : 1;
			q[0] = posteriorStart ? sab0 * qStar : 0;
			for (int j = 0; j < n; j++) {
				final double[] c = sc[j];
				final double sab = Math.sqrt(ab[j]), den = ab[j] * l + 1 - ab[j], g = sab * l / den, gam = g * (1 - ab[j]) / sab;
				final double kap = kappa(c, g, gam, r, pinv[j]);
				final double a, cc;
				if (onXt[j]) {
					a = c[PHI] * g + c[PSI] - kap * r / sab;
					cc = c[PHI] * (1 - g * sab) * m;
				}
				else {
					a = (c[PHI] - kap * r) * g + c[PSI];
					cc = (c[PHI] - kap * r) * (1 - g * sab) * m;
				}
				p[j + 1] = a * p[j] + kap;
				s2[j + 1] = a * a * s2[j] + c[NU2];
				q[j + 1] = a * q[j] + cc;
			}
			// ℒ's term (MATH §9.3): ρ(p − κ*)²(ρλ + σ²) + (s − s*)², and at DC the bias δ = (p − κ*)ρM + q − q*.
			final double dp = p[n] - kStar[k], sd = Math.sqrt(s2[n]), ds = sd - sStar[k], delta = k == 0 ? dp * r * m + q[n] - qStarDc : 0;
			final double term = r * dp * dp * (r * l + var) + ds * ds + delta * delta;
			// A recurrence that overflowed is infinitely far, as Compare Samplers reports it.
			loss += mult[k] * (Double.isFinite(term) ? term : Double.POSITIVE_INFINITY);
			if (terms != null) terms[k] = term;
			if (!wantGrad) continue;
			double pBar = mult[k] * (2 * r * dp * (r * l + var) + 2 * delta * r * m);
			double sBar = mult[k] * (sd > 0 ? 1 - sStar[k] / sd : 0);
			double qBar = mult[k] * 2 * delta;
			for (int j = n - 1; j >= 0; j--) {
				final double[] c = sc[j];
				final int o = j * (NS + 1);
				final double sab = Math.sqrt(ab[j]), one = 1 - ab[j], den = ab[j] * l + one, g = sab * l / den, gam = g * one / sab;
				final double wsc = c[W] * c[SCALE], f = c[FG] * g + c[FGAM] * gam + c[FI], d = c[DAA] * r + c[DAGA] * gam * r + c[DI];
				final boolean active = d > (pinv[j] ? Guidance.PINV_THRESHOLD : 0);
				final double kap = active ? wsc * f / d : 0;
				// Partial derivatives of a and c in (φ, κ, g, sqrt(ᾱ_t)).
				final double a, daPhi, daK, daG, daS, dcPhi, dcK, dcG, dcS;
				final double bias = 1 - g * sab;
				if (onXt[j]) {
					a = c[PHI] * g + c[PSI] - kap * r / sab;
					daPhi = g;
					daK = -r / sab;
					daG = c[PHI];
					daS = kap * r / (sab * sab);
					dcPhi = bias * m;
					dcK = 0;
					dcG = -c[PHI] * sab * m;
					dcS = -c[PHI] * g * m;
				}
				else {
					final double e = c[PHI] - kap * r;
					a = e * g + c[PSI];
					daPhi = g;
					daK = -r * g;
					daG = e;
					daS = 0;
					dcPhi = bias * m;
					dcK = -r * bias * m;
					dcG = -e * sab * m;
					dcS = -e * g * m;
				}
				final double aBar = pBar * p[j] + sBar * 2 * a * s2[j] + qBar * q[j];
				final double kBar = pBar + aBar * daK + qBar * dcK;
				out[o + PHI] += aBar * daPhi + qBar * dcPhi;
				out[o + PSI] += aBar;
				out[o + NU2] += sBar;
				double gBar = aBar * daG + qBar * dcG, gamBar = 0;
				final double sBarT = aBar * daS + qBar * dcS;
				if (active) {
					// κ = W·F/D, W = w·scale, F = fG g + fΓ Γ + fI, D = dAA ρ + dAΓA Γρ + dI.
					final double kf = kBar / d;
					out[o + W] += kf * f * c[SCALE];
					out[o + SCALE] += kf * f * c[W];
					out[o + FG] += kf * wsc * g;
					out[o + FGAM] += kf * wsc * gam;
					out[o + FI] += kf * wsc;
					out[o + DAA] -= kf * kap * r;
					out[o + DAGA] -= kf * kap * gam * r;
					out[o + DI] -= kf * kap;
					gBar += kf * wsc * c[FG];
					gamBar += kf * (wsc * c[FGAM] - kap * c[DAGA] * r);
				}
				// g, Γ and sqrt(ᾱ_t) as exact functions of ᾱ_t: dg/dᾱ = λ(1 − ᾱ(λ − 1))/(2 sqrt(ᾱ) den²), dΓ/dᾱ = −λ²/den².
				out[o + NS] += gBar * l * (1 - ab[j] * (l - 1)) / (2 * sab * den * den) - gamBar * l * l / (den * den) + sBarT / (2 * sab);
				pBar *= a;
				sBar *= a * a;
				qBar *= a;
			}
			// SDEdit's start law depends on ᾱ_0: dp₀/dᾱ_0 = κ*/(2 sqrt ᾱ_0), dq₀/dᾱ_0 = q*/(2 sqrt ᾱ_0), ds₀²/dᾱ_0 = −1.
			if (posteriorStart) out[NS] += (pBar * kStar[k] + qBar * qStar) / (2 * sab0) - sBar;
		}
		out[out.length - 1] = loss;
		return out;
	}

	private static double kappa(final double[] c, final double g, final double gam, final double r, final boolean pinv) {
		final double d = c[DAA] * r + c[DAGA] * gam * r + c[DI];
		return d > (pinv ? Guidance.PINV_THRESHOLD : 0) ? c[W] * c[SCALE] * (c[FG] * g + c[FGAM] * gam + c[FI]) / d : 0;
	}

	/**
	 * SDEdit's ℒ at a real start time t0 on {@code schedule} with n steps, and dℒ/dt0 into {@code dT0[0]}
	 * when not null: the strided timesteps τ_i = 1 + (t0 − 1)(i − 1)/(n − 1) left unrounded and ᾱ(τ)
	 * interpolated linearly between the schedule's integer timesteps, so ℒ is continuous in t0 and
	 * smooth between integers; dℒ/dt0 = Σ_i ∂ℒ/∂ᾱ(τ_i) · ᾱ′(τ_i) · (i − 1)/(n − 1), the first factor the
	 * adjoint of {@link #value}. At an integer t0 the rounded grid Posterior Sampling runs differs from
	 * this one by the rounding of the τ_i only (n = 1 or t0 − 1 a multiple of n − 1: none).
	 */
	public double startTime(final Schedule schedule, final int n, final double t0, final double[] dT0) {
		if (!fromPosteriorMean()) throw new IllegalArgumentException(method.label + " starts from noise at T: it has no start time.");
		if (n < 1 || !(t0 >= n) || t0 > schedule.T()) throw new IllegalArgumentException("t0 must lie in [n, T] = [" + n + ", " + schedule.T() + "], got " + t0);
		final double[] ab = new double[n], slope = new double[n], share = new double[n];
		for (int j = 0; j < n; j++) {
			// Execution order: step j starts at τ_{n−j}.
			final int i = n - j;
			final double tau = n == 1 ? t0 : 1 + (t0 - 1) * (i - 1) / (n - 1);
			final int lo = Math.min((int) Math.floor(tau), schedule.T() - 1), hi = lo + 1;
			final double f = tau - lo, aLo = schedule.alphaBar(lo), aHi = schedule.alphaBar(hi);
			ab[j] = aLo + f * (aHi - aLo);
			slope[j] = aHi - aLo;
			share[j] = n == 1 ? 1 : (double) (i - 1) / (n - 1);
		}
		final double[] grad = dT0 == null ? null : new double[n];
		final double value = value(ab, grad);
		if (dT0 != null) {
			double d = 0;
			for (int j = 0; j < n; j++) d += grad[j] * slope[j] * share[j];
			dT0[0] = d;
		}
		return value;
	}

	/**
	 * SDEdit's start for a schedule design: the grid (execution order) of the integer t0 in [n, T] that
	 * minimises this ℒ on {@code schedule} ({@link StartTimeSearch}). A table that starts at T, as the
	 * linear and cosine ones do, forgets the measurement, and there ∂ℒ/∂ᾱ_0 all but vanishes: L-BFGS
	 * from it stopped at 5.5× the best t0's value (ConditionalScheduleDesignTest).
	 */
	public double[] bestStartTimeGrid(final Schedule schedule, final int n, final BooleanSupplier cancelled) {
		if (!fromPosteriorMean()) throw new IllegalArgumentException(method.label + " starts from noise at T: it has no start time.");
		final StartTimeSearch.Result r = StartTimeSearch.minimise(t -> value(new StepGrid(schedule, n, t, base, eta).abT, null), n, schedule.T(), 40, cancelled);
		return new StepGrid(schedule, n, r.best(), base, eta).abT;
	}

	/** ℒ in θ (MATH §6.3), with its gradient. */
	public double valueTheta(final double[] th, final double[] grad) {
		return ScheduleDesign.inTheta(this::value, th, grad);
	}

	/** L-BFGS in θ from {@code start} (execution order); {@code value} and {@code startValue} are on these entries. */
	public ScheduleDesign.Result design(final double[] start, final int iterations, final BooleanSupplier cancelled) {
		return robust(java.util.List.of(this), start, iterations, cancelled);
	}

	/**
	 * A robust design (issue 11: "one schedule for a microscope whose noise varies"): the ᾱ minimising
	 * Σ_i ℒ_i(ᾱ) over several problems (noise levels, operators) of the same size and steps. Each ℒ_i is
	 * exact with its exact gradient, so the sum and its gradient are too; {@code value} and
	 * {@code startValue} of the result are the sums.
	 */
	public static ScheduleDesign.Result robust(final java.util.List<ConditionalScheduleDesign> problems, final double[] start, final int iterations, final BooleanSupplier cancelled) {
		if (problems.isEmpty()) throw new IllegalArgumentException("A robust design needs at least one problem.");
		return ScheduleDesign.minimise((ab, grad) -> {
			double total = 0;
			final double[] g = grad == null ? null : new double[grad.length];
			if (grad != null) java.util.Arrays.fill(grad, 0);
			for (final ConditionalScheduleDesign p : problems) {
				total += p.evaluate(ab, g, cancelled);
				if (grad != null) for (int i = 0; i < grad.length; i++) grad[i] += g[i];
			}
			return total;
		}, start, iterations, cancelled);
	}
}
