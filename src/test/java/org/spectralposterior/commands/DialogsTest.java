package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ij.ImagePlus;
import ij.macro.Interpreter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.ModulePreprocessor;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.PluginService;

/**
 * The dialogs' rules (headings, units, when a field is used, help) and the remembered values of
 * interactive runs. The interactive Fiji route is emulated with SciJava's real pipeline, a "user"
 * step standing where the input harvester runs (priority −10000, read in scijava-common's
 * InputHarvester), between our MacroDefaults (which loads what was remembered) and KeepChosen.
 */
class DialogsTest {

	@AfterEach
	void reset() {
		// Tests share one JVM: leave no batch-mode image behind for the next one to find by title.
		for (final int id : Interpreter.getBatchModeImageIDs()) Interpreter.removeBatchModeImage(Interpreter.getBatchModeImage(id));
		Interpreter.batchMode = false;
		ij.WindowManager.setTempCurrentImage(null);
	}

	private static List<CommandInfo> ours() {
		return CommandsTest.commands().getCommands().stream().filter(c -> c.getClassName().startsWith("org.spectralposterior.commands.")).toList();
	}

	static CommandInfo info(final String label) {
		return ours().stream().filter(c -> c.getTitle().equals(label)).findFirst().orElseThrow();
	}

	@Test
	void everyRuleNamesParametersOfItsOwnCommand() {
		int rules = 0;
		for (final CommandInfo info : ours()) {
			final Set<String> keys = Options.parameters(info).keySet();
			for (final ModuleItem<?> item : Options.parameters(info).values()) {
				final String when = item.get(DialogRules.WHEN);
				if (when == null || when.equals("never")) continue;
				rules++;
				boolean anyKnown = false;
				for (final String term : when.split("&")) {
					final String key = term.trim().split("!=|=|~")[0].trim();
					anyKnown |= keys.contains(key);
				}
				// A term about another command's key holds vacuously; a rule with no key of its own command is a typo.
				assertTrue(anyKnown, info.getTitle() + " " + item.getName() + ": rule '" + when + "' names no parameter of the command");
				// And it evaluates (a malformed term throws).
				DialogRules.used(item, k -> "x");
			}
		}
		assertTrue(rules > 30, "rules found: " + rules);
	}

	@Test
	void posteriorSamplingGreysWhatTheChosenMethodAndOperatorDoNotUse() {
		final Map<String, ModuleItem<?>> p = Options.parameters(info(PosteriorSampling.LABEL));
		final Map<String, String> now = new HashMap<>(Map.of("method", "exact posterior", "operator", "from measurement", "base_step", "ddpm", "schedule", "linear", "weights", "heuristic", "mode", "closed form"));
		assertFalse(DialogRules.used(p.get("steps"), now::get));
		assertFalse(DialogRules.used(p.get("blur_sigma"), now::get));
		assertFalse(DialogRules.used(p.get("noise_sigma"), now::get), "σ comes from the measurement");
		assertTrue(DialogRules.used(p.get("samples"), now::get));
		now.put("method", "pigdm");
		assertTrue(DialogRules.used(p.get("steps"), now::get));
		assertFalse(DialogRules.used(p.get("eta"), now::get));
		assertFalse(DialogRules.used(p.get("t0"), now::get));
		assertFalse(DialogRules.used(p.get("weight_list"), now::get));
		assertFalse(DialogRules.used(p.get("trajectory_every"), now::get));
		now.put("base_step", "DDIM");
		now.put("weights", "custom");
		now.put("mode", "step by step");
		assertTrue(DialogRules.used(p.get("eta"), now::get), "values compare without case");
		assertTrue(DialogRules.used(p.get("weight_list"), now::get));
		assertTrue(DialogRules.used(p.get("trajectory_every"), now::get));
		now.put("method", "sdedit");
		assertTrue(DialogRules.used(p.get("t0"), now::get));
		now.put("operator", "gaussian");
		assertTrue(DialogRules.used(p.get("blur_sigma"), now::get));
		assertTrue(DialogRules.used(p.get("noise_sigma"), now::get));
		assertFalse(DialogRules.used(p.get("motion_length"), now::get));
		assertEquals("px", DialogRules.unit(p.get("blur_sigma")));
	}

	@Test
	void compareUsesT0OnlyWhenItsListHasSdeditAndTuneOnlyForSdedit() {
		final ModuleItem<?> compareT0 = Options.parameters(info(CompareSamplers.LABEL)).get("t0");
		assertFalse(DialogRules.used(compareT0, Map.of("methods", "dps,pigdm")::get));
		assertFalse(DialogRules.used(compareT0, Map.of("methods", "dps,sdedit-like")::get), "an item of the list, not a substring");
		assertTrue(DialogRules.used(compareT0, Map.of("methods", "dps, sdedit")::get));
		final ModuleItem<?> tuneT0 = Options.parameters(info(TuneSamplerWeights.LABEL)).get("t0");
		for (final Object m : Options.parameters(info(TuneSamplerWeights.LABEL)).get("method").getChoices()) {
			// SDEdit's t0 is what Tune Sampler Weights tunes for it (the given t0 is the reference row).
			assertEquals(m.toString().equals("sdedit"), DialogRules.used(tuneT0, Map.of("method", m.toString())::get), m.toString());
		}
	}

	/**
	 * A field marked to share the previous field's row (the plain-ImageJ dialog's addToSameRow) follows
	 * an offered field, never a heading — beside a heading it would be dropped onto the heading's line —
	 * and the long Posterior Sampling dialog uses it (it was 940 px tall under Xvfb, beyond a 900-px laptop screen).
	 */
	@Test
	void sameRowFieldsFollowAFieldNeverAHeading() {
		int marked = 0;
		for (final CommandInfo info : ours()) {
			boolean afterField = false;
			for (final ModuleItem<?> item : info.inputs()) {
				if (DialogRules.isLive(item)) continue;
				if (DialogRules.isHeading(item)) {
					afterField = false;
					continue;
				}
				if (!DialogRules.offered(item)) continue;
				if (DialogRules.sameRow(item)) {
					marked++;
					assertTrue(afterField, info.getTitle() + ": " + item.getName() + " shares a row but follows a heading");
				}
				afterField = true;
			}
		}
		long inPosteriorSampling = 0;
		for (final ModuleItem<?> item : info(PosteriorSampling.LABEL).inputs()) if (DialogRules.sameRow(item)) inPosteriorSampling++;
		assertTrue(inPosteriorSampling >= 5 && marked > inPosteriorSampling, "rows shared: " + inPosteriorSampling + " in Posterior Sampling, " + marked + " in all");
	}

	@Test
	void headingsAndTheHelpButtonAreNoMacroKeys() {
		final CommandInfo info = info(PosteriorSampling.LABEL);
		assertFalse(Options.parameters(info).containsKey("heading1"));
		assertFalse(Options.parameters(info).containsKey("help"));
		assertFalse(Options.parameters(info).containsKey("in_use"), "Fiji's in-use line is no macro key");
		assertTrue(java.util.stream.StreamSupport.stream(info.inputs().spliterator(), false).anyMatch(DialogRules::isLive), "Fiji's dialog has the in-use line");
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.convert(info, Options.tokenize("heading1=x"), Options::byTitle, Set.of()));
		assertTrue(e.getMessage().contains("Unknown parameter 'heading1'"), e.getMessage());
		final long headings = java.util.stream.StreamSupport.stream(info.inputs().spliterator(), false).filter(DialogRules::isHeading).count();
		assertEquals(5, headings);
	}

	@Test
	void everyCommandHasHeadingsAndAHelpListingEachKeyWithItsDefault() {
		for (final CommandInfo info : ours()) {
			final String html = DialogRules.helpHtml(info);
			assertTrue(html.startsWith("<html>"), "ImageJ shows help text that starts with <html> in a window");
			for (final String key : Options.parameters(info).keySet()) {
				if (DialogRules.offered(Options.parameters(info).get(key))) assertTrue(html.contains("<code>" + key + "</code>"), info.getTitle() + ": " + key);
			}
			assertTrue(java.util.stream.StreamSupport.stream(info.inputs().spliterator(), false).anyMatch(DialogRules::isHeading), info.getTitle() + " has headings");
			// The output folder, where there is one, is the last field of the dialog.
			final List<String> keys = new ArrayList<>(Options.parameters(info).keySet());
			if (keys.contains("output_folder") && !info.getTitle().equals("Batch")) assertEquals("output_folder", keys.get(keys.size() - 1), info.getTitle());
		}
		assertTrue(DialogRules.helpHtml(info(PosteriorSampling.LABEL)).contains("<td>16</td>"), "the default number of samples");
	}

	@Test
	void booleansAreReadStrictly() {
		final ModuleItem<?> heun = Options.parameters(info("Continuous-Time Schemes")).get("notebook_heun");
		assertEquals(true, Options.value(heun, "TRUE", Options::byTitle));
		assertEquals(false, Options.value(heun, "false", Options::byTitle));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.value(heun, "yes", Options::byTitle));
		assertTrue(e.getMessage().contains("notebook_heun=true"), e.getMessage());
	}

	/** The user at the dialog: sets what they typed (and the image they picked) and presses OK. */
	private static final class UserStep extends AbstractPreprocessorPlugin {
		final Map<String, Object> typed;
		final Map<String, Object> shown = new HashMap<>();

		UserStep(final Map<String, Object> typed) {
			this.typed = typed;
		}

		@Override
		public void process(final Module module) {
			for (final String key : Options.parameters(module.getInfo()).keySet()) shown.put(key, module.getInput(key));
			for (final Map.Entry<String, Object> e : typed.entrySet()) module.setInput(e.getKey(), e.getValue());
			for (final ModuleItem<?> item : module.getInfo().inputs()) module.resolveInput(item.getName());
		}
	}

	/** One run through SciJava's pipeline with the user step at the harvester's place; returns the values the dialog showed. */
	private static Map<String, Object> interactive(final String label, final String options, final Map<String, Object> typed) throws Exception {
		return interactive(label, options, typed, new HashMap<>());
	}

	/** As above, with inputs a caller (a script) passed: SciJava resolves them before any preprocessor. */
	private static Map<String, Object> interactive(final String label, final String options, final Map<String, Object> typed, final Map<String, Object> preset) throws Exception {
		final PluginService plugins = CommandsTest.commands().context().service(PluginService.class);
		final ModuleService modules = CommandsTest.commands().context().service(ModuleService.class);
		final UserStep user = new UserStep(typed);
		final List<ModulePreprocessor> pre = new ArrayList<>();
		for (final PreprocessorPlugin p : plugins.createInstancesOfType(PreprocessorPlugin.class)) {
			if (p.getClass().getName().startsWith("org.scijava.ui.") || p.getClass().getName().startsWith("org.scijava.widget.")) continue;
			if (p instanceof MacroDefaults.KeepChosen) pre.add(user);
			pre.add(p);
		}
		final List<PostprocessorPlugin> post = plugins.createInstancesOfType(PostprocessorPlugin.class).stream().filter(p -> !(p instanceof org.scijava.display.DisplayPostprocessor)).toList();
		final java.util.function.Supplier<String> savedOptions = MacroDefaults.options;
		final java.util.function.BooleanSupplier savedHeadless = MacroDefaults.headless;
		MacroDefaults.options = () -> options;
		MacroDefaults.headless = () -> false;
		try {
			final CommandModule m = (CommandModule) modules.run(modules.createModule(info(label)), pre, post, preset).get();
			assertTrue(pre.indexOf(user) > pre.indexOf(pre.stream().filter(p -> p instanceof MacroDefaults).findFirst().orElseThrow()));
			if (options == null) user.shown.put("module", m);
			return options == null ? user.shown : Map.of("module", m);
		}
		finally {
			MacroDefaults.options = savedOptions;
			MacroDefaults.headless = savedHeadless;
		}
	}

	@Test
	void interactiveValuesAreRememberedAlsoAfterAnErrorAndMacrosKeepTheDefaults() throws Exception {
		final CommandInfo info = info(SimulateDegradation.LABEL);
		Remembered.forget(info);
		final ImagePlus clean = CommandsTest.gravel(32);
		clean.setTitle("dialogs_clean");
		Interpreter.batchMode = true;
		clean.show();
		// First interactive run: the dialog shows the documented defaults.
		Map<String, Object> shown = interactive(SimulateDegradation.LABEL, null, Map.of("image", clean, "blur_sigma", 3.5, "noise_sigma", 7.0, "seed", 9L));
		assertEquals(2.0, shown.get("blur_sigma"));
		// Second: what was typed, although the user typed nothing this time but an operator that fails.
		shown = interactive(SimulateDegradation.LABEL, null, Map.of("image", clean, "operator", "psf"));
		assertEquals(3.5, shown.get("blur_sigma"));
		assertEquals(7.0, shown.get("noise_sigma"));
		assertEquals(9L, shown.get("seed"));
		// The psf run failed (no PSF image): its choice is still what the dialog reopens with.
		shown = interactive(SimulateDegradation.LABEL, null, Map.of("image", clean, "operator", "gaussian"));
		assertEquals("psf", shown.get("operator"));
		assertSame(clean, shown.get("image"), "images are not remembered: the clean image starts on one this plugin did not make, not on the run's output");
		// A macro that leaves keys out gets the defaults, not the remembered values, and leaves them alone.
		final CommandModule macro = (CommandModule) interactive(SimulateDegradation.LABEL, "image=dialogs_clean", Map.of()).get("module");
		assertEquals(2.0, macro.getInput("blur_sigma"));
		assertEquals(5.0, macro.getInput("noise_sigma"));
		assertEquals(1L, macro.getInput("seed"));
		shown = interactive(SimulateDegradation.LABEL, null, Map.of("image", clean));
		assertEquals("gaussian", shown.get("operator"));
		assertEquals(3.5, shown.get("blur_sigma"));
		Remembered.forget(info);
	}

	@Test
	void imageFieldsStartOnAnImageOfTheirKind() {
		final List<String> open = List.of("gravel.png", "gravel_prior", "gravel_degraded", "other_prior", "gravel_degraded-1", "notes.tif");
		final Map<String, String> kinds = Map.of("gravel_prior", "prior", "other_prior", "prior", "gravel_degraded", "measurement", "gravel_degraded-1", "measurement");
		// The current image wins when it is of the wanted kind …
		assertEquals("gravel_prior", ImageDefaults.choose("prior", true, open, kinds, "gravel_prior"));
		assertEquals("gravel_degraded", ImageDefaults.choose("measurement", true, open, kinds, "gravel_degraded"));
		// … else the newest of that kind, whatever is current (the exemplar, in the tutorial).
		assertEquals("other_prior", ImageDefaults.choose("prior", true, open, kinds, "gravel.png"));
		assertEquals("gravel_degraded-1", ImageDefaults.choose("measurement", true, open, kinds, "gravel.png"));
		// An optional field takes only the current image of its kind: a measurement or a shared prior the
		// user did not pick would change the run (an analysis's operator, Batch's prior).
		assertEquals(ImageDefaults.NONE, ImageDefaults.choose("measurement", false, open, kinds, "gravel.png"));
		assertEquals("gravel_degraded", ImageDefaults.choose("measurement", false, open, kinds, "gravel_degraded"));
		assertEquals(ImageDefaults.NONE, ImageDefaults.choose("prior", false, open, kinds, "gravel_degraded"));
		// Fields other than a prior list no priors.
		assertEquals(List.of("gravel.png", "gravel_degraded", "gravel_degraded-1", "notes.tif"), ImageDefaults.fitting("measurement", open, kinds));
		assertEquals(List.of("gravel_prior", "other_prior"), ImageDefaults.fitting("prior", open, kinds));
		// An optional measurement with none open, and every other optional field, start on none.
		assertEquals(ImageDefaults.NONE, ImageDefaults.choose("measurement", false, List.of("gravel.png", "gravel_prior"), kinds, "gravel.png"));
		assertEquals(ImageDefaults.NONE, ImageDefaults.choose("ground_truth", false, open, kinds, "gravel.png"));
		assertEquals(ImageDefaults.NONE, ImageDefaults.choose("psf", false, open, kinds, "notes.tif"));
		// The image a prior is learnt from or a degradation simulated on: one this plugin did not make.
		assertEquals("notes.tif", ImageDefaults.choose("image", true, open, kinds, "notes.tif"));
		assertEquals("notes.tif", ImageDefaults.choose("image", true, open, kinds, "gravel_degraded-1"));
		assertEquals("gravel.png", ImageDefaults.choose("image", true, open.subList(0, 5), kinds, "gravel_degraded-1"));
		// A required field of a kind none has takes the current image, else the first.
		assertEquals("gravel.png", ImageDefaults.choose("measurement", true, List.of("gravel.png", "notes.tif"), kinds, null));
		assertEquals("notes.tif", ImageDefaults.choose("measurement", true, List.of("gravel.png", "notes.tif"), kinds, "notes.tif"));
	}

	@Test
	void fijisDialogStartsOnThePriorAndTheNewestMeasurement() throws Exception {
		final CommandInfo info = info(PosteriorSampling.LABEL);
		Remembered.forget(info);
		Interpreter.batchMode = true;
		final ImagePlus exemplar = CommandsTest.gravel(24);
		exemplar.setTitle("kind_exemplar");
		exemplar.show();
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", exemplar).getOutput("prior");
		prior.setTitle("kind_prior");
		prior.show();
		final ImagePlus older = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", exemplar, "seed", 1L).getOutput("degraded");
		older.setTitle("kind_degraded_old");
		older.show();
		final ImagePlus newer = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", exemplar, "seed", 2L).getOutput("degraded");
		newer.setTitle("kind_degraded_new");
		newer.show();
		try {
			// The current image again the exemplar, as after a user clicks it (batch mode's selectImage: its
			// current image is global, not per thread, so the command's own thread sees it too).
			Interpreter.activateImage(exemplar);
			Map<String, Object> shown = interactive(PosteriorSampling.LABEL, null, Map.of("samples", 1));
			// Which prior and measurement depends on the command thread's current image (see below); their kinds do not.
			assertEquals("prior", org.spectralposterior.imagej.Metadata.kind((ImagePlus) shown.get("prior")));
			assertEquals("measurement", org.spectralposterior.imagej.Metadata.kind((ImagePlus) shown.get("measurement")));
			assertNull(shown.get("ground_truth"), "an optional field the user did not ask for starts on none");
			// A measurement that is current is the one the dialog starts on. (Asked on this thread: the command's
			// SciJava pool thread may hold a temporary current image another test left, which ImageJ prefers
			// to batch mode's — the pipeline run above saw that once in CI.)
			ij.WindowManager.setTempCurrentImage(older);
			try {
				assertSame(older, ImageDefaults.open("measurement", true));
				ij.WindowManager.setTempCurrentImage(exemplar);
				assertSame(prior, ImageDefaults.open("prior", true), "the newest prior when the current image is none");
				assertSame(newer, ImageDefaults.open("measurement", true), "the newest measurement when the current image is none");
				ij.WindowManager.setTempCurrentImage(older);
				assertSame(older, ImageDefaults.open("measurement", false), "an optional measurement takes the current one");
				assertSame(prior, ImageDefaults.open("prior", true));
			}
			finally {
				ij.WindowManager.setTempCurrentImage(null);
			}
			// A macro leaves its omitted optional image alone: no default is filled in.
			final CommandModule macro = (CommandModule) interactive(PosteriorSampling.LABEL, "prior=kind_prior measurement=kind_degraded_new samples=1", Map.of()).get("module");
			assertNull(macro.getInput("ground_truth"));
		}
		finally {
			for (final ImagePlus imp : new ImagePlus[] { exemplar, prior, older, newer }) imp.close();
			Remembered.forget(info);
		}
	}

	/**
	 * Fiji's interactive path corrects a real image's operator only where the caller left it open: a
	 * script that passes operator=[from measurement] with a real image fails as it asked, while a dialog
	 * that offers the operator opens on gaussian.
	 */
	@Test
	void aCallersOperatorIsNeverCorrected() throws Exception {
		final CommandInfo info = info(PosteriorSampling.LABEL);
		Remembered.forget(info);
		final ImagePlus image = CommandsTest.gravel(24);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus made = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image).getOutput("degraded");
		final ImagePlus real = new ImagePlus("real_for_script.tif", made.getProcessor().duplicate());
		try {
			final Map<String, Object> set = new HashMap<>(Map.of("prior", prior, "measurement", real, "operator", PosteriorSampling.FROM_MEASUREMENT, "samples", 1));
			final CommandModule script = (CommandModule) interactive(PosteriorSampling.LABEL, null, Map.of(), set).get("module");
			assertTrue(script.isCanceled() && script.getCancelReason().contains("choose operator and noise_sigma explicitly"), String.valueOf(script.getCancelReason()));
			final Map<String, Object> dialog = interactive(PosteriorSampling.LABEL, null, Map.of(), new HashMap<>(Map.of("prior", prior, "measurement", real, "samples", 1)));
			assertEquals("gaussian", dialog.get("operator"), "the dialog offers an explicit operator for a real image");
		}
		finally {
			Remembered.forget(info);
		}
	}

	@Test
	void staleRememberedValuesFallBackToTheDefault() {
		final CommandInfo info = info(PosteriorSampling.LABEL);
		Remembered.forget(info);
		Remembered.save(info, Map.of("method", "pigdm", "steps", 20, "eta", 0.25, "output_folder", new java.io.File("/tmp/x y")));
		ij.Prefs.set("spectralposterior.posterior_sampling.mode", "sideways");
		final Map<String, Object> back = Remembered.load(info);
		assertEquals("pigdm", back.get("method"));
		assertEquals(20, back.get("steps"));
		assertEquals(0.25, back.get("eta"));
		assertEquals(new java.io.File("/tmp/x y"), back.get("output_folder"));
		assertFalse(back.containsKey("mode"), "a choice that no longer exists is dropped");
		// A number the run refused is shown again as typed (the plain-ImageJ dialog keeps its fields' text
		// before reading them), so the user corrects it; text that is no number falls back to the default.
		Remembered.saveTexts(info, Map.of("samples", "0", "seed", "77", "eta", "abc"));
		final Map<String, Object> typed = Remembered.load(info);
		assertEquals(0, typed.get("samples"));
		assertEquals(77L, typed.get("seed"));
		assertFalse(typed.containsKey("eta"));
		Remembered.forget(info);
	}
}
