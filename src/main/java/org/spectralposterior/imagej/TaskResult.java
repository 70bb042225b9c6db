package org.spectralposterior.imagej;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ij.ImagePlus;
import ij.measure.ResultsTable;

/**
 * What a command produced: output images (the first is the main one), results tables, and
 * optional PNG figures that are only written to disk. Titles are the documented output names. An
 * image that fills one of the command's output fields is added under its <em>role</em>, the field's
 * name ({@link #SAMPLES}, {@link #W2_MAP} …): the command publishes by role, never by position, so an
 * output a run does not make (the exact posterior's W2 map, a trajectory) cannot shift the others.
 * <p>
 * Saving ({@link #save(File, Map)}) is all or nothing per run, and safe with other runs writing
 * into the same folder:
 * <ul>
 * <li>Nothing is written if an output would replace one of the run's input files (the same file,
 * by {@link Files#isSameFile}): an IllegalArgumentException names both.</li>
 * <li>Every file is first written in full under a temporary name unique to the call
 * ({@code .partial-<random token>-<name>}), each write checked and forced to the disk. If any write
 * fails (a full disk, say), the IOException names the file and the OS's reason, every temporary
 * file of the call is removed and no existing file has been replaced.</li>
 * <li>Only then is each temporary file renamed over its final name, atomically per file where the
 * file system supports it: a reader sees the old file or the new one, never a truncated or mixed
 * one. Should a rename fail midway, the IOException lists the files already replaced and those
 * not saved.</li>
 * <li>Concurrent saves into one folder never share temporary files, and each final file is one
 * complete file of one of them: of two sets with the same names, the one renamed last wins, file by
 * file. Saves from one JVM rename their sets one after the other, so there the folder ends with one
 * whole set; across processes, files of two sets with the same names may end up side by side.</li>
 * </ul>
 */
public final class TaskResult {

	private final List<ImagePlus> images = new ArrayList<>();
	/** Images by role: the name of the command's output field they fill (see {@code SpectralCommand#publish}). */
	private final Map<String, ImagePlus> roles = new LinkedHashMap<>();
	private final Map<String, ResultsTable> tables = new LinkedHashMap<>();
	private final Map<String, ImagePlus> figures = new LinkedHashMap<>();
	private final List<String> notes = new ArrayList<>();

	/** Something the user should know about how the inputs were read (the commands print it to ImageJ's log). */
	public TaskResult addNote(final String note) {
		notes.add(note);
		return this;
	}

	public List<String> notes() {
		return java.util.Collections.unmodifiableList(notes);
	}

	/** Roles: the output field names of the commands. */
	public static final String SAMPLES = "samples_stack", MEAN = "mean", STD = "std", W2_MAP = "w2_map", W2_SPECTRUM = "w2_spectrum", TRAJECTORY_XT = "trajectory_xt",
		TRAJECTORY_X0 = "trajectory_x0", PRIOR = "prior", TEXTURES = "textures", DEGRADED = "degraded", PSF = "psf_image", MASK = "mask_image", PLOT = "plot",
		TRAJECTORY_PLOT = "trajectory_plot", ERROR_PLOT = "error_plot", TRANSFER = "transfer", IMPULSE_SCORE = "impulse_score", IMPULSE_STEP = "impulse_step",
		ENCLOSED_ENERGY = "enclosed_energy", SPECTRAL_RADIUS = "spectral_radius";

	/** An image no output field shows (saved and displayed all the same). */
	public TaskResult addImage(final ImagePlus imp) {
		images.add(imp);
		return this;
	}

	/** An image in its role (one image per role). */
	public TaskResult addImage(final String role, final ImagePlus imp) {
		if (roles.putIfAbsent(role, imp) != null) throw new IllegalStateException("Two images for the output " + role);
		images.add(imp);
		return this;
	}

	/** The image in {@code role}, or null when this run made none. */
	public ImagePlus output(final String role) {
		return roles.get(role);
	}

	public TaskResult addTable(final String title, final ResultsTable table) {
		tables.put(title, table);
		return this;
	}

	public TaskResult addFigure(final String title, final ImagePlus rgb) {
		figures.put(title, rgb);
		return this;
	}

	/**
	 * Why an output shows nothing worth a window, or null when it does: every pixel of every plane
	 * NaN, or one value everywhere (the exact posterior's std under a stationary prior, its zero W2
	 * map, its all-NaN W2 spectrum). Such outputs are still returned, saved and reachable by macros;
	 * only the display skips them, saying so.
	 */
	public static String uninformative(final ImagePlus imp) {
		double first = Double.NaN;
		boolean constant = true;
		final ij.ImageStack stack = imp.getStack();
		for (int z = 1; z <= stack.getSize() && constant; z++) {
			final ij.process.ImageProcessor ip = stack.getProcessor(z);
			for (int i = 0, n = ip.getPixelCount(); i < n; i++) {
				final double v = ip.getf(i);
				if (Double.isNaN(v)) continue;
				if (Double.isNaN(first)) first = v;
				else if (v != first) {
					constant = false;
					break;
				}
			}
		}
		if (!constant || imp.getType() == ImagePlus.COLOR_RGB) return null;
		if (Double.isNaN(first)) return "no value is defined (all NaN)";
		return first == 0 ? "it is 0 everywhere" : "it is " + (float) first + " everywhere";
	}

	public List<ImagePlus> images() {
		return Collections.unmodifiableList(images);
	}

	public Map<String, ResultsTable> tables() {
		return Collections.unmodifiableMap(tables);
	}

	/** Adds every image, table and figure of {@code other} (after this one's). */
	public TaskResult addAll(final TaskResult other) {
		images.addAll(other.images);
		for (final Map.Entry<String, ImagePlus> e : other.roles.entrySet()) if (roles.putIfAbsent(e.getKey(), e.getValue()) != null) throw new IllegalStateException("Two images for the output " + e.getKey());
		tables.putAll(other.tables);
		figures.putAll(other.figures);
		return this;
	}

	public ImagePlus image(final String title) {
		for (final ImagePlus imp : images) if (imp.getTitle().equals(title)) return imp;
		return null;
	}

	/** {@link #save(File, Map)} with no input files to protect. */
	public List<File> save(final File folder) throws IOException {
		return save(folder, Map.of());
	}

	/**
	 * Writes every image as {@code <title>.tif}, every table as {@code <title>.csv} (every number with
	 * all its digits, text cells CSV-quoted) and every figure as {@code <title>.png} into {@code folder}, with the
	 * guarantees of the class description.
	 *
	 * @param inputs the run's input files by parameter name; null values are ignored
	 * @return the written files, in order (images, tables, figures)
	 */
	public List<File> save(final File folder, final Map<String, File> inputs) throws IOException {
		return save(folder, inputs, OutputSet.FILES);
	}

	List<File> save(final File folder, final Map<String, File> inputs, final OutputSet.Sink sink) throws IOException {
		checkFolder(folder);
		final OutputSet set = new OutputSet(folder);
		for (final ImagePlus imp : images) set.add(imp.getTitle() + ".tif", out -> Formats.tiff(imp, out));
		for (final Map.Entry<String, ResultsTable> e : tables.entrySet()) set.add(e.getKey() + ".csv", out -> Formats.csv(e.getValue(), out));
		for (final Map.Entry<String, ImagePlus> e : figures.entrySet()) set.add(e.getKey() + ".png", out -> Formats.png(e.getValue(), out));
		set.refuseReplacing(inputs);
		return set.commit(sink);
	}

	/**
	 * Makes sure outputs can be written to {@code folder} — before a long computation rather than
	 * after it: creates it if needed, and creates and deletes a probe file in it.
	 *
	 * @throws IllegalArgumentException naming the folder, the reason and the fix
	 */
	public static void checkFolder(final File folder) {
		final Path dir = folder.toPath();
		if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IllegalArgumentException("output_folder '" + folder + "' is a file, not a folder; give a folder path.");
		try {
			Files.createDirectories(dir);
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("Cannot create output_folder '" + folder + "' (" + OutputSet.reason(e) + "); check the path and permissions.", e);
		}
		final Path probe = dir.resolve(OutputSet.TEMP_PREFIX + "probe-" + UUID.randomUUID());
		try {
			Files.createFile(probe);
			Files.delete(probe);
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("Cannot write into output_folder '" + folder + "' (" + OutputSet.reason(e) + "); choose another folder or fix its permissions.", e);
		}
	}
}
