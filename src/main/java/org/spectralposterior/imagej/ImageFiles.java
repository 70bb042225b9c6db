package org.spectralposterior.imagej;

import java.io.File;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileInfo;

/**
 * Input files that are not what they seem. ImageJ reads an uncompressed TIFF as one run of bytes from
 * the first strip's offset ({@code ij.io.FileOpener} → {@code ImageReader.readPixels}, which for
 * uncompressed data ignores the strip table) and, at an early end of file, counts an EOF error and
 * leaves the rest of the pixel array zero: a TIFF cut to half its length opens as an image whose
 * lower half is black. What it read is recorded in the image's original {@link FileInfo}: the offset
 * ({@code longOffset} when above 2^31, else {@code offset}), {@code width × height} pixels of
 * {@code getBytesPerPixel()} bytes for each of {@code nImages} planes, {@code gapBetweenImages}
 * bytes between planes, and {@code compression}. Comparing the file's length with that is enough.
 */
public final class ImageFiles {

	private ImageFiles() {}

	/**
	 * Opens an image file given on the command line as {@code key=path}, refusing folders, missing or
	 * unreadable files and truncated TIFFs with a message in command-line terms.
	 */
	public static ImagePlus open(final String key, final String path) {
		final File f = new File(path);
		if (f.isDirectory()) throw new IllegalArgumentException(key + "=" + path + " is a folder, not an image file: give the path of an image file (TIFF, PNG, JPEG, …).");
		if (!f.isFile()) throw new IllegalArgumentException(key + "=" + path + ": no such image file; give the path of an existing image file.");
		final ImagePlus imp = IJ.openImage(f.getPath());
		// (ImageJ opens a text file as an image of its numbers: a text without a table is 0 pixels high.)
		if (imp == null || imp.getWidth() == 0 || imp.getHeight() == 0) throw new IllegalArgumentException(key + "=" + path + ": cannot read it as an image; give a TIFF, PNG, JPEG, … file.");
		check(imp, key + "=" + path);
		return imp;
	}

	/**
	 * Refuses an image opened from an uncompressed TIFF that is shorter than the pixels ImageJ read
	 * from it. Images without an original file (made in memory, or whose file has gone) pass.
	 *
	 * @param what the option that named the image, for the message ({@code key=value})
	 */
	public static void check(final ImagePlus imp, final String what) {
		final FileInfo fi = imp.getOriginalFileInfo();
		if (fi == null || fi.fileFormat != FileInfo.TIFF || fi.fileName == null || fi.directory == null) return;
		if (fi.compression != FileInfo.COMPRESSION_NONE && fi.compression != FileInfo.COMPRESSION_UNKNOWN) return;
		// 1-bit, 12-bit and 48-bit files are not whole bytes per pixel in getBytesPerPixel(): not checked.
		if (fi.fileType == FileInfo.BITMAP || fi.fileType == FileInfo.GRAY12_UNSIGNED || fi.fileType == FileInfo.RGB48) return;
		final int bytesPerPixel = fi.getBytesPerPixel();
		final File file = new File(fi.directory, fi.fileName);
		if (bytesPerPixel <= 0 || !file.isFile()) return;
		// (Fields, not FileInfo.getOffset(): that method is missing from older ImageJ 1.x, which the bridge supports.)
		final long offset = fi.longOffset > 0 ? fi.longOffset : fi.offset;
		final long planes = Math.max(1, fi.nImages);
		final long needed = offset + planes * fi.width * (long) fi.height * bytesPerPixel + (planes - 1) * (long) fi.gapBetweenImages;
		final long length = file.length();
		if (length < needed) {
			throw new IllegalArgumentException(what + ": the file " + file.getPath() + " is truncated (" + length + " bytes; its " + fi.width + "×" + fi.height
				+ (planes > 1 ? "×" + planes : "") + " pixels need " + needed + "), so its end was read as zeros; use a complete copy of the file.");
		}
	}
}
