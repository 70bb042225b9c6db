package org.spectralposterior.imagej;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.operator.OperatorSpec;

/**
 * Batch: every image of a folder (or of a list file) through prior → optional simulated degradation
 * → posterior sampling, each image's outputs saved into {@code <output>/<image name>/} as one
 * all-or-nothing set, and one line per finished image appended to a manifest CSV (input, status,
 * seed, outputs, key figures, message) — flushed to disk at once, so a killed run resumes where it
 * stopped: images the manifest lists as {@code ok} are skipped, the others are (re)done. A bad image
 * is recorded as {@code failed} with its message, and the batch goes on.
 * <p>
 * Why seeds by name: each image's seed is derived from the batch seed and the image's file name
 * (the first 8 bytes of SHA-256 of {@code "<seed>/<name>"}), never from its position, so an image's
 * results do not depend on which other images are in the batch, on their order, or on how the list
 * is split into parts ({@code part = i/n}: the images whose sorted position is ≡ i−1 mod n) for a
 * cluster's job array — the parts' outputs are byte-identical to a single run's.
 */
public final class BatchTask {

	public static final String MANIFEST_HEADER = "input,status,seed,outputs,folder,W2,E_v W2^2,PSNR mean (dB),coverage ±2 std,message";
	private static final Set<String> EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg", "gif", "bmp");

	/** What to do with each image, parsed once. */
	public record Settings(ImagePlus sharedPrior, String estimator, boolean simulate, OperatorSpec operator, double noiseSigma, SamplingTask.Request sampling, long seed,
		int part, int parts) {}

	private BatchTask() {}

	/** The images of {@code input}: a folder's image files sorted by name, or the paths listed one a line in a text file. */
	public static List<File> inputs(final File input) {
		if (input == null) throw new IllegalArgumentException("Batch needs input=<a folder of images, or a text file listing image paths one a line>.");
		final List<File> files = new ArrayList<>();
		if (input.isDirectory()) {
			final File[] all = input.listFiles();
			if (all != null) {
				for (final File f : all) {
					final String n = f.getName(), ext = n.contains(".") ? n.substring(n.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
					if (f.isFile() && !n.startsWith(".") && EXTENSIONS.contains(ext)) files.add(f);
				}
			}
			files.sort((a, b) -> a.getName().compareTo(b.getName()));
			if (files.isEmpty()) throw new IllegalArgumentException("input=" + input + " holds no image files (" + String.join(", ", new java.util.TreeSet<>(EXTENSIONS)) + ").");
		}
		else if (input.isFile()) {
			try {
				for (final String line : Files.readAllLines(input.toPath(), StandardCharsets.UTF_8)) {
					final String t = line.trim();
					if (t.isEmpty() || t.startsWith("#")) continue;
					final File f = new File(t);
					files.add(f.isAbsolute() ? f : new File(input.getAbsoluteFile().getParentFile(), t));
				}
			}
			catch (final IOException | java.io.UncheckedIOException e) {
				throw new IllegalArgumentException("input=" + input + ": cannot read the list (" + e.getMessage() + ").");
			}
			if (files.isEmpty()) throw new IllegalArgumentException("input=" + input + " lists no image; write one image path a line.");
		}
		else throw new IllegalArgumentException("input=" + input + ": no such folder or list file.");
		final Set<String> names = new HashSet<>();
		for (final File f : files) {
			if (!names.add(f.getName())) throw new IllegalArgumentException("Two inputs are named " + f.getName() + ": outputs and seeds go by file name, so names must be unique; rename one.");
		}
		return files;
	}

	/** The seed of one image: from the batch seed and the image's file name only. */
	public static long imageSeed(final long batchSeed, final String fileName) {
		try {
			final byte[] d = MessageDigest.getInstance("SHA-256").digest((batchSeed + "/" + fileName).getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.wrap(d).getLong();
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
		}
	}

	/** @param written receives every file written (each image's outputs, then the manifest), for the command line to list */
	public static TaskResult run(final File input, final File output, final Settings s, final Progress progress, final List<File> written) {
		if (output == null || output.getPath().isEmpty()) throw new IllegalArgumentException("Batch needs output_folder=<folder>: each image's outputs and the manifest go there.");
		if (s.parts() < 1 || s.part() < 1 || s.part() > s.parts()) throw new IllegalArgumentException("part must be i/n with 1 ≤ i ≤ n (e.g. part=3/10 for the third of ten array tasks), got " + s.part() + "/" + s.parts() + ".");
		// Bad diffusion settings fail before the first image, not once per image.
		if (!s.sampling().settings().exact()) {
			final var cfg = s.sampling().settings().config();
			cfg.schedule().strided(cfg.steps(), cfg.schedule().T());
		}
		final List<File> all = inputs(input);
		TaskResult.checkFolder(output);
		final List<File> mine = new ArrayList<>();
		for (int i = 0; i < all.size(); i++) if (i % s.parts() == s.part() - 1) mine.add(all.get(i));
		final File manifest = new File(output, s.parts() == 1 ? "manifest.csv" : String.format(Locale.ROOT, "manifest_part%d_of_%d.csv", s.part(), s.parts()));
		final Set<String> done = finished(manifest);
		final ResultsTable table = new ResultsTable();
		int index = 0;
		try (BufferedWriter w = manifestWriter(manifest)) {
			for (final File f : mine) {
				progress.checkCancelled();
				final int at = index++;
				if (done.contains(f.getName())) {
					row(table, f, "skipped (done in an earlier run)", imageSeed(s.seed(), f.getName()), null, "");
					continue;
				}
				final Progress inner = scaled(progress, at, mine.size());
				final long seed = imageSeed(s.seed(), f.getName());
				String status = "ok", message = "";
				int outputs = 0;
				ResultsTable figures = null;
				final File folder = new File(output, Planes.baseName(f.getName()));
				try {
					final TaskResult r = one(f, s, seed, inner);
					final List<File> files = r.save(folder, Map.of("input", f));
					outputs = files.size();
					written.addAll(files);
					figures = r.tables().values().stream().reduce((a, b) -> b).orElse(null);
				}
				catch (final CancellationException e) {
					throw e;
				}
				catch (final java.nio.channels.ClosedByInterruptException e) {
					// Interrupted while saving: the set was not renamed into place; stop as a cancel.
					throw new CancellationException("Cancelled by the user");
				}
				catch (final IllegalArgumentException | IOException e) {
					// (A save stopped by an interrupt may arrive wrapped; the thread's flag tells.)
					if (Thread.currentThread().isInterrupted()) throw new CancellationException("Cancelled by the user");
					status = "failed";
					message = e.getMessage();
				}
				catch (final OutOfMemoryError e) {
					status = "failed";
					message = "out of memory: give Java more memory (-Xmx…) or process this image alone";
				}
				final String line = Formats.csvCell(f.getPath()) + "," + status + "," + seed + "," + outputs + "," + Formats.csvCell(folder.getName()) + "," + figure(figures, "W2") + "," + figure(figures, "E_v W2^2") + ","
					+ figure(figures, "PSNR mean (dB)") + "," + figure(figures, "coverage ±2 std") + "," + Formats.csvCell(message);
				w.write(line);
				w.newLine();
				w.flush();
				sync(manifest);
				row(table, f, status, seed, figures, message);
				progress.update((at + 1) * 1000L, mine.size() * 1000L);
			}
		}
		catch (final java.nio.channels.ClosedByInterruptException e) {
			// The last line may be lost: its image is done again on resume (its set is whole either way).
			throw new CancellationException("Cancelled by the user");
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("Cannot write the manifest " + manifest + ": " + e.getMessage() + "; check the output folder.");
		}
		written.add(manifest);
		return new TaskResult().addTable("batch_manifest", table);
	}

	/** One image: its prior (learnt, or the shared one), its measurement (simulated or the image), the sampler. */
	private static TaskResult one(final File f, final Settings s, final long seed, final Progress progress) {
		final ImagePlus image = ImageFiles.open("input", f.getPath());
		image.setTitle(f.getName());
		final TaskResult out = new TaskResult();
		final ImagePlus prior;
		if (s.sharedPrior() != null) prior = s.sharedPrior();
		else {
			final TaskResult p = PriorTask.run(image, s.estimator(), 0, 0, progress);
			out.addAll(p);
			prior = p.output(TaskResult.PRIOR);
		}
		final ImagePlus measurement, truth;
		final SamplingTask.Request req;
		if (s.simulate()) {
			final TaskResult d = DegradationTask.run(image, s.operator(), null, 1, s.noiseSigma(), seed, progress);
			out.addAll(d);
			measurement = d.output(TaskResult.DEGRADED);
			truth = image;
			req = withSeed(s.sampling(), seed, null, 0);
		}
		else {
			measurement = image;
			truth = null;
			req = withSeed(s.sampling(), seed, s.operator(), s.noiseSigma());
		}
		out.addAll(SamplingTask.run(prior, measurement, truth, req, progress));
		return out;
	}

	private static SamplingTask.Request withSeed(final SamplingTask.Request r, final long seed, final OperatorSpec op, final double sigma) {
		return new SamplingTask.Request(r.method(), r.samples(), seed, op, sigma, r.mode(), r.schedule(), r.trainSteps(), r.scheduleTable(), r.steps(), r.baseStep(), r.eta(), r.weights(),
			r.weightList(), r.tunedWeights(), r.t0(), r.dataRange(), r.trajectoryEvery());
	}

	/** Inputs the manifest already lists as ok. */
	private static Set<String> finished(final File manifest) {
		final Set<String> ok = new HashSet<>();
		if (!manifest.isFile()) return ok;
		try {
			for (final String line : Files.readAllLines(manifest.toPath(), StandardCharsets.UTF_8)) {
				final List<String> cells = cells(line);
				if (cells.size() >= 2 && cells.get(1).equals("ok")) ok.add(new File(cells.get(0)).getName());
			}
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("Cannot read the manifest " + manifest + " to resume: " + e.getMessage() + ".");
		}
		return ok;
	}

	private static BufferedWriter manifestWriter(final File manifest) throws IOException {
		final boolean fresh = !manifest.isFile() || manifest.length() == 0;
		final BufferedWriter w = Files.newBufferedWriter(manifest.toPath(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		if (fresh) {
			w.write(MANIFEST_HEADER);
			w.newLine();
			w.flush();
		}
		return w;
	}

	/** The line must survive a killed process or a power cut: that is what resuming relies on. */
	private static void sync(final File f) throws IOException {
		try (FileChannel c = FileChannel.open(f.toPath(), StandardOpenOption.WRITE)) {
			c.force(true);
		}
	}

	private static Progress scaled(final Progress outer, final int index, final int count) {
		return new Progress() {
			@Override
			public void update(final long done, final long total) {
				if (total > 0) outer.update(index * 1000L + Math.min(1000, done * 1000 / total), count * 1000L);
			}

			@Override
			public boolean cancelled() {
				return outer.cancelled();
			}
		};
	}

	private static void row(final ResultsTable t, final File f, final String status, final long seed, final ResultsTable figures, final String message) {
		t.incrementCounter();
		t.addValue("input", f.getName());
		t.addValue("status", status);
		t.addValue("seed", Long.toString(seed));
		// The figures manifest.csv has, so the table at the screen does not show less than the file.
		for (final String col : new String[] { "W2", "E_v W2^2", "PSNR mean (dB)", "coverage ±2 std" }) {
			final String v = figure(figures, col);
			if (!v.isEmpty()) t.addValue(col, Double.parseDouble(v));
		}
		t.addValue("message", message);
	}

	private static String figure(final ResultsTable t, final String col) {
		if (t == null || t.size() == 0 || !t.columnExists(col)) return "";
		return Double.toString(t.getValue(col, 0));
	}

	/** Splits one CSV line (quoted cells with doubled quotes). */
	static List<String> cells(final String line) {
		final List<String> out = new ArrayList<>();
		final StringBuilder cur = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < line.length(); i++) {
			final char c = line.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
					cur.append('"');
					i++;
				}
				else if (c == '"') quoted = false;
				else cur.append(c);
			}
			else if (c == '"') quoted = true;
			else if (c == ',') {
				out.add(cur.toString());
				cur.setLength(0);
			}
			else cur.append(c);
		}
		out.add(cur.toString());
		return out;
	}
}
