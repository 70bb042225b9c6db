package org.spectralposterior.core.posterior;

import java.util.SplittableRandom;

import org.spectralposterior.core.Progress;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.fourier.Spectrum;
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
public final class InpaintingPosterior implements Posterior {

	/** Relative residual at which CG stops. */
	public static final double TOLERANCE = 1e-10;

	private final GaussianPrior prior, centred;
	private final int[] omega;
	private final int pixels;
	private final double sigma, diagonal;
	private final RealFft2 fft;
	private final double[] lam, spec, full, sigmaFull;
	/** 1/(λ + s²): the preconditioner's eigenvalues. */
	private final double[] preconditioner;
	private final int maxIterations;
	private final boolean meanEstimated;
	private final Kriging kriging = new Kriging();

	/**
	 * @param observed per pixel (row-major, the prior's grid), true where the measurement holds a value
	 */
	public InpaintingPosterior(final GaussianPrior prior, final boolean[] observed, final double sigma) {
		if (observed.length != prior.plane().pixels) throw new IllegalArgumentException("The mask has " + observed.length + " pixels but the prior " + prior.plane().pixels + ".");
		omega = Kriging.observedIndices(observed, sigma);
		this.prior = prior;
		this.pixels = prior.plane().pixels;
		// [R] An ADSN or centred-periodogram prior has λ_0 ≈ 0: it fixes the mean of the whole image to
		// the exemplar's. Filling a hole then has to make the image mean come out exactly, so the hole
		// absorbs the observed pixels' whole deviation (hundreds of grey levels for a 0.5-level offset
		// over a large image). For inpainting the image mean is not known: give it the uncertainty of one
		// pixel (λ_0 = d·var), so the observed pixels determine it (≈ ordinary kriging).
		final double[] l = prior.spectrum().values().clone();
		double lMax = 0;
		for (final double x : l) lMax = Math.max(lMax, x);
		meanEstimated = l[0] < 1e-6 * lMax;
		if (meanEstimated) l[0] = pixels * prior.pixelVariance();
		this.lam = l;
		this.centred = new GaussianPrior(0, new Spectrum(prior.plane(), l));
		this.sigma = sigma;
		this.diagonal = sigma > 0 ? sigma * sigma : 1e-10 * prior.pixelVariance();
		this.fft = new RealFft2(prior.plane());
		this.preconditioner = new double[l.length];
		for (int k = 0; k < l.length; k++) preconditioner[k] = 1 / (l[k] + diagonal);
		this.spec = fft.newSpectrum();
		this.full = new double[pixels];
		this.sigmaFull = new double[pixels];
		this.maxIterations = Math.max(100, 10 * omega.length);
	}

	/** Whether the prior fixed the image mean (λ_0 ≈ 0) and it is estimated from the observed pixels instead. */
	public boolean meanEstimated() {
		return meanEstimated;
	}

	/** The prior actually conditioned on (λ_0 raised when the image mean is estimated, see the constructor). */
	public GaussianPrior effectivePrior() {
		return new GaussianPrior(prior.mean(), new Spectrum(prior.plane(), lam));
	}

	/**
	 * The exact posterior covariance, dense (row-major d×d): Σ − Σ_{·Ω}(Σ_ΩΩ + s²I)⁻¹Σ_{Ω·} by a Cholesky
	 * factorisation (EJML). Cost O(d·m² + m³): for images of at most {@code maxPixels} pixels.
	 */
	public double[] denseCovariance(final int maxPixels) {
		final Dense dn = dense(maxPixels);
		final double[] out = new double[pixels * pixels];
		final org.ejml.data.DMatrixRMaj t = new org.ejml.data.DMatrixRMaj(pixels, pixels);
		org.ejml.dense.row.CommonOps_DDRM.multTransA(dn.cross, dn.solved, t);
		for (int i = 0; i < out.length; i++) out[i] = dn.sigma.data[i] - t.data[i];
		return out;
	}

	/** The kriging gain K = Σ_{·Ω}(Σ_ΩΩ + s²I)⁻¹, dense d×m row-major: μ_post(v) = μ + K(v_Ω − μ). */
	public double[] denseGain(final int maxPixels) {
		final Dense dn = dense(maxPixels);
		final int m = omega.length;
		final double[] out = new double[pixels * m];
		// K = crossᵀ (Σ_ΩΩ + s²)⁻¹ = ((Σ_ΩΩ + s²)⁻¹ cross)ᵀ = solvedᵀ
		for (int p = 0; p < pixels; p++) for (int i = 0; i < m; i++) out[p * m + i] = dn.solved.get(i, p);
		return out;
	}

	/** The dense prior covariance's block Σ_ΩΩ (m×m row-major), without the noise. */
	public double[] denseObservedCovariance(final int maxPixels) {
		final Dense dn = dense(maxPixels);
		final int m = omega.length;
		final double[] out = new double[m * m];
		for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) out[i * m + j] = dn.sigma.get(omega[i], omega[j]);
		return out;
	}

	/**
	 * Largest hole (missing pixels) whose exact posterior variances are computed: the hole's k×k
	 * precision block is Cholesky-factorised (k³/3 flops, 8k² bytes) and every pixel's column is
	 * solved against it (k²·d flops, bounded separately by {@link #MAX_STD_WORK}): 6000 missing pixels is 288 MB.
	 */
	public static final int MAX_HOLE = 6000;

	/** Largest work (operations of the cheaper route) the exact std map is computed for: ~10–30 s. */
	public static final long MAX_STD_WORK = 20_000_000_000L;

	/**
	 * The noise level s² the closed forms below use: σ², or at σ = 0 exactly 0 when every λ > 0.
	 * Only σ = 0 with some λ = 0 (a prior that fixes a direction) has no finite precision; there
	 * the kriging's jitter is used, so these are the covariances of the law {@link #sample} draws.
	 */
	private double closedFormNoise() {
		if (sigma > 0) return sigma * sigma;
		for (final double l : lam) if (!(l > 0)) return diagonal;
		return 0;
	}

	/**
	 * The hole's factor: with G = Σ(Σ + s²I)⁻¹ and R = (Σ + s²I)⁻¹ (circulant, Fourier-diagonal,
	 * finite at s = 0), the posterior covariance is
	 * <pre>
	 *   Σ_post = (Σ⁻¹ + s⁻² S_Ωᵀ S_Ω)⁻¹ = s²G + G_{·M} (R_MM)⁻¹ G_{M·}
	 * </pre>
	 * (Woodbury on B = (Σ⁻¹ + s⁻²I)⁻¹ = s²G, since σ²I − B = s⁴R; at s = 0 with all λ > 0 it is the
	 * Schur complement (Q_MM)⁻¹ of the precision Q = Σ⁻¹ on the hole M, zero on Ω). Returns the
	 * first columns of G and R and L with LLᵀ = R_MM.
	 */
	private record Hole(int[] missing, double s2, double[] g, double[] r, org.ejml.data.DMatrixRMaj l, double[] gSpectrum) {}

	private Hole hole(final Progress progress) {
		final int k = pixels - omega.length;
		if (k > MAX_HOLE) throw new IllegalArgumentException("The exact posterior std factorises the hole's " + k + "×" + k + " precision block: at most " + MAX_HOLE
			+ " missing pixels (" + (8L * MAX_HOLE * MAX_HOLE >> 20) + " MB). Crop the image around the hole, split the hole, or estimate the std from samples.");
		final int[] missing = new int[k];
		final boolean[] seen = new boolean[pixels];
		for (final int o : omega) seen[o] = true;
		for (int i = 0, j = 0; i < pixels; i++) if (!seen[i]) missing[j++] = i;
		final double s2 = closedFormNoise();
		final double[] gs = new double[lam.length], rs = new double[lam.length];
		for (int i = 0; i < lam.length; i++) {
			final double t = lam[i] + s2;
			gs[i] = t > 0 ? lam[i] / t : 0;
			rs[i] = t > 0 ? 1 / t : 0;
		}
		final double[] g = firstColumn(gs), r = firstColumn(rs);
		final org.ejml.data.DMatrixRMaj rmm = new org.ejml.data.DMatrixRMaj(k, k);
		for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) rmm.data[i * k + j] = r[lag(missing[i], missing[j])];
		if (progress != null) progress.checkCancelled();
		final org.ejml.interfaces.decomposition.CholeskyDecomposition_F64<org.ejml.data.DMatrixRMaj> chol = org.ejml.dense.row.factory.DecompositionFactory_DDRM.chol(k, true);
		if (k > 0 && !chol.decompose(rmm)) throw new ArithmeticException("The hole's precision block is not positive definite: the prior is too ill-conditioned at σ = 0; use σ > 0.");
		return new Hole(missing, s2, g, r, k > 0 ? chol.getT(null) : rmm, gs);
	}

	/** Index of the circulant first column holding the entry (p, q): the lag p − q, wrapped. */
	private int lag(final int p, final int q) {
		final int w = prior.plane().width, h = prior.plane().height;
		return Math.floorMod(p / w - q / w, h) * w + Math.floorMod(p % w - q % w, w);
	}

	/** The first column of the circulant with eigenvalues {@code values}. */
	private double[] firstColumn(final double[] values) {
		final double[] e = new double[pixels], out = new double[pixels];
		e[0] = 1;
		fft.forward(e, spec);
		Spectrum.scale(spec, values);
		fft.inverse(spec, out);
		return out;
	}

	/** Y ← L⁻¹ Y in place for a k×b row-major block (forward substitution, L lower k×k). */
	private static void forwardSubstitute(final org.ejml.data.DMatrixRMaj l, final double[] y, final int b) {
		final int k = l.numRows;
		for (int i = 0; i < k; i++) {
			final int ri = i * b;
			for (int j = 0; j < i; j++) {
				final double f = l.data[i * k + j];
				if (f == 0) continue;
				final int rj = j * b;
				for (int c = 0; c < b; c++) y[ri + c] -= f * y[rj + c];
			}
			final double inv = 1 / l.data[i * k + i];
			for (int c = 0; c < b; c++) y[ri + c] *= inv;
		}
	}

	/**
	 * The exact posterior variance of every pixel, at any image size: diag(s²G) + the squared column
	 * norms of L⁻¹G_{M·} (see {@link Hole}). Cost: two FFTs, k³/3 for the factorisation and k²·d for
	 * the columns, k the missing pixels (at most {@link #MAX_HOLE}; above, an exception says so).
	 */
	public double[] variance(final Progress progress) {
		final long k = pixels - omega.length;
		return variance(progress, work(k, true) < work(k, false));
	}

	/**
	 * The work of a route in multiply-add equivalents: the columns k²·d, or k FFT pairs (~10·d·log₂d
	 * operations each, which run ~15× faster than dense multiply-adds) and the triangular inverse; both
	 * factorise the k×k block (k³/3).
	 */
	private double work(final long k, final boolean byFft) {
		final double cube = (double) k * k * k / 3;
		return byFft ? 10.0 * k * pixels * Math.max(1, Math.log(pixels) / Math.log(2)) / 15 + 2 * cube : (double) k * k * pixels + cube;
	}

	/**
	 * The same, by a chosen route: the column solves ({@code byFft = false}), or k circulant products
	 * Z_i = G ∗ u_i, u_i the i-th row of L⁻¹ placed on the hole, whose squares sum to the same diagonal
	 * (diag(G_{·M} L⁻ᵀ L⁻¹ G_{M·}) = Σ_i Z_i²). Refused above {@link #MAX_STD_WORK}, with the way out: the
	 * hole size alone does not bound the time (a 3800-pixel hole in a 512² image is 4·10¹² operations
	 * by columns, 5·10¹⁰ by FFT).
	 */
	double[] variance(final Progress progress, final boolean byFft) {
		final long k = pixels - omega.length;
		final double work = work(k, byFft);
		if (work > MAX_STD_WORK) {
			throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
				"The exact posterior std of a %d-pixel hole in a %d-pixel image needs about %.0e operations, above the budget of %.0e (about 20 s). Crop the image "
					+ "around the hole or make the hole smaller.", k, pixels, work, (double) MAX_STD_WORK));
		}
		final Hole ho = hole(progress);
		final double[] out = new double[pixels];
		java.util.Arrays.fill(out, ho.s2 * ho.g[0]);
		final int kk = ho.missing.length;
		if (byFft) {
			final org.ejml.data.DMatrixRMaj linv = ho.l.copy();
			if (kk > 0) org.ejml.dense.row.decomposition.TriangularSolver_DDRM.invertLower(linv.data, kk);
			final double[] img = new double[pixels], sp = fft.newSpectrum();
			for (int i = 0; i < kk; i++) {
				if (progress != null && (i & 15) == 0) progress.checkCancelled();
				java.util.Arrays.fill(img, 0);
				for (int j = 0; j <= i; j++) img[ho.missing[j]] = linv.data[i * kk + j];
				fft.forward(img, sp);
				Spectrum.scale(sp, ho.gSpectrum);
				fft.inverse(sp, img);
				for (int p = 0; p < pixels; p++) out[p] += img[p] * img[p];
			}
			return out;
		}
		final int block = 256;
		final double[] y = new double[kk * block];
		for (int p0 = 0; p0 < pixels; p0 += block) {
			if (progress != null) progress.checkCancelled();
			final int b = Math.min(block, pixels - p0);
			for (int i = 0; i < kk; i++) for (int c = 0; c < b; c++) y[i * b + c] = ho.g[lag(ho.missing[i], p0 + c)];
			forwardSubstitute(ho.l, y, b);
			for (int i = 0; i < kk; i++) for (int c = 0; c < b; c++) out[p0 + c] += y[i * b + c] * y[i * b + c];
		}
		return out;
	}

	/**
	 * A factor F of the exact posterior covariance, Σ_post = F Fᵀ (d×r, dense), for the Bures term:
	 * at s = 0, F = (L⁻¹G_{M·})ᵀ with r = k (Σ_post lives on the hole); otherwise the Cholesky factor
	 * of s²G + Yᵀ Y, r = d. Images of at most {@code maxPixels} pixels.
	 */
	public org.ejml.data.DMatrixRMaj denseFactor(final int maxPixels, final Progress progress) {
		if (pixels > maxPixels) throw new IllegalArgumentException("The dense posterior needs at most " + maxPixels + " pixels, got " + pixels + ".");
		final Hole ho = hole(progress);
		final int k = ho.missing.length;
		final double[] y = new double[k * pixels];
		for (int i = 0; i < k; i++) for (int p = 0; p < pixels; p++) y[i * pixels + p] = ho.g[lag(ho.missing[i], p)];
		forwardSubstitute(ho.l, y, pixels);
		final org.ejml.data.DMatrixRMaj ym = org.ejml.data.DMatrixRMaj.wrap(k, pixels, y);
		if (ho.s2 == 0) {
			final org.ejml.data.DMatrixRMaj f = new org.ejml.data.DMatrixRMaj(pixels, k);
			org.ejml.dense.row.CommonOps_DDRM.transpose(ym, f);
			return f;
		}
		final org.ejml.data.DMatrixRMaj post = new org.ejml.data.DMatrixRMaj(pixels, pixels);
		org.ejml.dense.row.CommonOps_DDRM.multTransA(ym, ym, post);
		for (int p = 0; p < pixels; p++) for (int q = 0; q < pixels; q++) post.data[p * pixels + q] += ho.s2 * ho.g[lag(p, q)];
		if (progress != null) progress.checkCancelled();
		final org.ejml.interfaces.decomposition.CholeskyDecomposition_F64<org.ejml.data.DMatrixRMaj> chol = org.ejml.dense.row.factory.DecompositionFactory_DDRM.chol(pixels, true);
		if (!chol.decompose(post)) throw new ArithmeticException("The posterior covariance is not positive definite at σ > 0: the prior is too ill-conditioned; raise noise_sigma.");
		return chol.getT(null);
	}

	/** The observed pixels' indices, increasing. */
	public int[] observed() {
		return omega.clone();
	}

	/** Σ (d×d), Σ_{Ω·} (m×d) and (Σ_ΩΩ + s²I)⁻¹Σ_{Ω·} (m×d). */
	private record Dense(org.ejml.data.DMatrixRMaj sigma, org.ejml.data.DMatrixRMaj cross, org.ejml.data.DMatrixRMaj solved) {}

	private Dense dense(final int maxPixels) {
		if (pixels > maxPixels) throw new IllegalArgumentException("The dense posterior needs at most " + maxPixels + " pixels, got " + pixels + ".");
		// Σ is circulant: its first column c = Σ e_0, and Σ_pq = c((p − q) mod grid).
		final double[] e = new double[pixels], c = new double[pixels];
		e[0] = 1;
		applyPrior(e, c);
		final int h = prior.plane().height, w = prior.plane().width;
		final org.ejml.data.DMatrixRMaj sig = new org.ejml.data.DMatrixRMaj(pixels, pixels);
		for (int p = 0; p < pixels; p++) {
			for (int q = 0; q < pixels; q++) {
				final int dy = Math.floorMod(p / w - q / w, h), dx = Math.floorMod(p % w - q % w, w);
				sig.set(p, q, c[dy * w + dx]);
			}
		}
		final org.ejml.data.DMatrixRMaj[] solved = Kriging.denseSolve(sig, omega, diagonal);
		return new Dense(sig, solved[0], solved[1]);
	}

	/** CG iterations of the last solve. */
	public int lastIterations() {
		return kriging.lastIterations();
	}

	/** Relative residual reached by the last solve. */
	public double lastResidual() {
		return kriging.lastResidual();
	}

	/** out = Σ x on the full grid (x and out may be the same array). */
	private void applyPrior(final double[] x, final double[] out) {
		fft.forward(x, spec);
		Spectrum.scale(spec, lam);
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

	/**
	 * out = S_Ω (Σ + s²I)⁻¹ S_Ωᵀ u: the preconditioner. (S_Ω B S_Ωᵀ)⁻¹ differs from S_Ω B⁻¹ S_Ωᵀ by a
	 * term of rank at most the number of missing pixels (Schur complement), so when the holes are a
	 * small part of the image the preconditioned system is the identity up to a low-rank part, and CG
	 * needs far fewer iterations than unpreconditioned (whose count follows λ_max/σ²).
	 */
	private void applyPreconditioner(final double[] u, final double[] out) {
		java.util.Arrays.fill(full, 0);
		for (int j = 0; j < omega.length; j++) full[omega[j]] = u[j];
		fft.forward(full, spec);
		Spectrum.scale(spec, preconditioner);
		fft.inverse(spec, full);
		for (int j = 0; j < omega.length; j++) out[j] = full[omega[j]];
	}

	/** Solves (Σ_ΩΩ + s²I) u = b by preconditioned conjugate gradients; cancellable between iterations. */
	double[] solve(final double[] b, final Progress progress) {
		return kriging.solve(this::applySystem, this::applyPreconditioner, b, TOLERANCE, maxIterations, progress);
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
		lastMeasurement = v.clone();
		lastMean = out.clone();
		return out;
	}

	/**
	 * A copy of the measurement and the mean of the last {@link #mean} call, for {@link #draws} (compared by
	 * content: O(pixels), nothing next to a CG solve). Like {@link #lastIterations}, for one thread.
	 */
	private double[] lastMeasurement, lastMean;

	/** One exact posterior sample: {@code mean} (from {@link #mean}) plus a conditional innovation. */
	public void sample(final double[] mean, final GaussianPrior.Sampler centredPrior, final SplittableRandom noise, final double[] out, final Progress progress) {
		centredPrior.next(out);
		final double[] b = new double[omega.length];
		for (int j = 0; j < omega.length; j++) b[j] = out[omega[j]] + (sigma > 0 ? sigma * noise.nextGaussian() : 0);
		spread(solve(b, progress));
		for (int i = 0; i < pixels; i++) out[i] += mean[i] - sigmaFull[i];
	}

	/** A sampler of x̃ ~ N(0, Σ) for {@link #sample}. */
	public GaussianPrior.Sampler innovationSampler(final SplittableRandom rng) {
		return centred.sampler(rng);
	}

	/**
	 * Kriging + innovation by conjugate gradients: the mean once, then per sample one solve
	 * ({@link #sample}); the prior innovation and the measurement noise each from a split of
	 * {@code planeRng}, in that order.
	 */
	@Override
	public Draws draws(final double[] measurement, final SplittableRandom planeRng, final Progress progress) {
		// The mean of the measurement last given to mean() is reused (one CG solve less, as a caller
		// that shows the mean asks for it first).
		final double[] m = lastMean != null && java.util.Arrays.equals(measurement, lastMeasurement) ? lastMean : mean(measurement, progress);
		final GaussianPrior.Sampler innovation = innovationSampler(planeRng.split());
		final SplittableRandom noise = planeRng.split();
		return pixels -> sample(m, innovation, noise, pixels, progress);
	}

	/** See {@link #variance}. */
	@Override
	public double[] pixelVariance(final Progress progress) {
		return variance(progress);
	}

}
