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

/** Continuous-Time Schemes with guidance (MATH §11.1) from the user's side. */
class GuidedContinuousTimeSchemesTest {

	@Test
	void guidedRunsReportTheExpectedW2ToThePosteriorAndAlongTheTrajectory(@TempDir final Path dir) throws Exception {
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(24)).getOutput("prior");
		final Object[] common = { "prior", prior, "schemes", "em,pg-ddpm,rk4", "nfe_list", "60,240", "operator", "gaussian", "blur_sigma", 1.5, "noise_sigma", 4.0 };
		final CommandModule m = CommandsTest.run(ContinuousTimeSchemes.class, concat(common, "guidance", "cgdm", "output_folder", dir.toFile()));
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable t = AnalysisCommandsTest.table(m);
		assertEquals(6, t.size());
		for (int s = 0; s < 3; s++) {
			assertEquals("ok", t.getStringValue("status", 2 * s), t.getStringValue("scheme", 2 * s));
			assertEquals("cgdm", t.getStringValue("guidance", 2 * s));
			// The exact conditional score: a finer grid is closer to the posterior.
			assertTrue(t.getValue("E_v W2 to posterior", 2 * s + 1) < t.getValue("E_v W2 to posterior", 2 * s), t.getStringValue("scheme", 2 * s));
			assertEquals(t.getValue("E_v W2 to posterior", 2 * s), Math.sqrt(t.getValue("E_v W2^2 to posterior", 2 * s)), 1e-12);
			assertEquals(t.getValue("E_v W2^2 to posterior", 2 * s), t.getValue("E_v W2^2 mean part", 2 * s) + t.getValue("E_v W2^2 covariance part", 2 * s), 1e-9 * t.getValue("E_v W2^2 to posterior", 2 * s));
		}
		final ResultsTable tt = ((SpectralCommand) m.getCommand()).result().tables().get("gravel_continuous_trajectory");
		assertEquals(240 + 240 + 60, tt.size(), "one row per grid point of each scheme at the largest NFE");
		assertEquals("cgdm", tt.getStringValue("guidance", 0));
		// From N(0, I) the start is far from x_T | v only by the tiny signal left at T; the trajectory is finite throughout.
		for (int row = 0; row < tt.size(); row++) assertTrue(Double.isFinite(tt.getValue("E_v W2 to x_t|v", row)), "row " + row);
		assertTrue(Files.isRegularFile(dir.resolve("gravel_continuous.csv")));
		assertTrue(Files.isRegularFile(dir.resolve("gravel_continuous_trajectory_plot.tif")));
		// guidance=exact is the same conditional score by another route (the diffused posterior).
		final ResultsTable e = AnalysisCommandsTest.table(CommandsTest.run(ContinuousTimeSchemes.class, concat(common, "guidance", "exact")));
		for (int row = 0; row < 6; row++) assertEquals(t.getValue("E_v W2 to posterior", row), e.getValue("E_v W2 to posterior", row), 1e-9 * t.getValue("E_v W2 to posterior", row));
		// ΠGDM's r² = 1 − ᾱ is an approximation: farther from the posterior than CGDM at the same NFE.
		final ResultsTable p = AnalysisCommandsTest.table(CommandsTest.run(ContinuousTimeSchemes.class, concat(common, "guidance", "pigdm", "weight", "1")));
		for (int row = 0; row < 6; row++) assertTrue(p.getValue("E_v W2 to posterior", row) > t.getValue("E_v W2 to posterior", row), "row " + row);
	}

	@Test
	void guidanceNoneIsTodaysCommandAndBadInputIsRefused(@TempDir final Path dir) throws Exception {
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(24)).getOutput("prior");
		final ResultsTable a = AnalysisCommandsTest.table(CommandsTest.run(ContinuousTimeSchemes.class, "prior", prior, "nfe_list", "50,100"));
		// The guided keys are ignored by guidance=none: the recorded macro's numbers are unchanged, to the bit.
		final ResultsTable b = AnalysisCommandsTest.table(CommandsTest.run(ContinuousTimeSchemes.class, "prior", prior, "nfe_list", "50,100", "guidance", "none", "weight", "3", "noise_sigma", 0.0));
		assertEquals(a.size(), b.size());
		assertEquals(String.join(",", a.getHeadings()), String.join(",", b.getHeadings()));
		for (int row = 0; row < a.size(); row++) assertEquals(a.getValue("W2 to data", row), b.getValue("W2 to data", row), 0);
		final Path csv = dir.resolve("eig.csv");
		Files.writeString(csv, "0.5\n2\n");
		CommandsTest.expectFailure(CommandsTest.run(ContinuousTimeSchemes.class, "eigenvalues", csv.toString(), "guidance", "dps"), "needs a prior image");
		CommandsTest.expectFailure(CommandsTest.run(ContinuousTimeSchemes.class, "prior", prior, "guidance", "dps", "weight", "strong"), "weight must be heuristic or a number");
		CommandsTest.expectFailure(CommandsTest.run(ContinuousTimeSchemes.class, "prior", prior, "guidance", "pigdm", "noise_sigma", 0.0), "noise_sigma > 0");
		CommandsTest.expectFailure(CommandsTest.run(ContinuousTimeSchemes.class, "prior", prior, "guidance", "exact", "weight", "0.5"), "takes no weight");
		CommandsTest.expectFailure(CommandsTest.run(ContinuousTimeSchemes.class, "prior", prior, "guidance", "cgdm", "operator", "psf"), "needs a PSF image");
	}

	private static Object[] concat(final Object[] a, final Object... b) {
		final Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}
}
