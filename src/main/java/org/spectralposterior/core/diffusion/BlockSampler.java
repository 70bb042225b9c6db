package org.spectralposterior.core.diffusion;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.spectralposterior.core.metric.HermitianEigen;
import org.spectralposterior.core.posterior.BlockLaw;
import org.spectralposterior.core.posterior.ComplexDense;
import org.spectralposterior.core.posterior.DenseBlocks;

/**
 * Every zero-shot sampler on an operator that is block-diagonal in Fourier with small dense blocks
 * ({@link DenseBlocks}: colour super-resolution, colour blur with one PSF per channel), by the affine
 * recursion of MATH §8 in block form: per block and step, x_s = 𝔸 x_t + 𝔹 V + c + noise, so
 * P ← 𝔸P + 𝔹, q ← 𝔸q + c, S ← 𝔸S𝔸* + E. With the block's prior Λ = W diag(ℓ) W*, the exact
 * denoiser is x̂0 = G x_t + h, G = W diag(g(ℓ)) W*, h = (I − sqrt(ᾱ) G) M, and Γ = W diag(γ(ℓ)) W*
 * (MATH §7.4). A guided step adds 𝒦 (V − A y), y = x̂0 (or x_t/sqrt(ᾱ) for a method on x_t), with
 * {@link Guidance}'s gain 𝒦 = w·scale·(fG G + fΓ Γ + fI I) A* B⁺, B = dAA AA* + dAΓA AΓA* + dI I:
 * 𝔸 = φG + ψI − 𝒦AG, 𝔹 = 𝒦, c = φh − 𝒦Ah, E = ν²I. DDRM (MATH §7.5) works in A's SVD coordinates,
 * A = U diag(s) V*, from the Hermitian eigendecomposition of A*A: per coordinate i an affine rule
 * X̄'_s = α_i x̂'_i + β_i X̄'_t,i + b_i ȳ_i + e_i z'_i, hence 𝔸 = sqrt(ᾱ_s)(V diag α V* G + V diag β V* / sqrt(ᾱ_t)),
 * 𝔹 = sqrt(ᾱ_s) V diag(b/s) U*, c = sqrt(ᾱ_s) V diag α V* h, E = ᾱ_s V diag e² V*.
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
	/** Per block: Λ's eigenvalues (n) and eigenvectors W (n×n); for DDRM, A's singular values (n, zero beyond the rank) and V (n×n). */
	private final double[] ell, wv, sv, vv;

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
		final ThreadLocal<HermitianEigen> eig = ThreadLocal.withInitial(() -> new HermitianEigen(n));
		IntStream.range(0, count).parallel().forEach(b -> {
			eig.get().decompose(pr.lam(), pr.lamOffset(b), ell, b * n, wv, 2 * b * n * n);
			for (int i = b * n; i < (b + 1) * n; i++) ell[i] = Math.max(0, ell[i]);
		});
		if (ddrm != null || method.start() == Method.Start.SPECTRAL) {
			sv = new double[count * n];
			vv = new double[2 * count * n * n];
			final double[] ata = new double[2 * count * n * n];
			IntStream.range(0, count).parallel().forEach(b -> {
				ComplexDense.mult(pr.a(), pr.aOffset(b), true, pr.a(), pr.aOffset(b), false, ata, 2 * b * n * n, n, m, n, false);
				eig.get().decompose(ata, 2 * b * n * n, sv, b * n, vv, 2 * b * n * n);
			});
			double top = 0;
			for (int i = 0; i < sv.length; i++) top = Math.max(top, sv[i]);
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
		final int count = pr.count;
		final double[] p = new double[2 * count * n * m], q = new double[2 * n], s = new double[2 * count * n * n];
		final ThreadLocal<Work> work = ThreadLocal.withInitial(Work::new);
		IntStream.range(0, count).parallel().forEach(b -> {
			final Work w = work.get();
			start(b, p, q, s, w);
			for (int j = 0; j < grid.n; j++) {
				if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
				if (ddrm != null) ddrmCoefficients(j, b, w);
				else guidedCoefficients(j, b, w);
				apply(b, p, q, s, w);
			}
		});
		return new Law(new BlockLaw(pr, p, q, s), weight.clone());
	}

	/** Per-thread work arrays: one step on one block allocates nothing. */
	private final class Work {
		final double[] g = new double[2 * n * n], gam = new double[2 * n * n], f = new double[2 * n * n], diag = new double[n], diag2 = new double[n];
		final double[] ag = new double[2 * m * n], br = new double[2 * m * m], binv = new double[2 * m * m], bu = new double[2 * m * m], bev = new double[m], bf = new double[m];
		final double[] fa = new double[2 * n * m], k = new double[2 * n * m], big = new double[2 * n * n], tmp = new double[2 * n * n], tmp2 = new double[2 * n * n];
		final double[] h = new double[2 * n], c = new double[2 * n], vec = new double[2 * n], e = new double[2 * n * n], pm = new double[2 * n * m];
		final double[] agm = new double[2 * m * n];
		final HermitianEigen eig = new HermitianEigen(m);
		boolean noiseIdentity;
		double nu2;
	}

	/** G, Γ (when needed) and h = (I − sqrt(ᾱ)G)M of block b at step j, into w.g, w.gam, w.h. */
	private void denoiser(final int j, final int b, final boolean withGamma, final Work w) {
		final double ab = grid.abT[j], sab = Math.sqrt(ab);
		final int eo = b * n, uo = 2 * b * n * n;
		for (int i = 0; i < n; i++) w.diag[i] = grid.g(j, ell[eo + i]);
		ComplexDense.spectral(wv, uo, w.diag, 0, w.g, 0, n);
		if (withGamma) {
			for (int i = 0; i < n; i++) w.diag[i] = grid.gamma(j, ell[eo + i]);
			ComplexDense.spectral(wv, uo, w.diag, 0, w.gam, 0, n);
		}
		if (b == 0) {
			// h = M − sqrt(ᾱ) G M
			ComplexDense.mult(w.g, 0, false, pr.mean0(), 0, false, w.h, 0, n, n, 1, false);
			final double[] mean = pr.mean0();
			for (int i = 0; i < 2 * n; i++) w.h[i] = mean[i] - sab * w.h[i];
		}
	}

	/** 𝔸 into w.big, 𝔹 into w.k, c into w.c (block 0), noise ν²I, for a guided (or unguided) step. */
	private void guidedCoefficients(final int j, final int b, final Work w) {
		final Guidance u = unit[j];
		final double ab = grid.abT[j], sab = Math.sqrt(ab), ph = grid.phi[j], ps = grid.psi[j];
		final boolean withGamma = u.fGamma() != 0 || u.dAGammaA() != 0;
		denoiser(j, b, withGamma, w);
		final double[] a = pr.a();
		final int ao = pr.aOffset(b);
		// 𝔸 = φG + ψI first
		for (int i = 0; i < 2 * n * n; i++) w.big[i] = ph * w.g[i];
		for (int i = 0; i < n; i++) w.big[2 * (i * n + i)] += ps;
		if (b == 0) for (int i = 0; i < 2 * n; i++) w.c[i] = ph * w.h[i];
		w.noiseIdentity = true;
		w.nu2 = grid.nu[j] * grid.nu[j];
		final double wt = weight[j];
		if (u.none() || wt == 0) {
			java.util.Arrays.fill(w.k, 0);
			return;
		}
		// B = dAA AA* + dAΓA AΓA* + dI I and its (pseudo-)inverse
		final double[] aat = pr.aat();
		final int bo = pr.aatOffset(b);
		for (int i = 0; i < 2 * m * m; i++) w.br[i] = u.dAA() * aat[bo + i];
		if (u.dAGammaA() != 0) {
			ComplexDense.mult(a, ao, false, w.gam, 0, false, w.agm, 0, m, n, n, false);
			ComplexDense.mult(w.agm, 0, false, a, ao, true, w.binv, 0, m, n, m, false);
			for (int i = 0; i < 2 * m * m; i++) w.br[i] += u.dAGammaA() * w.binv[i];
		}
		for (int c = 0; c < m; c++) w.br[2 * (c * m + c)] += u.dI();
		w.eig.decompose(w.br, 0, w.bev, 0, w.bu, 0);
		final double cut = u.pseudoInverse() ? Guidance.PINV_THRESHOLD : 1e-13 * Math.abs(w.bev[0]);
		for (int c = 0; c < m; c++) w.bf[c] = w.bev[c] > cut ? 1 / w.bev[c] : 0;
		ComplexDense.spectral(w.bu, 0, w.bf, 0, w.binv, 0, m);
		// F = fG G + fΓ Γ + fI I ; 𝒦 = w·scale·F A* B⁺
		for (int i = 0; i < 2 * n * n; i++) w.f[i] = u.fG() * w.g[i] + (withGamma ? u.fGamma() * w.gam[i] : 0);
		for (int i = 0; i < n; i++) w.f[2 * (i * n + i)] += u.fI();
		ComplexDense.mult(w.f, 0, false, a, ao, true, w.fa, 0, n, n, m, false);
		ComplexDense.mult(w.fa, 0, false, w.binv, 0, false, w.k, 0, n, m, m, false);
		final double sc = wt * u.scale();
		for (int i = 0; i < 2 * n * m; i++) w.k[i] *= sc;
		// 𝔸 −= 𝒦 A G (or 𝒦 A/sqrt(ᾱ) on x_t); c −= 𝒦 A h
		if (u.onXt()) {
			for (int i = 0; i < 2 * m * n; i++) w.ag[i] = -a[ao + i] / sab;
		}
		else {
			ComplexDense.mult(a, ao, false, w.g, 0, false, w.ag, 0, m, n, n, false);
			for (int i = 0; i < 2 * m * n; i++) w.ag[i] = -w.ag[i];
		}
		ComplexDense.mult(w.k, 0, false, w.ag, 0, false, w.big, 0, n, m, n, true);
		if (b == 0 && !u.onXt()) {
			ComplexDense.mult(a, ao, false, w.h, 0, false, w.agm, 0, m, n, 1, false);
			for (int i = 0; i < 2 * m; i++) w.agm[i] = -w.agm[i];
			ComplexDense.mult(w.k, 0, false, w.agm, 0, false, w.c, 0, n, m, 1, true);
		}
	}

	/** DDRM's step in A's SVD coordinates (MATH §7.5), into w.big, w.k, w.c and the noise covariance w.e. */
	private void ddrmCoefficients(final int j, final int b, final Work w) {
		final double ab = grid.abT[j], sab = Math.sqrt(ab), sas = Math.sqrt(grid.abS[j]), sigT = grid.veT[j], sigS = grid.veS[j], sy = pr.sigma;
		final double eta = ddrm.eta(), etaB = ddrm.etaB(), c1 = Math.sqrt(1 - eta * eta) * sigS, fN = c1 / sigT;
		denoiser(j, b, false, w);
		final int so = b * n, vo = 2 * b * n * n;
		// Per coordinate: α (w.diag), β (w.diag2), b/s into column i of w.fa as V_i (b_i/s_i) then U_i*, e² (w.bf is m only: keep e² in w.vec's real slots).
		java.util.Arrays.fill(w.k, 0);
		for (int i = 0; i < n; i++) {
			final double s = sv[so + i];
			double al, be, bs, e2;
			if (!(s > 0)) {
				al = 1 - fN;
				be = fN;
				bs = 0;
				e2 = eta * eta * sigS * sigS;
			}
			else if (!(s * sigS > sy)) {
				final double f = sigS == 0 ? 0 : c1 * s / sy;
				al = 1 - f;
				be = 0;
				bs = f / s;
				e2 = eta * eta * sigS * sigS;
			}
			else {
				al = 1 - etaB;
				be = 0;
				bs = etaB / s;
				e2 = Math.max(0, sigS * sigS - etaB * etaB * sy * sy / (s * s));
			}
			w.diag[i] = al;
			w.diag2[i] = be;
			w.vec[2 * i] = e2;
			if (bs != 0) addObserved(b, i, sas * bs, w.k, 0);
		}
		// 𝔸 = sqrt(ᾱ_s)(V diag α V* G + V diag β V*/sqrt(ᾱ_t))
		ComplexDense.spectral(vv, vo, w.diag, 0, w.tmp, 0, n);
		ComplexDense.mult(w.tmp, 0, false, w.g, 0, false, w.big, 0, n, n, n, false);
		for (int i = 0; i < n; i++) w.diag2[i] /= sab;
		ComplexDense.spectral(vv, vo, w.diag2, 0, w.tmp2, 0, n);
		for (int i = 0; i < 2 * n * n; i++) w.big[i] = sas * (w.big[i] + w.tmp2[i]);
		if (b == 0) {
			ComplexDense.mult(w.tmp, 0, false, w.h, 0, false, w.c, 0, n, n, 1, false);
			for (int i = 0; i < 2 * n; i++) w.c[i] *= sas;
		}
		for (int i = 0; i < n; i++) w.diag[i] = grid.abS[j] * w.vec[2 * i];
		ComplexDense.spectral(vv, vo, w.diag, 0, w.e, 0, n);
		w.noiseIdentity = false;
	}

	/** out (n×m) += f · V_i U_i* with U_i = A V_i / s_i: the map V ↦ f ȳ_i placed along V_i. */
	private void addObserved(final int b, final int i, final double f, final double[] out, final int oo) {
		final double s = sv[b * n + i];
		final double[] a = pr.a();
		final int ao = pr.aOffset(b), vo = 2 * b * n * n;
		for (int c = 0; c < m; c++) {
			// U_ci = Σ_l A_cl V_li / s
			double ur = 0, ui = 0;
			for (int l = 0; l < n; l++) {
				final double ar = a[ao + 2 * (c * n + l)], ai = a[ao + 2 * (c * n + l) + 1], vr = vv[vo + 2 * (l * n + i)], vi = vv[vo + 2 * (l * n + i) + 1];
				ur += ar * vr - ai * vi;
				ui += ar * vi + ai * vr;
			}
			ur /= s;
			ui /= s;
			for (int r = 0; r < n; r++) {
				final double vr = vv[vo + 2 * (r * n + i)], vi = vv[vo + 2 * (r * n + i) + 1];
				// V_ri conj(U_ci)
				out[oo + 2 * (r * m + c)] += f * (vr * ur + vi * ui);
				out[oo + 2 * (r * m + c) + 1] += f * (vi * ur - vr * ui);
			}
		}
	}

	/** P ← 𝔸P + 𝔹, q ← 𝔸q + c, S ← 𝔸S𝔸* + E on block b. */
	private void apply(final int b, final double[] p, final double[] q, final double[] s, final Work w) {
		final int po = 2 * b * n * m, so = 2 * b * n * n;
		ComplexDense.mult(w.big, 0, false, p, po, false, w.pm, 0, n, n, m, false);
		for (int i = 0; i < 2 * n * m; i++) p[po + i] = w.pm[i] + w.k[i];
		if (b == 0) {
			ComplexDense.mult(w.big, 0, false, q, 0, false, w.vec, 0, n, n, 1, false);
			for (int i = 0; i < 2 * n; i++) q[i] = w.vec[i] + w.c[i];
		}
		ComplexDense.mult(w.big, 0, false, s, so, false, w.tmp, 0, n, n, n, false);
		ComplexDense.mult(w.tmp, 0, false, w.big, 0, true, s, so, n, n, n, false);
		if (w.noiseIdentity) for (int i = 0; i < n; i++) s[so + 2 * (i * n + i)] += w.nu2;
		else for (int i = 0; i < 2 * n * n; i++) s[so + i] += w.e[i];
		ComplexDense.hermitian(s, so, n);
	}

	/** The law of x_T (SDEdit: of x_t0; DDRM: its spectral start) on block b. */
	private void start(final int b, final double[] p, final double[] q, final double[] s, final Work w) {
		final int so = 2 * b * n * n, po = 2 * b * n * m;
		final double ab = grid.abT[0], sab = Math.sqrt(ab);
		switch (method.start()) {
			case NOISE -> {
				for (int i = 0; i < n; i++) s[so + 2 * (i * n + i)] = 1;
			}
			case POSTERIOR_MEAN -> {
				final double[] pp = posterior.p();
				for (int i = 0; i < 2 * n * m; i++) p[po + i] = sab * pp[po + i];
				if (b == 0) for (int i = 0; i < 2 * n; i++) q[i] = sab * posterior.q()[i];
				for (int i = 0; i < n; i++) s[so + 2 * (i * n + i)] = 1 - ab;
			}
			case SPECTRAL -> {
				// X̄_T = ȳ_i + sqrt(σ_T² − σ_y²/s_i²) z'_i where A sees above the noise, σ_T z'_i elsewhere; x_T = sqrt(ᾱ_T) V X̄_T.
				final double sigT = Math.sqrt((1 - ab) / ab), sy = pr.sigma;
				for (int i = 0; i < n; i++) {
					final double sv0 = sv[b * n + i];
					if (sv0 > 0 && sv0 * sigT > sy) {
						addObserved(b, i, sab / sv0, p, po);
						w.diag[i] = ab * (sigT * sigT - sy * sy / (sv0 * sv0));
					}
					else w.diag[i] = ab * sigT * sigT;
				}
				ComplexDense.spectral(vv, 2 * b * n * n, w.diag, 0, s, so, n);
			}
		}
	}
}
