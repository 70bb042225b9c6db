package org.spectralposterior.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;

/** The results log (a row per run) and the key/value summary shown at the screen. */
class ResultViewsTest {

	private static ResultsTable run(final String method, final double w2, final boolean withPsnr) {
		final ResultsTable t = new ResultsTable();
		t.incrementCounter();
		t.addValue("method", method);
		t.addValue("W2", w2);
		t.addValue("E_v W2^2", Double.NaN);
		if (withPsnr) t.addValue("PSNR mean (dB)", 23.25);
		return t;
	}

	@Test
	void theLogGainsARowPerRunAndTheColumnsOfLaterRuns() {
		ResultsTable log = ResultViews.append(null, "a_exact_results", run("exact posterior", 0, false));
		log = ResultViews.append(log, "a_pigdm_results", run("pigdm", 12.5, true));
		assertEquals(2, log.size());
		assertEquals("a_exact_results", log.getStringValue("run", 0));
		assertEquals("pigdm", log.getStringValue("method", 1));
		assertEquals(12.5, log.getValue("W2", 1));
		assertEquals(0.0, log.getValue("W2", 0));
		assertTrue(Double.isNaN(log.getValue("E_v W2^2", 1)), "a numeric NaN stays a number");
		assertEquals(23.25, log.getValue("PSNR mean (dB)", 1));
		assertTrue(log.columnExists("PSNR mean (dB)"));
	}

	@Test
	void theSummaryReadsAsQuantityValueUnitMeaning() {
		final ResultsTable s = ResultViews.summary(run("pigdm", 12.3456789, true));
		assertEquals(4, s.size());
		assertEquals("W2", s.getStringValue("quantity", 0), "the figures come first");
		assertEquals("12.3457", s.getStringValue("value", 0));
		assertEquals("intensity", s.getStringValue("unit", 0));
		assertTrue(s.getStringValue("meaning", 0).contains("true posterior"));
		assertEquals("dB", s.getStringValue("unit", 2));
		assertEquals("method", s.getStringValue("quantity", 3), "then the settings");
		assertEquals("pigdm", s.getStringValue("value", 3));
		assertEquals("setting", s.getStringValue("meaning", 3));
		final ResultsTable two = run("a", 1, false);
		two.incrementCounter();
		two.addValue("W2", 2);
		assertNull(ResultViews.summary(two), "a comparison is shown as it is");
	}
}
