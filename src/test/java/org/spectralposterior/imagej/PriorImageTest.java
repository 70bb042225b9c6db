package org.spectralposterior.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import ij.ImagePlus;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.posterior.ExactPosteriorDenseTest;
import org.spectralposterior.core.prior.GaussianPrior;

/** A prior image is validated on every pixel and every Info number it relies on. */
class PriorImageTest {

	private static ImagePlus prior(final int h, final int w) {
		final GaussianPrior p = ExactPosteriorDenseTest.randomPrior(h, w, 1);
		return PriorImage.create("p", p, null, Map.of("data_min", "0", "data_max", "255"));
	}

	private static String refusal(final ImagePlus imp) {
		return assertThrows(IllegalArgumentException.class, () -> PriorImage.readAll(imp)).getMessage();
	}

	@Test
	void aValidPriorReadsBackOnOddAndEvenGrids() {
		for (final int[] s : new int[][] { { 12, 10 }, { 9, 7 }, { 8, 11 } }) {
			final GaussianPrior original = ExactPosteriorDenseTest.randomPrior(s[0], s[1], 1);
			final GaussianPrior back = PriorImage.read(PriorImage.create("p", original, null, Map.of()));
			for (int k = 0; k < original.plane().size; k++) {
				assertEquals(original.spectrum().values()[k], back.spectrum().values()[k], 1e-5 * original.spectrum().values()[k]);
			}
		}
	}

	@Test
	void nonFiniteValuesAnywhereAreRefused() {
		// Column 0 of a shifted 12×10 grid is in the half plane the reader does not store: it used to be ignored.
		for (final float bad : new float[] { Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 400f }) {
			final ImagePlus imp = prior(12, 10);
			imp.getProcessor().setf(0, 3, bad);
			imp.getProcessor().setf(0, 12 - 3, bad); // keep it symmetric: the value itself must be refused
			assertTrue(refusal(imp).contains("finite log10"), "value " + bad);
		}
	}

	@Test
	void anAllZeroSpectrumIsRefused() {
		final ImagePlus imp = prior(8, 8);
		final float[] px = (float[]) imp.getProcessor().getPixels();
		java.util.Arrays.fill(px, Float.NaN);
		assertTrue(refusal(imp).contains("λ = 0 at every frequency"));
	}

	@Test
	void anAsymmetricSpectrumIsRefusedOnOddAndEvenGrids() {
		for (final int[] s : new int[][] { { 12, 10 }, { 9, 7 } }) {
			final ImagePlus imp = prior(s[0], s[1]);
			// (1, 2) in shifted coordinates: off the centre row/column, its mirror is elsewhere.
			imp.getProcessor().setf(1, 2, imp.getProcessor().getf(1, 2) + 0.5f);
			assertTrue(refusal(imp).contains("not symmetric"), s[0] + "×" + s[1]);
		}
	}

	@Test
	void infoNumbersAreParsedStrictly() {
		final ImagePlus imp = prior(8, 8);
		final Map<String, String> m = Metadata.read(imp);
		m.put("mean", "abc");
		Metadata.write(imp, m);
		final String msg = refusal(imp);
		assertTrue(msg.contains("mean=abc") && msg.contains("not a finite number"), msg);

		final ImagePlus cropped = prior(8, 8);
		final Map<String, String> c = Metadata.read(cropped);
		c.put("width", "16");
		Metadata.write(cropped, c);
		assertTrue(refusal(cropped).contains("resized or cropped"));

		final ImagePlus range = prior(8, 8);
		final Map<String, String> r = Metadata.read(range);
		r.put("data_max", "lots");
		Metadata.write(range, r);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> PriorImage.dataRange(range, 1)).getMessage().contains("data_max=lots"));
	}

	@Test
	void aPriorIsNotAcceptedWhereAnImageIsExpected() {
		final ImagePlus imp = prior(16, 16);
		for (final String role : new String[] { "input", "clean", "ground truth", "measurement", "mask", "PSF" }) {
			final String msg = assertThrows(IllegalArgumentException.class, () -> Planes.checkReadable(imp, role)).getMessage();
			assertTrue(msg.contains("is a prior"), msg);
		}
	}
}
