package org.spectralposterior.core.posterior;

import java.util.SplittableRandom;

import org.spectralposterior.core.Progress;

/**
 * The exact posterior of one linear-Gaussian problem x ~ N(m, Σ), v = A x + σ n (MATH §4), whatever the
 * operator: what every front-end needs of it — the mean, exact samples, the per-pixel variance — behind
 * one interface, so that a caller does not dispatch on the kind of operator. Each operator's own
 * algorithm stays in its class: the Wiener filter per frequency (convolution, {@link ExactPosterior}),
 * kriging per aliasing group (super-resolution, {@link SuperResolutionPosterior}), conjugate gradients
 * in the pixel domain (inpainting, {@link InpaintingPosterior}). Build one with {@link Problem#posterior}.
 */
public interface Posterior {

	/** E[x | v] in pixels ({@code measurement}: the measurement's pixels, on its own grid). */
	double[] mean(double[] measurement, Progress progress);

	/**
	 * Exact samples of x given v. {@code planeRng}: the generator of the plane; the draws take splits of
	 * it (one per stream they need), so two posteriors drawn from one generator never share a stream.
	 */
	Draws draws(double[] measurement, SplittableRandom planeRng, Progress progress);

	/**
	 * Var[x_i | v] per pixel. Throws IllegalArgumentException naming the limit (and the fix) when it is too
	 * costly to compute exactly (a very large inpainting hole).
	 */
	double[] pixelVariance(Progress progress);

	/**
	 * The posterior as a law per Fourier frequency (mean operator and variances), when it is diagonal in
	 * Fourier — a convolution — and null otherwise: the spectral W2 machinery needs it.
	 */
	default OutputLaw spectralLaw() {
		return null;
	}

	/** A stream of exact posterior samples. */
	interface Draws {
		/** The next sample into {@code pixels}. */
		void next(double[] pixels);
	}
}
