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

	/**
	 * SDEdit's table designed from the user's side (its first ᾱ is the start level, t0 made continuous):
	 * it beats the linear and cosine tables and the best integer t0 on the linear schedule, as Compare
	 * Samplers computes that one, and Posterior Sampling runs the saved table with t0 at its top.
	 */
	@Test
	void sdeditsDesignedTableBeatsItsBestStartTime(@TempDir final Path dir) throws Exception {
		final ImagePlus image = CommandsTest.gravel(33);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final int n = 6;
		final CommandModule m = CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", n, "criterion", "posterior", "method", "sdedit", "operator", "gaussian", "blur_sigma", 1.5,
			"noise_sigma", 4.0, "output_folder", dir.toFile());
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable summary = ResultsTable.open(dir.resolve("gravel_schedule_summary.csv").toString());
		final double designed = summary.getValue("E_v W2^2", 0), linear = summary.getValue("E_v W2^2", 1), cosine = summary.getValue("E_v W2^2", 2);
		assertTrue(designed < linear && designed < cosine, "designed " + designed + " < linear " + linear + ", cosine " + cosine);
		double bestT0 = Double.POSITIVE_INFINITY;
		for (final int t0 : new int[] { 50, 100, 150, 200, 300, 500 }) {
			final Path out = dir.resolve("t0_" + t0);
			out.toFile().mkdirs();
			final CommandModule c = CommandsTest.run(CompareSamplers.class, "prior", prior, "operator", "gaussian", "blur_sigma", 1.5, "noise_sigma", 4.0, "methods", "sdedit", "steps_list",
				String.valueOf(n), "t0", t0, "output_folder", out.toFile());
			assertFalse(c.isCanceled(), () -> c.getCancelReason());
			bestT0 = Math.min(bestT0, ResultsTable.open(out.resolve("gravel_compare.csv").toString()).getValue("E_v W2^2", 0));
		}
		System.out.println("SDEdit, gravel 33², blur 1.5, noise 4, n = " + n + ": E_v W2² designed table " + designed + ", best of t0 = 50…500 " + bestT0 + ", linear table " + linear);
		assertTrue(designed < bestT0, "designed " + designed + " < best t0 " + bestT0);
		final CommandModule d = CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 1.5, "noise_sigma", 4.0);
		final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", d.getOutput("degraded"), "method", "sdedit", "schedule", "table", "timesteps", n, "steps", n,
			"t0", n, "schedule_table", dir.resolve("gravel_schedule_table.csv").toString(), "samples", 1);
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

	@Test
	void aRobustDesignMinimisesTheSumOverTheNoiseLevels(@TempDir final Path dir) throws Exception {
		final ImagePlus image = CommandsTest.gravel(45);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final int n = 8;
		final double[] sigmas = { 2, 8 };
		final Path robustDir = dir.resolve("robust"), singleDir = dir.resolve("single");
		robustDir.toFile().mkdirs();
		singleDir.toFile().mkdirs();
		final CommandModule m = CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", n, "criterion", "posterior", "method", "pigdm", "operator", "gaussian", "blur_sigma", 1.5,
			"noise_list", "2,8", "base_step", "ddim", "eta", 0.0, "output_folder", robustDir.toFile());
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable summary = ResultsTable.open(robustDir.resolve("gravel_schedule_summary.csv").toString());
		// Rows: (designed, linear, cosine) at σ = 2, then at σ = 8, then their sums.
		assertEquals(9, summary.size());
		assertTrue(summary.getStringValue("search", 0).contains("robust: the sum over 2 noise levels"), summary.getStringValue("search", 0));
		for (int i = 0; i < 3; i++) {
			final double sum = summary.getValue("E_v W2^2", i) + summary.getValue("E_v W2^2", 3 + i);
			assertEquals(sum, summary.getValue("E_v W2^2", 6 + i), 1e-12 * sum, "row " + i + ": the sum row is the sum");
			assertEquals(sigmas[1], summary.getValue("noise_sigma", 3 + i), 0);
		}
		final double robustSum = summary.getValue("E_v W2^2", 6);
		assertTrue(robustSum < summary.getValue("E_v W2^2", 7) && robustSum < summary.getValue("E_v W2^2", 8), "the robust schedule beats linear and cosine on the sum");
		// The schedule designed for σ = 2 alone, scored at both levels (Compare Samplers on its table), is worse on the sum.
		final CommandModule single = CommandsTest.run(DesignNoiseSchedule.class, "prior", prior, "steps", n, "criterion", "posterior", "method", "pigdm", "operator", "gaussian", "blur_sigma",
			1.5, "noise_sigma", 2.0, "base_step", "ddim", "eta", 0.0, "output_folder", singleDir.toFile());
		assertFalse(single.isCanceled(), () -> single.getCancelReason());
		final ResultsTable one = ResultsTable.open(singleDir.resolve("gravel_schedule_summary.csv").toString());
		// The per-level linear and cosine rows of the robust run are the single-level run's (the same exact figures).
		assertEquals(one.getValue("E_v W2^2", 1), summary.getValue("E_v W2^2", 1), 1e-9 * one.getValue("E_v W2^2", 1));
		assertEquals(one.getValue("E_v W2^2", 2), summary.getValue("E_v W2^2", 2), 1e-9 * one.getValue("E_v W2^2", 2));
		double singleSum = 0;
		for (final double sigma : sigmas) {
			final Path out = dir.resolve("compare_" + (int) sigma);
			out.toFile().mkdirs();
			final CommandModule c = CommandsTest.run(CompareSamplers.class, "prior", prior, "operator", "gaussian", "blur_sigma", 1.5, "noise_sigma", sigma, "methods", "pigdm", "steps_list",
				String.valueOf(n), "schedule", "table", "timesteps", n, "schedule_table", singleDir.resolve("gravel_schedule_table.csv").toString(), "base_step", "ddim", "eta", 0.0,
				"output_folder", out.toFile());
			assertFalse(c.isCanceled(), () -> c.getCancelReason());
			singleSum += ResultsTable.open(out.resolve("gravel_compare.csv").toString()).getValue("E_v W2^2", 0);
		}
		System.out.printf("robust schedule design, σ ∈ {2, 8}: sum E_v W2² %.6g (robust) vs %.6g (designed for σ = 2 alone)%n", robustSum, singleSum);
		assertTrue(robustSum < singleSum, "robust " + robustSum + " < single-level design " + singleSum + " on the sum");
	}
}
