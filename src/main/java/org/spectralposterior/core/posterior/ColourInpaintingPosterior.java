package org.spectralposterior.core.posterior;

import java.util.SplittableRandom;

import org.spectralposterior.core.Progress;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.HermitianNoise;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.prior.ColourBasis;
import org.spectralposterior.core.prior.ColourPrior;

/**
 * The exact posterior of colour inpainting under a cross-channel prior (MATH §3.2, §4.4 with C×C
 * blocks): the unknown is C channel images x (channel-major, index c·N + p), the measurement keeps the
 * (channel, pixel) entries of Ω with white noise σ, and the prior covariance Σ is block-diagonal in
 * Fourier with the C×C cross-spectra Σ(k) = U(k) diag(λ(k)) U(k)*. No basis makes both diagonal, so,
 * as for grey inpainting ({@link InpaintingPosterior}), the kriging system (Σ_ΩΩ + σ²I) u = r is solved
 * by conjugate gradients whose product applies Σ through the eigen-channels (C FFTs, a C×C rotation
 * per frequency, C inverse FFTs), preconditioned by (Σ + σ²I)⁻¹ applied the same way. Then
 * <pre>
 *   μ_post = m + Σ S_Ωᵀ (Σ_ΩΩ + σ²I)⁻¹ (v_Ω − m_Ω),
 *   x      = μ_post + x̃ − Σ S_Ωᵀ (Σ_ΩΩ + σ²I)⁻¹ (S_Ω x̃ + σ ñ),   x̃ ~ N(0, Σ), ñ ~ N(0, I_Ω),
 * </pre>
 * one CG solve per sample. Ω may differ between channels (a pixel missing in one channel only).
 * <p>
 * [R] As in grey inpainting, a prior that fixes the image mean (Σ(0) singular, as for ADSN and
 * centred-periodogram priors) would force the hole to absorb every deviation of the observed mean; on
 * Σ(0)'s null space Q the DC block gets N times the pixel covariance P instead, Σ(0) + N·QPQ (P =
 * Σ_k mult(k) Re Σ(k)/N) — whatever eigenvectors the solver picks there — so the observed pixels determine
 * the mean ({@link #dcBlockAdded}). The DC term is applied in channel coordinates. Not thread-safe: one instance per thread.
 */
public final class ColourInpaintingPosterior {

	/** Relative residual at which CG stops. */
	public static final double TOLERANCE = 1e-10;
	/**
	 * Largest C·N for the dense exact variance ({@link #pixelVariance}): 3 × 24² unknowns, where the
	 * Cholesky solve with C·N right-hand sides is ~10¹⁰ flops (3 × 32² was 6·10¹⁰, tens of seconds
	 * that Esc cannot interrupt inside EJML).
	 */
	public static final int DENSE_VARIANCE_LIMIT = 3 * 24 * 24;

	private final ColourPrior prior;
	private final ColourBasis basis, conditioned;
	private final boolean[] observed;
	private final HalfPlane plane;
	private final int channels, pixels;
	private final int[] omega;
	private final double sigma, diagonal;
	/** λ_e(k) with the DC adjustment, [e][k]; its square root and 1/(λ + s²), the preconditioner's. */
	private final double[][] lam, sqrtLam, invLam;
	/** What the DC adjustment added to Σ(0) (C×C, row-major); the adjusted DC block M, (M + s²I)⁻¹ and M^{1/2}. */
	private final double[] dcAdded, dcSigma, dcInverse, dcRoot, dcIn;
	private final RealFft2 fft;
	private final double[][] spec, rot, planes;
	/** Scratch (channel-major): the solver reuses these, so one instance serves one thread. */
	private final double[] full, tmp;
	private final Kriging kriging = new Kriging();

	/**
	 * @param observed per channel-major entry (c·N + p), true where the measurement holds a value
	 */
	public ColourInpaintingPosterior(final ColourPrior prior, final boolean[] observed, final double sigma) {
		this.prior = prior;
		this.basis = prior.basis();
		this.plane = prior.plane();
		this.channels = prior.channels();
		this.pixels = plane.pixels;
		if (observed.length != channels * pixels) throw new IllegalArgumentException("The mask has " + observed.length + " entries but the prior " + channels + " × " + pixels + ".");
		omega = Kriging.observedIndices(observed, sigma);
		this.observed = observed.clone();
		this.sigma = sigma;
		lam = new double[channels][plane.size];
		double lMax = 0;
		for (int e = 0; e < channels; e++) {
			for (int k = 0; k < plane.size; k++) {
				lam[e][k] = basis.eigenvalue(k, e);
				lMax = Math.max(lMax, lam[e][k]);
			}
		}
		// The pixel covariance P = (1/N) Σ_k mult(k) Re Σ(k) (C×C), and Σ(0)'s null space Q.
		final int cc = channels * channels;
		final double[] pix = new double[cc], sigma0 = new double[2 * cc];
		for (int k = 0; k < plane.size; k++) for (int c = 0; c < channels; c++) for (int d = 0; d < channels; d++) pix[c * channels + d] += plane.multiplicity(k) * prior.re(k, c, d);
		double pixelVar = 0;
		for (int c = 0; c < channels; c++) pixelVar += pix[c * channels + c] / pixels;
		for (int c = 0; c < channels; c++) for (int d = 0; d < channels; d++) sigma0[2 * (c * channels + d)] = prior.re(0, c, d);
		final org.spectralposterior.core.metric.HermitianEigen eig = new org.spectralposterior.core.metric.HermitianEigen(channels);
		final double[] l0 = new double[channels], v0 = new double[2 * cc];
		eig.decompose(sigma0, 0, l0, 0, v0, 0);
		final double[] q = new double[cc];
		for (int e = 0; e < channels; e++) {
			if (!(l0[e] < 1e-6 * lMax)) continue;
			for (int c = 0; c < channels; c++) for (int d = 0; d < channels; d++) q[c * channels + d] += v0[2 * (c * channels + e)] * v0[2 * (d * channels + e)];
		}
		// [R] Σ(0) + Q (Σ_k mult Re Σ(k)) Q = Σ(0) + N·QPQ: Σ(0)'s null directions get N × the pixel covariance.
		dcAdded = new double[cc];
		final double[] qp = new double[cc];
		for (int c = 0; c < channels; c++) for (int d = 0; d < channels; d++) for (int x = 0; x < channels; x++) qp[c * channels + d] += q[c * channels + x] * pix[x * channels + d];
		for (int c = 0; c < channels; c++) for (int d = 0; d < channels; d++) for (int x = 0; x < channels; x++) dcAdded[c * channels + d] += qp[c * channels + x] * q[x * channels + d];
		final double[] m = new double[2 * cc];
		for (int i = 0; i < cc; i++) m[2 * i] = sigma0[2 * i] + dcAdded[i];
		diagonal = sigma > 0 ? sigma * sigma : 1e-10 * pixelVar / channels;
		// The DC block M and its functions, applied in channel coordinates (DC spectra are real).
		final double[] lm = new double[channels], vm = new double[2 * cc];
		eig.decompose(m, 0, lm, 0, vm, 0);
		dcSigma = new double[cc];
		dcInverse = new double[cc];
		dcRoot = new double[cc];
		for (int e = 0; e < channels; e++) {
			final double le = Math.max(0, lm[e]);
			for (int c = 0; c < channels; c++) {
				for (int d = 0; d < channels; d++) {
					final double uu = vm[2 * (c * channels + e)] * vm[2 * (d * channels + e)];
					dcSigma[c * channels + d] += le * uu;
					dcInverse[c * channels + d] += uu / (le + diagonal);
					dcRoot[c * channels + d] += Math.sqrt(le) * uu;
				}
			}
		}
		conditioned = basis.withDcBlock(lm, vm);
		dcIn = new double[channels];
		sqrtLam = new double[channels][plane.size];
		invLam = new double[channels][plane.size];
		for (int e = 0; e < channels; e++) {
			for (int k = 0; k < plane.size; k++) {
				sqrtLam[e][k] = Math.sqrt(Math.max(0, lam[e][k]));
				invLam[e][k] = 1 / (lam[e][k] + diagonal);
			}
		}
		fft = new RealFft2(plane);
		spec = new double[channels][];
		rot = new double[channels][];
		planes = new double[channels][pixels];
		for (int c = 0; c < channels; c++) {
			spec[c] = fft.newSpectrum();
			rot[c] = fft.newSpectrum();
		}
		full = new double[channels * pixels];
		tmp = new double[channels * pixels];
	}

	/**
	 * The eigen-channels of the prior this posterior conditions on: the prior's, with the DC block
	 * Σ(0) + N·QPQ of the class comment. Diffusion samplers run on it, so that their target is this
	 * posterior.
	 */
	public ColourBasis conditionedBasis() {
		return conditioned;
	}

	/** Per channel-major entry, true where the measurement holds a value (a copy). */
	public boolean[] observedMask() {
		return observed.clone();
	}

	/**
	 * A factor F (C·N × C·N) of the exact posterior covariance, F Fᵀ = Σ_post, for the Bures distance
	 * ({@link org.spectralposterior.core.metric.DenseGaussian#bures}): F = V diag(√λ) from EJML's
	 * eigendecomposition Σ_post = V diag(λ) Vᵀ (negative rounding eigenvalues clamped to 0), because Σ_post is
	 * singular whenever the prior is (colour ADSN: rank one per frequency) and a Cholesky factor would
	 * not exist. Up to {@link #DENSE_VARIANCE_LIMIT} channel-pixels.
	 */
	public org.ejml.data.DMatrixRMaj denseFactor(final Progress progress) {
		final int d = channels * pixels;
		if (d > DENSE_VARIANCE_LIMIT) throw new IllegalArgumentException("the exact colour posterior is dense up to " + DENSE_VARIANCE_LIMIT + " channel-pixels (" + d + " here)");
		final org.ejml.data.DMatrixRMaj post = denseCovariance(progress);
		final org.ejml.data.DMatrixRMaj[] solved = Kriging.denseSolve(post, omega, diagonal);
		final org.ejml.data.DMatrixRMaj cross = new org.ejml.data.DMatrixRMaj(d, d);
		org.ejml.dense.row.CommonOps_DDRM.multTransA(solved[0], solved[1], cross);
		for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) post.data[i * d + j] -= 0.5 * (cross.data[i * d + j] + cross.data[j * d + i]);
		// Measured at the limit (3 × 24²): this eigendecomposition ~7 s and the Bures products after it ~6 s,
		// each uninterruptible inside EJML: Esc is honoured between them.
		if (progress != null) progress.checkCancelled();
		final org.ejml.interfaces.decomposition.EigenDecomposition_F64<org.ejml.data.DMatrixRMaj> eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(d, true, true);
		if (!eig.decompose(post)) throw new ArithmeticException("the eigendecomposition of the colour posterior covariance failed");
		final org.ejml.data.DMatrixRMaj f = new org.ejml.data.DMatrixRMaj(d, d);
		for (int e = 0; e < d; e++) {
			final double root = Math.sqrt(Math.max(0, eig.getEigenvalue(e).real));
			final org.ejml.data.DMatrixRMaj vec = eig.getEigenVector(e);
			for (int i = 0; i < d; i++) f.data[i * d + e] = root * vec.data[i];
		}
		return f;
	}

	/** What the DC adjustment added to Σ(0): C×C, row-major, real (0 where the prior leaves the mean free). */
	public double[] dcBlockAdded() {
		return dcAdded.clone();
	}

	/** CG iterations of the last solve. */
	public int lastIterations() {
		return kriging.lastIterations();
	}

	/** Relative residual reached by the last solve. */
	public double lastResidual() {
		return kriging.lastResidual();
	}

	public int observedCount() {
		return omega.length;
	}

	/** The exact posterior mean (channel-major) for the measurement {@code v} (entries outside Ω ignored). */
	public double[] mean(final double[] v, final Progress progress) {
		if (v.length != channels * pixels) throw new IllegalArgumentException("The measurement has " + v.length + " entries but the prior " + channels + " × " + pixels + ".");
		final double[] r = new double[omega.length];
		for (int i = 0; i < omega.length; i++) {
			final double x = v[omega[i]];
			if (!Double.isFinite(x)) throw new IllegalArgumentException("The measurement has a non-finite value at an observed pixel.");
			r[i] = x - prior.mean(omega[i] / pixels);
		}
		final double[] out = new double[channels * pixels];
		gainTimes(solve(r, progress), out);
		for (int c = 0; c < channels; c++) for (int p = 0; p < pixels; p++) out[c * pixels + p] += prior.mean(c);
		return out;
	}

	/** Exact samples for one measurement: the innovation and the measurement noise each from its own split of {@code rng}. */
	public Draws draws(final double[] v, final SplittableRandom rng, final Progress progress) {
		return new Draws(mean(v, progress), rng.split(), rng.split(), progress);
	}

	public final class Draws {
		private final double[] mean, innovation = new double[channels * pixels], correction = new double[channels * pixels], r = new double[omega.length];
		private final SplittableRandom prior, noise;
		private final Progress progress;
		private final double[][] white = new double[channels][];

		private Draws(final double[] mean, final SplittableRandom prior, final SplittableRandom noise, final Progress progress) {
			this.mean = mean;
			this.prior = prior;
			this.noise = noise;
			this.progress = progress;
			for (int e = 0; e < channels; e++) white[e] = fft.newSpectrum();
		}

		/** The next sample (channel-major) into {@code out}. */
		public void next(final double[] out) {
			// x̃ = U diag(√λ) ξ: eigen-channel white noise scaled and rotated to the channels.
			for (int e = 0; e < channels; e++) {
				HermitianNoise.fill(plane, prior, white[e]);
				// Any C independent N(0, 1) serve the DC term, M^{1/2} w: the DC of each white field.
				dcIn[e] = white[e][0];
				Spectrum.scale(white[e], sqrtLam[e]);
			}
			toChannelImages(white, innovation, dcRoot);
			for (int i = 0; i < omega.length; i++) r[i] = innovation[omega[i]] + sigma * noise.nextGaussian();
			gainTimes(solve(r, progress), correction);
			for (int i = 0; i < out.length; i++) out[i] = mean[i] + innovation[i] - correction[i];
		}
	}

	/**
	 * Var x_i of the posterior per channel-major entry, exactly, by dense algebra: Σ_ii − Σ_iΩ (Σ_ΩΩ +
	 * σ²I)⁻¹ Σ_Ωi. O((C·N)²·|Ω|) work and (C·N)² doubles: refused above {@link #DENSE_VARIANCE_LIMIT}.
	 */
	public double[] pixelVariance(final Progress progress) {
		final int d = channels * pixels;
		if (d > DENSE_VARIANCE_LIMIT) {
			throw new IllegalArgumentException("the exact colour std is computed densely up to " + DENSE_VARIANCE_LIMIT + " channel-pixels (" + d + " here)");
		}
		final org.ejml.data.DMatrixRMaj sig = denseCovariance(progress);
		final int m = omega.length;
		final org.ejml.data.DMatrixRMaj[] solved = Kriging.denseSolve(sig, omega, diagonal);
		final org.ejml.data.DMatrixRMaj b = solved[0], x = solved[1];
		final double[] out = new double[d];
		for (int l = 0; l < d; l++) {
			double q = 0;
			for (int i = 0; i < m; i++) q += b.get(i, l) * x.get(i, l);
			out[l] = Math.max(0, sig.get(l, l) - q);
		}
		return out;
	}

	/** The prior covariance used (DC adjustment included), dense and channel-major, column by column through {@link #applySigma}. */
	org.ejml.data.DMatrixRMaj denseCovariance(final Progress progress) {
		final int d = channels * pixels;
		final org.ejml.data.DMatrixRMaj out = new org.ejml.data.DMatrixRMaj(d, d);
		final double[] e = new double[d], col = new double[d];
		for (int j = 0; j < d; j++) {
			if (progress != null && (j & 63) == 0) progress.checkCancelled();
			e[j] = 1;
			applySigma(e, col, false);
			e[j] = 0;
			for (int i = 0; i < d; i++) out.set(i, j, col[i]);
		}
		return out;
	}

	/** out = Σ in (channel-major), or with {@code inverse} (Σ + s²I)⁻¹ in, through the eigen-channels. */
	private void applySigma(final double[] in, final double[] out, final boolean inverse) {
		for (int c = 0; c < channels; c++) {
			System.arraycopy(in, c * pixels, planes[c], 0, pixels);
			fft.forward(planes[c], spec[c]);
			dcIn[c] = spec[c][0];
		}
		basis.toEigen(spec, rot);
		for (int e = 0; e < channels; e++) Spectrum.scale(rot[e], inverse ? invLam[e] : lam[e]);
		toChannelImages(rot, out, inverse ? dcInverse : dcSigma);
	}

	/** Eigen-channel spectra → channel images, channel-major into {@code out}; the DC term is {@code dc}·dcIn in channel coordinates. */
	private void toChannelImages(final double[][] eigenSpectra, final double[] out, final double[] dc) {
		basis.fromEigen(eigenSpectra, spec);
		for (int c = 0; c < channels; c++) {
			double v = 0;
			for (int d = 0; d < channels; d++) v += dc[c * channels + d] * dcIn[d];
			spec[c][0] = v;
			spec[c][1] = 0;
		}
		for (int c = 0; c < channels; c++) {
			fft.inverse(spec[c], planes[c]);
			System.arraycopy(planes[c], 0, out, c * pixels, pixels);
		}
	}

	/** out = Σ S_Ωᵀ u (the kriging gain applied to a solution on Ω). */
	private void gainTimes(final double[] u, final double[] out) {
		java.util.Arrays.fill(full, 0);
		for (int i = 0; i < omega.length; i++) full[omega[i]] = u[i];
		applySigma(full, out, false);
	}

	/** (Σ_ΩΩ + s²I)⁻¹ r by preconditioned conjugate gradients. */
	private double[] solve(final double[] rhs, final Progress progress) {
		return kriging.solve(this::system, this::precondition, rhs, TOLERANCE, Math.max(100, 10 * omega.length), progress);
	}

	/** out = (Σ_ΩΩ + s²I) in. */
	private void system(final double[] in, final double[] out) {
		java.util.Arrays.fill(full, 0);
		for (int i = 0; i < omega.length; i++) full[omega[i]] = in[i];
		applySigma(full, tmp, false);
		for (int i = 0; i < omega.length; i++) out[i] = tmp[omega[i]] + diagonal * in[i];
	}

	/** out = S_Ω (Σ + s²I)⁻¹ S_Ωᵀ in: exact where Ω is everything. */
	private void precondition(final double[] in, final double[] out) {
		java.util.Arrays.fill(full, 0);
		for (int i = 0; i < omega.length; i++) full[omega[i]] = in[i];
		applySigma(full, tmp, true);
		for (int i = 0; i < omega.length; i++) out[i] = tmp[omega[i]];
	}
}
