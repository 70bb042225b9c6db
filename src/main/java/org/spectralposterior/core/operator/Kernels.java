package org.spectralposterior.core.operator;

/** Kernels of the circulant operators, sampled on the H×W grid with their centre at (0,0). */
final class Kernels {

	private Kernels() {}

	static double[] wrapped(final OperatorSpec spec, final int height, final int width) {
		final double[] k = new double[height * width];
		switch (spec.kind()) {
			case NONE -> k[0] = 1;
			case GAUSSIAN -> gaussian(k, height, width, spec.blurSigma());
			case MOTION -> motion(k, height, width, spec.length(), spec.angle());
			case PSF -> psf(k, height, width, spec.psf(), spec.psfWidth(), spec.psfHeight());
			case INPAINT -> throw new IllegalArgumentException(OperatorSpec.NOT_CIRCULANT);
		}
		return k;
	}

	/** exp(−dist²/(2σ²)) with the wrap-around distance (MATH §12, Problem A), normalised to sum 1. */
	private static void gaussian(final double[] k, final int h, final int w, final double sigma) {
		double sum = 0;
		for (int r = 0; r < h; r++) {
			final int dr = Math.min(r, h - r);
			for (int c = 0; c < w; c++) {
				final int dc = Math.min(c, w - c);
				final double v = Math.exp(-(dr * dr + dc * dc) / (2 * sigma * sigma));
				k[r * w + c] = v;
				sum += v;
			}
		}
		for (int i = 0; i < k.length; i++) k[i] /= sum;
	}

	/**
	 * A uniform line segment of the given length centred on the origin, at {@code angle} degrees
	 * counter-clockwise from the x axis (image rows grow downwards, so y is negated). The segment is
	 * sampled densely and splatted bilinearly, which keeps sub-pixel lengths and angles continuous.
	 */
	private static void motion(final double[] k, final int h, final int w, final double length, final double angle) {
		if (length >= Math.min(h, w)) {
			throw new IllegalArgumentException("A motion blur of " + length + " px does not fit in the " + w + "×" + h + " image; use a length below " + Math.min(h, w) + ".");
		}
		if (length < 1e-9) {
			k[0] = 1;
			return;
		}
		final double rad = Math.toRadians(angle);
		final double ux = Math.cos(rad), uy = -Math.sin(rad);
		final int n = Math.max(2, (int) Math.ceil(length * 16)) + 1;
		for (int j = 0; j < n; j++) {
			final double t = -length / 2 + length * j / (n - 1);
			final double x = t * ux, y = t * uy;
			final int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
			final double fx = x - x0, fy = y - y0;
			add(k, h, w, y0, x0, (1 - fx) * (1 - fy));
			add(k, h, w, y0, x0 + 1, fx * (1 - fy));
			add(k, h, w, y0 + 1, x0, (1 - fx) * fy);
			add(k, h, w, y0 + 1, x0 + 1, fx * fy);
		}
		double sum = 0;
		for (final double v : k) sum += v;
		for (int i = 0; i < k.length; i++) k[i] /= sum;
	}

	private static void add(final double[] k, final int h, final int w, final int r, final int c, final double v) {
		k[Math.floorMod(r, h) * w + Math.floorMod(c, w)] += v;
	}

	private static void psf(final double[] k, final int h, final int w, final double[] psf, final int pw, final int ph) {
		if (pw > w || ph > h) {
			throw new IllegalArgumentException("The PSF (" + pw + "×" + ph + ") is larger than the image (" + w + "×" + h + "); crop the PSF to at most the image size.");
		}
		double sum = 0;
		for (final double v : psf) sum += v;
		final int cr = ph / 2, cc = pw / 2;
		for (int r = 0; r < ph; r++) {
			for (int c = 0; c < pw; c++) add(k, h, w, r - cr, c - cc, psf[r * pw + c] / sum);
		}
	}

	static void checkPsf(final double[] psf, final int pw, final int ph) {
		if (psf == null || pw < 1 || ph < 1 || psf.length != pw * ph) throw new IllegalArgumentException("The PSF image is missing or empty; give a PSF image.");
		double sum = 0;
		for (final double v : psf) {
			if (!Double.isFinite(v)) throw new IllegalArgumentException("The PSF contains NaN or infinite values; clean it first (in ImageJ, e.g. by Remove NaNs).");
			sum += v;
		}
		if (Math.abs(sum) < 1e-300) {
			throw new IllegalArgumentException("The PSF sums to zero (all-zero or balanced signs), so it cannot be normalised to sum 1; give a PSF with a positive total.");
		}
		if (sum < 0) throw new IllegalArgumentException("The PSF sums to a negative value (" + sum + "); a blur kernel must have a positive total.");
	}
}
