package org.spectralposterior.commands;

import java.util.List;

import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import org.spectralposterior.imagej.TaskResult;

/**
 * Makes a command's outputs reachable from an ImageJ macro running in batch mode (and so from
 * headless runs): Fiji's SciJava layer does not hand command outputs to batch-mode macros
 * (imagej-legacy issue 277), so each output image is registered as a batch-mode image — once: an
 * image already registered is left alone — and the main output becomes the current image. Outside
 * batch mode nothing happens here: the GUI displays the outputs once, as usual.
 */
final class MacroVisibility {

	private MacroVisibility() {}

	/** @param caller the thread whose current image the main output becomes (the macro's) */
	static void register(final TaskResult r, final Thread caller) {
		if (!Interpreter.isBatchMode()) return;
		// The main (first) table also becomes ImageJ's system "Results" table, without a window: headless,
		// named tables have no window for Table.get*(…, title) to find, and "Results" is the one table an
		// ImageJ 1.x macro can always read (getResult, getResultString). Batch mode only: in the GUI it
		// would clear the user's Results window.
		if (!r.tables().isEmpty()) {
			final ResultsTable results = (ResultsTable) r.tables().values().iterator().next().clone();
			ij.plugin.filter.Analyzer.setResultsTable(results);
			// The copy holds the same doubles (getResult reads them in full) but not the display precision.
			results.setPrecision(SpectralCommand.DISPLAYED_DECIMALS);
		}
		final List<ImagePlus> images = r.images();
		for (int i = images.size() - 1; i >= 0; i--) {
			final ImagePlus imp = images.get(i);
			if (Interpreter.getBatchModeImage(imp.getID()) == null) Interpreter.addBatchModeImage(imp);
		}
		if (!images.isEmpty()) WindowManager.setTempCurrentImage(caller, images.get(0));
		// Tables become ImageJ's named results windows where there is a display, under ImageJ's next free
		// title as the images are: a re-run adds "x_results-1" beside "x_results" instead of replacing it.
		for (final java.util.Map.Entry<String, ResultsTable> e : r.tables().entrySet()) {
			try {
				e.getValue().show(SpectralCommand.uniqueWindowTitle(e.getKey()));
			}
			catch (final RuntimeException ex) {
				// No display at all: the table stays available through output_folder.
			}
		}
	}
}
