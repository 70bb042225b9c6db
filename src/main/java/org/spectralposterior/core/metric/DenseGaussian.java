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
