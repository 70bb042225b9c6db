package org.spectralposterior.core.diffusion;

/**
 * Weights per step and per frequency band (issue 11): {@code weights[j][b]} is step j's weight
 * (execution order, noisiest first) at the frequencies of band b of B = {@code weights[0].length}
 * bands cut {@code by} radius or eigenvalue ({@link FrequencyBands}). The bands themselves are
 * resolved on the sampler's plane and prior, so one set of weights serves every plane of a stack.
 */
public record BandWeights(FrequencyBands.By by, double[][] weights) {

	public BandWeights {
		if (by == null) throw new IllegalArgumentException("band weights need band_by (frequency or eigenvalue)");
		if (weights.length == 0) throw new IllegalArgumentException("band weights need at least one step");
		final int b = weights[0].length;
		FrequencyBands.checkCount(b);
		for (int j = 0; j < weights.length; j++) {
			if (weights[j].length != b) throw new IllegalArgumentException("Step " + (j + 1) + " has " + weights[j].length + " band weights but step 1 has " + b + "; give the same bands at every step.");
			for (int i = 0; i < b; i++) {
				final double w = weights[j][i];
				if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("Weight of step " + (j + 1) + ", band " + (i + 1) + " is " + w + "; weights must be finite and ≥ 0.");
			}
		}
		weights = copy(weights);
	}

	/** From a step-major flat array (index j·B + b), as the tuner returns them. */
	public static BandWeights ofFlat(final FrequencyBands.By by, final int bands, final double[] flat) {
		if (flat.length % bands != 0) throw new IllegalArgumentException(flat.length + " weights are not a whole number of steps × " + bands + " bands");
		final double[][] w = new double[flat.length / bands][bands];
		for (int j = 0; j < w.length; j++) System.arraycopy(flat, j * bands, w[j], 0, bands);
		return new BandWeights(by, w);
	}

	public int steps() {
		return weights.length;
	}

	public int bands() {
		return weights[0].length;
	}

	@Override
	public double[][] weights() {
		return copy(weights);
	}

	/** Step-major flat copy (index j·B + b). */
	public double[] flat() {
		final int b = bands();
		final double[] out = new double[weights.length * b];
		for (int j = 0; j < weights.length; j++) System.arraycopy(weights[j], 0, out, j * b, b);
		return out;
	}

	private static double[][] copy(final double[][] w) {
		final double[][] c = new double[w.length][];
		for (int j = 0; j < w.length; j++) c[j] = w[j].clone();
		return c;
	}
}
