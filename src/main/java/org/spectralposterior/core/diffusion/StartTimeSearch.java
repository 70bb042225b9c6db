package org.spectralposterior.core.diffusion;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.IntToDoubleFunction;

/**
 * The start time t0 of a method that starts from the noised posterior mean (SDEdit, MATH §0.5) that
 * minimises the exact E_v W2² to the posterior. t0 is one integer in [n, T] and each evaluation is one
 * closed form, so no gradient is needed: a scan of evenly spaced t0, then a golden-section search on
 * the integers of the best scanned point's neighbourhood. ℒ(t0) need not be unimodal (a large t0
 * forgets the measurement, a small one keeps the mean's bias), so the result is the best point
 * found, and every evaluated point is reported for the user to see the curve.
 */
public final class StartTimeSearch {

	/** The best t0 and its value, and every point evaluated (ascending t0). */
	public record Result(int best, double value, int[] evaluated, double[] values) {}

	private StartTimeSearch() {}

	/**
	 * Minimises {@code f} over the integers of [lo, hi] with a scan of {@code scan} points, then a
	 * golden-section refinement between the best point's scanned neighbours.
	 */
	public static Result minimise(final IntToDoubleFunction f, final int lo, final int hi, final int scan, final BooleanSupplier cancelled) {
		if (lo < 1 || hi < lo) throw new IllegalArgumentException("The start times must lie in 1.." + hi + ", got from " + lo + ".");
		if (scan < 2) throw new IllegalArgumentException("scan must be at least 2, got " + scan);
		final Map<Integer, Double> seen = new TreeMap<>();
		final IntToDoubleFunction at = t -> {
			if (cancelled.getAsBoolean()) throw new CancellationException();
			return seen.computeIfAbsent(t, f::applyAsDouble);
		};
		final int points = Math.min(scan, hi - lo + 1);
		final int[] grid = new int[points];
		for (int i = 0; i < points; i++) grid[i] = points == 1 ? lo : (int) Math.round(lo + (hi - lo) * (double) i / (points - 1));
		int bi = 0;
		for (int i = 0; i < points; i++) if (less(at.applyAsDouble(grid[i]), at.applyAsDouble(grid[bi]))) bi = i;
		// Golden section on the integers of (left neighbour, right neighbour).
		int a = grid[Math.max(0, bi - 1)], b = grid[Math.min(points - 1, bi + 1)];
		final double r = (Math.sqrt(5) - 1) / 2;
		while (b - a > 3) {
			final int x1 = (int) Math.round(b - r * (b - a)), x2 = (int) Math.round(a + r * (b - a));
			if (x1 >= x2) break;
			if (less(at.applyAsDouble(x1), at.applyAsDouble(x2))) b = x2;
			else a = x1;
		}
		for (int t = a; t <= b; t++) at.applyAsDouble(t);
		int best = grid[bi];
		for (final Map.Entry<Integer, Double> e : seen.entrySet()) if (less(e.getValue(), seen.get(best))) best = e.getKey();
		final int[] ts = new int[seen.size()];
		final double[] vs = new double[seen.size()];
		int k = 0;
		for (final Map.Entry<Integer, Double> e : seen.entrySet()) {
			ts[k] = e.getKey();
			vs[k++] = e.getValue();
		}
		return new Result(best, seen.get(best), ts, vs);
	}

	/** A diverged value (NaN, ∞) is never better. */
	private static boolean less(final double x, final double y) {
		return !Double.isNaN(x) && (Double.isNaN(y) || x < y);
	}
}
