package org.spectralposterior.core.diffusion;

import java.util.SplittableRandom;

import org.spectralposterior.core.Progress;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.HermitianNoise;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Every zero-shot sampler on inpainting, A = S_Ω (MATH §3.2, §7.4): A is diagonal in pixels and the
 * prior in Fourier, so no basis diagonalises a step; the sampler runs as written, the state x_t kept
 * as its spectrum. With AA* = I, a {@link Guidance} bracket dAA·I + dAΓA·Γ_ΩΩ + dI·I is a scalar
 * unless dAΓA ≠ 0 (CGDM, C_{v|t} = AΓ_tA* + σ²I), which is solved by preconditioned conjugate
 * gradients with the FFT matrix–vector product. Per step: one inverse FFT (the residual's y on Ω),
 * one forward FFT (the gain A*u back to Fourier), plus the CG work; DDRM works in A's spectral
 * coordinates, which here are the pixels (singular value 1 on Ω, 0 elsewhere).
 * <p>
 * Every step is affine in (x_t, v, noise) with coefficients independent of v, so the output is
 * Gaussian: {@link #mean} is its exact mean (the recursion run without noise) and
 * {@link #covariance} its exact covariance, propagated column by column through the same steps
 * (dense, O(n·d) step applications: for d ≤ {@link #DENSE_LIMIT} pixels).
 */
public final class InpaintingSampler {

	/** Largest image (pixels) whose output covariance is propagated densely: 32×32 (8 MB, seconds). */
	public static final int DENSE_LIMIT = 1024;
	/** CG stops at this relative residual. */
	static final double CG_TOLERANCE = 1e-10;

	private final GaussianPrior prior;
	private final HalfPlane plane;
	private final int[] omega;
	private final boolean[] observed;
	private final double sigma;
	private final DiffusionSampler.Config cfg;
	private final Method method;
	private final StepGrid grid;
	private final int n;
	private final double[] weight, lam;
	private final Guidance[] unit;
	private final Method.SpectralRule ddrm;
	private final double[] start;
	private long cgIterations;
	private long cgSolves;

	/**
	 * @param prior       the prior used for inpainting (the exact posterior's, see InpaintingPosterior#prior)
	 * @param observed    per pixel, true where the measurement holds a value
	 * @param posteriorMean the exact posterior mean for this measurement (SDEdit's start); may be null otherwise
	 */
	public InpaintingSampler(final GaussianPrior prior, final boolean[] observed, final double sigma, final DiffusionSampler.Config cfg, final double[] posteriorMean) {
		final DiffusionSampler.Plan plan = cfg.plan(sigma);
		this.prior = prior;
		this.plane = prior.plane();
		if (observed.length != plane.pixels) throw new IllegalArgumentException("The mask has " + observed.length + " pixels but the prior " + plane.pixels + ".");
		this.observed = observed.clone();
		int m = 0;
		for (final boolean b : observed) if (b) m++;
		omega = new int[m];
		for (int i = 0, j = 0; i < observed.length; i++) if (observed[i]) omega[j++] = i;
		this.sigma = sigma;
		this.cfg = cfg;
		this.method = cfg.method();
		grid = plan.grid();
		n = grid.n;
		weight = plan.weights();
		unit = plan.unit();
		ddrm = plan.ddrm();
		lam = prior.spectrum().values();
		if (method.start() == Method.Start.POSTERIOR_MEAN && posteriorMean == null) throw new IllegalArgumentException(method.label + " starts from the posterior mean: pass it.");
		start = posteriorMean == null ? null : posteriorMean.clone();
	}

	public DiffusionSampler.Config config() {
		return cfg;
	}

	public double[] weights() {
		return weight.clone();
	}

	public StepGrid grid() {
		return grid;
	}

	/** CG iterations per solve so far (CGDM), or 0. */
	public double cgIterationsPerSolve() {
		return cgSolves == 0 ? 0 : (double) cgIterations / cgSolves;
	}

	/** Work buffers for one run of the steps; not thread-safe. */
	private final class Work {
		final RealFft2 fft = new RealFft2(plane);
		final double[] x = fft.newSpectrum(), x0 = fft.newSpectrum(), tmp = fft.newSpectrum(), z = fft.newSpectrum();
		final double[] px = new double[plane.pixels], px2 = new double[plane.pixels], noise = new double[plane.pixels];
		final double[] res = new double[omega.length], u = new double[omega.length];
		// CG scratch
		final double[] r = new double[omega.length], zz = new double[omega.length], p = new double[omega.length], ap = new double[omega.length];
		/** While columns are propagated step-major: step j's bracket factorised densely (one solve for every column), else null (CG). */
		org.ejml.interfaces.linsol.LinearSolverDense<org.ejml.data.DMatrixRMaj> denseBracket;
		final org.ejml.data.DMatrixRMaj bracketRhs = new org.ejml.data.DMatrixRMaj(omega.length, 1), bracketSol = new org.ejml.data.DMatrixRMaj(omega.length, 1);
	}

	/**
	 * Runs every step from the start state in {@code w.x} (spectrum). {@code v} (full grid, Ω read)
	 * null and {@code affine} false give the linear part only (for the covariance columns);
	 * {@code rng} null: no noise (the mean pass, or the linear part).
	 */
	private void run(final Work w, final double[] v, final boolean affine, final SplittableRandom rng, final Progress progress) {
		final double m = affine ? prior.meanDc() : 0;
		for (int j = 0; j < n; j++) {
			if (progress != null) progress.checkCancelled();
			step(w, j, v, m, rng);
		}
	}

	private void step(final Work w, final int j, final double[] v, final double m, final SplittableRandom rng) {
		final int size = plane.size;
		final double ab = grid.abT[j], sab = Math.sqrt(ab), one = 1 - ab, ph = grid.phi[j], ps = grid.psi[j], nuJ = grid.nu[j];
		final double dc = m * (1 - (sab * lam[0] / (ab * lam[0] + one)) * sab);
		final double[] x = w.x, x0 = w.x0;
		for (int k = 0; k < size; k++) {
			final double g = sab * lam[k] / (ab * lam[k] + one);
			x0[2 * k] = g * x[2 * k] + (k == 0 ? dc : 0);
			x0[2 * k + 1] = g * x[2 * k + 1];
		}
		if (ddrm != null) {
			ddrmStep(w, j, v, rng);
			return;
		}
		final Guidance u = unit[j];
		double wj = weight[j];
		java.util.Arrays.fill(w.tmp, 0);
		if (!u.none()) {
			// y on Ω: x̂0, or x_t/sqrt(ᾱ_t) for a guidance on x_t.
			if (u.onXt()) {
				for (int i = 0; i < x.length; i++) w.tmp[i] = x[i] / sab;
				w.fft.inverse(w.tmp, w.px);
			}
			else w.fft.inverse(x0, w.px);
			double r2 = 0;
			for (int i = 0; i < omega.length; i++) {
				w.res[i] = (v == null ? 0 : v[omega[i]]) - w.px[omega[i]];
				r2 += w.res[i] * w.res[i];
			}
			if (method.normalisedByResidual()) wj = r2 > 0 ? weight[j] / Math.sqrt(r2) : 0;
			if (u.dAGammaA() == 0) {
				final double den = u.dAA() + u.dI();
				final double f = den > (u.pseudoInverse() ? Guidance.PINV_THRESHOLD : 0) ? 1 / den : 0;
				for (int i = 0; i < omega.length; i++) w.u[i] = f * w.res[i];
			}
			else if (w.denseBracket != null) {
				System.arraycopy(w.res, 0, w.bracketRhs.data, 0, omega.length);
				w.denseBracket.solve(w.bracketRhs, w.bracketSol);
				System.arraycopy(w.bracketSol.data, 0, w.u, 0, omega.length);
			}
			else solveBracket(w, j, u);
			java.util.Arrays.fill(w.px, 0);
			for (int i = 0; i < omega.length; i++) w.px[omega[i]] = w.u[i];
			w.fft.forward(w.px, w.tmp);
			final double sc = wj * u.scale();
			for (int k = 0; k < size; k++) {
				final double g = sab * lam[k] / (ab * lam[k] + one), gam = g * one / sab;
				final double f = sc * (u.fG() * g + u.fGamma() * gam + u.fI());
				w.tmp[2 * k] *= f;
				w.tmp[2 * k + 1] *= f;
			}
		}
		final boolean noisy = rng != null && nuJ > 0;
		if (noisy) HermitianNoise.fill(plane, rng, w.z);
		for (int i = 0; i < x.length; i++) x[i] = ph * x0[i] + ps * x[i] + w.tmp[i] + (noisy ? nuJ * w.z[i] : 0);
	}

	/**
	 * u = (dAA·I + dAΓA·Γ_ΩΩ + dI·I)⁻¹ res by conjugate gradients, preconditioned by
	 * S_Ω(dAΓA·Γ + (dAA + dI)I)⁻¹S_Ωᵀ (exact where Ω is everything; see InpaintingPosterior).
	 */
	private void solveBracket(final Work w, final int j, final Guidance u) {
		final int mm = omega.length;
		final double ab = grid.abT[j], one = 1 - ab, c = u.dAA() + u.dI(), a = u.dAGammaA();
		final double[] res = w.res, x = w.u, r = w.r, z = w.zz, p = w.p, ap = w.ap;
		java.util.Arrays.fill(x, 0);
		System.arraycopy(res, 0, r, 0, mm);
		final double bb = dot(res, res);
		if (bb == 0) return;
		bracket(w, ab, one, a, c, r, z, true);
		System.arraycopy(z, 0, p, 0, mm);
		double rz = dot(r, z);
		final int max = Math.max(100, 10 * mm);
		for (int it = 0; it < max; it++) {
			bracket(w, ab, one, a, c, p, ap, false);
			final double alpha = rz / dot(p, ap);
			for (int i = 0; i < mm; i++) {
				x[i] += alpha * p[i];
				r[i] -= alpha * ap[i];
			}
			cgIterations++;
			if (Math.sqrt(dot(r, r) / bb) <= CG_TOLERANCE) break;
			bracket(w, ab, one, a, c, r, z, true);
			final double rzNew = dot(r, z);
			for (int i = 0; i < mm; i++) p[i] = z[i] + rzNew / rz * p[i];
			rz = rzNew;
		}
		cgSolves++;
	}

	/** out = (a·Γ_ΩΩ + c·I) in, or with {@code inverse} its preconditioner S_Ω(aΓ + cI)⁻¹S_Ωᵀ in. */
	private void bracket(final Work w, final double ab, final double one, final double a, final double c, final double[] in, final double[] out, final boolean inverse) {
		java.util.Arrays.fill(w.px2, 0);
		for (int i = 0; i < omega.length; i++) w.px2[omega[i]] = in[i];
		w.fft.forward(w.px2, w.z);
		for (int k = 0; k < plane.size; k++) {
			final double gam = one * lam[k] / (ab * lam[k] + one), f = inverse ? 1 / (a * gam + c) : a * gam;
			w.z[2 * k] *= f;
			w.z[2 * k + 1] *= f;
		}
		w.fft.inverse(w.z, w.px2);
		for (int i = 0; i < omega.length; i++) out[i] = w.px2[omega[i]] + (inverse ? 0 : c * in[i]);
	}

	/**
	 * DDRM in pixels (A's singular vectors): what is missing takes the null-space update, an
	 * observed pixel its branch by σ_s against σ_y (MATH §7.5, singular value 1).
	 */
	private void ddrmStep(final Work w, final int j, final double[] v, final SplittableRandom rng) {
		final double ab = grid.abT[j], sab = Math.sqrt(ab), sas = Math.sqrt(grid.abS[j]), sigT = grid.veT[j], sigS = grid.veS[j];
		final double eta = ddrm.eta(), etaB = ddrm.etaB(), c1 = Math.sqrt(1 - eta * eta) * sigS, sy = sigma;
		w.fft.inverse(w.x0, w.px);
		w.fft.inverse(w.x, w.px2);
		if (rng != null) for (int i = 0; i < w.noise.length; i++) w.noise[i] = rng.nextGaussian();
		else java.util.Arrays.fill(w.noise, 0);
		for (int i = 0; i < plane.pixels; i++) {
			final double x0 = w.px[i], xt = w.px2[i] / sab, zi = w.noise[i];
			final double yv = v == null ? 0 : v[i];
			final double out;
			if (!observed[i] || sigS == sy) out = x0 + c1 * (xt - x0) / sigT + eta * sigS * zi;
			else if (sigS > sy) out = (1 - etaB) * x0 + etaB * yv + Math.sqrt(Math.max(0, sigS * sigS - etaB * etaB * sy * sy)) * zi;
			else out = x0 + c1 * (yv - x0) / sy + eta * sigS * zi;
			w.px[i] = sas * out;
		}
		w.fft.forward(w.px, w.x);
	}

	/** The start state into w.x: noise (rng null: its mean), SDEdit's or DDRM's. */
	private void begin(final Work w, final double[] v, final SplittableRandom rng, final boolean affine) {
		begin(w, v, rng, affine, start);
	}

	/** As above with SDEdit's start image given (the posterior mean of v). */
	private void begin(final Work w, final double[] v, final SplittableRandom rng, final boolean affine, final double[] start) {
		final double ab = grid.abT[0];
		switch (method.start()) {
			case NOISE -> {
				if (rng != null) HermitianNoise.fill(plane, rng, w.x);
				else java.util.Arrays.fill(w.x, 0);
			}
			case POSTERIOR_MEAN -> {
				if (rng != null) HermitianNoise.fill(plane, rng, w.x);
				else java.util.Arrays.fill(w.x, 0);
				if (affine) w.fft.forward(start, w.tmp);
				else java.util.Arrays.fill(w.tmp, 0);
				final double a = Math.sqrt(ab), b = Math.sqrt(1 - ab);
				for (int i = 0; i < w.x.length; i++) w.x[i] = a * w.tmp[i] + b * w.x[i];
			}
			case SPECTRAL -> {
				final double sigT = Math.sqrt((1 - ab) / ab), d0 = Math.sqrt(Math.max(0, sigT * sigT - sigma * sigma));
				for (int i = 0; i < plane.pixels; i++) {
					final double zi = rng == null ? 0 : rng.nextGaussian();
					final boolean seen = observed[i] && sigT > sigma;
					w.px[i] = Math.sqrt(ab) * (seen ? (affine ? v[i] : 0) + d0 * zi : sigT * zi);
				}
				w.fft.forward(w.px, w.x);
			}
		}
	}

	/** A step-by-step sampler for one measurement (full grid; the pixels of Ω are read). */
	public Stepper stepper(final double[] measurement) {
		return new Stepper(measurement);
	}

	public final class Stepper {
		private final Work w = new Work();
		private final double[] v;

		private Stepper(final double[] v) {
			this.v = v.clone();
		}

		/** One sample (pixels) into {@code out}, all noise from {@code rng}. */
		public void sample(final double[] out, final SplittableRandom rng, final Progress progress) {
			begin(w, v, rng, true);
			run(w, v, true, rng, progress);
			w.fft.inverse(w.x, out);
		}
	}

	/** The exact mean of the output given v: the same steps without noise. */
	public double[] mean(final double[] measurement, final Progress progress) {
		final Work w = new Work();
		begin(w, measurement, null, true);
		run(w, measurement, true, null, progress);
		final double[] out = new double[plane.pixels];
		w.fft.inverse(w.x, out);
		return out;
	}

	/**
	 * The exact output covariance (d×d, row-major): S ← 𝔸 S 𝔸ᵀ + E per step, 𝔸 applied to columns by
	 * the same step code (linear part: no v, no mean, no noise) and E the step's noise covariance
	 * (ν²I, or DDRM's per-pixel variances). Cost: 2n·d step applications; d ≤ {@link #DENSE_LIMIT}.
	 */
	public double[] covariance(final Progress progress) {
		if (method.normalisedByResidual()) throw new IllegalArgumentException(method.label + " is not affine (its weight divides by the residual): its law has no closed form here; use its samples.");
		final int d = plane.pixels;
		if (d > DENSE_LIMIT) throw new IllegalArgumentException("The exact output covariance is dense: at most " + DENSE_LIMIT + " pixels (32×32), got " + d + ".");
		final Work w = new Work();
		final double[] s = new double[d * d];
		startCovariance(s);
		final double[] t = new double[d * d], col = new double[d];
		for (int j = 0; j < n; j++) {
			w.denseBracket = unit[j].dAGammaA() != 0 ? factorBracket(w, j, unit[j]) : null;
			// T = 𝔸 S column by column, then S' = 𝔸 Tᵀ column by column: 𝔸 (𝔸S)ᵀ = 𝔸 S 𝔸ᵀ (S symmetric).
			// S's column c is its row c; Tᵀ's column c is T's row c, so T is stored by columns
			// (row-major T) and read by rows; S' is symmetric, so its columns are stored as rows.
			for (int c = 0; c < d; c++) {
				if (progress != null) progress.checkCancelled();
				System.arraycopy(s, c * d, col, 0, d);
				applyLinear(w, j, col);
				for (int i = 0; i < d; i++) t[i * d + c] = col[i];
			}
			for (int c = 0; c < d; c++) {
				if (progress != null) progress.checkCancelled();
				System.arraycopy(t, c * d, col, 0, d);
				applyLinear(w, j, col);
				System.arraycopy(col, 0, s, c * d, d);
			}
			addStepNoise(j, s);
			if (progress != null) progress.update(j + 1, n);
		}
		return s;
	}

	/** Step j's bracket aΓ_ΩΩ + cI as a dense m×m matrix (columns through the FFT), Cholesky-factorised. */
	private org.ejml.interfaces.linsol.LinearSolverDense<org.ejml.data.DMatrixRMaj> factorBracket(final Work w, final int j, final Guidance u) {
		final int m = omega.length;
		final double ab = grid.abT[j], one = 1 - ab, c = u.dAA() + u.dI(), a = u.dAGammaA();
		final org.ejml.data.DMatrixRMaj b = new org.ejml.data.DMatrixRMaj(m, m);
		final double[] e = new double[m], col = new double[m];
		for (int i = 0; i < m; i++) {
			java.util.Arrays.fill(e, 0);
			e[i] = 1;
			bracket(w, ab, one, a, c, e, col, false);
			for (int l = 0; l < m; l++) b.set(l, i, col[l]);
		}
		final org.ejml.interfaces.linsol.LinearSolverDense<org.ejml.data.DMatrixRMaj> chol = org.ejml.dense.row.factory.LinearSolverFactory_DDRM.chol(m);
		if (!chol.setA(b)) throw new ArithmeticException("CGDM's C_{v|t} is not positive definite at step " + (j + 1) + " (σ = 0 with a singular prior?)");
		return chol;
	}

	/** col ← 𝔸_j col: step j's linear part (no measurement, no mean, no noise). */
	private void applyLinear(final Work w, final int j, final double[] col) {
		w.fft.forward(col, w.x);
		step(w, j, null, 0, null);
		w.fft.inverse(w.x, col);
	}

	/**
	 * E_v W2² of this sampler's law to the exact posterior over measurements v_Ω ~ N(μ, Σ_ΩΩ + σ²I)
	 * (MATH §9.3, dense form): tr((P − K)C_v(P − K)ᵀ) + ‖(P − K)μ + q − q*‖² + Bures(S, Σ_post), with the
	 * law's mean map v ↦ Pv + q read off m + 1 noise-free runs (one per observed pixel, plus v = 0)
	 * propagated together step by step, K the kriging gain. The posterior must be for this prior and
	 * mask; {@code noiseSigma} is the measurement's σ. Returns {E_v W2², mean part, covariance part}.
	 * Images of at most {@link #DENSE_LIMIT} pixels.
	 */
	public double[] expectedW2(final org.spectralposterior.core.posterior.InpaintingPosterior posterior, final double noiseSigma, final Progress progress) {
		final int d = plane.pixels, m = omega.length;
		if (d > DENSE_LIMIT) throw new IllegalArgumentException("The expected W2 on inpainting is dense: at most " + DENSE_LIMIT + " pixels (32×32), got " + d + "; crop the image.");
		if (method.normalisedByResidual()) throw new IllegalArgumentException(method.label + " is not affine (its weight divides by the residual): its law has no closed form here.");
		final double[] k = posterior.denseGain(DENSE_LIMIT), sOO = posterior.denseObservedCovariance(DENSE_LIMIT);
		final double mu = prior.mean();
		// Columns: c = 0 is v = 0, c = i + 1 is v = e_i on Ω.
		final Work w = new Work();
		final double[][] state = new double[m + 1][];
		final double[] v = new double[d], st = new double[d];
		for (int c = 0; c <= m; c++) {
			java.util.Arrays.fill(v, 0);
			if (c > 0) v[omega[c - 1]] = 1;
			// SDEdit's start: the posterior mean of this v, μ + K(v − μ).
			for (int p = 0; p < d; p++) {
				double t = mu;
				for (int i = 0; i < m; i++) t += k[p * m + i] * (v[omega[i]] - mu);
				st[p] = t;
			}
			begin(w, v, null, true, st);
			state[c] = w.x.clone();
		}
		for (int j = 0; j < n; j++) {
			w.denseBracket = unit[j].dAGammaA() != 0 ? factorBracket(w, j, unit[j]) : null;
			for (int c = 0; c <= m; c++) {
				if (progress != null) progress.checkCancelled();
				java.util.Arrays.fill(v, 0);
				if (c > 0) v[omega[c - 1]] = 1;
				System.arraycopy(state[c], 0, w.x, 0, w.x.length);
				step(w, j, v, prior.meanDc(), null);
				System.arraycopy(w.x, 0, state[c], 0, w.x.length);
			}
		}
		final double[] q = new double[d], col = new double[d];
		w.fft.inverse(state[0], q);
		// D = P − K (d×m)
		final double[] dm = new double[d * m];
		for (int i = 0; i < m; i++) {
			w.fft.inverse(state[i + 1], col);
			for (int p = 0; p < d; p++) dm[p * m + i] = col[p] - q[p] - k[p * m + i];
		}
		// tr(D C_v Dᵀ), C_v = Σ_ΩΩ + σ²I
		double fluct = 0;
		final double var = noiseSigma * noiseSigma;
		final double[] row = new double[m];
		for (int p = 0; p < d; p++) {
			for (int i = 0; i < m; i++) {
				double t = var * dm[p * m + i];
				for (int l = 0; l < m; l++) t += sOO[i * m + l] * dm[p * m + l];
				row[i] = t;
			}
			for (int i = 0; i < m; i++) fluct += dm[p * m + i] * row[i];
		}
		// Bias at the mean measurement v = μ on Ω: the posterior mean there is μ (a zero residual is
		// kriged to zero), the law's is q + Pμ.
		double bias = 0;
		for (int p = 0; p < d; p++) {
			double t = q[p];
			for (int i = 0; i < m; i++) t += (dm[p * m + i] + k[p * m + i]) * mu;
			bias += (t - mu) * (t - mu);
		}
		final double[] post = posterior.denseCovariance(DENSE_LIMIT);
		final double bures = org.spectralposterior.core.metric.DenseGaussian.w2(new double[d], covariance(progress), new double[d], post).covariancePart();
		return new double[] { fluct + bias + bures, fluct + bias, bures };
	}

	private void startCovariance(final double[] s) {
		final int d = plane.pixels;
		final double ab = grid.abT[0];
		for (int i = 0; i < d; i++) {
			final double v = switch (method.start()) {
				case NOISE -> 1;
				case POSTERIOR_MEAN -> 1 - ab;
				case SPECTRAL -> {
					final double sigT2 = (1 - ab) / ab;
					yield ab * (observed[i] && Math.sqrt(sigT2) > sigma ? Math.max(0, sigT2 - sigma * sigma) : sigT2);
				}
			};
			s[i * d + i] = v;
		}
	}

	private void addStepNoise(final int j, final double[] s) {
		final int d = plane.pixels;
		if (ddrm == null) {
			final double nu2 = grid.nu[j] * grid.nu[j];
			for (int i = 0; i < d; i++) s[i * d + i] += nu2;
			return;
		}
		final double sigS = grid.veS[j], eta = ddrm.eta(), etaB = ddrm.etaB(), sy = sigma, as = grid.abS[j];
		for (int i = 0; i < d; i++) {
			final double e2;
			if (!observed[i] || sigS == sy || sigS < sy) e2 = eta * eta * sigS * sigS;
			else e2 = Math.max(0, sigS * sigS - etaB * etaB * sy * sy);
			s[i * d + i] += as * e2;
		}
	}

	private static double dot(final double[] a, final double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += a[i] * b[i];
		return s;
	}
}
