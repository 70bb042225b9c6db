package org.spectralposterior.commands;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import ij.ImagePlus;
import ij.Macro;
import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.Plugin;

/**
 * A macro call with an options string never opens a dialog, and every key it gives is read strictly
 * from the options text itself ({@link Options}), exactly as the command line and the plain-ImageJ
 * bridge read it; keys it leaves out keep their defaults, as ImageJ 1.x plugins do.
 * <p>
 * Why: in Fiji, {@code run("Posterior Sampling", "prior=… measurement=…")} goes through imagej-legacy's
 * MacroPreprocessor (priority 20000), which converts <em>every</em> value named in the options and
 * resolves that input — observed in its runtime: an unknown image title arrives as an empty 0×0 image,
 * {@code steps=abc} as 0, {@code seed=abc} as seed 0, {@code none} for an optional image as an empty
 * image that the command then refuses — and it ignores misspelt keys. The others stay unresolved, and
 * SciJava's file preprocessor and input harvester (priorities ≈ −10000) would open a dialog for them — a
 * file chooser for an omitted {@code output_folder} — which blocks a batch macro (scijava-common issues
 * 317 and 491). Running between the two (priority {@link Priority#LOW}), this re-reads the raw options,
 * overwrites what imagej-legacy converted (an image by its title, {@code null} for {@code none}), refuses
 * what it converted wrongly (the run is cancelled with the same message as on the other routes: no
 * output) and marks every input resolved. {@code Macro.getOptions()} sees the macro's options from the
 * command's SciJava thread in Fiji (ij1-patcher looks them up along the thread's ancestors). A call
 * without options ({@code run("Posterior Sampling")}) still shows the dialog.
 */
@Plugin(type = PreprocessorPlugin.class, priority = Priority.LOW)
public class MacroDefaults extends AbstractPreprocessorPlugin {

	/** The calling macro's options, or null; replaceable by tests, which have no patched ImageJ. */
	static Supplier<String> options = Macro::getOptions;

	/** Whether no dialog can be shown; replaceable by tests. */
	static java.util.function.BooleanSupplier headless = java.awt.GraphicsEnvironment::isHeadless;

	@org.scijava.plugin.Parameter(required = false)
	private org.scijava.log.LogService log;

	@Override
	public void process(final Module module) {
		if (!(module.getDelegateObject() instanceof SpectralCommand)) return;
		final String opts = options.get();
		if (opts == null) {
			if (headless.getAsBoolean()) refuseUnsetInHeadless(module);
			else showRemembered(module);
			return;
		}
		final Map<String, Object> given;
		try {
			given = Options.convert(module.getInfo(), Options.tokenize(opts), Options::byTitle, Set.of());
		}
		catch (final IllegalArgumentException e) {
			cancel(e.getMessage());
			return;
		}
		for (final Map.Entry<String, Object> e : given.entrySet()) module.setInput(e.getKey(), e.getValue());
		for (final ModuleItem<?> item : module.getInfo().inputs()) module.resolveInput(item.getName());
	}

	/**
	 * An interactive run (a dialog will ask): the dialog opens with the last interactive run's values
	 * ({@link Remembered}). They are set, not resolved — the harvester must still show them, and
	 * imagej-legacy's recorder records only inputs left unresolved before it (read in its
	 * MacroRecorderPreprocessor/PostProcessor: pre-resolved inputs are excluded from the recording).
	 */
	private static void showRemembered(final Module module) {
		for (final Map.Entry<String, Object> e : Remembered.load(module.getInfo()).entrySet()) {
			if (!module.isInputResolved(e.getKey())) module.setInput(e.getKey(), e.getValue());
		}
		// Image fields start on an image of their kind, as in the plain-ImageJ dialog: SciJava's object
		// widget keeps a value that is in its pool and otherwise shows the pool's first image
		// (DefaultWidgetModel#ensureValidObject, read in scijava-common), which was the oldest window —
		// the exemplar, not the prior, in the tutorial's Posterior Sampling.
		for (final ModuleItem<?> item : Options.parameters(module.getInfo()).values()) {
			if (!ImagePlus.class.isAssignableFrom(item.getType()) || module.isInputResolved(item.getName()) || module.getInput(item.getName()) != null) continue;
			final ImagePlus pick = imageDefault.apply(item.getName(), item.isRequired());
			if (pick != null) module.setInput(item.getName(), pick);
		}
		// The dialog opens on those values, corrected where they are impossible (a real image's operator),
		// but never a value the caller set: a resolved input is the caller's, and no dialog shows it.
		final SpectralCommand command = (SpectralCommand) module.getDelegateObject();
		command.correctable = key -> !module.isInputResolved(key);
		command.refreshDialog();
	}

	/** The image a field starts on ({@link ImageDefaults#open}); replaceable by tests, which have no windows. */
	static java.util.function.BiFunction<String, Boolean, ImagePlus> imageDefault = ImageDefaults::open;

	/**
	 * Keeps what the user chose in the dialog, before the run, so that a dialog reopened after an error
	 * shows it. Runs after SciJava's input harvester (priority −10000) and only when a dialog could have
	 * asked (no macro options, a display); a cancelled dialog cancels the module before this runs.
	 */
	@Plugin(type = PreprocessorPlugin.class, priority = Priority.VERY_LOW - 1)
	public static class KeepChosen extends AbstractPreprocessorPlugin {
		@Override
		public void process(final Module module) {
			if (!(module.getDelegateObject() instanceof SpectralCommand) || options.get() != null || headless.getAsBoolean()) return;
			final Map<String, Object> values = new java.util.LinkedHashMap<>();
			for (final String key : Options.parameters(module.getInfo()).keySet()) values.put(key, module.getInput(key));
			Remembered.save(module.getInfo(), values);
		}
	}

	/**
	 * Headless Fiji without options: SciJava's harvester cannot ask for the required inputs and logs
	 * "required but unset" only as a warning that headless Fiji drops, so {@code run("Posterior
	 * Sampling")} returned with nothing and no word. Say which keys are missing, in the log (printed
	 * headless) and as the cancel reason.
	 */
	private void refuseUnsetInHeadless(final Module module) {
		final java.util.List<String> missing = new java.util.ArrayList<>();
		for (final ModuleItem<?> item : Options.parameters(module.getInfo()).values()) {
			if (item.isRequired() && !item.getType().isPrimitive() && item.getType() != String.class && module.getInput(item.getName()) == null) missing.add(item.getName());
		}
		if (missing.isEmpty()) return;
		final String label = module.getInfo().getTitle();
		final String example = String.join(" ", missing.stream().map(k -> k + "=<" + (k.contains("folder") || k.equals("input") ? "path" : "title") + ">").toList());
		final String message = label + " needs " + String.join(", ", missing) + ", and headless Fiji shows no dialog to ask: give them in the options, e.g. run(\"" + label + "\", \"" + example + "\").";
		if (log != null) log.error(message);
		cancel(message);
	}
}
