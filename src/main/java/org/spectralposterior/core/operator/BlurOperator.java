package org.spectralposterior.core.operator;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;

/**
 * A circulant degradation operator A = F* diag(h) F: circular convolution with a kernel whose centre
 * sits at pixel (0,0) with wrap-around (MATH §1.1). h is the <em>unnormalised</em> DFT of that
 * kernel, so a kernel summing to 1 has h_0 = 1; ρ_k = |h_k|².
 * <p>
 * Simulation ({@link #apply}) and every posterior formula use this same operator: the degradation
 * model is exactly the one the posterior assumes, including the wrap-around at the borders.
 * {@link #applyAdjoint} multiplies by conj(h): for an asymmetric kernel (motion blur, an arbitrary
 * PSF) h is complex and confusing h with conj(h) mirrors the blur.
 */
public final class BlurOperator {

	private final HalfPlane plane;
	private final OperatorSpec spec;
	private final double[] kernel;
	private final double[] h;
	private final double[] rho;

	private BlurOperator(final HalfPlane plane, final OperatorSpec spec, final double[] kernel) {
		this.plane = plane;
		this.spec = spec;
		this.kernel = kernel;
		final RealFft2 fft = new RealFft2(plane);
		h = fft.newSpectrum();
		fft.forward(kernel, h);
		final double s = Math.sqrt(plane.pixels);
		rho = new double[plane.size];
		for (int i = 0; i < plane.size; i++) {
			h[2 * i] *= s;
			h[2 * i + 1] *= s;
			rho[i] = h[2 * i] * h[2 * i] + h[2 * i + 1] * h[2 * i + 1];
		}
	}

	/**
	 * An operator given directly by its transfer function h on the half plane (complex, interleaved),
	 * for analyses on synthetic spectra; its kernel is the inverse transform of h.
	 */
	public static BlurOperator ofTransfer(final HalfPlane plane, final double[] transfer) {
		if (transfer.length != 2 * plane.size) throw new IllegalArgumentException("The transfer function must have " + 2 * plane.size + " values");
		final RealFft2 fft = new RealFft2(plane);
		final double[] kernel = new double[plane.pixels];
		final double[] unitary = transfer.clone();
		final double s = 1 / Math.sqrt(plane.pixels);
		for (int i = 0; i < unitary.length; i++) unitary[i] *= s;
		fft.inverse(unitary, kernel);
		return new BlurOperator(plane, null, kernel);
	}

	/** Builds the operator described by {@code spec} on an H×W grid. */
	public static BlurOperator of(final OperatorSpec spec, final int height, final int width) {
		// A PSF per channel is C operators: taking channel 1's for all would be silently wrong.
		if (spec.perChannel()) throw new IllegalArgumentException("The operator has one PSF per channel (" + spec.describe() + "); this needs one PSF for all channels, or run Posterior Sampling, which handles a PSF per channel.");
		final HalfPlane plane = new HalfPlane(height, width);
		return new BlurOperator(plane, spec, Kernels.wrapped(spec, height, width));
	}

	public HalfPlane plane() {
		return plane;
	}

	public OperatorSpec spec() {
		return spec;
	}

	/** The transfer function h on the half plane (complex, interleaved); read-only. */
	public double[] transfer() {
		return h;
	}

	/** ρ_k = |h_k|² on the half plane; read-only. */
	public double[] rho() {
		return rho;
	}

	/** The kernel on the full grid, centre at (0,0), wrapped around; read-only. */
	public double[] wrappedKernel() {
		return kernel;
	}

	/** A x (circular convolution); {@code x} is not modified. */
	public double[] apply(final double[] x) {
		return multiply(x, false);
	}

	/** Aᵀ y = F⁻¹(conj(h) ⊙ F y). */
	public double[] applyAdjoint(final double[] y) {
		return multiply(y, true);
	}

	private double[] multiply(final double[] x, final boolean conjugate) {
		final RealFft2 fft = new RealFft2(plane);
		final double[] s = fft.newSpectrum();
		fft.forward(x, s);
		final double sign = conjugate ? -1 : 1;
		for (int i = 0; i < plane.size; i++) {
			final double re = s[2 * i], im = s[2 * i + 1];
			final double hr = h[2 * i], hi = sign * h[2 * i + 1];
			s[2 * i] = re * hr - im * hi;
			s[2 * i + 1] = re * hi + im * hr;
		}
		final double[] out = new double[plane.pixels];
		fft.inverse(s, out);
		return out;
	}
}
