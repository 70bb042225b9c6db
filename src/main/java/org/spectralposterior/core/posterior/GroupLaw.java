package org.spectralposterior.core.posterior;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.HermitianNoise;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.metric.HermitianBlock;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.AliasingGroups;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * A Gaussian law on the high-resolution grid given a super-resolution measurement, block-diagonal
 * over the aliasing groups (MATH §7.4, §8 block form): on the group of each stored LR frequency k',
 * X_G | V ~ N(P V_{k'} + q, S), P and q complex r²-vectors (q non-zero only on the DC group: the
 * prior mean is constant), S an r²×r² Hermitian block. The exact posterior and every sampler's
 * output law have this form. Arrays per group g: P and q at 2·(g·d + i), S at 2·(g·d² + i·d + l).
 */
public final class GroupLaw {

	private final AliasingGroups groups;
	private final double[] p, q, s;

	public GroupLaw(final AliasingGroups groups, final double[] p, final double[] q, final double[] s) {
		this.groups = groups;
		this.p = p;
		this.q = q;
		this.s = s;
	}

	/**
	 * The exact posterior (MATH §4.3): K = Λ conj(a)/(aᵀΛ conj(a) + σ²), P* = K, q* = (I − K aᵀ) M,
	 * Σ* = Λ − K aᵀΛ (rank-one downdate). With σ = 0, a group the blur removes (aᵀΛ conj(a) ≈ 0) carries
	 * no information: K = 0 there.
	 */
	public static GroupLaw posterior(final GaussianPrior prior, final AliasingGroups groups, final double sigma) {
		return posterior(prior, groups, sigma, true);
	}

	/**
	 * As above; without {@code covariance} the blocks S* are not stored (r² doubles per HR pixel): mean
	 * and kriging samples only ({@link #krigingSampler}), for exact sampling at large r.
	 */
	public static GroupLaw posterior(final GaussianPrior prior, final AliasingGroups groups, final double sigma, final boolean covariance) {
		final int d = groups.d, size = groups.lr.size;
		final double[] lam = prior.spectrum().values();
		final double[] p = new double[2 * size * d], q = new double[2 * size * d], s = covariance ? new double[2 * size * d * d] : null;
		double cMax = 0;
		final double[] cv = new double[size];
		for (int g = 0; g < size; g++) {
			double c = 0;
			for (int i = 0; i < d; i++) c += lam[groups.member(g, i)] * (groups.aRe(g, i) * groups.aRe(g, i) + groups.aIm(g, i) * groups.aIm(g, i));
			cv[g] = c;
			cMax = Math.max(cMax, c);
		}
		final double var = sigma * sigma, m0 = prior.meanDc();
		for (int g = 0; g < size; g++) {
			final double den = var > 0 || cv[g] > 1e-20 * cMax ? cv[g] + var : 0;
			for (int i = 0; i < d; i++) {
				final double li = lam[groups.member(g, i)];
				final double kr = den > 0 ? li * groups.aRe(g, i) / den : 0, ki = den > 0 ? -li * groups.aIm(g, i) / den : 0;
				p[2 * (g * d + i)] = kr;
				p[2 * (g * d + i) + 1] = ki;
				for (int l = 0; s != null && l < d; l++) {
					final double ll = lam[groups.member(g, l)], ar = groups.aRe(g, l) * ll, ai = groups.aIm(g, l) * ll;
					final int o = 2 * (g * d * d + i * d + l);
					s[o] = (i == l ? li : 0) - (kr * ar - ki * ai);
					s[o + 1] = -(kr * ai + ki * ar);
				}
				if (g == 0) {
					// (I − K aᵀ) M with M = √d_HR·m at the HR DC, member 0 of the DC group.
					final double a0r = groups.aRe(0, 0), a0i = groups.aIm(0, 0);
					q[2 * i] = (i == 0 ? m0 : 0) - (kr * a0r - ki * a0i) * m0;
					q[2 * i + 1] = -(kr * a0i + ki * a0r) * m0;
				}
			}
		}
		return new GroupLaw(groups, p, q, s);
	}

	public AliasingGroups groups() {
		return groups;
	}

	/** Read-only views (see the class comment for the layout). */
	public double[] p() {
		return p;
	}

	public double[] q() {
		return q;
	}

	public double[] s() {
		return s;
	}

	/** The mean's HR half-plane spectrum for an LR measurement spectrum. */
	public double[] meanSpectrum(final double[] vLr) {
		final int d = groups.d;
		final double[] out = new double[2 * groups.hr.size], vals = new double[2 * d];
		for (int g = 0; g < groups.lr.size; g++) {
			final double vr = vLr[2 * g], vi = vLr[2 * g + 1];
			for (int i = 0; i < d; i++) {
				final int o = 2 * (g * d + i);
				vals[2 * i] = p[o] * vr - p[o + 1] * vi + q[o];
				vals[2 * i + 1] = p[o] * vi + p[o + 1] * vr + q[o + 1];
			}
			groups.scatter(g, vals, out);
		}
		return out;
	}

	/** The mean image for an LR measurement (pixels). */
	public double[] meanImage(final double[] measurement) {
		final double[] vLr = lrSpectrum(measurement);
		final RealFft2 fft = new RealFft2(groups.hr);
		final double[] out = new double[groups.hr.pixels];
		fft.inverse(meanSpectrum(vLr), out);
		return out;
	}

	private double[] lrSpectrum(final double[] measurement) {
		return lrSpectrum(groups.lr, measurement);
	}

	/** The unitary spectrum of an LR measurement, checked against the LR grid. */
	public static double[] lrSpectrum(final HalfPlane plane, final double[] measurement) {
		if (measurement.length != plane.pixels) {
			throw new IllegalArgumentException("The measurement has " + measurement.length + " pixels but the low-resolution grid " + plane + " has " + plane.pixels + ".");
		}
		final RealFft2 lr = new RealFft2(plane);
		final double[] v = lr.newSpectrum();
		lr.forward(measurement, v);
		return v;
	}

	/**
	 * The exact variance of every HR pixel: the covariance is block-diagonal over aliasing groups, so
	 * it is periodic with period r in both directions; Var x_p = (1/D) Σ_G Σ_{i,l} S_G[i,l] e^{2πi(δ·p)/r}
	 * with δ the offset between members i and l in units of the LR grid.
	 */
	public double[] pixelVariance() {
		final int r = groups.r, d = groups.d;
		final HalfPlane lr = groups.lr;
		final double[] acc = new double[2 * d];
		for (int g = 0; g < lr.size; g++) {
			final double m = lr.multiplicity(g);
			for (int i = 0; i < d; i++) {
				for (int l = 0; l < d; l++) {
					final int dy = Math.floorMod(i / r - l / r, r), dx = Math.floorMod(i % r - l % r, r);
					final int o = 2 * (g * d * d + i * d + l);
					acc[2 * (dy * r + dx)] += m * s[o];
					acc[2 * (dy * r + dx) + 1] += m * s[o + 1];
				}
			}
		}
		final HalfPlane hr = groups.hr;
		final double[] phase = new double[d];
		for (int py = 0; py < r; py++) {
			for (int px = 0; px < r; px++) {
				double v = 0;
				for (int dy = 0; dy < r; dy++) {
					for (int dx = 0; dx < r; dx++) {
						final double th = 2 * Math.PI * (dy * py + dx * px) / r;
						v += acc[2 * (dy * r + dx)] * Math.cos(th) - acc[2 * (dy * r + dx) + 1] * Math.sin(th);
					}
				}
				phase[py * r + px] = Math.max(0, v / hr.pixels);
			}
		}
		final double[] out = new double[hr.pixels];
		for (int y = 0; y < hr.height; y++) for (int x = 0; x < hr.width; x++) out[y * hr.width + x] = phase[(y % r) * r + x % r];
		return out;
	}

	/**
	 * Exact posterior samples by kriging + innovation entirely in the Fourier domain (MATH §4.4): with
	 * x̃ = √λ ξ (ξ the spectrum of real white noise on the HR grid) and ñ the spectrum of white noise on
	 * the LR grid, x = μ_post + x̃ − K(aᵀx̃ + σñ) per group, K = P* of this (posterior) law. One inverse HR
	 * FFT per sample, and no square root of any block.
	 */
	public KrigingSampler krigingSampler(final GaussianPrior prior, final double sigma, final double[] measurement, final SplittableRandom rng) {
		return new KrigingSampler(prior, sigma, lrSpectrum(measurement), rng);
	}

	public final class KrigingSampler {
		private final SplittableRandom rng;
		private final double sigma;
		private final double[] mean, sqrtLam, xi, eta, ax, out;
		private final RealFft2 fft = new RealFft2(groups.hr);

		private KrigingSampler(final GaussianPrior prior, final double sigma, final double[] vLr, final SplittableRandom rng) {
			this.rng = rng;
			this.sigma = sigma;
			mean = meanSpectrum(vLr);
			final double[] l = prior.spectrum().values();
			sqrtLam = new double[l.length];
			for (int i = 0; i < l.length; i++) sqrtLam[i] = Math.sqrt(l[i]);
			xi = fft.newSpectrum();
			eta = new double[2 * groups.lr.size];
			ax = new double[2 * groups.lr.size];
			out = fft.newSpectrum();
		}

		/** The next sample (HR pixels). */
		public void next(final double[] pixels) {
			HermitianNoise.fill(groups.hr, rng, xi);
			for (int k = 0; k < groups.hr.size; k++) {
				xi[2 * k] *= sqrtLam[k];
				xi[2 * k + 1] *= sqrtLam[k];
			}
			HermitianNoise.fill(groups.lr, rng, eta);
			groups.forward(xi, ax);
			for (int g = 0; g < ax.length; g++) ax[g] += sigma * eta[g];
			// x̃ − K u per HR frequency j: K_j = P*_j of j's group (conjugated with a conjugated group).
			for (int j = 0; j < groups.hr.size; j++) {
				final int g = groups.groupOf(j), i = groups.place(j), o = 2 * (g * groups.d + i);
				final boolean cj = groups.groupConj(j);
				final double kr = p[o], ki = cj ? -p[o + 1] : p[o + 1], ur = ax[2 * g], ui = cj ? -ax[2 * g + 1] : ax[2 * g + 1];
				out[2 * j] = mean[2 * j] + xi[2 * j] - (kr * ur - ki * ui);
				out[2 * j + 1] = mean[2 * j + 1] + xi[2 * j + 1] - (kr * ui + ki * ur);
			}
			fft.inverse(out, pixels);
		}
	}

	/** A sampler of this law for one LR measurement: mean + S^{1/2} ξ per group, ξ the spectrum of real white noise. */
	public Sampler sampler(final double[] measurement, final SplittableRandom rng) {
		return new Sampler(lrSpectrum(measurement), rng);
	}

	public final class Sampler {
		private final double[] mean, roots, xi, out;
		private final SplittableRandom rng;
		private final RealFft2 fft = new RealFft2(groups.hr);

		private Sampler(final double[] vLr, final SplittableRandom rng) {
			this.rng = rng;
			mean = meanSpectrum(vLr);
			final int d = groups.d, size = groups.lr.size;
			// The Hermitian root (not a Cholesky factor): it commutes with the conjugation symmetry
			// of self-conjugate groups, so the sample's spectrum stays that of a real image.
			roots = new double[2 * size * d * d];
			final ThreadLocal<HermitianBlock> work = ThreadLocal.withInitial(() -> new HermitianBlock(d));
			IntStream.range(0, size).parallel().forEach(g -> work.get().sqrt(s, 2 * g * d * d, roots, 2 * g * d * d));
			xi = fft.newSpectrum();
			out = fft.newSpectrum();
		}

		/** The next sample (HR pixels) into {@code pixels}. */
		public void next(final double[] pixels) {
			final int d = groups.d;
			HermitianNoise.fill(groups.hr, rng, xi);
			final double[] z = new double[2 * d], y = new double[2 * d];
			System.arraycopy(mean, 0, out, 0, out.length);
			for (int g = 0; g < groups.lr.size; g++) {
				groups.gather(g, xi, z);
				for (int i = 0; i < d; i++) {
					double re = 0, im = 0;
					for (int l = 0; l < d; l++) {
						final int o = 2 * (g * d * d + i * d + l);
						re += roots[o] * z[2 * l] - roots[o + 1] * z[2 * l + 1];
						im += roots[o] * z[2 * l + 1] + roots[o + 1] * z[2 * l];
					}
					y[2 * i] = re;
					y[2 * i + 1] = im;
				}
				groups.gather(g, mean, z);
				for (int i = 0; i < 2 * d; i++) y[i] += z[i];
				groups.scatter(g, y, out);
			}
			fft.inverse(out, pixels);
		}
	}

	/**
	 * W2² between this law and another on the same groups for one LR measurement (MATH §9.2, block
	 * form): Σ_G mult·(‖mean difference‖² + Bures(S_G, S'_G)); the complex Bures sum is the exact real
	 * W2² (MATH §9.1). Maps: each HR frequency carries its own mean difference and 1/r² of its
	 * group's Bures term; the pixel map is the W2 between the per-pixel marginals.
	 */
	public Wasserstein.Result w2(final GroupLaw other, final double[] measurement) {
		final double[] vLr = lrSpectrum(measurement);
		final double[] ma = meanSpectrum(vLr), mb = other.meanSpectrum(vLr);
		final HalfPlane hr = groups.hr, lr = groups.lr;
		final double[] bures = buresPerGroup(other);
		final double[] meanPart = new double[hr.size], covPart = new double[hr.size];
		double mTotal = 0, cTotal = 0;
		for (int j = 0; j < hr.size; j++) {
			final double dr = ma[2 * j] - mb[2 * j], di = ma[2 * j + 1] - mb[2 * j + 1];
			meanPart[j] = Double.isNaN(dr) || Double.isNaN(di) ? Double.POSITIVE_INFINITY : dr * dr + di * di;
			covPart[j] = bures[groups.groupOf(j)] / groups.d;
			mTotal += hr.multiplicity(j) * meanPart[j];
		}
		for (int g = 0; g < lr.size; g++) cTotal += lr.multiplicity(g) * bures[g];
		final RealFft2 fft = new RealFft2(hr);
		final double[] diff = fft.newSpectrum(), meanDiff = new double[hr.pixels];
		for (int i = 0; i < diff.length; i++) diff[i] = ma[i] - mb[i];
		fft.inverse(diff, meanDiff);
		final double[] va = pixelVariance(), vb = other.pixelVariance(), map = new double[hr.pixels];
		for (int n = 0; n < map.length; n++) {
			final double ds = Math.sqrt(va[n]) - Math.sqrt(vb[n]);
			map[n] = Math.sqrt(meanDiff[n] * meanDiff[n] + ds * ds);
		}
		return new Wasserstein.Result(hr, mTotal, cTotal, meanPart, covPart, map);
	}

	/**
	 * E_v W2² over v ~ N(aᵀM, aᵀΛ conj(a) + σ²) per group (MATH §9.3 block form):
	 * (P − P*) C_v (P − P*)* + ‖(P − P*) aᵀM + q − q*‖² + Bures(S, S*).
	 */
	public Wasserstein.Expected expected(final GroupLaw posterior, final GaussianPrior prior, final double sigma) {
		final int d = groups.d;
		final HalfPlane hr = groups.hr, lr = groups.lr;
		final double[] lam = prior.spectrum().values();
		final double[] bures = buresPerGroup(posterior);
		final double[] density = new double[hr.size], groupMean = new double[lr.size];
		double meanTotal = 0, covTotal = 0;
		final double m0 = prior.meanDc();
		for (int g = 0; g < lr.size; g++) {
			double cv = sigma * sigma, amr = 0, ami = 0;
			for (int i = 0; i < d; i++) cv += lam[groups.member(g, i)] * (groups.aRe(g, i) * groups.aRe(g, i) + groups.aIm(g, i) * groups.aIm(g, i));
			if (g == 0) {
				amr = groups.aRe(0, 0) * m0;
				ami = groups.aIm(0, 0) * m0;
			}
			double mean = 0;
			for (int i = 0; i < d; i++) {
				final int o = 2 * (g * d + i);
				final double dr = p[o] - posterior.p[o], di = p[o + 1] - posterior.p[o + 1];
				final double br = dr * amr - di * ami + q[o] - posterior.q[o], bi = dr * ami + di * amr + q[o + 1] - posterior.q[o + 1];
				mean += (dr * dr + di * di) * cv + br * br + bi * bi;
			}
			if (!Double.isFinite(mean)) mean = Double.POSITIVE_INFINITY;
			groupMean[g] = mean;
			meanTotal += lr.multiplicity(g) * mean;
			covTotal += lr.multiplicity(g) * bures[g];
		}
		for (int j = 0; j < hr.size; j++) density[j] = (groupMean[groups.groupOf(j)] + bures[groups.groupOf(j)]) / d;
		return new Wasserstein.Expected(hr, meanTotal, covTotal, density);
	}

	private double[] buresPerGroup(final GroupLaw other) {
		final int d = groups.d;
		final ThreadLocal<HermitianBlock> work = ThreadLocal.withInitial(() -> new HermitianBlock(d));
		final ThreadLocal<double[][]> phases = ThreadLocal.withInitial(() -> new double[2][d]);
		return IntStream.range(0, groups.lr.size).parallel().mapToDouble(g -> {
			final int o = 2 * g * d * d;
			for (int i = o; i < o + 2 * d * d; i++) if (!Double.isFinite(s[i])) return Double.POSITIVE_INFINITY;
			// The group's phases a_i/|a_i|, in which a guided sampler's block and the posterior's are real.
			final double[][] c = phases.get();
			for (int i = 0; i < d; i++) {
				final double re = groups.aRe(g, i), im = groups.aIm(g, i), m = Math.hypot(re, im);
				c[0][i] = m > 0 ? re / m : 1;
				c[1][i] = m > 0 ? im / m : 0;
			}
			final double real = work.get().buresInRealBasis(s, o, other.s, o, c[0], c[1]);
			return Double.isNaN(real) ? work.get().bures(s, o, other.s, o) : real;
		}).toArray();
	}

	/**
	 * Per stored HR frequency j: {|P_j|, sqrt(S_jj)} — the gain from the LR measurement coefficient
	 * V_{k'} of j's group to X_j, and the marginal std of X_j (the block form of |p conj(h)| and s).
	 */
	public double[][] perFrequency() {
		final int d = groups.d;
		final double[] gain = new double[groups.hr.size], std = new double[groups.hr.size];
		for (int j = 0; j < groups.hr.size; j++) {
			final int g = groups.groupOf(j), i = groups.place(j), o = 2 * (g * d + i);
			gain[j] = Math.hypot(p[o], p[o + 1]);
			std[j] = Math.sqrt(Math.max(0, s[2 * (g * d * d + i * d + i)]));
		}
		return new double[][] { gain, std };
	}

	/** The trace of the covariance, Σ_G mult·tr S_G (= Σ_p Var x_p). */
	public double trace() {
		final int d = groups.d;
		double t = 0;
		for (int g = 0; g < groups.lr.size; g++) for (int i = 0; i < d; i++) t += groups.lr.multiplicity(g) * s[2 * (g * d * d + i * d + i)];
		return t;
	}
}
