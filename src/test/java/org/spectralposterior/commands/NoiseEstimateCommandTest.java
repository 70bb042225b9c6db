package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;

/**
 * A real measurement (no recorded degradation) with an explicit operator and no noise_sigma: the noise
 * level is estimated from the image (never a silent σ = 0), said so in the table, and the posterior it
 * gives matches the one with the true σ.
 */
class NoiseEstimateCommandTest {

	@Test
	void anUnrecordedMeasurementGetsAnEstimatedNoiseLevel() throws Exception {
		final ImagePlus image = CommandsTest.gravel(128);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus made = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 2.0, "noise_sigma", 5.0, "seed", 4L).getOutput("degraded");
		// What a microscope gives: the same pixels, no Info.
		final ImagePlus real = new ImagePlus("real.tif", made.getProcessor().duplicate());
		final CommandModule auto = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", real, "operator", "gaussian", "blur_sigma", 2.0, "samples", 1);
		assertFalse(auto.isCanceled(), () -> auto.getCancelReason());
		final ResultsTable t = AnalysisCommandsTest.table(auto);
		assertEquals(5, t.getValue("noise_sigma", 0), 0.5, "σ estimated from the image");
		assertTrue(t.getStringValue("noise_sigma source", 0).startsWith("estimated"), t.getStringValue("noise_sigma source", 0));
		final CommandModule given = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", real, "operator", "gaussian", "blur_sigma", 2.0, "noise_sigma", "5", "samples", 1);
		final ResultsTable g = AnalysisCommandsTest.table(given);
		assertEquals("given", g.getStringValue("noise_sigma source", 0));
		final double stdAuto = t.getValue("output std per pixel", 0), stdTrue = g.getValue("output std per pixel", 0);
		assertEquals(stdTrue, stdAuto, 0.1 * stdTrue, "the posterior std with the estimate is the one with the true σ");
		CommandsTest.expectFailure(CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", real, "operator", "gaussian", "noise_sigma", "five"), "not auto or a finite number");
	}
}
