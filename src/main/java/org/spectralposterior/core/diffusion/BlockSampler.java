package org.spectralposterior.core.diffusion;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.spectralposterior.core.Progress;
import org.spectralposterior.core.metric.HermitianEigen;
import org.spectralposterior.core.posterior.BlockLaw;
import org.spectralposterior.core.posterior.ComplexDense;
import org.spectralposterior.core.posterior.DenseBlocks;

/**
 * Every zero-shot sampler on an operator that is block-diagonal in Fourier with small dense blocks
 * ({@link DenseBlocks}: colour super-resolution, colour blur with one PSF per channel), by the affine
 * recursion of MATH §8 in block form: per block and step, x_s = 𝔸 x_t + 𝔹 V + c + noise, so
 * P ← 𝔸P + 𝔹, q ← 𝔸q + c, S ← 𝔸S𝔸* + E.
 * <p>
 * Each block runs in its prior's eigenbasis, Λ = W diag(ℓ) W*, x' = W* x, A' = A W: there the exact
 * denoiser x̂0 = G x_t + h is diagonal, g(ℓ), and so is Γ = γ(ℓ) (MATH §7.4). A guided step adds
 * 𝒦 (V − A y), y = x̂0 (or x_t/sqrt(ᾱ) for a method on x_t), with {@link Guidance}'s gain
 * 𝒦 = w·scale·(fG G + fΓ Γ + fI I) A* B⁺, B = dAA AA* + dAΓA AΓA* + dI I; DDRM (MATH §7.5) works in A's
 * SVD coordinates A = U diag(s) V* (from the Hermitian eigendecomposition of A*A), one affine rule per
 * coordinate, X̄'_s = α_i x̂'_i + β_i X̄'_t,i + b_i ȳ_i + e_i z'_i, the same rule (α_N, β_N, e_N) on every
 * null coordinate. Either way a step is diagonal plus rank m:
 * <pre>
 *   𝔸 = D + X Y (D real diagonal, X n×m, Y m×n),  E = ν² I + X diag(ε) X*,
 *   guided: D = φg + ψ, X = −𝒦, Y = A'G (or A'/sqrt(ᾱ)), 𝔹 = 𝒦, c = φh − 𝒦A'h, ε = 0;
 *   DDRM:   D = sqrt(ᾱ_s)(α_N g + β_N/sqrt(ᾱ_t)), X = V_O (the first m columns of V),
 *           Y = sqrt(ᾱ_s)[diag(α_O − α_N) V_O* G + diag(β_O − β_N) V_O* / sqrt(ᾱ_t)],
 *           𝔹 = sqrt(ᾱ_s) V diag(b/s) U*, c = sqrt(ᾱ_s)(α_N h + X diag(α_O − α_N) X* h), ε = ᾱ_s(e_O² − e_N²),
 * </pre>
 * so S ← 𝔸S𝔸* + E costs O(n²m) per block and step rather than O(n³). The law is turned back to the
 * pixel-frequency basis once at the end.
 * <p>
 * The residual-normalised DPS (its weight couples all blocks, MATH §7.3) is refused, as are band weights
 * ({@link DiffusionSampler.Config#plan}).
 */
public final class BlockSampler {

	/**
	 * A singular value below this fraction of the problem's largest counts as zero for DDRM (the null
	 * branch): an exact null direction (decimation) comes out of the eigendecomposition of A*A at
	 * rounding size, never exactly 0.
	 */
	static final double RANK_TOL = 1e-10;

	private final DenseBlocks pr;
	private final DiffusionSampler.Config cfg;
	private final Method method;
	private final StepGrid grid;
	private final double[] weight;
	private final Guidance[] unit;
	private final Method.SpectralRule ddrm;
	private final BlockLaw posterior;
	private final int n, m;
	/**
	 * Per block, in the prior's eigenbasis: ℓ (n), W (n×n), A' = A W (m×n), M' = W* M (block 0); for
	 * DDRM, A's singular values (n, zero beyond the rank) and V' (n×n, the right singular vectors of A').
	 */
	private final double[] ell, wv, ap, mp, sv, vv;
	/** Per block: AA* = U_A diag(μ) U_A*, so that a bracket without AΓA* is inverted without an eigendecomposition per step. */
	private final double[] mu, ua;

	public BlockSampler(final DenseBlocks problem, final DiffusionSampler.Config cfg) {
		final Method mt = cfg.method();
		if (mt.normalisedByResidual()) {
			throw new IllegalArgumentException(mt.label + " divides its weight by the residual of the whole image, which couples the colour blocks; use dps (weights per step) instead.");
		}
		final DiffusionSampler.Plan plan = cfg.plan(problem.sigma);
		pr = problem;
		this.cfg = cfg;
		method = mt;
		grid = plan.grid();
		weight = plan.weights();
		unit = plan.unit();
		ddrm = plan.ddrm();
		n = pr.n;
		m = pr.m;
		posterior = BlockLaw.posterior(pr);
		final int count = pr.count;
		ell = new double[count * n];
		wv = new double[2 * count * n * n];
		ap = new double[2 * count * m * n];
		mp = new double[2 * n];
		final ThreadLocal<HermitianEigen> eig = ThreadLocal.withInitial(() -> new HermitianEigen(n));
		IntStream.range(0, count).parallel().forEach(b -> {
			eig.get().decompose(pr.lam(), pr.lamOffset(b), ell, b * n, wv, 2 * b * n * n);
			for (int i = b * n; i < (b + 1) * n; i++) ell[i] = Math.max(0, ell[i]);
			ComplexDense.mult(pr.a(), pr.aOffset(b), false, wv, 2 * b * n * n, false, ap, 2 * b * m * n, m, n, n, false);
		});
		ComplexDense.mult(wv, 0, true, pr.mean0(), 0, false, mp, 0, n, n, 1, false);
		mu = new double[count * m];
		ua = new double[2 * count * m * m];
		final ThreadLocal<HermitianEigen> eigM = ThreadLocal.withInitial(() -> new HermitianEigen(m));
		IntStream.range(0, count).parallel().forEach(b -> eigM.get().decompose(pr.aat(), pr.aatOffset(b), mu, b * m, ua, 2 * b * m * m));
		if (ddrm != null) {
			sv = new double[count * n];
			vv = new double[2 * count * n * n];
			final double[] ata = new double[2 * count * n * n];
			IntStream.range(0, count).parallel().forEach(b -> {
				ComplexDense.mult(ap, 2 * b * m * n, true, ap, 2 * b * m * n, false, ata, 2 * b * n * n, n, m, n, false);
				eig.get().decompose(ata, 2 * b * n * n, sv, b * n, vv, 2 * b * n * n);
			});
			double top = 0;
			for (final double s2 : sv) top = Math.max(top, s2);
			final double cut = RANK_TOL * RANK_TOL * top;
			for (int b = 0; b < count; b++) for (int i = 0; i < n; i++) sv[b * n + i] = i < m && sv[b * n + i] > cut ? Math.sqrt(sv[b * n + i]) : 0;
		}
		else {
			sv = null;
			vv = null;
		}
	}

	public DenseBlocks problem() {
		return pr;
	}

	public BlockLaw posterior() {
		return posterior;
	}

	public DiffusionSampler.Config config() {
		return cfg;
	}

	public StepGrid grid() {
		return grid;
	}

	public double[] weights() {
		return weight.clone();
	}

	/** The closed-form output law and the weights it used. */
	public record Law(BlockLaw law, double[] weights) {}

	public Law closedForm() {
		return closedForm(() -> false);
	}

	/** The exact output law; polls {@code cancelled} every step of every block. */
	public Law closedForm(final BooleanSupplier cancelled) {
		return closedForm(cancelled, Progress.NONE);
	}

	/** As above, reporting the share of blocks done on {@code progress} (from pool threads). */
	public Law closedForm(final BooleanSupplier cancelled, final Progress progress) {
		final int count = pr.count;
		final AtomicLong done = new AtomicLong();
		final double[] p = new double[2 * count * n * m], q = new double[2 * n], s = new double[2 * count * n * n];
		final ThreadLocal<Work> work = ThreadLocal.withInitial(Work::new);
		IntStream.range(0, count).parallel().forEach(b -> {
			final Work w = work.get();
			final int po = 2 * b * n * m, so = 2 * b * n * n;
			start(b, w);
			for (int j = 0; j < grid.n; j++) {
				if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
				if (ddrm != null) ddrmCoefficients(j, b, w);
				else guidedCoefficients(j, b, w);
				apply(b, w);
			}
			// Back from the eigenbasis: P = W P', q = W q', S = W S' W*.
			ComplexDense.mult(wv, so, false, w.p, 0, false, p, po, n, n, m, false);
			if (b == 0) ComplexDense.mult(wv, so, false, w.q, 0, false, q, 0, n, n, 1, false);
			ComplexDense.mult(wv, so, false, w.s, 0, false, w.t, 0, n, n, n, false);
			ComplexDense.mult(w.t, 0, false, wv, so, true, s, so, n, n, n, false);
			ComplexDense.hermitian(s, so, n);
			final long k = done.incrementAndGet();
			if ((k & 31) == 0 || k == count) progress.update(k, count);
		});
		return new Law(new BlockLaw(pr, p, q, s), weight.clone());
	}

	/**
	 * One sample by running the method step by step (not drawn from its law): per block, in the prior's
	 * eigenbasis, x' ← D x' + X (Y x') + 𝔹 V + c + e, the step of the closed form applied to the sample,
	 * with fresh noise e of covariance ν² I + X diag(ε) X* every step. That noise is ν ξ' + X diag(√(ν² + ε) − ν)
	 * X* ξ', ξ' = W* ξ the eigenbasis coordinates of the block of a real white-noise image per channel
	 * (X has orthonormal columns where ε ≠ 0: DDRM's V_O). The start is the closed form's start law, drawn
	 * the same way. {@code rng}: this sample's generator (one split per step, and one for the start).
	 *
	 * @param measurement the C low-resolution (or, r = 1, full) channel images
	 * @return the C high-resolution channel images
	 */
	public double[][] sample(final double[][] measurement, final java.util.SplittableRandom rng, final BooleanSupplier cancelled) {
		final int count = pr.count, channels = pr.channels(), pixels = pr.hr().pixels;
		final double[] v = pr.measurementBlocks(measurement);
		final double[] x = new double[2 * count * n];
		final ThreadLocal<Work> work = ThreadLocal.withInitial(Work::new);
		final ThreadLocal<double[][]> vecs = ThreadLocal.withInitial(() -> new double[][] { new double[2 * n], new double[2 * n], new double[2 * m], new double[2 * m], new double[2 * n * n] });
		// The noise buffers and the transform, made once for all steps.
		final double[][] white = new double[channels][pixels];
		final double[] xi = new double[2 * count * n];
		final org.spectralposterior.core.fourier.RealFft2 fft = new org.spectralposterior.core.fourier.RealFft2(pr.hr());
		final double[] spec = fft.newSpectrum();
		for (int j = -1; j < grid.n; j++) {
			if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
			// ξ: the blocks of C real white-noise images (the closed form's I in these coordinates).
			final java.util.SplittableRandom stepRng = rng.split();
			for (final double[] im : white) for (int i = 0; i < pixels; i++) im[i] = stepRng.nextGaussian();
			pr.imageBlocks(white, fft, spec, xi);
			final int step = j;
			IntStream.range(0, count).parallel().forEach(b -> {
				final Work w = work.get();
				final double[][] t = vecs.get();
				final double[] z = t[0], y = t[1], u = t[2], u2 = t[3], root = t[4];
				final int xo = 2 * b * n, wo = 2 * b * n * n, vo = 2 * b * m;
				// ξ' = W* ξ_b
				ComplexDense.mult(wv, wo, true, xi, xo, false, z, 0, n, n, 1, false);
				if (step < 0) {
					start(b, w);
					// x' = P V + q + S^{1/2} ξ': S is I, (1 − ᾱ)I, or DDRM's V diag(e²) V*.
					ComplexDense.mult(w.p, 0, false, v, vo, false, y, 0, n, m, 1, false);
					if (b == 0) for (int i = 0; i < 2 * n; i++) y[i] += w.q[i];
					if (method.start() == Method.Start.SPECTRAL) {
						// start() left DDRM's start variances e² (S = V diag(e²) V*) in w.g.
						final double[] e = w.gam;
						for (int i = 0; i < n; i++) e[i] = Math.sqrt(Math.max(0, w.g[i]));
						ComplexDense.spectral(vv, wo, e, 0, root, 0, n);
						ComplexDense.mult(root, 0, false, z, 0, false, y, 0, n, n, 1, true);
					}
					else {
						final double sd = Math.sqrt(w.s[0]);
						for (int i = 0; i < 2 * n; i++) y[i] += sd * z[i];
					}
					System.arraycopy(y, 0, x, xo, 2 * n);
					return;
				}
				if (ddrm != null) ddrmCoefficients(step, b, w);
				else guidedCoefficients(step, b, w);
				// y = D x' + X (Y x') + 𝔹 V + c + ν ξ' + X diag(√(ν² + ε) − ν) X* ξ'
				ComplexDense.mult(w.y, 0, false, x, xo, false, u, 0, m, n, 1, false);
				final double nu = Math.sqrt(w.nu2);
				for (int i = 0; i < n; i++) {
					y[2 * i] = w.dd[i] * x[xo + 2 * i] + nu * z[2 * i];
					y[2 * i + 1] = w.dd[i] * x[xo + 2 * i + 1] + nu * z[2 * i + 1];
				}
				if (b == 0) for (int i = 0; i < 2 * n; i++) y[i] += w.c[i];
				ComplexDense.mult(w.bb, 0, false, v, vo, false, y, 0, n, m, 1, true);
				boolean lowRank = false;
				for (int o = 0; o < m; o++) lowRank |= w.eps[o] != 0;
				if (lowRank) {
					ComplexDense.mult(w.x, 0, true, z, 0, false, u2, 0, m, n, 1, false);
					for (int o = 0; o < m; o++) {
						final double f = Math.sqrt(Math.max(0, w.nu2 + w.eps[o])) - nu;
						u[2 * o] += f * u2[2 * o];
						u[2 * o + 1] += f * u2[2 * o + 1];
					}
				}
				ComplexDense.mult(w.x, 0, false, u, 0, false, y, 0, n, m, 1, true);
				System.arraycopy(y, 0, x, xo, 2 * n);
			});
		}
		// Back from the eigenbasis: x = W x'.
		final double[] out = new double[x.length];
		IntStream.range(0, count).parallel().forEach(b -> ComplexDense.mult(wv, 2 * b * n * n, false, x, 2 * b * n, false, out, 2 * b * n, n, n, 1, false));
		return pr.images(out);
	}

	/** Per-thread work arrays: one step on one block allocates nothing. */
	private final class Work {
		/** The block's law in the eigenbasis. */
		final double[] p = new double[2 * n * m], q = new double[2 * n], s = new double[2 * n * n], t = new double[2 * n * n];
		/** The step: D, X, Y, 𝔹, c, ε and ν². */
		final double[] dd = new double[n], x = new double[2 * n * m], y = new double[2 * m * n], bb = new double[2 * n * m], c = new double[2 * n], eps = new double[m];
		double nu2;
		/** Scratch. */
		final double[] g = new double[n], gam = new double[n], h = new double[2 * n], f = new double[2 * n * m], yf = new double[2 * m * m], ym = new double[2 * m * m];
		final double[] br = new double[2 * m * m], binv = new double[2 * m * m], bu = new double[2 * m * m], bev = new double[m], bf = new double[m], mv = new double[2 * m];
		final double[] al = new double[m], be = new double[m];
		final HermitianEigen eig = new HermitianEigen(m);
	}

	/** g, γ and h' = (1 − sqrt(ᾱ)g)M' (block 0) at step j. */
	private void denoiser(final int j, final int b, final Work w) {
		final double sab = Math.sqrt(grid.abT[j]);
		for (int i = 0; i < n; i++) {
			w.g[i] = grid.g(j, ell[b * n + i]);
			w.gam[i] = grid.gamma(j, ell[b * n + i]);
		}
		if (b == 0) {
			for (int i = 0; i < n; i++) {
				w.h[2 * i] = (1 - sab * w.g[i]) * mp[2 * i];
				w.h[2 * i + 1] = (1 - sab * w.g[i]) * mp[2 * i + 1];
			}
		}
	}

	private void guidedCoefficients(final int j, final int b, final Work w) {
		final Guidance u = unit[j];
		final double sab = Math.sqrt(grid.abT[j]), ph = grid.phi[j], ps = grid.psi[j];
		denoiser(j, b, w);
		final int ao = 2 * b * m * n;
		for (int i = 0; i < n; i++) w.dd[i] = ph * w.g[i] + ps;
		if (b == 0) for (int i = 0; i < 2 * n; i++) w.c[i] = ph * w.h[i];
		w.nu2 = grid.nu[j] * grid.nu[j];
		java.util.Arrays.fill(w.eps, 0);
		final double wt = weight[j];
		if (u.none() || wt == 0) {
			java.util.Arrays.fill(w.bb, 0);
			java.util.Arrays.fill(w.x, 0);
			java.util.Arrays.fill(w.y, 0);
			return;
		}
		bracketInverse(u, b, w);
		// 𝒦' = w·scale·diag(fG g + fΓ γ + fI) A'* B⁺
		ComplexDense.mult(ap, ao, true, w.binv, 0, false, w.bb, 0, n, m, m, false);
		final double sc = wt * u.scale();
		for (int i = 0; i < n; i++) {
			final double f = sc * (u.fG() * w.g[i] + u.fGamma() * w.gam[i] + u.fI());
			for (int c = 0; c < 2 * m; c++) {
				w.bb[2 * i * m + c] *= f;
				w.x[2 * i * m + c] = -w.bb[2 * i * m + c];
			}
		}
		for (int c = 0; c < m; c++) {
			for (int i = 0; i < n; i++) {
				final double f = u.onXt() ? 1 / sab : w.g[i];
				w.y[2 * (c * n + i)] = f * ap[ao + 2 * (c * n + i)];
				w.y[2 * (c * n + i) + 1] = f * ap[ao + 2 * (c * n + i) + 1];
			}
		}
		if (b == 0 && !u.onXt()) {
			// c −= 𝒦' A' h'
			ComplexDense.mult(ap, ao, false, w.h, 0, false, w.mv, 0, m, n, 1, false);
			ComplexDense.mult(w.x, 0, false, w.mv, 0, false, w.c, 0, n, m, 1, true);
		}
	}

	/**
	 * B⁺ into w.binv, B = dAA AA* + dAΓA A'ΓA'* + dI I: the (thresholded, for a pseudo-inverse
	 * convention) inverse through B's eigenvalues. Without AΓA*, B = U_A diag(dAA μ + dI) U_A* is
	 * known from the per-block decomposition of AA*.
	 */
	private void bracketInverse(final Guidance u, final int b, final Work w) {
		final double[] bu;
		final int uo;
		if (u.dAGammaA() == 0) {
			for (int c = 0; c < m; c++) w.bev[c] = u.dAA() * mu[b * m + c] + u.dI();
			bu = ua;
			uo = 2 * b * m * m;
		}
		else {
			final double[] aat = pr.aat();
			final int bo = pr.aatOffset(b), ao = 2 * b * m * n;
			for (int c = 0; c < m; c++) {
				for (int e = 0; e < m; e++) {
					double re = 0, im = 0;
					for (int i = 0; i < n; i++) {
						final double xr = ap[ao + 2 * (c * n + i)], xi = ap[ao + 2 * (c * n + i) + 1], yr = ap[ao + 2 * (e * n + i)], yi = ap[ao + 2 * (e * n + i) + 1];
						// γ_i A'_ci conj(A'_ei)
						re += w.gam[i] * (xr * yr + xi * yi);
						im += w.gam[i] * (xi * yr - xr * yi);
					}
					w.br[2 * (c * m + e)] = u.dAA() * aat[bo + 2 * (c * m + e)] + u.dAGammaA() * re + (c == e ? u.dI() : 0);
					w.br[2 * (c * m + e) + 1] = u.dAA() * aat[bo + 2 * (c * m + e) + 1] + u.dAGammaA() * im;
				}
			}
			w.eig.decompose(w.br, 0, w.bev, 0, w.bu, 0);
			bu = w.bu;
			uo = 0;
		}
		double top = 0;
		for (int c = 0; c < m; c++) top = Math.max(top, Math.abs(w.bev[c]));
		final double cut = u.pseudoInverse() ? Guidance.PINV_THRESHOLD : 1e-13 * top;
		for (int c = 0; c < m; c++) w.bf[c] = w.bev[c] > cut ? 1 / w.bev[c] : 0;
		ComplexDense.spectral(bu, uo, w.bf, 0, w.binv, 0, m);
	}

	/** DDRM's step (MATH §7.5) in A's SVD coordinates, as D + X Y (see the class comment). */
	private void ddrmCoefficients(final int j, final int b, final Work w) {
		final double ab = grid.abT[j], sab = Math.sqrt(ab), sas = Math.sqrt(grid.abS[j]), sigT = grid.veT[j], sigS = grid.veS[j], sy = pr.sigma;
		final double eta = ddrm.eta(), etaB = ddrm.etaB(), c1 = Math.sqrt(1 - eta * eta) * sigS, fN = c1 / sigT;
		denoiser(j, b, w);
		final int vo = 2 * b * n * n;
		final double alN = 1 - fN, beN = fN, eN2 = eta * eta * sigS * sigS;
		java.util.Arrays.fill(w.bb, 0);
		for (int o = 0; o < m; o++) {
			final double s = sv[b * n + o];
			double al, be, bs, e2;
			if (!(s > 0)) {
				al = alN;
				be = beN;
				bs = 0;
				e2 = eN2;
			}
			else if (!(s * sigS > sy)) {
				// s σ_s ≤ σ_y: towards ȳ by c1 s/σ_y (0 at σ_s = 0, also when σ_y = 0: the limit)
				final double f = sigS == 0 ? 0 : c1 * s / sy;
				al = 1 - f;
				be = 0;
				bs = f / s;
				e2 = eN2;
			}
			else {
				al = 1 - etaB;
				be = 0;
				bs = etaB / s;
				e2 = Math.max(0, sigS * sigS - etaB * etaB * sy * sy / (s * s));
			}
			w.al[o] = al - alN;
			w.be[o] = be - beN;
			w.eps[o] = grid.abS[j] * (e2 - eN2);
			if (bs != 0) addObserved(b, o, sas * bs, w.bb, 0);
		}
		for (int i = 0; i < n; i++) w.dd[i] = sas * (alN * w.g[i] + beN / sab);
		for (int o = 0; o < m; o++) {
			for (int i = 0; i < n; i++) {
				// X = V'_O; Y_oi = sqrt(ᾱ_s) conj(V'_io)(Δα_o g_i + Δβ_o/sqrt(ᾱ_t))
				final double vr = vv[vo + 2 * (i * n + o)], vi = vv[vo + 2 * (i * n + o) + 1];
				w.x[2 * (i * m + o)] = vr;
				w.x[2 * (i * m + o) + 1] = vi;
				final double f = sas * (w.al[o] * w.g[i] + w.be[o] / sab);
				w.y[2 * (o * n + i)] = f * vr;
				w.y[2 * (o * n + i) + 1] = -f * vi;
			}
		}
		if (b == 0) {
			// c = sqrt(ᾱ_s)(α_N h' + X diag(Δα) X* h')
			ComplexDense.mult(w.x, 0, true, w.h, 0, false, w.mv, 0, m, n, 1, false);
			for (int o = 0; o < m; o++) {
				w.mv[2 * o] *= w.al[o];
				w.mv[2 * o + 1] *= w.al[o];
			}
			for (int i = 0; i < 2 * n; i++) w.c[i] = alN * w.h[i];
			ComplexDense.mult(w.x, 0, false, w.mv, 0, false, w.c, 0, n, m, 1, true);
			for (int i = 0; i < 2 * n; i++) w.c[i] *= sas;
		}
		w.nu2 = grid.abS[j] * eN2;
	}

	/** out (n×m, at oo) += f · V'_i U_i* with U_i = A' V'_i / s_i: the map V ↦ f ȳ_i placed along V'_i. */
	private void addObserved(final int b, final int i, final double f, final double[] out, final int oo) {
		final double s = sv[b * n + i];
		final int ao = 2 * b * m * n, vo = 2 * b * n * n;
		for (int c = 0; c < m; c++) {
			double ur = 0, ui = 0;
			for (int l = 0; l < n; l++) {
				final double ar = ap[ao + 2 * (c * n + l)], ai = ap[ao + 2 * (c * n + l) + 1], vr = vv[vo + 2 * (l * n + i)], vi = vv[vo + 2 * (l * n + i) + 1];
				ur += ar * vr - ai * vi;
				ui += ar * vi + ai * vr;
			}
			ur /= s;
			ui /= s;
			for (int r = 0; r < n; r++) {
				final double vr = vv[vo + 2 * (r * n + i)], vi = vv[vo + 2 * (r * n + i) + 1];
				// V'_ri conj(U_ci)
				out[oo + 2 * (r * m + c)] += f * (vr * ur + vi * ui);
				out[oo + 2 * (r * m + c) + 1] += f * (vi * ur - vr * ui);
			}
		}
	}

	/**
	 * P ← DP + X(YP) + 𝔹, q ← Dq + X(Yq) + c, and S ← DSD + H X* + X H* + ν²I + X diag(ε) X* with
	 * F = S Y*, H = D F + ½ X (Y F): the expansion of (D + XY) S (D + XY)*.
	 */
	private void apply(final int b, final Work w) {
		final double[] dd = w.dd;
		// P
		ComplexDense.mult(w.y, 0, false, w.p, 0, false, w.ym, 0, m, n, m, false);
		for (int i = 0; i < n; i++) for (int c = 0; c < 2 * m; c++) w.p[2 * i * m + c] = dd[i] * w.p[2 * i * m + c] + w.bb[2 * i * m + c];
		ComplexDense.mult(w.x, 0, false, w.ym, 0, false, w.p, 0, n, m, m, true);
		if (b == 0) {
			ComplexDense.mult(w.y, 0, false, w.q, 0, false, w.mv, 0, m, n, 1, false);
			for (int i = 0; i < n; i++) {
				w.q[2 * i] = dd[i] * w.q[2 * i] + w.c[2 * i];
				w.q[2 * i + 1] = dd[i] * w.q[2 * i + 1] + w.c[2 * i + 1];
			}
			ComplexDense.mult(w.x, 0, false, w.mv, 0, false, w.q, 0, n, m, 1, true);
		}
		// S
		final double[] s = w.s, f = w.f, x = w.x;
		ComplexDense.mult(s, 0, false, w.y, 0, true, f, 0, n, n, m, false);
		ComplexDense.mult(w.y, 0, false, f, 0, false, w.yf, 0, m, n, m, false);
		for (int o = 0; o < m; o++) w.yf[2 * (o * m + o)] += w.eps[o];
		for (int i = 0; i < n; i++) for (int c = 0; c < 2 * m; c++) f[2 * i * m + c] *= dd[i];
		// H = D F + ½ X (YF + diag ε): the noise's low-rank part rides along (H X* + X H* then holds X diag(ε) X*).
		for (int i = 0; i < 2 * m * m; i++) w.yf[i] *= 0.5;
		ComplexDense.mult(x, 0, false, w.yf, 0, false, f, 0, n, m, m, true);
		for (int i = 0; i < n; i++) {
			for (int l = i; l < n; l++) {
				final int o = 2 * (i * n + l);
				double re = dd[i] * dd[l] * s[o], im = dd[i] * dd[l] * s[o + 1];
				for (int c = 0; c < m; c++) {
					final int hi = 2 * (i * m + c), hl = 2 * (l * m + c);
					// h_ic conj(x_lc) + x_ic conj(h_lc)
					re += f[hi] * x[hl] + f[hi + 1] * x[hl + 1] + x[hi] * f[hl] + x[hi + 1] * f[hl + 1];
					im += f[hi + 1] * x[hl] - f[hi] * x[hl + 1] + x[hi + 1] * f[hl] - x[hi] * f[hl + 1];
				}
				if (i == l) {
					s[o] = re + w.nu2;
					s[o + 1] = 0;
				}
				else {
					s[o] = re;
					s[o + 1] = im;
					s[2 * (l * n + i)] = re;
					s[2 * (l * n + i) + 1] = -im;
				}
			}
		}
	}

	/** The law of x_T (SDEdit: of x_t0; DDRM: its spectral start) on block b, in the eigenbasis. */
	private void start(final int b, final Work w) {
		final int po = 2 * b * n * m, wo = 2 * b * n * n;
		final double ab = grid.abT[0], sab = Math.sqrt(ab);
		java.util.Arrays.fill(w.p, 0);
		java.util.Arrays.fill(w.q, 0);
		java.util.Arrays.fill(w.s, 0);
		switch (method.start()) {
			case NOISE -> {
				for (int i = 0; i < n; i++) w.s[2 * (i * n + i)] = 1;
			}
			case POSTERIOR_MEAN -> {
				ComplexDense.mult(wv, wo, true, posterior.p(), po, false, w.p, 0, n, n, m, false);
				for (int i = 0; i < 2 * n * m; i++) w.p[i] *= sab;
				if (b == 0) {
					ComplexDense.mult(wv, 0, true, posterior.q(), 0, false, w.q, 0, n, n, 1, false);
					for (int i = 0; i < 2 * n; i++) w.q[i] *= sab;
				}
				for (int i = 0; i < n; i++) w.s[2 * (i * n + i)] = 1 - ab;
			}
			case SPECTRAL -> {
				// X̄_T = ȳ_i + sqrt(σ_T² − σ_y²/s_i²) z'_i where A sees above the noise, σ_T z'_i elsewhere; x_T = sqrt(ᾱ_T) V X̄_T.
				final double sigT = Math.sqrt((1 - ab) / ab), sy = pr.sigma;
				final double[] e2 = w.g;
				for (int i = 0; i < n; i++) {
					final double s = sv[b * n + i];
					if (s > 0 && s * sigT > sy) {
						addObserved(b, i, sab / s, w.p, 0);
						e2[i] = ab * (sigT * sigT - sy * sy / (s * s));
					}
					else e2[i] = ab * sigT * sigT;
				}
				ComplexDense.spectral(vv, wo, e2, 0, w.s, 0, n);
			}
		}
	}
}
