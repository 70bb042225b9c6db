package org.spectralposterior.core.metric;

/**
 * Eigendecomposition H = U diag(λ) U* of small complex Hermitian matrices (a colour prior's C×C
 * cross-spectrum at one frequency) by cyclic Jacobi rotations. Why not EJML: it has no complex
 * Hermitian eigensolver, and its real embedding doubles every eigenvalue, so the complex eigenvectors
 * of a repeated eigenvalue (a rank-one ADSN spectrum has λ = 0 twice) would have to be recovered by a
 * complex Gram–Schmidt. A 3×3 Jacobi sweep is a few hundred flops, which matters at 10⁶ frequencies.
 * <p>
 * The rotation for entry (p, q), b = h_pq = |b| e^{iφ}, uses the columns v_p = (c, s e^{−iφ}),
 * v_q = (−s e^{iφ}, c) on coordinates (p, q); their off-diagonal term e^{iφ}[(h_qq − h_pp) cs + |b|(c² − s²)]
 * vanishes for tan 2θ = 2|b| / (h_pp − h_qq). A real symmetric H (φ ∈ {0, π}) gets a real U — the
 * self-conjugate frequencies of a real image need exactly that.
 * <p>
 * Layout: C×C complex row-major interleaved, entry (i, l) at 2(i·C + l) (as {@link HermitianBlock}).
 * Eigenvalues come out in decreasing order, U's columns are the eigenvectors. Not thread-safe.
 */
public final class HermitianEigen {

	private static final int MAX_SWEEPS = 60;

	private final int n;
	private final double[] a, u;
	private final int[] order;
	private final double[] values;

	public HermitianEigen(final int n) {
		if (n < 1) throw new IllegalArgumentException("matrix size must be ≥ 1, got " + n);
		this.n = n;
		a = new double[2 * n * n];
		u = new double[2 * n * n];
		order = new int[n];
		values = new double[n];
	}

	/**
	 * Decomposes the Hermitian part of {@code h} (from offset {@code off}); writes the eigenvalues
	 * (decreasing) to {@code lambda[lOff..]} and U to {@code vectors[vOff..]} (C×C interleaved).
	 */
	public void decompose(final double[] h, final int off, final double[] lambda, final int lOff, final double[] vectors, final int vOff) {
		double scale = 0;
		for (int i = 0; i < n; i++) {
			for (int l = 0; l < n; l++) {
				// The Hermitian part: products and rounding leave h slightly off.
				final double re = 0.5 * (h[off + 2 * (i * n + l)] + h[off + 2 * (l * n + i)]);
				final double im = i == l ? 0 : 0.5 * (h[off + 2 * (i * n + l) + 1] - h[off + 2 * (l * n + i) + 1]);
				a[2 * (i * n + l)] = re;
				a[2 * (i * n + l) + 1] = im;
				u[2 * (i * n + l)] = i == l ? 1 : 0;
				u[2 * (i * n + l) + 1] = 0;
				scale += re * re + im * im;
			}
		}
		// Off-diagonal mass below 1e-26 of the total: eigenvalues to ~1e-13 relative, well below float storage.
		final double tol = 1e-26 * scale;
		for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
			double off2 = 0;
			for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off2 += sq(a[2 * (p * n + q)]) + sq(a[2 * (p * n + q) + 1]);
			if (off2 <= tol) break;
			for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) rotate(p, q);
		}
		for (int i = 0; i < n; i++) {
			order[i] = i;
			values[i] = a[2 * (i * n + i)];
		}
		// Insertion sort, decreasing: n is tiny.
		for (int i = 1; i < n; i++) {
			final int k = order[i];
			int j = i - 1;
			while (j >= 0 && values[order[j]] < values[k]) {
				order[j + 1] = order[j];
				j--;
			}
			order[j + 1] = k;
		}
		for (int e = 0; e < n; e++) {
			final int src = order[e];
			lambda[lOff + e] = values[src];
			for (int i = 0; i < n; i++) {
				vectors[vOff + 2 * (i * n + e)] = u[2 * (i * n + src)];
				vectors[vOff + 2 * (i * n + e) + 1] = u[2 * (i * n + src) + 1];
			}
		}
	}

	private void rotate(final int p, final int q) {
		final double br = a[2 * (p * n + q)], bi = a[2 * (p * n + q) + 1];
		final double mag = Math.hypot(br, bi);
		if (mag == 0) return;
		final double er = br / mag, ei = bi / mag; // e^{iφ}
		// t = tan θ without trigonometry: with ζ = (h_pp − h_qq)/(2|b|), tan 2θ = 1/ζ gives t² + 2ζt − 1 = 0,
		// whose smaller root t = sign(ζ)/(|ζ| + sqrt(ζ² + 1)) is the stable one (|θ| ≤ π/4).
		final double zeta = (a[2 * (p * n + p)] - a[2 * (q * n + q)]) / (2 * mag);
		final double t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(zeta * zeta + 1));
		final double c = 1 / Math.sqrt(1 + t * t), s = t * c;
		// G has G_pp = c, G_qp = s e^{−iφ}, G_pq = −s e^{iφ}, G_qq = c. First A ← A G (columns), then A ← G* A (rows).
		final double gqpR = s * er, gqpI = -s * ei, gpqR = -s * er, gpqI = -s * ei;
		for (int i = 0; i < n; i++) {
			columns(a, i, p, q, c, gqpR, gqpI, gpqR, gpqI);
			columns(u, i, p, q, c, gqpR, gqpI, gpqR, gpqI);
		}
		for (int l = 0; l < n; l++) {
			final int ip = 2 * (p * n + l), iq = 2 * (q * n + l);
			final double xr = a[ip], xi = a[ip + 1], yr = a[iq], yi = a[iq + 1];
			// Row p of G* A = c·row_p + conj(G_qp)·row_q; row q = conj(G_pq)·row_p + c·row_q.
			a[ip] = c * xr + (gqpR * yr + gqpI * yi);
			a[ip + 1] = c * xi + (gqpR * yi - gqpI * yr);
			a[iq] = (gpqR * xr + gpqI * xi) + c * yr;
			a[iq + 1] = (gpqR * xi - gpqI * xr) + c * yi;
		}
		// Exact zeros and a real diagonal: the rotation's rounding must not accumulate.
		a[2 * (p * n + q)] = a[2 * (p * n + q) + 1] = a[2 * (q * n + p)] = a[2 * (q * n + p) + 1] = 0;
		a[2 * (p * n + p) + 1] = a[2 * (q * n + q) + 1] = 0;
	}

	/** Row i of M ← M G restricted to columns p, q. */
	private void columns(final double[] m, final int i, final int p, final int q, final double c, final double gqpR, final double gqpI, final double gpqR, final double gpqI) {
		final int ip = 2 * (i * n + p), iq = 2 * (i * n + q);
		final double xr = m[ip], xi = m[ip + 1], yr = m[iq], yi = m[iq + 1];
		m[ip] = c * xr + (yr * gqpR - yi * gqpI);
		m[ip + 1] = c * xi + (yr * gqpI + yi * gqpR);
		m[iq] = (xr * gpqR - xi * gpqI) + c * yr;
		m[iq + 1] = (xr * gpqI + xi * gpqR) + c * yi;
	}

	private static double sq(final double x) {
		return x * x;
	}
}
