package org.spectralposterior.core.diffusion.methods;

/**
 * SDEdit: start at t0 from sqrt(ᾱ_t0)·x_init(v) + noise, then unconditional steps (MATH §0.5). x_init
 * is the exact posterior mean (the Wiener filter for a blur) [R]; the start time t0 is its knob.
 */
public final class Sdedit extends Unguided {

	public Sdedit() {
		super("sdedit", "SDEdit");
	}

	@Override
	public Start start() {
		return Start.POSTERIOR_MEAN;
	}
}
