package org.spectralposterior.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that ImageJ opens although they are not whole: what {@link ImageFiles} catches and what it lets through. */
class ImageFilesTest {

	private static Path stack(final Path dir) {
		final ImagePlus imp = IJ.createImage("s", "16-bit ramp", 40, 30, 3);
		final Path f = dir.resolve("stack.tif");
		new FileSaver(imp).saveAsTiffStack(f.toString());
		return f;
	}

	@Test
	void aCompleteStackPassesAndOneMissingItsLastBytesIsRefused(@TempDir final Path dir) throws Exception {
		final Path f = stack(dir);
		final ImagePlus whole = ImageFiles.open("image", f.toString());
		assertEquals(3, whole.getStackSize());
		// ImageJ writes the pixels after the header and the stack's further IFDs after the pixels: cutting the
		// file just past the header leaves the first IFD (which records all three planes) readable.
		final ImagePlus opened = IJ.openImage(f.toString());
		final long offset = opened.getOriginalFileInfo().longOffset > 0 ? opened.getOriginalFileInfo().longOffset : opened.getOriginalFileInfo().offset;
		final byte[] bytes = Files.readAllBytes(f);
		Files.write(f, Arrays.copyOf(bytes, (int) offset + 2 * 40 * 30 * 2 + 10));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageFiles.open("image", f.toString()));
		assertTrue(e.getMessage().contains("is truncated") && e.getMessage().contains("40×30×3"), e.getMessage());
	}

	@Test
	void imagesWithoutAFilePass() {
		ImageFiles.check(IJ.createImage("m", "8-bit ramp", 8, 8, 1), "image=m");
	}

	@Test
	void foldersAndMissingFilesAreNamedAsSuch(@TempDir final Path dir) {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageFiles.open("image", dir.toString())).getMessage().contains("is a folder, not an image file"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageFiles.open("prior", dir.resolve("x.tif").toString())).getMessage().startsWith("prior=" + dir.resolve("x.tif") + ": no such image file"));
	}
}
