package org.spectralposterior.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Dense;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.ExactPosterior;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;
import org.spectralposterior.core.posterior.ExactPosteriorDenseTest;

/** The circulant W2 closed forms against EJML's dense Bures formula, and E_v W2² against Monte Carlo. */
class WassersteinDenseTest {

	static double[] symmetricSpectrum(final HalfPlane plane, final SplittableRandom r) {
		final double[] l = new double[plane.size];
		for (int i = 0; i < l.length; i++) l[i] = r.nextDouble() * 2;
		for (int i = 0; i < l.length; i++) {
			final int c = i % plane.cols;
			if (c == 0 || (plane.width % 2 == 0 && c == plane.width / 2)) l[plane.partnerInColumn(i)] = l[i];
		}
		return l;
	}

	@Test
	void circulantW2EqualsDenseBures() {
		final SplittableRandom r = new SplittableRandom(11);
		for (final int[] s : new int[][] { { 6, 5 }, { 7, 7 }, { 8, 6 } }) {
			final HalfPlane plane = new HalfPlane(s[0], s[1]);
			final RealFft2 fft = new RealFft2(plane);
			final double[] la = symmetricSpectrum(plane, r), lb = symmetricSpectrum(plane, r);
			final double[] ma = new double[plane.pixels], mb = new double[plane.pixels];
			for (int i = 0; i < ma.length; i++) {
				ma[i] = r.nextGaussian();
				mb[i] = r.nextGaussian();
			}
			final double[] sa = fft.newSpectrum(), sb = fft.newSpectrum();
			fft.forward(ma, sa);
			fft.forward(mb, sb);
			final Wasserstein.Result res = Wasserstein.between(plane, sa, la, sb, lb);
			final double dense = Dense.w2Squared(ma, Dense.circulantFromSpectrum(plane, la), mb, Dense.circulantFromSpectrum(plane, lb));
			assertEquals(dense, res.squared(), 1e-8 * dense, s[0] + "×" + s[1]);
			double sum = 0;
			for (final double v : res.spectralMap()) sum += v;
			assertEquals(res.squared(), sum, 1e-12 * sum, "the spectral map sums to the total");
		}
	}

	@Test
	void expectedW2MatchesMonteCarloOverMeasurements() {
		final GaussianPrior prior = ExactPosteriorDenseTest.randomPrior(8, 7, 3);
		final BlurOperator op = BlurOperator.of(OperatorSpec.psf(new double[] { 3, 1, 0.5, 2 }, 2, 2), 8, 7);
		final double sigma = 0.4;
		final OutputLaw post = ExactPosterior.of(prior, op, sigma);
		// A deliberately wrong law: half the Wiener gain, inflated variance, shifted mean.
		final double[] p = post.p().clone(), q = post.q().clone(), s2 = post.s2().clone();
		for (int i = 0; i < p.length; i++) {
			p[i] *= 0.5;
			s2[i] = 1.5 * s2[i] + 0.01;
		}
		q[0] += 0.7;
		final OutputLaw law = new OutputLaw(op, p, q, s2);
		final double closed = Wasserstein.expected(law, post, prior, sigma).squared();
		assertEquals(0, Wasserstein.expected(post, post, prior, sigma).squared(), 1e-12);
		final GaussianPrior.Sampler xs = prior.sampler(9);
		final SplittableRandom r = new SplittableRandom(10);
		final int n = 4000;
		double sum = 0, sq = 0;
		for (int t = 0; t < n; t++) {
			final double[] v = op.apply(xs.next());
			for (int i = 0; i < v.length; i++) v[i] += sigma * r.nextGaussian();
			final double w = Wasserstein.between(law, post, v).squared();
			sum += w;
			sq += w * w;
		}
		final double mean = sum / n, se = Math.sqrt((sq / n - mean * mean) / n);
		assertEquals(closed, mean, 4.5 * se, "closed form vs MC (4.5 standard errors)");
	}

	@Test
	void aDivergedLawIsInfinitelyFarNotNaN() {
		// A diverging sampler overflows its recurrence; where ρ = 0 that gives 0·∞ = NaN unless handled.
		final HalfPlane plane = new HalfPlane(4, 4);
		final double[] lam = new double[plane.size];
		java.util.Arrays.fill(lam, 1);
		final GaussianPrior prior = new GaussianPrior(0.5, new org.spectralposterior.core.fourier.Spectrum(plane, lam));
		final double[] h = new double[2 * plane.size];
		for (int k = 0; k < plane.size; k++) h[2 * k] = k == 3 ? 0 : 1;
		final BlurOperator op = BlurOperator.ofTransfer(plane, h);
		final OutputLaw post = ExactPosterior.of(prior, op, 0.1);
		final double[] p = post.p().clone(), q = post.q().clone(), s2 = post.s2().clone();
		p[3] = Double.POSITIVE_INFINITY;
		s2[3] = Double.POSITIVE_INFINITY;
		q[0] = Double.NaN;
		final Wasserstein.Expected e = Wasserstein.expected(new OutputLaw(op, p, q, s2), post, prior, 0.1);
		assertEquals(Double.POSITIVE_INFINITY, e.squared());
		assertEquals(0, Wasserstein.expected(post, post, prior, 0.1).squared(), 1e-12);
	}
}
