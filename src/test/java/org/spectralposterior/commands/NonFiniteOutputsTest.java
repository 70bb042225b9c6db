package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;

/** No image of ±∞/NaN is ever produced without the run saying so. */
class NonFiniteOutputsTest {

	@Test
	void anOverflowingNoiseLevelIsRefused(@TempDir final Path dir) throws Exception {
		final ImagePlus image = CommandsTest.gravel(32);
		CommandsTest.expectFailure(CommandsTest.run(SimulateDegradation.class, "image", image, "noise_sigma", 1e300, "output_folder", dir.toFile()), "far too large");
		CommandsTest.expectFailure(CommandsTest.run(SimulateDegradation.class, "image", image, "downsample", 2, "noise_sigma", 1e300), "32-bit");
		try (var files = Files.list(dir)) {
			assertFalse(files.findAny().isPresent(), "nothing written");
		}
	}

	@Test
	void aDivergedSamplerGivesATableThatSaysSoAndNoImages() throws Exception {
		final ImagePlus image = CommandsTest.gravel(40);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus degraded = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 2.0, "noise_sigma", 5.0).getOutput("degraded");
		// DPS with a guidance weight of 1e8 at each of 100 steps: the gain |a| ≫ 1 per step overflows.
		final String weights = String.join(",", java.util.Collections.nCopies(100, "1e8"));
		final CommandModule m = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "dps", "steps", 100, "samples", 2, "weights", "custom",
			"weight_list", weights);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final var r = ((SpectralCommand) m.getCommand()).result();
		final ResultsTable t = r.tables().values().iterator().next();
		assertTrue(t.getStringValue("status", 0).startsWith("diverged"), t.getStringValue("status", 0));
		assertTrue(r.images().isEmpty(), "no image of ±∞");
	}
}
