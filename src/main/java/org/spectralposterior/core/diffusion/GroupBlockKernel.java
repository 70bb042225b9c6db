package org.spectralposterior.core.diffusion;

import org.spectralposterior.core.operator.AliasingGroups;

/**
 * The super-resolution block recurrence of a guided method for a run of B aliasing groups at once,
 * in structure-of-arrays layout: every loop runs over the B groups for one member (or one entry of
 * the covariance), so the JIT vectorises it, where the per-group loops over d = r² members (4 for
 * r = 2) are too short to. Same algebra as {@link SuperResolutionSampler}'s per-group step
 * (𝔸 = D + x yᵀ, S ← D S D + h x* + x h* + ν²I, h = D S conj(y) + (β/2) x), without the DC group's
 * bias (q), which that per-group step keeps. S holds its upper triangle, entry e(i, l) for l ≥ i.
 */
final class GroupBlockKernel {

	private final int d, b, entries;
	private final int[] entry;
	/** Per member i: λ, Re a, Im a, |a|² (index i·B + g). */
	private final double[] lam, ar, ai, a2;
	/** Per group: AA*. */
	private final double[] aa;
	/** State: P (per member), S (per upper entry). */
	final double[] pr, pi, sr, si;
	private final double[] g, gam, dd, xr, xi, yr, yi, wr, wi, hr, hi, aga, invDen, ypr, ypi, beta;

	/** Loads groups [from, from + count) of {@code groups}, λ per group member ({@code lamMembers}, index group·d + i). */
	GroupBlockKernel(final AliasingGroups groups, final double[] lamMembers, final int from, final int count) {
		d = groups.d;
		b = count;
		entries = d * (d + 1) / 2;
		entry = new int[d * d];
		for (int i = 0, e = 0; i < d; i++) for (int l = i; l < d; l++) entry[i * d + l] = e++;
		lam = new double[d * b];
		ar = new double[d * b];
		ai = new double[d * b];
		a2 = new double[d * b];
		aa = new double[b];
		for (int k = 0; k < b; k++) {
			final int gr = from + k;
			aa[k] = groups.aa(gr);
			for (int i = 0; i < d; i++) {
				lam[i * b + k] = lamMembers[gr * d + i];
				ar[i * b + k] = groups.aRe(gr, i);
				ai[i * b + k] = groups.aIm(gr, i);
				a2[i * b + k] = ar[i * b + k] * ar[i * b + k] + ai[i * b + k] * ai[i * b + k];
			}
		}
		pr = new double[d * b];
		pi = new double[d * b];
		sr = new double[entries * b];
		si = new double[entries * b];
		g = new double[d * b];
		gam = new double[d * b];
		dd = new double[d * b];
		xr = new double[d * b];
		xi = new double[d * b];
		yr = new double[d * b];
		yi = new double[d * b];
		wr = new double[d * b];
		wi = new double[d * b];
		hr = new double[d * b];
		hi = new double[d * b];
		aga = new double[b];
		invDen = new double[b];
		ypr = new double[b];
		ypi = new double[b];
		beta = new double[b];
	}

	/** Reads P and S of groups [from, from + B) from the per-group layout of {@link org.spectralposterior.core.posterior.GroupLaw}. */
	void load(final double[] p, final double[] s, final int from) {
		for (int k = 0; k < b; k++) {
			final int po = 2 * (from + k) * d, so = 2 * (from + k) * d * d;
			for (int i = 0; i < d; i++) {
				pr[i * b + k] = p[po + 2 * i];
				pi[i * b + k] = p[po + 2 * i + 1];
				for (int l = i; l < d; l++) {
					sr[entry[i * d + l] * b + k] = s[so + 2 * (i * d + l)];
					si[entry[i * d + l] * b + k] = s[so + 2 * (i * d + l) + 1];
				}
			}
		}
	}

	/** Writes P and the whole Hermitian S back. */
	void store(final double[] p, final double[] s, final int from) {
		for (int k = 0; k < b; k++) {
			final int po = 2 * (from + k) * d, so = 2 * (from + k) * d * d;
			for (int i = 0; i < d; i++) {
				p[po + 2 * i] = pr[i * b + k];
				p[po + 2 * i + 1] = pi[i * b + k];
				for (int l = i; l < d; l++) {
					final int e = entry[i * d + l] * b + k;
					s[so + 2 * (i * d + l)] = sr[e];
					s[so + 2 * (i * d + l) + 1] = si[e];
					s[so + 2 * (l * d + i)] = sr[e];
					s[so + 2 * (l * d + i) + 1] = -si[e];
				}
			}
		}
	}

	/** One step j with guidance u at weight w. */
	void step(final StepGrid grid, final int j, final Guidance u, final double w) {
		final double ab = grid.abT[j], sab = Math.sqrt(ab), one = 1 - ab, ph = grid.phi[j], ps = grid.psi[j], nu2 = grid.nu[j] * grid.nu[j];
		final double sc = w * u.scale(), fG = u.fG(), fGam = u.fGamma(), fI = u.fI(), dAA = u.dAA(), dAGA = u.dAGammaA(), dI = u.dI();
		final double thr = u.pseudoInverse() ? Guidance.PINV_THRESHOLD : 0;
		final boolean guided = !u.none(), onXt = u.onXt();
		for (int t = 0; t < d * b; t++) {
			final double l = lam[t], inv = 1 / (ab * l + one);
			g[t] = sab * l * inv;
			gam[t] = one * l * inv;
		}
		java.util.Arrays.fill(aga, 0);
		if (dAGA != 0) for (int i = 0; i < d; i++) for (int k = 0, o = i * b; k < b; k++) aga[k] += gam[o + k] * a2[o + k];
		for (int k = 0; k < b; k++) {
			final double den = dAA * aa[k] + dAGA * aga[k] + dI;
			invDen[k] = guided && den > thr ? 1 / den : 0;
		}
		for (int i = 0; i < d; i++) {
			final int o = i * b;
			for (int k = 0; k < b; k++) {
				final int t = o + k;
				final double kap = sc * (fG * g[t] + fGam * gam[t] + fI) * invDen[k];
				dd[t] = ph * g[t] + ps;
				// x = −𝒦 = −κ conj(a); y = G a (or a/sqrt(ᾱ) on x_t); 𝔹 = 𝒦 is added to P below.
				xr[t] = -kap * ar[t];
				xi[t] = kap * ai[t];
				final double f = onXt ? 1 / sab : g[t];
				yr[t] = f * ar[t];
				yi[t] = f * ai[t];
			}
		}
		// P ← D P + x (yᵀP) − x   (𝔹 = −x)
		java.util.Arrays.fill(ypr, 0);
		java.util.Arrays.fill(ypi, 0);
		for (int i = 0; i < d; i++) {
			for (int k = 0, o = i * b; k < b; k++) {
				ypr[k] += yr[o + k] * pr[o + k] - yi[o + k] * pi[o + k];
				ypi[k] += yr[o + k] * pi[o + k] + yi[o + k] * pr[o + k];
			}
		}
		for (int i = 0; i < d; i++) {
			final int o = i * b;
			for (int k = 0; k < b; k++) {
				final int t = o + k;
				final double nr = dd[t] * pr[t] + xr[t] * ypr[k] - xi[t] * ypi[k] - xr[t];
				final double ni = dd[t] * pi[t] + xr[t] * ypi[k] + xi[t] * ypr[k] - xi[t];
				pr[t] = nr;
				pi[t] = ni;
			}
		}
		// w = S conj(y), with S_il = conj(S_li) below the diagonal.
		java.util.Arrays.fill(wr, 0);
		java.util.Arrays.fill(wi, 0);
		for (int i = 0; i < d; i++) {
			for (int l = 0; l < d; l++) {
				final boolean upper = l >= i;
				final int e = (upper ? entry[i * d + l] : entry[l * d + i]) * b, oi = i * b, ol = l * b;
				final double sgn = upper ? 1 : -1;
				for (int k = 0; k < b; k++) {
					final double s0 = sr[e + k], s1 = sgn * si[e + k], y0 = yr[ol + k], y1 = yi[ol + k];
					wr[oi + k] += s0 * y0 + s1 * y1;
					wi[oi + k] += s1 * y0 - s0 * y1;
				}
			}
		}
		java.util.Arrays.fill(beta, 0);
		for (int i = 0; i < d; i++) for (int k = 0, o = i * b; k < b; k++) beta[k] += yr[o + k] * wr[o + k] - yi[o + k] * wi[o + k];
		for (int i = 0; i < d; i++) {
			for (int k = 0, o = i * b; k < b; k++) {
				final double hb = 0.5 * beta[k];
				hr[o + k] = dd[o + k] * wr[o + k] + hb * xr[o + k];
				hi[o + k] = dd[o + k] * wi[o + k] + hb * xi[o + k];
			}
		}
		for (int i = 0; i < d; i++) {
			for (int l = i; l < d; l++) {
				final int e = entry[i * d + l] * b, oi = i * b, ol = l * b;
				final boolean diag = i == l;
				for (int k = 0; k < b; k++) {
					final double re = dd[oi + k] * dd[ol + k] * sr[e + k] + hr[oi + k] * xr[ol + k] + hi[oi + k] * xi[ol + k] + xr[oi + k] * hr[ol + k] + xi[oi + k] * hi[ol + k];
					final double im = dd[oi + k] * dd[ol + k] * si[e + k] + hi[oi + k] * xr[ol + k] - hr[oi + k] * xi[ol + k] + xi[oi + k] * hr[ol + k] - xr[oi + k] * hi[ol + k];
					sr[e + k] = diag ? re + nu2 : re;
					si[e + k] = diag ? 0 : im;
				}
			}
		}
	}
}
