package org.spectralposterior.imagej;

import java.awt.Color;

import ij.gui.Plot;
import ij.gui.PlotWindow;
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
		curve(plot, x, y, i, i, label);
	}

	/** A curve in colour {@code colour} with marker {@code marker} (variants of one method share its colour). */
	static void curve(final Plot plot, final double[] x, final double[] y, final int colour, final int marker, final String label) {
		plot.setColor(color(colour));
		plot.addPoints(x, y, Plot.LINE);
		plot.addPoints(Tools.toFloat(x), Tools.toFloat(y), null, MARKERS[marker % MARKERS.length], label);
	}

	/** A line without markers (for curves of many points), labelled for the legend. */
	static void line(final Plot plot, final double[] x, final double[] y, final int i, final String label) {
		line(plot, x, y, i, label, false);
	}

	/** As {@link #line}, or as dots: for values that are not a function of x (a scatter). */
	static void line(final Plot plot, final double[] x, final double[] y, final int i, final String label, final boolean dots) {
		plot.setColor(color(i));
		plot.addPoints(Tools.toFloat(x), Tools.toFloat(y), null, dots ? Plot.DOT : Plot.LINE, label);
	}

	/**
	 * Limits from x0..x1 and the finite values of the curves (positive ones on a log axis), with an
	 * empty band above them for a legend of {@code entries} lines at the top right. ImageJ's own
	 * autoscale would follow the first curve only and let the legend cover the others.
	 */
	static void legendAbove(final Plot plot, final double x0, final double x1, final boolean log, final int entries, final double[]... curves) {
		final double[] r = range(log, curves);
		final double lo = r == null ? (log ? 0.1 : 0) : log ? r[0] / 1.3 : r[0], hi = r == null ? 1 : log ? Math.max(r[1] * 1.3, lo * 10) : r[1];
		final double[] y = withBands(lo, hi, log, 0.03, legendShare(entries) + 0.03);
		plot.setLimits(x0, x1, y[0], y[1]);
		plot.setLegend(null, Plot.TOP_RIGHT);
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

	/**
	 * True when the values are all positive and span more than two decades: then a log axis shows
	 * the small ones (a zero or negative value cannot sit on a log axis, so it keeps the axis linear).
	 */
	static boolean spansDecades(final double[]... values) {
		final double[] all = range(false, values);
		return all != null && all[0] > 0 && all[1] / all[0] > 100;
	}

	/**
	 * The share of the frame's height a legend of this many entries takes (ImageJ's legend keeps
	 * its font size whatever the range, so the room it needs is a share of the frame, not of the data),
	 * with a small gap so no marker touches its border.
	 */
	static double legendShare(final int entries) {
		return Math.min(0.6, 0.04 + (entries * 17 + 16) / (double) Math.max(200, PlotWindow.plotHeight));
	}

	/**
	 * Axis limits {bottom, top} that put [lo, hi] in the middle of the frame with empty bands of the
	 * given shares of the frame below and above it (for a legend or flagged markers), on a log or a
	 * linear axis. The bands are what keeps a legend off the data: ImageJ draws it inside the frame.
	 */
	static double[] withBands(final double lo, final double hi, final boolean log, final double below, final double above) {
		final double data = 1 - below - above;
		if (log) {
			final double decades = Math.log10(hi / lo) / data;
			return new double[] { lo / Math.pow(10, below * decades), hi * Math.pow(10, above * decades) };
		}
		final double span = Math.max(hi - lo, 1e-12 * Math.max(1, Math.abs(hi))) / data;
		return new double[] { lo - below * span, hi + above * span };
	}
}
