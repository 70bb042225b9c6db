package org.spectralposterior.core.diffusion;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.spectralposterior.core.metric.HermitianBlock;
import org.spectralposterior.core.operator.AliasingGroups;
import org.spectralposterior.core.posterior.GroupLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The tuning objective on super-resolution, per aliasing group (MATH §9.3 and §10, block form): with
 * 𝔸_j = D_j − w_j 𝒦₁ y_jᵀ, 𝔹_j = w_j 𝒦₁ (𝒦₁ the unit-weight gain, linear in w), P ← 𝔸P + 𝔹,
 * q ← 𝔸q + c, S ← 𝔸S𝔸* + ν²I, and
 * <pre>
 *   ℒ = Σ_G mult·[ C_v‖P − P*‖² + ‖(P − P*)α + q − q*‖² + Bures(S, S*) ],  α = aᵀM, C_v = aᵀΛ conj(a) + σ²,
 * </pre>
 * its gradient by reverse mode: adjoints G_P ← 𝔸*G_P, G_q ← 𝔸*G_q, G_S ← 𝔸*G_S𝔸 from
 * G_P = 2C_v(P − P*) + 2 conj(α)u, G_q = 2u, G_S = I − T (T the optimal map, {@link HermitianBlock#buresGradient}),
 * and ∂ℒ/∂w_j = Re⟨G_P', 𝒦₁(1 − yᵀP)⟩ + Re⟨G_q', −𝒦₁(yᵀq + a₀b₀)⟩ − 2 Re(yᵀ S 𝔸* G_S' 𝒦₁), with P, q, S
 * before the step and the primed adjoints after it. Groups run in parallel blocks, each keeping its
 * own history.
 */
public final class SuperResolutionObjective implements TuningObjective {

	private final SuperResolutionSampler s;
	private final AliasingGroups groups;
	private final GaussianPrior prior;
	private final GroupLaw post;
	private final double sigma;
	private final int d, n;

	public SuperResolutionObjective(final SuperResolutionSampler sampler, final GaussianPrior prior, final double sigma) {
		this.s = sampler;
		this.groups = sampler.groups();
		this.prior = prior;
		this.post = sampler.posterior();
		this.sigma = sigma;
		this.d = groups.d;
		this.n = sampler.grid().n;
		final Method m = sampler.config().method();
		if (!m.tunable()) throw new IllegalArgumentException(m.label + " has no guidance weights to tune.");
		if (!m.linear()) throw new IllegalArgumentException(m.label + " divides its weight by the residual, so its law is not affine in the weights; tune the linear DPS (dps) instead.");
	}

	@Override
	public int steps() {
		return n;
	}

	@Override
	public Method method() {
		return s.config().method();
	}

	@Override
	public int[] timesteps() {
		final int[] t = new int[n];
		for (int j = 0; j < n; j++) t[j] = s.grid().t(j);
		return t;
	}

	@Override
	public double[] heuristicWeights() {
		return s.weights();
	}

	@Override
	public double evaluate(final double[] w, final double[] grad, final BooleanSupplier cancelled) {
		if (w.length != n) throw new IllegalArgumentException("The weights list has " + w.length + " values but there are " + n + " steps.");
		final int size = groups.lr.size, block = 64, blocks = (size + block - 1) / block;
		final ThreadLocal<HermitianBlock> hb = ThreadLocal.withInitial(() -> new HermitianBlock(d));
		final double[][] parts = IntStream.range(0, blocks).parallel().mapToObj(b -> {
			final double[] out = new double[n + 1];
			for (int g = b * block, end = Math.min(size, g + block); g < end; g++) group(g, w, grad != null, cancelled, hb.get(), out);
			return out;
		}).toArray(double[][]::new);
		double total = 0;
		if (grad != null) java.util.Arrays.fill(grad, 0);
		for (final double[] p : parts) {
			total += p[n];
			if (grad != null) for (int j = 0; j < n; j++) grad[j] += p[j];
		}
		return total;
	}

	/** Step j's coefficients on group g: D (real), 𝒦₁ (complex), y (complex), and the DC bias's (c₀ = φb₀, a₀b₀ or 0). */
	private void coefficients(final int j, final int g, final double[] dd, final double[] k1, final double[] y, final double[] bias) {
		final StepGrid grid = s.grid();
		final Guidance u = s.unitGuidance(j);
		final double ab = grid.abT[j], sab = Math.sqrt(ab), one = 1 - ab, ph = grid.phi[j], ps = grid.psi[j];
		double aga = 0;
		for (int i = 0; i < d; i++) {
			final double l = s.lambda(g, i);
			aga += one * l / (ab * l + one) * (groups.aRe(g, i) * groups.aRe(g, i) + groups.aIm(g, i) * groups.aIm(g, i));
		}
		for (int i = 0; i < d; i++) {
			final double l = s.lambda(g, i), gi = sab * l / (ab * l + one), gam = gi * one / sab;
			final double kap = u.none() ? 0 : u.kappa(gi, gam, groups.aa(g), aga);
			dd[i] = ph * gi + ps;
			k1[2 * i] = kap * groups.aRe(g, i);
			k1[2 * i + 1] = -kap * groups.aIm(g, i);
			final double f = u.onXt() ? 1 / sab : gi;
			y[2 * i] = f * groups.aRe(g, i);
			y[2 * i + 1] = f * groups.aIm(g, i);
		}
		if (g == 0) {
			final double l0 = s.lambda(0, 0), g0 = sab * l0 / (ab * l0 + one), b0 = (1 - g0 * sab) * prior.meanDc();
			bias[0] = ph * b0;
			// a₀b₀ (complex): the DC member's row entry times the bias; zero for a guidance on x_t.
			bias[1] = u.onXt() ? 0 : groups.aRe(0, 0) * b0;
			bias[2] = u.onXt() ? 0 : groups.aIm(0, 0) * b0;
		}
	}

	/** 𝔸 = D − w 𝒦₁ yᵀ as a dense d×d complex matrix. */
	private void matrix(final double[] dd, final double[] k1, final double[] y, final double w, final double[] a) {
		for (int i = 0; i < d; i++) {
			for (int l = 0; l < d; l++) {
				final double kr = k1[2 * i], ki = k1[2 * i + 1], yr = y[2 * l], yi = y[2 * l + 1];
				a[2 * (i * d + l)] = (i == l ? dd[i] : 0) - w * (kr * yr - ki * yi);
				a[2 * (i * d + l) + 1] = -w * (kr * yi + ki * yr);
			}
		}
	}

	private void group(final int g, final double[] w, final boolean wantGrad, final BooleanSupplier cancelled, final HermitianBlock hb, final double[] out) {
		final int dd2 = 2 * d * d, dv = 2 * d;
		final double mult = groups.lr.multiplicity(g);
		final boolean dc = g == 0;
		double[] p = new double[dv], q = new double[dv], sm = new double[dd2];
		final double[][] pH = wantGrad ? new double[n][] : null, qH = wantGrad ? new double[n][] : null, sH = wantGrad ? new double[n][] : null;
		final double[] dd = new double[d], k1 = new double[dv], y = new double[dv], bias = new double[3], a = new double[dd2], t1 = new double[dd2], t2 = new double[dd2];
		// The noise start (every tunable method starts from N(0, I)).
		for (int i = 0; i < d; i++) sm[2 * (i * d + i)] = 1;
		for (int j = 0; j < n; j++) {
			if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
			if (wantGrad) {
				pH[j] = p.clone();
				qH[j] = q.clone();
				sH[j] = sm.clone();
			}
			coefficients(j, g, dd, k1, y, bias);
			matrix(dd, k1, y, w[j], a);
			final double[] pn = new double[dv], qn = new double[dv];
			mulVec(a, p, pn);
			for (int i = 0; i < dv; i++) pn[i] += w[j] * k1[i];
			if (dc) {
				mulVec(a, q, qn);
				qn[0] += bias[0];
				// − w 𝒦₁ (a₀b₀)
				for (int i = 0; i < d; i++) {
					qn[2 * i] -= w[j] * (k1[2 * i] * bias[1] - k1[2 * i + 1] * bias[2]);
					qn[2 * i + 1] -= w[j] * (k1[2 * i] * bias[2] + k1[2 * i + 1] * bias[1]);
				}
			}
			p = pn;
			q = qn;
			mul(a, sm, t1, false);
			mul(t1, a, sm, true);
			final double nu2 = s.grid().nu[j] * s.grid().nu[j];
			for (int i = 0; i < d; i++) sm[2 * (i * d + i)] += nu2;
		}
		// Terminal loss and adjoints.
		final double[] ps = post.p(), qs = post.q(), ss = post.s();
		final int po = 2 * g * d, so = 2 * g * d * d;
		double cv = sigma * sigma;
		for (int i = 0; i < d; i++) cv += s.lambda(g, i) * (groups.aRe(g, i) * groups.aRe(g, i) + groups.aIm(g, i) * groups.aIm(g, i));
		final double alR = dc ? groups.aRe(0, 0) * prior.meanDc() : 0, alI = dc ? groups.aIm(0, 0) * prior.meanDc() : 0;
		double loss = 0;
		final double[] gp = new double[dv], gq = new double[dv], gs = new double[dd2];
		for (int i = 0; i < d; i++) {
			final double dr = p[2 * i] - ps[po + 2 * i], di = p[2 * i + 1] - ps[po + 2 * i + 1];
			final double ur = dr * alR - di * alI + q[2 * i] - qs[po + 2 * i], ui = dr * alI + di * alR + q[2 * i + 1] - qs[po + 2 * i + 1];
			loss += cv * (dr * dr + di * di) + ur * ur + ui * ui;
			// G_P = 2C_v(P − P*) + 2 u conj(α), G_q = 2u
			gp[2 * i] = mult * (2 * cv * dr + 2 * (ur * alR + ui * alI));
			gp[2 * i + 1] = mult * (2 * cv * di + 2 * (ui * alR - ur * alI));
			gq[2 * i] = mult * 2 * ur;
			gq[2 * i + 1] = mult * 2 * ui;
		}
		final double[] sCopy = new double[dd2], postS = new double[dd2];
		System.arraycopy(sm, 0, sCopy, 0, dd2);
		boolean finite = Double.isFinite(loss);
		for (final double x : sm) finite &= Double.isFinite(x);
		if (!finite) {
			// A diverged recurrence (huge weights, as the constant search tries): infinitely far, no gradient.
			out[n] = Double.POSITIVE_INFINITY;
			return;
		}
		System.arraycopy(ss, so, postS, 0, dd2);
		loss += hb.bures(sCopy, 0, postS, 0);
		out[n] += mult * loss;
		if (!wantGrad) return;
		hb.buresGradient(sCopy, 0, postS, 0, gs);
		for (int i = 0; i < dd2; i++) gs[i] *= mult;
		for (int j = n - 1; j >= 0; j--) {
			if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
			coefficients(j, g, dd, k1, y, bias);
			matrix(dd, k1, y, w[j], a);
			final double[] pPrev = pH[j], qPrev = qH[j], sPrev = sH[j];
			// Re⟨G_P', 𝒦₁(1 − yᵀP)⟩
			double ypR = 0, ypI = 0, yqR = 0, yqI = 0;
			for (int i = 0; i < d; i++) {
				ypR += y[2 * i] * pPrev[2 * i] - y[2 * i + 1] * pPrev[2 * i + 1];
				ypI += y[2 * i] * pPrev[2 * i + 1] + y[2 * i + 1] * pPrev[2 * i];
				yqR += y[2 * i] * qPrev[2 * i] - y[2 * i + 1] * qPrev[2 * i + 1];
				yqI += y[2 * i] * qPrev[2 * i + 1] + y[2 * i + 1] * qPrev[2 * i];
			}
			double gj = 0;
			for (int i = 0; i < d; i++) {
				final double vr = k1[2 * i] * (1 - ypR) + k1[2 * i + 1] * ypI, vi = k1[2 * i + 1] * (1 - ypR) - k1[2 * i] * ypI;
				gj += gp[2 * i] * vr + gp[2 * i + 1] * vi;
				if (dc) {
					// −𝒦₁ (yᵀq + a₀b₀)
					final double cr = yqR + bias[1], ci = yqI + bias[2];
					final double wr = -(k1[2 * i] * cr - k1[2 * i + 1] * ci), wi = -(k1[2 * i] * ci + k1[2 * i + 1] * cr);
					gj += gq[2 * i] * wr + gq[2 * i + 1] * wi;
				}
			}
			// −2 Re(yᵀ S 𝔸* G_S' 𝒦₁)
			mul(sPrev, a, t1, true); // S 𝔸*
			mul(t1, gs, t2, false); // S 𝔸* G_S'
			final double[] v = new double[dv];
			mulVec(t2, k1, v);
			double re = 0;
			for (int i = 0; i < d; i++) re += y[2 * i] * v[2 * i] - y[2 * i + 1] * v[2 * i + 1];
			gj += -2 * re;
			out[j] += gj;
			// Adjoints back through the step.
			final double[] gpn = new double[dv], gqn = new double[dv];
			mulVecAdjoint(a, gp, gpn);
			System.arraycopy(gpn, 0, gp, 0, dv);
			if (dc) {
				mulVecAdjoint(a, gq, gqn);
				System.arraycopy(gqn, 0, gq, 0, dv);
			}
			mulAdjoint(a, gs, t1); // 𝔸* G
			mul(t1, a, gs, false); // 𝔸* G 𝔸
		}
	}

	/** out = A v. */
	private void mulVec(final double[] a, final double[] v, final double[] out) {
		for (int i = 0; i < d; i++) {
			double re = 0, im = 0;
			for (int l = 0; l < d; l++) {
				final double ar = a[2 * (i * d + l)], ai = a[2 * (i * d + l) + 1];
				re += ar * v[2 * l] - ai * v[2 * l + 1];
				im += ar * v[2 * l + 1] + ai * v[2 * l];
			}
			out[2 * i] = re;
			out[2 * i + 1] = im;
		}
	}

	/** out = A* v. */
	private void mulVecAdjoint(final double[] a, final double[] v, final double[] out) {
		for (int i = 0; i < d; i++) {
			double re = 0, im = 0;
			for (int l = 0; l < d; l++) {
				final double ar = a[2 * (l * d + i)], ai = -a[2 * (l * d + i) + 1];
				re += ar * v[2 * l] - ai * v[2 * l + 1];
				im += ar * v[2 * l + 1] + ai * v[2 * l];
			}
			out[2 * i] = re;
			out[2 * i + 1] = im;
		}
	}

	/** out = A B, or A B* when {@code adjointB}. */
	private void mul(final double[] a, final double[] b, final double[] out, final boolean adjointB) {
		for (int i = 0; i < d; i++) {
			for (int l = 0; l < d; l++) {
				double re = 0, im = 0;
				for (int k = 0; k < d; k++) {
					final double ar = a[2 * (i * d + k)], ai = a[2 * (i * d + k) + 1];
					final double br = adjointB ? b[2 * (l * d + k)] : b[2 * (k * d + l)], bi = adjointB ? -b[2 * (l * d + k) + 1] : b[2 * (k * d + l) + 1];
					re += ar * br - ai * bi;
					im += ar * bi + ai * br;
				}
				out[2 * (i * d + l)] = re;
				out[2 * (i * d + l) + 1] = im;
			}
		}
	}

	/** out = A* B. */
	private void mulAdjoint(final double[] a, final double[] b, final double[] out) {
		for (int i = 0; i < d; i++) {
			for (int l = 0; l < d; l++) {
				double re = 0, im = 0;
				for (int k = 0; k < d; k++) {
					final double ar = a[2 * (k * d + i)], ai = -a[2 * (k * d + i) + 1];
					final double br = b[2 * (k * d + l)], bi = b[2 * (k * d + l) + 1];
					re += ar * br - ai * bi;
					im += ar * bi + ai * br;
				}
				out[2 * (i * d + l)] = re;
				out[2 * (i * d + l) + 1] = im;
			}
		}
	}
}
