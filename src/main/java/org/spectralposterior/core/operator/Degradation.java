package org.spectralposterior.core.operator;

import java.util.SplittableRandom;

/**
 * Simulates v = A x + σ n, n ~ N(0, I) drawn in pixel space from a seeded {@link SplittableRandom}
 * (MATH §3): exactly the model that the posterior assumes.
 */
public final class Degradation {

	private Degradation() {}

	public static void checkNoise(final double sigma) {
		if (!(sigma >= 0) || Double.isInfinite(sigma)) {
			throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0 (in the image's intensity units), got " + sigma);
		}
	}

	/** v = A x + σ n with n drawn from {@code rng} (one generator per plane: see {@code RandomStreams}). */
	public static double[] simulate(final double[] clean, final BlurOperator op, final double sigma, final SplittableRandom rng) {
		checkNoise(sigma);
		for (final double v : clean) {
			if (!Double.isFinite(v)) throw new IllegalArgumentException("The clean image contains NaN or infinite pixels; replace them first (in ImageJ, e.g. by Remove NaNs).");
		}
		final double[] v = op.apply(clean);
		if (sigma > 0) {
			for (int i = 0; i < v.length; i++) v[i] += sigma * rng.nextGaussian();
		}
		return v;
	}
}
