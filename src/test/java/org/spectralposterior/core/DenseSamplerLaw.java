package org.spectralposterior.core;

import java.util.Locale;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * An independent dense reference for the exact output law of the zero-shot samplers run with the
 * exact score of a Gaussian prior N(μ, Σ), for any real linear operator A (m×d), on small images.
 *
 * <p>Written only from the update rules of the samplers (pixel domain, real vectors), deliberately
 * without the main code's diffusion classes: it exists to check their Fourier and block closed forms
 * for super-resolution and inpainting, so sharing code with them would make the check circular.
 *
 * <p>Every step is affine in (x_t, v, z) with coefficients that do not depend on v, so the output
 * given v is Gaussian, N(P v + q, S); {@link #law} propagates (P, q, S) step by step, and
 * {@link #sample} runs the same rules literally on vectors so that a Monte-Carlo test checks the
 * propagation (the hand-derived affine coefficients) rather than restating it.
 */
public final class DenseSamplerLaw {

	private DenseSamplerLaw() {}

	/** DDRM's η (the noise kept in the unobserved and the "before" coordinates) and η_b. */
	static final double DDRM_ETA = 0.85, DDRM_ETA_B = 1;

	/**
	 * DDNM's pseudo-inverse drops singular values s ≤ sqrt(1e-3): the cut is on s² ≤ 1e-3, the
	 * regularisation scale of AAᵀ, not on s itself.
	 */
	static final double DDNM_CUT = Math.sqrt(1e-3);

	/**
	 * Relative size below which a singular value counts as zero for DDRM's rank: an exact null
	 * direction (inpainting, decimation) comes out of the SVD as ~1e-16, never exactly 0, and
	 * dividing v by it would send ȳ to 1e16 instead of putting the coordinate in the null branch.
	 */
	static final double RANK_TOL = 1e-10;

	/** Steps: the schedule quantities of each sampling step, execution order. */
	public record Steps(double[] abT, double[] abS, double[] phi, double[] psi, double[] nu) {
		public int size() {
			return abT.length;
		}
	}

	/** The output law given v: mean = P v + q, covariance S (d×d). */
	public record Law(DMatrixRMaj P, DMatrixRMaj q, DMatrixRMaj S) {
		public double[] mean(final double[] v) {
			final DMatrixRMaj out = new DMatrixRMaj(P.numRows, 1);
			CommonOps_DDRM.mult(P, col(v), out);
			CommonOps_DDRM.addEquals(out, q);
			return out.data.clone();
		}
	}

	private enum Method {
		UNCONDITIONAL, SDEDIT, DPS, PIGDM, CGDM, DDNM, SCOREALD, DDRM;

		static Method of(final String name) {
			return valueOf(name.trim().toUpperCase(Locale.ROOT));
		}
	}

	// ------------------------------------------------------------------------------------------
	// Schedule

	/**
	 * DDPM-type steps: linear β from 1e-4 to 0.02 over T = 1000, strided to n steps at
	 * t_j = round(T·(n−j)/n) (Math.round, so a half rounds up), ancestral step coefficients.
	 * ᾱ_0 = 1 (the empty product), so the last step lands on the clean image with phi = 1,
	 * psi = nu = 0 — set explicitly so that rounding in 1 − ᾱ_s cannot leave a 1e-17 noise term.
	 */
	public static Steps ddpm(final int n) {
		final int bigT = 1000;
		final double[] ab = new double[bigT + 1];
		ab[0] = 1;
		for (int i = 1; i <= bigT; i++) {
			final double beta = 1e-4 + (0.02 - 1e-4) * (i - 1) / (bigT - 1);
			ab[i] = ab[i - 1] * (1 - beta);
		}
		final double[] abT = new double[n], abS = new double[n], phi = new double[n], psi = new double[n], nu = new double[n];
		for (int j = 0; j < n; j++) {
			final int t = (int) Math.round((double) bigT * (n - j) / n), s = (int) Math.round((double) bigT * (n - j - 1) / n);
			abT[j] = ab[t];
			abS[j] = ab[s];
			if (s == 0) {
				phi[j] = 1;
				psi[j] = 0;
				nu[j] = 0;
			} else {
				final double alpha = abT[j] / abS[j], beta = 1 - alpha;
				phi[j] = Math.sqrt(abS[j]) * beta / (1 - abT[j]);
				psi[j] = Math.sqrt(alpha) * (1 - abS[j]) / (1 - abT[j]);
				nu[j] = Math.sqrt(beta * (1 - abS[j]) / (1 - abT[j]));
			}
		}
		return new Steps(abT, abS, phi, psi, nu);
	}

	// ------------------------------------------------------------------------------------------
	// The propagated law

	/** One step as x_s = a x_t + b v + c + e z, kept as e eᵀ (all the law needs). */
	private record Affine(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, DMatrixRMaj eet) {}

	public static Law law(final String method, final DMatrixRMaj A, final DMatrixRMaj sigma, final double[] mu, final double noiseSigma, final Steps steps,
			final double[] w) {
		final Method m = Method.of(method);
		check(A, sigma, mu, steps, w);
		final int d = sigma.numRows, mm = A.numRows;
		DMatrixRMaj P, q, S;
		final Svd svd = m == Method.DDRM ? Svd.of(A) : null;
		final DMatrixRMaj pinv = ddnmPinv(m, A);
		switch (m) {
			case SDEDIT -> {
				final Law post = posterior(A, sigma, mu, noiseSigma);
				final double a = Math.sqrt(steps.abT[0]);
				P = scale(a, post.P);
				q = scale(a, post.q);
				S = scale(1 - steps.abT[0], CommonOps_DDRM.identity(d));
			}
			case DDRM -> {
				final double sT = veSigma(steps.abT[0]);
				final DMatrixRMaj bbar = new DMatrixRMaj(d, mm), e2 = new DMatrixRMaj(d, d);
				for (int i = 0; i < d; i++) {
					final double s = svd.s(i);
					if (s > 0 && s * sT > noiseSigma) {
						setRow(bbar, i, svd.utRowOver(i, s));
						e2.set(i, i, sT * sT - noiseSigma * noiseSigma / (s * s));
					} else {
						e2.set(i, i, sT * sT);
					}
				}
				final double a = Math.sqrt(steps.abT[0]);
				P = scale(a, mult(svd.v, bbar));
				q = new DMatrixRMaj(d, 1);
				S = scale(steps.abT[0], sandwich(svd.v, e2));
			}
			default -> {
				// x_T ~ N(0, I) whatever v is.
				P = new DMatrixRMaj(d, mm);
				q = new DMatrixRMaj(d, 1);
				S = CommonOps_DDRM.identity(d);
			}
		}
		for (int j = 0; j < steps.size(); j++) {
			final Affine st = m == Method.DDRM ? ddrmStep(A, sigma, mu, noiseSigma, steps, j, svd) : step(m, A, pinv, sigma, mu, noiseSigma, steps, j, w[j]);
			P = add(mult(st.a, P), st.b);
			q = add(mult(st.a, q), st.c);
			S = symmetric(add(sandwich(st.a, S), st.eet));
		}
		return new Law(P, q, S);
	}

	/** The exact denoiser at level ᾱ: x̂0 = G x_t + h, with Γ the covariance of x0 given x_t. */
	private record Denoiser(DMatrixRMaj g, DMatrixRMaj h, DMatrixRMaj gamma) {
		static Denoiser at(final DMatrixRMaj sigma, final double[] mu, final double ab) {
			final int d = sigma.numRows;
			final DMatrixRMaj mInv = scale(ab, sigma);
			for (int i = 0; i < d; i++) mInv.add(i, i, 1 - ab);
			if (!CommonOps_DDRM.invert(mInv)) throw new IllegalStateException("ᾱΣ + (1−ᾱ)I is singular at ᾱ = " + ab);
			// Σ and (ᾱΣ + (1−ᾱ)I)^{-1} commute, so both products are symmetric; rounding is removed
			// here so that the covariance recursion does not accumulate an antisymmetric part.
			final DMatrixRMaj sm = symmetric(mult(sigma, mInv));
			final DMatrixRMaj g = scale(Math.sqrt(ab), sm);
			final DMatrixRMaj gamma = scale(1 - ab, sm);
			// h = (I − √ᾱ G) μ: x̂0 = μ + G (x_t − √ᾱ μ) rewritten as G x_t + h.
			final DMatrixRMaj h = col(mu);
			CommonOps_DDRM.subtractEquals(h, scale(Math.sqrt(ab), mult(g, col(mu))));
			return new Denoiser(g, h, gamma);
		}
	}

	/**
	 * The gain K (d×m) on the residual r = v − A x̂0; null for the methods without one. {@code pinv} is
	 * DDNM's A⁺ (null otherwise), computed once per run by {@link #ddnmPinv}: an SVD per step and per
	 * sample was most of the Monte-Carlo test's time.
	 */
	private static DMatrixRMaj gain(final Method m, final DMatrixRMaj A, final DMatrixRMaj pinv, final Denoiser den, final double ab, final double phi,
			final double w, final double noiseSigma) {
		final int mm = A.numRows;
		final DMatrixRMaj at = transpose(A);
		return switch (m) {
			case UNCONDITIONAL, SDEDIT, SCOREALD, DDRM -> null;
			case DPS -> scale(w, mult(den.g, at));
			case PIGDM -> {
				final DMatrixRMaj inner = scale(1 - ab, mult(A, at));
				for (int i = 0; i < mm; i++) inner.add(i, i, noiseSigma * noiseSigma);
				yield scale(w, mult(mult(den.g, at), inverse(inner)));
			}
			case CGDM -> {
				final DMatrixRMaj gat = mult(den.gamma, at);
				final DMatrixRMaj inner = mult(A, gat);
				for (int i = 0; i < mm; i++) inner.add(i, i, noiseSigma * noiseSigma);
				yield scale(w * phi, mult(gat, inverse(inner)));
			}
			case DDNM -> scale(w * phi, pinv);
		};
	}

	/**
	 * Every method but DDRM: x_s = φ x̂0 + ψ x_t + ν z + K r with x̂0 = G x_t + h and
	 * r = v − A G x_t − A h, hence a = φG + ψI − KAG, b = K, c = (φI − KA) h, e = νI.
	 * Score-ALD instead adds χAᵀ(v − A x_t/√ᾱ): a = φG + ψI − (χ/√ᾱ)AᵀA, b = χAᵀ, c = φh.
	 */
	private static Affine step(final Method m, final DMatrixRMaj A, final DMatrixRMaj pinv, final DMatrixRMaj sigma, final double[] mu,
			final double noiseSigma, final Steps steps, final int j, final double w) {
		final int d = sigma.numRows, mm = A.numRows;
		final double ab = steps.abT[j], phi = steps.phi[j], psi = steps.psi[j], nu = steps.nu[j];
		final Denoiser den = Denoiser.at(sigma, mu, ab);
		final DMatrixRMaj a = scale(phi, den.g);
		for (int i = 0; i < d; i++) a.add(i, i, psi);
		final DMatrixRMaj b, c = scale(phi, den.h);
		if (m == Method.SCOREALD) {
			final double chi = w / Math.sqrt(ab);
			final DMatrixRMaj at = transpose(A);
			CommonOps_DDRM.subtractEquals(a, scale(chi / Math.sqrt(ab), mult(at, A)));
			b = scale(chi, at);
		} else {
			final DMatrixRMaj k = gain(m, A, pinv, den, ab, phi, w, noiseSigma);
			if (k == null) {
				b = new DMatrixRMaj(d, mm);
			} else {
				final DMatrixRMaj ka = mult(k, A);
				CommonOps_DDRM.subtractEquals(a, mult(ka, den.g));
				CommonOps_DDRM.subtractEquals(c, mult(ka, den.h));
				b = k;
			}
		}
		return new Affine(a, b, c, scale(nu * nu, CommonOps_DDRM.identity(d)));
	}

	private static DMatrixRMaj ddnmPinv(final Method m, final DMatrixRMaj A) {
		return m == Method.DDNM ? Svd.of(A).pinv(DDNM_CUT) : null;
	}

	/** The VE noise level σ = sqrt((1−ᾱ)/ᾱ) of DDRM's coordinates X̄ = x / √ᾱ. */
	private static double veSigma(final double ab) {
		return ab >= 1 ? 0 : Math.sqrt((1 - ab) / ab);
	}

	/**
	 * Which DDRM update a V-coordinate takes: 0 unobserved (null space), 1 "noisier than y"
	 * (s σ_s ≤ σ_y: interpolate between x̂0 and ȳ), 2 "less noisy than y" (s σ_s > σ_y: replace by ȳ
	 * plus the missing noise). A tie s σ_s = σ_y goes to 1 (measure-zero, but it keeps σ_y = σ_s = 0
	 * in branch 1, see {@link #ddrmInterp}).
	 */
	private static int ddrmBranch(final double s, final double sigmaS, final double sigmaY) {
		if (!(s > 0)) return 0;
		return s * sigmaS > sigmaY ? 2 : 1;
	}

	/**
	 * The weight on ȳ in branch 1: sqrt(1−η²) σ_s s / σ_y. At σ_s = 0 it is 0 for any σ_y > 0, and it
	 * is taken as that limit (X̄_s = c) also when σ_y = 0, where the formula is 0/0: with noise-free
	 * measurements the last step (σ_s = 0) returns the denoiser's estimate in the observed coordinates,
	 * as it does for every σ_y > 0.
	 */
	private static double ddrmInterp(final double s, final double sigmaS, final double sigmaY) {
		return sigmaS == 0 ? 0 : Math.sqrt(1 - DDRM_ETA * DDRM_ETA) * sigmaS * s / sigmaY;
	}

	/**
	 * DDRM in V-coordinates, one row per coordinate i of X̄_s = ā x_t + b̄ v + c̄ + ē z', with
	 * c = Vᵀ(G x_t + h), xb = Vᵀ x_t / √ᾱ_t and ȳ_i = (Uᵀ v)_i / s_i; then x_s = √ᾱ_s V X̄_s, so
	 * a = √ᾱ_s V ā etc. and e eᵀ = ᾱ_s V diag(ē²) Vᵀ (z = V z' is again standard normal).
	 */
	private static Affine ddrmStep(final DMatrixRMaj A, final DMatrixRMaj sigma, final double[] mu, final double sy, final Steps steps, final int j,
			final Svd svd) {
		final int d = sigma.numRows, mm = A.numRows;
		final double ab = steps.abT[j], abS = steps.abS[j];
		final double st = veSigma(ab), ss = veSigma(abS);
		final Denoiser den = Denoiser.at(sigma, mu, ab);
		final DMatrixRMaj vt = transpose(svd.v);
		final DMatrixRMaj cx = mult(vt, den.g), ch = mult(vt, den.h);
		final DMatrixRMaj abar = new DMatrixRMaj(d, d), bbar = new DMatrixRMaj(d, mm), cbar = new DMatrixRMaj(d, 1), e2 = new DMatrixRMaj(d, d);
		final double eta = DDRM_ETA, etaB = DDRM_ETA_B;
		for (int i = 0; i < d; i++) {
			final double s = svd.s(i);
			switch (ddrmBranch(s, ss, sy)) {
				case 0 -> {
					// c_i + a (xb_i − c_i) + η σ_s z'_i
					final double a = Math.sqrt(1 - eta * eta) * ss / st;
					for (int k = 0; k < d; k++) abar.set(i, k, (1 - a) * cx.get(i, k) + a * vt.get(i, k) / Math.sqrt(ab));
					cbar.set(i, 0, (1 - a) * ch.get(i, 0));
					e2.set(i, i, eta * eta * ss * ss);
				}
				case 1 -> {
					// c_i + b (ȳ_i − c_i) + η σ_s z'_i
					final double b = ddrmInterp(s, ss, sy);
					for (int k = 0; k < d; k++) abar.set(i, k, (1 - b) * cx.get(i, k));
					cbar.set(i, 0, (1 - b) * ch.get(i, 0));
					if (b != 0) setRow(bbar, i, scale(b, svd.utRowOver(i, s)));
					e2.set(i, i, eta * eta * ss * ss);
				}
				default -> {
					// (1 − η_b) c_i + η_b ȳ_i + sqrt(σ_s² − η_b² σ_y² / s²) z'_i
					for (int k = 0; k < d; k++) abar.set(i, k, (1 - etaB) * cx.get(i, k));
					cbar.set(i, 0, (1 - etaB) * ch.get(i, 0));
					setRow(bbar, i, scale(etaB, svd.utRowOver(i, s)));
					e2.set(i, i, Math.max(0, ss * ss - etaB * etaB * sy * sy / (s * s)));
				}
			}
		}
		final double r = Math.sqrt(abS);
		return new Affine(scale(r, mult(svd.v, abar)), scale(r, mult(svd.v, bbar)), scale(r, mult(svd.v, cbar)), scale(abS, sandwich(svd.v, e2)));
	}

	// ------------------------------------------------------------------------------------------
	// The exact posterior and distances

	/** The exact posterior law (P*, q*, Σ_post) in the same form. */
	public static Law posterior(final DMatrixRMaj A, final DMatrixRMaj sigma, final double[] mu, final double noiseSigma) {
		final int mm = A.numRows;
		final DMatrixRMaj sat = mult(sigma, transpose(A));
		final DMatrixRMaj cv = mult(A, sat);
		for (int i = 0; i < mm; i++) cv.add(i, i, noiseSigma * noiseSigma);
		final DMatrixRMaj p = mult(sat, inverse(cv));
		// q* = μ − P* A μ, so that P* v + q* = μ + P*(v − Aμ).
		final DMatrixRMaj q = col(mu);
		CommonOps_DDRM.subtractEquals(q, mult(p, mult(A, col(mu))));
		final DMatrixRMaj post = sigma.copy();
		CommonOps_DDRM.subtractEquals(post, mult(p, transpose(sat)));
		return new Law(p, q, symmetric(post));
	}

	/**
	 * W2² between N(m1, C1) and N(m2, C2): the Bures form of {@link Dense#w2Squared} (symmetric
	 * eigendecompositions, negative eigenvalues clamped). Not clamped at 0 itself, so equal laws give
	 * a rounding-size value of either sign; callers compare with a tolerance.
	 */
	public static double w2Squared(final double[] m1, final DMatrixRMaj c1, final double[] m2, final DMatrixRMaj c2) {
		return Dense.w2Squared(m1, symmetric(c1), m2, symmetric(c2));
	}

	/** E_v W2²(law(v), posterior(v)) over v ~ N(Aμ, AΣAᵀ + σ²I). */
	public static double expectedW2Squared(final Law law, final Law posterior, final DMatrixRMaj A, final DMatrixRMaj sigma, final double[] mu,
			final double noiseSigma) {
		final int d = sigma.numRows, mm = A.numRows;
		final DMatrixRMaj cv = sandwich(A, sigma);
		for (int i = 0; i < mm; i++) cv.add(i, i, noiseSigma * noiseSigma);
		final DMatrixRMaj dp = law.P.copy();
		CommonOps_DDRM.subtractEquals(dp, posterior.P);
		// The mean gap (P − P*) v + q − q* has mean (P − P*) Aμ + q − q* and covariance (P − P*) C_v (P − P*)ᵀ;
		// the covariance gap does not depend on v at all.
		final DMatrixRMaj gap = add(mult(dp, mult(A, col(mu))), law.q);
		CommonOps_DDRM.subtractEquals(gap, posterior.q);
		final double meanPart = CommonOps_DDRM.trace(sandwich(dp, cv)) + CommonOps_DDRM.dot(gap, gap);
		return meanPart + w2Squared(new double[d], law.S, new double[d], posterior.S);
	}

	// ------------------------------------------------------------------------------------------
	// Operators

	/**
	 * A = S_r C_h: circular blur (C_h x)[p] = Σ_q kernel[(p − q) mod (h, w)] x[q], then keep pixels
	 * (r·y, r·x), row-major over the (h/r)×(w/r) output grid. h and w must be multiples of r, the
	 * case the plugin's super-resolution handles.
	 */
	public static DMatrixRMaj superResolution(final double[] kernel, final int h, final int w, final int r) {
		if (r < 1 || h % r != 0 || w % r != 0) throw new IllegalArgumentException("grid " + h + "×" + w + " not a multiple of r = " + r);
		if (kernel.length != h * w) throw new IllegalArgumentException("kernel must be h×w");
		final DMatrixRMaj c = Dense.circulantFromKernel(kernel, h, w);
		final int ho = h / r, wo = w / r;
		final DMatrixRMaj a = new DMatrixRMaj(ho * wo, h * w);
		for (int y = 0; y < ho; y++) for (int x = 0; x < wo; x++) {
			final int src = (r * y) * w + r * x;
			for (int k = 0; k < h * w; k++) a.set(y * wo + x, k, c.get(src, k));
		}
		return a;
	}

	/** Inpainting A = S_Ω: the rows of I for the observed pixels, in increasing pixel order. */
	public static DMatrixRMaj inpainting(final boolean[] observed) {
		int m = 0;
		for (final boolean o : observed) if (o) m++;
		final DMatrixRMaj a = new DMatrixRMaj(m, observed.length);
		int row = 0;
		for (int i = 0; i < observed.length; i++) if (observed[i]) a.set(row++, i, 1);
		return a;
	}

	// ------------------------------------------------------------------------------------------
	// Step-by-step sampling

	/**
	 * One sample by the update rules themselves, on vectors: x̂0, the residual and the DDRM branches
	 * are evaluated as written, not through the affine coefficients of {@link #law}. Only the gain K,
	 * the denoiser's matrices and the SVD are shared, so a Monte-Carlo check against {@link #law}
	 * tests the derivation of (a, b, c, e) and the propagation.
	 */
	public static double[] sample(final String method, final DMatrixRMaj A, final DMatrixRMaj sigma, final double[] mu, final double noiseSigma,
			final Steps steps, final double[] w, final double[] v, final SplittableRandom rng) {
		return sampler(method, A, sigma, mu, noiseSigma, steps, w).sample(v, rng);
	}

	/**
	 * The same sampler with its per-step matrices (G, K, the SVD) built once: {@link #sample} rebuilds
	 * them on every call, which for thousands of Monte-Carlo draws costs more than the draws. Nothing
	 * here depends on v, so reusing them changes no sample.
	 */
	static Sampler sampler(final String method, final DMatrixRMaj A, final DMatrixRMaj sigma, final double[] mu, final double noiseSigma,
			final Steps steps, final double[] w) {
		return new Sampler(Method.of(method), A, sigma, mu, noiseSigma, steps, w);
	}

	static final class Sampler {
		private final Method m;
		private final DMatrixRMaj a, at, mu;
		private final double noiseSigma;
		private final Steps steps;
		private final double[] w;
		private final Denoiser[] den;
		private final DMatrixRMaj[] gain;
		private final Svd svd;
		private final DMatrixRMaj vt, ut;
		private final Law post;

		private Sampler(final Method m, final DMatrixRMaj A, final DMatrixRMaj sigma, final double[] mu, final double noiseSigma, final Steps steps,
				final double[] w) {
			check(A, sigma, mu, steps, w);
			this.m = m;
			this.a = A;
			this.at = transpose(A);
			this.mu = col(mu);
			this.noiseSigma = noiseSigma;
			this.steps = steps;
			this.w = w.clone();
			final int n = steps.size();
			den = new Denoiser[n];
			gain = new DMatrixRMaj[n];
			final DMatrixRMaj pinv = ddnmPinv(m, A);
			for (int j = 0; j < n; j++) {
				den[j] = Denoiser.at(sigma, mu, steps.abT[j]);
				gain[j] = m == Method.SCOREALD ? null : gain(m, A, pinv, den[j], steps.abT[j], steps.phi[j], w[j], noiseSigma);
			}
			svd = m == Method.DDRM ? Svd.of(A) : null;
			vt = svd == null ? null : transpose(svd.v);
			ut = svd == null ? null : transpose(svd.u);
			post = m == Method.SDEDIT ? posterior(A, sigma, mu, noiseSigma) : null;
		}

		double[] sample(final double[] v, final SplittableRandom rng) {
			final int d = mu.numRows;
			final DMatrixRMaj vv = col(v);
			DMatrixRMaj x;
			switch (m) {
				case SDEDIT -> {
					final double[] mstar = post.mean(v);
					x = new DMatrixRMaj(d, 1);
					for (int i = 0; i < d; i++) x.set(i, 0, Math.sqrt(steps.abT[0]) * mstar[i] + Math.sqrt(1 - steps.abT[0]) * rng.nextGaussian());
				}
				case DDRM -> {
					final double sT = veSigma(steps.abT[0]), sy = noiseSigma;
					final DMatrixRMaj uv = mult(ut, vv);
					final DMatrixRMaj xbar = new DMatrixRMaj(d, 1);
					for (int i = 0; i < d; i++) {
						final double s = svd.s(i), z = rng.nextGaussian();
						xbar.set(i, 0, s > 0 && s * sT > sy ? uv.get(i, 0) / s + Math.sqrt(sT * sT - sy * sy / (s * s)) * z : sT * z);
					}
					x = scale(Math.sqrt(steps.abT[0]), mult(svd.v, xbar));
				}
				default -> x = gaussian(d, rng);
			}
			for (int j = 0; j < steps.size(); j++) {
				final double ab = steps.abT[j], phi = steps.phi[j], psi = steps.psi[j], nu = steps.nu[j];
				// x̂0 = μ + G (x_t − √ᾱ μ), as written (not G x_t + h as in law()).
				final DMatrixRMaj x0 = mu.copy();
				final DMatrixRMaj centred = x.copy();
				CommonOps_DDRM.addEquals(centred, -Math.sqrt(ab), mu);
				CommonOps_DDRM.addEquals(x0, mult(den[j].g, centred));
				if (m == Method.DDRM) {
					x = ddrmSampleStep(x, x0, vv, svd, vt, ut, ab, steps.abS[j], noiseSigma, rng);
					continue;
				}
				final DMatrixRMaj next = scale(phi, x0);
				CommonOps_DDRM.addEquals(next, psi, x);
				CommonOps_DDRM.addEquals(next, nu, gaussian(d, rng));
				if (m == Method.SCOREALD) {
					final double chi = w[j] / Math.sqrt(ab);
					final DMatrixRMaj res = vv.copy();
					CommonOps_DDRM.subtractEquals(res, scale(1 / Math.sqrt(ab), mult(a, x)));
					CommonOps_DDRM.addEquals(next, chi, mult(at, res));
				} else if (gain[j] != null) {
					final DMatrixRMaj res = vv.copy();
					CommonOps_DDRM.subtractEquals(res, mult(a, x0));
					CommonOps_DDRM.addEquals(next, mult(gain[j], res));
				}
				x = next;
			}
			return x.data.clone();
		}
	}

	private static DMatrixRMaj ddrmSampleStep(final DMatrixRMaj x, final DMatrixRMaj x0, final DMatrixRMaj v, final Svd svd, final DMatrixRMaj vt,
			final DMatrixRMaj ut, final double ab, final double abS, final double sy, final SplittableRandom rng) {
		final int d = x.numRows;
		final double st = veSigma(ab), ss = veSigma(abS), eta = DDRM_ETA, etaB = DDRM_ETA_B;
		final DMatrixRMaj c = mult(vt, x0), xb = scale(1 / Math.sqrt(ab), mult(vt, x)), uv = mult(ut, v);
		final DMatrixRMaj xs = new DMatrixRMaj(d, 1);
		for (int i = 0; i < d; i++) {
			final double s = svd.s(i), ci = c.get(i, 0), z = rng.nextGaussian();
			final double value = switch (ddrmBranch(s, ss, sy)) {
				case 0 -> ci + Math.sqrt(1 - eta * eta) * ss * (xb.get(i, 0) - ci) / st + eta * ss * z;
				case 1 -> ci + ddrmInterp(s, ss, sy) * (uv.get(i, 0) / s - ci) + eta * ss * z;
				default -> (1 - etaB) * ci + etaB * uv.get(i, 0) / s + Math.sqrt(Math.max(0, ss * ss - etaB * etaB * sy * sy / (s * s))) * z;
			};
			xs.set(i, 0, value);
		}
		return scale(Math.sqrt(abS), mult(svd.v, xs));
	}

	// ------------------------------------------------------------------------------------------
	// SVD with a full V

	/**
	 * A = U S Vᵀ with U m×m and V d×d square (the null-space columns of V are needed by DDRM), the
	 * singular values sorted descending so that s(i) pairs with column i of U and of V.
	 */
	private record Svd(DMatrixRMaj u, double[] sv, DMatrixRMaj v) {
		static Svd of(final DMatrixRMaj a) {
			final SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.numRows, a.numCols, true, true, false);
			if (!svd.decompose(a.copy())) throw new IllegalStateException("SVD failed");
			final DMatrixRMaj u = svd.getU(null, false), wm = svd.getW(null), v = svd.getV(null, false);
			SingularOps_DDRM.descendingOrder(u, false, wm, v, false);
			final int k = Math.min(a.numRows, a.numCols);
			final double[] sv = new double[k];
			for (int i = 0; i < k; i++) sv[i] = wm.get(i, i);
			return new Svd(u, sv, v);
		}

		/** s_i, 0 beyond the rank (numerically zero values included) and beyond min(m, d). */
		double s(final int i) {
			if (i >= sv.length) return 0;
			return sv[i] > RANK_TOL * Math.max(sv[0], Double.MIN_NORMAL) ? sv[i] : 0;
		}

		/** Row i of Uᵀ divided by s: the map v ↦ ȳ_i. */
		DMatrixRMaj utRowOver(final int i, final double s) {
			final DMatrixRMaj row = new DMatrixRMaj(1, u.numRows);
			for (int k = 0; k < u.numRows; k++) row.set(0, k, u.get(k, i) / s);
			return row;
		}

		/** V diag(1/s for s > cut, else 0) Uᵀ. */
		DMatrixRMaj pinv(final double cut) {
			final DMatrixRMaj out = new DMatrixRMaj(v.numRows, u.numRows);
			for (int i = 0; i < sv.length; i++) {
				if (!(sv[i] > cut)) continue;
				for (int r = 0; r < v.numRows; r++) for (int c = 0; c < u.numRows; c++) out.add(r, c, v.get(r, i) * u.get(c, i) / sv[i]);
			}
			return out;
		}
	}

	// ------------------------------------------------------------------------------------------
	// Small helpers

	private static void check(final DMatrixRMaj A, final DMatrixRMaj sigma, final double[] mu, final Steps steps, final double[] w) {
		final int d = sigma.numRows;
		if (sigma.numCols != d || A.numCols != d || mu.length != d) throw new IllegalArgumentException("A must be m×d, Σ d×d, μ of length d");
		final int n = steps.size();
		if (steps.abS.length != n || steps.phi.length != n || steps.psi.length != n || steps.nu.length != n || w.length != n)
			throw new IllegalArgumentException("every per-step array must have one entry per step");
	}

	static DMatrixRMaj col(final double[] v) {
		return new DMatrixRMaj(v.length, 1, true, v.clone());
	}

	private static DMatrixRMaj gaussian(final int n, final SplittableRandom rng) {
		final DMatrixRMaj z = new DMatrixRMaj(n, 1);
		for (int i = 0; i < n; i++) z.set(i, 0, rng.nextGaussian());
		return z;
	}

	private static DMatrixRMaj mult(final DMatrixRMaj a, final DMatrixRMaj b) {
		final DMatrixRMaj out = new DMatrixRMaj(a.numRows, b.numCols);
		CommonOps_DDRM.mult(a, b, out);
		return out;
	}

	private static DMatrixRMaj add(final DMatrixRMaj a, final DMatrixRMaj b) {
		final DMatrixRMaj out = a.copy();
		CommonOps_DDRM.addEquals(out, b);
		return out;
	}

	private static DMatrixRMaj scale(final double s, final DMatrixRMaj a) {
		final DMatrixRMaj out = a.copy();
		CommonOps_DDRM.scale(s, out);
		return out;
	}

	private static DMatrixRMaj transpose(final DMatrixRMaj a) {
		return CommonOps_DDRM.transpose(a, null);
	}

	/** a s aᵀ. */
	private static DMatrixRMaj sandwich(final DMatrixRMaj a, final DMatrixRMaj s) {
		final DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numRows);
		CommonOps_DDRM.multTransB(mult(a, s), a, out);
		return out;
	}

	private static DMatrixRMaj inverse(final DMatrixRMaj a) {
		final DMatrixRMaj out = a.copy();
		if (!CommonOps_DDRM.invert(out)) throw new IllegalStateException("singular matrix");
		return out;
	}

	private static DMatrixRMaj symmetric(final DMatrixRMaj a) {
		final DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
		CommonOps_DDRM.add(0.5, a, 0.5, transpose(a), out);
		return out;
	}

	private static void setRow(final DMatrixRMaj target, final int row, final DMatrixRMaj values) {
		for (int k = 0; k < values.numCols; k++) target.set(row, k, values.get(0, k));
	}
}
