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
 * ancestors). A call without options ({@code run("Posterior Sampling")}) still shows the dialog. A key
 * that is given but could not be converted (a misspelt image title, {@code steps=abc}) cancels the run
 * with a message rather than silently using the default; {@code none} clears an optional image.
 */
@Plugin(type = PreprocessorPlugin.class, priority = Priority.LOW)
public class MacroDefaults extends AbstractPreprocessorPlugin {

	/** The calling macro's options, or null; replaceable by tests, which have no patched ImageJ. */
	static Supplier<String> options = Macro::getOptions;

	@Override
	public void process(final Module module) {
		if (!(module.getDelegateObject() instanceof SpectralCommand)) return;
		final String opts = options.get();
		if (opts == null) return;
		for (final ModuleItem<?> item : module.getInfo().inputs()) {
			final String name = item.getName();
			final String value = module.isInputResolved(name) ? null : Macro.getValue(opts, name, null);
			if (value != null) {
				// Given, yet not converted by imagej-legacy's MacroPreprocessor (which skips what it cannot
				// convert): say so, as the plain-ImageJ bridge does, instead of running on the default.
				if (ij.ImagePlus.class.isAssignableFrom(item.getType())) {
					if (!value.isEmpty() && !value.equalsIgnoreCase("none")) {
						cancel(name + "=" + value + ": no open image has that title.");
						return;
					}
					module.setInput(name, null);
				}
				else if (item.getType().isPrimitive() || Number.class.isAssignableFrom(item.getType())) {
					cancel(name + "=" + value + " is not a number.");
					return;
				}
			}
			module.resolveInput(name);
		}
	}
}
