package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Headless Fiji, {@code run("Posterior Sampling")} without options: imagej-legacy passes no options,
 * SciJava's harvester cannot show a dialog and its "required but unset" warning is dropped headless
 * (observed in imagej-legacy's runtime), so the run ended with no output and no word. It now ends
 * with a message naming the missing keys.
 */
class FijiHeadlessTest {

	@Test
	void aHeadlessRunWithoutOptionsSaysWhichKeysAreMissing() throws Exception {
		final java.util.function.BooleanSupplier saved = MacroDefaults.headless;
		MacroDefaults.headless = () -> true;
		try {
			final FijiBatchModeTest.FijiRun run = FijiBatchModeTest.runAsFijiMacro(PosteriorSampling.LABEL, null);
			assertNotNull(run.refusal(), "refused");
			assertTrue(run.refusal().contains("needs prior, measurement") && run.refusal().contains("run(\"Posterior Sampling\", \"prior=<title> measurement=<title>\")"), run.refusal());
			assertNull(((SpectralCommand) run.module().getCommand()).result(), "nothing ran");
		}
		finally {
			MacroDefaults.headless = saved;
		}
	}
}
