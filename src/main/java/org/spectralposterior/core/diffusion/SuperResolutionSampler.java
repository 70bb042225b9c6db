package org.spectralposterior.core.diffusion;

import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.spectralposterior.core.Progress;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.HermitianNoise;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.operator.AliasingGroups;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.posterior.GroupLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Every zero-shot sampler on super-resolution, A = S_r C (MATH §3.1, §7.4): the same {@link Method}
 * descriptions as for a blur, applied per aliasing group instead of per frequency. On the group of
 * an LR frequency (d = r² HR frequencies, prior Λ = diag λ_i, row a = c_j/r), AA* = ‖a‖² and
 * AΓA* = Σ Γ_i|a_i|² are scalars, so a guided gain is 𝒦 = (κ_i conj(a_i))_i with
 * κ_i = w·{@link Guidance#kappa}(g_i, Γ_i, ‖a‖², Σ Γ|a|²), and a step is the affine map
 * <pre>
 *   x_s = 𝔸 x_t + 𝔹 V + c + noise,   𝔸 = D + x yᵀ (D real diagonal, x, y complex d-vectors),
 * </pre>
 * guided: D = φG + ψ, x = −𝒦, y = G a (or a/sqrt(ᾱ_t) on x_t), 𝔹 = 𝒦; DDRM (MATH §7.5) in the
 * group's spectral coordinates u = conj(a)/‖a‖ (singular value ‖a‖) and its null space:
 * D = sqrt(ᾱ_s) D_null, x = sqrt(ᾱ_s) u, and a noise covariance e_N²I + (e_O² − e_N²)uu*. Because 𝔸 is
 * diagonal plus rank one, S ← 𝔸S𝔸* + E costs O(d²) per group and step, not O(d³).
 * <ul>
 * <li>{@link #closedForm}: the exact output law ({@link GroupLaw}), P ← 𝔸P + 𝔹, q ← 𝔸q + c, S ← 𝔸S𝔸* + E;</li>
 * <li>{@link #stepper}: the algorithm as written, on the HR half-plane spectrum, with A and A* applied
 * through the aliasing groups.</li>
 * </ul>
 * DDRM for a group the operator removes (‖a‖ = 0) uses the null-space update for every member (MATH §7.5).
 */
public final class SuperResolutionSampler {

	private final GaussianPrior prior;
	private final AliasingGroups groups;
	private final double sigma;
	private final DiffusionSampler.Config cfg;
	private final Method method;
	private final StepGrid grid;
	private final int n, d;
	private final double[] weight;
	private final Guidance[] unit;
	private final Method.SpectralRule ddrm;
	private final GroupLaw posterior;
	/** λ per group member. */
	private final double[] lam;

	public SuperResolutionSampler(final GaussianPrior prior, final BlurOperator blur, final int factor, final double sigma, final DiffusionSampler.Config cfg) {
		if (!prior.plane().sameShape(blur.plane())) throw new IllegalArgumentException("The prior is " + prior.plane() + " but the operator is " + blur.plane() + ".");
		final DiffusionSampler.Plan plan = cfg.plan(sigma);
		this.prior = prior;
		this.groups = new AliasingGroups(blur, factor);
		this.sigma = sigma;
		this.cfg = cfg;
		this.method = cfg.method();
		grid = plan.grid();
		n = grid.n;
		d = groups.d;
		weight = plan.weights();
		unit = plan.unit();
		ddrm = plan.ddrm();
		posterior = GroupLaw.posterior(prior, groups, sigma);
		lam = new double[groups.lr.size * d];
		final double[] l = prior.spectrum().values();
		for (int g = 0; g < groups.lr.size; g++) for (int i = 0; i < d; i++) lam[g * d + i] = l[groups.member(g, i)];
	}

	public AliasingGroups groups() {
		return groups;
	}

	public GroupLaw posterior() {
		return posterior;
	}

	public DiffusionSampler.Config config() {
		return cfg;
	}

	public StepGrid grid() {
		return grid;
	}

	public double[] weights() {
		return weight.clone();
	}

	/** Step j's guidance at unit weight. */
	Guidance unitGuidance(final int j) {
		return unit[j];
	}

	/** λ of member i of group g. */
	double lambda(final int g, final int i) {
		return lam[g * d + i];
	}

	/** The closed-form law and the weights it used (the residual-normalised DPS: linearised, MATH §7.3). */
	public record Law(GroupLaw law, double[] weights, boolean exact) {}

	/** The exact output law over the measurement marginal (weights of the residual-normalised DPS linearised over it). */
	public Law closedForm() {
		return closedForm(null, () -> false);
	}

	/**
	 * The exact output law; {@code measurement} (LR pixels) only matters to the residual-normalised
	 * DPS, whose weights are then linearised given it. Polls {@code cancelled} every step.
	 */
	public Law closedForm(final double[] measurement, final BooleanSupplier cancelled) {
		return closedForm(measurement, cancelled, Progress.NONE);
	}

	/** As above, reporting the share of (group run, step) pairs done on {@code progress} (from pool threads). */
	public Law closedForm(final double[] measurement, final BooleanSupplier cancelled, final Progress progress) {
		final java.util.concurrent.atomic.AtomicLong stepsDone = new java.util.concurrent.atomic.AtomicLong();
		final int size = groups.lr.size;
		final double[] p = new double[2 * size * d], q = new double[2 * size * d], s = new double[2 * size * d * d];
		final double[] vLr = measurement == null ? null : lrSpectrum(measurement);
		start(p, q, s);
		final double[] w = weight.clone();
		final boolean normalised = method.normalisedByResidual();
		final int block = 512;
		final int blocks = (size + block - 1) / block;
		final ThreadLocal<double[][]> work = ThreadLocal.withInitial(() -> new double[][] { new double[d], new double[2 * d], new double[2 * d], new double[2 * d], new double[2 * d],
			new double[2 * d], new double[2], new double[2 * d] });
		if (!normalised && ddrm == null) {
			// Guided methods: the DC group (which carries the bias q) per group, every other group in
			// vectorised runs of 256 (GroupBlockKernel), each run taking every step while in cache.
			final double[][] ws0 = work.get();
			for (int j = 0; j < n; j++) {
				if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
				lawStep(j, w[j], 0, p, q, s, ws0);
			}
			final int first = 1, runs = (size - first + block - 1) / block;
			IntStream.range(0, runs).parallel().forEach(b -> {
				final int from = first + b * block, count = Math.min(block, size - from);
				final GroupBlockKernel kernel = new GroupBlockKernel(groups, lam, from, count);
				final boolean real = kernel.load(p, s, from);
				final double[][] ws = real ? null : work.get();
				for (int j = 0; j < n; j++) {
					if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
					if (real) kernel.step(grid, j, unit[j], w[j]);
					else for (int g = from; g < from + count; g++) lawStep(j, w[j], g, p, q, s, ws);
					final long k = stepsDone.incrementAndGet();
					if ((k & 63) == 0) progress.update(k, (long) runs * n);
				}
				if (real) kernel.store(p, s, from);
			});
		}
		else if (!normalised) {
			// No reduction across groups: each block of groups runs every step while it is in cache.
			IntStream.range(0, blocks).parallel().forEach(b -> {
				final double[][] ws = work.get();
				for (int j = 0; j < n; j++) {
					if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
					for (int g = b * block, end = Math.min(size, g + block); g < end; g++) lawStep(j, w[j], g, p, q, s, ws);
				}
			});
		}
		else {
			for (int j = 0; j < n; j++) {
				if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
				final double e = expectedResidual2(j, p, q, s, vLr);
				w[j] = e > 0 ? weight[j] / Math.sqrt(e) : 0;
				final int jj = j;
				IntStream.range(0, blocks).parallel().forEach(b -> {
					final double[][] ws = work.get();
					for (int g = b * block, end = Math.min(size, g + block); g < end; g++) lawStep(jj, w[jj], g, p, q, s, ws);
				});
			}
		}
		return new Law(new GroupLaw(groups, p, q, s), w, method.linear());
	}

	private double[] lrSpectrum(final double[] measurement) {
		return GroupLaw.lrSpectrum(groups.lr, measurement);
	}

	/** The law of x_T (or SDEdit's x_t0, or DDRM's start) in every group. */
	private void start(final double[] p, final double[] q, final double[] s) {
		final int size = groups.lr.size;
		final double ab = grid.abT[0], sab = Math.sqrt(ab);
		switch (method.start()) {
			case NOISE -> {
				for (int g = 0; g < size; g++) for (int i = 0; i < d; i++) s[2 * (g * d * d + i * d + i)] = 1;
			}
			case POSTERIOR_MEAN -> {
				final double[] pp = posterior.p(), pq = posterior.q();
				for (int i = 0; i < p.length; i++) {
					p[i] = sab * pp[i];
					q[i] = sab * pq[i];
				}
				for (int g = 0; g < size; g++) for (int i = 0; i < d; i++) s[2 * (g * d * d + i * d + i)] = 1 - ab;
			}
			case SPECTRAL -> {
				final double sigT2 = (1 - ab) / ab;
				for (int g = 0; g < size; g++) {
					for (int i = 0; i < d; i++) s[2 * (g * d * d + i * d + i)] = 1 - ab;
					final double aa = groups.aa(g), sv = Math.sqrt(aa);
					if (!(aa > 0) || !(sv * Math.sqrt(sigT2) > sigma)) continue;
					final double extra = ab * (Math.max(0, sigT2 - sigma * sigma / aa) - sigT2);
					for (int i = 0; i < d; i++) {
						// u = conj(a)/‖a‖; P = sqrt(ᾱ_T) u/‖a‖ = sqrt(ᾱ_T) conj(a)/‖a‖².
						p[2 * (g * d + i)] = sab * groups.aRe(g, i) / aa;
						p[2 * (g * d + i) + 1] = -sab * groups.aIm(g, i) / aa;
						for (int l = 0; l < d; l++) {
							// uu* entry (i, l) = conj(a_i) a_l/‖a‖².
							final double ar = groups.aRe(g, i), ai = -groups.aIm(g, i), br = groups.aRe(g, l), bi = groups.aIm(g, l);
							final int o = 2 * (g * d * d + i * d + l);
							s[o] += extra * (ar * br - ai * bi) / aa;
							s[o + 1] += extra * (ar * bi + ai * br) / aa;
						}
					}
				}
			}
		}
	}

	/**
	 * The coefficients of step j on group g: into ws[0] = D (real, d), ws[1] = x, ws[2] = y, ws[3] = 𝔹,
	 * ws[4] = c (complex, d), ws[5] = noise vector u; returns {ν_I², γ} packed in ws[6][0..1]
	 * (noise covariance ν_I² I + γ u u*).
	 */
	private void coefficients(final int j, final double w, final int g, final double[][] ws) {
		final double[] dd = ws[0], x = ws[1], y = ws[2], b = ws[3], c = ws[4], nv = ws[5], noise = ws[6];
		final double ab = grid.abT[j], sab = Math.sqrt(ab), one = 1 - ab, ph = grid.phi[j], ps = grid.psi[j];
		final double m0 = g == 0 ? prior.meanDc() : 0;
		if (g == 0) java.util.Arrays.fill(c, 0);
		if (ddrm == null) {
			final Guidance u = unit[j];
			double aga = 0;
			if (u.dAGammaA() != 0) {
				for (int i = 0; i < d; i++) {
					final double l = lam[g * d + i], ar = groups.aRe(g, i), ai = groups.aIm(g, i);
					aga += one * l / (ab * l + one) * (ar * ar + ai * ai);
				}
			}
			final double aa = groups.aa(g);
			double ka0r = 0, ka0i = 0;
			for (int i = 0; i < d; i++) {
				final double l = lam[g * d + i], gi = sab * l / (ab * l + one), gam = gi * one / sab;
				final double kap = u.none() ? 0 : w * u.kappa(gi, gam, aa, aga);
				final double ar = groups.aRe(g, i), ai = groups.aIm(g, i);
				dd[i] = ph * gi + ps;
				// 𝒦_i = κ_i conj(a_i)
				b[2 * i] = kap * ar;
				b[2 * i + 1] = -kap * ai;
				x[2 * i] = -b[2 * i];
				x[2 * i + 1] = -b[2 * i + 1];
				final double f = u.onXt() ? 1 / sab : gi;
				y[2 * i] = f * ar;
				y[2 * i + 1] = f * ai;
				if (i == 0) {
					ka0r = b[0] * ar - b[1] * ai;
					ka0i = b[0] * ai + b[1] * ar;
				}
			}
			if (m0 != 0) {
				final double g0 = sab * lam[0] / (ab * lam[0] + one), b0 = (1 - g0 * sab) * m0;
				c[0] = ph * b0;
				if (!unit[j].onXt()) {
					// − 𝒦 (a_0 b0)
					for (int i = 0; i < d; i++) {
						final double br = b[2 * i], bi = b[2 * i + 1], ar = groups.aRe(g, 0), ai = groups.aIm(g, 0);
						c[2 * i] -= (br * ar - bi * ai) * b0;
						c[2 * i + 1] -= (br * ai + bi * ar) * b0;
					}
				}
			}
			java.util.Arrays.fill(nv, 0);
			noise[0] = grid.nu[j] * grid.nu[j];
			noise[1] = 0;
			return;
		}
		// DDRM (MATH §7.5) in the group's spectral coordinates.
		final double sas = Math.sqrt(grid.abS[j]), sigT = grid.veT[j], sigS = grid.veS[j];
		final double eta = ddrm.eta(), etaB = ddrm.etaB(), c1 = Math.sqrt(1 - eta * eta) * sigS, fN = c1 / sigT;
		final double aa = groups.aa(g), sv = Math.sqrt(aa), sy = sigma;
		final double eN = eta * sigS;
		double alphaO, betaO, bO, eO;
		if (sv * sigS > sy) {
			alphaO = 1 - etaB;
			betaO = 0;
			bO = etaB / sv;
			eO = Math.sqrt(Math.max(0, sigS * sigS - etaB * etaB * sy * sy / aa));
		}
		else if (sv * sigS < sy) {
			final double f = c1 * sv / sy;
			alphaO = 1 - f;
			betaO = 0;
			bO = sv > 0 ? f / sv : 0;
			eO = eN;
		}
		else {
			alphaO = 1 - fN;
			betaO = fN / sab;
			bO = 0;
			eO = eN;
		}
		final boolean observed = aa > 0;
		for (int i = 0; i < d; i++) {
			final double l = lam[g * d + i], gi = sab * l / (ab * l + one);
			final double dn = (1 - fN) * gi + fN / sab;
			dd[i] = sas * dn;
			final double ur = observed ? groups.aRe(g, i) / sv : 0, ui = observed ? -groups.aIm(g, i) / sv : 0;
			nv[2 * i] = ur;
			nv[2 * i + 1] = ui;
			x[2 * i] = sas * ur;
			x[2 * i + 1] = sas * ui;
			// y_i = conj(u_i)·(α_O g_i + β_O − D_null,i)
			final double md = alphaO * gi + betaO - dn;
			y[2 * i] = ur * md;
			y[2 * i + 1] = -ui * md;
			b[2 * i] = sas * bO * ur;
			b[2 * i + 1] = sas * bO * ui;
		}
		if (m0 != 0) {
			final double g0 = sab * lam[0] / (ab * lam[0] + one), b0 = (1 - g0 * sab) * m0;
			// sqrt(ᾱ_s)[(1 − f_N) b0 e_0 + (α_O − (1 − f_N)) u (conj(u_0) b0)]
			c[0] = sas * (1 - fN) * b0;
			final double k = (alphaO - (1 - fN)) * b0, u0r = nv[0], u0i = -nv[1];
			for (int i = 0; i < d; i++) {
				c[2 * i] += sas * k * (nv[2 * i] * u0r - nv[2 * i + 1] * u0i);
				c[2 * i + 1] += sas * k * (nv[2 * i] * u0i + nv[2 * i + 1] * u0r);
			}
		}
		noise[0] = grid.abS[j] * eN * eN;
		noise[1] = observed ? grid.abS[j] * (eO * eO - eN * eN) : 0;
	}

	/** One step of the block recurrence on group g (structured: 𝔸 = D + x yᵀ). */
	private void lawStep(final int j, final double w, final int g, final double[] p, final double[] q, final double[] s, final double[][] ws) {
		coefficients(j, w, g, ws);
		final double[] dd = ws[0], x = ws[1], y = ws[2], b = ws[3], c = ws[4], nv = ws[5];
		final double nuI2 = ws[6][0], gam = ws[6][1];
		final int po = 2 * g * d, so = 2 * g * d * d;
		// P ← D P + x (yᵀP) + 𝔹 ; q ← D q + x (yᵀq) + c (q and c vanish off the DC group: constant prior mean)
		affine(p, po, dd, x, y, b);
		if (g == 0) affine(q, po, dd, x, y, c);
		// S ← D S D + f x* + x f* + β x x* + ν_I² I + γ u u*,  f = D S conj(y), β = yᵀ S conj(y) (real);
		// with h = f + (β/2) x the middle terms are h x* + x h*. S is Hermitian: the upper triangle is
		// computed and mirrored.
		final double[] f = ws[7];
		double beta = 0;
		for (int i = 0; i < d; i++) {
			double re = 0, im = 0;
			final int row = so + 2 * i * d;
			for (int l = 0; l < d; l++) {
				final double sr = s[row + 2 * l], si = s[row + 2 * l + 1], yr = y[2 * l], yi = y[2 * l + 1];
				// S_il conj(y_l)
				re += sr * yr + si * yi;
				im += si * yr - sr * yi;
			}
			beta += y[2 * i] * re - y[2 * i + 1] * im;
			f[2 * i] = dd[i] * re;
			f[2 * i + 1] = dd[i] * im;
		}
		final double hb = 0.5 * beta;
		for (int i = 0; i < d; i++) {
			f[2 * i] += hb * x[2 * i];
			f[2 * i + 1] += hb * x[2 * i + 1];
		}
		final boolean rank = gam != 0;
		for (int i = 0; i < d; i++) {
			final double xr = x[2 * i], xi = x[2 * i + 1], hr = f[2 * i], hi = f[2 * i + 1], ur = nv[2 * i], ui = nv[2 * i + 1], di = dd[i];
			for (int l = i; l < d; l++) {
				final int o = so + 2 * (i * d + l);
				final double xlr = x[2 * l], xli = x[2 * l + 1], hlr = f[2 * l], hli = f[2 * l + 1];
				// h_i conj(x_l) + x_i conj(h_l)
				double re = di * dd[l] * s[o] + (hr * xlr + hi * xli) + (xr * hlr + xi * hli);
				double im = di * dd[l] * s[o + 1] + (hi * xlr - hr * xli) + (xi * hlr - xr * hli);
				if (rank) {
					final double ulr = nv[2 * l], uli = nv[2 * l + 1];
					re += gam * (ur * ulr + ui * uli);
					im += gam * (ui * ulr - ur * uli);
				}
				if (i == l) {
					s[o] = re + nuI2;
					s[o + 1] = 0;
				}
				else {
					s[o] = re;
					s[o + 1] = im;
					final int t = so + 2 * (l * d + i);
					s[t] = re;
					s[t + 1] = -im;
				}
			}
		}
	}

	/** v ← D v + x (yᵀv) + add on the d complex entries of v at offset o. */
	private void affine(final double[] v, final int o, final double[] dd, final double[] x, final double[] y, final double[] add) {
		double yr0 = 0, yi0 = 0;
		for (int i = 0; i < d; i++) {
			final double yr = y[2 * i], yi = y[2 * i + 1];
			yr0 += yr * v[o + 2 * i] - yi * v[o + 2 * i + 1];
			yi0 += yr * v[o + 2 * i + 1] + yi * v[o + 2 * i];
		}
		for (int i = 0; i < d; i++) {
			final double xr = x[2 * i], xi = x[2 * i + 1];
			v[o + 2 * i] = dd[i] * v[o + 2 * i] + xr * yr0 - xi * yi0 + add[2 * i];
			v[o + 2 * i + 1] = dd[i] * v[o + 2 * i + 1] + xr * yi0 + xi * yr0 + add[2 * i + 1];
		}
	}

	/**
	 * E‖v − A x̂0‖² at step j under the current law (MATH §7.3, in the block form of §7.4): per group
	 * |V − aᵀG(PV + q) − aᵀb₀|² + (Ga)ᵀ S conj(Ga), given v, or averaged over V ~ N(aᵀM, aᵀΛ conj(a) + σ²).
	 */
	private double expectedResidual2(final int j, final double[] p, final double[] q, final double[] s, final double[] vLr) {
		final HalfPlane lr = groups.lr;
		final double ab = grid.abT[j], sab = Math.sqrt(ab), one = 1 - ab;
		final double m0 = prior.meanDc();
		// One scratch vector per thread, not one per group and step.
		final ThreadLocal<double[]> scratch = ThreadLocal.withInitial(() -> new double[2 * d]);
		return IntStream.range(0, lr.size).parallel().mapToDouble(g -> {
			final double[] ga = scratch.get();
			double gpr = 0, gpi = 0, gqr = 0, gqi = 0, cv = sigma * sigma;
			for (int i = 0; i < d; i++) {
				final double l = lam[g * d + i], gi = sab * l / (ab * l + one), ar = groups.aRe(g, i), ai = groups.aIm(g, i);
				ga[2 * i] = gi * ar;
				ga[2 * i + 1] = gi * ai;
				final int o = 2 * (g * d + i);
				gpr += ga[2 * i] * p[o] - ga[2 * i + 1] * p[o + 1];
				gpi += ga[2 * i] * p[o + 1] + ga[2 * i + 1] * p[o];
				gqr += ga[2 * i] * q[o] - ga[2 * i + 1] * q[o + 1];
				gqi += ga[2 * i] * q[o + 1] + ga[2 * i + 1] * q[o];
				cv += l * (ar * ar + ai * ai);
			}
			// Offset: aᵀG q + aᵀ b₀ (b₀ = (1 − g₀ sqrt(ᾱ)) M at the DC member).
			double offR = gqr, offI = gqi;
			if (g == 0) {
				final double g0 = sab * lam[0] / (ab * lam[0] + one);
				offR += groups.aRe(0, 0) * (1 - g0 * sab) * m0;
				offI += groups.aIm(0, 0) * (1 - g0 * sab) * m0;
			}
			final double ur = 1 - gpr, ui = -gpi;
			double e;
			if (vLr != null) {
				final double vr = vLr[2 * g], vi = vLr[2 * g + 1];
				final double er = ur * vr - ui * vi - offR, ei = ur * vi + ui * vr - offI;
				e = er * er + ei * ei;
			}
			else {
				final double amr = g == 0 ? groups.aRe(0, 0) * m0 : 0, ami = g == 0 ? groups.aIm(0, 0) * m0 : 0;
				final double er = ur * amr - ui * ami - offR, ei = ur * ami + ui * amr - offI;
				e = (ur * ur + ui * ui) * cv + er * er + ei * ei;
			}
			// (Ga)ᵀ S conj(Ga)
			double quad = 0;
			for (int i = 0; i < d; i++) {
				for (int l = 0; l < d; l++) {
					final int o = 2 * (g * d * d + i * d + l);
					final double sr = s[o], si = s[o + 1];
					final double tr = ga[2 * i] * sr - ga[2 * i + 1] * si, ti = ga[2 * i] * si + ga[2 * i + 1] * sr;
					quad += tr * ga[2 * l] + ti * ga[2 * l + 1];
				}
			}
			return lr.multiplicity(g) * (e + quad);
		}).sum();
	}

	/** A step-by-step sampler for one LR measurement (pixels). Not thread-safe; reuses its buffers. */
	public Stepper stepper(final double[] measurement) {
		return new Stepper(measurement);
	}

	/**
	 * The algorithm as written, on the HR half-plane spectrum: x̂0 = M + G(x − sqrt(ᾱ)M) per frequency,
	 * the residual V − A y per group (A through the aliasing groups), and the gain back on every member,
	 * 𝒦 r = κ_j conj(a_j) r_{G(j)} — conjugated where j's group is stored as its conjugate.
	 */
	public final class Stepper {
		private final HalfPlane hr = groups.hr, lr = groups.lr;
		private final RealFft2 fft = new RealFft2(hr);
		private final double[] v, x = fft.newSpectrum(), x0 = fft.newSpectrum(), z = fft.newSpectrum(), init;
		private final double[] lamHr = prior.spectrum().values(), c;
		private final double[] ay = new double[2 * groups.lr.size], az = new double[2 * groups.lr.size], ax = new double[2 * groups.lr.size], gs = new double[2 * groups.lr.size];
		private final double[] aga = new double[groups.lr.size];
		private final double[] usedWeights = new double[n];

		private Stepper(final double[] measurement) {
			v = lrSpectrum(measurement);
			c = new double[2 * hr.size];
			// a_j = c_j/r at every stored HR frequency, as stored (no conjugation).
			final double[] blurTransfer = transferOfMembers();
			System.arraycopy(blurTransfer, 0, c, 0, c.length);
			init = method.start() == Method.Start.POSTERIOR_MEAN ? posterior.meanSpectrum(v) : null;
		}

		/** One sample into {@code out} (HR pixels), every noise field drawn from {@code rng} (its own generator). */
		public void sample(final double[] out, final SplittableRandom rng, final Progress progress) {
			final int size = hr.size;
			final double m = prior.meanDc();
			HermitianNoise.fillParallel(hr, rng, x);
			switch (method.start()) {
				case POSTERIOR_MEAN -> {
					final double a = Math.sqrt(grid.abT[0]), b = Math.sqrt(1 - grid.abT[0]);
					for (int i = 0; i < x.length; i++) x[i] = a * init[i] + b * x[i];
				}
				case SPECTRAL -> ddrmStart();
				case NOISE -> {}
			}
			for (int j = 0; j < n; j++) {
				if (progress != null) {
					progress.checkCancelled();
					progress.detail("step " + (j + 1) + "/" + n);
				}
				final double ab = grid.abT[j], sab = Math.sqrt(ab), one = 1 - ab, ph = grid.phi[j], ps = grid.psi[j], nuJ = grid.nu[j];
				final double dc = m * (1 - (sab * lamHr[0] / (ab * lamHr[0] + one)) * sab);
				for (int k = 0; k < size; k++) {
					final double g = sab * lamHr[k] / (ab * lamHr[k] + one);
					x0[2 * k] = g * x[2 * k] + (k == 0 ? dc : 0);
					x0[2 * k + 1] = g * x[2 * k + 1];
				}
				final boolean noisy = ddrm != null || nuJ > 0;
				if (noisy) HermitianNoise.fillParallel(hr, rng, z);
				if (ddrm != null) {
					ddrmStep(j);
					continue;
				}
				final Guidance u = unit[j];
				double wj = weight[j];
				if (!u.none()) {
					groups.forward(u.onXt() ? x : x0, ay);
					final double yScale = u.onXt() ? 1 / sab : 1;
					double r2 = 0;
					for (int g = 0; g < lr.size; g++) {
						ay[2 * g] = v[2 * g] - yScale * ay[2 * g];
						ay[2 * g + 1] = v[2 * g + 1] - yScale * ay[2 * g + 1];
						r2 += lr.multiplicity(g) * (ay[2 * g] * ay[2 * g] + ay[2 * g + 1] * ay[2 * g + 1]);
					}
					if (method.normalisedByResidual()) wj = r2 > 0 ? weight[j] / Math.sqrt(r2) : 0;
					if (u.dAGammaA() != 0) {
						for (int g = 0; g < lr.size; g++) {
							double t = 0;
							for (int i = 0; i < d; i++) {
								final double l = lam[g * d + i], ar = groups.aRe(g, i), ai = groups.aIm(g, i);
								t += one * l / (ab * l + one) * (ar * ar + ai * ai);
							}
							aga[g] = t;
						}
					}
				}
				usedWeights[j] = wj;
				for (int k = 0; k < size; k++) {
					double gr = 0, gi = 0;
					if (!u.none()) {
						final int g = groups.groupOf(k);
						final double l = lamHr[k], gg = sab * l / (ab * l + one), gam = gg * one / sab;
						final double kap = wj * u.kappa(gg, gam, groups.aa(g), aga[g]);
						final double rr = ay[2 * g], ri = groups.groupConj(k) ? -ay[2 * g + 1] : ay[2 * g + 1];
						final double hr0 = c[2 * k], hi0 = c[2 * k + 1];
						// κ conj(a_j) r
						gr = kap * (hr0 * rr + hi0 * ri);
						gi = kap * (hr0 * ri - hi0 * rr);
					}
					final double zr = nuJ > 0 ? nuJ * z[2 * k] : 0, zi = nuJ > 0 ? nuJ * z[2 * k + 1] : 0;
					x[2 * k] = ph * x0[2 * k] + ps * x[2 * k] + gr + zr;
					x[2 * k + 1] = ph * x0[2 * k + 1] + ps * x[2 * k + 1] + gi + zi;
				}
			}
			fft.inverse(x, out);
		}

		/** x_T = sqrt(ᾱ_T)(σ_T z + u (X̄_T,o − σ_T u*z)), X̄_T,o = ȳ + sqrt(σ_T² − σ_y²/‖a‖²) u*z where A sees above the noise. */
		private void ddrmStart() {
			final double ab = grid.abT[0], sab = Math.sqrt(ab), sigT = Math.sqrt((1 - ab) / ab);
			groups.forward(x, az);
			for (int g = 0; g < lr.size; g++) {
				final double aa = groups.aa(g), sv = Math.sqrt(aa);
				gs[2 * g] = 0;
				gs[2 * g + 1] = 0;
				if (!(aa > 0) || !(sv * sigT > sigma)) continue;
				final double dd = Math.sqrt(Math.max(0, sigT * sigT - sigma * sigma / aa));
				final double zor = az[2 * g] / sv, zoi = az[2 * g + 1] / sv;
				final double obr = v[2 * g] / sv + dd * zor, obi = v[2 * g + 1] / sv + dd * zoi;
				gs[2 * g] = obr - sigT * zor;
				gs[2 * g + 1] = obi - sigT * zoi;
			}
			for (int k = 0; k < hr.size; k++) {
				final int g = groups.groupOf(k);
				final double sv = Math.sqrt(groups.aa(g));
				double ur = 0, ui = 0;
				if (sv > 0) {
					ur = c[2 * k] / sv;
					ui = -c[2 * k + 1] / sv;
				}
				final double gr = gs[2 * g], gi = groups.groupConj(k) ? -gs[2 * g + 1] : gs[2 * g + 1];
				x[2 * k] = sab * (sigT * x[2 * k] + ur * gr - ui * gi);
				x[2 * k + 1] = sab * (sigT * x[2 * k + 1] + ur * gi + ui * gr);
			}
		}

		/**
		 * One DDRM step (MATH §7.5) with x0 = x̂0 and z filled: the null-space update on every member,
		 * then the observed coordinate u*X̄ replaced by its branch's update.
		 */
		private void ddrmStep(final int j) {
			final double ab = grid.abT[j], sab = Math.sqrt(ab), sas = Math.sqrt(grid.abS[j]), sigT = grid.veT[j], sigS = grid.veS[j];
			final double eta = ddrm.eta(), etaB = ddrm.etaB(), c1 = Math.sqrt(1 - eta * eta) * sigS, fN = c1 / sigT, sy = sigma;
			// Null update N = X̂0 + c1(X̄_t − X̂0)/σ_t + ησ_s z, into x (X̄_t = x/sqrt(ᾱ_t)).
			for (int i = 0; i < x.length; i++) x[i] = x0[i] + fN * (x[i] / sab - x0[i]) + eta * sigS * z[i];
			groups.forward(x0, ax);
			groups.forward(x, ay);
			groups.forward(z, az);
			for (int g = 0; g < lr.size; g++) {
				final double aa = groups.aa(g), sv = Math.sqrt(aa);
				gs[2 * g] = 0;
				gs[2 * g + 1] = 0;
				if (!(aa > 0)) continue;
				// Observed coordinates (u*· = aᵀ·/‖a‖): of X̂0, of the null update, of z; ȳ = V/‖a‖.
				final double or = ax[2 * g] / sv, oi = ax[2 * g + 1] / sv, nr = ay[2 * g] / sv, ni = ay[2 * g + 1] / sv, zr = az[2 * g] / sv, zi = az[2 * g + 1] / sv;
				final double yr = v[2 * g] / sv, yi = v[2 * g + 1] / sv;
				double tr, ti;
				if (sv * sigS > sy) {
					final double dd = Math.sqrt(Math.max(0, sigS * sigS - etaB * etaB * sy * sy / aa));
					tr = (1 - etaB) * or + etaB * yr + dd * zr;
					ti = (1 - etaB) * oi + etaB * yi + dd * zi;
				}
				else if (sv * sigS < sy) {
					final double f = c1 * sv / sy;
					tr = or + f * (yr - or) + eta * sigS * zr;
					ti = oi + f * (yi - oi) + eta * sigS * zi;
				}
				else {
					tr = nr;
					ti = ni;
				}
				gs[2 * g] = tr - nr;
				gs[2 * g + 1] = ti - ni;
			}
			for (int k = 0; k < hr.size; k++) {
				final int g = groups.groupOf(k);
				final double sv = Math.sqrt(groups.aa(g));
				double add = 0, addI = 0;
				if (sv > 0) {
					final double ur = c[2 * k] / sv, ui = -c[2 * k + 1] / sv;
					final double gr = gs[2 * g], gi = groups.groupConj(k) ? -gs[2 * g + 1] : gs[2 * g + 1];
					add = ur * gr - ui * gi;
					addI = ur * gi + ui * gr;
				}
				x[2 * k] = sas * (x[2 * k] + add);
				x[2 * k + 1] = sas * (x[2 * k + 1] + addI);
			}
		}

		/** The weights the last sample used (the residual-normalised DPS: as realised). */
		public double[] lastWeights() {
			return usedWeights.clone();
		}

		/** The HR spectrum of the last sample (unitary, half plane). */
		public double[] lastSpectrum() {
			return x;
		}
	}

	/** a_j = c_j/r at every stored HR frequency (interleaved), read from the groups. */
	private double[] transferOfMembers() {
		final double[] out = new double[2 * groups.hr.size];
		for (int g = 0; g < groups.lr.size; g++) {
			for (int i = 0; i < d; i++) {
				final int idx = groups.member(g, i);
				out[2 * idx] = groups.aRe(g, i);
				out[2 * idx + 1] = groups.conj(g, i) ? -groups.aIm(g, i) : groups.aIm(g, i);
			}
		}
		return out;
	}
}
