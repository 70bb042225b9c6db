package org.spectralposterior.commands;

import java.util.function.Supplier;

import ij.Macro;
import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.Plugin;

/**
 * A macro call with an options string never opens a dialog: keys it leaves out keep their
 * defaults, as ImageJ 1.x plugins do and as the plain-ImageJ bridge does.
 * <p>
 * Why: in Fiji, {@code run("Posterior Sampling", "prior=… measurement=…")} fills the inputs named in
 * the options (imagej-legacy's MacroPreprocessor) and leaves the others unresolved; SciJava's file
 * preprocessor and input harvester (priorities ≈ −10000) then open a dialog for them — a file
 * chooser for an omitted {@code output_folder} — which blocks a batch macro (scijava-common issues
 * 317 and 491). Running between the two (priority {@link Priority#LOW}), this marks every input of
 * our commands resolved when options are present. {@code Macro.getOptions()} sees the macro's
 * options from the command's SciJava thread in Fiji (ij1-patcher looks them up along the thread's
 * ancestors). A call without options ({@code run("Posterior Sampling")}) still shows the dialog.
 */
@Plugin(type = PreprocessorPlugin.class, priority = Priority.LOW)
public class MacroDefaults extends AbstractPreprocessorPlugin {

	/** The calling macro's options, or null; replaceable by tests, which have no patched ImageJ. */
	static Supplier<String> options = Macro::getOptions;

	@Override
	public void process(final Module module) {
		if (!(module.getDelegateObject() instanceof SpectralCommand) || options.get() == null) return;
		for (final ModuleItem<?> item : module.getInfo().inputs()) module.resolveInput(item.getName());
	}
}
