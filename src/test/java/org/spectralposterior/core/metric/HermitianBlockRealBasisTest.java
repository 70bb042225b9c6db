package org.spectralposterior.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The real-basis Bures of {@link HermitianBlock#buresInRealBasis}: for blocks S = diag(conj c) S̃ diag(c)
 * with S̃ real symmetric and |c_i| = 1 it equals the complex Bures of {@link HermitianBlock#bures} (two
 * 2d×2d embedded eigenproblems), including a singular T; a block with an imaginary part that no phase
 * removes gives NaN (the caller's cue to use the complex path), never a wrong value.
 */
class HermitianBlockRealBasisTest {

	private static double[] rotated(final double[] real, final double[] cr, final double[] ci, final int d) {
		final double[] out = new double[2 * d * d];
		for (int i = 0; i < d; i++) {
			for (int l = 0; l < d; l++) {
				// conj(c_i) c_l
				final double ur = cr[i] * cr[l] + ci[i] * ci[l], ui = cr[i] * ci[l] - ci[i] * cr[l];
				out[2 * (i * d + l)] = ur * real[i * d + l];
				out[2 * (i * d + l) + 1] = ui * real[i * d + l];
			}
		}
		return out;
	}

	/** B Bᵀ for a random d×rank B: PSD, singular when rank < d. */
	private static double[] psd(final SplittableRandom rng, final int d, final int rank) {
		final double[] b = new double[d * rank], out = new double[d * d];
		for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
		for (int i = 0; i < d; i++) for (int l = 0; l < d; l++) for (int k = 0; k < rank; k++) out[i * d + l] += b[i * rank + k] * b[l * rank + k];
		return out;
	}

	@Test
	void realBasisBuresIsTheComplexBures() {
		final SplittableRandom rng = new SplittableRandom(41);
		for (final int d : new int[] { 4, 9 }) {
			final HermitianBlock hb = new HermitianBlock(d);
			for (int trial = 0; trial < 20; trial++) {
				final double[] cr = new double[d], ci = new double[d];
				for (int i = 0; i < d; i++) {
					final double th = 2 * Math.PI * rng.nextDouble();
					cr[i] = Math.cos(th);
					ci[i] = Math.sin(th);
				}
				final double[] s = rotated(psd(rng, d, d), cr, ci, d), t = rotated(psd(rng, d, trial % 3 == 0 ? d - 2 : d), cr, ci, d);
				final boolean singular = trial % 3 == 0;
				final double complex = hb.bures(s, 0, t, 0), real = hb.buresInRealBasis(s, 0, t, 0, cr, ci);
				// A zero eigenvalue of T comes out as ±ε·‖T‖ and its root as √ε·‖T‖^{1/2}: the two paths then
				// agree to ~1e-8, not to rounding.
				assertEquals(complex, real, (singular ? 1e-6 : 1e-10) * (1 + complex), "d = " + d + ", trial " + trial);
				assertTrue(complex > 1e-3, "the blocks differ");
			}
		}
	}

	@Test
	void aGenuinelyComplexBlockIsLeftToTheComplexPath() {
		final int d = 4;
		final SplittableRandom rng = new SplittableRandom(3);
		final double[] cr = { 1, 0, -1, 0.6 }, ci = { 0, 1, 0, 0.8 };
		final double[] s = rotated(psd(rng, d, d), cr, ci, d), t = rotated(psd(rng, d, d), cr, ci, d);
		// A Hermitian imaginary part in entry (0, 2) that the phases do not account for (c_0 conj(c_2) = −1
		// keeps it imaginary; in entry (0, 1), c_0 conj(c_1) = −i would turn it real).
		s[2 * 2 + 1] += 0.3;
		s[2 * 2 * d + 1] -= 0.3;
		final HermitianBlock hb = new HermitianBlock(d);
		assertTrue(Double.isNaN(hb.buresInRealBasis(s, 0, t, 0, cr, ci)));
		// Wrong phases also read as complex.
		final double[] s2 = rotated(psd(rng, d, d), cr, ci, d);
		assertTrue(Double.isNaN(hb.buresInRealBasis(s2, 0, t, 0, new double[] { 1, 1, 1, 1 }, new double[4])));
	}
}
