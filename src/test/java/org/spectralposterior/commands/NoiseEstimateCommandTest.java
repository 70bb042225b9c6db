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

	/** A prior, a measurement made by Simulate Degradation (blur 2, σ = 5) and the same pixels as a real image would come: no Info. */
	private record Images(ImagePlus prior, ImagePlus made, ImagePlus real) {}

	private static Images images(final int size) throws Exception {
		final ImagePlus image = CommandsTest.gravel(size);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus made = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 2.0, "noise_sigma", 5.0, "seed", 4L).getOutput("degraded");
		return new Images(prior, made, new ImagePlus("real.tif", made.getProcessor().duplicate()));
	}

	@Test
	void anUnrecordedMeasurementGetsAnEstimatedNoiseLevel() throws Exception {
		final Images in = images(128);
		final ImagePlus prior = in.prior(), real = in.real();
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

	/**
	 * The dialog, before the run: a real image switches the operator to an explicit one and shows the σ
	 * the run will use — the same number the table then reports. A run that is not a dialog (a macro, a
	 * script passing inputs) is never corrected: SciJava runs the in-use line's initializer on every
	 * run, with the caller's inputs already set, so the initializer must leave the operator alone.
	 */
	@Test
	void theDialogShowsTheEstimateTheRunWillUse() throws Exception {
		final Images in = images(96);
		final ImagePlus prior = in.prior(), made = in.made(), real = in.real();

		final PosteriorSampling dialog = new PosteriorSampling();
		dialog.prior = prior;
		dialog.measurement = real;
		String advice = dialog.refreshDialog();
		assertEquals("gaussian", dialog.operator, "a real image cannot give its operator: the dialog offers an explicit one");
		assertTrue(advice.contains("real.tif does not record its degradation"), advice);
		final java.util.regex.Matcher m = java.util.regex.Pattern.compile("noise_sigma auto ≈ ([0-9.]+)").matcher(advice);
		assertTrue(m.find(), advice);
		final double shown = Double.parseDouble(m.group(1));
		final CommandModule run = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", real, "operator", "gaussian", "blur_sigma", 2.0, "samples", 1);
		final double used = AnalysisCommandsTest.table(run).getValue("noise_sigma", 0);
		assertEquals(used, shown, 0.005 * used + 1e-9, "the dialog shows (to three digits) the σ the run uses");
		assertEquals(5, shown, 0.5);
		// The estimate follows the operator: a wider blur leaves less of the prior's detail to subtract.
		dialog.blur_sigma = 4;
		advice = dialog.refreshDialog();
		assertTrue(advice.contains("≈") && !advice.contains("≈ " + m.group(1) + " "), advice);
		// A number typed in is the σ: no estimate is shown.
		dialog.noise_sigma = "5";
		assertFalse(dialog.refreshDialog().contains("≈"));
		// A measurement made by Simulate Degradation: its own operator and σ, said in the line.
		final PosteriorSampling recorded = new PosteriorSampling();
		recorded.prior = prior;
		recorded.measurement = made;
		advice = recorded.refreshDialog();
		assertEquals(PosteriorSampling.FROM_MEASUREMENT, recorded.operator);
		assertTrue(advice.contains("Gaussian blur σ=2") && advice.contains("noise_sigma = 5.00"), advice);
		// Choosing a recorded measurement after a real one undoes the dialog's own switch.
		dialog.noise_sigma = "auto";
		dialog.measurement = made;
		advice = dialog.refreshDialog();
		assertEquals(PosteriorSampling.FROM_MEASUREMENT, dialog.operator, advice);
		// An operator the user chose stays, and the line says what the recorded measurement would give.
		dialog.operator = "motion";
		advice = dialog.refreshDialog();
		assertEquals("motion", dialog.operator);
		assertTrue(advice.contains("records Gaussian blur") && advice.contains("operator=from measurement uses it"), advice);
		// The plain-ImageJ dialog makes room for the line only for a command that advises.
		assertTrue(new PosteriorSampling().advises());
		// An operator the user picks after the dialog's switch is theirs: a recorded measurement then keeps it.
		final PosteriorSampling user = new PosteriorSampling();
		user.prior = prior;
		user.measurement = real;
		user.refreshDialog();
		assertEquals("gaussian", user.operator);
		user.operator = "none";
		assertFalse(user.refreshDialog().contains("operator set to gaussian"));
		user.measurement = made;
		user.refreshDialog();
		assertEquals("none", user.operator, "the user's choice is not undone");
		// A caller's operator is not corrected, yet the dialog still shows the σ the run will use.
		final PosteriorSampling given = new PosteriorSampling();
		given.prior = prior;
		given.measurement = real;
		given.operator = "gaussian";
		given.correctable = key -> !key.equals("operator");
		assertTrue(given.refreshDialog().contains("noise_sigma auto ≈"));
		// A value the caller set (a resolved input in Fiji: no dialog shows it) is never corrected.
		final PosteriorSampling script = new PosteriorSampling();
		script.prior = prior;
		script.measurement = real;
		script.correctable = key -> !key.equals("operator");
		advice = script.refreshDialog();
		assertEquals(PosteriorSampling.FROM_MEASUREMENT, script.operator, advice);
		assertTrue(advice.contains("choose operator and noise_sigma"), advice);
		// Not a dialog: the documented default stays, and the run says what to choose.
		CommandsTest.expectFailure(CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", real, "samples", 1), "choose operator and noise_sigma explicitly");
	}
}
