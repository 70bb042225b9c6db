package org.spectralposterior.core.metric;

/**
 * Reference-based quality of a restored image against a ground truth: PSNR, SSIM (Wang et al.
 * 2004: 11×11 Gaussian window σ = 1.5, K1 = 0.01, K2 = 0.03, mirrored borders) and the coverage of a
 * ±z·std band. The dynamic range L is the ground truth's max − min, as scikit-image does for float
 * data when no range is given.
 */
public final class ImageQuality {

	private ImageQuality() {}

	public static double dataRange(final double[] ref) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final double v : ref) {
			lo = Math.min(lo, v);
			hi = Math.max(hi, v);
		}
		return hi - lo;
	}

	public static double mse(final double[] ref, final double[] x) {
		check(ref, x);
		double s = 0;
		for (int i = 0; i < ref.length; i++) {
			final double d = ref[i] - x[i];
			s += d * d;
		}
		return s / ref.length;
	}

	/** PSNR in dB with peak {@code range}; +∞ for a perfect match. */
	public static double psnr(final double[] ref, final double[] x, final double range) {
		return 10 * Math.log10(range * range / mse(ref, x));
	}

	public static double ssim(final double[] ref, final double[] x, final int width, final int height, final double range) {
		check(ref, x);
		final double c1 = Math.pow(0.01 * range, 2), c2 = Math.pow(0.03 * range, 2);
		final double[] mx = blur(ref, width, height), my = blur(x, width, height);
		final double[] xx = new double[ref.length], yy = new double[ref.length], xy = new double[ref.length];
		for (int i = 0; i < ref.length; i++) {
			xx[i] = ref[i] * ref[i];
			yy[i] = x[i] * x[i];
			xy[i] = ref[i] * x[i];
		}
		final double[] sxx = blur(xx, width, height), syy = blur(yy, width, height), sxy = blur(xy, width, height);
		double sum = 0;
		for (int i = 0; i < ref.length; i++) {
			final double vx = sxx[i] - mx[i] * mx[i], vy = syy[i] - my[i] * my[i], cxy = sxy[i] - mx[i] * my[i];
			sum += (2 * mx[i] * my[i] + c1) * (2 * cxy + c2) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
		}
		return sum / ref.length;
	}

	/** Fraction of pixels where |truth − mean| ≤ z·std (std per pixel, or one value repeated). */
	public static double coverage(final double[] truth, final double[] mean, final double[] std, final double z) {
		check(truth, mean);
		int inside = 0;
		for (int i = 0; i < truth.length; i++) {
			final double s = std.length == 1 ? std[0] : std[i];
			if (Math.abs(truth[i] - mean[i]) <= z * s) inside++;
		}
		return (double) inside / truth.length;
	}

	private static void check(final double[] a, final double[] b) {
		if (a.length != b.length) throw new IllegalArgumentException("The ground truth and the image have different sizes (" + a.length + " vs " + b.length + " pixels)");
	}

	private static final double[] WINDOW = gaussianWindow(1.5, 5);

	private static double[] gaussianWindow(final double sigma, final int radius) {
		final double[] w = new double[2 * radius + 1];
		double s = 0;
		for (int i = -radius; i <= radius; i++) s += w[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
		for (int i = 0; i < w.length; i++) w[i] /= s;
		return w;
	}

	private static int mirror(int i, final int n) {
		if (n == 1) return 0;
		while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - i - 1;
		return i;
	}

	private static double[] blur(final double[] in, final int w, final int h) {
		final int r = WINDOW.length / 2;
		final double[] tmp = new double[in.length], out = new double[in.length];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				double s = 0;
				for (int k = -r; k <= r; k++) s += WINDOW[k + r] * in[y * w + mirror(x + k, w)];
				tmp[y * w + x] = s;
			}
		}
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				double s = 0;
				for (int k = -r; k <= r; k++) s += WINDOW[k + r] * tmp[mirror(y + k, h) * w + x];
				out[y * w + x] = s;
			}
		}
		return out;
	}
}
