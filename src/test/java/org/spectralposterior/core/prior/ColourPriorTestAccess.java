package org.spectralposterior.core.prior;

/** Test fixtures of {@link ColourPriorTest} shared with other packages' tests. */
public final class ColourPriorTestAccess {

	private ColourPriorTestAccess() {}

	/** A 3-channel exemplar with correlated, shifted channels. */
	public static double[][] exemplar(final int h, final int w, final long seed) {
		return ColourPriorTest.exemplar(h, w, seed);
	}
}
