package org.spectralposterior.imagej;

import java.awt.Color;

import ij.gui.Plot;
import ij.util.Tools;

/** Shared plot helpers: readable colours and markers, limits from finite values only. */
final class Plots {

	/** Mutually distinct colours (blue, orange, green, …): grey and black look alike. */
	static final Color[] COLORS = { new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b),
		new Color(0xe377c2), new Color(0x17becf) };
	/** One marker per curve, so curves stay distinct in grey print too. X is kept for diverged points. */
	static final int[] MARKERS = { Plot.CIRCLE, Plot.BOX, Plot.TRIANGLE, Plot.DIAMOND, Plot.CROSS, Plot.DOT, Plot.CIRCLE, Plot.BOX };

	private Plots() {}

	static Color color(final int i) {
		return COLORS[i % COLORS.length];
	}

	/** A curve: a line and labelled markers in one colour (CONNECTED_CIRCLES would draw the line black). */
	static void curve(final Plot plot, final double[] x, final double[] y, final int i, final String label) {
		plot.setColor(color(i));
		plot.addPoints(x, y, Plot.LINE);
		plot.addPoints(Tools.toFloat(x), Tools.toFloat(y), null, MARKERS[i % MARKERS.length], label);
	}

	/** {min, max} of the finite values (positive only when {@code positive}), or null if there are none. */
	static double[] range(final boolean positive, final double[]... values) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final double[] v : values) {
			for (final double x : v) {
				if (!Double.isFinite(x) || positive && x <= 0) continue;
				lo = Math.min(lo, x);
				hi = Math.max(hi, x);
			}
		}
		return lo <= hi ? new double[] { lo, hi } : null;
	}
}
