package org.spectralposterior.core.posterior;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.spectralposterior.core.fourier.HermitianNoise;
import org.spectralposterior.core.metric.HermitianBlock;
import org.spectralposterior.core.metric.HermitianEigen;

/**
 * A Gaussian law given the measurement, block-diagonal over the blocks of a {@link DenseBlocks}
 * problem (MATH §8 block form): X_b | V ~ N(P_b V_b + q_b, S_b), P_b n×m, S_b n×n Hermitian, q non-zero
 * only on block 0 (the prior mean is constant). The exact posterior and every sampler's output law
 * have this form. Arrays: P at b·2nm, S at b·2n², q of block 0 as 2n doubles.
 */
public final class BlockLaw {

	/** W2² = mean part + covariance (Bures) part, summed over the full grid's blocks (MATH §9). */
	public record Distance(double meanPart, double covariancePart) {
		public double squared() {
			return meanPart + covariancePart;
		}
	}

	private final DenseBlocks problem;
	private final double[] p, q, s;

	public BlockLaw(final DenseBlocks problem, final double[] p, final double[] q, final double[] s) {
		final int c = problem.count, n = problem.n, m = problem.m;
		if (p.length != 2L * c * n * m || q.length != 2 * n || s.length != 2L * c * n * n) throw new IllegalArgumentException("Law arrays do not match the problem's blocks");
		this.problem = problem;
		this.p = p;
		this.q = q;
		this.s = s;
	}

	/**
	 * The exact posterior (MATH §4.1 per block): K = Λ A* (AΛA* + σ²I)⁻¹, P* = K, q* = M − K A M,
	 * Σ* = Λ − K A Λ. With σ = 0 the inverse is a pseudo-inverse: a direction of V the prior cannot
	 * produce (eigenvalue of AΛA* below 1e-12 of the block's largest, or 1e-20 of the problem's) carries no
	 * information, as {@link GroupLaw#posterior} treats a group the blur removes.
	 */
	public static BlockLaw posterior(final DenseBlocks pr) {
		final int n = pr.n, m = pr.m, count = pr.count;
		final double[] p = new double[2 * count * n * m], q = new double[2 * n], s = new double[2 * count * n * n];
		final double var = pr.sigma * pr.sigma;
		final double[] lam = pr.lam(), a = pr.a();
		final class Work {
			final double[] la = new double[2 * n * m], cv = new double[2 * m * m], ev = new double[m], u = new double[2 * m * m], inv = new double[2 * m * m], f = new double[m],
				am = new double[2 * m];
			final HermitianEigen eig = new HermitianEigen(m);
		}
		// The problem-wide scale of AΛA*, for the σ = 0 rank cut.
		final double top = IntStream.range(0, count).parallel().mapToDouble(b -> {
			double t = 0;
			for (int c = 0; c < m; c++) {
				for (int i = 0; i < n; i++) {
					final int o = pr.aOffset(b) + 2 * (c * n + i);
					t = Math.max(t, (a[o] * a[o] + a[o + 1] * a[o + 1]) * lam[pr.lamOffset(b) + 2 * (i * n + i)]);
				}
			}
			return t;
		}).max().orElse(0);
		final ThreadLocal<Work> work = ThreadLocal.withInitial(Work::new);
		IntStream.range(0, count).parallel().forEach(b -> {
			final Work w = work.get();
			final int lo = pr.lamOffset(b), ao = pr.aOffset(b), po = 2 * b * n * m, so = 2 * b * n * n;
			// ΛA* (n×m), C = AΛA* + σ²I
			ComplexDense.mult(lam, lo, false, a, ao, true, w.la, 0, n, n, m, false);
			ComplexDense.mult(a, ao, false, w.la, 0, false, w.cv, 0, m, n, m, false);
			for (int c = 0; c < m; c++) w.cv[2 * (c * m + c)] += var;
			w.eig.decompose(w.cv, 0, w.ev, 0, w.u, 0);
			final double cut = var > 0 ? 0 : Math.max(1e-12 * w.ev[0], 1e-20 * top);
			for (int c = 0; c < m; c++) w.f[c] = w.ev[c] > cut ? 1 / w.ev[c] : 0;
			ComplexDense.spectral(w.u, 0, w.f, 0, w.inv, 0, m);
			ComplexDense.mult(w.la, 0, false, w.inv, 0, false, p, po, n, m, m, false);
			// Σ* = Λ − K (ΛA*)*
			System.arraycopy(lam, lo, s, so, 2 * n * n);
			subtractProduct(p, po, w.la, s, so, n, m);
			ComplexDense.hermitian(s, so, n);
			if (b == 0) {
				final double[] mean = pr.mean0();
				ComplexDense.mult(a, ao, false, mean, 0, false, w.am, 0, m, n, 1, false);
				System.arraycopy(mean, 0, q, 0, 2 * n);
				for (int i = 0; i < n; i++) {
					double re = 0, im = 0;
					for (int c = 0; c < m; c++) {
						final double kr = p[po + 2 * (i * m + c)], ki = p[po + 2 * (i * m + c) + 1], vr = w.am[2 * c], vi = w.am[2 * c + 1];
						re += kr * vr - ki * vi;
						im += kr * vi + ki * vr;
					}
					q[2 * i] -= re;
					q[2 * i + 1] -= im;
				}
			}
		});
		return new BlockLaw(pr, p, q, s);
	}

	/** s −= K L* (K n×m at ko, L n×m). */
	private static void subtractProduct(final double[] k, final int ko, final double[] l, final double[] s, final int so, final int n, final int m) {
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < n; j++) {
				double re = 0, im = 0;
				for (int c = 0; c < m; c++) {
					final double kr = k[ko + 2 * (i * m + c)], ki = k[ko + 2 * (i * m + c) + 1], lr = l[2 * (j * m + c)], li = -l[2 * (j * m + c) + 1];
					re += kr * lr - ki * li;
					im += kr * li + ki * lr;
				}
				s[so + 2 * (i * n + j)] -= re;
				s[so + 2 * (i * n + j) + 1] -= im;
			}
		}
	}

	public DenseBlocks problem() {
		return problem;
	}

	/** Read-only views (layouts in the class comment). */
	public double[] p() {
		return p;
	}

	public double[] q() {
		return q;
	}

	public double[] s() {
		return s;
	}

	/** The mean's blocks P_b V_b + q_b (2n per block) for measurement blocks V. */
	public double[] mean(final double[] v) {
		final int n = problem.n, m = problem.m;
		final double[] out = new double[2 * problem.count * n];
		for (int b = 0; b < problem.count; b++) ComplexDense.mult(p, 2 * b * n * m, false, v, 2 * b * m, false, out, 2 * b * n, n, m, 1, false);
		for (int i = 0; i < 2 * n; i++) out[i] += q[i];
		return out;
	}

	/** The mean images (one per channel) for C LR channel images. */
	public double[][] meanImages(final double[][] measurement) {
		return problem.images(mean(problem.measurementBlocks(measurement)));
	}

	/** S applied to C HR channel images (the covariance as an operator on images). */
	public double[][] applyCovariance(final double[][] images) {
		final int n = problem.n;
		final double[] x = problem.imageBlocks(images), y = new double[x.length];
		for (int b = 0; b < problem.count; b++) ComplexDense.mult(s, 2 * b * n * n, false, x, 2 * b * n, false, y, 2 * b * n, n, n, 1, false);
		return problem.images(y);
	}

	/** Per channel of a colour problem: the per-pixel standard deviation sqrt(tr S_c / D). */
	public double[] channelStd() {
		final int cc = problem.channels(), n = problem.n, d = n / cc;
		final double[] out = new double[cc];
		for (int b = 0; b < problem.count; b++) for (int c = 0; c < cc; c++) for (int i = 0; i < d; i++) out[c] += problem.multiplicity(b) * s[2 * (b * n * n + (c * d + i) * (n + 1))];
		for (int c = 0; c < cc; c++) out[c] = Math.sqrt(Math.max(0, out[c]) / problem.hr().pixels);
		return out;
	}

	/** W2² to another law on the same blocks given measurement blocks V (MATH §9.2 block form). */
	public Distance w2(final BlockLaw other, final double[] v) {
		final double[] ma = mean(v), mb = other.mean(v);
		double mean = 0;
		final int n = problem.n;
		for (int b = 0; b < problem.count; b++) {
			double t = 0;
			for (int i = 2 * b * n; i < 2 * (b + 1) * n; i++) t += (ma[i] - mb[i]) * (ma[i] - mb[i]);
			mean += problem.multiplicity(b) * t;
		}
		return new Distance(Double.isNaN(mean) ? Double.POSITIVE_INFINITY : mean, bures(other));
	}

	/**
	 * E_v W2² over v ~ N(AM, AΛA* + σ²I) (MATH §9.3 block form): per block
	 * tr((P − P*) C_v (P − P*)*) + ‖(P − P*) A M + q − q*‖² + Bures(S, S*).
	 */
	public Distance expected(final BlockLaw posterior) {
		final DenseBlocks pr = problem;
		final int n = pr.n, m = pr.m;
		final double var = pr.sigma * pr.sigma;
		final double[] lam = pr.lam(), a = pr.a();
		final class Work {
			final double[] dp = new double[2 * n * m], la = new double[2 * n * m], cv = new double[2 * m * m], t = new double[2 * n * m];
		}
		final ThreadLocal<Work> work = ThreadLocal.withInitial(Work::new);
		double mean = IntStream.range(0, pr.count).parallel().mapToDouble(b -> {
			final Work w = work.get();
			final int po = 2 * b * n * m;
			for (int i = 0; i < 2 * n * m; i++) w.dp[i] = p[po + i] - posterior.p[po + i];
			ComplexDense.mult(lam, pr.lamOffset(b), false, a, pr.aOffset(b), true, w.la, 0, n, n, m, false);
			ComplexDense.mult(a, pr.aOffset(b), false, w.la, 0, false, w.cv, 0, m, n, m, false);
			for (int c = 0; c < m; c++) w.cv[2 * (c * m + c)] += var;
			ComplexDense.mult(w.dp, 0, false, w.cv, 0, false, w.t, 0, n, m, m, false);
			double tr = 0;
			// tr(T ΔP*) = Σ_ic T_ic conj(ΔP_ic)
			for (int i = 0; i < n * m; i++) tr += w.t[2 * i] * w.dp[2 * i] + w.t[2 * i + 1] * w.dp[2 * i + 1];
			if (b == 0) {
				final double[] am = new double[2 * m], gap = new double[2 * n];
				ComplexDense.mult(a, pr.aOffset(0), false, pr.mean0(), 0, false, am, 0, m, n, 1, false);
				ComplexDense.mult(w.dp, 0, false, am, 0, false, gap, 0, n, m, 1, false);
				for (int i = 0; i < 2 * n; i++) {
					final double g = gap[i] + q[i] - posterior.q[i];
					tr += g * g;
				}
			}
			return pr.multiplicity(b) * tr;
		}).sum();
		if (Double.isNaN(mean)) mean = Double.POSITIVE_INFINITY;
		return new Distance(mean, bures(posterior));
	}

	/** Σ_b mult·Bures(S_b, S'_b): the complex Bures sum is the exact real W2² of the covariances (MATH §9.1). */
	private double bures(final BlockLaw other) {
		final int n = problem.n;
		final ThreadLocal<HermitianBlock> work = ThreadLocal.withInitial(() -> new HermitianBlock(n));
		return IntStream.range(0, problem.count).parallel().mapToDouble(b -> {
			final int o = 2 * b * n * n;
			for (int i = o; i < o + 2 * n * n; i++) if (!Double.isFinite(s[i])) return Double.POSITIVE_INFINITY;
			return problem.multiplicity(b) * work.get().bures(s, o, other.s, o);
		}).sum();
	}

	/**
	 * A sampler of this law for C LR channel images: X_b = P_b V_b + q_b + S_b^{1/2} ξ_b per block, ξ the
	 * blocks of independent real white-noise spectra, one per channel (E ξ_b ξ_b* = I). The Hermitian
	 * root, not a Cholesky factor: it commutes with the conjugation symmetry of self-conjugate blocks, so
	 * every sample's spectrum is that of a real image.
	 */
	public Sampler sampler(final double[][] measurement, final SplittableRandom rng) {
		return new Sampler(mean(problem.measurementBlocks(measurement)), rng);
	}

	public final class Sampler {
		private final double[] mean, roots, xi, x, spec;
		private final SplittableRandom rng;

		private Sampler(final double[] mean, final SplittableRandom rng) {
			this.mean = mean;
			this.rng = rng;
			final int n = problem.n;
			roots = new double[s.length];
			final ThreadLocal<HermitianBlock> work = ThreadLocal.withInitial(() -> new HermitianBlock(n));
			IntStream.range(0, problem.count).parallel().forEach(b -> work.get().sqrt(s, 2 * b * n * n, roots, 2 * b * n * n));
			xi = new double[mean.length];
			x = new double[mean.length];
			spec = new double[2 * problem.hr().size];
		}

		/** The next sample, one HR image per channel; channel c's noise from its own split of the generator. */
		public double[][] next() {
			final int n = problem.n, cc = problem.channels(), d = n / cc;
			final double[] z = new double[2 * d];
			final org.spectralposterior.core.operator.AliasingGroups g = problem.groups();
			for (int c = 0; c < cc; c++) {
				HermitianNoise.fill(problem.hr(), rng.split(), spec);
				for (int b = 0; b < problem.count; b++) {
					g.gather(b, spec, z);
					System.arraycopy(z, 0, xi, 2 * (b * n + c * d), 2 * d);
				}
			}
			System.arraycopy(mean, 0, x, 0, x.length);
			for (int b = 0; b < problem.count; b++) ComplexDense.mult(roots, 2 * b * n * n, false, xi, 2 * b * n, false, x, 2 * b * n, n, n, 1, true);
			return problem.images(x);
		}
	}

	/** The trace of the covariance, Σ_b mult·tr S_b (= Σ_p Var x_p over all channels). */
	public double trace() {
		final int n = problem.n;
		double t = 0;
		for (int b = 0; b < problem.count; b++) for (int i = 0; i < n; i++) t += problem.multiplicity(b) * s[2 * (b * n * n + i * (n + 1))];
		return t;
	}
}
