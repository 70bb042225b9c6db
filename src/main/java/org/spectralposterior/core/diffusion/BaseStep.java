package org.spectralposterior.core.diffusion;

import java.util.Locale;

/**
 * The unconditional step t → s in "(φ, ψ, ν)" form, x_s = φ x̂0(x_t) + ψ x_t + ν z (MATH §6.1).
 * DDIM(η = 1) coincides with DDPM with the β̃ variance.
 */
public enum BaseStep {
	/** Ho's ancestral step with ν² = β̃ = β(1 − ᾱ_s)/(1 − ᾱ_t). */
	DDPM("ddpm"),
	/** Ho's ancestral step with ν² = β ("large" variance). */
	DDPM_LARGE("ddpm-large"),
	/** Generalised DDIM(η). */
	DDIM("ddim");

	public final String key;

	BaseStep(final String key) {
		this.key = key;
	}

	public static BaseStep parse(final String s) {
		for (final BaseStep b : values()) if (b.key.equalsIgnoreCase(s.trim())) return b;
		throw new IllegalArgumentException("Unknown base step '" + s + "': use ddpm, ddpm-large or ddim");
	}

	/** Fills {φ, ψ, ν} for the step from ᾱ_t to ᾱ_s (ᾱ_s = 1 at the last step: output x̂0). */
	public void coefficients(final double abT, final double abS, final double eta, final double[] out) {
		if (abS >= 1) {
			out[0] = 1;
			out[1] = 0;
			out[2] = 0;
			return;
		}
		switch (this) {
			case DDIM -> {
				final double c1 = eta * Math.sqrt((1 - abS) / (1 - abT)) * Math.sqrt(1 - abT / abS);
				final double c2 = Math.sqrt(Math.max(0, 1 - abS - c1 * c1));
				out[0] = Math.sqrt(abS) - c2 * Math.sqrt(abT) / Math.sqrt(1 - abT);
				out[1] = c2 / Math.sqrt(1 - abT);
				out[2] = c1;
			}
			case DDPM, DDPM_LARGE -> {
				final double alpha = abT / abS, beta = 1 - alpha;
				out[0] = Math.sqrt(abS) * beta / (1 - abT);
				out[1] = Math.sqrt(alpha) * (1 - abS) / (1 - abT);
				out[2] = Math.sqrt(this == DDPM ? beta * (1 - abS) / (1 - abT) : beta);
			}
		}
	}

	/**
	 * The η at which DDIM's c₂² = 1 − ᾱ_s − c₁² reaches 0 for the step ᾱ_t → ᾱ_s (+∞ for the last step):
	 * c₁² = η²(1 − ᾱ_s)(1 − ᾱ_t/ᾱ_s)/(1 − ᾱ_t), so η* = sqrt((1 − ᾱ_s)/K) with K that factor. η* > 1, but only
	 * by 4·10⁻⁸ on a cosine schedule's first step (ᾱ_T ≈ 2·10⁻⁹): finite differences in η must stay below it.
	 */
	public static double etaLimit(final double abT, final double abS) {
		if (abS >= 1) return Double.POSITIVE_INFINITY;
		final double k = (1 - abS) / (1 - abT) * (1 - abT / abS);
		return k > 0 ? Math.sqrt((1 - abS) / k) : Double.POSITIVE_INFINITY;
	}

	public static void checkEta(final double eta) {
		if (!(eta >= 0 && eta <= 1)) throw new IllegalArgumentException(String.format(Locale.ROOT, "eta must lie in [0, 1], got %g.", eta));
	}
}
