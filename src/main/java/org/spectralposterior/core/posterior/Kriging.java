package org.spectralposterior.core.posterior;

import org.ejml.data.DMatrixRMaj;
import org.spectralposterior.core.Progress;

/**
 * The two solvers of inpainting's kriging system (Σ_ΩΩ + s²I) u = b, shared by the grey and the colour
 * posterior: preconditioned conjugate gradients with the system and the preconditioner given as
 * products (FFTs in both posteriors), and the dense Cholesky solve of the same system for the exact
 * std of small images. One instance per posterior: it keeps the last solve's diagnostics.
 */
final class Kriging {

	/** y = M x on the observed entries. */
	interface Product {
		void apply(double[] x, double[] y);
	}

	private int lastIterations;
	private double lastResidual;

	int lastIterations() {
		return lastIterations;
	}

	double lastResidual() {
		return lastResidual;
	}

	/** Solves system·u = b, preconditioned, to the relative residual {@code tolerance}; cancellable between iterations. */
	double[] solve(final Product system, final Product preconditioner, final double[] b, final double tolerance, final int maxIterations, final Progress progress) {
		final int m = b.length;
		final double[] u = new double[m], r = b.clone(), z = new double[m], ap = new double[m];
		final double bb = dot(b, b);
		lastIterations = 0;
		lastResidual = 0;
		if (bb == 0) return u;
		preconditioner.apply(r, z);
		final double[] p = z.clone();
		double rz = dot(r, z);
		for (int it = 0; it < maxIterations; it++) {
			if (progress != null) progress.checkCancelled();
			system.apply(p, ap);
			final double alpha = rz / dot(p, ap);
			for (int j = 0; j < m; j++) {
				u[j] += alpha * p[j];
				r[j] -= alpha * ap[j];
			}
			lastIterations = it + 1;
			lastResidual = Math.sqrt(dot(r, r) / bb);
			if (lastResidual <= tolerance) break;
			preconditioner.apply(r, z);
			final double rzNew = dot(r, z);
			final double beta = rzNew / rz;
			for (int j = 0; j < m; j++) p[j] = z[j] + beta * p[j];
			rz = rzNew;
		}
		return u;
	}

	/**
	 * (Σ_ΩΩ + s²I)⁻¹ Σ_Ω· densely: {@code sigma} is the d×d prior covariance, {@code omega} the observed
	 * indices. Returns {Σ_Ω· (m×d), the solution (m×d)}.
	 */
	static DMatrixRMaj[] denseSolve(final DMatrixRMaj sigma, final int[] omega, final double diagonal) {
		final int m = omega.length, d = sigma.numCols;
		final DMatrixRMaj k = new DMatrixRMaj(m, m), cross = new DMatrixRMaj(m, d);
		for (int i = 0; i < m; i++) {
			for (int j = 0; j < m; j++) k.set(i, j, sigma.get(omega[i], omega[j]) + (i == j ? diagonal : 0));
			for (int q = 0; q < d; q++) cross.set(i, q, sigma.get(omega[i], q));
		}
		final org.ejml.interfaces.linsol.LinearSolverDense<DMatrixRMaj> chol = org.ejml.dense.row.factory.LinearSolverFactory_DDRM.chol(m);
		if (!chol.setA(k)) throw new ArithmeticException("the kriging matrix is not positive definite");
		final DMatrixRMaj sol = new DMatrixRMaj(m, d);
		chol.solve(cross, sol);
		return new DMatrixRMaj[] { cross, sol };
	}

	/** The observed entries' indices, increasing; refuses a mask with none and a bad noise level. */
	static int[] observedIndices(final boolean[] observed, final double sigma) {
		if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + sigma);
		int m = 0;
		for (final boolean b : observed) if (b) m++;
		if (m == 0) throw new IllegalArgumentException("The mask observes no pixel: nothing to condition on (the posterior is the prior; use Synthesize Texture).");
		final int[] omega = new int[m];
		for (int i = 0, j = 0; i < observed.length; i++) if (observed[i]) omega[j++] = i;
		return omega;
	}

	static double dot(final double[] a, final double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += a[i] * b[i];
		return s;
	}
}
