package org.spectralposterior.core.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The exact posterior variance map and covariance factor on inpainting (Woodbury through the hole)
 * against dense kriging's Σ_post, on a 13×10 grid (odd × even, not a power of two) with an
 * off-centre rectangular hole plus scattered missing pixels, for σ > 0 and σ = 0.
 */
class InpaintingPosteriorStdTest {

	static final int H = 13, W = 10;

	/**
	 * InpaintingPosteriorTest's smooth prior made Hermitian on the self-conjugate columns (its cross
	 * term fr·fc differs between (fr, W/2) and (−fr, W/2)): G and R are functions of Σ only for a
	 * real symmetric Σ.
	 */
	static GaussianPrior prior(final double mean) {
		final GaussianPrior p = InpaintingPosteriorTest.prior(H, W, mean);
		final double[] lam = p.spectrum().values().clone();
		for (int i = 0; i < lam.length; i++) {
			final int c = i % p.plane().cols;
			if ((c == 0 || c == W / 2) && p.plane().freqRow(i) > 0) lam[p.plane().partnerInColumn(i)] = lam[i];
		}
		return new GaussianPrior(mean, new Spectrum(p.plane(), lam));
	}

	static boolean[] mask() {
		final boolean[] obs = InpaintingPosteriorTest.mask(H, W, 2, 1, 5, 3, 17);
		obs[H * W - 2] = false;
		return obs;
	}

	@Test
	void varianceIsTheDensePosteriorDiagonal() {
		final GaussianPrior prior = prior(0.4);
		final boolean[] obs = mask();
		final double[] v = new double[H * W];
		for (final double sigma : new double[] { 0.3, 0.02, 0 }) {
			final DMatrixRMaj ref = InpaintingPosteriorTest.dense(prior, obs, v, sigma)[1];
			final InpaintingPosterior ip = new InpaintingPosterior(prior, obs, sigma);
			final double[] var = ip.variance(null, false), byFft = ip.variance(null, true);
			double scale = 0;
			for (int i = 0; i < var.length; i++) scale = Math.max(scale, ref.get(i, i));
			// The FFT route (k circulant products) against the same dense diagonal.
			for (int i = 0; i < var.length; i++) assertEquals(ref.get(i, i), byFft[i], 1e-9 * scale, "σ=" + sigma + " pixel " + i + " by FFT");
			int holeVisited = 0;
			for (int i = 0; i < var.length; i++) {
				assertEquals(ref.get(i, i), var[i], 1e-9 * scale, "σ=" + sigma + " pixel " + i);
				if (!obs[i]) holeVisited++;
			}
			assertTrue(holeVisited > 15, "the hole is not trivial");
			if (sigma == 0) for (int i = 0; i < var.length; i++) if (obs[i]) assertEquals(0, var[i], 1e-12 * scale, "an exact observation has no variance");
			final DMatrixRMaj f = ip.denseFactor(H * W, null), fft = new DMatrixRMaj(H * W, H * W);
			CommonOps_DDRM.multTransB(f, f, fft);
			for (int i = 0; i < fft.data.length; i++) assertEquals(ref.data[i], fft.data[i], 1e-9 * scale, "σ=" + sigma + " factor entry " + i);
			assertEquals(sigma == 0 ? H * W - countObserved(obs) : H * W, f.numCols, "the factor's rank");
		}
	}

	/** A prior with a zero eigenvalue at σ = 0 has no precision: the kriging's jitter is used, still close to dense kriging with it. */
	@Test
	void aSingularPriorAtZeroNoiseUsesTheKrigingJitter() {
		final GaussianPrior base = prior(0);
		final double[] lam = base.spectrum().values().clone();
		lam[3] = 0;
		final GaussianPrior prior = new GaussianPrior(0, new Spectrum(base.plane(), lam));
		final boolean[] obs = mask();
		final InpaintingPosterior ip = new InpaintingPosterior(prior, obs, 0);
		final double[] var = ip.variance(null);
		final DMatrixRMaj ref = InpaintingPosteriorTest.dense(prior, obs, new double[H * W], Math.sqrt(1e-10 * prior.pixelVariance()))[1];
		for (int i = 0; i < var.length; i++) assertEquals(ref.get(i, i), var[i], 1e-6 * prior.pixelVariance(), "pixel " + i);
	}

	@Test
	void theWorkNotOnlyTheHoleSizeIsBudgeted() {
		// 3000 missing pixels of a 256² image: within MAX_HOLE, but ~6·10¹⁰ operations even by FFT.
		final int side = 256;
		final boolean[] obs = new boolean[side * side];
		java.util.Arrays.fill(obs, true);
		for (int i = 0; i < 3000; i++) obs[(i / 50 + 20) * side + i % 50 + 20] = false;
		final InpaintingPosterior ip = new InpaintingPosterior(InpaintingPosteriorTest.prior(side, side, 0), obs, 0.1);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ip.variance(null));
		assertTrue(e.getMessage().contains("3000-pixel hole") && e.getMessage().contains("Crop"), e.getMessage());
	}

	@Test
	void aHoleAboveTheBudgetIsRefusedWithTheFix() {
		final int side = 80;
		final boolean[] obs = new boolean[side * side];
		obs[0] = true;
		final InpaintingPosterior ip = new InpaintingPosterior(InpaintingPosteriorTest.prior(side, side, 0), obs, 0.1);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ip.variance(null));
		assertTrue(e.getMessage().contains("6399") && e.getMessage().contains("Crop"), e.getMessage());
	}

	private static int countObserved(final boolean[] obs) {
		int m = 0;
		for (final boolean b : obs) if (b) m++;
		return m;
	}
}
