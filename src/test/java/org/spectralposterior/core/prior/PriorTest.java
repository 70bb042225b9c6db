package org.spectralposterior.core.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.ExactPosterior;
import org.spectralposterior.core.posterior.OutputLaw;

class PriorTest {

	static double[] texture(final int h, final int w, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final double[] x = new double[h * w];
		for (int i = 0; i < x.length; i++) x[i] = 10 + r.nextGaussian() + 2 * Math.sin(i * 0.7) + 0.05 * (i / w);
		return x;
	}

	@Test
	void periodicComponentSolvesThePeriodicPoissonEquation() {
		// Moisan: Δ_per p = Δ_nonper u, and p has u's mean.
		final int h = 9, w = 12;
		final double[] u = texture(h, w, 1);
		final double[] p = PeriodicComponent.of(u, h, w);
		double su = 0, sp = 0;
		for (int i = 0; i < u.length; i++) {
			su += u[i];
			sp += p[i];
		}
		assertEquals(su, sp, 1e-9);
		for (int r = 0; r < h; r++) {
			for (int c = 0; c < w; c++) {
				double lp = 0, lu = 0;
				final int[][] nb = { { r - 1, c }, { r + 1, c }, { r, c - 1 }, { r, c + 1 } };
				for (final int[] n : nb) {
					lp += p[r * w + c] - p[Math.floorMod(n[0], h) * w + Math.floorMod(n[1], w)];
					if (n[0] >= 0 && n[0] < h && n[1] >= 0 && n[1] < w) lu += u[r * w + c] - u[n[0] * w + n[1]];
				}
				assertEquals(lu, lp, 1e-9, "Laplacians at " + r + "," + c);
			}
		}
	}

	@Test
	void adsnSpectrumIsTheDftOfTheTextonsCircularAutocorrelation() {
		final int h = 8, w = 9, th = 12, tw = 10;
		final double[] u = texture(h, w, 2);
		final GaussianPrior prior = PriorEstimator.adsn(u, h, w, th, tw);
		final double[] p = PeriodicComponent.of(u, h, w);
		double mean = 0;
		for (final double v : u) mean += v / u.length;
		final double[] t = texton(u, h, w, th, tw);
		// Circular autocorrelation by direct sums, then its (unnormalised) DFT must equal λ.
		final double[] ac = new double[th * tw];
		for (int dr = 0; dr < th; dr++) for (int dc = 0; dc < tw; dc++) {
			double s = 0;
			for (int r = 0; r < th; r++) for (int c = 0; c < tw; c++) s += t[r * tw + c] * t[Math.floorMod(r + dr, th) * tw + Math.floorMod(c + dc, tw)];
			ac[dr * tw + dc] = s;
		}
		final HalfPlane plane = new HalfPlane(th, tw);
		final RealFft2 fft = new RealFft2(plane);
		final double[] spec = fft.newSpectrum();
		fft.forward(ac, spec);
		for (int k = 0; k < plane.size; k++) {
			assertEquals(spec[2 * k] * Math.sqrt(th * tw), prior.spectrum().get(k), 1e-9, "λ_" + k);
			assertEquals(0, spec[2 * k + 1], 1e-9, "an autocorrelation has a real DFT");
		}
		assertEquals(mean, prior.mean(), 1e-12);
		// Zero-padding keeps the exemplar's per-pixel variance.
		double var = 0;
		for (int i = 0; i < p.length; i++) var += (p[i] - mean) * (p[i] - mean) / p.length;
		assertEquals(var, prior.pixelVariance(), 1e-9);
	}

	@Test
	void smoothedSpectrumIsTheDftOfTheLagWindowedAutocorrelation() {
		final int h = 8, w = 9, th = 12, tw = 10;
		final double[] u = texture(h, w, 3);
		final GaussianPrior raw = PriorEstimator.adsn(u, h, w, th, tw), smooth = PriorEstimator.smoothed(java.util.List.of(u), h, w, th, tw);
		final double[] t = texton(u, h, w, th, tw);
		// Direct circular autocorrelation times the Parzen window reaching zero at half the exemplar size.
		final double[] ac = new double[th * tw];
		for (int dr = 0; dr < th; dr++) for (int dc = 0; dc < tw; dc++) {
			double s = 0;
			for (int r = 0; r < th; r++) for (int c = 0; c < tw; c++) s += t[r * tw + c] * t[Math.floorMod(r + dr, th) * tw + Math.floorMod(c + dc, tw)];
			final double a = Math.min(dr, th - dr) / (h / 2.0), b = Math.min(dc, tw - dc) / (w / 2.0);
			ac[dr * tw + dc] = s * parzen(a) * parzen(b);
		}
		final HalfPlane plane = new HalfPlane(th, tw);
		final RealFft2 fft = new RealFft2(plane);
		final double[] spec = fft.newSpectrum();
		fft.forward(ac, spec);
		for (int k = 0; k < plane.size; k++) {
			assertEquals(Math.max(0, spec[2 * k] * Math.sqrt(th * tw)), smooth.spectrum().get(k), 1e-9, "λ_" + k);
			assertTrue(smooth.spectrum().get(k) >= 0);
		}
		assertEquals(raw.pixelVariance(), smooth.pixelVariance(), 1e-9, "the lag window keeps c(0)");
		assertEquals(raw.mean(), smooth.mean(), 1e-12);
	}

	/** Texton t = (per(u) − mean)/sqrt(hw), zero-padded into the th×tw target. */
	private static double[] texton(final double[] u, final int h, final int w, final int th, final int tw) {
		final double[] p = PeriodicComponent.of(u, h, w);
		double mean = 0;
		for (final double v : u) mean += v / u.length;
		final double[] t = new double[th * tw];
		for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) t[r * tw + c] = (p[r * w + c] - mean) / Math.sqrt(h * w);
		return t;
	}

	/** Written out independently of the estimator's. */
	private static double parzen(final double u) {
		final double a = Math.abs(u);
		if (a >= 1) return 0;
		if (a <= 0.5) return 1 - 6 * a * a * (1 - a);
		return 2 * (1 - a) * (1 - a) * (1 - a);
	}

	@Test
	void periodogramAveragesTheExemplarsSpectra() {
		final int h = 10, w = 8;
		final List<double[]> ex = List.of(texture(h, w, 3), texture(h, w, 4), texture(h, w, 5));
		final GaussianPrior all = PriorEstimator.periodogram(ex, h, w, h, w);
		double mean = 0;
		for (final double[] x : ex) for (final double v : x) mean += v / (3.0 * h * w);
		assertEquals(mean, all.mean(), 1e-12);
		final HalfPlane plane = all.plane();
		final RealFft2 fft = new RealFft2(plane);
		final double[] spec = fft.newSpectrum();
		for (int k = 0; k < plane.size; k++) {
			double want = 0;
			for (final double[] x : ex) {
				final double[] p = PeriodicComponent.of(x, h, w);
				for (int i = 0; i < p.length; i++) p[i] -= mean;
				fft.forward(p, spec);
				want += (spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1]) / 3;
			}
			assertEquals(want, all.spectrum().get(k), 1e-9 * Math.max(1, want), "MATH §2.3 averaged periodogram, k=" + k);
		}
	}

	@Test
	void priorAndPosteriorSamplesHaveTheirSpectra() {
		final int h = 8, w = 10;
		final GaussianPrior prior = PriorEstimator.adsn(texture(h, w, 6), h, w, h, w);
		final OutputLaw post = ExactPosterior.of(prior, BlurOperator.of(OperatorSpec.psf(new double[] { 2, 1, 0, 1 }, 2, 2), h, w), 0.3);
		final HalfPlane plane = prior.plane();
		final RealFft2 fft = new RealFft2(plane);
		final double[] spec = fft.newSpectrum(), x = new double[h * w], v = texture(h, w, 7);
		final double[] meanSpec = fft.newSpectrum();
		fft.forward(post.meanImage(v), meanSpec);
		final int n = 6000;
		final double[] powPrior = new double[plane.size], powPost = new double[plane.size];
		final GaussianPrior.Sampler ps = prior.sampler(1);
		final OutputLaw.Sampler qs = post.sampler(v, 2);
		for (int s = 0; s < n; s++) {
			ps.next(x);
			fft.forward(x, spec);
			spec[0] -= prior.meanDc();
			for (int k = 0; k < plane.size; k++) powPrior[k] += (spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1]) / n;
			qs.next(x);
			fft.forward(x, spec);
			for (int k = 0; k < plane.size; k++) powPost[k] += (Math.pow(spec[2 * k] - meanSpec[2 * k], 2) + Math.pow(spec[2 * k + 1] - meanSpec[2 * k + 1], 2)) / n;
		}
		// E|X − M|² = λ (prior) and s*² (posterior); relative error of a mean of n exponential (or χ²₁) draws: ≤ 5·sqrt(2/n).
		final double tol = 5 * Math.sqrt(2.0 / n);
		for (int k = 0; k < plane.size; k++) {
			if (prior.spectrum().get(k) > 1e-12) assertEquals(1, powPrior[k] / prior.spectrum().get(k), tol, "prior k=" + k);
			if (post.s2()[k] > 1e-12) assertEquals(1, powPost[k] / post.s2()[k], tol, "posterior k=" + k);
		}
	}

	@Test
	void badExemplarsAreRefused() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> PriorEstimator.adsn(new double[64], 8, 8, 8, 8)).getMessage().contains("constant"));
		// A constant 0.3 leaves a ~1e-30 rounding spectrum: still constant.
		final double[] c = new double[9 * 11];
		java.util.Arrays.fill(c, 0.3);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> PriorEstimator.adsn(c, 9, 11, 9, 11)).getMessage().contains("constant"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> PriorEstimator.adsn(new double[35], 5, 7, 8, 8)).getMessage().contains("at least 8×8"));
		final double[] nan = texture(8, 8, 1);
		nan[3] = Double.NaN;
		assertTrue(assertThrows(IllegalArgumentException.class, () -> PriorEstimator.adsn(nan, 8, 8, 8, 8)).getMessage().contains("NaN"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> PriorEstimator.adsn(texture(10, 10, 1), 10, 10, 8, 8)).getMessage().contains("smaller than the exemplar"));
	}
}
