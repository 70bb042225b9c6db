package org.spectralposterior.commands;

import ij.ImagePlus;
import ij.macro.Interpreter;
import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPostprocessorPlugin;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.plugin.Plugin;
import org.spectralposterior.imagej.TaskResult;

/**
 * Finishes a command run from an ImageJ macro in batch mode, the way the macro needs it.
 * <p>
 * Why a postprocessor: in Fiji, {@code run("Posterior Sampling", …)} reaches the command through
 * imagej-legacy, which runs the module on a SciJava thread (whose parent, for {@link ThreadService},
 * is the macro's thread) and then hands every unresolved output to SciJava's display step
 * (DisplayPostprocessor, priority {@link Priority#VERY_LOW}), which ends in {@code ImagePlus.show()}
 * or in the legacy image map. In batch mode that step either registers each output a second time
 * ({@code ImagePlus.show()} appends to the batch-mode image table without checking: nImages counts
 * it twice) or takes it out again (imagej-legacy issues 271/277). The command has already registered
 * its outputs ({@link MacroVisibility}); this postprocessor, which runs before the display step,
 * marks the image outputs as resolved so the display step leaves them alone (their values stay set
 * for scripts). (The command itself makes the main output the current image of the calling thread —
 * the macro's, the pool thread's parent — since ImageJ 1.x keeps the current image per thread.)
 * <p>
 * Outside batch mode it does nothing: the GUI displays every output once, as usual.
 */
@Plugin(type = PostprocessorPlugin.class, priority = Priority.HIGH)
public class BatchModeOutputs extends AbstractPostprocessorPlugin {

	@Override
	public void process(final Module module) {
		if (!(module.getDelegateObject() instanceof SpectralCommand)) return;
		final TaskResult r = ((SpectralCommand) module.getDelegateObject()).result();
		if (r == null || !Interpreter.isBatchMode()) return;
		for (final ModuleItem<?> item : module.getInfo().outputs()) {
			if (ImagePlus.class.isAssignableFrom(item.getType())) module.resolveOutput(item.getName());
		}
	}
}
