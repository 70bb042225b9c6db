package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.ToDoubleFunction;

/** A gradient against central differences of its function, coordinate by coordinate (step h, tolerance 1e-5·(1 + |fd|)). */
final class CentralDifferences {

	private CentralDifferences() {}

	static void check(final ToDoubleFunction<double[]> f, final double[] x, final double[] grad, final String label) {
		for (int i = 0; i < x.length; i++) {
			final double h = 1e-5;
			final double[] a = x.clone(), b = x.clone();
			a[i] += h;
			b[i] -= h;
			final double fd = (f.applyAsDouble(a) - f.applyAsDouble(b)) / (2 * h);
			assertEquals(fd, grad[i], 1e-5 * (1 + Math.abs(fd)), label + "_" + i);
		}
	}
}
