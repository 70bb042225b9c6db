package org.spectralposterior.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LbfgsTest {

	/** The extended Rosenbrock function: minimum 0 at (1, …, 1), a curved narrow valley. */
	private static double rosenbrock(final double[] x, final double[] g) {
		double f = 0;
		java.util.Arrays.fill(g, 0);
		for (int i = 0; i + 1 < x.length; i++) {
			final double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
			f += 100 * a * a + b * b;
			g[i] += -400 * a * x[i] - 2 * b;
			g[i + 1] += 200 * a;
		}
		return f;
	}

	@Test
	void rosenbrock() {
		for (final int d : new int[] { 2, 10 }) {
			final double[] x0 = new double[d];
			for (int i = 0; i < d; i++) x0[i] = i % 2 == 0 ? -1.2 : 1;
			final Lbfgs.Result r = new Lbfgs(8, 2000, 1e-9, 0).minimize(LbfgsTest::rosenbrock, x0, null, () -> false);
			assertTrue(r.converged(), r.stop());
			for (final double v : r.x()) assertEquals(1, v, 1e-6);
			assertTrue(r.value() < 1e-12, "f = " + r.value());
		}
	}

	@Test
	void illConditionedQuadratic() {
		// f = ½ Σ c_i (x_i − i)², condition number 1e4: the minimiser is x_i = i.
		final int d = 30;
		final Lbfgs.Result r = new Lbfgs(10, 2000, 1e-9, 0).minimize((x, g) -> {
			double f = 0;
			for (int i = 0; i < d; i++) {
				final double c = Math.pow(1e4, i / (d - 1.0)), e = x[i] - i;
				f += 0.5 * c * e * e;
				g[i] = c * e;
			}
			return f;
		}, new double[d], null, () -> false);
		assertTrue(r.converged(), r.stop());
		for (int i = 0; i < d; i++) assertEquals(i, r.x()[i], 1e-8);
	}
}
