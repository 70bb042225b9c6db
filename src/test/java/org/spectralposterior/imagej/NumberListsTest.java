package org.spectralposterior.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lists inline or from a file: the same values either way. */
class NumberListsTest {

	@Test
	void aFileGivesTheSameListAsInlineText(@TempDir final Path dir) throws Exception {
		final Path csv = Files.writeString(dir.resolve("w.csv"), "weight\n1.5\n2 # a comment\n\n3e-1\n");
		assertEquals("1.5,2,3e-1", NumberLists.resolve("weight_list", csv.toString()));
		final Path oneLine = Files.writeString(dir.resolve("a.txt"), "0.9, 0.5;0.1\n");
		assertEquals("0.9,0.5,0.1", NumberLists.resolve("schedule_table", oneLine.toString()));
		// NaN is a value (refused later with its position), not a header.
		assertEquals("NaN,1", NumberLists.resolve("weight_list", Files.writeString(dir.resolve("n.txt"), "NaN\n1\n").toString()));
		assertEquals("0.9,0.8", NumberLists.resolve("schedule_table", "0.9,0.8"));
		assertEquals("nosuch.csv", NumberLists.resolve("weight_list", "nosuch.csv"), "not a file: left to the list parser, which names it");
		final Path empty = Files.writeString(dir.resolve("e.txt"), "weight\n# nothing\n");
		assertTrue(assertThrows(IllegalArgumentException.class, () -> NumberLists.resolve("weight_list", empty.toString())).getMessage().contains("holds no values"));
	}

	@Test
	void wholeNumberListsComeFromFilesToo(@TempDir final Path dir) throws Exception {
		// steps_list (Compare Samplers) and nfe_list (Continuous-Time Schemes) take files as the other lists do.
		final Path steps = Files.writeString(dir.resolve("steps.csv"), "steps\n10\n50\n1000\n");
		assertEquals(java.util.List.of(10, 50, 1000), java.util.Arrays.stream(AnalysisTask.ints(steps.toString(), "steps_list")).boxed().toList());
		assertEquals(java.util.List.of(4, 8), java.util.Arrays.stream(ContinuousTask.positiveInts(Files.writeString(dir.resolve("nfe.txt"), "4 8\n").toString())).boxed().toList());
		assertEquals(java.util.List.of(10, 20), java.util.Arrays.stream(AnalysisTask.ints("10,20", "steps_list")).boxed().toList());
		final Path bad = Files.writeString(dir.resolve("b.txt"), "10\n2.5\n");
		assertTrue(assertThrows(IllegalArgumentException.class, () -> AnalysisTask.ints(bad.toString(), "steps_list")).getMessage().contains("whole numbers"));
	}

	@Test
	void eigenvaluesComeFromA32BitImageAsFromACsv(@TempDir final Path dir) throws Exception {
		// The eigenvalues= input of Continuous-Time Schemes and Design Noise Schedule: a 32-bit TIFF of λ
		// (any shape, read pixel by pixel) gives the same list as the CSV of those values.
		final float[] lam = { 4f, 2.5f, 1f, 0.25f, 0.0625f, 3e-3f };
		final ij.ImagePlus imp = new ij.ImagePlus("lambda", new ij.process.FloatProcessor(3, 2, lam.clone()));
		final Path tif = dir.resolve("lambda.tif");
		assertTrue(new ij.io.FileSaver(imp).saveAsTiff(tif.toString()));
		final StringBuilder csv = new StringBuilder("lambda\n");
		for (final float v : lam) csv.append(v).append('\n');
		final Path text = Files.writeString(dir.resolve("lambda.csv"), csv.toString());
		final double[] fromImage = ContinuousTask.readEigenvalues(tif.toString()).values(), fromCsv = ContinuousTask.readEigenvalues(text.toString()).values();
		assertEquals(lam.length, fromImage.length);
		for (int i = 0; i < lam.length; i++) {
			assertEquals(lam[i], fromImage[i], 0, "pixel " + i + ", exactly the float");
			// The CSV holds the decimal text of the float: the same value to float precision.
			assertEquals(fromCsv[i], fromImage[i], 1e-7 * fromCsv[i], "eigenvalue " + i);
		}
		// An 8-bit image is not a list of eigenvalues (more likely a prior or a photo): refused, naming the fix.
		final Path bytes = dir.resolve("eight.tif");
		assertTrue(new ij.io.FileSaver(new ij.ImagePlus("eight", new ij.process.ByteProcessor(3, 2))).saveAsTiff(bytes.toString()));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> ContinuousTask.readEigenvalues(bytes.toString())).getMessage().contains("give a 32-bit image of the eigenvalues"));
	}
}
