package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;

/**
 * Design Noise Schedule with criterion=posterior from the user's side: the reported E_v W2² of the
 * designed, linear and cosine schedules are what Compare Samplers computes for the same method and
 * operator with schedule=table (the saved table) or the named schedule, and Posterior Sampling runs the table.
 */
class ConditionalScheduleCommandTest {

	@Test
	void theReportedExpectedW2IsCompareSamplersOnTheSavedTable(@TempDir final Path dir) throws Exception {
		// An odd, non-power-of-two prior.
		final ImagePlus image = CommandsTest.gravel(45);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final int n = 8;
		final CommandModule m = CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", n, "criterion", "posterior", "method", "pigdm", "operator", "gaussian", "blur_sigma", 1.5,
			"noise_sigma", 4.0, "base_step", "ddim", "eta", 0.0, "output_folder", dir.toFile());
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable summary = ResultsTable.open(dir.resolve("gravel_schedule_summary.csv").toString());
		final double designed = summary.getValue("E_v W2^2", 0), linear = summary.getValue("E_v W2^2", 1), cosine = summary.getValue("E_v W2^2", 2);
		assertEquals("posterior", summary.getStringValue("criterion", 0));
		assertTrue(designed < linear && designed < cosine, "designed " + designed + " < linear " + linear + ", cosine " + cosine);
		final String csv = dir.resolve("gravel_schedule_table.csv").toString();
		final String[][] runs = { { "table", csv }, { "linear", "" }, { "cosine", "" } };
		final double[] reported = { designed, linear, cosine };
		for (int i = 0; i < runs.length; i++) {
			final Path out = dir.resolve("compare_" + runs[i][0]);
			out.toFile().mkdirs();
			final CommandModule c = CommandsTest.run(CompareSamplers.class, "prior", prior, "operator", "gaussian", "blur_sigma", 1.5, "noise_sigma", 4.0, "methods", "pigdm", "steps_list",
				String.valueOf(n), "schedule", runs[i][0], "timesteps", runs[i][0].equals("table") ? n : 1000, "schedule_table", runs[i][1], "base_step", "ddim", "eta", 0.0, "output_folder",
				out.toFile());
			assertFalse(c.isCanceled(), () -> c.getCancelReason());
			final double compared = ResultsTable.open(out.resolve("gravel_compare.csv").toString()).getValue("E_v W2^2", 0);
			assertEquals(compared, reported[i], 1e-9 * compared, runs[i][0] + ": Design Noise Schedule reports what Compare Samplers computes");
		}
		final CommandModule d = CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 1.5, "noise_sigma", 4.0);
		final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", d.getOutput("degraded"), "method", "pigdm", "schedule", "table", "timesteps", n, "steps", n,
			"base_step", "ddim", "schedule_table", csv, "samples", 1);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
	}

	@Test
	void refusesWhatHasNoExactSmoothPosteriorCriterion() throws Exception {
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(24)).getOutput("prior");
		final CommandModule r = CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", 4, "criterion", "posterior", "method", "ddrm");
		assertTrue(r.isCanceled() && r.getCancelReason().contains("pigdm"), r.getCancelReason());
		final CommandModule z = CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", 4, "criterion", "posterior", "method", "pigdm", "noise_sigma", 0.0);
		assertTrue(z.isCanceled() && z.getCancelReason().contains("noise_sigma > 0"), z.getCancelReason());
		final CommandModule f = CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", 4, "criterion", "posterior", "operator", PosteriorSampling.FROM_MEASUREMENT);
		assertTrue(f.isCanceled() && f.getCancelReason().contains("needs a measurement"), f.getCancelReason());
	}
}
