package org.spectralposterior.imagej;

import java.util.Arrays;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ImageProcessor;
import ij.process.LUT;

/**
 * How outputs look on the screen; none of this changes a pixel. W2 maps and W2 spectra get a heat
 * LUT ("Fire") and a display range from the finite values' 0.5th to 99.5th percentile (a handful
 * of large values at the border or at DC would otherwise make the whole map black), with a
 * calibration bar as an overlay; small images (a 17×17 PSF) open zoomed so that they can be seen.
 */
public final class DisplayStyle {

	private DisplayStyle() {}

	static boolean isPrior(final ImagePlus imp) {
		return PriorImage.KIND.equals(Metadata.kind(imp));
	}

	static boolean isErrorMap(final ImagePlus imp) {
		final String t = imp.getTitle();
		return t.endsWith("_w2map") || t.endsWith("_w2spectrum") || t.matches(".*_w2map-\\d+") || t.matches(".*_w2spectrum-\\d+");
	}

	/** LUT and robust range of a W2 map or spectrum (single-channel images; composites keep their channel LUTs). */
	public static void style(final ImagePlus imp) {
		if (isPrior(imp) && !imp.isComposite() && imp.getType() == ImagePlus.GRAY32) {
			// A prior's log spectrum spans ~30 decades because of a few near-zero frequencies: min–max showed
			// a uniform grey square; the 1st–99th percentiles show its shape.
			final double[] range = percentileRange(imp, 0.01, 0.99);
			if (range != null) imp.setDisplayRange(range[0], range[1]);
			return;
		}
		if (!isErrorMap(imp) || imp.isComposite() || imp.getType() != ImagePlus.GRAY32) return;
		final double[] range = percentileRange(imp, 0.005, 0.995);
		if (range == null) return;
		final java.awt.image.IndexColorModel fire = ij.plugin.LutLoader.getLut("fire");
		if (fire != null) imp.setLut(new LUT(fire, range[0], range[1]));
		imp.setDisplayRange(range[0], range[1]);
		if (fire != null) calibrationBar(imp, fire, range[0], range[1], imp.getTitle().contains("_w2spectrum") ? "log10 W2²" : "W2");
	}

	/** Below this size (pixels, the smaller side) a bar would hide the map it explains. */
	static final int BAR_MIN_SIZE = 96;

	/**
	 * A calibration bar as an overlay at the top right: the LUT as a ramp from the range's top to its
	 * bottom, labelled with the top, middle and bottom values and a caption. ImageJ's own Analyze ›
	 * Tools › Calibration Bar reads its settings only when run through IJ.run, which inside a command
	 * drops the recorder's options of the running command; an overlay is drawn by the same Overlay API,
	 * changes no pixel, and is kept when the image is saved as TIFF.
	 */
	static void calibrationBar(final ImagePlus imp, final java.awt.image.IndexColorModel lut, final double lo, final double hi, final String caption) {
		final int w = imp.getWidth(), h = imp.getHeight();
		if (Math.min(w, h) < BAR_MIN_SIZE) return;
		final int barW = Math.max(8, w / 40), barH = Math.max(48, h / 2), margin = Math.max(4, w / 80);
		final int fontSize = Math.max(9, Math.min(18, h / 28));
		final java.awt.Font font = new java.awt.Font("SansSerif", java.awt.Font.PLAIN, fontSize);
		final String[] labels = { label(hi), label((lo + hi) / 2), label(lo) };
		final java.awt.FontMetrics fm = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(font);
		int textW = fm.stringWidth(caption);
		for (final String l : labels) textW = Math.max(textW, fm.stringWidth(l));
		final int x0 = w - margin - barW, y0 = margin + fontSize + 4;
		final ij.process.ByteProcessor ramp = new ij.process.ByteProcessor(barW, barH);
		for (int y = 0; y < barH; y++) for (int x = 0; x < barW; x++) ramp.set(x, y, (int) Math.round(255.0 * (barH - 1 - y) / Math.max(1, barH - 1)));
		ramp.setColorModel(lut);
		final ij.gui.Overlay overlay = imp.getOverlay() != null ? imp.getOverlay() : new ij.gui.Overlay();
		// A dark box behind the bar and its labels keeps them legible over any part of the map.
		final ij.gui.Roi box = new ij.gui.Roi(x0 - textW - 8, margin - 2, textW + barW + 10, barH + fontSize + 10);
		box.setFillColor(new java.awt.Color(0, 0, 0, 150));
		box.setName("calibration bar");
		overlay.add(box);
		final ij.gui.ImageRoi bar = new ij.gui.ImageRoi(x0, y0, ramp.convertToRGB());
		bar.setName("calibration bar");
		overlay.add(bar);
		final ij.gui.TextRoi title = new ij.gui.TextRoi(x0 - textW - 4, margin - 2, caption, font);
		title.setStrokeColor(java.awt.Color.white);
		title.setName("calibration bar");
		overlay.add(title);
		for (int i = 0; i < 3; i++) {
			final int y = y0 + (int) Math.round(i * (barH - 1) / 2.0) - fontSize / 2 - 2;
			final ij.gui.TextRoi t = new ij.gui.TextRoi(x0 - fm.stringWidth(labels[i]) - 4, Math.max(0, y), labels[i], font);
			t.setStrokeColor(java.awt.Color.white);
			t.setName("calibration bar");
			overlay.add(t);
		}
		imp.setOverlay(overlay);
	}

	/** Three significant digits, as a bar's labels need (the table holds the exact figures). */
	static String label(final double v) {
		return String.format(java.util.Locale.ROOT, "%.3g", v);
	}

	/** [lo, hi] from the finite values of every plane, or null when there are none or they are all equal. */
	static double[] percentileRange(final ImagePlus imp, final double lo, final double hi) {
		final ij.ImageStack st = imp.getStack();
		int n = 0;
		for (int z = 1; z <= st.getSize(); z++) n += st.getProcessor(z).getPixelCount();
		final float[] all = new float[n];
		int m = 0;
		for (int z = 1; z <= st.getSize(); z++) {
			final ImageProcessor ip = st.getProcessor(z);
			for (int i = 0, k = ip.getPixelCount(); i < k; i++) {
				final float v = ip.getf(i);
				if (Float.isFinite(v)) all[m++] = v;
			}
		}
		if (m == 0) return null;
		final float[] v = Arrays.copyOf(all, m);
		Arrays.sort(v);
		final double a = v[(int) Math.floor(lo * (m - 1))], b = v[(int) Math.ceil(hi * (m - 1))];
		return b > a ? new double[] { a, b } : null;
	}

	/**
	 * After the image has a window: a zoom for a small image, through its canvas. Not through IJ.run:
	 * inside a command that starts a new recorded command and drops the options ImageJ's recorder has
	 * collected for ours (seen as a bare run("…") line). For the same reason the W2 maps' calibration
	 * bar is an overlay ({@link #calibrationBar}), not ImageJ's Calibration Bar command.
	 */
	public static void decorateShown(final ImagePlus imp) {
		if (imp.getWindow() == null) return;
		final int size = Math.max(imp.getWidth(), imp.getHeight());
		final ij.gui.ImageCanvas canvas = imp.getCanvas();
		if (size < 128 && canvas != null) {
			for (int k = 0; k < 6 && canvas.getMagnification() * size < 256; k++) canvas.zoomIn(imp.getWidth() / 2, imp.getHeight() / 2);
		}
	}

	/**
	 * Makes a shown image ImageJ's current one, after the events that showing and zooming the other
	 * outputs queued (a window activated late would otherwise take the current image back).
	 */
	public static void makeCurrent(final ImagePlus main) {
		for (int i = 0; i < 60 && main.getWindow() == null; i++) IJ.wait(50); // imagej-legacy may open it a moment later
		final ij.gui.ImageWindow w = main.getWindow();
		if (w == null) return;
		flushEvents();
		ij.WindowManager.setCurrentWindow(w);
		w.toFront();
		flushEvents();
		ij.WindowManager.setCurrentWindow(w);
	}

	private static void flushEvents() {
		if (java.awt.EventQueue.isDispatchThread()) return;
		try {
			java.awt.EventQueue.invokeAndWait(() -> {});
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		catch (final java.lang.reflect.InvocationTargetException e) {
			// nothing ran
		}
	}

	/**
	 * A stack whose slices are different quantities (gains near 1, stds in image units) shares one
	 * display range in ImageJ, which leaves most slices black or white. As a grayscale composite each
	 * slice is a channel with its own range (1st–99th percentile of its finite values); the pixels,
	 * their order and the slice labels are unchanged, and getSlice/setSlice still walk the slices.
	 */
	public static ImagePlus rangePerSlice(final ImagePlus imp) {
		final int n = imp.getStackSize();
		if (n < 2) {
			imp.resetDisplayRange();
			return imp;
		}
		imp.setDimensions(n, 1, 1);
		final ij.CompositeImage ci = new ij.CompositeImage(imp, IJ.GRAYSCALE);
		for (int c = 1; c <= n; c++) {
			final ImagePlus one = new ImagePlus("", imp.getStack().getProcessor(c));
			final double[] r = percentileRange(one, 0.01, 0.99);
			ci.setPositionWithoutUpdate(c, 1, 1);
			if (r != null) ci.setDisplayRange(r[0], r[1]);
			else ci.resetDisplayRange();
		}
		ci.setPositionWithoutUpdate(1, 1, 1);
		ci.setProperty("Info", imp.getProperty("Info"));
		return ci;
	}
}
