package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;

class ContinuousTimeSchemesTest {

	@Test
	void runsOnAPrior(@TempDir final Path dir) throws Exception {
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(32)).getOutput("prior");
		final CommandModule m = CommandsTest.run(ContinuousTimeSchemes.class, "prior", prior, "nfe_list", "50,250,1000", "output_folder", dir.toFile());
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable t = AnalysisCommandsTest.table(m);
		assertEquals(6 * 3, t.size());
		for (int s = 0; s < 6; s++) {
			// Each scheme improves from NFE 50 to 1000 (ADSN priors are singular: the DC eigenvalue is 0).
			assertEquals("ok", t.getStringValue("status", 3 * s + 2), t.getStringValue("scheme", 3 * s));
			assertTrue(t.getValue("W2 to data", 3 * s + 2) < t.getValue("W2 to data", 3 * s), t.getStringValue("scheme", 3 * s));
		}
		assertEquals("gravel_continuous_plot", ((ImagePlus) m.getOutput("plot")).getTitle());
		// Every curve inside the axes (ImageJ's autoscale followed the first curve only) in its own colour.
		final ij.gui.Plot plot = AnalysisCommandsTest.plotOf(m), traj = AnalysisCommandsTest.plotOf(m, "trajectory_plot");
		for (int row = 0; row < t.size(); row++) AnalysisCommandsTest.insideY(plot, true, "W2 at row " + row, t.getValue("W2 to data", row));
		final ResultsTable tt = ((SpectralCommand) m.getCommand()).result().tables().get("gravel_continuous_trajectory");
		for (int row = 0; row < tt.size(); row++) AnalysisCommandsTest.insideY(traj, false, "trajectory W2 at row " + row, tt.getValue("W2 to p_t", row));
		double highest = 0;
		for (int row = 0; row < tt.size(); row++) highest = Math.max(highest, tt.getValue("W2 to p_t", row));
		final double[] lim = traj.getLimits();
		assertTrue((lim[3] - highest) / (lim[3] - lim[2]) > 0.3, "the legend (six entries) has a band above the trajectories: " + java.util.Arrays.toString(lim) + ", highest " + highest);
		assertEquals(6, AnalysisCommandsTest.colours(plot).size());
		assertEquals(6, AnalysisCommandsTest.colours(traj).size());
		assertTrue((plot.getFlags() & ij.gui.Plot.Y_LOG_NUMBERS) != 0, "log W2 axis");
		assertTrue(Files.isRegularFile(dir.resolve("gravel_continuous.csv")));
		assertTrue(Files.isRegularFile(dir.resolve("gravel_continuous_trajectory.csv")));
		assertTrue(Files.isRegularFile(dir.resolve("gravel_continuous_trajectory_plot.tif")));
	}

	@Test
	void runsOnAnEigenvalueFileAndRefusesBadInput(@TempDir final Path dir) throws Exception {
		final Path csv = dir.resolve("eig.csv");
		Files.writeString(csv, "lambda\n0\n0.01\n# a comment\n0.5\n2\n");
		final CommandModule m = CommandsTest.run(ContinuousTimeSchemes.class, "eigenvalues", csv.toString(), "schemes", "euler,heun", "nfe_list", "100", "epsilon", 0.0, "init", "p_T");
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable t = AnalysisCommandsTest.table(m);
		assertEquals(2, t.size());
		assertEquals("ok", t.getStringValue("status", 0));
		assertTrue(t.getStringValue("status", 1).contains("epsilon > 0"), "Heun at ε = 0 with a zero eigenvalue is undefined (MATH §11 '–')");
		assertEquals(0, t.getValue("continuous ODE W2", 0), 1e-12, "p_T makes the exact ODE error 0");
		CommandsTest.expectFailure(CommandsTest.run(ContinuousTimeSchemes.class, "schemes", "euler"), "exactly one of prior");
		CommandsTest.expectFailure(CommandsTest.run(ContinuousTimeSchemes.class, "eigenvalues", csv.toString(), "schemes", "ddpm"), "pg-ddpm");
		CommandsTest.expectFailure(CommandsTest.run(ContinuousTimeSchemes.class, "eigenvalues", csv.toString(), "schemes", "rk4", "nfe_list", "4"), "too small");
		CommandsTest.expectFailure(CommandsTest.run(ContinuousTimeSchemes.class, "eigenvalues", dir.resolve("missing.csv").toString()), "no such file");
	}
}
