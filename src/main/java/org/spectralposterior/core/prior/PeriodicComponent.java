package org.spectralposterior.core.prior;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;

/**
 * Moisan's periodic + smooth decomposition (MATH §2.2 step 1). The periodic component p has the
 * same "inner" Laplacian as u but no jumps across the image border, so its spectrum lacks the
 * cross-shaped artefact that the implicit periodisation of the DFT would otherwise add to an
 * estimated texture spectrum.
 */
public final class PeriodicComponent {

	private PeriodicComponent() {}

	/** Periodic component of the H×W image {@code u} (row-major); {@code u} is not modified. */
	public static double[] of(final double[] u, final int height, final int width) {
		final HalfPlane plane = new HalfPlane(height, width);
		final double[] lap = new double[u.length];
		// Non-periodic Laplacian: each pair of 4-neighbours inside the image contributes its
		// difference to both ends; pairs across the border are absent.
		for (int r = 0; r < height; r++) {
			for (int c = 0; c < width; c++) {
				final int i = r * width + c;
				if (c + 1 < width) {
					final double d = u[i] - u[i + 1];
					lap[i] += d;
					lap[i + 1] -= d;
				}
				if (r + 1 < height) {
					final double d = u[i] - u[i + width];
					lap[i] += d;
					lap[i + width] -= d;
				}
			}
		}
		final RealFft2 fft = new RealFft2(plane);
		final double[] spec = fft.newSpectrum();
		fft.forward(lap, spec);
		double sum = 0;
		for (final double v : u) sum += v;
		for (int i = 0; i < plane.size; i++) {
			final int r = i / plane.cols, c = i % plane.cols;
			if (i == 0) {
				// Unitary DC coefficient of u: Σu / sqrt(d) (the spec writes the unnormalised Σu).
				spec[0] = sum / Math.sqrt(plane.pixels);
				spec[1] = 0;
				continue;
			}
			final double denom = 4 - 2 * Math.cos(2 * Math.PI * r / height) - 2 * Math.cos(2 * Math.PI * c / width);
			spec[2 * i] /= denom;
			spec[2 * i + 1] /= denom;
		}
		final double[] p = new double[u.length];
		fft.inverse(spec, p);
		return p;
	}
}
