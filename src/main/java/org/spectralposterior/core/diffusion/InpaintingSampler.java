package org.spectralposterior.core.diffusion;

import java.util.SplittableRandom;

import org.spectralposterior.core.Progress;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.HermitianNoise;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.prior.ColourBasis;
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
 * Colour (C channels, a cross-channel prior Σ(k) = U(k) diag λ(k) U(k)*): the unknown is the
 * channel-major vector of C images and Ω a set of (channel, pixel) entries. The state is kept as C
 * eigen-channel spectra, where the denoiser gain, Γ_t and every Fourier filter of a step are diagonal
 * (functions of λ_e(k)); the mask is applied in channel pixels, reached by the rotation U(k) and C
 * inverse FFTs. White noise stays white under the unitary U(k), so the step noise is drawn per
 * eigen-channel. Grey is the case C = 1 with U = 1 (no rotation).
 * <p>
 * Every step is affine in (x_t, v, noise) with coefficients independent of v, so the output is
 * Gaussian: {@link #mean} is its exact mean (the recursion run without noise) and
 * {@link #covariance} its exact covariance, propagated column by column through the same steps
 * (dense, O(n·d) step applications: for d ≤ {@link #DENSE_LIMIT} pixels).
 * <p>
 * Measured cost of {@link #expectedW2} (n = 50 DDPM steps, one core of a shared 2-core machine; the
 * dense law, the posterior factor and the Bures term): see {@link #DENSE_LIMIT}. Memory: about
 * {@link #denseBytes} bytes, checked before any work ({@link #checkDenseMemory}).
 */
public final class InpaintingSampler {

	/**
	 * Largest image (pixels) whose output covariance is propagated densely: 64×64 (one d×d matrix is
	 * 128 MB there). Measured {@link #expectedW2}, n = 50 DDPM steps, a centred square hole of a
	 * quarter of the side, one core of a shared 2-core machine: 48×48 DPS 104 s, CGDM 144 s; 64×64
	 * DPS 219 s, CGDM 316 s (InpaintingDenseBenchmark). Memory ≈ {@link #denseBytes}: 763 MB at 64×64.
	 */
	public static final int DENSE_LIMIT = 4096;
	/** CG stops at this relative residual. */
	static final double CG_TOLERANCE = 1e-10;

	/** The grey prior (null in colour: {@link #expectedW2} is grey only). */
	private final GaussianPrior prior;
	private final HalfPlane plane;
	/** C, pixels per channel, and C·pixels: the length of an image here (channel-major). */
	private final int channels, pixels, entries;
	/** The eigen-channel rotation, or null: grey, the state is the image's own spectrum. */
	private final ColourBasis basis;
	/** λ_e(k), and the DC of the prior mean's spectrum per eigen-channel. */
	private final double[][] lam;
	private final double[] meanDc;
	private final int[] omega, missing;
	private final boolean[] observed;
	private final double sigma;
	private final DiffusionSampler.Config cfg;
	private final Method method;
	private final StepGrid grid;
	private final int n;
	private final double[] weight;
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
		this(prior, prior.plane(), null, new double[][] { prior.spectrum().values() }, new double[] { prior.meanDc() }, observed, sigma, cfg, posteriorMean);
	}

	/**
	 * Colour inpainting: {@code basis} the eigen-channels of the prior conditioned on (the exact
	 * posterior's, DC block included: ColourInpaintingPosterior#conditionedBasis), {@code observed}
	 * and {@code posteriorMean} channel-major (entry c·N + p).
	 */
	public InpaintingSampler(final ColourBasis basis, final boolean[] observed, final double sigma, final DiffusionSampler.Config cfg, final double[] posteriorMean) {
		this(null, basis.plane(), basis, eigenSpectra(basis), eigenMeanDc(basis), observed, sigma, cfg, posteriorMean);
	}

	private static double[][] eigenSpectra(final ColourBasis basis) {
		final double[][] l = new double[basis.channels()][];
		for (int e = 0; e < l.length; e++) l[e] = basis.eigenPrior(e).spectrum().values();
		return l;
	}

	private static double[] eigenMeanDc(final ColourBasis basis) {
		final double[] m = new double[basis.channels()];
		for (int e = 0; e < m.length; e++) m[e] = basis.eigenPrior(e).meanDc();
		return m;
	}

	private InpaintingSampler(final GaussianPrior prior, final HalfPlane plane, final ColourBasis basis, final double[][] lam, final double[] meanDc, final boolean[] observed, final double sigma,
		final DiffusionSampler.Config cfg, final double[] posteriorMean) {
		final DiffusionSampler.Plan plan = cfg.plan(sigma);
		this.prior = prior;
		this.plane = plane;
		this.basis = basis;
		this.lam = lam;
		this.meanDc = meanDc;
		channels = lam.length;
		pixels = plane.pixels;
		entries = channels * pixels;
		if (observed.length != entries) throw new IllegalArgumentException("The mask has " + observed.length + " entries but the prior " + (channels > 1 ? channels + " × " : "") + pixels + ".");
		this.observed = observed.clone();
		int m = 0;
		for (final boolean b : observed) if (b) m++;
		omega = new int[m];
		for (int i = 0, j = 0; i < observed.length; i++) if (observed[i]) omega[j++] = i;
		missing = new int[observed.length - m];
		for (int i = 0, j = 0; i < observed.length; i++) if (!observed[i]) missing[j++] = i;
		this.sigma = sigma;
		this.cfg = cfg;
		this.method = cfg.method();
		grid = plan.grid();
		n = grid.n;
		weight = plan.weights();
		unit = plan.unit();
		ddrm = plan.ddrm();
		if (posteriorMean != null && posteriorMean.length != entries) throw new IllegalArgumentException("The posterior mean has " + posteriorMean.length + " entries, not " + entries + ".");
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
		/** Eigen-channel spectra: the state, the denoised x̂0, the guidance term, the noise (and CG scratch). */
		final double[][] x = spectra(), x0 = spectra(), tmp = spectra(), z = spectra();
		/** The step's denoiser gain g_e(k), kept from x̂0 for the guidance filter (one division per frequency, not two). */
		final double[][] gain = new double[channels][plane.size];
		/** Channel spectra between the rotation and the FFTs (colour only). */
		final double[][] ch = basis == null ? null : spectra();
		final double[] px = new double[entries], px2 = new double[entries], noise = new double[entries];
		final double[] res = new double[omega.length], u = new double[omega.length];
		// CG scratch
		final double[] r = new double[omega.length], zz = new double[omega.length], p = new double[omega.length], ap = new double[omega.length];
		/**
		 * While columns are propagated step-major: step j's bracket solved exactly through the hole
		 * (see {@link #prepareBracket}), factorised once for every column; false: CG.
		 */
		boolean denseBracket;
		/** The bracket's inverse H = (aΓ + cI)⁻¹: its eigenvalues [e][k], its columns at pixel 0 of each channel, and H_MM's Cholesky solver. */
		double[][] hValues, hColumn;
		org.ejml.data.DMatrixRMaj hole, holeRhs, holeSol;
		org.ejml.interfaces.linsol.LinearSolverDense<org.ejml.data.DMatrixRMaj> holeSolver;

		private double[][] spectra() {
			final double[][] a = new double[channels][];
			for (int e = 0; e < channels; e++) a[e] = fft.newSpectrum();
			return a;
		}

		/** Eigen-channel spectra → channel-major pixels ({@code eig} untouched). */
		void toPixels(final double[][] eig, final double[] out) {
			if (basis == null) {
				fft.inverse(eig[0], out);
				return;
			}
			basis.fromEigen(eig, ch);
			for (int c = 0; c < channels; c++) fft.inverse(ch[c], out, c * pixels);
		}

		/** Channel-major pixels ({@code in} untouched) → eigen-channel spectra. */
		void toSpectra(final double[] in, final double[][] eig) {
			if (basis == null) {
				fft.forward(in, eig[0]);
				return;
			}
			for (int c = 0; c < channels; c++) fft.forward(in, c * pixels, ch[c]);
			basis.toEigen(ch, eig);
		}

		/** out = F in for the operator F diagonal in the eigen-channels with eigenvalues {@code values}[e][k] (in and out may be one array). */
		void filter(final double[][] values, final double[] in, final double[] out) {
			toSpectra(in, z);
			for (int e = 0; e < channels; e++) org.spectralposterior.core.fourier.Spectrum.scale(z[e], values[e]);
			toPixels(z, out);
		}

		void copyState(final double[] from) {
			for (int e = 0; e < channels; e++) System.arraycopy(from, e * x[e].length, x[e], 0, x[e].length);
		}

		/** The state, eigen-channel after eigen-channel, into {@code to} (null: a new array, returned). */
		double[] storeState(final double[] to) {
			final double[] out = to != null ? to : new double[channels * x[0].length];
			for (int e = 0; e < channels; e++) System.arraycopy(x[e], 0, out, e * x[e].length, x[e].length);
			return out;
		}
	}

	/**
	 * Runs every step from the start state in {@code w.x} (spectrum). {@code v} (full grid, Ω read)
	 * null and {@code affine} false give the linear part only (for the covariance columns);
	 * {@code rng} null: no noise (the mean pass, or the linear part).
	 */
	private void run(final Work w, final double[] v, final boolean affine, final SplittableRandom rng, final Progress progress) {
		for (int j = 0; j < n; j++) {
			if (progress != null) {
				progress.checkCancelled();
				progress.detail("step " + (j + 1) + "/" + n);
			}
			step(w, j, v, affine, rng);
		}
	}

	/** One step on w.x; {@code affine} false: its linear part (no prior mean; v null gives no measurement either). */
	private void step(final Work w, final int j, final double[] v, final boolean affine, final SplittableRandom rng) {
		final int size = plane.size;
		final double ab = grid.abT[j], sab = Math.sqrt(ab), one = 1 - ab, ph = grid.phi[j], ps = grid.psi[j], nuJ = grid.nu[j];
		for (int e = 0; e < channels; e++) {
			final double[] x = w.x[e], x0 = w.x0[e], l = lam[e], gain = w.gain[e];
			for (int k = 0; k < size; k++) {
				final double g = sab * l[k] / (ab * l[k] + one);
				gain[k] = g;
				x0[2 * k] = g * x[2 * k];
				x0[2 * k + 1] = g * x[2 * k + 1];
			}
			// The denoiser is affine in x_t: x̂0 = m + G(x_t − √ᾱ m), whose constant lives at DC only.
			if (affine) x0[0] += meanDc[e] * (1 - (sab * l[0] / (ab * l[0] + one)) * sab);
		}
		if (ddrm != null) {
			ddrmStep(w, j, v, rng);
			return;
		}
		final Guidance u = unit[j];
		double wj = weight[j];
		if (u.none()) for (final double[] t : w.tmp) java.util.Arrays.fill(t, 0);
		else {
			// y on Ω: x̂0, or x_t/sqrt(ᾱ_t) for a guidance on x_t.
			if (u.onXt()) {
				for (int e = 0; e < channels; e++) for (int i = 0; i < w.x[e].length; i++) w.tmp[e][i] = w.x[e][i] / sab;
				w.toPixels(w.tmp, w.px);
			}
			else w.toPixels(w.x0, w.px);
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
			else if (w.denseBracket) solveThroughHole(w);
			else solveBracket(w, j, u);
			java.util.Arrays.fill(w.px, 0);
			for (int i = 0; i < omega.length; i++) w.px[omega[i]] = w.u[i];
			w.toSpectra(w.px, w.tmp);
			final double sc = wj * u.scale(), fG = u.fG(), fGam = u.fGamma(), fI = u.fI();
			for (int e = 0; e < channels; e++) {
				final double[] t = w.tmp[e], gain = w.gain[e];
				for (int k = 0; k < size; k++) {
					// Γ = g (1 − ᾱ)/√ᾱ, rounded as before the gain was kept (grey CGDM's draws stay bit-identical).
					final double g = gain[k], f = sc * (fG * g + fGam * (g * one / sab) + fI);
					t[2 * k] *= f;
					t[2 * k + 1] *= f;
				}
			}
		}
		final boolean noisy = rng != null && nuJ > 0;
		for (int e = 0; e < channels; e++) {
			final double[] x = w.x[e], x0 = w.x0[e], t = w.tmp[e], z = w.z[e];
			if (noisy) HermitianNoise.fill(plane, rng, z);
			for (int i = 0; i < x.length; i++) x[i] = ph * x0[i] + ps * x[i] + t[i] + (noisy ? nuJ * z[i] : 0);
		}
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
		w.toSpectra(w.px2, w.z);
		for (int e = 0; e < channels; e++) {
			final double[] z = w.z[e], l = lam[e];
			for (int k = 0; k < plane.size; k++) {
				final double gam = one * l[k] / (ab * l[k] + one), f = inverse ? 1 / (a * gam + c) : a * gam;
				z[2 * k] *= f;
				z[2 * k + 1] *= f;
			}
		}
		w.toPixels(w.z, w.px2);
		for (int i = 0; i < omega.length; i++) out[i] = w.px2[omega[i]] + (inverse ? 0 : c * in[i]);
	}

	/**
	 * DDRM in pixels (A's singular vectors): what is missing takes the null-space update, an
	 * observed pixel its branch by σ_s against σ_y (MATH §7.5, singular value 1).
	 */
	private void ddrmStep(final Work w, final int j, final double[] v, final SplittableRandom rng) {
		final double ab = grid.abT[j], sab = Math.sqrt(ab), sas = Math.sqrt(grid.abS[j]), sigT = grid.veT[j], sigS = grid.veS[j];
		final double eta = ddrm.eta(), etaB = ddrm.etaB(), c1 = Math.sqrt(1 - eta * eta) * sigS, sy = sigma;
		w.toPixels(w.x0, w.px);
		w.toPixels(w.x, w.px2);
		if (rng != null) for (int i = 0; i < w.noise.length; i++) w.noise[i] = rng.nextGaussian();
		else java.util.Arrays.fill(w.noise, 0);
		for (int i = 0; i < entries; i++) {
			final double x0 = w.px[i], xt = w.px2[i] / sab, zi = w.noise[i];
			final double yv = v == null ? 0 : v[i];
			final double out;
			if (!observed[i] || sigS == sy) out = x0 + c1 * (xt - x0) / sigT + eta * sigS * zi;
			else if (sigS > sy) out = (1 - etaB) * x0 + etaB * yv + Math.sqrt(Math.max(0, sigS * sigS - etaB * etaB * sy * sy)) * zi;
			else out = x0 + c1 * (yv - x0) / sy + eta * sigS * zi;
			w.px[i] = sas * out;
		}
		w.toSpectra(w.px, w.x);
	}

	/** The start state into w.x: noise (rng null: its mean), SDEdit's or DDRM's. */
	private void begin(final Work w, final double[] v, final SplittableRandom rng, final boolean affine) {
		begin(w, v, rng, affine, start);
	}

	/** As above with SDEdit's start image given (the posterior mean of v). */
	private void begin(final Work w, final double[] v, final SplittableRandom rng, final boolean affine, final double[] start) {
		final double ab = grid.abT[0];
		switch (method.start()) {
			case NOISE -> whiteStart(w, rng);
			case POSTERIOR_MEAN -> {
				whiteStart(w, rng);
				if (affine) w.toSpectra(start, w.tmp);
				else for (final double[] t : w.tmp) java.util.Arrays.fill(t, 0);
				final double a = Math.sqrt(ab), b = Math.sqrt(1 - ab);
				for (int e = 0; e < channels; e++) for (int i = 0; i < w.x[e].length; i++) w.x[e][i] = a * w.tmp[e][i] + b * w.x[e][i];
			}
			case SPECTRAL -> {
				final double sigT = Math.sqrt((1 - ab) / ab), d0 = Math.sqrt(Math.max(0, sigT * sigT - sigma * sigma));
				for (int i = 0; i < entries; i++) {
					final double zi = rng == null ? 0 : rng.nextGaussian();
					final boolean seen = observed[i] && sigT > sigma;
					w.px[i] = Math.sqrt(ab) * (seen ? (affine ? v[i] : 0) + d0 * zi : sigT * zi);
				}
				w.toSpectra(w.px, w.x);
			}
		}
	}

	/** N(0, I) into the state (white in the channels is white in the eigen-channels); rng null: 0. */
	private void whiteStart(final Work w, final SplittableRandom rng) {
		for (final double[] x : w.x) {
			if (rng != null) HermitianNoise.fill(plane, rng, x);
			else java.util.Arrays.fill(x, 0);
		}
	}

	/** A step-by-step sampler for one measurement (full grid, channel-major in colour; the entries of Ω are read). */
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
			w.toPixels(w.x, out);
		}
	}

	/** The exact mean of the output given v: the same steps without noise. */
	public double[] mean(final double[] measurement, final Progress progress) {
		final Work w = new Work();
		begin(w, measurement, null, true);
		run(w, measurement, true, null, progress);
		final double[] out = new double[entries];
		w.toPixels(w.x, out);
		return out;
	}

	/**
	 * The exact output covariance (d×d, row-major): S ← 𝔸 S 𝔸ᵀ + E per step, 𝔸 applied to columns by
	 * the same step code (linear part: no v, no mean, no noise) and E the step's noise covariance
	 * (ν²I, or DDRM's per-pixel variances). Cost: 2n·d step applications; d ≤ {@link #DENSE_LIMIT}.
	 */
	public double[] covariance(final Progress progress) {
		checkAffine();
		checkDense(false);
		return propagate(new Work(), null, progress);
	}

	private void checkAffine() {
		if (method.normalisedByResidual()) throw new IllegalArgumentException(method.label + " is not affine (its weight divides by the residual): its law has no closed form here; use its samples.");
	}

	private void checkDense(final boolean expected) {
		final int d = entries;
		if (d > DENSE_LIMIT) {
			throw new IllegalArgumentException("The exact output law on inpainting is dense: at most " + DENSE_LIMIT + (channels > 1 ? " channel-pixels (C·W·H: 3 × 36×36 in RGB)" : " pixels (64×64)") + ", got " + d
				+ "; crop the image (larger images have only a Monte-Carlo estimate, from samples).");
		}
		checkDenseMemory(d, omega.length, expected);
	}

	/**
	 * Bytes held at the peak of the dense work on d pixels, m observed: the output covariance S and
	 * its half-step copy (2·8d²), the posterior factor and its Cholesky copy (2·8d²), the Bures
	 * product (8d²) and, for the expectation, the m + 1 mean columns (8dm).
	 */
	public static long denseBytes(final int d, final int m, final boolean expected) {
		return 8L * d * d * 5 + (expected ? 8L * (m + 1) * (d + 2L * (long) Math.sqrt(d) + 2) : 0);
	}

	/** Refuses, before any work, a dense computation that would not fit in the memory left. */
	public static void checkDenseMemory(final int d, final int m, final boolean expected) {
		final Runtime rt = Runtime.getRuntime();
		final long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()), need = denseBytes(d, m, expected);
		if (need > free) throw new IllegalArgumentException("The exact dense law of " + d + " pixels needs about " + (need >> 20) + " MB but " + (free >> 20)
			+ " MB are free: give the JVM more memory (-Xmx), crop the image, or use the Monte-Carlo estimate.");
	}

	/**
	 * S (returned) and, when {@code state} is not null, the noise-free runs of its columns (mean map
	 * columns, spectra, each with its own measurement {@link #unitMeasurement}) through every step.
	 * One bracket factorisation per step serves both; nothing is allocated per step.
	 */
	private double[] propagate(final Work w, final double[][] state, final Progress progress) {
		final int d = entries;
		final double[] s = new double[d * d];
		startCovariance(s);
		final double[] t = new double[d * d], col = new double[d], v = new double[d];
		for (int j = 0; j < n; j++) {
			w.denseBracket = unit[j].dAGammaA() != 0;
			if (w.denseBracket) prepareBracket(w, j, unit[j]);
			if (state != null) {
				for (int c = 0; c < state.length; c++) {
					if (progress != null) progress.checkCancelled();
					unitMeasurement(c, v);
					w.copyState(state[c]);
					step(w, j, v, true, null);
					w.storeState(state[c]);
				}
			}
			// S' = 𝔸 (𝔸 S)ᵀ = 𝔸 S 𝔸ᵀ (S symmetric). S's column c is its row c, so U = (𝔸S)ᵀ has
			// 𝔸 s_c as row c (contiguous writes); a blocked transpose makes U's columns rows again
			// (a column-wise write is a cache miss per entry at d = 4096); S' is symmetric, so its
			// columns are stored as rows.
			for (int c = 0; c < d; c++) {
				if (progress != null) progress.checkCancelled();
				System.arraycopy(s, c * d, col, 0, d);
				applyLinear(w, j, col);
				System.arraycopy(col, 0, t, c * d, d);
			}
			transpose(t, d);
			for (int c = 0; c < d; c++) {
				if (progress != null) progress.checkCancelled();
				System.arraycopy(t, c * d, col, 0, d);
				applyLinear(w, j, col);
				System.arraycopy(col, 0, s, c * d, d);
			}
			addStepNoise(j, s);
			if (progress != null) progress.update(j + 1, n + 1);
		}
		w.denseBracket = false;
		return s;
	}

	/** In-place transpose of a row-major d×d matrix, by 64×64 tiles. */
	private static void transpose(final double[] a, final int d) {
		final int b = 64;
		for (int i0 = 0; i0 < d; i0 += b) for (int j0 = i0; j0 < d; j0 += b) {
			final int i1 = Math.min(d, i0 + b), j1 = Math.min(d, j0 + b);
			for (int i = i0; i < i1; i++) for (int j = j0 == i0 ? i + 1 : j0; j < j1; j++) {
				final double x = a[i * d + j];
				a[i * d + j] = a[j * d + i];
				a[j * d + i] = x;
			}
		}
	}

	/** Column c's measurement for the mean map: 0 for c = 0, else the unit vector on Ω's (c − 1)-th pixel. */
	private void unitMeasurement(final int c, final double[] v) {
		java.util.Arrays.fill(v, 0);
		if (c > 0) v[omega[c - 1]] = 1;
	}

	/**
	 * Step j's bracket S_Ω G S_Ωᵀ, G = aΓ + cI circulant, inverted through the hole M: with H = G⁻¹
	 * (Fourier-diagonal), (G_ΩΩ)⁻¹ = H_ΩΩ − H_ΩM (H_MM)⁻¹ H_MΩ (the block inverse). So only the
	 * |M|×|M| block H_MM is factorised (|M|³/3), and each solve is four FFTs and an |M|² solve —
	 * not the |Ω|³/3 of the bracket itself. Buffers are allocated on the first step only.
	 */
	private void prepareBracket(final Work w, final int j, final Guidance u) {
		final int k = missing.length;
		final double ab = grid.abT[j], one = 1 - ab, c = u.dAA() + u.dI(), a = u.dAGammaA();
		if (w.hValues == null) {
			w.hValues = new double[channels][plane.size];
			w.hColumn = new double[channels][entries];
			w.hole = new org.ejml.data.DMatrixRMaj(k, k);
			w.holeRhs = new org.ejml.data.DMatrixRMaj(k, 1);
			w.holeSol = new org.ejml.data.DMatrixRMaj(k, 1);
			w.holeSolver = org.ejml.dense.row.factory.LinearSolverFactory_DDRM.chol(k);
		}
		for (int e = 0; e < channels; e++) {
			for (int q = 0; q < plane.size; q++) {
				final double g = a * one * lam[e][q] / (ab * lam[e][q] + one) + c;
				if (!(g > 0)) throw new ArithmeticException("CGDM's C_{v|t} is not positive definite at step " + (j + 1) + " (σ = 0 with a singular prior?)");
				w.hValues[e][q] = 1 / g;
			}
		}
		if (k == 0) return;
		// H is shift-invariant within each channel pair: H_(c,p),(c',q) = H_(c,p−q),(c',0), read off its
		// column at pixel 0 of channel c'.
		for (int cc = 0; cc < channels; cc++) {
			java.util.Arrays.fill(w.px2, 0);
			w.px2[cc * pixels] = 1;
			w.filter(w.hValues, w.px2, w.hColumn[cc]);
		}
		final int width = plane.width, height = plane.height;
		for (int i = 0; i < k; i++) for (int l = 0; l < k; l++) {
			final int ci = missing[i] / pixels, p = missing[i] % pixels, cl = missing[l] / pixels, q = missing[l] % pixels;
			w.hole.data[i * k + l] = w.hColumn[cl][ci * pixels + Math.floorMod(p / width - q / width, height) * width + Math.floorMod(p % width - q % width, width)];
		}
		if (!w.holeSolver.setA(w.hole)) throw new ArithmeticException("CGDM's C_{v|t} is not positive definite at step " + (j + 1) + " (σ = 0 with a singular prior?)");
	}

	/** w.u = (G_ΩΩ)⁻¹ w.res with the factorisation of {@link #prepareBracket}. */
	private void solveThroughHole(final Work w) {
		java.util.Arrays.fill(w.px2, 0);
		for (int i = 0; i < omega.length; i++) w.px2[omega[i]] = w.res[i];
		w.filter(w.hValues, w.px2, w.px2);
		for (int i = 0; i < omega.length; i++) w.u[i] = w.px2[omega[i]];
		final int k = missing.length;
		if (k == 0) return;
		for (int i = 0; i < k; i++) w.holeRhs.data[i] = w.px2[missing[i]];
		w.holeSolver.solve(w.holeRhs, w.holeSol);
		java.util.Arrays.fill(w.px2, 0);
		for (int i = 0; i < k; i++) w.px2[missing[i]] = w.holeSol.data[i];
		w.filter(w.hValues, w.px2, w.px2);
		for (int i = 0; i < omega.length; i++) w.u[i] -= w.px2[omega[i]];
	}

	/** col ← 𝔸_j col: step j's linear part (no measurement, no mean, no noise). */
	private void applyLinear(final Work w, final int j, final double[] col) {
		w.toSpectra(col, w.x);
		step(w, j, null, false, null);
		w.toPixels(w.x, col);
	}

	/**
	 * E_v W2² of this sampler's law to the exact posterior over measurements v_Ω ~ N(μ, C_v),
	 * C_v = Σ_ΩΩ + σ²I (MATH §9.3, dense form): tr((P − K)C_v(P − K)ᵀ) + ‖(P − K)μ + q − q*‖² +
	 * Bures(S, Σ_post), with the law's mean map v ↦ Pv + q read off m + 1 noise-free runs (v = 0 and
	 * one per observed pixel) propagated with S step by step, one bracket factorisation per step.
	 * K = Σ_{·Ω}C_v⁻¹ is never formed: K C_v = Σ_{·Ω} and K C_v Kᵀ = Σ − Σ_post give
	 * <pre>
	 *   tr((P − K)C_v(P − K)ᵀ) = Σ_p ⟨P_p, C_v P_p⟩ − 2 Σ_i (Σ P e_i)_{Ω_i} + tr Σ − tr Σ_post
	 * </pre>
	 * (P_p the rows of P: d applications of C_v by FFT). The Bures term uses the posterior's factor
	 * ({@link InpaintingPosterior#denseFactor}, {@link org.spectralposterior.core.metric.DenseGaussian#bures}).
	 * The posterior must be for this prior and mask; {@code noiseSigma} is the measurement's σ.
	 * Returns {E_v W2², mean part, covariance part}. Images of at most {@link #DENSE_LIMIT} pixels,
	 * memory checked first.
	 */
	public double[] expectedW2(final org.spectralposterior.core.posterior.InpaintingPosterior posterior, final double noiseSigma, final Progress progress) {
		if (prior == null) throw new IllegalArgumentException("This sampler runs a colour prior: give its ColourInpaintingPosterior.");
		// Σ is this sampler's spectrum: the posterior must condition on the same (its effective prior).
		if (!java.util.Arrays.equals(lam[0], posterior.effectivePrior().spectrum().values())) {
			throw new IllegalArgumentException("The sampler must run on the posterior's effective prior (InpaintingPosterior#effectivePrior).");
		}
		return expectedW2(v -> posterior.mean(v, null), () -> posterior.variance(progress), () -> posterior.denseFactor(DENSE_LIMIT, progress), noiseSigma, progress);
	}

	/**
	 * The same for colour inpainting under a cross-channel prior: entries are channel-major (c·N + p),
	 * Σ is applied through the eigen-channels of the conditioned basis this sampler runs on (the
	 * posterior's, DC block included), the prior mean is each channel's, and the posterior's variance and
	 * factor are its dense ones (up to {@link org.spectralposterior.core.posterior.ColourInpaintingPosterior#DENSE_VARIANCE_LIMIT}).
	 */
	public double[] expectedW2(final org.spectralposterior.core.posterior.ColourInpaintingPosterior posterior, final double noiseSigma, final Progress progress) {
		return expectedW2(posterior, null, null, noiseSigma, progress);
	}

	/** As above, with the posterior's dense variance and factor already computed (null: computed here), so a comparison of methods computes them once. */
	public double[] expectedW2(final org.spectralposterior.core.posterior.ColourInpaintingPosterior posterior, final double[] posteriorVariance, final org.ejml.data.DMatrixRMaj posteriorFactor,
		final double noiseSigma, final Progress progress) {
		if (basis == null) throw new IllegalArgumentException("This sampler runs a grey prior: give its InpaintingPosterior.");
		// Checked before minutes of dense propagation: the posterior's variance and factor are dense up to this size.
		if (entries > org.spectralposterior.core.posterior.ColourInpaintingPosterior.DENSE_VARIANCE_LIMIT) {
			throw new IllegalArgumentException("E_v W2² on colour inpainting is exact up to " + org.spectralposterior.core.posterior.ColourInpaintingPosterior.DENSE_VARIANCE_LIMIT + " channel-pixels (" + entries + " here).");
		}
		if (!java.util.Arrays.equals(observed, posterior.observedMask())) throw new IllegalArgumentException("The posterior is for another mask than this sampler's.");
		return expectedW2(v -> posterior.mean(v, null), () -> posteriorVariance != null ? posteriorVariance : posterior.pixelVariance(progress),
			() -> posteriorFactor != null ? posteriorFactor : posterior.denseFactor(progress), noiseSigma, progress);
	}

	private double[] expectedW2(final java.util.function.UnaryOperator<double[]> posteriorMean, final java.util.function.Supplier<double[]> posteriorVariance,
		final java.util.function.Supplier<org.ejml.data.DMatrixRMaj> posteriorFactor, final double noiseSigma, final Progress progress) {
		final int d = entries, m = omega.length;
		checkAffine();
		checkDense(true);
		final Work w = new Work();
		// The prior mean, entry by entry (each channel's): the image whose eigen-spectra hold only the DC means.
		final double[] mu = new double[d];
		for (int e = 0; e < channels; e++) {
			java.util.Arrays.fill(w.x[e], 0);
			w.x[e][0] = meanDc[e];
		}
		w.toPixels(w.x, mu);
		final double[][] state = new double[m + 1][];
		final double[] v = new double[d];
		for (int c = 0; c <= m; c++) {
			if (progress != null) progress.checkCancelled();
			unitMeasurement(c, v);
			// SDEdit's start: the posterior mean of this v (kriging by CG; other methods ignore it).
			begin(w, v, null, true, method.start() == Method.Start.POSTERIOR_MEAN ? posteriorMean.apply(v) : null);
			state[c] = w.storeState(null);
		}
		final double[] s = propagate(w, state, progress);
		final double[] q = new double[d];
		w.copyState(state[0]);
		w.toPixels(w.x, q);
		// P's columns, pixels, into the state arrays (each at least d long: C spectra of ≥ N/C·2 … ≥ d values).
		for (int c = 1; c <= m; c++) {
			w.copyState(state[c]);
			w.toPixels(w.x, w.px);
			for (int p = 0; p < d; p++) state[c][p] = w.px[p] - q[p];
		}
		final double var = noiseSigma * noiseSigma;
		double fluct = 0, cross = 0, bias = 0;
		final double[] row = new double[d], cvRow = new double[m];
		for (int p = 0; p < d; p++) {
			if (progress != null && (p & 63) == 0) progress.checkCancelled();
			java.util.Arrays.fill(row, 0);
			double mean = q[p];
			for (int i = 0; i < m; i++) {
				row[omega[i]] = state[i + 1][p];
				mean += state[i + 1][p] * mu[omega[i]];
			}
			bias += (mean - mu[p]) * (mean - mu[p]);
			w.filter(lam, row, w.px2);
			for (int i = 0; i < m; i++) cvRow[i] = w.px2[omega[i]] + var * row[omega[i]];
			for (int i = 0; i < m; i++) fluct += row[omega[i]] * cvRow[i];
		}
		for (int i = 0; i < m; i++) {
			System.arraycopy(state[i + 1], 0, row, 0, d);
			w.filter(lam, row, row);
			cross += row[omega[i]];
		}
		double trPrior = 0;
		for (int e = 0; e < channels; e++) for (int k = 0; k < plane.size; k++) trPrior += plane.multiplicity(k) * lam[e][k];
		double trPost = 0;
		for (final double x : posteriorVariance.get()) trPost += x;
		// Four terms of size tr Σ cancel here: a law with the posterior's gain (CGDM) leaves a rounding
		// residue of either sign (−4e-9 of tr Σ ≈ 2300 at 48²); the trace of a PSD form is ≥ 0.
		fluct = Math.max(0, fluct - 2 * cross + trPrior - trPost);
		java.util.Arrays.fill(state, null);
		if (progress != null) progress.checkCancelled();
		final org.ejml.data.DMatrixRMaj f = posteriorFactor.get();
		final double bures = org.spectralposterior.core.metric.DenseGaussian.bures(s, f, null);
		if (progress != null) progress.update(n + 1, n + 1);
		return new double[] { fluct + bias + bures, fluct + bias, bures };
	}

	private void startCovariance(final double[] s) {
		final int d = entries;
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
		final int d = entries;
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
