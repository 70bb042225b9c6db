package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;

/**
 * Priors of several channels in the analyses. Before, an analysis read the first channel of a
 * per-channel prior and reported it as the image's, and refused a cross-channel colour prior. Now
 * Compare Samplers sums E_v W2² over the independent problems (the channels of a per-channel prior,
 * the eigen-channels of a cross-channel one); the one-channel analyses refuse with the way out;
 * Synthesize Texture draws every channel.
 */
class ColourAnalysisTest {

	private static final Object[] BLUR = { "operator", "gaussian", "blur_sigma", 1.0, "noise_sigma", 4.0, "methods", "pigdm,cgdm", "steps_list", "10,20" };

	private static ResultsTable compare(final ImagePlus prior) throws Exception {
		final Object[] kv = new Object[BLUR.length + 2];
		kv[0] = "prior";
		kv[1] = prior;
		System.arraycopy(BLUR, 0, kv, 2, BLUR.length);
		final CommandModule m = CommandsTest.run(CompareSamplers.class, kv);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		return AnalysisCommandsTest.table(m);
	}

	private static ImagePlus channel(final ImagePlus rgb, final int c) {
		final ij.process.ColorProcessor cp = (ij.process.ColorProcessor) rgb.getProcessor();
		final ImagePlus one = new ImagePlus("colour_c" + c + ".png", cp.getChannel(c, null));
		return one;
	}

	/** A per-channel prior's E_v W2² is the sum of the one-channel priors' (each with its own intensity map). */
	@Test
	void aPerChannelPriorSumsItsChannels() throws Exception {
		final ImagePlus image = ColourCommandsTest.rgb(16, 12, 3);
		final ImagePlus perChannel = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image, "estimator", "smoothed", "colour_model", "per channel").getOutput("prior");
		final ResultsTable all = compare(perChannel);
		final ResultsTable[] each = new ResultsTable[3];
		for (int c = 1; c <= 3; c++) {
			each[c - 1] = compare((ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", channel(image, c), "estimator", "smoothed").getOutput("prior"));
		}
		assertEquals(4, all.size());
		for (int row = 0; row < all.size(); row++) {
			double sum = 0, mean = 0;
			for (final ResultsTable t : each) {
				sum += t.getValue("E_v W2^2", row);
				mean += t.getValue("E_v W2^2 mean part", row);
			}
			assertEquals(sum, all.getValue("E_v W2^2", row), 1e-9 * sum, "row " + row);
			assertEquals(mean, all.getValue("E_v W2^2 mean part", row), 1e-9 * sum, "row " + row + " mean part");
			assertEquals(sum / (3.0 * 16 * 12), all.getValue("E_v W2^2 per pixel", row), 1e-9 * sum, "per channel-pixel");
			assertTrue(all.getStringValue("channels", row).startsWith("3 (per channel"), all.getStringValue("channels", row));
		}
		// The analyses that model one plane refuse, naming the way out, instead of reading channel 1.
		final CommandModule tune = CommandsTest.run(TuneSamplerWeights.class, "prior", perChannel, "method", "pigdm", "steps", 5, "iterations", 3);
		CommandsTest.expectFailure(tune, "has 3 channels");
		// Synthesize Texture draws every channel, each from its own prior: the channels' spreads are in the
		// exemplar's ratio (channel 1 has about 1.7 times the std of channel 3), not one prior's three times.
		final CommandModule syn = CommandsTest.run(SynthesizeTexture.class, "prior", perChannel, "samples", 6, "seed", 4L);
		assertFalse(syn.isCanceled(), () -> syn.getCancelReason());
		final ImagePlus tex = (ImagePlus) syn.getOutput("textures");
		assertEquals(3, tex.getNChannels());
		assertEquals(6, tex.getNFrames());
		final ImageStack st = tex.getStack();
		double var0 = 0, var2 = 0;
		for (int f = 1; f <= 6; f++) {
			var0 += Math.pow(new ij.process.FloatProcessor(16, 12, (float[]) st.getPixels(tex.getStackIndex(1, 1, f))).getStatistics().stdDev, 2);
			var2 += Math.pow(new ij.process.FloatProcessor(16, 12, (float[]) st.getPixels(tex.getStackIndex(3, 1, f))).getStatistics().stdDev, 2);
		}
		final ImagePlus c1 = channel(image, 1), c3 = channel(image, 3);
		final double want = c1.getStatistics().stdDev / c3.getStatistics().stdDev, got = Math.sqrt(var0 / var2);
		assertEquals(want, got, 0.3 * want, "texture channel 1 / channel 3 std against the exemplar's");
		assertTrue(Math.abs(want - 1) > 0.3, "the fixture's channels differ in spread: " + want);
	}

	/**
	 * A cross-channel colour prior, against an independent route: the E_v W2² mean part is the average,
	 * over measurements drawn from the model (prior textures, blurred, plus noise), of the W2² mean part
	 * Posterior Sampling computes for each measurement (its ColourConvolution closed form). 120 draws:
	 * within 4 standard errors. The covariance part does not depend on v: equal to rounding.
	 */
	@Test
	void aCrossChannelPriorSumsItsEigenChannels() throws Exception {
		final ImagePlus image = ColourCommandsTest.rgb(12, 10, 6);
		final ImagePlus prior = ColourCommandsTest.prior(image);
		assertTrue(org.spectralposterior.imagej.PriorImage.isColour(prior));
		final ResultsTable t = compare(prior);
		assertTrue(t.getStringValue("channels", 0).startsWith("3 (eigen-channels"), t.getStringValue("channels", 0));
		final int draws = 120;
		final ImagePlus textures = (ImagePlus) CommandsTest.run(SynthesizeTexture.class, "prior", prior, "samples", draws, "seed", 11L).getOutput("textures");
		final int row = 1; // PiGDM, 20 steps
		assertEquals(20, (int) t.getValue("steps", row));
		final double[] mean = new double[draws];
		double cov = Double.NaN;
		for (int i = 0; i < draws; i++) {
			final ImageStack one = new ImageStack(12, 10);
			for (int c = 1; c <= 3; c++) one.addSlice(textures.getStack().getProcessor(textures.getStackIndex(c, 1, i + 1)).duplicate());
			final ImagePlus x = ij.plugin.HyperStackConverter.toHyperStack(new ImagePlus("x" + i, one), 3, 1, 1);
			final ImagePlus v = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", x, "operator", "gaussian", "blur_sigma", 1.0, "noise_sigma", 4.0, "seed", 100L + i).getOutput("degraded");
			final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", v, "method", "pigdm", "steps", 20, "samples", 1);
			assertFalse(s.isCanceled(), () -> s.getCancelReason());
			final ResultsTable st = AnalysisCommandsTest.table(s);
			mean[i] = st.getValue("W2^2 mean part", 0);
			cov = st.getValue("W2^2 covariance part", 0);
		}
		double m = 0, m2 = 0;
		for (final double x : mean) m += x / draws;
		for (final double x : mean) m2 += (x - m) * (x - m) / (draws - 1);
		final double se = Math.sqrt(m2 / draws), expected = t.getValue("E_v W2^2 mean part", row);
		System.out.printf("colour E_v W2² mean part: closed form %.6g, Monte Carlo %.6g ± %.3g (%d draws)%n", expected, m, se, draws);
		assertEquals(expected, m, 4 * se);
		assertEquals(t.getValue("E_v W2^2 covariance part", row), cov, 1e-6 * cov);
	}

	/**
	 * Tune Sampler Weights on a cross-channel prior: one weight list for every eigen-channel, scored on
	 * their sum. Its heuristic row equals Compare Samplers' E_v W2² (two routes: the adjoint objective
	 * and the closed-form law), tuning only lowers it, and Posterior Sampling runs the tuned weights on
	 * a colour measurement.
	 */
	@Test
	void colourWeightsAreTunedOnTheSumOfTheEigenChannels(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws Exception {
		final ImagePlus image = ColourCommandsTest.rgb(12, 10, 6);
		final ImagePlus prior = ColourCommandsTest.prior(image);
		final ResultsTable compared = compare(prior);
		final CommandModule tune = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "operator", "gaussian", "blur_sigma", 1.0, "noise_sigma", 4.0, "method", "pigdm", "steps", 20,
			"iterations", 15, "output_folder", dir.toFile());
		assertFalse(tune.isCanceled(), () -> tune.getCancelReason());
		final ResultsTable t = AnalysisCommandsTest.table(tune);
		final double heuristic = t.getValue("E_v W2^2", 0), constant = t.getValue("E_v W2^2", 1), tuned = t.getValue("E_v W2^2", t.size() - 1);
		assertEquals(compared.getValue("E_v W2^2", 1), heuristic, 1e-8 * heuristic, "the heuristic row is Compare Samplers' PiGDM at 20 steps");
		assertTrue(tuned <= constant && constant <= heuristic, heuristic + " ≥ " + constant + " ≥ " + tuned);
		System.out.printf("colour tuning, PiGDM 20 steps: E_v W2² heuristic %.6g, best constant %.6g, tuned %.6g%n", heuristic, constant, tuned);
		final ImagePlus v = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 1.0, "noise_sigma", 4.0, "seed", 3L).getOutput("degraded");
		final java.io.File csv = new java.io.File(dir.toFile(), "colour_pigdm_tuned_weights.csv");
		assertTrue(csv.isFile(), "the tuned weights are saved: " + java.util.Arrays.toString(dir.toFile().list()));
		final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", v, "method", "pigdm", "steps", 20, "weights", "tuned", "tuned_table", csv.getPath(),
			"samples", 1);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		assertTrue(AnalysisCommandsTest.table(s).getValue("W2", 0) > 0);
		// What the colour sampler does not take is refused at the tuning, naming the way.
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "operator", "gaussian", "method", "pigdm", "steps", 5, "parametrisation", "per step and band"),
			"tune with parametrisation=[per step]");
	}

	/**
	 * Compare Samplers on a colour inpainting measurement (12×10 RGB, a 4×3 hole in every channel): one
	 * dense problem in channel pixels. Its covariance part does not depend on the measurement, so it must
	 * equal the covariance part Posterior Sampling computes for the measurement at hand (its own route:
	 * the sampler's propagated law and the posterior's factor); E_v W2² ≥ it; CGDM beats the 6-step PiGDM.
	 */
	@Test
	void colourInpaintingHasAnExpectedW2() throws Exception {
		final ImagePlus image = ColourCommandsTest.rgb(12, 10, 8);
		final ImagePlus prior = ColourCommandsTest.prior(image);
		image.setRoi(new ij.gui.Roi(4, 3, 4, 3));
		final ImagePlus v = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "inpaint", "noise_sigma", 1.0, "seed", 3L).getOutput("degraded");
		image.deleteRoi();
		final CommandModule m = CommandsTest.run(CompareSamplers.class, "prior", prior, "measurement", v, "operator", PosteriorSampling.FROM_MEASUREMENT, "methods", "pigdm,cgdm", "steps_list", "6");
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable t = AnalysisCommandsTest.table(m);
		assertEquals(2, t.size());
		assertTrue(t.getStringValue("channels", 0).contains("dense colour inpainting"), t.getStringValue("channels", 0));
		final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", v, "method", "pigdm", "steps", 6, "samples", 1);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		final ResultsTable st = AnalysisCommandsTest.table(s);
		final double cov = st.getValue("W2^2 covariance part", 0), expectedCov = t.getValue("E_v W2^2 covariance part", 0);
		System.out.printf("colour inpainting, PiGDM 6 steps: E_v W2² %.6g (covariance part %.6g; Posterior Sampling's for this v %.6g); CGDM %.6g%n", t.getValue("E_v W2^2", 0), expectedCov, cov,
			t.getValue("E_v W2^2", 1));
		assertEquals(cov, expectedCov, 1e-6 * cov, "the covariance part does not depend on v");
		assertTrue(t.getValue("E_v W2^2", 0) >= expectedCov && t.getValue("E_v W2^2 mean part", 0) > 0);
		assertTrue(t.getValue("E_v W2^2", 1) < t.getValue("E_v W2^2", 0), "CGDM nearer the posterior than PiGDM at 6 steps");
		assertEquals(t.getValue("E_v W2^2", 0) / (3.0 * 120), t.getValue("E_v W2^2 per pixel", 0), 1e-9 * t.getValue("E_v W2^2", 0), "per channel-pixel");
	}
}
