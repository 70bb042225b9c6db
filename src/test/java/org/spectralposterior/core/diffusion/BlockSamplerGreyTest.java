package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.operator.AliasingGroups;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.posterior.BlockLaw;
import org.spectralposterior.core.posterior.DenseBlocks;
import org.spectralposterior.core.posterior.GroupLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * One channel: the dense-block engine, given the aliasing groups of a grey super-resolution problem as
 * blocks (n = r², m = 1, Λ = diag λ), must reproduce {@link SuperResolutionSampler}'s structured closed
 * form (diagonal plus rank one) — P, q, S entry by entry (the two layouts coincide for m = 1) and E_v W2².
 */
class BlockSamplerGreyTest {

	static DenseBlocks greyBlocks(final GaussianPrior prior, final AliasingGroups gr, final double sigma) {
		final int d = gr.d, count = gr.lr.size;
		final double[] lam = new double[2 * count * d * d], a = new double[2 * count * d], mean0 = new double[2 * d], mult = new double[count];
		final double[] l = prior.spectrum().values();
		for (int g = 0; g < count; g++) {
			mult[g] = gr.lr.multiplicity(g);
			for (int i = 0; i < d; i++) {
				lam[2 * (g * d * d + i * d + i)] = l[gr.member(g, i)];
				a[2 * (g * d + i)] = gr.aRe(g, i);
				a[2 * (g * d + i) + 1] = gr.aIm(g, i);
			}
		}
		mean0[0] = prior.meanDc();
		return new DenseBlocks(count, d, 1, lam, a, mean0, mult, sigma);
	}

	private static void agree(final int h, final int w, final int r, final double sigma) {
		final GaussianPrior prior = SuperResolutionSamplerTest.prior(h, w, 3 + r);
		final BlurOperator blur = SuperResolutionSamplerTest.psf(h, w);
		for (final Method m : Methods.ALL) {
			if (!m.linear()) continue;
			if (sigma == 0 && m == Methods.PIGDM) continue;
			final DiffusionSampler.Config cfg = new DiffusionSampler.Config(m, Schedule.linear(), 12, BaseStep.DDPM, 1, null, m.start() == Method.Start.POSTERIOR_MEAN ? 400 : 0);
			final SuperResolutionSampler ss = new SuperResolutionSampler(prior, blur, r, sigma, cfg);
			final GroupLaw expect = ss.closedForm().law();
			final BlockSampler bs = new BlockSampler(greyBlocks(prior, ss.groups(), sigma), cfg);
			final BlockLaw law = bs.closedForm().law();
			final String t = m.key + " " + h + "×" + w + " r=" + r + " σ=" + sigma;
			compare(expect.p(), law.p(), t + " P");
			compare(expect.q(), java.util.Arrays.copyOf(law.q(), expect.q().length), t + " q");
			compare(expect.s(), law.s(), t + " S");
			final double ex = expect.expected(ss.posterior(), prior, sigma).squared();
			// A singular covariance (σ = 0's posterior, DDNM's projected output) has rounding-size eigenvalues ε
			// that differ between the two engines' rounding, and each moves Bures by √ε: 1e-7 is the meaningful level.
			assertEquals(ex, law.expected(bs.posterior()).squared(), 1e-7 * (1 + ex), t + " E_v W2²");
		}
	}

	private static void compare(final double[] expected, final double[] actual, final String tag) {
		assertEquals(expected.length, actual.length, tag + " length");
		double scale = 1e-3;
		for (final double e : expected) scale = Math.max(scale, Math.abs(e));
		for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-9 * scale, tag + " entry " + i);
	}

	@Test
	void oneChannelIsTheGreySuperResolutionLaw() {
		agree(8, 6, 2, 0.1);
		agree(9, 6, 3, 0.2);
		agree(8, 6, 2, 0);
	}
}
