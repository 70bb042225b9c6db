package org.spectralposterior.imagej;

import java.awt.Color;
import java.awt.Font;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/** The PNG overview: measurement, two samples, mean, std and W2 map side by side, labelled. */
final class Overview {

	private static final int LABEL = 18;

	private Overview() {}

	static ImagePlus montage(final ImagePlus measurement, final ImagePlus samples, final ImagePlus mean, final ImagePlus std, final ImagePlus w2, final double w2Total) {
		final int w = measurement.getWidth(), h = measurement.getHeight();
		final int n = Math.min(2, samples.getStackSize());
		final ImageProcessor[] tiles = new ImageProcessor[3 + n + 1];
		final String[] labels = new String[tiles.length];
		int t = 0;
		// Measurement, samples and mean share one display range so they can be compared.
		final double lo = measurement.getProcessor().getMin(), hi = measurement.getProcessor().getMax();
		tiles[t] = measurement.getProcessor().duplicate().convertToFloat();
		// Missing pixels (NaN, inpainting) show as black.
		final float[] mpx = (float[]) tiles[t].getPixels();
		for (int i = 0; i < mpx.length; i++) if (Float.isNaN(mpx[i])) mpx[i] = (float) lo;
		tiles[t].setMinAndMax(lo, hi);
		labels[t++] = "measurement";
		for (int s = 1; s <= n; s++) {
			tiles[t] = samples.getStack().getProcessor(s).duplicate();
			tiles[t].setMinAndMax(lo, hi);
			labels[t++] = "sample " + s;
		}
		tiles[t] = mean.getProcessor().duplicate();
		tiles[t].setMinAndMax(lo, hi);
		labels[t++] = "mean";
		tiles[t] = std.getProcessor().duplicate();
		// Zero is black and twice the largest std white, so a uniform std map reads as mid-grey.
		tiles[t].resetMinAndMax();
		final double stdMax = tiles[t].getMax();
		tiles[t].setMinAndMax(0, Math.max(2 * stdMax, 1e-12));
		labels[t++] = String.format(java.util.Locale.ROOT, "std (max %.3g)", stdMax);
		if (w2 != null) {
			tiles[t] = w2.getProcessor().duplicate();
			tiles[t].resetMinAndMax();
			if (tiles[t].getMax() <= tiles[t].getMin()) tiles[t].setMinAndMax(0, 1);
			labels[t++] = String.format(java.util.Locale.ROOT, "W2 map (W2 = %.3g)", w2Total);
		}
		final ImageProcessor[] rgb = new ImageProcessor[t];
		for (int i = 0; i < t; i++) rgb[i] = tiles[i].convertToByte(true).convertToRGB();
		return compose(Planes.baseTitle(samples).replace("_samples", "") + "_overview", java.util.Arrays.asList(rgb), java.util.Arrays.asList(labels).subList(0, t), w, h);
	}

	/**
	 * The colour overview: measurement, two samples, mean, std and W2 map, each composite flattened as
	 * ImageJ displays it (the measurement's LUTs and display ranges carry over to samples and mean).
	 */
	static ImagePlus montageColour(final ImagePlus measurement, final ImagePlus samples, final ImagePlus mean, final ImagePlus std, final ImagePlus w2, final double w2Total) {
		final int w = measurement.getWidth(), h = measurement.getHeight();
		final java.util.List<ImageProcessor> tiles = new java.util.ArrayList<>();
		final java.util.List<String> labels = new java.util.ArrayList<>();
		tiles.add(flat(measurement, 1));
		labels.add("measurement");
		for (int s = 1; s <= Math.min(2, samples.getNFrames()); s++) {
			tiles.add(flat(samples, s));
			labels.add("sample " + s);
		}
		tiles.add(flat(mean, 1));
		labels.add("mean");
		tiles.add(flat(std, 1));
		labels.add("std");
		// No W2 map for the exact posterior of colour inpainting (its W2 is 0 and it has no map).
		if (w2 != null) {
			tiles.add(flat(w2, 1));
			labels.add(String.format(java.util.Locale.ROOT, "W2 map (W2 = %.3g)", w2Total));
		}
		return compose(Planes.baseTitle(samples).replace("_samples", "") + "_overview", tiles, labels, w, h);
	}

	/** RGB tiles side by side under their labels. */
	private static ImagePlus compose(final String title, final java.util.List<ImageProcessor> tiles, final java.util.List<String> labels, final int w, final int h) {
		final ColorProcessor out = new ColorProcessor(tiles.size() * w, h + LABEL);
		out.setColor(Color.WHITE);
		out.fill();
		for (int i = 0; i < tiles.size(); i++) out.insert(tiles.get(i), i * w, LABEL);
		try {
			out.setColor(Color.BLACK);
			out.setAntialiasedText(true);
			for (int i = 0; i < tiles.size(); i++) {
				// A smaller font where a label is wider than its tile ("W2 map (W2 = 422)" was cut on 128-px tiles).
				for (int size = 13; size >= 8; size--) {
					out.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
					if (out.getStringWidth(labels.get(i)) <= w - 6) break;
				}
				out.drawString(labels.get(i), i * w + 4, LABEL - 3);
			}
		}
		catch (final RuntimeException | Error e) {
			// Headless machines without fonts cannot draw text; the tiles alone still inform.
		}
		return new ImagePlus(title, out);
	}

	/** Frame {@code frame} of a composite as the RGB image ImageJ shows (all channels, their LUTs). */
	private static ImageProcessor flat(final ImagePlus imp, final int frame) {
		final ImagePlus one = new ij.plugin.Duplicator().run(imp, 1, imp.getNChannels(), 1, 1, frame, frame);
		if (one instanceof ij.CompositeImage c && imp instanceof ij.CompositeImage src) {
			c.setMode(ij.IJ.COMPOSITE);
			for (int ch = 1; ch <= c.getNChannels(); ch++) {
				final ij.process.LUT lut = (ij.process.LUT) src.getChannelLut(ch).clone();
				c.setChannelLut(lut, ch);
			}
		}
		return one.flatten().getProcessor();
	}
}
