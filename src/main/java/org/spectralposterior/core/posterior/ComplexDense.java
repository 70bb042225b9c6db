package org.spectralposterior.core.posterior;

/**
 * Products of small dense complex matrices stored row-major and interleaved (entry (i, l) of an
 * r×c matrix at off + 2(i·c + l)), the layout of {@link org.spectralposterior.core.metric.HermitianBlock}.
 * Written out rather than through EJML's ZMatrixRMaj so that the blocks of a whole spectrum live in one
 * array and a step allocates nothing. Static and stateless: safe from any thread.
 */
public final class ComplexDense {

	private ComplexDense() {}

	/**
	 * out = op(A)·op(B) (+ out when {@code accumulate}), op(A) rows×inner, op(B) inner×cols; op is the
	 * adjoint where {@code adjA}/{@code adjB} (the stored A is then inner×rows). out must not alias A or B.
	 */
	public static void mult(final double[] a, final int ao, final boolean adjA, final double[] b, final int bo, final boolean adjB, final double[] out, final int oo,
		final int rows, final int inner, final int cols, final boolean accumulate) {
		// Element (i, k) of op(A) sits at ao + 2(i·ri + k·rk); its imaginary part is negated under adjoint.
		final int ari = adjA ? 1 : inner, ark = adjA ? rows : 1, bri = adjB ? 1 : cols, brk = adjB ? inner : 1;
		final double sa = adjA ? -1 : 1, sb = adjB ? -1 : 1;
		for (int i = 0; i < rows; i++) {
			for (int l = 0; l < cols; l++) {
				double re = 0, im = 0;
				for (int k = 0; k < inner; k++) {
					final int ia = ao + 2 * (i * ari + k * ark), ib = bo + 2 * (k * bri + l * brk);
					final double xr = a[ia], xi = sa * a[ia + 1], yr = b[ib], yi = sb * b[ib + 1];
					re += xr * yr - xi * yi;
					im += xr * yi + xi * yr;
				}
				final int o = oo + 2 * (i * cols + l);
				if (accumulate) {
					out[o] += re;
					out[o + 1] += im;
				}
				else {
					out[o] = re;
					out[o + 1] = im;
				}
			}
		}
	}

	/** out = U diag(f) U* (n×n, U's columns the eigenvectors as {@link org.spectralposterior.core.metric.HermitianEigen} writes them). */
	public static void spectral(final double[] u, final int uo, final double[] f, final int fo, final double[] out, final int oo, final int n) {
		for (int i = 0; i < n; i++) {
			for (int l = i; l < n; l++) {
				double re = 0, im = 0;
				for (int e = 0; e < n; e++) {
					final double fe = f[fo + e];
					if (fe == 0) continue;
					final int a = uo + 2 * (i * n + e), b = uo + 2 * (l * n + e);
					// u_ie conj(u_le)
					re += fe * (u[a] * u[b] + u[a + 1] * u[b + 1]);
					im += fe * (u[a + 1] * u[b] - u[a] * u[b + 1]);
				}
				out[oo + 2 * (i * n + l)] = re;
				out[oo + 2 * (i * n + l) + 1] = i == l ? 0 : im;
				out[oo + 2 * (l * n + i)] = re;
				out[oo + 2 * (l * n + i) + 1] = i == l ? 0 : -im;
			}
		}
	}

	/** Replaces the n×n block by its Hermitian part: the recursions' rounding would otherwise accumulate an anti-Hermitian part. */
	public static void hermitian(final double[] s, final int so, final int n) {
		for (int i = 0; i < n; i++) {
			s[so + 2 * (i * n + i) + 1] = 0;
			for (int l = i + 1; l < n; l++) {
				final int a = so + 2 * (i * n + l), b = so + 2 * (l * n + i);
				final double re = 0.5 * (s[a] + s[b]), im = 0.5 * (s[a + 1] - s[b + 1]);
				s[a] = re;
				s[b] = re;
				s[a + 1] = im;
				s[b + 1] = -im;
			}
		}
	}
}
