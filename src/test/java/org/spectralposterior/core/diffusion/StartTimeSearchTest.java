package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;

class StartTimeSearchTest {

	@Test
	void findsTheIntegerMinimumOfASmoothCurveWithFewEvaluations() {
		final int[] calls = { 0 };
		final StartTimeSearch.Result r = StartTimeSearch.minimise(t -> {
			calls[0]++;
			return Math.pow(t - 337.4, 2) + 5;
		}, 10, 1000, 33, () -> false);
		assertEquals(337, r.best());
		assertEquals(Math.pow(0.4, 2) + 5, r.value(), 1e-12);
		assertTrue(calls[0] < 60, calls[0] + " evaluations");
		// Every evaluated point is reported once, ascending.
		for (int i = 1; i < r.evaluated().length; i++) assertTrue(r.evaluated()[i] > r.evaluated()[i - 1]);
		assertEquals(calls[0], r.evaluated().length);
	}

	@Test
	void aDivergedValueIsNeverTheBestAndTheEndsAreCandidates() {
		// The minimum at the lower end, and NaN/∞ beyond t = 900 (a sampler that blows up).
		final StartTimeSearch.Result r = StartTimeSearch.minimise(t -> t > 900 ? (t % 2 == 0 ? Double.NaN : Double.POSITIVE_INFINITY) : t, 5, 1000, 20, () -> false);
		assertEquals(5, r.best());
		final StartTimeSearch.Result one = StartTimeSearch.minimise(t -> 1, 7, 7, 20, () -> false);
		assertEquals(7, one.best());
	}

	@Test
	void stopsOnCancel() {
		assertThrows(CancellationException.class, () -> StartTimeSearch.minimise(t -> t, 1, 100, 10, () -> true));
		assertThrows(IllegalArgumentException.class, () -> StartTimeSearch.minimise(t -> t, 0, 100, 10, () -> false));
	}
}
