package org.spectralposterior.core.fourier;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Unitary 2-D DFT of real images of any size H×W (MATH §1.1: numpy {@code fft2(x, norm='ortho')}),
 * storing the half plane described by {@link HalfPlane}.
 * <p>
 * JTransforms' packed 2-D real transforms only accept power-of-two sizes, so this composes 1-D
 * transforms: a real FFT per row (unpacked from JTransforms' packed layout, which differs for odd
 * and even W), then a complex FFT per stored column. Plans and scratch buffers are allocated once;
 * an instance is therefore not thread-safe — give each thread its own.
 */
public final class RealFft2 {

	private final HalfPlane plane;
	private final DoubleFFT_1D rowFft;
	private final DoubleFFT_1D colFft;
	private final double[] row;
	private final double[] column;
	private final double[] spectrumScratch;
	private final double scale;
	private final double inverseRowScale;

	public RealFft2(final HalfPlane plane) {
		this.plane = plane;
		rowFft = new DoubleFFT_1D(plane.width);
		colFft = new DoubleFFT_1D(plane.height);
		row = new double[plane.width];
		column = new double[2 * plane.height];
		spectrumScratch = new double[2 * plane.size];
		scale = 1 / Math.sqrt(plane.pixels);
		// realInverse(.., true) divides by W; the unitary inverse needs W/sqrt(d) overall.
		inverseRowScale = plane.width / Math.sqrt(plane.pixels);
	}

	public RealFft2(final int height, final int width) {
		this(new HalfPlane(height, width));
	}

	public HalfPlane plane() {
		return plane;
	}

	/** A new zeroed complex half-plane array (2·size doubles). */
	public double[] newSpectrum() {
		return new double[2 * plane.size];
	}

	/** Forward unitary transform of {@code pixels} (H·W, row-major, untouched) into {@code spectrum}. */
	public void forward(final double[] pixels, final double[] spectrum) {
		forward(pixels, 0, spectrum);
	}

	/** As {@link #forward(double[], double[])} for the image stored at {@code pixels[offset …]} (one plane of a channel-major array). */
	public void forward(final double[] pixels, final int offset, final double[] spectrum) {
		final int w = plane.width, h = plane.height, cols = plane.cols;
		for (int r = 0; r < h; r++) {
			System.arraycopy(pixels, offset + r * w, row, 0, w);
			rowFft.realForward(row);
			unpackRow(row, spectrum, 2 * r * cols);
		}
		columns(spectrum, true);
	}

	/** Forward transform of float pixels (ImageJ's native type); see {@link #forward(double[], double[])}. */
	public void forward(final float[] pixels, final double[] spectrum) {
		final int w = plane.width, h = plane.height, cols = plane.cols;
		for (int r = 0; r < h; r++) {
			for (int c = 0; c < w; c++) row[c] = pixels[r * w + c];
			rowFft.realForward(row);
			unpackRow(row, spectrum, 2 * r * cols);
		}
		columns(spectrum, true);
	}

	/**
	 * Inverse unitary transform of a Hermitian half-plane {@code spectrum} (untouched) into
	 * {@code pixels}. Imaginary parts that Hermitian symmetry forbids (self-conjugate entries) are
	 * ignored, as for any c2r transform.
	 */
	public void inverse(final double[] spectrum, final double[] pixels) {
		inverse(spectrum, pixels, 0);
	}

	/** As {@link #inverse(double[], double[])} into {@code pixels[offset …]}. */
	public void inverse(final double[] spectrum, final double[] pixels, final int offset) {
		System.arraycopy(spectrum, 0, spectrumScratch, 0, spectrumScratch.length);
		columns(spectrumScratch, false);
		final int w = plane.width, h = plane.height, cols = plane.cols;
		for (int r = 0; r < h; r++) {
			packRow(spectrumScratch, 2 * r * cols, row);
			// Unscaled realInverse returns W/2 · x for even W but W · x for odd W; the scaled
			// variant is consistent, so use it and undo its 1/W.
			rowFft.realInverse(row, true);
			for (int c = 0; c < w; c++) pixels[offset + r * w + c] = row[c] * inverseRowScale;
		}
	}

	/** Inverse transform into float pixels; see {@link #inverse(double[], double[])}. */
	public void inverse(final double[] spectrum, final float[] pixels) {
		System.arraycopy(spectrum, 0, spectrumScratch, 0, spectrumScratch.length);
		columns(spectrumScratch, false);
		final int w = plane.width, h = plane.height, cols = plane.cols;
		for (int r = 0; r < h; r++) {
			packRow(spectrumScratch, 2 * r * cols, row);
			rowFft.realInverse(row, true);
			for (int c = 0; c < w; c++) pixels[r * w + c] = (float) (row[c] * inverseRowScale);
		}
	}

	private void columns(final double[] spectrum, final boolean forward) {
		final int h = plane.height, cols = plane.cols;
		for (int c = 0; c < cols; c++) {
			for (int r = 0; r < h; r++) {
				column[2 * r] = spectrum[2 * (r * cols + c)];
				column[2 * r + 1] = spectrum[2 * (r * cols + c) + 1];
			}
			if (forward) colFft.complexForward(column);
			else colFft.complexInverse(column, false);
			// The unitary factor 1/sqrt(d) is applied once, on the column pass of the forward
			// transform and on the final row pass of the inverse one.
			final double s = forward ? scale : 1;
			for (int r = 0; r < h; r++) {
				spectrum[2 * (r * cols + c)] = column[2 * r] * s;
				spectrum[2 * (r * cols + c) + 1] = column[2 * r + 1] * s;
			}
		}
	}

	/** JTransforms packed 1-D real spectrum → (re, im) pairs for columns 0..W/2. */
	private void unpackRow(final double[] packed, final double[] out, final int off) {
		final int w = plane.width;
		out[off] = packed[0];
		out[off + 1] = 0;
		if (w % 2 == 0) {
			for (int k = 1; k < w / 2; k++) {
				out[off + 2 * k] = packed[2 * k];
				out[off + 2 * k + 1] = packed[2 * k + 1];
			}
			if (w > 1) {
				out[off + w] = packed[1];
				out[off + w + 1] = 0;
			}
		}
		else {
			final int last = (w - 1) / 2;
			for (int k = 1; k < last; k++) {
				out[off + 2 * k] = packed[2 * k];
				out[off + 2 * k + 1] = packed[2 * k + 1];
			}
			if (last >= 1) {
				out[off + 2 * last] = packed[w - 1];
				out[off + 2 * last + 1] = packed[1];
			}
		}
	}

	private void packRow(final double[] in, final int off, final double[] packed) {
		final int w = plane.width;
		packed[0] = in[off];
		if (w % 2 == 0) {
			for (int k = 1; k < w / 2; k++) {
				packed[2 * k] = in[off + 2 * k];
				packed[2 * k + 1] = in[off + 2 * k + 1];
			}
			if (w > 1) packed[1] = in[off + w];
		}
		else {
			final int last = (w - 1) / 2;
			for (int k = 1; k < last; k++) {
				packed[2 * k] = in[off + 2 * k];
				packed[2 * k + 1] = in[off + 2 * k + 1];
			}
			if (last >= 1) {
				packed[w - 1] = in[off + 2 * last];
				packed[1] = in[off + 2 * last + 1];
			}
		}
	}
}
