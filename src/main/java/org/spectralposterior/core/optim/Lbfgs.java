package org.spectralposterior.core.optim;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Limited-memory BFGS for smooth unconstrained minimisation (MATH §10: Commons-Math has none).
 * Two-loop recursion for the direction, backtracking line search on the Armijo condition, and a
 * curvature guard (pairs with sᵀy ≤ 0 are not stored, so the implicit Hessian stays positive
 * definite). Bounds are handled by the caller's reparametrisation (e.g. w = h·exp θ).
 */
public final class Lbfgs {

	/** f(x), with ∇f(x) written into {@code grad}. */
	public interface Function {
		double evaluate(double[] x, double[] grad);
	}

	/** Called after each iteration with the iteration count and the current value. */
	public interface Listener {
		void iteration(int iteration, double value);
	}

	public record Result(double[] x, double value, int iterations, int evaluations, boolean converged, String stop) {}

	private final int memory;
	private final int maxIterations;
	private final double gradientTolerance, relativeDecrease;

	/**
	 * @param gradientTolerance stop when max|∇f| ≤ this·max(1, |f|)
	 * @param relativeDecrease  stop when three successive iterations each lower f by less than this·|f|
	 */
	public Lbfgs(final int memory, final int maxIterations, final double gradientTolerance, final double relativeDecrease) {
		if (memory < 1 || maxIterations < 0) throw new IllegalArgumentException("memory ≥ 1 and maxIterations ≥ 0 are needed");
		this.memory = memory;
		this.maxIterations = maxIterations;
		this.gradientTolerance = gradientTolerance;
		this.relativeDecrease = relativeDecrease;
	}

	public Result minimize(final Function f, final double[] start, final Listener listener, final BooleanSupplier cancelled) {
		final int d = start.length;
		final double[] x = start.clone(), g = new double[d], dir = new double[d], xNew = new double[d], gNew = new double[d];
		final double[][] s = new double[memory][d], y = new double[memory][d];
		final double[] rhoInv = new double[memory], alpha = new double[memory];
		int stored = 0, head = 0, evaluations = 1, slow = 0;
		double fx = f.evaluate(x, g);
		if (!Double.isFinite(fx)) throw new IllegalArgumentException("The objective is not finite at the starting point.");
		for (int it = 0; it < maxIterations; it++) {
			if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
			if (maxAbs(g) <= gradientTolerance * Math.max(1, Math.abs(fx))) return new Result(x, fx, it, evaluations, true, "gradient");
			// Two-loop recursion: dir = −H∇f.
			for (int i = 0; i < d; i++) dir[i] = -g[i];
			for (int k = 0; k < stored; k++) {
				final int m = Math.floorMod(head - 1 - k, memory);
				alpha[m] = dot(s[m], dir) / rhoInv[m];
				axpy(-alpha[m], y[m], dir);
			}
			if (stored > 0) {
				final int last = Math.floorMod(head - 1, memory);
				final double scale = rhoInv[last] / dot(y[last], y[last]);
				for (int i = 0; i < d; i++) dir[i] *= scale;
			}
			else {
				// First step: a unit move along the largest gradient component.
				final double scale = 1 / Math.max(1e-300, maxAbs(g));
				for (int i = 0; i < d; i++) dir[i] *= scale;
			}
			for (int k = stored - 1; k >= 0; k--) {
				final int m = Math.floorMod(head - 1 - k, memory);
				final double beta = dot(y[m], dir) / rhoInv[m];
				axpy(alpha[m] - beta, s[m], dir);
			}
			double slope = dot(g, dir);
			if (!(slope < 0)) {
				// Not a descent direction (round-off): restart from steepest descent.
				stored = 0;
				final double scale = 1 / Math.max(1e-300, maxAbs(g));
				for (int i = 0; i < d; i++) dir[i] = -g[i] * scale;
				slope = dot(g, dir);
			}
			final double step = wolfe(f, x, fx, slope, dir, xNew, gNew);
			evaluations += lastEvaluations;
			if (Double.isNaN(step)) {
				// The quasi-Newton model has gone stale (a non-convex ℒ bends between its pairs): forget it and
				// retry this iteration from steepest descent before giving up. Ending here stopped tuning searches
				// ~10 % above the optimum that a restart reaches.
				if (stored > 0) {
					stored = 0;
					it--;
					continue;
				}
				return new Result(x, fx, it, evaluations, false, "line search");
			}
			final double fNew = lastValue;
			double sy = 0;
			for (int i = 0; i < d; i++) {
				s[head][i] = xNew[i] - x[i];
				y[head][i] = gNew[i] - g[i];
				sy += s[head][i] * y[head][i];
			}
			if (sy > 1e-12 * Math.sqrt(dot(s[head], s[head]) * dot(y[head], y[head]))) {
				rhoInv[head] = sy;
				head = (head + 1) % memory;
				stored = Math.min(memory, stored + 1);
			}
			final double decrease = fx - fNew;
			System.arraycopy(xNew, 0, x, 0, d);
			System.arraycopy(gNew, 0, g, 0, d);
			fx = fNew;
			if (listener != null) listener.iteration(it + 1, fx);
			slow = decrease <= relativeDecrease * Math.abs(fx) ? slow + 1 : 0;
			if (slow >= 3) return new Result(x, fx, it + 1, evaluations, true, "relative decrease");
		}
		return new Result(x, fx, maxIterations, evaluations, false, "iterations");
	}

	private double lastValue;
	private int lastEvaluations;

	/**
	 * A step along {@code dir} satisfying the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9;
	 * Nocedal–Wright algorithms 3.5–3.6, safeguarded quadratic interpolation in the zoom): the
	 * curvature condition is what keeps the BFGS pairs informative. Leaves the accepted point in
	 * xNew/gNew and its value in lastValue; NaN if none was found.
	 */
	private double wolfe(final Function f, final double[] x, final double f0, final double slope0, final double[] dir, final double[] xNew, final double[] gNew) {
		final double c1 = 1e-4, c2 = 0.9;
		lastEvaluations = 0;
		double aPrev = 0, fPrev = f0, dPrev = slope0, a = 1;
		for (int i = 0; i < 30; i++) {
			final double fa = at(f, x, a, dir, xNew, gNew), da = dot(gNew, dir);
			if (!Double.isFinite(fa) || fa > f0 + c1 * a * slope0 || (i > 0 && fa >= fPrev)) return zoom(f, x, f0, slope0, dir, xNew, gNew, aPrev, fPrev, dPrev, a, fa);
			if (Math.abs(da) <= -c2 * slope0) {
				lastValue = fa;
				return a;
			}
			if (da >= 0) return zoom(f, x, f0, slope0, dir, xNew, gNew, a, fa, da, aPrev, fPrev);
			aPrev = a;
			fPrev = fa;
			dPrev = da;
			a *= 2;
		}
		return Double.NaN;
	}

	private double zoom(final Function f, final double[] x, final double f0, final double slope0, final double[] dir, final double[] xNew, final double[] gNew, double lo,
		double fLo, double dLo, double hi, double fHi) {
		final double c1 = 1e-4, c2 = 0.9;
		double best = Double.NaN, fBest = Double.POSITIVE_INFINITY;
		for (int i = 0; i < 40; i++) {
			// Minimiser of the quadratic through (lo, fLo, dLo) and (hi, fHi), kept inside the bracket.
			final double w = hi - lo;
			double a = Double.isFinite(fHi) ? lo - dLo * w * w / (2 * (fHi - fLo - dLo * w)) : lo + 0.5 * w;
			final double margin = 0.1 * Math.abs(w);
			if (!(a > Math.min(lo, hi) + margin && a < Math.max(lo, hi) - margin)) a = lo + 0.5 * w;
			final double fa = at(f, x, a, dir, xNew, gNew);
			if (Double.isFinite(fa) && fa < fBest && fa <= f0 + c1 * a * slope0) {
				best = a;
				fBest = fa;
			}
			if (!Double.isFinite(fa) || fa > f0 + c1 * a * slope0 || fa >= fLo) {
				hi = a;
				fHi = fa;
			}
			else {
				final double da = dot(gNew, dir);
				if (Math.abs(da) <= -c2 * slope0) {
					lastValue = fa;
					return a;
				}
				if (da * (hi - lo) >= 0) {
					hi = lo;
					fHi = fLo;
				}
				lo = a;
				fLo = fa;
				dLo = da;
			}
			if (Math.abs(hi - lo) < 1e-16 * Math.max(1, Math.abs(lo))) break;
		}
		// No strong-Wolfe point within the budget: fall back on the best sufficient decrease seen.
		if (Double.isNaN(best)) return Double.NaN;
		lastValue = at(f, x, best, dir, xNew, gNew);
		return best;
	}

	private double at(final Function f, final double[] x, final double a, final double[] dir, final double[] xNew, final double[] gNew) {
		for (int i = 0; i < x.length; i++) xNew[i] = x[i] + a * dir[i];
		lastEvaluations++;
		return f.evaluate(xNew, gNew);
	}

	private static double dot(final double[] a, final double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += a[i] * b[i];
		return s;
	}

	private static void axpy(final double a, final double[] x, final double[] y) {
		for (int i = 0; i < x.length; i++) y[i] += a * x[i];
	}

	private static double maxAbs(final double[] a) {
		double m = 0;
		for (final double v : a) m = Math.max(m, Math.abs(v));
		return m;
	}
}
