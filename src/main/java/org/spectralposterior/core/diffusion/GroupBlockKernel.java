package org.spectralposterior.core.diffusion;

import org.spectralposterior.core.operator.AliasingGroups;

/**
 * The super-resolution block recurrence of a guided method for a run of B aliasing groups at once,
 * in a basis where it is real. On a group with operator row a, a guided step is 𝔸 = D − 𝒦 (G a)ᵀ with
 * 𝒦 = κ conj(a) and D, G, κ real diagonal (they depend on λ only). In the coordinates x̃ = T* x,
 * T = diag(conj(a_i)/|a_i|) (1 where a_i = 0) — a unitary diagonal, a phase per member —
 * <pre>
 *   T* 𝔸 T = D − (κ|a|)(G|a|)ᵀ,   T* 𝒦 = κ|a|,   T* (ν²I) T = ν²I,
 * </pre>
 * all real, so a real starting law (x_T's identity covariance, or the posterior's, whose P* = Λ conj(a)/c
 * and Σ* = Λ − P* aᵀΛ are real in this basis) stays real: S̃ is real symmetric and P̃ real. That is a
 * quarter of the complex arithmetic of {@link SuperResolutionSampler}'s per-group step, which keeps the
 * DC group (with its bias q) and any state that is not real here. Layout: structure of arrays, every
 * loop over the B groups for one member or one entry of S̃, so the JIT vectorises it (the loops over
 * d = r² members, 4 for r = 2, are too short to). S̃ holds its upper triangle, entry e(i, l), l ≥ i.
 */
final class GroupBlockKernel {

	/** Largest imaginary part, relative to the group's largest entry of P (or of S), that {@link #load} still reads as rounding. */
	private static final double REAL_TOLERANCE = 1e-10;

	private final int d, b, entries;
	private final int[] rowOf, colOf;
	private final int[][] entry;
	/** Per member i, over the B groups: λ, |a|, |a|², the phase e^{iθ} = a/|a| (1 where a = 0). */
	private final double[][] lam, am, a2, cr, ci;
	/** Per group: AA*. */
	private final double[] aa;
	/** State in the real basis: P̃ per member, S̃ per upper entry, each over the B groups. */
	private final double[][] p, s;
	private final double[][] dd, x, y, w, h;
	private final double[] aga, den, invDen, yp, beta;

	/** Groups [from, from + count) of {@code groups}, λ per group member ({@code lamMembers}, index group·d + i). */
	GroupBlockKernel(final AliasingGroups groups, final double[] lamMembers, final int from, final int count) {
		d = groups.d;
		b = count;
		entries = d * (d + 1) / 2;
		entry = new int[d][d];
		rowOf = new int[entries];
		colOf = new int[entries];
		for (int i = 0, e = 0; i < d; i++) {
			for (int l = i; l < d; l++, e++) {
				entry[i][l] = entry[l][i] = e;
				rowOf[e] = i;
				colOf[e] = l;
			}
		}
		lam = new double[d][b];
		am = new double[d][b];
		a2 = new double[d][b];
		cr = new double[d][b];
		ci = new double[d][b];
		aa = new double[b];
		for (int k = 0; k < b; k++) {
			final int gr = from + k;
			aa[k] = groups.aa(gr);
			for (int i = 0; i < d; i++) {
				final double re = groups.aRe(gr, i), im = groups.aIm(gr, i), m = Math.hypot(re, im);
				lam[i][k] = lamMembers[gr * d + i];
				am[i][k] = m;
				a2[i][k] = m * m;
				cr[i][k] = m > 0 ? re / m : 1;
				ci[i][k] = m > 0 ? im / m : 0;
			}
		}
		p = new double[d][b];
		s = new double[entries][b];
		dd = new double[d][b];
		x = new double[d][b];
		y = new double[d][b];
		w = new double[d][b];
		h = new double[d][b];
		aga = new double[b];
		den = new double[b];
		invDen = new double[b];
		yp = new double[b];
		beta = new double[b];
	}

	/**
	 * Reads P and S of groups [from, from + B) from the per-group layout of
	 * {@link org.spectralposterior.core.posterior.GroupLaw} into the real basis, P̃ = T*P and
	 * S̃ = T*ST; false if some group's state is not real there (then this kernel cannot carry it).
	 */
	boolean load(final double[] pIn, final double[] sIn, final int from) {
		boolean real = true;
		for (int k = 0; k < b; k++) {
			final int po = 2 * (from + k) * d, so = 2 * (from + k) * d * d;
			// Checked per group, P and S apart: a group with small entries must not hide behind a large one.
			double pRe = 0, pIm = 0, sRe = 0, sIm = 0;
			for (int i = 0; i < d; i++) {
				// conj(T_i) = e^{iθ_i}: (c_r + i c_i)(p_r + i p_i)
				final double re = cr[i][k] * pIn[po + 2 * i] - ci[i][k] * pIn[po + 2 * i + 1], im = cr[i][k] * pIn[po + 2 * i + 1] + ci[i][k] * pIn[po + 2 * i];
				p[i][k] = re;
				pRe = Math.max(pRe, Math.abs(re));
				pIm = Math.max(pIm, Math.abs(im));
			}
			for (int e = 0; e < entries; e++) {
				final int i = rowOf[e], l = colOf[e], o = so + 2 * (i * d + l);
				// e^{iθ_i} S_il e^{−iθ_l}
				final double ur = cr[i][k] * cr[l][k] + ci[i][k] * ci[l][k], ui = ci[i][k] * cr[l][k] - cr[i][k] * ci[l][k];
				final double re = ur * sIn[o] - ui * sIn[o + 1], im = ur * sIn[o + 1] + ui * sIn[o];
				s[e][k] = re;
				sRe = Math.max(sRe, Math.abs(re));
				sIm = Math.max(sIm, Math.abs(im));
			}
			real &= pIm <= REAL_TOLERANCE * pRe && sIm <= REAL_TOLERANCE * sRe;
		}
		return real;
	}

	/** Writes P = T P̃ and the whole Hermitian S = T S̃ T* back. */
	void store(final double[] pOut, final double[] sOut, final int from) {
		for (int k = 0; k < b; k++) {
			final int po = 2 * (from + k) * d, so = 2 * (from + k) * d * d;
			for (int i = 0; i < d; i++) {
				pOut[po + 2 * i] = cr[i][k] * p[i][k];
				pOut[po + 2 * i + 1] = -ci[i][k] * p[i][k];
			}
			for (int e = 0; e < entries; e++) {
				final int i = rowOf[e], l = colOf[e];
				final double v = s[e][k];
				// e^{−iθ_i} S̃_il e^{iθ_l}
				final double ur = cr[i][k] * cr[l][k] + ci[i][k] * ci[l][k], ui = cr[i][k] * ci[l][k] - ci[i][k] * cr[l][k];
				sOut[so + 2 * (i * d + l)] = ur * v;
				sOut[so + 2 * (i * d + l) + 1] = ui * v;
				sOut[so + 2 * (l * d + i)] = ur * v;
				sOut[so + 2 * (l * d + i) + 1] = -ui * v;
			}
		}
	}

	/** One step j with guidance u at weight wt. */
	void step(final StepGrid grid, final int j, final Guidance u, final double wt) {
		final double ab = grid.abT[j], sab = Math.sqrt(ab), one = 1 - ab, ph = grid.phi[j], ps = grid.psi[j], nu2 = grid.nu[j] * grid.nu[j];
		final double sc = wt * u.scale(), fG = u.fG(), fGam = u.fGamma(), fI = u.fI(), dAA = u.dAA(), dAGA = u.dAGammaA(), dI = u.dI();
		final double thr = u.pseudoInverse() ? Guidance.PINV_THRESHOLD : 0, invSab = 1 / sab;
		final boolean guided = !u.none(), onXt = u.onXt();
		java.util.Arrays.fill(aga, 0);
		for (int i = 0; dAGA != 0 && i < d; i++) {
			final double[] li = lam[i], ai = a2[i];
			for (int k = 0; k < b; k++) aga[k] += one * li[k] / (ab * li[k] + one) * ai[k];
		}
		// The reciprocal vectorised, then the (rare, well-predicted) zeros where the bracket is at most
		// the threshold: a conditional inside the division's loop leaves it scalar.
		if (guided) {
			for (int k = 0; k < b; k++) den[k] = dAA * aa[k] + dAGA * aga[k] + dI;
			for (int k = 0; k < b; k++) invDen[k] = 1 / den[k];
			for (int k = 0; k < b; k++) if (!(den[k] > thr)) invDen[k] = 0;
		}
		else java.util.Arrays.fill(invDen, 0);
		java.util.Arrays.fill(yp, 0);
		for (int i = 0; i < d; i++) {
			final double[] li = lam[i], mi = am[i], di = dd[i], xi = x[i], yi = y[i], pi = p[i];
			// G = sqrt(ᾱ)λ/(ᾱλ + 1 − ᾱ), Γ = (1 − ᾱ)λ/(ᾱλ + 1 − ᾱ); x̃ = −κ|a|, ỹ = G|a| (or |a|/sqrt(ᾱ)
			// on x_t); 𝔹̃ = −x̃ is added to P̃ below. Each loop without a branch or a second
			// accumulation, or C2 leaves it scalar.
			if (onXt) {
				for (int k = 0; k < b; k++) {
					final double inv = 1 / (ab * li[k] + one), gg = sab * li[k] * inv;
					di[k] = ph * gg + ps;
					xi[k] = -sc * (fG * gg + fGam * one * li[k] * inv + fI) * invDen[k] * mi[k];
					yi[k] = invSab * mi[k];
				}
			}
			else {
				for (int k = 0; k < b; k++) {
					final double inv = 1 / (ab * li[k] + one), gg = sab * li[k] * inv;
					di[k] = ph * gg + ps;
					xi[k] = -sc * (fG * gg + fGam * one * li[k] * inv + fI) * invDen[k] * mi[k];
					yi[k] = gg * mi[k];
				}
			}
			for (int k = 0; k < b; k++) yp[k] += yi[k] * pi[k];
		}
		// P̃ ← D P̃ + x̃ (ỹᵀP̃) − x̃
		for (int i = 0; i < d; i++) {
			final double[] pi = p[i], di = dd[i], xi = x[i];
			for (int k = 0; k < b; k++) pi[k] = di[k] * pi[k] + xi[k] * (yp[k] - 1);
		}
		// w = S̃ ỹ, β = ỹᵀw, h = D w + (β/2) x̃; S̃ ← D S̃ D + h x̃ᵀ + x̃ hᵀ + ν²I.
		for (int i = 0; i < d; i++) {
			final double[] wi = w[i], s0 = s[entry[i][0]], y0 = y[0];
			for (int k = 0; k < b; k++) wi[k] = s0[k] * y0[k];
			for (int l = 1; l < d; l++) {
				final double[] se = s[entry[i][l]], yl = y[l];
				for (int k = 0; k < b; k++) wi[k] += se[k] * yl[k];
			}
		}
		java.util.Arrays.fill(beta, 0);
		for (int i = 0; i < d; i++) {
			final double[] yi = y[i], wi = w[i];
			for (int k = 0; k < b; k++) beta[k] += yi[k] * wi[k];
		}
		for (int i = 0; i < d; i++) {
			final double[] hi = h[i], di = dd[i], wi = w[i], xi = x[i];
			for (int k = 0; k < b; k++) hi[k] = di[k] * wi[k] + 0.5 * beta[k] * xi[k];
		}
		for (int e = 0; e < entries; e++) {
			final double[] se = s[e], di = dd[rowOf[e]], dl = dd[colOf[e]], hi = h[rowOf[e]], hl = h[colOf[e]], xi = x[rowOf[e]], xl = x[colOf[e]];
			final double add = rowOf[e] == colOf[e] ? nu2 : 0;
			for (int k = 0; k < b; k++) se[k] = di[k] * dl[k] * se[k] + hi[k] * xl[k] + xi[k] * hl[k] + add;
		}
	}

}
