package org.spectralposterior.core;

import java.util.SplittableRandom;

/**
 * Where every random field of a run comes from. A run has one {@code seed}; everything random in it
 * is drawn from generators obtained from {@code new SplittableRandom(seed)} by {@link
 * SplittableRandom#split()} in a fixed order, never from seeds computed from the seed:
 * <ul>
 * <li>plane i of a hyperstack (0-based, ImageJ's channel–slice–frame order) owns the (i+1)-th split
 * of the root ({@link #plane});</li>
 * <li>inside a plane, each consumer takes its own split of the plane's generator in the order the
 * run uses them (sample 1, sample 2, …; the innovation field before the measurement noise);</li>
 * <li>inside a step-by-step sample, every field (x_T, then one per step) is drawn by {@code
 * HermitianNoise.fillParallel}, whose rows are further splits.</li>
 * </ul>
 * So a plane's results depend on the seed and the plane's index only (not on the number of samples
 * of other planes, nor on the thread count), and distinct fields are statistically independent.
 * <p>
 * Why not {@code seed + i·0x9E3779B97F4A7C15L}: that constant is SplittableRandom's own increment,
 * so the generator seeded that way is the stream of {@code seed} shifted by i draws. The noise of
 * slice 2 was the noise of slice 1 moved by one pixel, and neighbouring rows of a spectrum were
 * one draw apart: right marginals, badly wrong joint law.
 */
public final class RandomStreams {

	private RandomStreams() {}

	/** The generator of plane {@code index} (0-based) of a run seeded with {@code seed}. */
	public static SplittableRandom plane(final long seed, final int index) {
		if (index < 0) throw new IllegalArgumentException("plane index " + index + " < 0");
		final SplittableRandom root = new SplittableRandom(seed);
		SplittableRandom s = root.split();
		for (int i = 0; i < index; i++) s = root.split();
		return s;
	}
}
