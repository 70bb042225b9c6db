package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.display.DisplayPostprocessor;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.module.process.AbstractPostprocessorPlugin;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.PluginService;

/**
 * The batch-mode macro path as Fiji runs it, without Fiji (which is not on Maven Central).
 * imagej-legacy runs {@code run("Posterior Sampling", …)} as {@code moduleService.run(info, true)}
 * from the macro's thread: every SciJava pre- and postprocessor, on a SciJava thread whose parent is
 * the macro's; its display step shows each unresolved {@code ImagePlus} output with
 * {@code imp.show()} (imagej-legacy's ImagePlus display viewer). Here the display step is replaced by
 * {@link LegacyDisplayStep}, which does exactly that; everything else is the real SciJava pipeline.
 */
public class FijiBatchModeTest {

	/** imagej-legacy's display step for ImagePlus outputs: {@code imp.show()} on each unresolved one. */
	static final class LegacyDisplayStep extends AbstractPostprocessorPlugin {
		final List<ImagePlus> shown = new ArrayList<>();

		@Override
		public void process(final Module module) {
			for (final ModuleItem<?> item : module.getInfo().outputs()) {
				if (module.isOutputResolved(item.getName()) || !(item.getValue(module) instanceof ImagePlus)) continue;
				final ImagePlus imp = (ImagePlus) item.getValue(module);
				shown.add(imp);
				// Headless, only batch mode can really "show" (it appends to the batch-mode table).
				if (Interpreter.isBatchMode()) imp.show();
				module.resolveOutput(item.getName());
			}
		}
	}

	/** SciJava's file preprocessor and input harvester: what they would ask the user for. */
	static final class DialogStep extends org.scijava.module.process.AbstractPreprocessorPlugin {
		final List<String> asked = new ArrayList<>();

		@Override
		public void process(final Module module) {
			for (final ModuleItem<?> item : module.getInfo().inputs()) {
				if (!module.isInputResolved(item.getName()) && !org.scijava.service.Service.class.isAssignableFrom(item.getType())) asked.add(item.getName());
			}
		}
	}

	/**
	 * imagej-legacy's MacroPreprocessor (priority 20000) as observed in its runtime: every input named in
	 * the options is converted and resolved, whatever its value — an image title that no open image has
	 * (including {@code none}) arrives as an empty 0×0 image, a number it cannot parse ({@code steps=abc},
	 * {@code seed=abc}) as 0 — and keys that are no parameter are ignored. (How it converts {@code 2.5}
	 * for an int was not observed; here like any unparsable value, 0: our MacroDefaults overwrites every
	 * given key from the raw options anyway.)
	 */
	static final class LegacyMacroStep extends org.scijava.module.process.AbstractPreprocessorPlugin {
		final String options;

		LegacyMacroStep(final String options) {
			this.options = options;
		}

		@Override
		public void process(final Module module) {
			// Without options (run("label") alone) imagej-legacy's MacroPreprocessor does nothing.
			if (options == null) return;
			for (final ModuleItem<?> item : module.getInfo().inputs()) {
				final String value = ij.Macro.getValue(options, item.getName(), null);
				if (value == null) continue;
				final Class<?> type = item.getType();
				final Object converted;
				if (ImagePlus.class.isAssignableFrom(type)) {
					final ImagePlus imp = WindowManager.getImage(value);
					converted = imp != null ? imp : new ImagePlus();
				}
				else if (type == int.class) converted = (int) parseOrZero(value);
				else if (type == long.class) converted = (long) parseOrZero(value);
				else if (type == double.class) converted = parseOrZero(value);
				else if (type == java.io.File.class) converted = new java.io.File(value);
				else converted = value;
				module.setInput(item.getName(), converted);
				module.resolveInput(item.getName());
			}
		}

		private static double parseOrZero(final String value) {
			try {
				return Double.parseDouble(value);
			}
			catch (final NumberFormatException e) {
				return 0;
			}
		}
	}

	/** The outcome of one emulated Fiji macro call: the module and the refusal message, if any. */
	public record FijiRun(CommandModule module, String refusal, DialogStep dialog, LegacyDisplayStep display) {}

	/**
	 * {@code run(label, options)} from a Fiji macro, emulated: legacy macro step, active-image step,
	 * SciJava's own preprocessors with ours (MacroDefaults reading {@code options} as Macro.getOptions()
	 * would), the command, ours and the legacy display step. Images are looked up by title, so the caller
	 * shows its inputs in batch mode first. In Fiji a refusal does not abort the macro: the run ends
	 * without outputs and the reason is reported.
	 */
	public static FijiRun runAsFijiMacro(final String label, final String options) throws Exception {
		return runAsFijiMacro(label, options, true);
	}

	/** As above; without ours (MacroDefaults) it is what imagej-legacy alone makes of the options. */
	static FijiRun runAsFijiMacro(final String label, final String options, final boolean withOurs) throws Exception {
		final CommandService commands = CommandsTest.commands();
		final PluginService plugins = commands.context().service(PluginService.class);
		final ModuleService modules = commands.context().service(ModuleService.class);
		final List<org.scijava.module.process.ModulePreprocessor> pre = new ArrayList<>();
		pre.add(new LegacyMacroStep(options));
		pre.add(new ActiveImageStep());
		final DialogStep dialog = new DialogStep();
		for (final PreprocessorPlugin p : plugins.createInstancesOfType(PreprocessorPlugin.class)) {
			if (p.getClass().getName().startsWith("org.scijava.ui.") || p.getClass().getName().startsWith("org.scijava.widget.")) continue;
			if (withOurs || !(p instanceof MacroDefaults)) pre.add(p);
		}
		pre.add(dialog);
		final LegacyDisplayStep display = new LegacyDisplayStep();
		final List<PostprocessorPlugin> post = new ArrayList<>();
		for (final PostprocessorPlugin p : plugins.createInstancesOfType(PostprocessorPlugin.class)) post.add(p instanceof DisplayPostprocessor ? display : p);
		final CommandInfo info = commands.getCommands().stream().filter(c -> c.getTitle().equals(label)).findFirst().orElseThrow();
		final java.util.function.Supplier<String> saved = MacroDefaults.options;
		MacroDefaults.options = () -> options;
		try {
			final CommandModule m = (CommandModule) modules.run(modules.createModule(info), pre, post, new HashMap<>()).get();
			String refusal = m.isCanceled() ? m.getCancelReason() : null;
			for (final org.scijava.module.process.ModulePreprocessor p : pre) if (refusal == null && p.isCanceled()) refusal = p.getCancelReason();
			return new FijiRun(m, refusal, dialog, display);
		}
		finally {
			MacroDefaults.options = saved;
		}
	}

	/** imagej-legacy's ActiveImagePlusPreprocessor (10001): the single unresolved, auto-fillable ImagePlus input gets the current image. */
	static final class ActiveImageStep extends org.scijava.module.process.AbstractPreprocessorPlugin {
		@Override
		public void process(final Module module) {
			ModuleItem<?> single = null;
			for (final ModuleItem<?> item : module.getInfo().inputs()) {
				if (!ImagePlus.class.isAssignableFrom(item.getType()) || module.isInputResolved(item.getName()) || !item.isAutoFill()) continue;
				if (single != null) return;
				single = item;
			}
			if (single == null) return;
			module.setInput(single.getName(), WindowManager.getCurrentImage());
			module.resolveInput(single.getName());
		}
	}

	@Test
	void aRecordedStyleLineRunsAsInFijiBatchMode() throws Exception {
		final ImagePlus[] in = inputs();
		Interpreter.batchMode = true;
		for (final ImagePlus imp : in) imp.show();
		// psf is given (and ignored: the operator comes from the measurement), so ground_truth is the single
		// unresolved image input that the active-image step would fill.
		final String options = "prior=" + in[0].getTitle() + " measurement=" + in[1].getTitle() + " psf=" + in[1].getTitle() + " samples=3 seed=4 operator=[from measurement]";
		final int before = Interpreter.getBatchModeImageCount();
		final FijiRun run = runAsFijiMacro(PosteriorSampling.LABEL, options);
		final CommandModule m = run.module();
		assertEquals(null, run.refusal());
		assertTrue(run.dialog().asked.isEmpty(), "no dialog: " + run.dialog().asked);
		assertEquals(null, m.getInput("ground_truth"), "the optional ground truth is not filled with the active image");
		assertEquals(3, m.getInput("samples"));
		assertEquals(before + 5, Interpreter.getBatchModeImageCount());
		assertSame(m.getOutput("samples_stack"), WindowManager.getCurrentImage());
		assertTrue(run.display().shown.isEmpty());
	}

	@Test
	void aMacroCallWithOptionsOpensNoDialog() throws Exception {
		final ImagePlus[] in = inputs();
		// MacroDefaults reads the images' titles from the options: they must be open (batch mode, headless).
		Interpreter.batchMode = true;
		for (final ImagePlus imp : in) imp.show();
		final CommandService commands = CommandsTest.commands();
		final PluginService plugins = commands.context().service(PluginService.class);
		final ModuleService modules = commands.context().service(ModuleService.class);
		for (final boolean withOurs : new boolean[] { false, true }) {
			// The dialog steps sit at priority ≈ −10000, after every other preprocessor.
			final DialogStep dialog = new DialogStep();
			final List<org.scijava.module.process.ModulePreprocessor> pre = new ArrayList<>();
			for (final PreprocessorPlugin p : plugins.createInstancesOfType(PreprocessorPlugin.class)) {
				if (p.getClass().getName().startsWith("org.scijava.ui.") || p.getClass().getName().startsWith("org.scijava.widget.")) continue;
				if (withOurs || !(p instanceof MacroDefaults)) pre.add(p);
			}
			pre.add(dialog);
			final java.util.function.Supplier<String> saved = MacroDefaults.options;
			MacroDefaults.options = () -> "prior=" + in[0].getTitle() + " measurement=" + in[1].getTitle() + " samples=3";
			try {
				final Map<String, Object> inputs = new HashMap<>();
				inputs.put("prior", in[0]);
				inputs.put("measurement", in[1]);
				inputs.put("samples", 3);
				final Module m = modules.run(modules.createModule(commands.getCommand(PosteriorSampling.class)), pre, List.of(), inputs).get();
				if (withOurs) {
					assertTrue(dialog.asked.isEmpty(), "no dialog: " + dialog.asked);
					assertFalse(((CommandModule) m).isCanceled(), () -> ((CommandModule) m).getCancelReason());
					assertEquals(50, m.getInput("steps"), "omitted keys keep their defaults");
				}
				else assertTrue(dialog.asked.contains("output_folder") && dialog.asked.contains("steps"), "without it SciJava would ask for " + dialog.asked);
			}
			finally {
				MacroDefaults.options = saved;
			}
		}
	}

	@Test
	void whatImageJLegacyConvertedWronglyIsRefusedOrOverwritten() throws Exception {
		// imagej-legacy has already converted these (0, 0, a 0×0 image, a 0×0 image) and resolved them:
		// MacroDefaults re-reads the raw options and refuses or overwrites, before anything runs.
		final ImagePlus[] in = inputs();
		Interpreter.batchMode = true;
		for (final ImagePlus imp : in) imp.show();
		final String[][] cases = { { "steps=abc", "steps=abc is not a whole number" }, { "seed=abc", "seed=abc is not a whole number" },
			{ "ground_truth=nosuch", "ground_truth=nosuch: no open image has that title" }, { "ground_truth=none", null } };
		for (final String[] c : cases) {
			final FijiRun run = runAsFijiMacro(PosteriorSampling.LABEL, "prior=" + in[0].getTitle() + " measurement=" + in[1].getTitle() + " samples=2 " + c[0]);
			if (c[1] == null) {
				assertEquals(null, run.refusal(), c[0]);
				assertEquals(null, run.module().getInput("ground_truth"), "none is no ground truth, not imagej-legacy's empty image");
				assertNotNull(((SpectralCommand) run.module().getCommand()).result(), "ran without a ground truth");
			}
			else {
				assertTrue(run.refusal() != null && run.refusal().startsWith(c[1]), c[0] + ": " + run.refusal());
				assertEquals(null, ((SpectralCommand) run.module().getCommand()).result(), "nothing ran");
			}
		}
	}

	@Test
	void withoutOursTheEmulationReproducesWhatImageJLegacyDoes() throws Exception {
		// The facts the emulation must match (observed in imagej-legacy's runtime): seed=abc runs silently
		// with seed 0, steps=abc arrives as 0, ground_truth=none is refused (as an empty image).
		final ImagePlus[] in = inputs();
		Interpreter.batchMode = true;
		for (final ImagePlus imp : in) imp.show();
		final String base = "prior=" + in[0].getTitle() + " measurement=" + in[1].getTitle() + " samples=2 ";
		FijiRun run = runAsFijiMacro(PosteriorSampling.LABEL, base + "seed=abc", false);
		assertEquals(null, run.refusal());
		assertEquals(0L, run.module().getInput("seed"));
		assertNotNull(((SpectralCommand) run.module().getCommand()).result(), "ran, silently, with seed 0");
		run = runAsFijiMacro(PosteriorSampling.LABEL, base + "steps=abc method=pigdm", false);
		assertEquals(0, run.module().getInput("steps"));
		run = runAsFijiMacro(PosteriorSampling.LABEL, base + "ground_truth=none", false);
		assertEquals(0, ((ImagePlus) run.module().getInput("ground_truth")).getWidth(), "an empty 0×0 image");
		assertEquals(null, ((SpectralCommand) run.module().getCommand()).result(), "refused");
	}

	@Test
	void optionalImagesAreNotFilledWithTheActiveImage() {
		// imagej-legacy's ActiveImagePlusPreprocessor fills the single unresolved ImagePlus input unless autoFill = false.
		for (final CommandInfo info : CommandsTest.commands().getCommands()) {
			if (!info.getClassName().startsWith(SpectralCommand.class.getPackageName() + ".")) continue;
			for (final ModuleItem<?> item : info.inputs()) {
				if (ImagePlus.class.isAssignableFrom(item.getType()) && !item.isRequired()) assertFalse(item.isAutoFill(), info.getTitle() + ": " + item.getName());
			}
		}
	}

	@AfterEach
	void leaveBatchMode() {
		// Tests share one JVM: leave no batch-mode image behind for the next one to find by title.
		for (final int id : Interpreter.getBatchModeImageIDs()) Interpreter.removeBatchModeImage(Interpreter.getBatchModeImage(id));
		Interpreter.batchMode = false;
		WindowManager.setTempCurrentImage(null);
	}

	private static ImagePlus[] inputs() throws Exception {
		final ImagePlus image = CommandsTest.gravel(64);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus degraded = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 1.5, "noise_sigma", 3.0, "seed", 2L).getOutput("degraded");
		return new ImagePlus[] { prior, degraded };
	}

	/** Runs Posterior Sampling through the full SciJava pipeline with the legacy display step in place of SciJava's. */
	private static CommandModule runAsFiji(final ImagePlus prior, final ImagePlus degraded, final LegacyDisplayStep display, final boolean withOurs) throws Exception {
		final CommandService commands = CommandsTest.commands();
		final PluginService plugins = commands.context().service(PluginService.class);
		final ModuleService modules = commands.context().service(ModuleService.class);
		final List<PostprocessorPlugin> post = new ArrayList<>();
		for (final PostprocessorPlugin p : plugins.createInstancesOfType(PostprocessorPlugin.class)) {
			if (p instanceof DisplayPostprocessor) post.add(display);
			else if (withOurs || !(p instanceof BatchModeOutputs)) post.add(p);
		}
		final Map<String, Object> in = new HashMap<>();
		in.put("prior", prior);
		in.put("measurement", degraded);
		in.put("samples", 3);
		in.put("seed", 5L);
		final CommandInfo info = commands.getCommand(PosteriorSampling.class);
		final Module module = modules.createModule(info);
		return (CommandModule) modules.run(module, plugins.createInstancesOfType(PreprocessorPlugin.class), post, in).get();
	}

	@Test
	void batchModeOutputsComeBeforeTheDisplayStep() {
		final List<PostprocessorPlugin> post = CommandsTest.commands().context().service(PluginService.class).createInstancesOfType(PostprocessorPlugin.class);
		int ours = -1, display = -1;
		for (int i = 0; i < post.size(); i++) {
			if (post.get(i) instanceof BatchModeOutputs) ours = i;
			if (post.get(i) instanceof DisplayPostprocessor) display = i;
		}
		assertTrue(ours >= 0 && display >= 0 && ours < display, "SciJava orders the postprocessors by priority: ours " + ours + ", display " + display);
	}

	@Test
	void batchModeMacroSeesEveryOutputOnceAndTheMainOneIsCurrent() throws Exception {
		final ImagePlus[] in = inputs();
		Interpreter.batchMode = true;
		for (final ImagePlus imp : in) imp.show(); // what open()/earlier run() calls leave in a batch-mode macro
		assertSame(in[1], WindowManager.getCurrentImage());
		final int before = Interpreter.getBatchModeImageCount();

		final LegacyDisplayStep display = new LegacyDisplayStep();
		final CommandModule m = runAsFiji(in[0], in[1], display, true);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());

		final String[] outputs = { "samples_stack", "mean", "std", "w2_map", "w2_spectrum" };
		assertEquals(before + outputs.length, Interpreter.getBatchModeImageCount(), "each output registered once (nImages)");
		for (final String name : outputs) {
			final ImagePlus imp = (ImagePlus) m.getOutput(name);
			assertNotNull(imp, name + " keeps its value for scripts");
			int seen = 0;
			for (final int id : Interpreter.getBatchModeImageIDs()) if (id == imp.getID()) seen++;
			assertEquals(1, seen, name + " is in the batch-mode table once");
			assertSame(imp, WindowManager.getImage(imp.getTitle()), "selectImage(\"" + imp.getTitle() + "\") finds it");
		}
		assertTrue(display.shown.isEmpty(), "the display step did not touch the registered outputs: " + display.shown);
		assertSame(m.getOutput("samples_stack"), WindowManager.getCurrentImage(), "the main output is current on the macro's thread");
		final ij.measure.ResultsTable results = ij.plugin.filter.Analyzer.getResultsTable();
		assertEquals(1, results.size(), "the results table is the system Results table (readable headless)");
		assertTrue(results.getValue("E_v W2^2", 0) >= 0);
	}

	@Test
	void withoutItTheDisplayStepRegistersEveryOutputTwice() throws Exception {
		// The failure this design avoids, reproduced: proves the emulated display step is not a no-op.
		final ImagePlus[] in = inputs();
		Interpreter.batchMode = true;
		for (final ImagePlus imp : in) imp.show();
		final int before = Interpreter.getBatchModeImageCount();
		final LegacyDisplayStep display = new LegacyDisplayStep();
		final CommandModule m = runAsFiji(in[0], in[1], display, false);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		assertEquals(5, display.shown.size());
		assertEquals(before + 10, Interpreter.getBatchModeImageCount());
	}

	@Test
	void outsideBatchModeTheGuiShowsEachOutputOnce() throws Exception {
		final ImagePlus[] in = inputs();
		final LegacyDisplayStep display = new LegacyDisplayStep();
		final CommandModule m = runAsFiji(in[0], in[1], display, true);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		assertEquals(5, display.shown.size(), "every image output reaches the display step");
		assertEquals(5, display.shown.stream().distinct().count(), "once each");
		assertEquals(0, Interpreter.getBatchModeImageCount(), "nothing registered outside batch mode");
	}
}
