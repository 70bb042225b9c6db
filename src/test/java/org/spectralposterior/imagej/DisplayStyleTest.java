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

	@Test
	void aW2MapLargeEnoughGetsACalibrationBarOverlayLabelledWithItsRange() {
		final FloatProcessor fp = new FloatProcessor(160, 120);
		for (int i = 0; i < fp.getPixelCount(); i++) fp.setf(i, (i % 160) * 0.5f);
		final float[] before = ((float[]) fp.getPixels()).clone();
		final ImagePlus map = new ImagePlus("m_pigdm_w2map", fp);
		DisplayStyle.style(map);
		final ij.gui.Overlay o = map.getOverlay();
		assertTrue(o != null && o.size() > 0, "an overlay");
		boolean ramp = false;
		final java.util.List<String> texts = new java.util.ArrayList<>();
		for (final ij.gui.Roi r : o.toArray()) {
			assertEquals("calibration bar", r.getName());
			if (r instanceof ij.gui.ImageRoi) ramp = true;
			if (r instanceof ij.gui.TextRoi t) texts.add(t.getText().trim());
			assertTrue(r.getBounds().x >= 0 && r.getBounds().x + r.getBounds().width <= 160, "inside the image");
		}
		assertTrue(ramp, "a LUT ramp");
		// The labels are the display range's top, middle and bottom (the caption first).
		assertEquals("W2", texts.get(0));
		assertEquals(DisplayStyle.label(map.getDisplayRangeMax()), texts.get(1));
		assertEquals(DisplayStyle.label(map.getDisplayRangeMin()), texts.get(3));
		assertTrue(java.util.Arrays.equals(before, (float[]) map.getProcessor().getPixels()), "no pixel changes");
		// A small map gets none: the bar would hide it.
		final ImagePlus small = new ImagePlus("m_pigdm_w2map", new FloatProcessor(40, 40, new float[1600]));
		small.getProcessor().setf(3, 1);
		DisplayStyle.style(small);
		assertTrue(small.getOverlay() == null, "no bar on a 40×40 map");
	}
}
