package org.spectralposterior.core.fourier;

import java.util.SplittableRandom;

/**
 * Draws the unitary spectrum F w of a real white-noise image w ~ N(0, I) directly on the half
 * plane: circular complex entries with E|Z|² = 1 (real and imaginary parts of variance 1/2), real
 * N(0,1) entries at self-conjugate frequencies, and — inside columns 0 and W/2, where both k and −k
 * are stored — one draw per conjugate pair (MATH §1.2: never independent draws for k and −k).
 * The law is exactly that of F w; it saves the forward FFT.
 */
public final class HermitianNoise {

	private static final double HALF = Math.sqrt(0.5);

	private HermitianNoise() {}

	/** Fills {@code spectrum} (2·size doubles) with a fresh draw. */
	public static void fill(final HalfPlane plane, final SplittableRandom rng, final double[] spectrum) {
		final int h = plane.height, cols = plane.cols, w = plane.width;
		for (int r = 0; r < h; r++) {
			final int base = 2 * r * cols;
			for (int c = 1; c < cols; c++) {
				spectrum[base + 2 * c] = HALF * rng.nextGaussian();
				spectrum[base + 2 * c + 1] = HALF * rng.nextGaussian();
			}
		}
		pairColumn(plane, rng, spectrum, 0);
		if (w % 2 == 0 && cols > 1) pairColumn(plane, rng, spectrum, cols - 1);
	}

	/**
	 * The same law, drawn in parallel. Row r of the unpaired columns draws from the r-th
	 * {@link SplittableRandom#split() split} of {@code rng} and the paired columns 0 and W/2 from one
	 * further split, all taken in this fixed order before any row is drawn, so the result depends on
	 * {@code rng}'s state only, not on how rows are spread over threads.
	 * <p>
	 * Why split() and not seeds derived from one number: {@code new SplittableRandom(s + i·γ)} with γ
	 * = 0x9E3779B97F4A7C15 (SplittableRandom's own increment) is the stream of seed s shifted by i
	 * draws, so neighbouring rows were the same numbers moved by one place — every frequency had the
	 * right marginal law, but rows r and r+1 were perfectly correlated (diagonal streaks in the pixel
	 * domain). split() gives each child its own seed and its own increment.
	 */
	public static void fillParallel(final HalfPlane plane, final SplittableRandom rng, final double[] spectrum) {
		final int h = plane.height, cols = plane.cols, w = plane.width;
		final SplittableRandom[] rows = new SplittableRandom[h];
		for (int r = 0; r < h; r++) rows[r] = rng.split();
		final SplittableRandom paired = rng.split();
		java.util.stream.IntStream.range(0, h).parallel().forEach(r -> {
			final SplittableRandom rr = rows[r];
			final int base = 2 * r * cols;
			for (int c = 1; c < cols; c++) {
				spectrum[base + 2 * c] = HALF * rr.nextGaussian();
				spectrum[base + 2 * c + 1] = HALF * rr.nextGaussian();
			}
		});
		pairColumn(plane, paired, spectrum, 0);
		if (w % 2 == 0 && cols > 1) pairColumn(plane, paired, spectrum, cols - 1);
	}

	private static void pairColumn(final HalfPlane plane, final SplittableRandom rng, final double[] s, final int c) {
		final int h = plane.height, cols = plane.cols;
		for (int r = 0; r <= h / 2; r++) {
			final int i = 2 * (r * cols + c);
			final int partner = (h - r) % h;
			if (partner == r) {
				s[i] = rng.nextGaussian();
				s[i + 1] = 0;
			}
			else {
				final double re = HALF * rng.nextGaussian(), im = HALF * rng.nextGaussian();
				s[i] = re;
				s[i + 1] = im;
				final int j = 2 * (partner * cols + c);
				s[j] = re;
				s[j + 1] = -im;
			}
		}
	}
}
