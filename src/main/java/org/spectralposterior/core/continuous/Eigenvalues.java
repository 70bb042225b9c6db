package org.spectralposterior.core.continuous;

import org.spectralposterior.core.fourier.Spectrum;

/**
 * The eigenvalues λ_i ≥ 0 of a data covariance with multiplicities: a circulant prior stores each pair of conjugate
 * frequencies once (weight 2), an eigenvalue list has weight 1 everywhere. Zero eigenvalues (singular Σ) are allowed.
 */
public record Eigenvalues(double[] values, double[] weights) {

	public Eigenvalues {
		if (values.length == 0) throw new IllegalArgumentException("No eigenvalues were given; give at least one covariance eigenvalue λ ≥ 0.");
		if (values.length != weights.length) throw new IllegalArgumentException("eigenvalues and weights differ in length");
		for (int i = 0; i < values.length; i++) {
			if (!(values[i] >= 0) || Double.isInfinite(values[i])) throw new IllegalArgumentException("Covariance eigenvalue " + (i + 1) + " is " + values[i] + "; eigenvalues must be finite and ≥ 0.");
		}
	}

	public static Eigenvalues of(final double... values) {
		final double[] w = new double[values.length];
		java.util.Arrays.fill(w, 1);
		return new Eigenvalues(values.clone(), w);
	}

	public static Eigenvalues of(final Spectrum s) {
		return new Eigenvalues(s.values().clone(), s.plane().multiplicities().clone());
	}

	public int size() {
		return values.length;
	}

	/** W2 between N(0, diag a) and N(0, diag b) = √(Σ_i w_i (√a_i − √b_i)²) (MATH §9.1 for centred diagonal Gaussians). */
	public double w2(final double[] a, final double[] b) {
		double s = 0;
		for (int i = 0; i < values.length; i++) {
			final double d = Math.sqrt(a[i]) - Math.sqrt(b[i]);
			s += weights[i] * d * d;
		}
		return Math.sqrt(s);
	}

	public boolean singular() {
		for (final double v : values) if (v == 0) return true;
		return false;
	}
}
