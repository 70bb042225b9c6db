package org.spectralposterior.core.diffusion;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.fourier.Spectrum;

/**
 * Sensitivity of the reverse dynamics, exact under a Gaussian prior (MATH §0.5, the poster's
 * analysis without finite differences or power iterations). With ℓ_{t,k} = ᾱ_t λ_k + 1 − ᾱ_t:
 * <ul>
 * <li>score Jacobian ∂s/∂x_t = −Σ_t⁻¹, eigenvalues −1/ℓ_{t,k};</li>
 * <li>one deterministic reverse step f_t(x) = (x + (1 − α_t) s(x))/sqrt(α_t), α_t = ᾱ_t/ᾱ_{t−1},
 * eigenvalues (1 − β_t/ℓ_{t,k})/sqrt(α_t).</li>
 * </ul>
 * Both are circulant, so the response to a one-pixel perturbation is the same at every pixel: the
 * inverse DFT of the multipliers (a "Green's function").
 */
public final class ReverseDynamics {

	private ReverseDynamics() {}

	/** Eigenvalues −1/ℓ_{t,k} of the score Jacobian at time t (half plane). */
	public static double[] scoreJacobian(final Spectrum lambda, final Schedule schedule, final int t) {
		final double ab = schedule.alphaBar(t);
		final double[] l = lambda.values(), out = new double[l.length];
		for (int k = 0; k < l.length; k++) out[k] = -1 / (ab * l[k] + 1 - ab);
		return out;
	}

	/** Eigenvalues of the Jacobian of one deterministic reverse step t → t−1 (half plane). */
	public static double[] stepJacobian(final Spectrum lambda, final Schedule schedule, final int t) {
		final double ab = schedule.alphaBar(t), alpha = ab / schedule.alphaBar(t - 1), beta = 1 - alpha;
		final double[] l = lambda.values(), out = new double[l.length];
		for (int k = 0; k < l.length; k++) out[k] = (1 - beta / (ab * l[k] + 1 - ab)) / Math.sqrt(alpha);
		return out;
	}

	/** max_k |m_k|: the spectral radius (= operator norm, the Jacobian being symmetric). */
	public static double spectralRadius(final double[] multipliers) {
		double m = 0;
		for (final double v : multipliers) m = Math.max(m, Math.abs(v));
		return m;
	}

	/**
	 * Response to a unit impulse at pixel (0,0), fftshifted so the impulse sits at (W/2, H/2):
	 * F⁻¹(m ⊙ F δ) with F δ = 1/sqrt(d) at every frequency (unitary DFT).
	 */
	public static double[] impulseResponse(final HalfPlane plane, final double[] multipliers) {
		final RealFft2 fft = new RealFft2(plane);
		final double[] spec = fft.newSpectrum();
		final double s = 1 / Math.sqrt(plane.pixels);
		for (int k = 0; k < plane.size; k++) spec[2 * k] = multipliers[k] * s;
		final double[] px = new double[plane.pixels];
		fft.inverse(spec, px);
		final double[] shifted = new double[px.length];
		final int h = plane.height, w = plane.width;
		for (int r = 0; r < h; r++) {
			for (int c = 0; c < w; c++) shifted[((r + h / 2) % h) * w + (c + w / 2) % w] = px[r * w + c];
		}
		return shifted;
	}

	/**
	 * Fraction of the energy Σ g(n)² of a centred (fftshifted) response that lies within Euclidean
	 * distance r of the centre.
	 */
	public static double enclosedEnergy(final HalfPlane plane, final double[] centred, final double r) {
		final int h = plane.height, w = plane.width;
		double in = 0, all = 0;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final double e = centred[y * w + x] * centred[y * w + x];
				all += e;
				final double dy = y - h / 2, dx = x - w / 2;
				if (dx * dx + dy * dy <= r * r) in += e;
			}
		}
		return all > 0 ? in / all : 0;
	}
}
