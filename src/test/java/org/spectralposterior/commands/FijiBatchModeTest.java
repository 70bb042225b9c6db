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
class FijiBatchModeTest {

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
	 * imagej-legacy's MacroPreprocessor (priority 20000): each input named in the options and convertible is
	 * set and resolved; image inputs take titles (its String → ImagePlus converter); others are skipped.
	 */
	static final class LegacyMacroStep extends org.scijava.module.process.AbstractPreprocessorPlugin {
		final String options;

		LegacyMacroStep(final String options) {
			this.options = options;
		}

		@Override
		public void process(final Module module) {
			for (final ModuleItem<?> item : module.getInfo().inputs()) {
				final String value = ij.Macro.getValue(options, item.getName(), null);
				if (value == null) continue;
				final Object converted;
				if (ImagePlus.class.isAssignableFrom(item.getType())) {
					converted = WindowManager.getImage(value);
					if (converted == null) continue;
				}
				else if (item.getType() == int.class) {
					try {
						converted = Integer.parseInt(value);
					}
					catch (final NumberFormatException e) {
						continue;
					}
				}
				else if (item.getType() == long.class) converted = Long.parseLong(value);
				else if (item.getType() == double.class) converted = Double.parseDouble(value);
				else if (item.getType() == String.class) converted = value;
				else continue;
				module.setInput(item.getName(), converted);
				module.resolveInput(item.getName());
			}
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
		// The whole Fiji path from an options string: legacy macro step, active-image step, SciJava's own
		// preprocessors with ours, the command, ours and the legacy display step.
		final ImagePlus[] in = inputs();
		Interpreter.batchMode = true;
		for (final ImagePlus imp : in) imp.show();
		// psf is given (and ignored: the operator comes from the measurement), so ground_truth is the single
		// unresolved image input that the active-image step would fill.
		final String options = "prior=" + in[0].getTitle() + " measurement=" + in[1].getTitle() + " psf=" + in[1].getTitle() + " samples=3 seed=4 operator=[from measurement]";
		final CommandService commands = CommandsTest.commands();
		final PluginService plugins = commands.context().service(PluginService.class);
		final ModuleService modules = commands.context().service(ModuleService.class);
		final List<org.scijava.module.process.ModulePreprocessor> pre = new ArrayList<>();
		pre.add(new LegacyMacroStep(options));
		pre.add(new ActiveImageStep());
		final DialogStep dialog = new DialogStep();
		for (final PreprocessorPlugin p : plugins.createInstancesOfType(PreprocessorPlugin.class)) {
			if (p.getClass().getName().startsWith("org.scijava.ui.") || p.getClass().getName().startsWith("org.scijava.widget.")) continue;
			pre.add(p);
		}
		pre.add(dialog);
		final LegacyDisplayStep display = new LegacyDisplayStep();
		final List<PostprocessorPlugin> post = new ArrayList<>();
		for (final PostprocessorPlugin p : plugins.createInstancesOfType(PostprocessorPlugin.class)) post.add(p instanceof DisplayPostprocessor ? display : p);
		final int before = Interpreter.getBatchModeImageCount();
		final java.util.function.Supplier<String> saved = MacroDefaults.options;
		MacroDefaults.options = () -> options;
		try {
			final CommandModule m = (CommandModule) modules.run(modules.createModule(commands.getCommand(PosteriorSampling.class)), pre, post, new HashMap<>()).get();
			assertFalse(m.isCanceled(), () -> m.getCancelReason());
			assertTrue(dialog.asked.isEmpty(), "no dialog: " + dialog.asked);
			assertEquals(null, m.getInput("ground_truth"), "the optional ground truth is not filled with the active image");
			assertEquals(3, m.getInput("samples"));
			assertEquals(before + 5, Interpreter.getBatchModeImageCount());
			assertSame(m.getOutput("samples_stack"), WindowManager.getCurrentImage());
			assertTrue(display.shown.isEmpty());
		}
		finally {
			MacroDefaults.options = saved;
		}
	}

	@Test
	void aMacroCallWithOptionsOpensNoDialog() throws Exception {
		final ImagePlus[] in = inputs();
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
			MacroDefaults.options = () -> "prior=gravel_prior measurement=gravel_degraded samples=3";
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
	void givenButUnconvertedKeysAreRefusedNotDefaulted() throws Exception {
		// imagej-legacy's MacroPreprocessor skips a value it cannot convert, leaving the input unresolved.
		final ImagePlus[] in = inputs();
		final CommandService commands = CommandsTest.commands();
		final ModuleService modules = commands.context().service(ModuleService.class);
		final String[][] cases = { { "steps=abc", "steps=abc is not a number" }, { "ground_truth=nosuch", "ground_truth=nosuch: no open image" }, { "ground_truth=none", null } };
		for (final String[] c : cases) {
			final MacroDefaults defaults = new MacroDefaults();
			commands.context().inject(defaults);
			final java.util.function.Supplier<String> saved = MacroDefaults.options;
			MacroDefaults.options = () -> "prior=p measurement=m " + c[0];
			try {
				final Map<String, Object> inputs = new HashMap<>();
				inputs.put("prior", in[0]);
				inputs.put("measurement", in[1]);
				inputs.put("samples", 2);
				final CommandModule m = (CommandModule) modules.run(modules.createModule(commands.getCommand(PosteriorSampling.class)), List.of(defaults), List.of(), inputs).get();
				if (c[1] == null) {
					assertFalse(defaults.isCanceled(), defaults.getCancelReason());
					assertNotNull(((SpectralCommand) m.getCommand()).result(), "ran without a ground truth");
				}
				else {
					assertTrue(defaults.isCanceled() && defaults.getCancelReason().startsWith(c[1]), String.valueOf(defaults.getCancelReason()));
					assertEquals(null, ((SpectralCommand) m.getCommand()).result(), "nothing ran");
				}
			}
			finally {
				MacroDefaults.options = saved;
			}
		}
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
