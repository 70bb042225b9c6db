package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.process.ByteProcessor;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;

/** Simulate Degradation with operator=inpaint, then exact posterior samples by kriging + innovation. */
class InpaintingCommandsTest {

	@Test
	void roiHoleDegradeAndSample() throws Exception {
		final ImagePlus image = CommandsTest.gravel(64);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final Roi hole = new Roi(20, 24, 16, 12);
		image.setRoi(hole);
		final float[] before = ((float[]) image.getProcessor().convertToFloat().getPixels()).clone();
		final CommandModule d = CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "inpaint", "noise_sigma", 2.0, "seed", 4L);
		assertFalse(d.isCanceled(), () -> d.getCancelReason());
		final ImagePlus degraded = (ImagePlus) d.getOutput("degraded"), mask = (ImagePlus) d.getOutput("mask_image");
		assertNull(d.getOutput("psf_image"));
		assertEquals("gravel_mask", mask.getTitle());
		assertSame(hole, image.getRoi(), "the input keeps its ROI");
		final float[] after = (float[]) image.getProcessor().convertToFloat().getPixels();
		for (int i = 0; i < before.length; i++) assertEquals(before[i], after[i], "input untouched");
		final float[] v = (float[]) degraded.getProcessor().getPixels();
		int missing = 0;
		for (int y = 0; y < 64; y++) {
			for (int x = 0; x < 64; x++) {
				final boolean inHole = hole.contains(x, y);
				assertEquals(inHole, Float.isNaN(v[y * 64 + x]), "NaN exactly in the hole at " + x + "," + y);
				assertEquals(inHole ? 0 : 255, mask.getProcessor().get(x, y));
				if (inHole) missing++;
			}
		}
		assertEquals(16 * 12, missing);
		assertEquals("inpaint", org.spectralposterior.imagej.Metadata.read(degraded).get("operator"));

		image.deleteRoi();
		final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "samples", 6, "seed", 2L, "ground_truth", image);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		final ImagePlus samples = (ImagePlus) s.getOutput("samples_stack"), mean = (ImagePlus) s.getOutput("mean"), std = (ImagePlus) s.getOutput("std");
		assertEquals("gravel_degraded_exact_samples", samples.getTitle());
		assertEquals(6, samples.getNFrames());
		assertNull(s.getOutput("w2_map"));
		assertEquals(0.25, mean.getCalibration().pixelWidth, "outputs carry the calibration");
		final ResultsTable t = AnalysisCommandsTest.table(s);
		assertEquals(192, (int) t.getValue("missing pixels", 0));
		assertTrue(t.getValue("CG worst relative residual", 0) <= 1e-10);
		// The kriged hole beats filling it with the prior mean, and the std is larger in the hole.
		final float[] m = (float[]) mean.getProcessor().getPixels(), sd = (float[]) std.getProcessor().getPixels(), truth = after;
		final double priorMean = org.spectralposterior.imagej.PriorImage.read(prior).mean();
		double errKrige = 0, errFlat = 0, stdIn = 0, stdOut = 0;
		for (int y = 0; y < 64; y++) {
			for (int x = 0; x < 64; x++) {
				final int i = y * 64 + x;
				if (hole.contains(x, y)) {
					errKrige += Math.pow(m[i] - truth[i], 2);
					errFlat += Math.pow(priorMean - truth[i], 2);
					stdIn += sd[i] / 192;
				}
				else {
					stdOut += sd[i] / (4096 - 192);
					assertEquals(v[i], m[i], 4 * 2.0, "the mean follows the observation (σ = 2)");
				}
			}
		}
		assertTrue(errKrige < errFlat, "kriging " + errKrige + " vs flat fill " + errFlat);
		assertTrue(stdIn > 3 * stdOut, "std in the hole " + stdIn + " vs observed " + stdOut);
		assertTrue(t.getValue("PSNR mean in the missing pixels (dB)", 0) > 0);
	}

	@Test
	void aSmoothedRoiPriorInpaintsWhereTheRawOneCannot() throws Exception {
		// A prior from the lower half, a hole in the upper half: the raw (zero-padded ADSN) spectrum's side
		// lobes make the kriging from ~16 000 near-exact pixels wild; the lag-windowed one does not.
		final ImagePlus image = CommandsTest.gravel(128);
		final Roi hole = new Roi(50, 25, 24, 18);
		image.setRoi(hole);
		final ImagePlus degraded = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "inpaint", "noise_sigma", 1.0, "seed", 2L).getOutput("degraded");
		final double[] psnr = new double[2];
		int i = 0;
		for (final String estimator : new String[] { "adsn", "smoothed" }) {
			image.setRoi(new Roi(0, 64, 128, 64));
			final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image, "estimator", estimator, "target_width", 128, "target_height", 128)
				.getOutput("prior");
			image.deleteRoi();
			final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "samples", 2, "seed", 1L, "ground_truth", image);
			assertFalse(s.isCanceled(), () -> s.getCancelReason());
			psnr[i++] = AnalysisCommandsTest.table(s).getValue("PSNR mean in the missing pixels (dB)", 0);
		}
		assertTrue(psnr[1] > psnr[0] + 3, "PSNR in the hole: smoothed " + psnr[1] + " dB vs adsn " + psnr[0] + " dB");
	}

	@Test
	void maskImageAndBadInputs() throws Exception {
		final ImagePlus image = CommandsTest.gravel(40);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ByteProcessor bp = new ByteProcessor(40, 40);
		bp.setValue(255);
		bp.fill();
		for (int y = 0; y < 40; y++) for (int x = 0; x < 40; x++) if ((x - 20) * (x - 20) + (y - 18) * (y - 18) < 36) bp.set(x, y, 0);
		final ImagePlus maskImp = new ImagePlus("m", bp);
		final CommandModule d = CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "inpaint", "mask", maskImp, "noise_sigma", 0.0);
		assertFalse(d.isCanceled(), () -> d.getCancelReason());
		final ImagePlus degraded = (ImagePlus) d.getOutput("degraded");
		assertTrue(Float.isNaN(degraded.getProcessor().getf(20, 18)) && !Float.isNaN(degraded.getProcessor().getf(0, 0)));
		// Noiseless: the posterior keeps the observed pixels.
		final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "samples", 2, "seed", 1L);
		// Above 64×64 pixels: the exact posterior std still, and a Monte-Carlo W2² (a lower bound with its interval) for a diffusion sampler.
		final ImagePlus big = CommandsTest.gravel(72);
		final ImagePlus bigPrior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", big).getOutput("prior");
		final ImagePlus bigDegraded = holed(big, 30, 38, 20, 33, 3L);
		final CommandModule mcRun = CommandsTest.run(PosteriorSampling.class, "prior", bigPrior, "measurement", bigDegraded, "method", "dps", "samples", 4, "steps", 10, "seed", 1L);
		assertFalse(mcRun.isCanceled(), () -> mcRun.getCancelReason());
		final ResultsTable mt = AnalysisCommandsTest.table(mcRun);
		assertTrue(Double.isNaN(mt.getValue("W2", 0)) && mt.getStringValue("W2^2", 0).contains("not computed"), mt.getStringValue("W2^2", 0));
		final double est = mt.getValue("W2^2 Monte Carlo", 0), lo = mt.getValue("W2^2 MC 95% low", 0), hi = mt.getValue("W2^2 MC 95% high", 0);
		assertTrue(lo >= mt.getValue("W2^2 mean part", 0) * (1 - 1e-9) && lo <= est && est <= hi && lo >= 0, lo + " ≤ " + est + " ≤ " + hi);
		assertTrue(mt.getStringValue("W2^2 MC method", 0).contains("lower bound"));
		final CommandModule few = CommandsTest.run(PosteriorSampling.class, "prior", bigPrior, "measurement", bigDegraded, "method", "dps", "samples", 2, "steps", 10, "seed", 1L);
		assertTrue(AnalysisCommandsTest.table(few).getStringValue("W2^2 Monte Carlo", 0).contains("needs ≥ 3 samples"));
		final CommandModule bigExact = CommandsTest.run(PosteriorSampling.class, "prior", bigPrior, "measurement", bigDegraded, "samples", 1, "seed", 1L);
		assertEquals("exact (posterior variance through the hole)", AnalysisCommandsTest.table(bigExact).getStringValue("std", 0));
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		final ImagePlus sample = (ImagePlus) s.getOutput("samples_stack");
		assertEquals(degraded.getProcessor().getf(0, 0), sample.getStack().getProcessor(1).getf(0, 0), 1e-2);

		CommandsTest.expectFailure(CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "pigdm"), "needs noise_sigma > 0");
		// Every diffusion method runs on inpainting, in the pixel domain; up to 64×64 pixels W2² is exact
		// (dense), the exact posterior's std too.
		final CommandModule dd = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "ddnm", "samples", 2, "steps", 20, "seed", 1L);
		assertFalse(dd.isCanceled(), () -> dd.getCancelReason());
		final ResultsTable dt = AnalysisCommandsTest.table(dd);
		assertEquals(dt.getValue("W2^2 mean part", 0) + dt.getValue("W2^2 covariance part", 0), dt.getValue("W2^2", 0), 1e-9 * (1 + dt.getValue("W2^2", 0)));
		assertEquals("exact (posterior variance through the hole)", AnalysisCommandsTest.table(s).getStringValue("std", 0));
		CommandsTest.expectFailure(CommandsTest.run(SimulateDegradation.class, "image", CommandsTest.gravel(40), "operator", "inpaint"), "needs the missing pixels");
		CommandsTest.expectFailure(CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "inpaint", "mask", new ImagePlus("small", new ByteProcessor(8, 8))),
			"give a mask of the image's size");
		final ByteProcessor none = new ByteProcessor(40, 40);
		CommandsTest.expectFailure(CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "inpaint", "mask", new ImagePlus("zero", none)), "observes no pixel");
		CommandsTest.expectFailure(CommandsTest.run(CompareSamplers.class, "prior", bigPrior, "measurement", bigDegraded, "operator", "from measurement"), "at most 4096 pixels (64×64)");
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "measurement", degraded, "operator", "from measurement"), "not a convolution");
	}

	/** The image with the rectangle [y0, y1) × [x0, x1) missing, noise σ = 2 (Simulate Degradation). */
	private static ImagePlus holed(final ImagePlus image, final int y0, final int y1, final int x0, final int x1, final long seed) throws Exception {
		final ByteProcessor bp = new ByteProcessor(image.getWidth(), image.getHeight());
		bp.setValue(255);
		bp.fill();
		for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) bp.set(x, y, 0);
		return (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "inpaint", "mask", new ImagePlus("m", bp), "noise_sigma", 2.0, "seed", seed).getOutput("degraded");
	}

	/**
	 * At 24×24 (≤ 64×64) the diffusion samplers' laws are exact: W2 to the exact posterior by dense
	 * algebra, the exact std; CGDM lands far closer to the posterior than DPS with its heuristic
	 * weight (which diverges here), and the exact posterior's own std is exact too (through the hole), not the
	 * samples' std.
	 */
	@Test
	void smallImagesGetTheExactW2OfEveryMethod() throws Exception {
		final ImagePlus image = CommandsTest.gravel(24);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus degraded = holed(image, 8, 14, 6, 15, 4L);
		final double[] w2 = new double[2];
		final String[] methods = { "cgdm", "dps" };
		double trace = 0;
		for (int k = 0; k < 2; k++) {
			final CommandModule m = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", methods[k], "samples", 2, "steps", 30, "seed", 1L);
			assertFalse(m.isCanceled(), () -> m.getCancelReason());
			final ResultsTable t = AnalysisCommandsTest.table(m);
			w2[k] = t.getValue("W2^2", 0);
			assertEquals(t.getValue("W2^2 mean part", 0) + t.getValue("W2^2 covariance part", 0), w2[k], 1e-9 * (1 + w2[k]));
			assertEquals("exact (dense output covariance)", t.getStringValue("std", 0));
		}
		final CommandModule ex = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "samples", 2, "seed", 1L);
		assertEquals("exact (posterior variance through the hole)", AnalysisCommandsTest.table(ex).getStringValue("std", 0));
		final float[] sd = (float[]) ((ImagePlus) ex.getOutput("std")).getProcessor().getPixels();
		for (final float v : sd) trace += v * v;
		assertTrue(w2[0] < 0.25 * trace && w2[0] < 0.2 * w2[1], "CGDM W2² " + w2[0] + ", DPS " + w2[1] + ", posterior trace " + trace);
		// Compare Samplers on the same small inpainting problem: E_v W2 (dense, exact) per method.
		final CommandModule cmp = CommandsTest.run(CompareSamplers.class, "prior", prior, "measurement", degraded, "operator", "from measurement", "methods", "cgdm,dps", "steps_list", "30");
		assertFalse(cmp.isCanceled(), () -> cmp.getCancelReason());
		final ResultsTable ct = AnalysisCommandsTest.table(cmp);
		assertEquals(2, ct.size());
		assertTrue(ct.getValue("E_v W2^2", 0) < ct.getValue("E_v W2^2", 1), "CGDM " + ct.getValue("E_v W2^2", 0) + " vs DPS " + ct.getValue("E_v W2^2", 1));
		assertTrue(ct.getValue("E_v W2^2", 0) > 0 && Double.isFinite(ct.getValue("E_v W2^2", 0)));
		// A non-affine method has no closed form on inpainting: its row says so, the others are computed.
		final ResultsTable nl = AnalysisCommandsTest.table(CommandsTest.run(CompareSamplers.class, "prior", prior, "measurement", degraded, "operator", "from measurement", "methods",
			"dps-normalized,ddnm", "steps_list", "10"));
		assertTrue(nl.getStringValue("status", 0).startsWith("no closed form") && nl.getValue("E_v W2^2", 1) > 0);
		final CommandModule dn = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "dps-normalized", "samples", 3, "steps", 10, "seed", 1L);
		assertFalse(dn.isCanceled(), () -> dn.getCancelReason());
		assertTrue(AnalysisCommandsTest.table(dn).getStringValue("W2^2 mean part", 0).startsWith("no closed form"));
		// The posterior std is small where pixels are observed (σ = 2) and large inside the hole.
		assertTrue(sd[11 * 24 + 10] > 3 * sd[2 * 24 + 2], "std in the hole " + sd[11 * 24 + 10] + " vs outside " + sd[2 * 24 + 2]);
	}
}
