package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.junit.jupiter.api.Test;

/** MATH §1.3: τ = round(linspace(1, T, n)) with numpy's rounding (ties to even), in exact arithmetic. */
class ScheduleTest {

	/**
	 * An independent reference: the exact rational 1 + (T−1)(i−1)/(n−1) = ((n−1) + (T−1)(i−1))/(n−1)
	 * rounded half-even by BigDecimal, whose divide rounds the exact quotient, so ties are seen as ties.
	 * (Rounding (T−1)(i−1)/(n−1) and adding 1 afterwards would break ties on the wrong parity.)
	 */
	private static int[] reference(final int T, final int n) {
		final int[] tau = new int[n + 1];
		for (int i = 1; i <= n; i++) {
			tau[i] = n == 1 ? T
				: BigDecimal.valueOf(n - 1L).add(BigDecimal.valueOf(T - 1L).multiply(BigDecimal.valueOf(i - 1L))).divide(BigDecimal.valueOf(n - 1L), 0, RoundingMode.HALF_EVEN).intValueExact();
		}
		return tau;
	}

	@Test
	void stridedTimestepsRoundTiesToEven() {
		final Schedule s = Schedule.linear();
		for (final int n : new int[] { 1, 2, 3, 5, 11, 20, 21, 50, 51, 101, 1000 }) assertArrayEquals(reference(1000, n), s.strided(n, 1000), "n = " + n);
		// The ties themselves: linspace(1, 1000, 3) = 1, 500.5, 1000 → 500 (Math.round gave 501).
		assertEquals(500, s.strided(3, 1000)[2]);
		assertEquals(500, s.strided(5, 1000)[3], "1 + 999·2/4 = 500.5 → 500");
		assertEquals(251, s.strided(5, 1000)[2], "250.75 is no tie");
	}

	@Test
	void largeStepCountsDoNotOverflow() {
		final Schedule s = Schedule.linear(100_000, 1e-4, 0.02);
		final int[] tau = s.strided(100_000, 100_000);
		for (int i = 1; i <= 100_000; i++) assertEquals(i, tau[i], "every timestep once");
		final int[] some = s.strided(99_999, 100_000);
		for (int i = 1; i < some.length; i++) assertTrue(some[i] > some[i - 1] && some[i] <= 100_000);
		assertArrayEquals(reference(100_000, 99_999), some);
	}
}
