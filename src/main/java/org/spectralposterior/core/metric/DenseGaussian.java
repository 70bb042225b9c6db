package org.spectralposterior.core.metric;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * W2 between Gaussians with dense covariances (MATH §9.1), for laws no basis diagonalises
 * (inpainting): EJML's symmetric eigendecomposition, negative eigenvalues clamped to 0. Cost O(d³):
 * about a second at d = 1024.
 */
public final class DenseGaussian {

	private DenseGaussian() {}

	/** The parts of W2²: ‖m1 − m2‖² and Bures(C1, C2). Covariances row-major d×d, symmetric. */
	public record Parts(double meanPart, double covariancePart) {
		public double squared() {
			return meanPart + covariancePart;
		}
	}

	public static Parts w2(final double[] m1, final double[] c1, final double[] m2, final double[] c2) {
		final int d = m1.length;
		double mean = 0;
		for (int i = 0; i < d; i++) mean += (m1[i] - m2[i]) * (m1[i] - m2[i]);
		final DMatrixRMaj a = symmetric(c1, d), b = symmetric(c2, d);
		final DMatrixRMaj r = sqrt(b);
		final DMatrixRMaj t = new DMatrixRMaj(d, d), u = new DMatrixRMaj(d, d);
		CommonOps_DDRM.mult(r, a, t);
		CommonOps_DDRM.mult(t, r, u);
		final double cross = traceSqrt(symmetrise(u));
		return new Parts(mean, Math.max(0, CommonOps_DDRM.trace(a) + CommonOps_DDRM.trace(b) - 2 * cross));
	}

	/**
	 * Bures(C1, C2) = tr C1 + tr C2 − 2 tr (C2^{1/2} C1 C2^{1/2})^{1/2} with C2 given by a factor,
	 * C2 = F Fᵀ (d×r): the non-zero eigenvalues of C2^{1/2} C1 C2^{1/2} are those of the r×r
	 * matrix Fᵀ C1 F, so one product pair (4d²r flops) and one symmetric eigenvalue-only
	 * decomposition (≈ 4r³/3) replace the two full eigendecompositions of {@link #w2}. {@code c1}
	 * (row-major d×d, symmetric) is overwritten by scratch; {@code work} is d×r scratch (or null).
	 */
	public static double bures(final double[] c1, final DMatrixRMaj f, final DMatrixRMaj work) {
		final int d = f.numRows, r = f.numCols;
		if (c1.length != (long) d * d) throw new IllegalArgumentException("The covariance has " + c1.length + " entries, the factor " + d + " rows.");
		double tr1 = 0, tr2 = 0;
		for (int i = 0; i < d; i++) tr1 += c1[i * d + i];
		for (final double x : f.data) tr2 += x * x;
		final DMatrixRMaj a = DMatrixRMaj.wrap(d, d, c1);
		final DMatrixRMaj t = work != null && work.numRows == d && work.numCols == r ? work : new DMatrixRMaj(d, r);
		CommonOps_DDRM.mult(a, f, t);
		// Fᵀ C1 F into c1's storage (r ≤ d): C1 is not needed after C1 F.
		final DMatrixRMaj m = DMatrixRMaj.wrap(r, r, c1);
		CommonOps_DDRM.multTransA(f, t, m);
		for (int i = 0; i < r; i++) for (int j = 0; j < i; j++) {
			final double v = 0.5 * (m.data[i * r + j] + m.data[j * r + i]);
			m.data[i * r + j] = v;
			m.data[j * r + i] = v;
		}
		final EigenDecomposition_F64<DMatrixRMaj> e = DecompositionFactory_DDRM.eig(r, false, true);
		if (!e.decompose(m)) throw new ArithmeticException("eigendecomposition failed");
		double cross = 0;
		for (int i = 0; i < r; i++) cross += Math.sqrt(Math.max(0, e.getEigenvalue(i).real));
		return Math.max(0, tr1 + tr2 - 2 * cross);
	}

	private static DMatrixRMaj symmetric(final double[] c, final int d) {
		return symmetrise(new DMatrixRMaj(d, d, true, c));
	}

	private static DMatrixRMaj symmetrise(final DMatrixRMaj m) {
		final DMatrixRMaj t = new DMatrixRMaj(m.numRows, m.numCols);
		CommonOps_DDRM.transpose(m, t);
		final DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numCols);
		CommonOps_DDRM.add(0.5, m, 0.5, t, out);
		return out;
	}

	private static EigenDecomposition_F64<DMatrixRMaj> eig(final DMatrixRMaj m) {
		final EigenDecomposition_F64<DMatrixRMaj> e = DecompositionFactory_DDRM.eig(m.numRows, true, true);
		if (!e.decompose(m.copy())) throw new ArithmeticException("eigendecomposition failed");
		return e;
	}

	private static double traceSqrt(final DMatrixRMaj m) {
		final EigenDecomposition_F64<DMatrixRMaj> e = DecompositionFactory_DDRM.eig(m.numRows, false, true);
		if (!e.decompose(m.copy())) throw new ArithmeticException("eigendecomposition failed");
		double t = 0;
		for (int i = 0; i < m.numRows; i++) t += Math.sqrt(Math.max(0, e.getEigenvalue(i).real));
		return t;
	}

	private static DMatrixRMaj sqrt(final DMatrixRMaj m) {
		final int d = m.numRows;
		final EigenDecomposition_F64<DMatrixRMaj> e = eig(m);
		final DMatrixRMaj out = new DMatrixRMaj(d, d);
		for (int k = 0; k < d; k++) {
			final double l = Math.sqrt(Math.max(0, e.getEigenvalue(k).real));
			if (l == 0) continue;
			final DMatrixRMaj v = e.getEigenVector(k);
			for (int i = 0; i < d; i++) {
				final double vi = l * v.get(i);
				for (int j = 0; j < d; j++) out.add(i, j, vi * v.get(j));
			}
		}
		return out;
	}
}
