package org.spectralposterior.core.diffusion;

import java.util.Locale;

/**
 * The zero-shot samplers, each one affine step x_s = φ x̂0 + ψ x_t + ν z + 𝒦_t (v − A x̂0) per
 * frequency with gain κ_t,k conj(h_k) (MATH §7.1–7.2, §0.5). {@link #heuristicWeight} gives each
 * method's published default w_t, the baseline that tuning is compared against.
 */
public enum Method {
	/** Unconditional generation from the prior (κ = 0). */
	UNCONDITIONAL("unconditional", "Unconditional (prior)"),
	/** DPS, linear form: w_t J_tᵀ Aᵀ r, κ = w g (MATH §7.2). Heuristic w ≡ 1. */
	DPS("dps", "DPS"),
	/** DPS as published: w_t = ζ'/‖v − A x̂0‖ (nonlinear, MATH §7.3). Heuristic ζ' = 0.3 in [−1, 1] units. */
	DPS_NORMALIZED("dps-normalized", "DPS (residual-normalised)"),
	/** ΠGDM, noisy form r_t² = 1 − ᾱ_t: κ = w g /((1 − ᾱ_t)ρ + σ²). Heuristic: the natural weight φ(1 − ᾱ_t)/sqrt(ᾱ_t). */
	PIGDM("pigdm", "PiGDM"),
	/** CGDM: the exact conditional score, C_{v|t} = A Γ_t Aᵀ + σ² I: κ = φ Γ/(Γ ρ + σ²) (the oracle of MATH §7.2). */
	CGDM("cgdm", "CGDM (exact conditional score)"),
	/** DDNM, paper form: x̃0 = x̂0 + w A†r, κ = φ w/ρ for ρ above the pseudo-inverse threshold. Heuristic w ≡ 1. */
	DDNM("ddnm", "DDNM"),
	/** SDEdit: start at t0 from sqrt(ᾱ_t0)·(Wiener estimate) + noise, then unconditional steps (MATH §0.5). */
	SDEDIT("sdedit", "SDEdit"),
	/** ScoreALD: likelihood gradient on x_t itself, annealed step ζ_t (MATH §0.5; form [R], see {@link DiffusionSampler}). */
	SCORE_ALD("scoreald", "ScoreALD"),
	/**
	 * DDRM (MATH §7.5, checked against the authors' {@code efficient_generalized_steps}): in the
	 * spectral (here Fourier) coordinates of A, per frequency one of three updates by how the step's
	 * noise level compares with the measurement's, η = 0.85 and η_b = 1 as published (η = eta with
	 * base_step = ddim). No per-step weights.
	 */
	DDRM("ddrm", "DDRM");

	public final String key;
	public final String label;

	Method(final String key, final String label) {
		this.key = key;
		this.label = label;
	}

	public static Method parse(final String s) {
		final String k = s.trim().toLowerCase(Locale.ROOT);
		for (final Method m : values()) if (m.key.equals(k) || m.label.toLowerCase(Locale.ROOT).equals(k)) return m;
		throw new IllegalArgumentException("Unknown method '" + s + "'. Methods: " + String.join(", ", java.util.Arrays.stream(values()).map(m -> m.key).toList()) + ".");
	}

	/** Whether the method has per-step weights at all. */
	public boolean weighted() {
		return this != UNCONDITIONAL && this != SDEDIT && this != DDRM;
	}

	/** Whether the closed-form law is exact (all but the residual-normalised DPS, which is linearised). */
	public boolean linear() {
		return this != DPS_NORMALIZED;
	}
}
