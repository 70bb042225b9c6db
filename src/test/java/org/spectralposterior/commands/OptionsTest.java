package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.scijava.command.CommandInfo;

/** The shared parser on its own: tokens as ImageJ's recorder writes them, strict values. */
class OptionsTest {

	private static CommandInfo sampling() {
		return CommandsTest.commands().getCommand(PosteriorSampling.class);
	}

	@Test
	void tokenisesRecordedOptions() {
		// The recorder brackets values with spaces and ends the string with a space; empty values stay empty.
		final Map<String, String> t = Options.tokenize("method=[exact posterior] samples=16  weight_list=[] output_folder= seed=-4 ");
		assertEquals(Map.of("method", "exact posterior", "samples", "16", "weight_list", "", "output_folder", "", "seed", "-4"), t);
		assertEquals(java.util.List.of("method", "samples", "weight_list", "output_folder", "seed"), java.util.List.copyOf(t.keySet()));
	}

	@Test
	void readsEachKeyOnceNotBySubstring() {
		// ij.Macro.getValue found "steps=" inside "train_steps=": a token is a whole key.
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> Options.convert(sampling(), Options.tokenize("train_steps=100"), Options::byTitle, Set.of()));
		assertTrue(e.getMessage().startsWith("Unknown parameter 'train_steps'") && e.getMessage().contains("timesteps"), e.getMessage());
		assertEquals(Map.of(), Options.convert(sampling(), Options.tokenize(""), Options::byTitle, Set.of()));
	}

	@Test
	void convertsStrictlyByType() {
		final Map<String, Object> v = Options.convert(sampling(), Options.tokenize("samples=+3 seed=-9223372036854775808 eta=1e-1 method=PiGDM mode=[Step By Step] ground_truth=none"),
			Options::byTitle, Set.of());
		assertEquals(3, v.get("samples"));
		assertEquals(Long.MIN_VALUE, v.get("seed"));
		assertEquals(0.1, v.get("eta"));
		assertEquals("pigdm", v.get("method"), "choices are case-insensitive and come back as written in the command");
		assertEquals("step by step", v.get("mode"));
		assertTrue(v.containsKey("ground_truth") && v.get("ground_truth") == null, "none: no optional image");
	}

	@Test
	void unterminatedBracketsAndBareWordsAreRefused() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.tokenize("method=[exact posterior samples=2")).getMessage().contains("has no closing ']'"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.fromArguments(new String[] { "=3" })).getMessage().contains("is not of the form key=value"));
		assertEquals(Map.of("method", "exact posterior"), Options.fromArguments(new String[] { "method=[exact posterior]" }), "the command line accepts macro brackets too");
	}
}
