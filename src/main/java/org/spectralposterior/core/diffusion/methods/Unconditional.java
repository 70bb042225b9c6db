package org.spectralposterior.core.diffusion.methods;

/** Generation from the prior: the base step alone (κ = 0). */
public final class Unconditional extends Unguided {

	public Unconditional() {
		super("unconditional", "Unconditional (prior)");
	}
}
