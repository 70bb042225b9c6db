package org.spectralposterior.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.diffusion.FrequencyBands;

/** Reading a tuned-weights table: band columns in band order, and hand-edited layouts refused rather than misread. */
class TunedWeightsTest {

	private static ResultsTable table(final String... bandHeadings) {
		final ResultsTable t = new ResultsTable();
		for (int j = 0; j < 3; j++) {
			t.incrementCounter();
			t.addValue("t", 1000 - 400 * j);
			t.addValue("alpha_bar", 0.1 + 0.3 * j);
			t.addValue("method", "pigdm");
			// Columns deliberately out of band order: the reader goes by the heading, not the position.
			for (int c = bandHeadings.length - 1; c >= 0; c--) t.addValue(bandHeadings[c], 10 * j + c);
		}
		return t;
	}

	@Test
	void bandColumnsAreReadByTheirHeadingsInBandOrder() {
		final FrequencyBands.By f = FrequencyBands.By.FREQUENCY;
		final TunedWeights w = TunedWeights.of(table(FrequencyBands.heading(f, 0, 2), FrequencyBands.heading(f, 1, 2)), "t");
		assertEquals(2, w.bands().bands());
		assertEquals(21, w.bands().weights()[2][1], 0);
		assertEquals(20, w.bands().weights()[2][0], 0);
	}

	@Test
	void twoBandLayoutsInOneTableAreRefused() {
		final FrequencyBands.By f = FrequencyBands.By.FREQUENCY, e = FrequencyBands.By.EIGENVALUE;
		final IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
			() -> TunedWeights.of(table(FrequencyBands.heading(f, 0, 2), FrequencyBands.heading(f, 1, 2), FrequencyBands.heading(e, 0, 2)), "t"));
		assertTrue(mixed.getMessage().contains("mixes band columns"), mixed.getMessage());
		final IllegalArgumentException counts = assertThrows(IllegalArgumentException.class,
			() -> TunedWeights.of(table(FrequencyBands.heading(f, 0, 2), FrequencyBands.heading(f, 1, 3)), "t"));
		assertTrue(counts.getMessage().contains("mixes band columns"), counts.getMessage());
	}

	@Test
	void anEtaColumnIsReadWithOneWeightPerStepAndRefusedOtherwise() {
		final ResultsTable t = table("tuned");
		for (int j = 0; j < 3; j++) t.setValue("eta", j, 0.25 * j);
		final TunedWeights w = TunedWeights.of(t, "t");
		assertEquals(0.5, w.etas()[2], 0);
		assertTrue(w.describe().contains("η per step"), w.describe());
		t.setValue("eta", 1, 1.5);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> TunedWeights.of(t, "t")).getMessage().contains("outside [0, 1]"));
		final FrequencyBands.By f = FrequencyBands.By.FREQUENCY;
		final ResultsTable banded = table(FrequencyBands.heading(f, 0, 2), FrequencyBands.heading(f, 1, 2));
		for (int j = 0; j < 3; j++) banded.setValue("eta", j, 0.5);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> TunedWeights.of(banded, "t")).getMessage().contains("η per step comes with one weight per step"));
	}
}
