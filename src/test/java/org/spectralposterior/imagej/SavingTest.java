package org.spectralposterior.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.CompositeImage;
import ij.gui.Overlay;
import ij.gui.Plot;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import ij.plugin.filter.Analyzer;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.plugin.Parameter;
import org.spectralposterior.commands.SimulateDegradation;
import org.spectralposterior.commands.SpectralCommand;
import org.spectralposterior.core.Progress;

/** Outputs are saved whole or not at all, never over an input, and tables with every digit. */
class SavingTest {

	private static final double W2 = 0.0151712345678;

	/** Three outputs with the same names for every {@code fill}, different content. */
	private static TaskResult result(final float fill) {
		final ImageStack stack = new ImageStack(256, 256);
		for (int z = 0; z < 4; z++) {
			final FloatProcessor fp = new FloatProcessor(256, 256);
			for (int i = 0; i < 256 * 256; i++) fp.setf(i, fill + i % 97 + z);
			stack.addSlice("z" + z, fp);
		}
		final ImagePlus imp = new ImagePlus("out", stack);
		imp.setProperty("Info", "fill=" + fill + "\n");
		final ResultsTable t = new ResultsTable();
		t.incrementCounter();
		t.addValue("W2", W2 * fill);
		t.addValue("method", "exact");
		final ColorProcessor rgb = new ColorProcessor(64, 32);
		rgb.setColor((int) fill * 40);
		rgb.fill();
		return new TaskResult().addImage(imp).addTable("out_results", t).addFigure("out_overview", new ImagePlus("fig", rgb));
	}

	/** The files of a folder by name, with their bytes. */
	private static Map<String, byte[]> contents(final Path dir) throws IOException {
		final Map<String, byte[]> m = new TreeMap<>();
		try (var files = Files.list(dir)) {
			for (final Path f : files.toList()) m.put(f.getFileName().toString(), Files.readAllBytes(f));
		}
		return m;
	}

	private static Map<String, byte[]> savedAlone(final TaskResult r, final Path dir) throws IOException {
		Files.createDirectories(dir);
		r.save(dir.toFile());
		return contents(dir);
	}

	@Test
	void concurrentSavesIntoOneFolderEachLeaveOneCompleteSet(@TempDir final Path tmp) throws Exception {
		final TaskResult a = result(1), b = result(2);
		final Map<String, byte[]> setA = savedAlone(a, tmp.resolve("a")), setB = savedAlone(b, tmp.resolve("b"));
		assertEquals(3, setA.size());
		for (final String name : setA.keySet()) assertFalse(java.util.Arrays.equals(setA.get(name), setB.get(name)), name + " differs between the sets");
		for (int round = 0; round < 12; round++) {
			final Path dir = tmp.resolve("shared" + round);
			Files.createDirectories(dir);
			final CyclicBarrier start = new CyclicBarrier(2);
			final AtomicReference<Throwable> failure = new AtomicReference<>();
			final List<Thread> threads = new ArrayList<>();
			for (final TaskResult r : new TaskResult[] { a, b }) {
				final Thread t = new Thread(() -> {
					try {
						start.await();
						r.save(dir.toFile());
					}
					catch (final Throwable e) {
						failure.compareAndSet(null, e);
					}
				});
				threads.add(t);
				t.start();
			}
			for (final Thread t : threads) t.join(30000);
			if (failure.get() != null) throw new AssertionError("round " + round, failure.get());
			final Map<String, byte[]> now = contents(dir);
			assertEquals(setA.keySet(), now.keySet(), "round " + round + ": the three outputs and no temporary file");
			final Map<String, byte[]> winner = java.util.Arrays.equals(now.get("out.tif"), setA.get("out.tif")) ? setA : setB;
			// Each file is one whole file of one set; within one JVM, the whole folder is one set.
			for (final String name : now.keySet()) assertArrayEquals(winner.get(name), now.get(name), "round " + round + ": " + name);
		}
	}

	/** A sink that fails with the message of a full disk once file number {@code file} has had {@code after} bytes. */
	private static OutputSet.Sink failing(final int file, final long after) {
		final AtomicInteger opened = new AtomicInteger();
		return path -> {
			final OutputStream real = OutputSet.FILES.open(path);
			if (opened.getAndIncrement() != file) return real;
			return new FilterOutputStream(real) {
				long n;

				@Override
				public void write(final byte[] bytes, final int off, final int len) throws IOException {
					if (n + len > after) throw new IOException("No space left on device");
					n += len;
					out.write(bytes, off, len);
				}

				@Override
				public void write(final int x) throws IOException {
					write(new byte[] { (byte) x }, 0, 1);
				}
			};
		};
	}

	@Test
	void aFailedWriteNamesFileAndCauseAndLeavesTheFolderAsItWas(@TempDir final Path dir) throws Exception {
		Files.writeString(dir.resolve("out.tif"), "previous run");
		Files.writeString(dir.resolve("out_results.csv"), "previous,run");
		final Map<String, byte[]> before = contents(dir);
		final String[] names = { "out.tif", "out_results.csv", "out_overview.png" };
		for (int file = 0; file < names.length; file++) {
			for (final long after : new long[] { 0, 10 }) {
				final int f = file;
				final IOException e = assertThrows(IOException.class, () -> result(1).save(dir.toFile(), Map.of(), failing(f, after)));
				assertTrue(e.getMessage().contains(dir.resolve(names[f]).toString()) && e.getMessage().contains("No space left on device"), e.getMessage());
				final Map<String, byte[]> now = contents(dir);
				assertEquals(before.keySet(), now.keySet(), "no temporary file left, nothing new");
				for (final String name : before.keySet()) assertArrayEquals(before.get(name), now.get(name), name + " untouched");
			}
		}
	}

	@Test
	void aRenameFailingMidwaySaysWhichFilesWereReplaced(@TempDir final Path dir) throws Exception {
		Files.writeString(dir.resolve("out.tif"), "previous run");
		// A non-empty folder where the table should go: the rename over it fails, after out.tif's.
		Files.createDirectories(dir.resolve("out_results.csv").resolve("keep"));
		final IOException e = assertThrows(IOException.class, () -> result(1).save(dir.toFile()));
		assertTrue(e.getMessage().contains("Already replaced by this run: [" + dir.resolve("out.tif") + "]")
			&& e.getMessage().contains("not saved: [" + dir.resolve("out_results.csv") + ", " + dir.resolve("out_overview.png") + "]"), e.getMessage());
		try (var names = Files.list(dir)) {
			assertEquals(java.util.Set.of("out.tif", "out_results.csv"), names.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()), "no temporary file left");
		}
		assertFalse(Files.readString(dir.resolve("out.tif"), StandardCharsets.ISO_8859_1).equals("previous run"), "out.tif was replaced, as the message says");
	}

	@Test
	void aFullDiskFailsCleanly(@TempDir final Path tmp) throws Exception {
		final Path disk = tmp.resolve("small-disk");
		Files.createDirectories(disk);
		int code;
		try {
			code = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.toString()).redirectErrorStream(true).start().waitFor();
		}
		catch (final IOException e) {
			code = -1;
		}
		Assumptions.assumeTrue(code == 0, "cannot mount a 64 kB tmpfs here (needs root and mount rights in the container)");
		try {
			Files.writeString(disk.resolve("out_results.csv"), "previous,run");
			final IOException e = assertThrows(IOException.class, () -> result(1).save(disk.toFile()));
			// The 1 MB stack is the first file: it cannot fit in 64 kB.
			assertTrue(e.getMessage().contains(disk.resolve("out.tif").toString()) && e.getMessage().contains("No space left on device"), e.getMessage());
			final Map<String, byte[]> now = contents(disk);
			assertEquals(java.util.Set.of("out_results.csv"), now.keySet(), "no temporary or partial file left");
			assertEquals("previous,run", new String(now.get("out_results.csv"), StandardCharsets.UTF_8));
		}
		finally {
			new ProcessBuilder("umount", disk.toString()).start().waitFor();
		}
	}

	private static ImagePlus gravel() {
		final ImagePlus full = IJ.openImage(new File("sample-images/gravel.png").getAbsolutePath());
		full.setRoi(new Roi(100, 60, 64, 64));
		final ImagePlus crop = full.crop();
		crop.setTitle("gravel.png");
		return crop;
	}

	@Test
	void anOutputOverAnInputIsRefusedBeforeAnythingIsWritten(@TempDir final Path dir) throws Exception {
		final CommandService commands = new Context().service(CommandService.class);
		final CommandModule first = commands.run(SimulateDegradation.class, false, Map.of("image", gravel(), "operator", "gaussian", "output_folder", dir.toFile())).get();
		assertFalse(first.isCanceled(), first::getCancelReason);
		final Map<String, byte[]> before = contents(dir);
		assertTrue(before.containsKey("gravel_psf.tif") && before.containsKey("gravel_degraded.tif"), before.keySet().toString());

		// The PSF of the first run, opened from the output folder, as the PSF of a second run into the same folder.
		final ImagePlus psf = IJ.openImage(dir.resolve("gravel_psf.tif").toString());
		final Map<String, Object> in = new HashMap<>(Map.of("image", gravel(), "operator", "psf", "psf", psf, "seed", 99L, "output_folder", dir.toFile()));
		final CommandModule second = commands.run(SimulateDegradation.class, false, in).get();
		assertTrue(second.isCanceled(), "refused");
		assertTrue(second.getCancelReason().contains(dir.resolve("gravel_psf.tif").toString()) && second.getCancelReason().contains("psf="), second.getCancelReason());
		final Map<String, byte[]> now = contents(dir);
		assertEquals(before.keySet(), now.keySet());
		for (final String name : before.keySet()) assertArrayEquals(before.get(name), now.get(name), name + " untouched (the degraded image too: nothing was written)");

		// A File parameter is an input as well.
		final Counting c = new Counting();
		c.folder = dir.toFile();
		c.table_file = dir.resolve("counted.csv").toFile();
		Files.writeString(c.table_file.toPath(), "mine");
		c.run();
		assertTrue(c.isCanceled() && c.getCancelReason().contains("table_file="), c.getCancelReason());
		assertEquals("mine", Files.readString(c.table_file.toPath()));
	}

	/** A command whose compute only counts its calls and returns a table named "counted". */
	public static class Counting extends SpectralCommand {

		@Parameter(required = false)
		public File table_file;

		File folder;
		final AtomicInteger computed = new AtomicInteger();

		@Override
		protected TaskResult compute(final Progress progress) {
			computed.incrementAndGet();
			final ResultsTable t = new ResultsTable();
			t.incrementCounter();
			t.addValue("W2", W2);
			return new TaskResult().addTable("counted", t);
		}

		@Override
		protected void publish(final TaskResult r) {}

		@Override
		protected File outputFolder() {
			return folder;
		}
	}

	@Test
	void anUnusableOutputFolderIsRefusedBeforeTheComputation(@TempDir final Path dir) throws Exception {
		final Path file = dir.resolve("a-file");
		Files.writeString(file, "x");
		for (final Path folder : new Path[] { file, file.resolve("below-a-file") }) {
			final Counting c = new Counting();
			c.folder = folder.toFile();
			c.run();
			assertTrue(c.isCanceled() && c.getCancelReason().contains(folder.toString()), c.getCancelReason());
			assertEquals(0, c.computed.get(), "refused before compute");
		}
		final Counting ok = new Counting();
		ok.folder = dir.resolve("new/sub").toFile();
		ok.run();
		assertFalse(ok.isCanceled(), ok::getCancelReason);
		assertEquals(List.of(dir.resolve("new/sub/counted.csv").toFile()), ok.written());
		assertEquals(List.of("counted.csv"), new ArrayList<>(contents(dir.resolve("new/sub")).keySet()), "the probe file is gone");
	}

	@Test
	void csvCellsKeepEveryDigit(@TempDir final Path dir) throws Exception {
		final ResultsTable t = new ResultsTable();
		t.incrementCounter();
		t.addValue("W2^2", W2);
		t.addValue("samples", 16);
		t.addValue("tiny", 1.25e-12);
		t.addValue("undefined", Double.NaN);
		t.addValue("operator", "gaussian σ=2, noise 5");
		t.addValue("note", "say \"hi\"");
		new TaskResult().addTable("t", t).save(dir.toFile());
		final List<String> lines = Files.readAllLines(dir.resolve("t.csv"), StandardCharsets.UTF_8);
		assertEquals(List.of("W2^2,samples,tiny,undefined,operator,note", "0.0151712345678,16,1.25E-12,NaN,\"gaussian σ=2, noise 5\",\"say \"\"hi\"\"\""), lines);
		assertEquals(W2, Double.parseDouble(lines.get(1).split(",")[0]));
		for (final double v : new double[] { W2, 0.1 + 0.2, Math.PI * 1e20, -1e-300, 3, -0.0, Double.MIN_VALUE, 123456789012345.6 }) {
			assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(Double.parseDouble(Formats.number(v))), Formats.number(v));
		}
	}

	@Test
	void theSystemResultsTableOfABatchModeRunKeepsTheDoublesAndShowsNineDecimals() {
		Interpreter.batchMode = true;
		try {
			final Counting c = new Counting();
			c.run();
			assertFalse(c.isCanceled(), c::getCancelReason);
			final ResultsTable results = Analyzer.getResultsTable();
			assertEquals(W2, results.getValue("W2", 0), 0.0, "getResult reads the full double");
			assertEquals("0.015171235", results.getStringValue("W2", 0), "what the Results window shows and saves");
		}
		finally {
			Interpreter.batchMode = false;
		}
	}

	private static byte[] mine(final ImagePlus imp, final boolean png) throws IOException {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		if (png) Formats.png(imp, out);
		else Formats.tiff(imp, out);
		return out.toByteArray();
	}

	private static byte[] imageJs(final ImagePlus imp, final boolean png, final Path dir) throws IOException {
		final Path f = dir.resolve(png ? "ij.png" : "ij.tif");
		assertTrue(png ? new FileSaver(imp).saveAsPng(f.toString()) : new FileSaver(imp).saveAsTiff(f.toString()));
		return Files.readAllBytes(f);
	}

	@Test
	void tiffAndPngAreTheBytesImageJWrites(@TempDir final Path dir) throws Exception {
		final ImagePlus single = result(1).images().get(0).crop();
		single.setProperty("Info", "spectral_posterior=prior\n");
		single.setProp("kind", "test");
		single.getCalibration().pixelWidth = 0.25;
		single.getCalibration().setUnit("µm");
		single.setRoi(new Roi(3, 4, 20, 10));
		final Overlay overlay = new Overlay(new Roi(1, 1, 5, 5));
		single.setOverlay(overlay);
		final ImagePlus stack = result(2).images().get(0);
		final ImageStack hs = new ImageStack(32, 32);
		for (int i = 0; i < 4; i++) hs.addSlice("c" + i, new FloatProcessor(32, 32, new float[32 * 32]));
		final ImagePlus hyper = new ImagePlus("hyper", hs);
		hyper.setDimensions(2, 2, 1);
		final CompositeImage composite = new CompositeImage(hyper, IJ.COMPOSITE);
		composite.setChannelLut(ij.process.LUT.createLutFromColor(java.awt.Color.MAGENTA), 2);
		final Plot plot = new Plot("plot", "x", "y");
		plot.addPoints(new double[] { 1, 2, 3 }, new double[] { 2, 1, 3 }, Plot.LINE);
		for (final ImagePlus imp : new ImagePlus[] { single, stack, composite, plot.getImagePlus() }) {
			final byte[] ours = mine(imp, false);
			assertArrayEquals(imageJs(imp, false, dir), ours, imp.getTitle());
		}
		final ImagePlus rgb = result(3).images().get(0);
		final ImagePlus figure = new ImagePlus("fig", rgb.getProcessor().convertToRGB());
		final byte[] ours = mine(figure, true);
		assertArrayEquals(imageJs(figure, true, dir), ours, "PNG");
	}
}
