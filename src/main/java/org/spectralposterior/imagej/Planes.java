package org.spectralposterior.imagej;

import java.awt.Rectangle;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;
import net.imglib2.Cursor;
import net.imglib2.FinalInterval;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * The image-access layer between ImageJ and the core: ImageJ planes are wrapped as ImgLib2 images
 * without copying, cropped with views, and read into the core's row-major {@code double[]}.
 */
public final class Planes {

	private Planes() {}

	/** Rejects images the core cannot read, with the fix in the message (RGB: convert with {@link #channels} first). */
	public static void checkReadable(final ImagePlus imp, final String role) {
		if (imp == null) throw new IllegalArgumentException("No " + role + " image: give one (an open image's title in a macro, a file path on the command line).");
		if (imp.getType() == ImagePlus.COLOR_256) {
			throw new IllegalArgumentException("The " + role + " image '" + imp.getTitle() + "' is indexed colour; convert it to RGB or grey first (in ImageJ: Image › Type › RGB Color).");
		}
		if (imp.getType() == ImagePlus.COLOR_RGB) {
			throw new IllegalArgumentException("The " + role + " image '" + imp.getTitle() + "' is RGB, which this step cannot read; split its channels (Image › Color › Split Channels) "
				+ "or make it a composite (Image › Color › Make Composite).");
		}
		// A prior's pixels are log10 of a power spectrum: used as an image it gives numbers without meaning.
		if (PriorImage.KIND.equals(Metadata.kind(imp))) {
			throw new IllegalArgumentException("The " + role + " image '" + imp.getTitle() + "' is a prior (the log power spectrum made by Build Gaussian Prior), not an image; choose an image for " + role + ".");
		}
	}

	/**
	 * An RGB image as the 3-channel 32-bit composite it stands for (red, green, blue channels with their
	 * LUTs, 0–255 display, same title, calibration, Info and ROI), without touching the original; any
	 * other image is returned as is. The plugin's commands read colour through this one door.
	 */
	public static ImagePlus channels(final ImagePlus imp) {
		if (imp == null || imp.getType() != ImagePlus.COLOR_RGB) return imp;
		final int w = imp.getWidth(), h = imp.getHeight(), n = imp.getStackSize();
		final ImageStack out = new ImageStack(w, h);
		for (int i = 1; i <= n; i++) {
			final ij.process.ColorProcessor cp = (ij.process.ColorProcessor) imp.getStack().getProcessor(i);
			final byte[] r = new byte[w * h], g = new byte[w * h], b = new byte[w * h];
			cp.getRGB(r, g, b);
			final String label = imp.getStack().getSliceLabel(i);
			final byte[][] rgb = { r, g, b };
			final String[] names = { "red", "green", "blue" };
			for (int c = 0; c < 3; c++) {
				final float[] f = new float[w * h];
				for (int p = 0; p < f.length; p++) f[p] = rgb[c][p] & 0xff;
				out.addSlice((label == null || label.isEmpty() ? "" : label + " ") + names[c], new FloatProcessor(w, h, f));
			}
		}
		final ImagePlus plain = new ImagePlus(imp.getTitle(), out);
		plain.setDimensions(3, imp.getNSlices(), imp.getNFrames());
		plain.setOpenAsHyperStack(true);
		copyCalibration(imp, plain);
		final CompositeImage comp = new CompositeImage(plain, IJ.COMPOSITE);
		final java.awt.Color[] colours = { java.awt.Color.RED, java.awt.Color.GREEN, java.awt.Color.BLUE };
		for (int c = 0; c < 3; c++) {
			final LUT lut = LUT.createLutFromColor(colours[c]);
			lut.min = 0;
			lut.max = 255;
			comp.setChannelLut(lut, c + 1);
		}
		final Object info = imp.getProperty("Info");
		if (info != null) comp.setProperty("Info", info);
		if (imp.getRoi() != null) comp.setRoi((ij.gui.Roi) imp.getRoi().clone());
		return comp;
	}

	/**
	 * Red, green and blue LUTs on a 3-channel composite (colour textures, whose source is a prior and
	 * has no LUTs), each spanning the channel's recorded data range or, without one, its pixels.
	 */
	static void rgbLuts(final ImagePlus imp, final ImagePlus prior) {
		if (!(imp instanceof CompositeImage comp) || comp.getNChannels() != 3) return;
		final java.awt.Color[] colours = { java.awt.Color.RED, java.awt.Color.GREEN, java.awt.Color.BLUE };
		for (int c = 0; c < 3; c++) {
			final LUT lut = LUT.createLutFromColor(colours[c]);
			double lo, hi;
			try {
				final double[] r = PriorImage.dataRange(prior, c + 1);
				lo = r[0];
				hi = r[1];
			}
			catch (final IllegalArgumentException e) {
				comp.setPosition(c + 1, 1, 1);
				comp.resetDisplayRange();
				lo = comp.getDisplayRangeMin();
				hi = comp.getDisplayRangeMax();
			}
			lut.min = lo;
			lut.max = hi;
			comp.setChannelLut(lut, c + 1);
		}
		comp.setPosition(1, 1, 1);
	}

	/** Wraps one ImageJ plane as an ImgLib2 image over the same pixel array (no copy). */
	public static RandomAccessibleInterval<? extends RealType<?>> wrap(final ImageProcessor ip) {
		final int w = ip.getWidth(), h = ip.getHeight();
		final Object pixels = ip.getPixels();
		if (pixels instanceof byte[] b) return ArrayImgs.unsignedBytes(b, w, h);
		if (pixels instanceof short[] s) return ArrayImgs.unsignedShorts(s, w, h);
		if (pixels instanceof float[] f) return ArrayImgs.floats(f, w, h);
		throw new IllegalArgumentException("Unsupported pixel type " + pixels.getClass().getSimpleName() + ": use 8-, 16- or 32-bit greyscale images.");
	}

	/** Reads stack plane {@code index} (1-based) inside {@code roi} into a new row-major array. */
	public static double[] read(final ImagePlus imp, final int index, final Rectangle roi) {
		final ImageProcessor ip = imp.getStack().getProcessor(index);
		return read(wrap(ip), roi, imp.getTitle());
	}

	private static <T extends RealType<?>> double[] read(final RandomAccessibleInterval<T> img, final Rectangle r, final String title) {
		final RandomAccessibleInterval<T> view = Views.interval(img, new FinalInterval(new long[] { r.x, r.y }, new long[] { r.x + r.width - 1L, r.y + r.height - 1L }));
		final double[] out = new double[r.width * r.height];
		final Cursor<T> cursor = Views.flatIterable(view).cursor();
		int i = 0;
		while (cursor.hasNext()) {
			final double v = cursor.next().getRealDouble();
			if (!Double.isFinite(v)) {
				throw new IllegalArgumentException("The image '" + title + "' contains NaN or infinite pixels; replace them first (in ImageJ: Process › Math › Remove NaNs).");
			}
			out[i++] = v;
		}
		return out;
	}

	/** Stack plane {@code index} (1-based), whole, as stored: NaN (a missing pixel) is kept. */
	public static double[] readRaw(final ImagePlus imp, final int index) {
		final ImageProcessor ip = imp.getStack().getProcessor(index);
		final double[] out = new double[ip.getPixelCount()];
		for (int i = 0; i < out.length; i++) out[i] = ip.getf(i);
		return out;
	}

	/** Whole current plane of an image. */
	public static double[] readCurrent(final ImagePlus imp) {
		return read(imp, imp.getCurrentSlice(), new Rectangle(0, 0, imp.getWidth(), imp.getHeight()));
	}

	public static FloatProcessor toProcessor(final double[] pixels, final int width, final int height) {
		final float[] f = new float[pixels.length];
		for (int i = 0; i < f.length; i++) f[i] = (float) pixels[i];
		return new FloatProcessor(width, height, f);
	}

	/** A new 32-bit image carrying the calibration of {@code source} (pixel size, units). */
	public static ImagePlus newImage(final String title, final ImageProcessor ip, final ImagePlus source) {
		final ImagePlus imp = new ImagePlus(title, ip);
		copyCalibration(source, imp);
		imp.resetDisplayRange();
		return imp;
	}

	public static ImagePlus newStack(final String title, final ImageStack stack, final ImagePlus source) {
		final ImagePlus imp = new ImagePlus(title, stack);
		copyCalibration(source, imp);
		return imp;
	}

	/**
	 * A new C×Z×T hyperstack (ImageJ's c-fastest order) with {@code source}'s calibration and, for
	 * several channels, its composite mode and LUTs; with {@code sameUnits} the display range of each
	 * channel too (for outputs in the input's intensity units: samples, means).
	 */
	public static ImagePlus hyperstack(final String title, final ImageStack stack, final int nc, final int nz, final int nt, final ImagePlus source, final boolean sameUnits) {
		ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(nc, nz, nt);
		if (nc * nz * nt > 1 && (nz > 1 || nt > 1 || nc > 1)) imp.setOpenAsHyperStack(true);
		copyCalibration(source, imp);
		if (nc > 1) {
			final int mode = source instanceof CompositeImage ci ? ci.getMode() : IJ.COMPOSITE;
			final CompositeImage comp = new CompositeImage(imp, mode);
			if (source instanceof CompositeImage ci) {
				final LUT[] luts = ci.getLuts();
				for (int c = 0; c < nc && c < luts.length; c++) {
					final LUT lut = (LUT) luts[c].clone();
					if (!sameUnits) {
						comp.setPosition(c + 1, 1, 1);
						comp.resetDisplayRange();
						lut.min = comp.getDisplayRangeMin();
						lut.max = comp.getDisplayRangeMax();
					}
					comp.setChannelLut(lut, c + 1);
				}
			}
			imp = comp;
		}
		else if (sameUnits && source != null) imp.setDisplayRange(source.getDisplayRangeMin(), source.getDisplayRangeMax());
		else imp.resetDisplayRange();
		return imp;
	}

	public static void copyCalibration(final ImagePlus source, final ImagePlus target) {
		if (source == null) return;
		final Calibration c = source.getCalibration().copy();
		// Intensity calibration (a function of 8/16-bit values) does not apply to 32-bit outputs.
		c.disableDensityCalibration();
		target.setCalibration(c);
	}

	/** Title without a file extension, for output titles. */
	public static String baseTitle(final ImagePlus imp) {
		return baseName(imp.getTitle());
	}

	/** A title or file name without its extension (up to 4 letters), spaces as underscores: the stem of output names. */
	public static String baseName(final String name) {
		String t = name;
		final int dot = t.lastIndexOf('.');
		if (dot > 0 && t.length() - dot <= 5) t = t.substring(0, dot);
		return t.replace(' ', '_');
	}

	/** True when every pixel of every slice is finite (the float conversion of a huge double is ±∞). */
	public static boolean finite(final ImageStack stack) {
		for (int i = 1; i <= stack.getSize(); i++) {
			final Object px = stack.getPixels(i);
			if (px instanceof float[] f) for (final float v : f) if (!Float.isFinite(v)) return false;
		}
		return true;
	}
}
