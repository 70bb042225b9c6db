package org.spectralposterior.core.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Dense;

class BlurOperatorTest {

	@Test
	void applyIsCircularConvolutionAndAdjointIsItsTranspose() {
		final int h = 7, w = 10;
		final BlurOperator op = BlurOperator.of(OperatorSpec.psf(new double[] { 5, 1, 0.5, 2, 0, 3 }, 3, 2), h, w);
		final SplittableRandom r = new SplittableRandom(1);
		final double[] x = new double[h * w], y = new double[h * w];
		for (int i = 0; i < x.length; i++) {
			x[i] = r.nextGaussian();
			y[i] = r.nextGaussian();
		}
		final DMatrixRMaj a = Dense.circulantFromKernel(op.wrappedKernel(), h, w);
		final DMatrixRMaj ax = new DMatrixRMaj(h * w, 1);
		CommonOps_DDRM.mult(a, Dense.vector(x), ax);
		final double[] fx = op.apply(x), aty = op.applyAdjoint(y);
		double lhs = 0, rhs = 0;
		for (int i = 0; i < x.length; i++) {
			assertEquals(ax.get(i), fx[i], 1e-12);
			lhs += fx[i] * y[i];
			rhs += x[i] * aty[i];
		}
		assertEquals(lhs, rhs, 1e-10, "<Ax, y> = <x, Aᵀy>");
	}

	@Test
	void kernelConventions() {
		// A PSF whose only non-zero pixel is its centre (w/2, h/2) is the identity.
		final double[] psf = new double[4 * 5];
		psf[2 * 5 + 2] = 7;
		final double[] x = new double[9 * 8];
		for (int i = 0; i < x.length; i++) x[i] = i;
		final double[] y = BlurOperator.of(OperatorSpec.psf(psf, 5, 4), 9, 8).apply(x);
		for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-10);
		// Kernels sum to 1 (h_0 = 1), and the Gaussian is the wrap-around one of MATH §12.
		for (final OperatorSpec s : new OperatorSpec[] { OperatorSpec.gaussian(1.5), OperatorSpec.motion(5, 33), OperatorSpec.none() }) {
			final BlurOperator op = BlurOperator.of(s, 16, 12);
			assertEquals(1, op.transfer()[0], 1e-12, s.describe());
			assertEquals(0, op.transfer()[1], 1e-12);
		}
		final double[] k = BlurOperator.of(OperatorSpec.gaussian(1.5), 16, 12).wrappedKernel();
		assertEquals(Math.exp(-(1 + 4) / (2 * 2.25)) / Math.exp(0), k[15 * 12 + 2] / k[0], 1e-12, "wrap-around distance (−1, 2)");
		// A horizontal motion blur spreads along the row only.
		final double[] m = BlurOperator.of(OperatorSpec.motion(4, 0), 9, 9).wrappedKernel();
		for (int r = 1; r < 9; r++) for (int c = 0; c < 9; c++) assertEquals(0, m[r * 9 + c], 1e-12);
	}
}
