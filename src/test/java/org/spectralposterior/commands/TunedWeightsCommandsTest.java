package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;
import org.spectralposterior.core.diffusion.FrequencyBands;

/**
 * Tuned weights handed from Tune Sampler Weights to Posterior Sampling as a table ({@code weights=tuned
 * tuned_table=…}): a GUI user cannot copy a 1000-value weight_list out of a table cell (ImageJ copies
 * whole rows), so the table itself is the hand-over. Per step and per step and band (issue 11), with
 * the loss the tuning reported reproduced exactly by the sampling run, and weights tuned for another
 * method or another step grid refused. Headless tests have no table windows, so the table travels as
 * the CSV the tuning saved (the same reader serves an open table's title at the screen).
 */
class TunedWeightsCommandsTest {

	private static ImagePlus prior, degraded;

	@BeforeAll
	static void problem() throws Exception {
		final ImagePlus image = CommandsTest.gravel(40);
		prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		degraded = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 1.5, "noise_sigma", 4.0, "seed", 3L).getOutput("degraded");
	}

	private static Map<String, ResultsTable> tables(final CommandModule m) {
		return ((SpectralCommand) m.getCommand()).result().tables();
	}

	private static CommandModule tune(final Path dir, final Object... more) throws Exception {
		final Object[] base = { "prior", prior, "measurement", degraded, "method", "pigdm", "steps", 12, "iterations", 60, "output_folder", dir.toFile() };
		final Object[] all = new Object[base.length + more.length];
		System.arraycopy(base, 0, all, 0, base.length);
		System.arraycopy(more, 0, all, base.length, more.length);
		final CommandModule m = CommandsTest.run(TuneSamplerWeights.class, all);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		return m;
	}

	private static CommandModule sample(final Object... more) throws Exception {
		final Object[] base = { "prior", prior, "measurement", degraded, "method", "pigdm", "steps", 12, "samples", 2, "seed", 1L };
		final Object[] all = new Object[base.length + more.length];
		System.arraycopy(base, 0, all, 0, base.length);
		System.arraycopy(more, 0, all, base.length, more.length);
		return CommandsTest.run(PosteriorSampling.class, all);
	}

	@Test
	void etaPerStepIsDesignedWithTheWeightsAndSampledWithItsExactLoss(@TempDir final Path dir) throws Exception {
		final CommandModule m = tune(dir, "parametrisation", "weights and eta per step", "base_step", "ddim", "eta", 0.5);
		final Map<String, ResultsTable> t = tables(m);
		final ResultsTable w = t.get("gravel_pigdm_tuned_weights"), summary = t.get("gravel_pigdm_tuning");
		assertTrue(w.columnExists("eta") && w.columnExists("tuned"));
		final double perStep = summary.getValue("E_v W2^2", 2), withEta = summary.getValue("E_v W2^2", 3);
		assertTrue(summary.getStringValue("weights", 3).startsWith("tuned weights and η per step"), summary.getStringValue("weights", 3));
		assertTrue(withEta < perStep, "η per step " + withEta + " < per step at η = 0.5 " + perStep);
		double lo = 1, hi = 0;
		for (int j = 0; j < 12; j++) {
			lo = Math.min(lo, w.getValue("eta", j));
			hi = Math.max(hi, w.getValue("eta", j));
		}
		assertTrue(hi - lo > 0.1, "the design moves η away from one value: " + lo + ".." + hi);
		final Path csv = dir.resolve("gravel_pigdm_tuned_weights.csv");
		final CommandModule s = sample("weights", "tuned", "tuned_table", csv.toString(), "base_step", "ddim", "eta", 0.5);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		final ResultsTable row = AnalysisCommandsTest.table(s);
		assertEquals(withEta, row.getValue("E_v W2^2", 0), 1e-9 * withEta);
		assertTrue(row.getStringValue("base step", 0).contains("η per step"), row.getStringValue("base step", 0));
		final CommandModule st = sample("weights", "tuned", "tuned_table", csv.toString(), "base_step", "ddim", "mode", "step by step");
		assertFalse(st.isCanceled(), () -> st.getCancelReason());
		CommandsTest.expectFailure(sample("weights", "tuned", "tuned_table", csv.toString(), "base_step", "ddpm"), "set base_step=ddim");
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "pigdm", "steps", 5, "parametrisation", "weights and eta per step"), "set base_step=ddim");
	}

	/**
	 * smooth_basis=4: the summary gains the smooth stage's row (exact, between the best constant and the
	 * per-step optimum that continues from it), and the tuned weights are the per-step search's; refused
	 * with band weights and beyond the number of steps.
	 */
	@Test
	void aSmoothStageInTComesBeforeThePerStepSearch(@TempDir final Path dir) throws Exception {
		final CommandModule m = tune(dir, "smooth_basis", 4);
		final ResultsTable summary = tables(m).get("gravel_pigdm_tuning");
		assertTrue(summary.getStringValue("weights", 2).startsWith("smooth in t (4 cosines"), summary.getStringValue("weights", 2));
		final double constant = summary.getValue("E_v W2^2", 1), smooth = summary.getValue("E_v W2^2", 2), tuned = summary.getValue("E_v W2^2", 3);
		assertTrue(smooth < constant && tuned <= smooth * (1 + 1e-9), "constant " + constant + " ≥ smooth " + smooth + " ≥ per step " + tuned);
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "pigdm", "steps", 5, "smooth_basis", 2, "parametrisation", "per step and band"),
			"use it with parametrisation=[per step]");
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "pigdm", "steps", 5, "smooth_basis", 6), "more functions than steps=5");
	}

	@Test
	void bandWeightsAreTunedShownAndSampledWithTheirExactLoss(@TempDir final Path dir) throws Exception {
		final CommandModule m = tune(dir, "parametrisation", "per step and band", "bands", 4, "band_by", "frequency");
		final Map<String, ResultsTable> t = tables(m);
		final ResultsTable w = t.get("gravel_pigdm_tuned_weights"), summary = t.get("gravel_pigdm_tuning"), bands = t.get("gravel_pigdm_bands");
		assertEquals(12, w.size());
		for (int b = 0; b < 4; b++) assertTrue(w.columnExists(FrequencyBands.heading(FrequencyBands.By.FREQUENCY, b, 4)), "band column " + b);
		assertFalse(w.columnExists("tuned"), "a band design has no single per-step column to confuse the reader");
		assertEquals("pigdm", w.getStringValue("method", 0));
		// The bands partition the 40×40 frequencies.
		assertEquals(4, bands.size());
		double members = 0;
		for (int b = 0; b < 4; b++) members += bands.getValue("frequencies", b);
		assertEquals(40 * 40, members, 1e-9);
		final double heuristic = summary.getValue("E_v W2^2", 0), tuned = summary.getValue("E_v W2^2", 2);
		assertTrue(tuned < heuristic, tuned + " < " + heuristic);
		assertTrue(summary.getStringValue("weights", 2).contains("4 frequency bands"), summary.getStringValue("weights", 2));
		// The bands differ: a guidance filter, not one weight per step written four times.
		double spread = 0;
		for (int j = 0; j < 12; j++) spread = Math.max(spread, Math.abs(w.getValue(FrequencyBands.heading(FrequencyBands.By.FREQUENCY, 0, 4), j) - w.getValue(FrequencyBands.heading(FrequencyBands.By.FREQUENCY, 3, 4), j)));
		assertTrue(spread > 1e-6, "band weights differ: " + spread);

		final Path csv = dir.resolve("gravel_pigdm_tuned_weights.csv");
		assertTrue(Files.isRegularFile(csv));
		final CommandModule s = sample("weights", "tuned", "tuned_table", csv.toString());
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		final ResultsTable row = AnalysisCommandsTest.table(s);
		// Every digit is saved, so the sampler's exact loss is the tuning's own figure.
		assertEquals(tuned, row.getValue("E_v W2^2", 0), 1e-9 * tuned);
		assertTrue(row.getStringValue("weights", 0).contains("4 frequency bands"), row.getStringValue("weights", 0));
		// Step by step takes the band weights too (the law reported is the same closed form).
		final CommandModule st = sample("weights", "tuned", "tuned_table", csv.toString(), "mode", "step by step");
		assertFalse(st.isCanceled(), () -> st.getCancelReason());

		// Eigenvalue bands: their own headings, read back as such.
		final Path dir2 = Files.createDirectory(dir.resolve("eig"));
		final CommandModule e = tune(dir2, "parametrisation", "per step and band", "bands", 3, "band_by", "eigenvalue");
		final double tunedEig = tables(e).get("gravel_pigdm_tuning").getValue("E_v W2^2", 2);
		assertTrue(tables(e).get("gravel_pigdm_tuned_weights").columnExists(FrequencyBands.heading(FrequencyBands.By.EIGENVALUE, 2, 3)));
		final CommandModule se = sample("weights", "tuned", "tuned_table", dir2.resolve("gravel_pigdm_tuned_weights.csv").toString());
		assertFalse(se.isCanceled(), () -> se.getCancelReason());
		assertEquals(tunedEig, AnalysisCommandsTest.table(se).getValue("E_v W2^2", 0), 1e-9 * tunedEig);
	}

	@Test
	void perStepWeightsFromTheTableAndTheirRefusals(@TempDir final Path dir) throws Exception {
		final CommandModule m = tune(dir);
		final ResultsTable summary = tables(m).get("gravel_pigdm_tuning");
		final double tuned = summary.getValue("E_v W2^2", 2);
		assertNull(tables(m).get("gravel_pigdm_bands"), "no band table for one weight per step");
		final String csv = dir.resolve("gravel_pigdm_tuned_weights.csv").toString();
		final CommandModule s = sample("weights", "tuned", "tuned_table", csv);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		assertEquals(tuned, AnalysisCommandsTest.table(s).getValue("E_v W2^2", 0), 1e-9 * tuned);

		CommandsTest.expectFailure(sample("method", "dps", "weights", "tuned", "tuned_table", csv), "were tuned for pigdm");
		CommandsTest.expectFailure(sample("steps", 10, "weights", "tuned", "tuned_table", csv), "tuned for 12 steps");
		CommandsTest.expectFailure(sample("schedule", "cosine", "weights", "tuned", "tuned_table", csv), "another noise schedule");
		CommandsTest.expectFailure(sample("timesteps", 500, "weights", "tuned", "tuned_table", csv), "other timesteps");
		CommandsTest.expectFailure(sample("weights", "tuned", "tuned_table", dir.resolve("nope.csv").toString()), "neither an open table nor a file");
		CommandsTest.expectFailure(sample("weights", "tuned", "tuned_table", dir.resolve("gravel_pigdm_tuning.csv").toString()), "not a tuned-weights table");
		// Headless, nothing is open: an empty reference names what to give.
		CommandsTest.expectFailure(sample("weights", "tuned"), "no such table is open");
		CommandsTest.expectFailure(sample("weights", "magic"), "heuristic, custom or tuned");
	}

	@Test
	void sdeditsStartTimeIsTunedAndTheBestT0GivesItsLossInPosteriorSampling() throws Exception {
		final CommandModule m = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "measurement", degraded, "method", "sdedit", "steps", 10, "t0", 500);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable summary = tables(m).get("gravel_sdedit_tuning"), curve = tables(m).get("gravel_sdedit_t0");
		final double given = summary.getValue("E_v W2^2", 0), best = summary.getValue("E_v W2^2", 1);
		final int t0 = Integer.parseInt(summary.getStringValue("t0", 1).replaceAll(".*= ", ""));
		assertTrue(best <= given, best + " ≤ " + given);
		// The best is the smallest of every evaluated point, and the curve is not flat (t0 matters).
		double lo = Double.POSITIVE_INFINITY, hi = 0;
		for (int i = 0; i < curve.size(); i++) {
			lo = Math.min(lo, curve.getValue("E_v W2^2", i));
			hi = Math.max(hi, curve.getValue("E_v W2^2", i));
		}
		assertEquals(lo, best, 0);
		assertTrue(hi > 1.5 * lo, "t0 matters: " + lo + " .. " + hi);
		// Posterior Sampling at that t0 reports the same exact E_v W2².
		final CommandModule s = sample("method", "sdedit", "steps", 10, "t0", t0);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		assertEquals(best, AnalysisCommandsTest.table(s).getValue("E_v W2^2", 0), 1e-9 * best);
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "sdedit", "steps", 10, "warm_start", 5), "tunes its start time t0 only");
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "sdedit", "steps", 600, "t0", 500), "must lie in 600..1000");
	}

	@Test
	void bandTuningIsRefusedWhereBandsCannotAct() throws Exception {
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "pigdm", "steps", 5, "parametrisation", "per step and band", "bands", 0), "bands must be at least 1");
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "pigdm", "steps", 5, "parametrisation", "per step and band", "band_by", "colour"), "band_by must be");
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "pigdm", "steps", 5, "parametrisation", "per band"), "parametrisation must be");
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "pigdm", "steps", 5, "parametrisation", "per step and band", "downsample", 2), "aliased");
	}
}
