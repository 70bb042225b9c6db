package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.imagej.NumberLists;

/** Design Noise Schedule from the user's side: outputs, exact scores, and the saved table taken back by Posterior Sampling. */
class DesignNoiseScheduleTest {

	@Test
	void designsAScheduleThatPosteriorSamplingTakesBack(@TempDir final Path dir) throws Exception {
		final ImagePlus image = CommandsTest.gravel(48);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final CommandModule m = CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", 6, "criterion", "w2", "base_step", "ddim", "eta", 0.0, "output_folder", dir.toFile());
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ImagePlus plot = (ImagePlus) m.getOutput("plot");
		assertTrue(plot.getProperty(Plot.PROPERTY_KEY) instanceof Plot, "a plot window");
		final ResultsTable summary = ResultsTable.open(dir.resolve("gravel_schedule_summary.csv").toString());
		final double designed = summary.getValue("value", 0), linear = summary.getValue("value", 1), cosine = summary.getValue("value", 2);
		assertEquals("designed", summary.getStringValue("schedule", 0));
		assertTrue(designed < linear && designed < cosine, "designed " + designed + " < linear " + linear + ", cosine " + cosine);
		// The one-column table is a schedule_table file as it stands.
		final Path csv = dir.resolve("gravel_schedule_table.csv");
		assertTrue(Files.exists(csv));
		final double[] ab = NumberLists.values("schedule_table", NumberLists.resolve("schedule_table", csv.toString()), "a list");
		assertEquals(6, ab.length);
		for (int i = 1; i < ab.length; i++) assertTrue(ab[i] < ab[i - 1], "ᾱ_1 (least noisy) first");
		Schedule.parse("table", 6, NumberLists.resolve("schedule_table", csv.toString()));
		final CommandModule d = CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 1.0, "noise_sigma", 3.0);
		final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", d.getOutput("degraded"), "method", "pigdm", "schedule", "table", "timesteps", 6,
			"steps", 6, "schedule_table", csv.toString(), "samples", 1);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
	}

	@Test
	void aWarmStartDesignsAtFewerStepsFirst(@TempDir final Path dir) throws Exception {
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(40)).getOutput("prior");
		final Path cold = dir.resolve("cold"), warm = dir.resolve("warm"), cond = dir.resolve("conditional");
		for (final Path p : new Path[] { cold, warm, cond }) p.toFile().mkdirs();
		assertFalse(CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", 12, "output_folder", cold.toFile()).isCanceled());
		final CommandModule m = CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", 12, "warm_start", 4, "output_folder", warm.toFile());
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable w = ResultsTable.open(warm.resolve("gravel_schedule_summary.csv").toString()), c = ResultsTable.open(cold.resolve("gravel_schedule_summary.csv").toString());
		assertTrue(w.getStringValue("search", 0).contains("warm start from n = 4"), w.getStringValue("search", 0));
		assertTrue(w.getValue("value", 0) <= 1.01 * c.getValue("value", 0), "warm " + w.getValue("value", 0) + " vs cold " + c.getValue("value", 0));
		assertEquals(c.getValue("value", 1), w.getValue("value", 1), 0, "the same linear reference");
		final CommandModule p = CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", 8, "warm_start", 3, "criterion", "posterior", "operator", "gaussian", "blur_sigma", 1.5,
			"noise_sigma", 4.0, "output_folder", cond.toFile());
		assertFalse(p.isCanceled(), () -> p.getCancelReason());
		final ResultsTable pc = ResultsTable.open(cond.resolve("gravel_schedule_summary.csv").toString());
		assertTrue(pc.getStringValue("search", 0).contains("warm start from n = 3"), pc.getStringValue("search", 0));
		assertTrue(pc.getValue("E_v W2^2", 0) < Math.min(pc.getValue("E_v W2^2", 1), pc.getValue("E_v W2^2", 2)), "designed beats linear and cosine");
		CommandsTest.expectFailure(CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", 6, "warm_start", 6), "warm_start must be 0 (none) or a number of steps from 2 to steps − 1 = 5");
		CommandsTest.expectFailure(CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", 6, "warm_start", 1), "warm_start must be 0");
	}
}
