package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.spectralposterior.core.prior.GaussianPrior;
import org.spectralposterior.imagej.PriorImage;

/** The three commands run through CommandService in a plain SciJava Context, as Fiji and the CLI run them. */
class CommandsTest {

	private static CommandService commands;

	/** One SciJava context for all command tests (creating one takes about a second). */
	static synchronized CommandService commands() {
		if (commands == null) commands = new Context().service(CommandService.class);
		return commands;
	}

	static ImagePlus gravel(final int size) {
		final ImagePlus full = IJ.openImage(new File("sample-images/gravel.png").getAbsolutePath());
		full.setRoi(new Roi(100, 60, size, size));
		final ImagePlus crop = full.crop();
		crop.setTitle("gravel.png");
		final Calibration cal = crop.getCalibration();
		cal.pixelWidth = 0.25;
		cal.pixelHeight = 0.25;
		cal.setUnit("µm");
		return crop;
	}

	static CommandModule run(final Class<? extends SpectralCommand> type, final Object... kv) throws Exception {
		final Map<String, Object> in = new HashMap<>();
		for (int i = 0; i < kv.length; i += 2) in.put((String) kv[i], kv[i + 1]);
		return (CommandModule) commands().run(type, false, in).get();
	}

	@Test
	void priorDegradeSampleEndToEnd(@TempDir final Path dir) throws Exception {
		final ImagePlus image = gravel(96);
		final float[] before = ((float[]) image.getProcessor().convertToFloat().getPixels()).clone();
		image.setRoi(new Roi(8, 8, 64, 64));

		final CommandModule p = run(BuildGaussianPrior.class, "image", image, "estimator", "adsn");
		assertFalse(p.isCanceled(), () -> p.getCancelReason());
		final ImagePlus prior = (ImagePlus) p.getOutput("prior");
		assertEquals("gravel_prior", prior.getTitle());
		assertEquals(96, prior.getWidth(), "the prior lives on the whole image by default");
		final GaussianPrior model = PriorImage.read(prior);
		assertEquals(96, model.plane().height);

		final CommandModule d = run(SimulateDegradation.class, "image", image, "operator", "motion", "motion_length", 7.0, "motion_angle", 30.0, "noise_sigma", 4.0, "seed", 3L);
		assertFalse(d.isCanceled(), () -> d.getCancelReason());
		final ImagePlus degraded = (ImagePlus) d.getOutput("degraded");
		assertEquals("gravel_degraded", degraded.getTitle());
		assertNotNull(d.getOutput("psf_image"));
		assertEquals(0.25, degraded.getCalibration().pixelWidth, "outputs carry the input calibration");
		assertEquals("µm", degraded.getCalibration().getUnit());

		final CommandModule s = run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "samples", 5, "seed", 11L, "ground_truth", image, "output_folder", dir.toFile());
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		final ImagePlus samples = (ImagePlus) s.getOutput("samples_stack");
		assertEquals("gravel_degraded_exact_samples", samples.getTitle());
		assertEquals(5, samples.getStackSize());
		assertEquals(0.25, samples.getCalibration().pixelWidth);
		for (final String t : new String[] { "samples", "mean", "std", "w2map", "w2spectrum" }) {
			assertTrue(Files.isRegularFile(dir.resolve("gravel_degraded_exact_" + t + ".tif")), t);
		}
		assertTrue(Files.isRegularFile(dir.resolve("gravel_degraded_exact_results.csv")));
		assertTrue(Files.isRegularFile(dir.resolve("gravel_degraded_exact_overview.png")));
		final String csv = Files.readString(dir.resolve("gravel_degraded_exact_results.csv"));
		assertTrue(csv.contains("PSNR mean (dB)") && csv.contains("coverage ±2 std"), csv);

		// Same seed, same samples; the input image is untouched.
		final CommandModule s2 = run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "samples", 5, "seed", 11L);
		assertArrayEquals((float[]) samples.getStack().getPixels(3), (float[]) ((ImagePlus) s2.getOutput("samples_stack")).getStack().getPixels(3));
		assertArrayEquals(before, (float[]) image.getProcessor().convertToFloat().getPixels());
	}

	@Test
	void synthesizedTexturesFollowThePrior() throws Exception {
		final ImagePlus prior = (ImagePlus) run(BuildGaussianPrior.class, "image", gravel(64)).getOutput("prior");
		final CommandModule m = run(SynthesizeTexture.class, "prior", prior, "samples", 8, "seed", 5L);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ImagePlus tex = (ImagePlus) m.getOutput("textures");
		assertEquals("gravel_prior_samples", tex.getTitle());
		final GaussianPrior model = PriorImage.read(prior);
		double sum = 0, sq = 0;
		final int n = tex.getStackSize() * 64 * 64;
		for (int z = 1; z <= tex.getStackSize(); z++) {
			for (final float v : (float[]) tex.getStack().getPixels(z)) {
				sum += v;
				sq += v * v;
			}
		}
		final double mean = sum / n, var = sq / n - mean * mean;
		// 8 fields of 64² pixels are correlated, so allow a generous 10% on the variance.
		assertEquals(model.pixelVariance(), var, 0.1 * model.pixelVariance());
		assertEquals(model.mean(), mean, 3 * Math.sqrt(model.pixelVariance() / 8));
	}

	@Test
	void hyperstacksArePriorPerChannelAndKeepTheirShapeCalibrationAndLuts() throws Exception {
		final ImagePlus g = gravel(48);
		final ij.ImageStack stack = new ij.ImageStack(48, 48);
		for (int z = 0; z < 2; z++) {
			for (int c = 0; c < 2; c++) {
				final ij.process.ImageProcessor ip = g.getProcessor().convertToShort(false);
				ip.multiply(c == 0 ? 1 : 3);
				ip.add(z * 10);
				stack.addSlice(ip);
			}
		}
		final ImagePlus imp = new ImagePlus("hyper.tif", stack);
		imp.setDimensions(2, 2, 1);
		imp.setCalibration(g.getCalibration().copy());
		final ij.CompositeImage comp = new ij.CompositeImage(imp, ij.IJ.COMPOSITE);
		comp.setChannelLut(ij.process.LUT.createLutFromColor(java.awt.Color.MAGENTA), 2);

		final ImagePlus prior = (ImagePlus) run(BuildGaussianPrior.class, "image", comp, "estimator", "periodogram").getOutput("prior");
		final java.util.List<GaussianPrior> priors = PriorImage.readAll(prior);
		assertEquals(2, priors.size());
		// Only the slice offsets (at DC) break the exact factor 9 between the channels.
		assertEquals(9, priors.get(1).pixelVariance() / priors.get(0).pixelVariance(), 0.3, "channel 2 is 3× channel 1");

		final ImagePlus degraded = (ImagePlus) run(SimulateDegradation.class, "image", comp, "noise_sigma", 2.0).getOutput("degraded");
		assertEquals(2, degraded.getNChannels());
		assertEquals(2, degraded.getNSlices());
		final CommandModule s = run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "samples", 3, "ground_truth", comp);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		final ImagePlus samples = (ImagePlus) s.getOutput("samples_stack");
		assertEquals(2, samples.getNChannels());
		assertEquals(2, samples.getNSlices());
		assertEquals(3, samples.getNFrames(), "samples run along frames");
		assertTrue(samples.isComposite());
		assertEquals(java.awt.Color.MAGENTA.getRGB(), ((ij.CompositeImage) samples).getChannelLut(2).getRGB(255));
		assertEquals(0.25, samples.getCalibration().pixelWidth);
		final ImagePlus mean = (ImagePlus) s.getOutput("mean");
		assertEquals(4, mean.getStackSize());
		assertEquals(4, ((SpectralCommand) s.getCommand()).result().tables().values().iterator().next().size(), "one results row per plane");
	}

	@Test
	void diffusionSamplersRunThroughPosteriorSampling() throws Exception {
		final ImagePlus image = gravel(48);
		final ImagePlus prior = (ImagePlus) run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus degraded = (ImagePlus) run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 1.5, "noise_sigma", 6.0).getOutput("degraded");
		double cgdm = 0, dps = 0;
		for (final String m : new String[] { "dps", "dps-normalized", "pigdm", "cgdm", "ddnm", "sdedit", "scoreald", "unconditional" }) {
			final CommandModule s = run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", m, "samples", 2, "steps", 40);
			assertFalse(s.isCanceled(), () -> m + ": " + s.getCancelReason());
			final ImagePlus samples = (ImagePlus) s.getOutput("samples_stack");
			assertEquals("gravel_degraded_" + m + "_samples", samples.getTitle());
			final ij.measure.ResultsTable t = ((SpectralCommand) s.getCommand()).result().tables().values().iterator().next();
			final double w2 = t.getValue("W2", 0);
			assertTrue(w2 > 0 && Double.isFinite(w2), m + " W2 " + w2);
			if (m.equals("cgdm")) cgdm = t.getValue("E_v W2^2", 0);
			if (m.equals("dps")) dps = t.getValue("E_v W2^2", 0);
		}
		assertTrue(cgdm < dps, "the exact conditional score beats linear DPS at its heuristic weight");

		// Step by step: same law, so the same mean output; a trajectory when asked for.
		final CommandModule closed = run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "pigdm", "samples", 1, "steps", 20);
		final CommandModule steps = run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "pigdm", "samples", 2, "steps", 20, "mode", "step by step",
			"trajectory_every", 5, "data_range", "0,255");
		assertFalse(steps.isCanceled(), () -> steps.getCancelReason());
		final ImagePlus traj = (ImagePlus) steps.getOutput("trajectory_xt");
		assertEquals("gravel_degraded_pigdm_trajectory_xt", traj.getTitle());
		assertEquals(4, traj.getStackSize());
		assertNotNull(steps.getOutput("trajectory_x0"));
		final float[] a = (float[]) ((ImagePlus) closed.getOutput("mean")).getProcessor().getPixels();
		final float[] b = (float[]) ((ImagePlus) steps.getOutput("mean")).getProcessor().getPixels();
		double diff = 0;
		for (int i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
		// Diffusion samplers are not equivariant to the intensity map (their noise has a fixed scale in
		// [−1, 1]), so the data range changes the law — a little, for these two similar ranges.
		assertTrue(diff > 1e-3 && diff < 20, "auto range (gravel's min..max) vs 0,255: " + diff);

		expectFailure(run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "dps", "steps", 2000), "exceeds");
		expectFailure(run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "dps", "weights", "custom", "weight_list", "1,2"), "one weight per step");
		expectFailure(run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "sdedit", "t0", 5000), "t0");
		expectFailure(run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "dps", "data_range", "5"), "data_range");
		expectFailure(run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "dps", "base_step", "ddim", "eta", 2.0), "eta");
	}

	@Test
	void priorSurvivesTiffRoundTrip(@TempDir final Path dir) throws Exception {
		final ImagePlus image = gravel(40);
		final CommandModule p = run(BuildGaussianPrior.class, "image", image, "estimator", "periodogram", "output_folder", dir.toFile());
		final GaussianPrior original = PriorImage.read((ImagePlus) p.getOutput("prior"));
		final GaussianPrior reopened = PriorImage.read(IJ.openImage(dir.resolve("gravel_prior.tif").toString()));
		assertEquals(original.mean(), reopened.mean(), 0);
		final double[] a = original.spectrum().values(), b = reopened.spectrum().values();
		for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-6 * a[i] + 1e-12, "λ survives as float log10 to ~1e-6");
	}

	@Test
	void badInputsCancelWithAClearMessageAndNoOutput(@TempDir final Path dir) throws Exception {
		final ImagePlus image = gravel(48);
		expectFailure(run(BuildGaussianPrior.class, "estimator", "adsn"), "No input image");
		// RGB is read as three channels (ColourCommandsTest); indexed colour has no intensities to read.
		final ImagePlus indexed = ColourCommandsTest.rgb(32, 32, 1);
		new ij.process.ImageConverter(indexed).convertRGBtoIndexedColor(64);
		assertEquals(ImagePlus.COLOR_256, indexed.getType());
		expectFailure(run(BuildGaussianPrior.class, "image", indexed), "indexed colour");
		final FloatProcessor nan = (FloatProcessor) image.getProcessor().convertToFloat();
		nan.setf(3, 4, Float.NaN);
		expectFailure(run(BuildGaussianPrior.class, "image", new ImagePlus("nan", nan)), "NaN");
		final ImagePlus flat = new ImagePlus("flat", new FloatProcessor(32, 32));
		expectFailure(run(BuildGaussianPrior.class, "image", flat), "constant");
		final ImagePlus small = gravel(48);
		small.setRoi(new Roi(2, 2, 5, 5));
		expectFailure(run(BuildGaussianPrior.class, "image", small), "5×5");
		expectFailure(run(SimulateDegradation.class, "image", image, "noise_sigma", -1.0), "noise_sigma");
		expectFailure(run(SimulateDegradation.class, "image", image, "operator", "psf", "psf", new ImagePlus("zero", new FloatProcessor(5, 5))), "sums to zero");
		final FloatProcessor inf = new FloatProcessor(3, 3);
		inf.setf(1, 1, Float.POSITIVE_INFINITY);
		expectFailure(run(SimulateDegradation.class, "image", image, "operator", "psf", "psf", new ImagePlus("inf", inf)), "NaN or infinite");
		final FloatProcessor big = new FloatProcessor(60, 60);
		big.setf(30, 30, 1);
		expectFailure(run(SimulateDegradation.class, "image", image, "operator", "psf", "psf", new ImagePlus("big", big)), "larger than the image");

		final ImagePlus prior = (ImagePlus) run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus degraded = (ImagePlus) run(SimulateDegradation.class, "image", gravel(40), "noise_sigma", 2.0).getOutput("degraded");
		expectFailure(run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "output_folder", dir.toFile()), "target_width=40");
		final ImagePlus degraded48 = (ImagePlus) run(SimulateDegradation.class, "image", image, "noise_sigma", 2.0).getOutput("degraded");
		expectFailure(run(PosteriorSampling.class, "prior", prior, "measurement", degraded48, "samples", 0), "at least 1");
		expectFailure(run(PosteriorSampling.class, "prior", prior, "measurement", degraded48, "samples", Integer.MAX_VALUE), "memory");
		expectFailure(run(PosteriorSampling.class, "prior", degraded48, "measurement", degraded48), "not a prior");
		assertEquals(0, dir.toFile().list().length, "a failed run writes nothing");
	}

	static void expectFailure(final CommandModule m, final String fragment) {
		assertTrue(m.isCanceled(), "should have been refused");
		assertNotNull(m.getCancelReason());
		assertTrue(m.getCancelReason().contains(fragment), () -> "message '" + m.getCancelReason() + "' should mention '" + fragment + "'");
		assertNull(((SpectralCommand) m.getCommand()).result(), "no output on failure");
	}
}
