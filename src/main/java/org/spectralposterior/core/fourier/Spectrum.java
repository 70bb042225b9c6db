package org.spectralposterior.core.fourier;

import java.util.Arrays;

/**
 * A non-negative per-frequency quantity of a stationary (circulant) covariance, stored on the
 * half plane: the eigenvalue of the covariance on Fourier mode k in the unitary convention of
 * MATH §1.1, λ_k = E|(F(x−μ))_k|². Symmetric by construction (λ_{−k} = λ_k).
 */
public final class Spectrum {

	private final HalfPlane plane;
	private final double[] values;

	/** Wraps {@code values} (not copied): callers hand over ownership. */
	public Spectrum(final HalfPlane plane, final double[] values) {
		if (values.length != plane.size) throw new IllegalArgumentException("Spectrum has " + values.length + " values, the " + plane + " half plane needs " + plane.size);
		for (final double v : values) {
			if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("A spectrum must be finite and non-negative; found " + v);
		}
		this.plane = plane;
		this.values = values;
	}

	public HalfPlane plane() {
		return plane;
	}

	public double get(final int i) {
		return values[i];
	}

	/** Read-only view of the values; callers must not modify the array. */
	public double[] values() {
		return values;
	}

	/**
	 * Multiplies a complex half-plane spectrum (interleaved re, im) by real per-frequency factors, in
	 * place: applying a circulant operator with real eigenvalues (Σ, Σ^½, (Σ + s²I)⁻¹ …) in Fourier.
	 */
	public static void scale(final double[] spectrum, final double[] factors) {
		for (int k = 0; k < factors.length; k++) {
			spectrum[2 * k] *= factors[k];
			spectrum[2 * k + 1] *= factors[k];
		}
	}

	/** Σ over all d frequencies = the trace of the covariance. */
	public double trace() {
		return plane.sumAll(values);
	}

	public double max() {
		return Arrays.stream(values).max().orElse(0);
	}

	/**
	 * The spectrum on the full H×W grid, DC at the centre ({@code fftshift}: row H/2, column W/2),
	 * the layout users know from ImageJ's FFT display.
	 */
	public double[] toShiftedFullGrid() {
		return FullGrid.shifted(plane, values);
	}
}
