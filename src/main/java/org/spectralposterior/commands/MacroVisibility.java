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

	static void register(final TaskResult r) {
		if (!Interpreter.isBatchMode() || r.images().isEmpty()) return;
		final List<ImagePlus> images = r.images();
		for (int i = images.size() - 1; i >= 0; i--) {
			final ImagePlus imp = images.get(i);
			if (Interpreter.getBatchModeImage(imp.getID()) == null) Interpreter.addBatchModeImage(imp);
		}
		WindowManager.setTempCurrentImage(images.get(0));
		// Tables become ImageJ's named results windows (headless: kept in memory for the macro).
		for (final java.util.Map.Entry<String, ResultsTable> e : r.tables().entrySet()) {
			try {
				e.getValue().show(e.getKey());
			}
			catch (final RuntimeException ex) {
				// No display at all: the table stays available through output_folder.
			}
		}
	}
}
