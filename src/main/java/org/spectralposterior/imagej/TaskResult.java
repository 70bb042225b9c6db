package org.spectralposterior.imagej;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.measure.ResultsTable;

/**
 * What a command produced: output images (the first is the main one), results tables, and
 * optional PNG figures that are only written to disk. Titles are the documented output names.
 */
public final class TaskResult {

	private final List<ImagePlus> images = new ArrayList<>();
	private final Map<String, ResultsTable> tables = new LinkedHashMap<>();
	private final Map<String, ImagePlus> figures = new LinkedHashMap<>();

	public TaskResult addImage(final ImagePlus imp) {
		images.add(imp);
		return this;
	}

	public TaskResult addTable(final String title, final ResultsTable table) {
		tables.put(title, table);
		return this;
	}

	public TaskResult addFigure(final String title, final ImagePlus rgb) {
		figures.put(title, rgb);
		return this;
	}

	public List<ImagePlus> images() {
		return Collections.unmodifiableList(images);
	}

	public Map<String, ResultsTable> tables() {
		return Collections.unmodifiableMap(tables);
	}

	public ImagePlus image(final String title) {
		for (final ImagePlus imp : images) if (imp.getTitle().equals(title)) return imp;
		return null;
	}

	/**
	 * Writes every image as {@code <title>.tif}, every table as {@code <title>.csv} and every figure
	 * as {@code <title>.png} into {@code folder}. Files are first written under temporary names and
	 * renamed only when all succeeded, so a failure leaves nothing half-written.
	 *
	 * @return the written files, in order
	 */
	public List<File> save(final File folder) throws IOException {
		if (folder.exists() && !folder.isDirectory()) throw new IllegalArgumentException("output_folder '" + folder + "' is a file, not a folder; give a folder path.");
		if (!folder.exists() && !folder.mkdirs()) throw new IllegalArgumentException("Cannot create output_folder '" + folder + "'; check the path and permissions.");
		final List<File[]> pending = new ArrayList<>();
		try {
			for (final ImagePlus imp : images) {
				final File f = new File(folder, imp.getTitle() + ".tif"), tmp = temp(f);
				if (!new FileSaver(imp).saveAsTiff(tmp.getPath())) throw new IOException("Could not write " + f);
				pending.add(new File[] { tmp, f });
			}
			for (final Map.Entry<String, ResultsTable> e : tables.entrySet()) {
				final File f = new File(folder, e.getKey() + ".csv"), tmp = temp(f);
				e.getValue().saveAs(tmp.getPath());
				pending.add(new File[] { tmp, f });
			}
			for (final Map.Entry<String, ImagePlus> e : figures.entrySet()) {
				final File f = new File(folder, e.getKey() + ".png"), tmp = temp(f);
				if (!new FileSaver(e.getValue()).saveAsPng(tmp.getPath())) throw new IOException("Could not write " + f);
				pending.add(new File[] { tmp, f });
			}
		}
		catch (IOException | RuntimeException e) {
			for (final File[] p : pending) p[0].delete();
			throw e;
		}
		final List<File> written = new ArrayList<>();
		for (final File[] p : pending) {
			Files.move(p[0].toPath(), p[1].toPath(), StandardCopyOption.REPLACE_EXISTING);
			written.add(p[1]);
		}
		return written;
	}

	private static File temp(final File f) {
		// Keep the extension: ImageJ's savers append one if it is missing.
		final String n = f.getName();
		final int dot = n.lastIndexOf('.');
		return new File(f.getParentFile(), ".partial-" + n.substring(0, dot) + n.substring(dot));
	}
}
