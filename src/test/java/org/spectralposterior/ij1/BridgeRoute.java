package org.spectralposterior.ij1;

/** Test access to the plain-ImageJ route: what {@code run(label, options)} in an ImageJ 1.x macro executes. */
public final class BridgeRoute {

	private BridgeRoute() {}

	/** The message that would abort the macro, or null on success (see SpectralPosteriorPlugin). */
	public static String run(final String label, final String options) {
		return SciJavaBridge.run(label, options);
	}
}
