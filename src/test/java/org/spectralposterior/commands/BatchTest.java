package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;

/**
 * Batch over a folder: outputs per image, a manifest appended as images finish, resume after a kill,
 * a bad image reported and skipped, and seeds by name — an image's outputs are byte-identical whatever
 * else is in the batch and however the batch is split into parts.
 */
class BatchTest {

	private static void images(final Path dir, final String... names) {
		int i = 0;
		for (final String n : names) {
			final ImagePlus full = IJ.openImage(new File("sample-images/" + (i % 2 == 0 ? "gravel.png" : "brick.png")).getAbsolutePath());
			full.setRoi(new Roi(20 + 30 * i, 40, 40, 40));
			new FileSaver(full.crop()).saveAsTiff(dir.resolve(n).toString());
			i++;
		}
	}

	private static CommandModule batch(final Path in, final Path out, final Object... extra) throws Exception {
		final Object[] kv = new Object[6 + extra.length];
		kv[0] = "input";
		kv[1] = in.toFile();
		kv[2] = "output_folder";
		kv[3] = out.toFile();
		kv[4] = "samples";
		kv[5] = 2;
		System.arraycopy(extra, 0, kv, 6, extra.length);
		final CommandModule m = CommandsTest.run(Batch.class, kv);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		return m;
	}

	private static ResultsTable table(final CommandModule m) {
		return ((SpectralCommand) m.getCommand()).result().tables().get("batch_manifest");
	}

	/** Every file under a folder → its bytes, by relative path (manifests left out: they list paths). */
	private static TreeMap<String, byte[]> files(final Path dir) throws Exception {
		final TreeMap<String, byte[]> m = new TreeMap<>();
		try (var s = Files.walk(dir)) {
			for (final Path p : s.filter(Files::isRegularFile).toList()) if (!p.getFileName().toString().startsWith("manifest")) m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
		}
		return m;
	}

	@Test
	void aFolderGivesOutputsPerImageAndAManifestAndABadImageIsSkipped(@TempDir final Path dir) throws Exception {
		final Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
		images(in, "a.tif", "b.tif", "c.tif");
		Files.writeString(in.resolve("broken.png"), "not an image");
		final ResultsTable t = table(batch(in, out));
		assertEquals(4, t.size());
		assertEquals("failed", t.getStringValue("status", 2), "broken.png sorts third");
		assertTrue(t.getStringValue("message", 2).contains("cannot read it as an image"), t.getStringValue("message", 2));
		for (final int row : new int[] { 0, 1, 3 }) assertEquals("ok", t.getStringValue("status", row));
		for (final String n : new String[] { "a", "b", "c" }) {
			assertTrue(Files.isRegularFile(out.resolve(n).resolve(n + "_prior.tif")), n + " prior");
			assertTrue(Files.isRegularFile(out.resolve(n).resolve(n + "_degraded_exact_samples.tif")), n + " samples");
			assertTrue(Files.isRegularFile(out.resolve(n).resolve(n + "_degraded_exact_results.csv")), n + " table");
		}
		final List<String> manifest = Files.readAllLines(out.resolve("manifest.csv"));
		assertEquals(5, manifest.size(), "header + one line per image");
		assertTrue(manifest.get(1).contains(",ok,") && manifest.get(3).contains(",failed,"), manifest.toString());
	}

	@Test
	void aKilledRunResumesWhereItStoppedWithTheSameOutputs(@TempDir final Path dir) throws Exception {
		final Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
		images(in, "a.tif", "b.tif", "c.tif");
		batch(in, out, "method", "pigdm", "steps", 10);
		final TreeMap<String, byte[]> complete = files(out);
		// As if killed while processing c: its line never written, its folder never made.
		final List<String> lines = Files.readAllLines(out.resolve("manifest.csv"));
		Files.write(out.resolve("manifest.csv"), lines.subList(0, 3));
		try (var s = Files.walk(out.resolve("c"))) {
			s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		final ResultsTable t = table(batch(in, out, "method", "pigdm", "steps", 10));
		assertTrue(t.getStringValue("status", 0).startsWith("skipped") && t.getStringValue("status", 1).startsWith("skipped"));
		assertEquals("ok", t.getStringValue("status", 2));
		assertEquals(4, Files.readAllLines(out.resolve("manifest.csv")).size());
		final TreeMap<String, byte[]> resumed = files(out);
		assertEquals(complete.keySet(), resumed.keySet());
		for (final String k : complete.keySet()) assertArrayEquals(complete.get(k), resumed.get(k), k);
	}

	@Test
	void seedsGoByNameSoPartsAndSubsetsGiveByteIdenticalOutputs(@TempDir final Path dir) throws Exception {
		final Path in = Files.createDirectories(dir.resolve("in")), only = Files.createDirectories(dir.resolve("only"));
		images(in, "a.tif", "b.tif", "c.tif");
		Files.copy(in.resolve("b.tif"), only.resolve("b.tif"));
		final Path whole = dir.resolve("whole"), parts = dir.resolve("parts"), single = dir.resolve("single");
		batch(in, whole);
		batch(in, parts, "part", "1/2");
		batch(in, parts, "part", "2/2");
		batch(only, single);
		final TreeMap<String, byte[]> w = files(whole), p = files(parts), s = files(single);
		assertEquals(w.keySet(), p.keySet());
		for (final String k : w.keySet()) assertArrayEquals(w.get(k), p.get(k), "parts: " + k);
		assertFalse(s.isEmpty());
		for (final String k : s.keySet()) assertArrayEquals(w.get(k), s.get(k), "b alone: " + k);
		assertTrue(Files.isRegularFile(parts.resolve("manifest_part1_of_2.csv")) && Files.isRegularFile(parts.resolve("manifest_part2_of_2.csv")));
		// Different seeds for different names, a different batch seed changes them all.
		assertFalse(org.spectralposterior.imagej.BatchTask.imageSeed(1, "a.tif") == org.spectralposterior.imagej.BatchTask.imageSeed(1, "b.tif"));
		assertFalse(org.spectralposterior.imagej.BatchTask.imageSeed(1, "a.tif") == org.spectralposterior.imagej.BatchTask.imageSeed(2, "a.tif"));
	}

	@Test
	void badBatchSettingsAreRefusedBeforeAnyImage(@TempDir final Path dir) throws Exception {
		final Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
		images(in, "a.tif");
		CommandsTest.expectFailure(CommandsTest.run(Batch.class, "input", in.toFile(), "output_folder", out.toFile(), "part", "3/2"), "part must be i/n");
		CommandsTest.expectFailure(CommandsTest.run(Batch.class, "input", in.toFile(), "output_folder", out.toFile(), "part", "half"), "must be i/n");
		CommandsTest.expectFailure(CommandsTest.run(Batch.class, "input", dir.resolve("nothing").toFile(), "output_folder", out.toFile()), "no such folder or list file");
		CommandsTest.expectFailure(CommandsTest.run(Batch.class, "input", Files.createDirectories(dir.resolve("empty")).toFile(), "output_folder", out.toFile()), "holds no image files");
		CommandsTest.expectFailure(CommandsTest.run(Batch.class, "input", in.toFile(), "output_folder", out.toFile(), "method", "pigdm", "steps", 5000), "exceeds the 1000 available timesteps");
		assertFalse(Files.exists(out.resolve("manifest.csv")), "nothing started");
	}

	@Test
	void anInterruptedBatchLeavesWholeImagesOnlyAndResumes(@TempDir final Path dir) throws Exception {
		final Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
		for (int i = 0; i < 6; i++) {
			final ij.process.FloatProcessor fp = new ij.process.FloatProcessor(384, 384);
			final java.util.SplittableRandom r = new java.util.SplittableRandom(i);
			for (int p = 0; p < 384 * 384; p++) fp.setf(p, (float) (100 + 20 * r.nextGaussian()));
			new FileSaver(new ImagePlus("i" + i, fp)).saveAsTiff(in.resolve("img" + i + ".tif").toString());
		}
		final Batch cmd = new Batch();
		new org.scijava.Context(org.scijava.app.StatusService.class).inject(cmd);
		cmd.input = in.toFile();
		cmd.output_folder = out.toFile();
		cmd.samples = 30;
		final Thread worker = new Thread(cmd);
		worker.start();
		final Path manifest = out.resolve("manifest.csv");
		for (int i = 0; i < 600 && (!Files.exists(manifest) || Files.readAllLines(manifest).size() < 2); i++) Thread.sleep(50);
		worker.interrupt();
		worker.join(10000);
		assertFalse(worker.isAlive(), "stopped");
		assertTrue(cmd.isCanceled() && cmd.getCancelReason().startsWith("Cancelled"), "cancelled: " + cmd.getCancelReason());
		final List<String> lines = Files.readAllLines(manifest);
		assertTrue(lines.size() >= 2 && lines.size() < 7, "some images finished, not all: " + lines.size());
		try (var files = Files.walk(out)) {
			assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".partial")), "no temporary file left");
		}
		// Every image folder is whole, none half-written; every image listed ok has its folder. (An
		// interrupt between the rename and the manifest line leaves a whole, unlisted folder: redone on resume.)
		try (var dirs = Files.list(out)) {
			for (final Path d : dirs.filter(Files::isDirectory).toList()) assertEquals(10, d.toFile().list().length, d + " holds a complete set");
		}
		for (final String l : lines.subList(1, lines.size())) {
			assertTrue(l.contains(",ok,"), "only finished images are listed: " + l);
			assertTrue(Files.isDirectory(out.resolve(l.split(",")[4])), "its folder exists: " + l);
		}
		final ResultsTable t = table(batch(in, out, "samples", 30));
		int skipped = 0;
		for (int row = 0; row < t.size(); row++) if (t.getStringValue("status", row).startsWith("skipped")) skipped++;
		assertEquals(lines.size() - 1, skipped, "the resumed run skips exactly the finished images");
		assertEquals(7, Files.readAllLines(manifest).size());
	}
}
