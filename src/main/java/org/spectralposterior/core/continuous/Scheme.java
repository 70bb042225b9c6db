package org.spectralposterior.core.continuous;

import java.util.Locale;

/**
 * The discretisations of the backward SDE / probability-flow ODE of MATH §11, each a variance recurrence per
 * eigenvalue. {@link #PG_DDPM} is Pierret–Galerne's "DDPM" (Ho's ancestral step with the continuous β and Σ_{T−t});
 * it is not the discrete-ᾱ DDPM of the rest of the plugin, hence its own name.
 */
public enum Scheme {
	EM("em", "Euler–Maruyama (SDE)", 1, false),
	EI("ei", "exponential integrator (SDE)", 1, false),
	PG_DDPM("pg-ddpm", "DDPM (continuous β, Pierret–Galerne)", 1, false),
	EULER("euler", "Euler (ODE)", 1, true),
	HEUN("heun", "Heun (ODE)", 2, true),
	RK4("rk4", "RK4 (ODE)", 4, true);

	public final String key, label;
	/** Score evaluations per step: what an NFE budget pays for. */
	public final int evaluations;
	public final boolean ode;

	Scheme(final String key, final String label, final int evaluations, final boolean ode) {
		this.key = key;
		this.label = label;
		this.evaluations = evaluations;
		this.ode = ode;
	}

	public static Scheme parse(final String s) {
		final String k = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
		for (final Scheme m : values()) if (m.key.equals(k)) return m;
		if (k.equals("ddpm")) throw new IllegalArgumentException("Scheme 'ddpm' is ambiguous here: write pg-ddpm for Pierret–Galerne's continuous-β DDPM (the discrete DDPM is in Compare Samplers).");
		throw new IllegalArgumentException("Unknown scheme '" + s.trim() + "'; give a comma list of em, ei, pg-ddpm, euler, heun, rk4.");
	}
}
