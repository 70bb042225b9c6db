package org.spectralposterior.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Dense;

/** Bures from a factor of the second covariance against the independent dense formula, full rank and rank-deficient. */
class DenseGaussianBuresTest {

	private static DMatrixRMaj random(final int rows, final int cols, final SplittableRandom r) {
		final DMatrixRMaj m = new DMatrixRMaj(rows, cols);
		for (int i = 0; i < m.data.length; i++) m.data[i] = r.nextGaussian();
		return m;
	}

	@Test
	void buresFromAFactorIsTheDenseOne() {
		final SplittableRandom r = new SplittableRandom(3);
		final int d = 23;
		for (final int rank : new int[] { d, 9, 1 }) for (final int rank1 : new int[] { d, 5 }) {
			final DMatrixRMaj g = random(d, rank1, r), c1 = new DMatrixRMaj(d, d), f = random(d, rank, r), c2 = new DMatrixRMaj(d, d);
			CommonOps_DDRM.multTransB(g, g, c1);
			CommonOps_DDRM.multTransB(f, f, c2);
			final double[] zero = new double[d];
			final double expected = Dense.w2Squared(zero, c1, zero, c2);
			// A rank-deficient side has eigenvalues of rounding size (~1e-14·scale) whose square roots
			// (~1e-7·sqrt(scale)) enter both routes differently: hence 1e-7, not 1e-12.
			assertEquals(expected, DenseGaussian.bures(c1.data.clone(), f, null), 1e-7 * (1 + expected), "rank " + rank + " against rank " + rank1);
			assertEquals(expected, DenseGaussian.w2(zero, c1.data, zero, c2.data).covariancePart(), 1e-7 * (1 + expected));
		}
	}
}
