package org.spectralposterior.imagej;

import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import ij.ImagePlus;
import ij.ImageStack;
import ij.VirtualStack;
import ij.gui.Plot;
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.io.RoiEncoder;
import ij.io.TiffEncoder;
import ij.measure.ResultsTable;

/**
 * The three output formats, each written to a stream the caller owns. ImageJ's own savers open
 * their files themselves and turn a failed write into a dialog and a {@code false} (or nothing at
 * all: {@code ResultsTable.saveAs} to CSV, {@code FileSaver.saveAsPng}); writing to our stream lets
 * every {@link IOException} reach the caller with its cause.
 */
final class Formats {

	private Formats() {}

	/**
	 * The TIFF {@code FileSaver.saveAsTiff} would write: the same {@link FileInfo} fields (Info and
	 * other properties, slice labels, calibration and display range in the description, ROI, overlay,
	 * the plot of a plot image, composite LUTs), encoded by ImageJ's {@link TiffEncoder} — so the file
	 * opens in ImageJ exactly as one saved from the GUI (a test compares the bytes).
	 */
	static void tiff(final ImagePlus imp, final OutputStream out) throws IOException {
		final FileSaver saver = new FileSaver(imp);
		final FileInfo fi = imp.getFileInfo();
		fi.info = imp.getInfoProperty();
		if (fi.nImages > 1) {
			final ImageStack stack = imp.getStack();
			if (stack.isVirtual()) fi.virtualStack = (VirtualStack) stack;
			fi.sliceLabels = stack.getSliceLabels();
			if (imp.isComposite()) saver.saveDisplayRangesAndLuts(imp, fi);
		}
		else {
			final String label = imp.hasImageStack() ? imp.getStack().getSliceLabel(1) : null;
			if (label != null) fi.sliceLabels = new String[] { label };
			if (imp.getProperty("thePlot") instanceof Plot plot) fi.plot = plot.toByteArray();
		}
		fi.description = saver.getDescriptionString();
		fi.roi = RoiEncoder.saveAsByteArray(imp.getRoi());
		fi.overlay = FileSaver.getOverlay(imp);
		fi.properties = imp.getPropertiesAsArray();
		final DataOutputStream data = new DataOutputStream(out);
		new TiffEncoder(fi).write(data);
		data.flush();
	}

	/** An RGB PNG of the figure as shown (overlay burnt in), as ImageJ's PNG writer makes it. */
	static void png(final ImagePlus imp, final OutputStream out) throws IOException {
		final boolean plain = imp.getBitDepth() == 24 && (imp.getOverlay() == null || imp.getHideOverlay());
		final BufferedImage image = (plain ? imp : imp.flatten()).getBufferedImage();
		if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG encoder in this Java runtime");
		out.flush();
	}

	/**
	 * The table as UTF-8 CSV: a header row of the column headings (a label column first when rows
	 * have labels), then one row per table row. Numbers are written in full (the shortest decimal that
	 * reads back as the same double, integers without a fraction, {@code NaN}, {@code Infinity}):
	 * ImageJ's own CSV keeps the table's display precision, three decimals by default. Text cells
	 * are written as they are, quoted when they hold a comma, a quote or a line break.
	 */
	static void csv(final ResultsTable table, final OutputStream out) throws IOException {
		final List<Integer> columns = new ArrayList<>();
		for (int c = 0; c <= table.getLastColumn(); c++) if (table.columnExists(c)) columns.add(c);
		boolean labels = false;
		for (int row = 0; row < table.size() && !labels; row++) labels = table.getLabel(row) != null;
		final Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
		final List<String> header = new ArrayList<>();
		// ImageJ lists the label column's heading first in getHeadings() when rows have labels.
		if (labels) header.add(table.getHeadings()[0]);
		for (final int c : columns) header.add(table.getColumnHeading(c));
		line(w, header);
		for (int row = 0; row < table.size(); row++) {
			final List<String> cells = new ArrayList<>();
			if (labels) cells.add(table.getLabel(row) == null ? "" : table.getLabel(row));
			for (final int c : columns) {
				final double v = table.getValueAsDouble(c, row);
				// A text cell reads as NaN; its text (or "NaN" for a numeric NaN) is the string value.
				cells.add(Double.isNaN(v) ? table.getStringValue(c, row) : number(v));
			}
			line(w, cells);
		}
		w.flush();
	}

	/** The shortest decimal that parses back to {@code v}; integral values without ".0". */
	static String number(final double v) {
		final boolean negativeZero = v == 0 && 1 / v < 0;
		if (v == Math.rint(v) && Math.abs(v) < 1e15 && !negativeZero) return Long.toString((long) v);
		return Double.toString(v);
	}

	private static void line(final Writer w, final List<String> cells) throws IOException {
		for (int i = 0; i < cells.size(); i++) {
			if (i > 0) w.write(',');
			w.write(csvCell(cells.get(i)));
		}
		w.write('\n');
	}

	/** One CSV cell: quoted (quotes doubled) when it holds a comma, a quote or a line break. */
	static String csvCell(final String cell) {
		if (cell == null) return "";
		if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) return cell;
		return '"' + cell.replace("\"", "\"\"") + '"';
	}
}
