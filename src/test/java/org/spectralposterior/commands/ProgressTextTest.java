package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;

/** The status line says what a long run is doing: "Posterior Sampling: sample j/m · step i/n". */
class ProgressTextTest {

	@Test
	void aStepByStepRunSaysWhichSampleAndStep() throws Exception {
		final ImagePlus image = CommandsTest.gravel(32);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus degraded = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "noise_sigma", 5.0).getOutput("degraded");
		for (final String method : new String[] { "pigdm", "ddrm" }) {
			final CommandModule m = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", method, "mode", "step by step", "steps", 20, "samples", 2);
			assertFalse(m.isCanceled(), () -> m.getCancelReason());
			final String text = ((SpectralCommand) m.getCommand()).lastDetail;
			assertNotNull(text, method + ": a status text was shown");
			assertTrue(text.matches("Posterior Sampling: sample [12]/2 · step \\d+/20"), text);
		}
	}
}
