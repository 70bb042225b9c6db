package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.process.FloatProcessor;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;
import org.spectralposterior.imagej.TaskResult;

/** Windows that would show nothing are not opened; the outputs stay in the result (saved, and there for batch macros). */
class UninformativeOutputsTest {

	@Test
	void constantAndAllNanImagesAreRecognisedAndRealOnesAreNot() {
		final FloatProcessor flat = new FloatProcessor(5, 4);
		flat.set(15.25);
		assertEquals("it is 15.25 everywhere", TaskResult.uninformative(new ImagePlus("s", flat)));
		final FloatProcessor nan = new FloatProcessor(5, 4);
		nan.set(Float.NaN);
		assertTrue(TaskResult.uninformative(new ImagePlus("n", nan)).contains("NaN"));
		final FloatProcessor zeroNan = new FloatProcessor(5, 4);
		zeroNan.setf(3, Float.NaN);
		assertEquals("it is 0 everywhere", TaskResult.uninformative(new ImagePlus("z", zeroNan)));
		final FloatProcessor one = new FloatProcessor(5, 4);
		one.setf(19, 1e-6f);
		assertNull(TaskResult.uninformative(new ImagePlus("o", one)), "one differing pixel is information");
		// A stack whose planes are each constant but differ is information too.
		final ij.ImageStack st = new ij.ImageStack(5, 4);
		st.addSlice(flat);
		st.addSlice(new FloatProcessor(5, 4));
		assertNull(TaskResult.uninformative(new ImagePlus("st", st)));
	}

	@Test
	void theExactPosteriorOpensItsSamplesAndMeanOnlyAndADiffusionSamplerItsW2MapToo() throws Exception {
		final ImagePlus image = CommandsTest.gravel(32);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus degraded = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "noise_sigma", 5.0).getOutput("degraded");
		final java.util.function.BooleanSupplier saved = SpectralCommand.display;
		SpectralCommand.display = () -> true;
		try {
			final CommandModule exact = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "samples", 2);
			assertNotNull(exact.getOutput("samples_stack"));
			assertNotNull(exact.getOutput("mean"));
			assertNull(exact.getOutput("std"), "a stationary posterior's std is one number");
			assertNull(exact.getOutput("w2_map"));
			assertNull(exact.getOutput("w2_spectrum"));
			final PosteriorSampling cmd = (PosteriorSampling) exact.getCommand();
			assertEquals(5, cmd.result().images().size(), "still in the result: saved and reachable");
			assertEquals(2, cmd.displayed().size());
			final CommandModule pigdm = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "samples", 2, "method", "pigdm", "steps", 10);
			assertNotNull(pigdm.getOutput("w2_map"), "a sampler's W2 map varies");
			assertNotNull(pigdm.getOutput("w2_spectrum"));
		}
		finally {
			SpectralCommand.display = saved;
		}
		// Without a display nothing is cleared (the command line, headless scripts).
		final CommandModule plain = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "samples", 2);
		assertNotNull(plain.getOutput("std"));
	}

	@Test
	void afterFijisDisplayStepTheMainOutputIsMadeCurrentNotTheLastShown() throws Exception {
		final ImagePlus image = CommandsTest.gravel(32);
		final java.util.List<String> selected = new java.util.ArrayList<>();
		final java.util.function.Consumer<ImagePlus> saved = MainOutputCurrent.select;
		MainOutputCurrent.select = imp -> selected.add(imp.getTitle());
		try {
			// The whole SciJava pipeline, with its display step: the PSF is the last output shown.
			final CommandModule m = (CommandModule) CommandsTest.commands().run(SimulateDegradation.class, true, java.util.Map.of("image", image, "operator", "gaussian")).get();
			assertEquals(java.util.List.of(((ImagePlus) m.getOutput("degraded")).getTitle()), selected);
		}
		finally {
			MainOutputCurrent.select = saved;
		}
		final org.scijava.plugin.PluginInfo<?> display = CommandsTest.commands().context().service(org.scijava.plugin.PluginService.class).getPlugin(org.scijava.display.DisplayPostprocessor.class);
		final org.scijava.plugin.PluginInfo<?> ours = CommandsTest.commands().context().service(org.scijava.plugin.PluginService.class).getPlugin(MainOutputCurrent.class);
		assertTrue(ours.getPriority() < display.getPriority(), "runs after the display step");
	}

	@Test
	void aNonRectangularSelectionIsSaidToBeReplacedByItsBoundingBox() throws Exception {
		final ImagePlus image = CommandsTest.gravel(64);
		image.setRoi(new ij.gui.OvalRoi(4, 6, 40, 30));
		final CommandModule oval = CommandsTest.run(BuildGaussianPrior.class, "image", image);
		final java.util.List<String> notes = ((SpectralCommand) oval.getCommand()).result().notes();
		assertEquals(1, notes.size());
		assertTrue(notes.get(0).contains("oval selection") && notes.get(0).contains("bounding box 4,6,40,30"), notes.get(0));
		assertTrue(String.valueOf(((ImagePlus) oval.getOutput("prior")).getProperty("Info")).contains("roi_note"), "the prior's Info says so too");
		image.setRoi(new ij.gui.Roi(4, 6, 40, 30));
		assertTrue(((SpectralCommand) CommandsTest.run(BuildGaussianPrior.class, "image", image).getCommand()).result().notes().isEmpty(), "a rectangle is used as it is");
	}

	/**
	 * The prior's log spectrum is displayed from its 1st to its 99th percentile: min–max spanned ~30 decades
	 * because of a few near-zero frequencies and showed a uniform grey square (the README's tutorial step 1).
	 */
	@org.junit.jupiter.api.Test
	void thePriorSpectrumIsDisplayedOverItsPercentiles() throws Exception {
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(48)).getOutput("prior");
		final ij.process.ImageStatistics st = prior.getProcessor().getStats();
		final double lo = prior.getDisplayRangeMin(), hi = prior.getDisplayRangeMax();
		assertTrue(lo > st.min && hi <= st.max && hi > lo, "range " + lo + ".." + hi + " inside " + st.min + ".." + st.max);
		final float[] px = (float[]) prior.getProcessor().getPixels();
		int below = 0, above = 0;
		for (final float v : px) {
			if (v < lo) below++;
			if (v > hi) above++;
		}
		assertTrue(below <= 0.011 * px.length + 1 && above <= 0.011 * px.length + 1, below + " below, " + above + " above of " + px.length);
	}
}
