package org.spectralposterior.core.diffusion;

/**
 * One zero-shot sampler run with the exact score (MATH §7). A method says, step by step, what it
 * adds to the base step x_s = φ x̂0 + ψ x_t + ν z: a {@link Guidance} (the gain of MATH §7.1/§7.4,
 * linear in the step's weight) or, for DDRM, the {@link SpectralRule} of MATH §7.5; and how it starts.
 * The operators (convolution, super-resolution, inpainting) apply that description once for every
 * method, so a new sampler is one subclass plus a line in {@link Methods}.
 */
public abstract class Method {

	/** How x_T is drawn. */
	public enum Start {
		/** x_T ~ N(0, I). */
		NOISE,
		/** SDEdit: x_t0 = sqrt(ᾱ_t0)·(posterior mean) + sqrt(1 − ᾱ_t0) z (MATH §0.5) [R]. */
		POSTERIOR_MEAN,
		/** DDRM's start from the measurement in A's spectral coordinates (MATH §7.5). */
		SPECTRAL
	}

	/** DDRM's parameters (MATH §7.5): η for what A sees less noisily than y and for its null space, η_b for the rest. */
	public record SpectralRule(double eta, double etaB) {}

	/** The key used in macros and on the command line. */
	public final String key;
	/** The name shown to users. */
	public final String label;

	protected Method(final String key, final String label) {
		this.key = key;
		this.label = label;
	}

	/** Whether the method has per-step weights (the tunable knob of MATH §10). */
	public boolean tunable() {
		return true;
	}

	/** Whether the closed-form law is exact (false: linearised, the residual-normalised DPS, MATH §7.3). */
	public boolean linear() {
		return true;
	}

	/** The largest sensible weight ({@code +∞} unless the weight is a fraction, as DDNM's projection). */
	public double maxWeight() {
		return Double.POSITIVE_INFINITY;
	}

	/** The published default weight at step j, the baseline tuning is compared against. */
	public abstract double heuristicWeight(StepGrid grid, int j);

	/** The guidance of step j at unit weight for noise σ ({@link Guidance#NONE} for unguided steps). */
	public abstract Guidance guidance(StepGrid grid, int j, double sigma);

	public Start start() {
		return Start.NOISE;
	}

	/** DDRM's rule, or null for the guided methods. */
	public SpectralRule spectralRule(final StepGrid grid) {
		return null;
	}

	/**
	 * Whether the weight is divided, at each step, by the norm of the residual v − A x̂0 (DPS as
	 * published): the law is then only linearised (MATH §7.3).
	 */
	public boolean normalisedByResidual() {
		return false;
	}

	/** Refuses settings the method cannot run with (the message names the fix). */
	public void check(final double sigma) {}

	@Override
	public String toString() {
		return key;
	}
}
