package org.spectralposterior.core.posterior;

import java.util.SplittableRandom;

import org.spectralposterior.core.Progress;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The exact posterior of inpainting, A = S_Ω (keep the pixels of Ω; MATH §3.2, §4.4), by kriging
 * and conditional simulation (Galerne–Leclaire): A is not diagonal in Fourier, but Σ is, so the
 * kriging system (Σ_ΩΩ + σ²I) u = r is solved by conjugate gradients with an FFT matrix–vector
 * product (zero-fill Ω's values, multiply by λ in Fourier, restrict to Ω). Then
 * <pre>
 *   μ_post = μ + Σ S_Ωᵀ (Σ_ΩΩ + σ²I)⁻¹ (v_Ω − μ),
 *   x      = μ_post + x̃ − Σ S_Ωᵀ (Σ_ΩΩ + σ²I)⁻¹ (S_Ω x̃ + σ ñ),   x̃ ~ N(0, Σ), ñ ~ N(0, I_Ω)
 * </pre>
 * is an exact posterior sample (one CG solve per sample). For σ = 0 the system gets a jitter of
 * 1e-10 × the prior's pixel variance, which keeps CG well defined where Σ_ΩΩ is near-singular
 * (smooth priors) and changes the result far below image precision.
 */
public final class InpaintingPosterior {

	/** Relative residual at which CG stops. */
	public static final double TOLERANCE = 1e-10;

	private final GaussianPrior prior, centred;
	private final int[] omega;
	private final int pixels;
	private final double sigma, diagonal;
	private final RealFft2 fft;
	private final double[] lam, spec, full, sigmaFull;
	private final int maxIterations;
	private int lastIterations;
	private double lastResidual;

	/**
	 * @param observed per pixel (row-major, the prior's grid), true where the measurement holds a value
	 */
	public InpaintingPosterior(final GaussianPrior prior, final boolean[] observed, final double sigma) {
		if (observed.length != prior.plane().pixels) throw new IllegalArgumentException("The mask has " + observed.length + " pixels but the prior " + prior.plane().pixels + ".");
		if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + sigma);
		int m = 0;
		for (final boolean b : observed) if (b) m++;
		if (m == 0) throw new IllegalArgumentException("The mask observes no pixel: nothing to condition on (the posterior is the prior; use Synthesize Texture).");
		omega = new int[m];
		for (int i = 0, j = 0; i < observed.length; i++) if (observed[i]) omega[j++] = i;
		this.prior = prior;
		this.centred = new GaussianPrior(0, prior.spectrum());
		this.pixels = prior.plane().pixels;
		this.sigma = sigma;
		this.diagonal = sigma > 0 ? sigma * sigma : 1e-10 * prior.pixelVariance();
		this.fft = new RealFft2(prior.plane());
		this.lam = prior.spectrum().values();
		this.spec = fft.newSpectrum();
		this.full = new double[pixels];
		this.sigmaFull = new double[pixels];
		this.maxIterations = Math.max(100, 10 * m);
	}

	/** Number of observed pixels |Ω|. */
	public int observedCount() {
		return omega.length;
	}

	/** CG iterations of the last solve. */
	public int lastIterations() {
		return lastIterations;
	}

	/** Relative residual reached by the last solve. */
	public double lastResidual() {
		return lastResidual;
	}

	/** out = Σ x on the full grid (x and out may be the same array). */
	private void applyPrior(final double[] x, final double[] out) {
		fft.forward(x, spec);
		for (int k = 0; k < lam.length; k++) {
			spec[2 * k] *= lam[k];
			spec[2 * k + 1] *= lam[k];
		}
		fft.inverse(spec, out);
	}

	/** Σ S_Ωᵀ u into {@link #sigmaFull}. */
	private void spread(final double[] u) {
		java.util.Arrays.fill(full, 0);
		for (int j = 0; j < omega.length; j++) full[omega[j]] = u[j];
		applyPrior(full, sigmaFull);
	}

	/** out = (Σ_ΩΩ + s²I) u. */
	private void applySystem(final double[] u, final double[] out) {
		spread(u);
		for (int j = 0; j < omega.length; j++) out[j] = sigmaFull[omega[j]] + diagonal * u[j];
	}

	/** Solves (Σ_ΩΩ + s²I) u = b by conjugate gradients; cancellable between iterations. */
	double[] solve(final double[] b, final Progress progress) {
		final int m = omega.length;
		final double[] u = new double[m], r = b.clone(), p = b.clone(), ap = new double[m];
		double rr = dot(r, r);
		final double bb = rr;
		lastIterations = 0;
		lastResidual = 0;
		if (bb == 0) return u;
		for (int it = 0; it < maxIterations; it++) {
			if (progress != null) progress.checkCancelled();
			applySystem(p, ap);
			final double alpha = rr / dot(p, ap);
			for (int j = 0; j < m; j++) {
				u[j] += alpha * p[j];
				r[j] -= alpha * ap[j];
			}
			final double rrNew = dot(r, r);
			lastIterations = it + 1;
			lastResidual = Math.sqrt(rrNew / bb);
			if (lastResidual <= TOLERANCE) break;
			final double beta = rrNew / rr;
			for (int j = 0; j < m; j++) p[j] = r[j] + beta * p[j];
			rr = rrNew;
		}
		return u;
	}

	/** The posterior mean given the measurement (full grid; only the pixels of Ω are read). */
	public double[] mean(final double[] v, final Progress progress) {
		final double mu = prior.mean();
		final double[] b = new double[omega.length];
		for (int j = 0; j < omega.length; j++) {
			final double x = v[omega[j]];
			if (!Double.isFinite(x)) throw new IllegalArgumentException("The measurement has a NaN or infinite value at an observed pixel (index " + omega[j] + ").");
			b[j] = x - mu;
		}
		spread(solve(b, progress));
		final double[] out = new double[pixels];
		for (int i = 0; i < pixels; i++) out[i] = mu + sigmaFull[i];
		return out;
	}

	/** One exact posterior sample: {@code mean} (from {@link #mean}) plus a conditional innovation. */
	public void sample(final double[] mean, final GaussianPrior.Sampler centredPrior, final SplittableRandom noise, final double[] out, final Progress progress) {
		centredPrior.next(out);
		final double[] b = new double[omega.length];
		for (int j = 0; j < omega.length; j++) b[j] = out[omega[j]] + (sigma > 0 ? sigma * noise.nextGaussian() : 0);
		spread(solve(b, progress));
		for (int i = 0; i < pixels; i++) out[i] += mean[i] - sigmaFull[i];
	}

	/** A sampler of x̃ ~ N(0, Σ) for {@link #sample}. */
	public GaussianPrior.Sampler innovationSampler(final long seed) {
		return centred.sampler(seed);
	}

	private static double dot(final double[] a, final double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += a[i] * b[i];
		return s;
	}
}
