package org.spectralposterior.core;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;

/** Independent dense linear algebra (EJML) for checking the Fourier closed forms on small images. */
public final class Dense {

	private Dense() {}

	/** The d×d matrix of the circulant operator with eigenvalues (complex half-plane) {@code eig}: column n = op(e_n). */
	public static DMatrixRMaj circulantFromKernel(final double[] kernel, final int h, final int w) {
		// Direct definition: (A x)[p] = Σ_q k[p − q] x[q] with indices mod (h, w).
		final int d = h * w;
		final DMatrixRMaj a = new DMatrixRMaj(d, d);
		for (int pr = 0; pr < h; pr++) for (int pc = 0; pc < w; pc++) for (int qr = 0; qr < h; qr++) for (int qc = 0; qc < w; qc++) {
			a.set(pr * w + pc, qr * w + qc, kernel[Math.floorMod(pr - qr, h) * w + Math.floorMod(pc - qc, w)]);
		}
		return a;
	}

	/** Covariance F* diag(λ) F as a real matrix: its kernel is the inverse unitary DFT of λ, times sqrt(d). */
	public static DMatrixRMaj circulantFromSpectrum(final HalfPlane plane, final double[] lambda) {
		final RealFft2 fft = new RealFft2(plane);
		final double[] spec = fft.newSpectrum();
		for (int k = 0; k < plane.size; k++) spec[2 * k] = lambda[k] / Math.sqrt(plane.pixels);
		final double[] kernel = new double[plane.pixels];
		fft.inverse(spec, kernel);
		return circulantFromKernel(kernel, plane.height, plane.width);
	}

	public static DMatrixRMaj vector(final double[] v) {
		return new DMatrixRMaj(v.length, 1, true, v);
	}

	/** Symmetric PSD square root by eigendecomposition, negative eigenvalues clamped to 0 (MATH §9.1). */
	public static DMatrixRMaj sqrtm(final DMatrixRMaj s) {
		final EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(s.numRows, true, true);
		if (!eig.decompose(s.copy())) throw new IllegalStateException("eigendecomposition failed");
		final int n = s.numRows;
		final DMatrixRMaj out = new DMatrixRMaj(n, n);
		for (int i = 0; i < n; i++) {
			final double l = Math.sqrt(Math.max(0, eig.getEigenvalue(i).real));
			final DMatrixRMaj v = eig.getEigenVector(i);
			final DMatrixRMaj vvt = new DMatrixRMaj(n, n);
			CommonOps_DDRM.multTransB(v, v, vvt);
			CommonOps_DDRM.addEquals(out, l, vvt);
		}
		return out;
	}

	/** Dense Gaussian W2² (Bures): |m1 − m2|² + tr C1 + tr C2 − 2 tr (C1^½ C2 C1^½)^½. */
	public static double w2Squared(final double[] m1, final DMatrixRMaj c1, final double[] m2, final DMatrixRMaj c2) {
		double mean = 0;
		for (int i = 0; i < m1.length; i++) mean += (m1[i] - m2[i]) * (m1[i] - m2[i]);
		final DMatrixRMaj r = sqrtm(c1);
		final DMatrixRMaj t = new DMatrixRMaj(r.numRows, r.numRows), u = new DMatrixRMaj(r.numRows, r.numRows);
		CommonOps_DDRM.mult(r, c2, t);
		CommonOps_DDRM.mult(t, r, u);
		// Symmetrise against rounding before the square root.
		final DMatrixRMaj ut = u.copy();
		CommonOps_DDRM.transpose(ut);
		CommonOps_DDRM.add(0.5, u, 0.5, ut, u);
		return mean + CommonOps_DDRM.trace(c1) + CommonOps_DDRM.trace(c2) - 2 * CommonOps_DDRM.trace(sqrtm(u));
	}
}
