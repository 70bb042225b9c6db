package org.spectralposterior.core.metric;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Square roots and Bures distances of small complex Hermitian blocks (an aliasing group's covariance,
 * MATH §9.1), through EJML's real symmetric eigendecomposition of the real embedding
 * H = X + iY ↦ [[X, −Y], [Y, X]]: the embedding of f(H) is f of the embedding, and every eigenvalue
 * appears twice, so traces halve. Negative eigenvalues (rounding of PSD matrices) are clamped to 0.
 * Blocks are d×d complex, row-major, interleaved (entry (i, l) at 2(i·d + l)). One workspace per
 * thread: not thread-safe.
 */
public final class HermitianBlock {

	private final int d;
	private final DMatrixRMaj embed;
	private final EigenDecomposition_F64<DMatrixRMaj> eig;
	private final double[] rootT, product, tmp;
	/** The real-basis workspace, made on first use. */
	private DMatrixRMaj realS, realT, realRoot, realTmp;
	private EigenDecomposition_F64<DMatrixRMaj> realEig, realValues;

	public HermitianBlock(final int d) {
		this.d = d;
		embed = new DMatrixRMaj(2 * d, 2 * d);
		eig = DecompositionFactory_DDRM.eig(2 * d, true, true);
		rootT = new double[2 * d * d];
		product = new double[2 * d * d];
		tmp = new double[2 * d * d];
	}

	private void decompose(final double[] h, final int off) {
		final int n = 2 * d;
		for (int i = 0; i < d; i++) {
			for (int l = 0; l < d; l++) {
				// Hermitian-symmetrised: rounding leaves h slightly non-Hermitian after products.
				final double re = 0.5 * (h[off + 2 * (i * d + l)] + h[off + 2 * (l * d + i)]);
				final double im = 0.5 * (h[off + 2 * (i * d + l) + 1] - h[off + 2 * (l * d + i) + 1]);
				embed.set(i, l, re);
				embed.set(i + d, l + d, re);
				embed.set(i, l + d, -im);
				embed.set(i + d, l, im);
			}
		}
		if (!eig.decompose(embed)) throw new ArithmeticException("eigendecomposition of a " + d + "×" + d + " Hermitian block failed");
		if (eig.getNumberOfEigenvalues() != n) throw new ArithmeticException("incomplete eigendecomposition");
	}

	/** tr H^{1/2}. */
	public double traceSqrt(final double[] h, final int off) {
		decompose(h, off);
		double t = 0;
		for (int k = 0; k < 2 * d; k++) t += Math.sqrt(Math.max(0, eig.getEigenvalue(k).getReal()));
		return t / 2;
	}

	/** H^{1/2} into {@code out} at {@code outOff}. */
	public void sqrt(final double[] h, final int off, final double[] out, final int outOff) {
		function(h, off, out, outOff, x -> Math.sqrt(Math.max(0, x)));
	}

	/** f(H) into {@code out} at {@code outOff} (f applied to H's eigenvalues; f(x) = 0 terms skipped). */
	public void function(final double[] h, final int off, final double[] out, final int outOff, final java.util.function.DoubleUnaryOperator f) {
		decompose(h, off);
		final int n = 2 * d;
		java.util.Arrays.fill(out, outOff, outOff + 2 * d * d, 0);
		for (int k = 0; k < n; k++) {
			final double ev = f.applyAsDouble(eig.getEigenvalue(k).getReal());
			if (ev == 0) continue;
			final DMatrixRMaj u = eig.getEigenVector(k);
			// Σ_k ev_k e_k e_kᵀ over all 2d eigenvectors e = (u, v) is the embedding [[X, −Y], [Y, X]] of the
			// root X + iY whatever basis the eigensolver picks in each doubled eigenspace; averaging the two
			// copies of X and of Y keeps the result exactly Hermitian.
			for (int i = 0; i < d; i++) {
				final double ui = u.get(i), vi = u.get(i + d);
				for (int l = 0; l < d; l++) {
					final double ul = u.get(l), vl = u.get(l + d);
					out[outOff + 2 * (i * d + l)] += 0.5 * ev * (ui * ul + vi * vl);
					out[outOff + 2 * (i * d + l) + 1] += 0.5 * ev * (vi * ul - ui * vl);
				}
			}
		}
	}

	/** Bures² = tr S + tr T − 2 tr (T^{1/2} S T^{1/2})^{1/2}. */
	public double bures(final double[] s, final int sOff, final double[] t, final int tOff) {
		sqrt(t, tOff, rootT, 0);
		multiply(rootT, 0, s, sOff, tmp);
		multiply(tmp, 0, rootT, 0, product);
		double trS = 0, trT = 0;
		for (int i = 0; i < d; i++) {
			trS += s[sOff + 2 * (i * d + i)];
			trT += t[tOff + 2 * (i * d + i)];
		}
		return Math.max(0, trS + trT - 2 * traceSqrt(product, 0));
	}

	/**
	 * Bures²(S, T) when both blocks are real in the basis x̃ = diag(c) x, c_i a phase (|c_i| = 1,
	 * given as {@code cRe}, {@code cIm}): a unitary change of basis leaves the Bures distance as it is,
	 * and there S̃ = diag(c) S diag(conj c) and T̃ are real symmetric, so two d×d real symmetric
	 * eigenproblems replace two 2d×2d ones (an aliasing group under a guided sampler: see
	 * {@code GroupBlockKernel}). NaN when some imaginary part there exceeds rounding (1e-10 of the
	 * largest entry): the caller then uses {@link #bures}.
	 */
	public double buresInRealBasis(final double[] s, final int sOff, final double[] t, final int tOff, final double[] cRe, final double[] cIm) {
		if (realS == null) {
			realS = new DMatrixRMaj(d, d);
			realT = new DMatrixRMaj(d, d);
			realRoot = new DMatrixRMaj(d, d);
			realTmp = new DMatrixRMaj(d, d);
			realEig = DecompositionFactory_DDRM.eig(d, true, true);
			realValues = DecompositionFactory_DDRM.eig(d, false, true);
		}
		double maxRe = 0, maxIm = 0, trS = 0, trT = 0;
		for (int i = 0; i < d; i++) {
			for (int l = i; l < d; l++) {
				// c_i conj(c_l)
				final double ur = cRe[i] * cRe[l] + cIm[i] * cIm[l], ui = cIm[i] * cRe[l] - cRe[i] * cIm[l];
				final int os = sOff + 2 * (i * d + l), ot = tOff + 2 * (i * d + l);
				final double sr = ur * s[os] - ui * s[os + 1], si = ur * s[os + 1] + ui * s[os];
				final double tr = ur * t[ot] - ui * t[ot + 1], ti = ur * t[ot + 1] + ui * t[ot];
				maxRe = Math.max(maxRe, Math.max(Math.abs(sr), Math.abs(tr)));
				maxIm = Math.max(maxIm, Math.max(Math.abs(si), Math.abs(ti)));
				realS.set(i, l, sr);
				realS.set(l, i, sr);
				realT.set(i, l, tr);
				realT.set(l, i, tr);
			}
			trS += s[sOff + 2 * (i * d + i)];
			trT += t[tOff + 2 * (i * d + i)];
		}
		if (!(maxIm <= 1e-10 * maxRe)) return Double.NaN;
		if (!realEig.decompose(realT)) throw new ArithmeticException("eigendecomposition of a " + d + "×" + d + " symmetric block failed");
		realRoot.zero();
		for (int k = 0; k < d; k++) {
			final double ev = Math.sqrt(Math.max(0, realEig.getEigenvalue(k).getReal()));
			if (ev == 0) continue;
			final DMatrixRMaj u = realEig.getEigenVector(k);
			for (int i = 0; i < d; i++) for (int l = 0; l < d; l++) realRoot.add(i, l, ev * u.get(i) * u.get(l));
		}
		org.ejml.dense.row.CommonOps_DDRM.mult(realRoot, realS, realTmp);
		org.ejml.dense.row.CommonOps_DDRM.mult(realTmp, realRoot, realS);
		// Symmetrised: the product is symmetric up to rounding, and the symmetric solver reads one triangle.
		for (int i = 0; i < d; i++) {
			for (int l = i + 1; l < d; l++) {
				final double m = 0.5 * (realS.get(i, l) + realS.get(l, i));
				realS.set(i, l, m);
				realS.set(l, i, m);
			}
		}
		if (!realValues.decompose(realS)) throw new ArithmeticException("eigendecomposition of a " + d + "×" + d + " symmetric block failed");
		double root = 0;
		for (int k = 0; k < d; k++) root += Math.sqrt(Math.max(0, realValues.getEigenvalue(k).getReal()));
		return Math.max(0, trS + trT - 2 * root);
	}

	/**
	 * ∂Bures²(S, T)/∂S = I − T^{1/2}(T^{1/2} S T^{1/2})^{-1/2} T^{1/2} (Hermitian) into {@code out}; the
	 * inverse root is a pseudo-inverse (eigenvalues below 1e-12 of the largest dropped), the gradient's
	 * limit where S or T is singular along some direction.
	 */
	public void buresGradient(final double[] s, final int sOff, final double[] t, final int tOff, final double[] out) {
		sqrt(t, tOff, rootT, 0);
		multiply(rootT, 0, s, sOff, tmp);
		multiply(tmp, 0, rootT, 0, product);
		decompose(product, 0);
		double max = 0;
		for (int k = 0; k < 2 * d; k++) max = Math.max(max, eig.getEigenvalue(k).getReal());
		final double floor = 1e-12 * max;
		function(product, 0, tmp, 0, x -> x > floor ? 1 / Math.sqrt(x) : 0);
		multiply(rootT, 0, tmp, 0, product);
		multiply(product, 0, rootT, 0, out);
		for (int i = 0; i < 2 * d * d; i++) out[i] = -out[i];
		for (int i = 0; i < d; i++) out[2 * (i * d + i)] += 1;
	}

	/** out = A B (d×d complex). */
	private void multiply(final double[] a, final int aOff, final double[] b, final int bOff, final double[] out) {
		for (int i = 0; i < d; i++) {
			for (int l = 0; l < d; l++) {
				double re = 0, im = 0;
				for (int k = 0; k < d; k++) {
					final double ar = a[aOff + 2 * (i * d + k)], ai = a[aOff + 2 * (i * d + k) + 1], br = b[bOff + 2 * (k * d + l)], bi = b[bOff + 2 * (k * d + l) + 1];
					re += ar * br - ai * bi;
					im += ar * bi + ai * br;
				}
				out[2 * (i * d + l)] = re;
				out[2 * (i * d + l) + 1] = im;
			}
		}
	}
}
