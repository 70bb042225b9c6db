package org.spectralposterior.core.prior;

import java.util.List;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.fourier.Spectrum;

/**
 * Estimates a {@link GaussianPrior} from exemplar images.
 * <ul>
 * <li>{@link Estimator#ADSN}: one exemplar u of size h×w (MATH §2.2). Texton t = (per(u) − ū)/sqrt(hw),
 * zero-padded into the target grid ("spot"), λ = |fft(t)|². The padding keeps the per-pixel variance
 * equal to the exemplar's, so a prior learnt on a ROI applies to the whole image.</li>
 * <li>{@link Estimator#PERIODOGRAM}: J exemplars of the same size; λ is the average of their ADSN
 * spectra, with one common mean (the mean over all exemplars). On the exemplars' own grid this is
 * the averaged periodogram of MATH §2.3, λ_k = (1/(J d)) Σ_j |fft2(per(x_j) − μ)_k|², computed after
 * periodisation ([R]: the spec lists periodisation as optional; we always apply it).</li>
 * </ul>
 */
public final class PriorEstimator {

	/** Smallest exemplar side accepted: below this a spectrum is mostly border artefact. */
	public static final int MIN_SIDE = 8;

	public enum Estimator {
		ADSN("adsn"), PERIODOGRAM("periodogram"),
		/** The periodogram's covariance tapered by a Parzen lag window (Blackman–Tukey): a smooth spectrum. */
		SMOOTHED("smoothed");

		public final String key;

		Estimator(final String key) {
			this.key = key;
		}

		public static Estimator parse(final String s) {
			for (final Estimator e : values()) if (e.key.equalsIgnoreCase(s.trim())) return e;
			throw new IllegalArgumentException("Unknown estimator '" + s + "': use adsn, periodogram or smoothed");
		}
	}

	private PriorEstimator() {}

	/** ADSN prior from one exemplar, living on a targetHeight×targetWidth grid. */
	public static GaussianPrior adsn(final double[] exemplar, final int height, final int width, final int targetHeight, final int targetWidth) {
		return periodogram(List.of(exemplar), height, width, targetHeight, targetWidth);
	}

	/**
	 * [R] Blackman–Tukey smoothing of {@link #periodogram}: its covariance (the exemplars' circular-free
	 * autocovariance, zero beyond the exemplar size) times a separable Parzen lag window reaching zero
	 * at half the exemplar's size. The window's Fourier transform is non-negative, so the spectrum stays
	 * non-negative; c(0), hence the pixel variance, is unchanged. Why: an exemplar smaller than the
	 * target gives a spectrum full of sinc side lobes (the spot's edges), which a kriging from many
	 * near-exact pixels (inpainting, super-resolution) amplifies into wild values; smoothed, the same
	 * exemplar predicts as well as the texture allows.
	 */
	public static GaussianPrior smoothed(final List<double[]> exemplars, final int height, final int width, final int targetHeight, final int targetWidth) {
		final GaussianPrior raw = periodogram(exemplars, height, width, targetHeight, targetWidth);
		final HalfPlane target = raw.plane();
		final RealFft2 fft = new RealFft2(target);
		final double[] spec = fft.newSpectrum();
		final double[] lambda = raw.spectrum().values();
		for (int k = 0; k < target.size; k++) spec[2 * k] = lambda[k];
		taper(fft, spec, new double[target.pixels], height, width);
		final double[] out = new double[target.size];
		for (int k = 0; k < target.size; k++) out[k] = Math.max(0, spec[2 * k]);
		return new GaussianPrior(raw.mean(), new Spectrum(target, out));
	}

	/**
	 * Multiplies the covariance function behind the complex half-plane spectrum {@code spec} by the
	 * separable Parzen lag window of an height×width exemplar, in place ({@code cov} is scratch).
	 * The window is even, so a cross-spectrum stays the transform of a real cross-covariance.
	 */
	static void taper(final RealFft2 fft, final double[] spec, final double[] cov, final int height, final int width) {
		final HalfPlane target = fft.plane();
		fft.inverse(spec, cov);
		final double ly = Math.max(1, height / 2.0), lx = Math.max(1, width / 2.0);
		for (int y = 0; y < target.height; y++) {
			final double wy = parzen(Math.min(y, target.height - y) / ly);
			for (int x = 0; x < target.width; x++) cov[y * target.width + x] *= wy * parzen(Math.min(x, target.width - x) / lx);
		}
		fft.forward(cov, spec);
	}

	/** The Parzen window on |u| < 1 (its transform is a non-negative power of a sinc). */
	static double parzen(final double u) {
		final double a = Math.abs(u);
		if (a >= 1) return 0;
		return a <= 0.5 ? 1 - 6 * a * a + 6 * a * a * a : 2 * Math.pow(1 - a, 3);
	}

	/** Averaged-spectrum prior from exemplars of one size (see class comment). */
	/**
	 * The exemplars' common mean, after refusing what defines no texture: no exemplar, one smaller than
	 * {@link #MIN_SIDE}, a target smaller than the exemplar, non-finite or constant pixels.
	 */
	static double checkedMean(final List<double[]> exemplars, final int height, final int width, final int targetHeight, final int targetWidth) {
		if (exemplars.isEmpty()) throw new IllegalArgumentException("No exemplar given: a prior needs at least one image");
		if (height < MIN_SIDE || width < MIN_SIDE) {
			throw new IllegalArgumentException("The exemplar is " + width + "×" + height + " pixels; a prior needs at least " + MIN_SIDE + "×" + MIN_SIDE + ". Select a larger region.");
		}
		if (targetHeight < height || targetWidth < width) {
			throw new IllegalArgumentException("The target size " + targetWidth + "×" + targetHeight + " is smaller than the exemplar " + width + "×" + height
				+ "; choose a target at least as large as the exemplar (or crop the exemplar).");
		}
		double sum = 0;
		long n = 0;
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final double[] x : exemplars) {
			if (x.length != (long) height * width) throw new IllegalArgumentException("All exemplars must have the same size " + width + "×" + height);
			for (final double v : x) {
				if (!Double.isFinite(v)) throw new IllegalArgumentException("The exemplar contains NaN or infinite pixels; replace them first (in ImageJ, e.g. by Remove NaNs).");
				sum += v;
				lo = Math.min(lo, v);
				hi = Math.max(hi, v);
			}
			n += x.length;
		}
		// The spectrum is zero exactly when every pixel equals the common mean. Test that on the
		// pixels: after the mean and the FFT-based periodisation, rounding leaves a ~1e-30 spectrum
		// that a "max > 0" test on λ does not catch.
		if (lo == hi) {
			throw new IllegalArgumentException("The exemplar is constant, so its spectrum is zero and defines no texture; select a textured region.");
		}
		return sum / n;
	}

	public static GaussianPrior periodogram(final List<double[]> exemplars, final int height, final int width, final int targetHeight, final int targetWidth) {
		final double mean = checkedMean(exemplars, height, width, targetHeight, targetWidth);
		final HalfPlane target = new HalfPlane(targetHeight, targetWidth);
		final RealFft2 fft = new RealFft2(target);
		final double[] padded = new double[target.pixels];
		final double[] spec = fft.newSpectrum();
		final double[] lambda = new double[target.size];
		// unitary |F t|² = |fft t|²/D on the target grid (D = target pixels); we want |fft t|² with
		// t = (per(x) − μ)/sqrt(hw), hence the factor D/(hw) per exemplar, averaged over J.
		final double factor = (double) target.pixels / ((double) height * width) / exemplars.size();
		for (final double[] x : exemplars) {
			final double[] p = PeriodicComponent.of(x, height, width);
			java.util.Arrays.fill(padded, 0);
			for (int r = 0; r < height; r++) {
				for (int c = 0; c < width; c++) padded[r * targetWidth + c] = p[r * width + c] - mean;
			}
			fft.forward(padded, spec);
			for (int i = 0; i < target.size; i++) {
				lambda[i] += factor * (spec[2 * i] * spec[2 * i] + spec[2 * i + 1] * spec[2 * i + 1]);
			}
		}
		double max = 0;
		for (final double l : lambda) max = Math.max(max, l);
		if (!(max > 0)) {
			throw new IllegalArgumentException("The exemplar is constant, so its spectrum is zero and defines no texture; select a textured region.");
		}
		return new GaussianPrior(mean, new Spectrum(target, lambda));
	}
}
