package org.spectralposterior.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.process.FloatProcessor;
import org.junit.jupiter.api.Test;

class DisplayStyleTest {

	@Test
	void aW2MapGetsAHeatLutAndARangeThatIgnoresAFewHugeValues() {
		final FloatProcessor fp = new FloatProcessor(40, 50);
		for (int i = 0; i < 2000; i++) fp.setf(i, i % 100);
		fp.setf(7, 1e9f); // one border pixel a billion times larger
		fp.setf(8, Float.NaN);
		final ImagePlus map = new ImagePlus("m_pigdm_w2map", fp);
		DisplayStyle.style(map);
		assertTrue(map.getDisplayRangeMax() <= 99, "range max " + map.getDisplayRangeMax());
		assertEquals(0, map.getDisplayRangeMin());
		final java.awt.image.IndexColorModel cm = (java.awt.image.IndexColorModel) map.getProcessor().getColorModel();
		assertTrue(cm.getRed(255) > 200 && cm.getBlue(128) < cm.getRed(128), "a heat LUT, not grey");
		assertEquals(1e9f, map.getProcessor().getf(7), "no pixel changes");
		final ImagePlus mean = new ImagePlus("m_pigdm_mean", fp.duplicate());
		mean.resetDisplayRange();
		final double before = mean.getDisplayRangeMax();
		DisplayStyle.style(mean);
		assertEquals(before, mean.getDisplayRangeMax(), "other outputs keep their display");
	}
}
