package org.spectralposterior.core.prior;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.Spectrum;

/**
 * Eigen-channels of a {@link ColourPrior}: at each frequency Σ(k) = U(k) diag(λ(k)) U(k)*, and the
 * rotated spectra Y(k) = U(k)* X(k) have independent components with variances λ_e(k).
 * <p>
 * Why this is the whole colour engine for a convolution shared by the channels: the operator is
 * h(k)·I at every frequency and white noise is σ²I, both unchanged by a unitary U(k). So the exact
 * posterior, and every diffusion sampler run with the exact score (whose per-step map is a function of
 * Σ(k), h(k) and scalars), is in the rotated coordinates C independent grey problems with spectra
 * λ_e, the same h and the same σ — exactly, not as an approximation. Laws, W2 (the Bures distance is
 * unitarily invariant per frequency) and E_v W2 are sums over e.
 * <p>
 * Each Y_e is again the spectrum of a real image: {@link ColourPrior} takes U(−k) = conj(U(k)) for
 * the two stored members of a column pair and a real U at self-conjugate frequencies, so
 * Y_e(−k) = conj(Y_e(k)). The eigen-channel priors are therefore ordinary {@link GaussianPrior}s with
 * symmetric spectra λ_e and constant means (U(0) is real).
 */
public final class ColourBasis {

	private final ColourPrior prior;
	private final HalfPlane plane;
	private final int n;
	private final double[] lambda, u;
	/** The DC block's eigenvalues and (real, complex-interleaved) eigenvectors, or null: Σ(0)'s own. */
	private final double[] dcLambda, dcU;

	ColourBasis(final ColourPrior prior, final double[] lambda, final double[] u) {
		this(prior, lambda, u, null, null);
	}

	private ColourBasis(final ColourPrior prior, final double[] lambda, final double[] u, final double[] dcLambda, final double[] dcU) {
		this.prior = prior;
		this.plane = prior.plane();
		this.n = prior.channels();
		this.lambda = lambda;
		this.u = u;
		this.dcLambda = dcLambda;
		this.dcU = dcU;
	}

	/**
	 * This basis with the DC block replaced by M = V diag(values) Vᵀ ({@code vectors}: C×C, row-major,
	 * complex-interleaved with zero imaginary parts; column e is eigenvector e). Colour inpainting
	 * conditions on such an adjusted DC block (see ColourInpaintingPosterior), and its samplers run in
	 * the eigen-channels of the adjusted prior. The other frequencies share this basis's arrays.
	 */
	public ColourBasis withDcBlock(final double[] values, final double[] vectors) {
		if (values.length != n || vectors.length != 2 * n * n) throw new IllegalArgumentException("expected " + n + " DC eigenvalues and a " + n + "×" + n + " complex eigenvector matrix");
		for (int i = 0; i < n * n; i++) {
			if (vectors[2 * i + 1] != 0) throw new IllegalArgumentException("the DC block's eigenvectors must be real (a real image's DC spectrum is real)");
		}
		final double[] l = new double[n];
		for (int e = 0; e < n; e++) l[e] = Math.max(0, values[e]);
		return new ColourBasis(prior, lambda, u, l, vectors.clone());
	}

	public int channels() {
		return n;
	}

	public HalfPlane plane() {
		return plane;
	}

	/** λ_e(k), read from the shared array. */
	public double eigenvalue(final int k, final int e) {
		return k == 0 && dcLambda != null ? dcLambda[e] : lambda[k * n + e];
	}

	/** The array holding U(k), read from {@link #offset}(k): entry (c, e) at 2(c·C + e), real then imaginary part. */
	private double[] vectors(final int k) {
		return k == 0 && dcU != null ? dcU : u;
	}

	private int offset(final int k) {
		return k == 0 && dcU != null ? 0 : k * 2 * n * n;
	}

	/** The grey prior of eigen-channel e: spectrum λ_e, mean (U(0)ᵀ m)_e. */
	public GaussianPrior eigenPrior(final int e) {
		final double[] l = new double[plane.size];
		for (int k = 0; k < plane.size; k++) l[k] = eigenvalue(k, e);
		final double[] u0 = vectors(0);
		double m = 0;
		for (int c = 0; c < n; c++) m += u0[2 * (c * n + e)] * prior.mean(c);
		return new GaussianPrior(m, new Spectrum(plane, l));
	}

	/** Channel images (C row-major planes) → eigen-channel images: real, by the conjugate pairing. */
	public double[][] toEigenImages(final double[][] channelImages) {
		return rotateImages(channelImages, true);
	}

	public double[][] fromEigenImages(final double[][] eigenImages) {
		return rotateImages(eigenImages, false);
	}

	private double[][] rotateImages(final double[][] in, final boolean toEigen) {
		if (in.length != n) throw new IllegalArgumentException("expected " + n + " channel images, got " + in.length);
		final org.spectralposterior.core.fourier.RealFft2 fft = new org.spectralposterior.core.fourier.RealFft2(plane);
		final double[][] spec = new double[n][], rot = new double[n][];
		for (int c = 0; c < n; c++) {
			spec[c] = fft.newSpectrum();
			rot[c] = fft.newSpectrum();
			fft.forward(in[c], spec[c]);
		}
		rotate(spec, rot, toEigen);
		final double[][] out = new double[n][plane.pixels];
		for (int c = 0; c < n; c++) fft.inverse(rot[c], out[c]);
		return out;
	}

	/** Y_e(k) = Σ_c conj(U_ce(k)) X_c(k), for C complex half-plane spectra (in and out may not alias). */
	public void toEigen(final double[][] channelSpectra, final double[][] eigenSpectra) {
		rotate(channelSpectra, eigenSpectra, true);
	}

	/** X_c(k) = Σ_e U_ce(k) Y_e(k). */
	public void fromEigen(final double[][] eigenSpectra, final double[][] channelSpectra) {
		rotate(eigenSpectra, channelSpectra, false);
	}

	private void rotate(final double[][] in, final double[][] out, final boolean adjoint) {
		if (in.length != n || out.length != n) throw new IllegalArgumentException("expected " + n + " channel spectra");
		if (n == 3) {
			rotate3(in, out, adjoint);
			return;
		}
		for (int k = 0; k < plane.size; k++) {
			final int o = offset(k);
			final double[] u = vectors(k);
			for (int a = 0; a < n; a++) {
				double re = 0, im = 0;
				for (int b = 0; b < n; b++) {
					// adjoint: (U*)_ab = conj(U_ba); forward: U_ab.
					final int idx = adjoint ? o + 2 * (b * n + a) : o + 2 * (a * n + b);
					final double ur = u[idx], ui = adjoint ? -u[idx + 1] : u[idx + 1];
					final double xr = in[b][2 * k], xi = in[b][2 * k + 1];
					re += ur * xr - ui * xi;
					im += ur * xi + ui * xr;
				}
				out[a][2 * k] = re;
				out[a][2 * k + 1] = im;
			}
		}
	}

	/**
	 * {@link #rotate} for C = 3 (RGB) written out: the nine complex products per frequency from locals,
	 * without the index arithmetic and the reloads of the general loop (the rotation is most of a colour
	 * inpainting step's work besides its FFTs). out = U x, or U* x with {@code adjoint}.
	 */
	private void rotate3(final double[][] in, final double[][] out, final boolean adjoint) {
		final double[] i0 = in[0], i1 = in[1], i2 = in[2], o0 = out[0], o1 = out[1], o2 = out[2];
		final double sign = adjoint ? -1 : 1;
		for (int k = 0; k < plane.size; k++) {
			final double[] m = vectors(k);
			final int o = offset(k), re = 2 * k, im = re + 1;
			// A = U or U*, entry (a, b) at A_ab = adjoint ? conj(U_ba) : U_ab.
			final int s01 = adjoint ? 6 : 2, s02 = adjoint ? 12 : 4, s10 = adjoint ? 2 : 6, s12 = adjoint ? 14 : 10, s20 = adjoint ? 4 : 12, s21 = adjoint ? 10 : 14;
			final double a00r = m[o], a00i = sign * m[o + 1], a01r = m[o + s01], a01i = sign * m[o + s01 + 1], a02r = m[o + s02], a02i = sign * m[o + s02 + 1];
			final double a10r = m[o + s10], a10i = sign * m[o + s10 + 1], a11r = m[o + 8], a11i = sign * m[o + 9], a12r = m[o + s12], a12i = sign * m[o + s12 + 1];
			final double a20r = m[o + s20], a20i = sign * m[o + s20 + 1], a21r = m[o + s21], a21i = sign * m[o + s21 + 1], a22r = m[o + 16], a22i = sign * m[o + 17];
			final double x0r = i0[re], x0i = i0[im], x1r = i1[re], x1i = i1[im], x2r = i2[re], x2i = i2[im];
			o0[re] = a00r * x0r - a00i * x0i + a01r * x1r - a01i * x1i + a02r * x2r - a02i * x2i;
			o0[im] = a00r * x0i + a00i * x0r + a01r * x1i + a01i * x1r + a02r * x2i + a02i * x2r;
			o1[re] = a10r * x0r - a10i * x0i + a11r * x1r - a11i * x1i + a12r * x2r - a12i * x2i;
			o1[im] = a10r * x0i + a10i * x0r + a11r * x1i + a11i * x1r + a12r * x2i + a12i * x2r;
			o2[re] = a20r * x0r - a20i * x0i + a21r * x1r - a21i * x1i + a22r * x2r - a22i * x2i;
			o2[im] = a20r * x0i + a20i * x0r + a21r * x1i + a21i * x1r + a22r * x2i + a22i * x2r;
		}
	}

	/**
	 * Per-pixel variance of each channel of a law that is diagonal in the eigen-channels with variances
	 * s2[e][k]: Σ_k Σ_e |U_ce(k)|² s2_e(k) / d (the same at every pixel: the law is stationary).
	 */
	public double[] channelPixelVariance(final double[][] s2) {
		final double[] out = new double[n];
		for (int k = 0; k < plane.size; k++) {
			final int o = offset(k);
			final double[] u = vectors(k);
			final double mult = plane.multiplicity(k);
			for (int c = 0; c < n; c++) {
				double v = 0;
				for (int e = 0; e < n; e++) {
					final double ur = u[o + 2 * (c * n + e)], ui = u[o + 2 * (c * n + e) + 1];
					v += (ur * ur + ui * ui) * s2[e][k];
				}
				out[c] += mult * v;
			}
		}
		for (int c = 0; c < n; c++) out[c] /= plane.pixels;
		return out;
	}
}
