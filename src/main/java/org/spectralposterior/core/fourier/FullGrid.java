package org.spectralposterior.core.fourier;

/** Conversions between half-plane per-frequency arrays and full-grid images for display. */
public final class FullGrid {

	private FullGrid() {}

	/**
	 * Expands a symmetric half-plane quantity f(k) = f(−k) onto the full H×W grid, with the zero
	 * frequency moved to (row H/2, column W/2) as numpy's fftshift does.
	 */
	public static double[] shifted(final HalfPlane plane, final double[] half) {
		final int h = plane.height, w = plane.width;
		final double[] out = new double[plane.pixels];
		for (int r = 0; r < h; r++) {
			for (int c = 0; c < w; c++) {
				// Column c ≥ cols is stored at its conjugate (−r, W−c).
				final int sr = c < plane.cols ? r : (h - r) % h;
				final int sc = c < plane.cols ? c : w - c;
				final int dr = (r + h / 2) % h, dc = (c + w / 2) % w;
				out[dr * w + dc] = half[sr * plane.cols + sc];
			}
		}
		return out;
	}

	/** Inverse of {@link #shifted}: reads the half plane back from a full, fftshifted grid. */
	public static double[] unshiftedHalf(final HalfPlane plane, final double[] full) {
		final int h = plane.height, w = plane.width;
		final double[] half = new double[plane.size];
		for (int r = 0; r < h; r++) {
			for (int c = 0; c < plane.cols; c++) {
				final int dr = (r + h / 2) % h, dc = (c + w / 2) % w;
				half[r * plane.cols + c] = full[dr * w + dc];
			}
		}
		return half;
	}
}
