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

	/**
	 * The retry from steepest descent when the line search along the quasi-Newton direction fails. The
	 * test function is a quadratic of condition 10 that, from iteration 2 to 19, is +∞ everywhere except
	 * on the ray of steepest descent from the current iterate (read at each iteration from the listener:
	 * the accepted point is the last one evaluated). Every quasi-Newton direction then fails its line
	 * search and only a retry along −∇f moves on: with the retry the search passes the walled
	 * iterations and converges; without it, it stops at iteration 2 with "line search".
	 */
	@Test
	void aFailedLineSearchIsRetriedFromSteepestDescent() {
		final double[] c = { 1, 10 };
		final double[] anchor = new double[2], anchorGrad = new double[2], last = new double[2], lastGrad = new double[2];
		final int[] iteration = { 0 }, walled = { 0 };
		final Lbfgs.Function f = (x, g) -> {
			double v = 0;
			for (int i = 0; i < 2; i++) {
				g[i] = c[i] * (x[i] - 1);
				v += 0.5 * c[i] * (x[i] - 1) * (x[i] - 1);
			}
			System.arraycopy(x, 0, last, 0, 2);
			System.arraycopy(g, 0, lastGrad, 0, 2);
			if (iteration[0] >= 2 && iteration[0] < 20) {
				// The displacement from the iterate must be a positive multiple of −∇f there.
				final double dx = x[0] - anchor[0], dy = x[1] - anchor[1];
				final double cross = dx * anchorGrad[1] - dy * anchorGrad[0], along = -(dx * anchorGrad[0] + dy * anchorGrad[1]);
				final double norm = Math.hypot(dx, dy) * Math.hypot(anchorGrad[0], anchorGrad[1]);
				if (along <= 0 || Math.abs(cross) > 1e-9 * norm) {
					walled[0]++;
					return Double.POSITIVE_INFINITY;
				}
			}
			return v;
		};
		final Lbfgs.Listener listener = (it, value) -> {
			iteration[0] = it;
			System.arraycopy(last, 0, anchor, 0, 2);
			System.arraycopy(lastGrad, 0, anchorGrad, 0, 2);
		};
		final Lbfgs.Result r = new Lbfgs(5, 500, 1e-8, 0).minimize(f, new double[] { -2, 3 }, listener, () -> false);
		assertTrue(walled[0] > 0, "the quasi-Newton directions met the wall");
		assertTrue(r.converged(), r.stop() + " after " + r.iterations() + " iterations");
		assertTrue(r.iterations() > 2, "it went on past iteration 2: " + r.iterations());
		assertEquals(1, r.x()[0], 1e-6);
		assertEquals(1, r.x()[1], 1e-6);
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
