package org.spectralposterior.commands;

import java.util.List;
import java.util.function.Consumer;

import ij.ImagePlus;
import ij.macro.Interpreter;
import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.process.AbstractPostprocessorPlugin;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.plugin.Plugin;

/**
 * Makes the main output the current image after Fiji has displayed the outputs. Observed in Fiji's
 * GUI without batch mode: the current image after {@code run()} is the last output displayed, so
 * {@code run("Simulate Degradation", …); t = getTitle();} got the PSF, not the degraded image.
 * SciJava's DisplayPostprocessor (priority −10000) shows the outputs in field order; this runs after
 * it and brings the main output's window to the front, which is what ImageJ's current image follows.
 * (Batch mode is handled by {@link BatchModeOutputs}; the plain-ImageJ bridge shows the main output last.)
 */
@Plugin(type = PostprocessorPlugin.class, priority = Priority.VERY_LOW - 1)
public class MainOutputCurrent extends AbstractPostprocessorPlugin {

	/** How the main output becomes current; replaceable by tests, which have no windows. */
	static Consumer<ImagePlus> select = MainOutputCurrent::toFront;

	/** Calibration bars and zoom, once a window exists (none in tests). */
	static Consumer<ImagePlus> decorate = org.spectralposterior.imagej.DisplayStyle::decorateShown;

	@Override
	public void process(final Module module) {
		if (!(module.getDelegateObject() instanceof SpectralCommand c) || Interpreter.isBatchMode() || c.result() == null) return;
		final List<ImagePlus> shown = c.displayed();
		if (shown.isEmpty()) return;
		for (final ImagePlus imp : shown) decorate.accept(imp);
		select.accept(shown.get(0));
	}

	private static void toFront(final ImagePlus main) {
		org.spectralposterior.imagej.DisplayStyle.makeCurrent(main);
	}
}
