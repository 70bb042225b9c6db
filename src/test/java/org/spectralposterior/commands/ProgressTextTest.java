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
		// Super-resolution (fine-grid stepper) and inpainting (pixel-domain stepper) say the same.
		final ImagePlus low = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "downsample", 2, "noise_sigma", 5.0).getOutput("degraded");
		image.setRoi(new ij.gui.Roi(10, 10, 6, 5));
		final ImagePlus holed = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "inpaint", "noise_sigma", 5.0).getOutput("degraded");
		image.deleteRoi();
		for (final ImagePlus measurement : new ImagePlus[] { low, holed }) {
			final CommandModule m = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", measurement, "method", "pigdm", "mode", "step by step", "steps", 20, "samples", 2);
			assertFalse(m.isCanceled(), () -> m.getCancelReason());
			final String text = ((SpectralCommand) m.getCommand()).lastDetail;
			assertNotNull(text, measurement.getTitle() + ": a status text was shown");
			assertTrue(text.matches("Posterior Sampling: (sample [12]/2|the output law's mean \\(a noise-free pass\\)) · step \\d+/20"), measurement.getTitle() + ": " + text);
		}
	}
}
