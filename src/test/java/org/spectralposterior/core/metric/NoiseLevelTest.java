package org.spectralposterior.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.Degradation;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The noise-level estimate on textures drawn from a prior with strong pixel-scale detail (a slowly
 * decaying power spectrum, so the Haar detail holds much signal), blurred or not, at several σ, on a
 * 250×198 grid (not a power of two; odd block counts): within 6 % of the true σ, where the
 * uncorrected Donoho estimate overshoots on the unblurred texture. The prior's detail share is ~21 units²
 * unblurred, ~0.1 blurred.
 */
class NoiseLevelTest {

	static GaussianPrior texture(final int h, final int w) {
		final HalfPlane plane = new HalfPlane(h, w);
		final double[] lam = new double[plane.size];
		for (int i = 1; i < plane.size; i++) {
			final double kr = plane.freqRow(i), kc = plane.freqCol(i);
			lam[i] = 25 * plane.pixels / 2000.0 / (1 + (kr * kr + kc * kc) / 400);
		}
		return new GaussianPrior(100, new Spectrum(plane, lam));
	}

	@Test
	void estimatesSigmaOnTexturesWithAndWithoutBlur() {
		final int h = 198, w = 250;
		final GaussianPrior prior = texture(h, w);
		int seed = 1;
		for (final OperatorSpec spec : new OperatorSpec[] { OperatorSpec.none(), OperatorSpec.gaussian(2) }) {
			final BlurOperator op = BlurOperator.of(spec, h, w);
			// Without blur the detail holds ~21 units² of signal: σ = 1 would be a 5 % part of it, below what a
			// median over 12 000 blocks resolves (the class comment's limit), so it is tested with blur only.
			for (final double sigma : spec.kind() == OperatorSpec.Kind.NONE ? new double[] { 3, 5, 20 } : new double[] { 1, 5, 20 }) {
				final double[] v = Degradation.simulate(prior.sampler(seed++).next(), op, sigma, new SplittableRandom(seed++));
				final double detail = NoiseLevel.detailVariance(new double[][] { v }, w, h);
				final double signal = NoiseLevel.signalDetailVariance(prior, op.rho());
				final double est = NoiseLevel.sigma(detail, signal);
				assertEquals(sigma, est, 0.06 * sigma, spec.describe() + " σ=" + sigma + " (signal share " + signal + ")");
				if (spec.kind() == OperatorSpec.Kind.NONE && sigma <= 5) {
					final double donoho = Math.sqrt(detail);
					assertTrue(Math.abs(donoho - sigma) > 3 * Math.abs(est - sigma), "the prior's share matters on an unblurred texture: Donoho " + donoho + " vs " + est);
				}
			}
		}
	}

	@Test
	void skipsMissingPixelsAndRefusesTooFewBlocks() {
		final double[] v = new double[16 * 16];
		final SplittableRandom r = new SplittableRandom(3);
		for (int i = 0; i < v.length; i++) v[i] = 3 * r.nextGaussian();
		for (int i = 0; i < 100; i++) v[i] = Double.NaN;
		assertTrue(NoiseLevel.details(v, 16, 16).length < 64);
		assertEquals(3, Math.sqrt(NoiseLevel.detailVariance(new double[][] { v }, 16, 16)), 1.5);
		final double[] tiny = new double[4 * 4];
		final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> NoiseLevel.detailVariance(new double[][] { tiny }, 4, 4));
		assertTrue(e.getMessage().contains("give noise_sigma explicitly"));
	}
}
