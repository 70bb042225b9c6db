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
	void screenDecimalsGiveAboutFiveSignificantDigits() {
		assertEquals(0, ResultViews.decimals(true, 3));
		assertEquals(4, ResultViews.decimals(false, 3.21));
		assertEquals(0, ResultViews.decimals(false, 26876.3));
		assertEquals(6, ResultViews.decimals(false, 0.0123));
		assertEquals(-4, ResultViews.decimals(false, 9e-8), "scientific where fixed decimals would show zeros");
		final ResultsTable t = run("pigdm", 26876.312345678, true);
		ResultViews.readable(t);
		assertTrue(t.getRowAsString(0).contains("\t26876\t"), t.getRowAsString(0));
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
		// Several rows (a comparison): each figure's range, each shared setting once, "varies" otherwise.
		final ResultsTable three = run("a", 1, false);
		three.incrementCounter();
		three.addValue("method", "b");
		three.addValue("W2", 2.5);
		three.addValue("E_v W2^2", Double.NaN);
		three.incrementCounter();
		three.addValue("method", "c");
		three.addValue("W2", Double.POSITIVE_INFINITY);
		three.addValue("E_v W2^2", Double.NaN);
		final ResultsTable many = ResultViews.summary(three);
		assertEquals("W2", many.getStringValue("quantity", 0));
		assertEquals("1 … 2.5 over 3 rows (1 not finite)", many.getStringValue("value", 0));
		assertEquals("NaN", many.getStringValue("value", 1), "one value shared by every row is shown once");
		assertEquals("varies (3 values over 3 rows)", many.getStringValue("value", 2));
		assertEquals("setting", many.getStringValue("meaning", 2));
		assertNull(ResultViews.summary(new ResultsTable()));
	}
}
