package org.spectralposterior.core.posterior;

import java.util.SplittableRandom;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The exact posterior of super-resolution, A = S_r C (blur by C on the high-resolution H×W grid, then
 * keep every r-th pixel of every r-th row, from pixel (0, 0); MATH §3.1, §4.3, §4.4). A is not
 * diagonal in Fourier, but AΣA* is circulant on the low-resolution grid, with eigenvalues
 * aga(k') = Σ_{j ∈ G(k')} |a_j|²λ_j over the aliasing group of k', so the kriging operator
 * K = ΣA*(AΣA* + σ²I)⁻¹ costs one LR and two HR FFT pairs:
 * <pre>
 *   K u = F_HR*( λ ⊙ conj(h) ⊙ F_HR Sᵀ F_LR*( F_LR u / (aga + σ²) ) )   (Sᵀ: zero insertion)
 * </pre>
 * and x = μ + K(v − Aμ) + x̃ − K(Ax̃ + σñ), x̃ ~ N(0, Σ), ñ ~ N(0, I), is an exact posterior sample.
 * aga is computed as the LR spectrum of the decimated HR covariance kernel of Cx, which sidesteps
 * indexing the aliasing groups on half planes. The posterior covariance is r-periodic (the same for
 * pixels congruent mod r), so its exact diagonal costs r² probes.
 */
public final class SuperResolutionPosterior implements Posterior {

	private final GaussianPrior prior, centred;
	private final BlurOperator blur;
	private final int r, hH, hW, lH, lW;
	private final double sigma;
	private final RealFft2 hr, lr;
	private final double[] lam, denom;
	/** ΣA* without the decimation: λ conj(h) (A* = Cᵀ Sᵀ, and Cᵀ is conj(h) in Fourier — the classic conj/no-conj trap). */
	private final double[] sigmaAdjoint;

	public SuperResolutionPosterior(final GaussianPrior prior, final BlurOperator blur, final int factor, final double sigma) {
		final HalfPlane plane = prior.plane();
		if (!plane.sameShape(blur.plane())) throw new IllegalArgumentException("The prior is " + plane + " but the blur is " + blur.plane() + ".");
		if (factor < 1) throw new IllegalArgumentException("The downsampling factor must be at least 1, got " + factor + ".");
		if (plane.height % factor != 0 || plane.width % factor != 0) {
			throw new IllegalArgumentException("The high-resolution grid " + plane + " is not a multiple of the factor " + factor + "; crop it to a multiple of " + factor + ".");
		}
		if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + sigma);
		this.prior = prior;
		this.centred = new GaussianPrior(0, prior.spectrum());
		this.blur = blur;
		this.r = factor;
		this.hH = plane.height;
		this.hW = plane.width;
		this.lH = hH / r;
		this.lW = hW / r;
		this.sigma = sigma;
		this.hr = new RealFft2(plane);
		this.lr = new RealFft2(lH, lW);
		this.lam = prior.spectrum().values();
		final double[] h = blur.transfer();
		sigmaAdjoint = new double[2 * lam.length];
		for (int j = 0; j < lam.length; j++) {
			sigmaAdjoint[2 * j] = lam[j] * h[2 * j];
			sigmaAdjoint[2 * j + 1] = -lam[j] * h[2 * j + 1];
		}
		// aga: HR covariance kernel of Cx (spectrum ρλ), decimated, to the LR spectrum.
		final double[] rho = blur.rho();
		final double[] s = hr.newSpectrum();
		for (int j = 0; j < plane.size; j++) s[2 * j] = rho[j] * lam[j];
		final double[] kappa = new double[plane.pixels];
		hr.inverse(s, kappa);
		final double[] kLr = new double[lH * lW];
		final double scale = 1 / Math.sqrt(plane.pixels);
		for (int y = 0; y < lH; y++) for (int x = 0; x < lW; x++) kLr[y * lW + x] = kappa[(r * y) * hW + r * x] * scale;
		final double[] a = lr.newSpectrum();
		lr.forward(kLr, a);
		final HalfPlane lp = lr.plane();
		denom = new double[lp.size];
		final double sl = Math.sqrt(lp.pixels), var = sigma * sigma;
		// σ = 0: LR frequencies the blur removes entirely (aga ≈ 0) carry no information: K ignores them.
		double aMax = 0;
		for (int k = 0; k < lp.size; k++) aMax = Math.max(aMax, a[2 * k] * sl);
		for (int k = 0; k < lp.size; k++) {
			final double aga = Math.max(0, a[2 * k] * sl);
			denom[k] = var > 0 || aga > 1e-20 * aMax ? aga + var : 0;
		}
	}

	/** A x: blur on the HR grid, then every r-th pixel of every r-th row. */
	public double[] degrade(final double[] x) {
		return degrade(blur, r, x);
	}

	/** A x for a blur on an H×W grid and a factor r (H and W multiples of r). */
	public static double[] degrade(final BlurOperator blur, final int r, final double[] x) {
		final int hW = blur.plane().width, lH = blur.plane().height / r, lW = hW / r;
		final double[] c = blur.apply(x);
		final double[] out = new double[lH * lW];
		for (int y = 0; y < lH; y++) for (int xx = 0; xx < lW; xx++) out[y * lW + xx] = c[(r * y) * hW + r * xx];
		return out;
	}

	/** K u for a low-resolution vector u. */
	public double[] krige(final double[] u) {
		final double[] us = lr.newSpectrum();
		lr.forward(u, us);
		for (int k = 0; k < denom.length; k++) {
			final double f = denom[k] > 0 ? 1 / denom[k] : 0;
			us[2 * k] *= f;
			us[2 * k + 1] *= f;
		}
		final double[] ul = new double[lH * lW];
		lr.inverse(us, ul);
		final double[] z = new double[hH * hW];
		for (int y = 0; y < lH; y++) for (int x = 0; x < lW; x++) z[(r * y) * hW + r * x] = ul[y * lW + x];
		final double[] zs = hr.newSpectrum();
		hr.forward(z, zs);
		for (int j = 0; j < lam.length; j++) {
			final double re = zs[2 * j], im = zs[2 * j + 1], fr = sigmaAdjoint[2 * j], fi = sigmaAdjoint[2 * j + 1];
			zs[2 * j] = re * fr - im * fi;
			zs[2 * j + 1] = re * fi + im * fr;
		}
		final double[] out = new double[hH * hW];
		hr.inverse(zs, out);
		return out;
	}

	/** The posterior mean μ + K(v − Aμ) for a low-resolution measurement v. */
	public double[] mean(final double[] v) {
		if (v.length != lH * lW) throw new IllegalArgumentException("The measurement has " + v.length + " pixels but the low-resolution grid " + lH + "×" + lW + " has " + lH * lW + ".");
		final double[] flat = new double[hH * hW];
		java.util.Arrays.fill(flat, prior.mean());
		final double[] am = degrade(flat);
		final double[] res = new double[v.length];
		for (int i = 0; i < v.length; i++) res[i] = v[i] - am[i];
		final double[] out = krige(res);
		for (int i = 0; i < out.length; i++) out[i] += prior.mean();
		return out;
	}

	/** One exact posterior sample: {@code mean} plus the innovation x̃ − K(Ax̃ + σñ). */
	public void sample(final double[] mean, final GaussianPrior.Sampler centredPrior, final SplittableRandom noise, final double[] out) {
		centredPrior.next(out);
		final double[] b = degrade(out);
		if (sigma > 0) for (int i = 0; i < b.length; i++) b[i] += sigma * noise.nextGaussian();
		final double[] k = krige(b);
		for (int i = 0; i < out.length; i++) out[i] += mean[i] - k[i];
	}

	/** A sampler of x̃ ~ N(0, Σ) for {@link #sample}. */
	public GaussianPrior.Sampler innovationSampler(final SplittableRandom rng) {
		return centred.sampler(rng);
	}

	@Override
	public double[] mean(final double[] measurement, final org.spectralposterior.core.Progress progress) {
		return mean(measurement);
	}

	/**
	 * Kriging + innovation per aliasing group in Fourier ({@link GroupLaw#krigingSampler}: one inverse HR
	 * FFT per sample, against three FFT pairs for {@link #sample}), from one split of {@code planeRng}.
	 */
	@Override
	public Draws draws(final double[] measurement, final SplittableRandom planeRng, final org.spectralposterior.core.Progress progress) {
		// The group law without its r²×r² covariance blocks (memory at large r): the sampler needs P* only.
		final GroupLaw law = GroupLaw.posterior(prior, new org.spectralposterior.core.operator.AliasingGroups(blur, r), sigma, false);
		return law.krigingSampler(prior, sigma, measurement, planeRng.split())::next;
	}

	@Override
	public double[] pixelVariance(final org.spectralposterior.core.Progress progress) {
		return pixelVariance();
	}

	/** The exact posterior variance of every HR pixel (r-periodic; r² probes Σ_post e_p). */
	public double[] pixelVariance() {
		final double[] out = new double[hH * hW];
		final double[] e = new double[hH * hW], s = hr.newSpectrum();
		for (int a = 0; a < r; a++) {
			for (int b = 0; b < r; b++) {
				java.util.Arrays.fill(e, 0);
				e[a * hW + b] = 1;
				hr.forward(e, s);
				Spectrum.scale(s, lam);
				final double[] sigmaE = new double[hH * hW];
				hr.inverse(s, sigmaE);
				final double v = sigmaE[a * hW + b] - krige(degrade(sigmaE))[a * hW + b];
				for (int y = a; y < hH; y += r) for (int x = b; x < hW; x += r) out[y * hW + x] = Math.max(0, v);
			}
		}
		return out;
	}
}
