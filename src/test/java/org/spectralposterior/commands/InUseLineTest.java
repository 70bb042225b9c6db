package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;

/**
 * Fiji's in-use line (issue 10): SciJava's harvester cannot grey a field, but it re-reads a MESSAGE
 * item's text after every callback (DefaultWidgetModel#setValue queues the callback and then
 * InputPanel#refresh; SwingMessageWidget#doRefresh sets the text again — read in scijava-common and
 * scijava-ui-swing). So every field that a dialog rule of its command names must call refreshInUse, and
 * the line must name exactly the fields the current choices leave unused.
 */
class InUseLineTest {

	static List<Field> fields(final Class<?> c) {
		final List<Field> out = new ArrayList<>();
		for (Class<?> k = c; k != null && k != SpectralCommand.class; k = k.getSuperclass()) for (final Field f : k.getDeclaredFields()) if (f.getAnnotation(Parameter.class) != null) out.add(f);
		return out;
	}

	static java.util.Set<String> allFields() {
		final java.util.Set<String> out = new java.util.HashSet<>();
		for (final Class<?> c : OutputRolesTest.COMMANDS) for (final Field f : fields(c)) out.add(f.getName());
		for (final Field f : fields(Batch.class)) out.add(f.getName());
		return out;
	}

	@Test
	void everyFieldARuleNamesRefreshesTheLine() {
		for (final Class<?> c : OutputRolesTest.COMMANDS) checkCallbacks(c);
		checkCallbacks(Batch.class);
	}

	private static void checkCallbacks(final Class<?> c) {
		final Map<String, Field> byName = new HashMap<>();
		for (final Field f : fields(c)) byName.put(f.getName(), f);
		int rules = 0;
		final List<String> missing = new ArrayList<>();
		for (final Field f : fields(c)) {
			for (final Attr a : f.getAnnotation(Parameter.class).attrs()) {
				if (!a.name().equals(DialogRules.WHEN) || a.value().trim().equalsIgnoreCase("never")) continue;
				rules++;
				for (final String term : a.value().split("&")) {
					final String key = term.trim().split("!=|=|~")[0].trim();
					final Field driver = byName.get(key);
					if (driver == null) {
						// A term about a field the command lacks holds (DialogRules): a base class's rule may
						// speak of its subclasses' fields (AnalysisCommand's t0: methods~sdedit & method=sdedit).
						// A misspelt key would silently always hold, so it must name some command's field.
						if (!allFields().contains(key)) missing.add(c.getSimpleName() + "." + f.getName() + " names " + key);
						continue;
					}
					assertEquals("refreshInUse", driver.getAnnotation(Parameter.class).callback(), c.getSimpleName() + "." + key + " is named by the rule of " + f.getName());
				}
			}
		}
		assertTrue(missing.isEmpty(), "rule keys that name no field: " + missing);
		assertTrue(rules > 0 || c == SynthesizeTexture.class || c == BuildGaussianPrior.class || c == SimulateDegradation.class, c.getSimpleName() + " has rules");
	}

	@Test
	void theLineNamesTheUnusedFields() {
		final PosteriorSampling p = new PosteriorSampling();
		p.method = "exact posterior";
		final String exact = p.inUseText();
		assertTrue(exact.contains("steps") && exact.contains("t0") && exact.contains("eta"), exact);
		p.method = "pigdm";
		p.base_step = "ddim";
		final String pigdm = p.inUseText();
		assertFalse(pigdm.matches(".*[:,] steps[,.].*"), pigdm);
		assertTrue(pigdm.contains("t0"), "SDEdit's start is unused by ΠGDM: " + pigdm);
		assertFalse(pigdm.contains(" eta"), "DDIM uses η: " + pigdm);
		p.base_step = "ddpm";
		assertTrue(p.inUseText().contains("eta"), p.inUseText());
	}

	@Test
	void sciJavaRunsTheInitializerAndTheCallbacks() throws Exception {
		// SciJava's own module machinery (what Fiji's harvester drives): initialize() calls the line's
		// initializer; a changed choice's callback, found by name up the class hierarchy, updates the text.
		final org.scijava.command.CommandInfo info = DialogsTest.info(PosteriorSampling.LABEL);
		final org.scijava.module.Module module = info.createModule();
		final List<String> order = new ArrayList<>();
		for (final org.scijava.module.ModuleItem<?> item : info.inputs()) order.add(item.getName());
		// Fiji's harvester lays the inputs out in this order: the line is above the first heading.
		assertTrue(order.indexOf("in_use") < order.indexOf("heading1"), order.toString());
		module.initialize();
		final String first = (String) module.getInput("in_use");
		assertTrue(first.contains("steps"), "exact posterior by default: " + first);
		module.setInput("method", "pigdm");
		info.getInput("method").callback(module);
		final String after = (String) module.getInput("in_use");
		assertFalse(after.equals(first), after);
		assertTrue(after.contains("t0"), after);
	}
}
