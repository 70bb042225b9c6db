package org.spectralposterior.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlotsTest {

	@Test
	void rangesSkipNonFiniteValues() {
		assertArrayEquals(new double[] { -1, 3 }, Plots.range(false, new double[] { Double.NaN, 3, -1 }, new double[] { Double.POSITIVE_INFINITY }));
		assertArrayEquals(new double[] { 2, 3 }, Plots.range(true, new double[] { 0, 3, -1, 2 }));
		assertNull(Plots.range(true, new double[] { Double.NaN, 0 }));
	}

	@Test
	void logOnlyForPositiveValuesSpanningMoreThanTwoDecades() {
		assertTrue(Plots.spansDecades(new double[] { 1e-3, 0.5 }, new double[] { 1 }));
		assertFalse(Plots.spansDecades(new double[] { 0.02, 1 }));
		assertFalse(Plots.spansDecades(new double[] { 0, 1e-6, 1 }), "a zero cannot sit on a log axis");
		assertFalse(Plots.spansDecades(new double[] { Double.NaN }));
	}

	@Test
	void bandsLeaveTheirShareOfTheFrameEmpty() {
		final double[] log = Plots.withBands(1, 100, true, 0.25, 0.25);
		// Two decades of data in half the frame: a decade below and one above.
		assertEquals(0.1, log[0], 1e-12);
		assertEquals(1000, log[1], 1e-9);
		final double[] lin = Plots.withBands(0, 1, false, 0, 0.5);
		assertEquals(0, lin[0], 1e-12);
		assertEquals(2, lin[1], 1e-12);
		assertTrue(Plots.legendShare(8) > Plots.legendShare(3) && Plots.legendShare(100) <= 0.6);
	}
}
