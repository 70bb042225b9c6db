package org.spectralposterior.core.metric;

import org.spectralposterior.core.fourier.FullGrid;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Wasserstein-2 distances between Gaussian laws with circulant covariances (MATH §9). Because both
 * covariances are diagonal in the same (Fourier) basis the Bures term reduces to
 * Σ_k (sqrt(a_k) − sqrt(b_k))², and with the unitary DFT the mean term is Σ_k |ΔM_k|² (Parseval).
 */
public final class Wasserstein {

	private Wasserstein() {}

	/**
	 * W2² between N(F⁻¹ meanA, F* diag(varA) F) and N(F⁻¹ meanB, F* diag(varB) F), with its
	 * per-frequency contributions (MATH §9.1).
	 *
	 * @param meanA complex half-plane spectrum of the first mean image
	 */
	public static Result between(final HalfPlane plane, final double[] meanA, final double[] varA, final double[] meanB, final double[] varB) {
		final double[] meanPart = new double[plane.size];
		final double[] covPart = new double[plane.size];
		double mTotal = 0, cTotal = 0;
		for (int i = 0; i < plane.size; i++) {
			final double dr = meanA[2 * i] - meanB[2 * i], di = meanA[2 * i + 1] - meanB[2 * i + 1];
			final double ds = Math.sqrt(varA[i]) - Math.sqrt(varB[i]);
			meanPart[i] = Double.isNaN(dr) || Double.isNaN(di) ? Double.POSITIVE_INFINITY : dr * dr + di * di;
			covPart[i] = Double.isNaN(ds) ? Double.POSITIVE_INFINITY : ds * ds;
			mTotal += plane.multiplicity(i) * meanPart[i];
			cTotal += plane.multiplicity(i) * covPart[i];
		}
		// Per-pixel marginals: mean difference image, and the same variance tr/d at every pixel.
		final RealFft2 fft = new RealFft2(plane);
		final double[] diff = fft.newSpectrum();
		for (int i = 0; i < diff.length; i++) diff[i] = meanA[i] - meanB[i];
		final double[] meanDiff = new double[plane.pixels];
		fft.inverse(diff, meanDiff);
		final double sa = Math.sqrt(plane.sumAll(varA) / plane.pixels), sb = Math.sqrt(plane.sumAll(varB) / plane.pixels);
		final double[] pixelMap = new double[plane.pixels];
		for (int n = 0; n < plane.pixels; n++) pixelMap[n] = Math.sqrt(meanDiff[n] * meanDiff[n] + (sa - sb) * (sa - sb));
		return new Result(plane, mTotal, cTotal, meanPart, covPart, pixelMap);
	}

	/** W2² between two output laws for the same measurement (MATH §9.2). */
	public static Result between(final OutputLaw a, final OutputLaw b, final double[] measurement) {
		if (!a.plane().sameShape(b.plane())) throw new IllegalArgumentException("The two laws live on different grids: " + a.plane() + " and " + b.plane());
		final RealFft2 fft = new RealFft2(a.plane());
		final double[] v = fft.newSpectrum();
		fft.forward(measurement, v);
		return between(a.plane(), a.meanSpectrum(v), a.s2(), b.meanSpectrum(v), b.s2());
	}

	/**
	 * E_v W2²(law(v), posterior(v)) over measurements drawn from their marginal
	 * V_k ~ N(h_k M_k, ρ_k λ_k + σ²) (MATH §9.3): the tuning objective. Both laws must use the same
	 * operator.
	 */
	public static Expected expected(final OutputLaw law, final OutputLaw posterior, final GaussianPrior prior, final double sigma) {
		final HalfPlane plane = law.plane();
		if (!plane.sameShape(posterior.plane())) throw new IllegalArgumentException("The two laws live on different grids: " + plane + " and " + posterior.plane());
		if (!plane.sameShape(prior.plane())) throw new IllegalArgumentException("The prior lives on a " + prior.plane() + " grid but the laws on a " + plane + " grid");
		if (!java.util.Arrays.equals(law.operator().rho(), posterior.operator().rho())) {
			throw new IllegalArgumentException("The two laws use different operators (" + law.operator().spec().describe() + " and " + posterior.operator().spec().describe()
				+ "); the expected W2 needs both for the same degradation.");
		}
		final double[] rho = law.operator().rho();
		final double[] lambda = prior.spectrum().values();
		final double[] p = law.p(), q = law.q(), s2 = law.s2();
		final double[] pk = posterior.p(), qk = posterior.q(), sk2 = posterior.s2();
		final double m0 = prior.meanDc();
		final double var = sigma * sigma;
		final double[] density = new double[plane.size];
		double meanTotal = 0, covTotal = 0;
		for (int i = 0; i < plane.size; i++) {
			final double dp = p[i] - pk[i];
			// Mean part: the random fluctuation of V plus, at DC, the bias δ = dp ρ M + q − q*.
			double mean = rho[i] * dp * dp * (rho[i] * lambda[i] + var);
			final double m = i == 0 ? m0 : 0;
			final double delta = dp * rho[i] * m + q[i] - qk[i];
			mean += delta * delta;
			final double ds = Math.sqrt(s2[i]) - Math.sqrt(sk2[i]);
			// A sampler whose recurrence overflowed (a diverging heuristic) is infinitely far, not NaN
			// (0·∞ where ρ = 0, ∞ − ∞ in the bias).
			if (!(Double.isFinite(p[i]) && Double.isFinite(q[i]) && Double.isFinite(s2[i]))) mean = Double.POSITIVE_INFINITY;
			density[i] = mean + ds * ds;
			meanTotal += plane.multiplicity(i) * mean;
			covTotal += plane.multiplicity(i) * (Double.isNaN(ds) ? Double.POSITIVE_INFINITY : ds * ds);
		}
		return new Expected(plane, meanTotal, covTotal, density);
	}

	/** One W2² evaluation with its decomposition and maps. */
	public record Result(HalfPlane plane, double meanPart, double covariancePart, double[] meanDensity, double[] covarianceDensity, double[] pixelMap) {

		/** W2² = mean part + covariance (Bures) part. */
		public double squared() {
			return meanPart + covariancePart;
		}

		public double distance() {
			return Math.sqrt(squared());
		}

		/** The same laws with intensities multiplied by {@code factor}: W2 scales by it, W2² by its square. */
		public Result scaled(final double factor) {
			final double f2 = factor * factor;
			final double[] md = meanDensity.clone(), cd = covarianceDensity.clone(), px = pixelMap.clone();
			for (int i = 0; i < md.length; i++) {
				md[i] *= f2;
				cd[i] *= f2;
			}
			for (int i = 0; i < px.length; i++) px[i] *= factor;
			return new Result(plane, meanPart * f2, covariancePart * f2, md, cd, px);
		}

		/** Per-frequency contributions on the full grid, fftshifted; they sum to {@link #squared()}. */
		public double[] spectralMap() {
			final double[] d = new double[plane.size];
			for (int i = 0; i < d.length; i++) d[i] = meanDensity[i] + covarianceDensity[i];
			return FullGrid.shifted(plane, d);
		}
	}

	/** Expected W2² over measurements, its parts and its per-frequency density (half plane). */
	public record Expected(HalfPlane plane, double meanPart, double covariancePart, double[] density) {

		public double squared() {
			return meanPart + covariancePart;
		}

		/** Per pixel: E W2² / d, the per-pixel unit MATH §9.3 suggests reporting, in the intensity scale of MATH §0.5. */
		public double perPixel() {
			return squared() / plane.pixels;
		}

		public double[] spectralMap() {
			return FullGrid.shifted(plane, density);
		}

		/** See {@link Result#scaled}. */
		public Expected scaled(final double factor) {
			final double f2 = factor * factor;
			final double[] d = density.clone();
			for (int i = 0; i < d.length; i++) d[i] *= f2;
			return new Expected(plane, meanPart * f2, covariancePart * f2, d);
		}
	}
}
