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

	/** The analyses say which method, curve point, iteration or run they are at, not only a bar. */
	@Test
	void theAnalysesSayWhatTheyAreAt() throws Exception {
		final ImagePlus image = CommandsTest.gravel(32);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final Object[][] runs = {
			{ CompareSamplers.class, new Object[] { "methods", "pigdm,dps", "steps_list", "5,10" }, "Compare Samplers: (PiGDM|DPS)[^·]* · n = (5|10) · curve point [1-4]/4" },
			{ TuneSamplerWeights.class, new Object[] { "method", "pigdm", "steps", 8, "iterations", 10 }, "Tune Sampler Weights: PiGDM · 8 steps · (L-BFGS iteration \\d+/10|best constant weight: grid point \\d+/25)" },
			{ TransferFunctions.class, new Object[] { "methods", "pigdm,ddnm" }, "Transfer Functions: (PiGDM|DDNM)[^·]* · method [12]/2" },
			{ SynthesizeTexture.class, new Object[] { "samples", 3 }, "Synthesize Texture: texture [1-3]/3" } };
		for (final Object[] run : runs) {
			final Object[] kv = (Object[]) run[1];
			final Object[] all = new Object[kv.length + 2];
			all[0] = "prior";
			all[1] = prior;
			System.arraycopy(kv, 0, all, 2, kv.length);
			@SuppressWarnings("unchecked")
			final CommandModule m = CommandsTest.run((Class<? extends SpectralCommand>) run[0], all);
			assertFalse(m.isCanceled(), () -> m.getCancelReason());
			final String text = ((SpectralCommand) m.getCommand()).lastDetail;
			assertNotNull(text, run[0] + ": a status text was shown");
			assertTrue(text.matches((String) run[2]), text);
		}
	}
}
