package org.spectralposterior.imagej;

/**
 * Per-entry moments of a run of samples about a reference (the law's exact mean, which keeps the sums
 * small and so the variance free of cancellation): the samples' std and their mean's offset from the
 * reference. Used where no exact std is available, and said so in the table.
 */
final class SampleMoments {

	private final double[] reference, sum, sumSq;
	private int count;

	SampleMoments(final double[] reference) {
		this.reference = reference;
		sum = new double[reference.length];
		sumSq = new double[reference.length];
	}

	void add(final double[] x) {
		for (int i = 0; i < x.length; i++) {
			final double e = x[i] - reference[i];
			sum[i] += e;
			sumSq[i] += e * e;
		}
		count++;
	}

	/** The samples' std per entry (n − 1 in the denominator) times {@code scale} into {@code out}; needs ≥ 2 samples. */
	void std(final double[] out, final double scale) {
		if (count < 2) throw new IllegalStateException("a sample std needs ≥ 2 samples, got " + count);
		for (int i = 0; i < out.length; i++) out[i] = Math.sqrt(Math.max(0, (sumSq[i] - sum[i] * sum[i] / count) / (count - 1))) * scale;
	}

	/** The samples' mean minus the reference, entry i (0 without samples). */
	double meanOffset(final int i) {
		return count == 0 ? 0 : sum[i] / count;
	}
}
