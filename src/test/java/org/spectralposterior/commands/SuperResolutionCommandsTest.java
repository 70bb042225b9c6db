package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;
import org.spectralposterior.core.metric.ImageQuality;

/** Simulate Degradation with downsample = r, then exact super-resolution posterior samples on the fine grid. */
class SuperResolutionCommandsTest {

	@Test
	void downsampleAndSuperResolve() throws Exception {
		final ImagePlus image = CommandsTest.gravel(48);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final CommandModule d = CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 1.0, "downsample", 2, "noise_sigma", 2.0, "seed", 5L);
		assertFalse(d.isCanceled(), () -> d.getCancelReason());
		final ImagePlus low = (ImagePlus) d.getOutput("degraded");
		assertEquals(24, low.getWidth());
		assertEquals(24, low.getHeight());
		assertEquals(0.5, low.getCalibration().pixelWidth, 1e-12, "the pixel size grows by r");
		assertEquals("2", org.spectralposterior.imagej.Metadata.read(low).get("downsample"));

		final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", low, "samples", 4, "seed", 3L, "ground_truth", image);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		final ImagePlus samples = (ImagePlus) s.getOutput("samples_stack"), mean = (ImagePlus) s.getOutput("mean"), std = (ImagePlus) s.getOutput("std");
		assertEquals(48, samples.getWidth());
		assertEquals(4, samples.getNFrames());
		assertEquals(0.25, mean.getCalibration().pixelWidth, 1e-12, "outputs on the fine grid");
		assertNull(s.getOutput("w2_map"));
		final ResultsTable t = AnalysisCommandsTest.table(s);
		// The posterior mean beats nearest-neighbour upsampling of the measurement.
		final double[] truth = toDouble((float[]) image.getProcessor().convertToFloat().getPixels());
		final double[] nearest = toDouble((float[]) low.getProcessor().resize(48, 48, false).convertToFloat().getPixels());
		final double peak = ImageQuality.dataRange(truth);
		final double psnr = t.getValue("PSNR mean (dB)", 0);
		assertTrue(psnr > ImageQuality.psnr(truth, nearest, peak) + 1, psnr + " dB vs nearest neighbour " + ImageQuality.psnr(truth, nearest, peak));
		final double coverage = t.getValue("coverage ±2 std", 0);
		assertTrue(coverage > 0.8 && coverage <= 1, "±2 std coverage " + coverage);
		// The exact std is periodic with period 2 and positive.
		final float[] sd = (float[]) std.getProcessor().getPixels();
		for (int y = 0; y < 46; y++) for (int x = 0; x < 46; x++) assertEquals(sd[y * 48 + x], sd[(y + 2) * 48 + x + 2], 1e-4 * sd[y * 48 + x]);
		assertTrue(sd[0] > 0);

		// Every diffusion method runs on super-resolution: CGDM (the exact conditional score) lands close to
		// the posterior, its law's W2 and maps are reported, and step by step runs on the fine grid.
		final CommandModule cg = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", low, "method", "cgdm", "samples", 2, "steps", 100, "seed", 3L);
		assertFalse(cg.isCanceled(), () -> cg.getCancelReason());
		final ResultsTable ct = AnalysisCommandsTest.table(cg);
		assertEquals("CGDM (exact conditional score)", ct.getStringValue("method", 0));
		final double cgW2 = ct.getValue("W2^2", 0), trace = ct.getValue("posterior trace", 0);
		assertTrue(cgW2 >= 0 && cgW2 < 0.05 * trace, "CGDM W2² " + cgW2 + " vs posterior trace " + trace);
		assertEquals(48, ((ImagePlus) cg.getOutput("w2_map")).getWidth());
		final float[] cgMean = (float[]) ((ImagePlus) cg.getOutput("mean")).getProcessor().getPixels(), exMean = (float[]) mean.getProcessor().getPixels();
		double diff = 0, norm = 0;
		for (int i = 0; i < exMean.length; i++) {
			diff += (cgMean[i] - exMean[i]) * (cgMean[i] - exMean[i]);
			norm += (exMean[i] - 128) * (exMean[i] - 128);
		}
		assertTrue(diff < 0.01 * norm, "CGDM mean close to the posterior mean: " + diff + " vs " + norm);
		final CommandModule dd = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", low, "method", "ddrm", "mode", "step by step", "samples", 3, "steps", 20, "seed", 3L);
		assertFalse(dd.isCanceled(), () -> dd.getCancelReason());
		assertEquals(3, ((ImagePlus) dd.getOutput("samples_stack")).getNFrames());
		assertTrue(AnalysisCommandsTest.table(dd).getValue("W2", 0) > 0);
		// Compare Samplers on the same super-resolution problem: its E_v W2² for CGDM at 100 steps is
		// Posterior Sampling's, and more steps bring CGDM closer to the posterior.
		final CommandModule cmp = CommandsTest.run(CompareSamplers.class, "prior", prior, "measurement", low, "operator", "from measurement", "methods", "cgdm,ddrm", "steps_list", "10,100");
		assertFalse(cmp.isCanceled(), () -> cmp.getCancelReason());
		final ResultsTable ctab = AnalysisCommandsTest.table(cmp);
		assertEquals(4, ctab.size());
		assertEquals(ct.getValue("E_v W2^2", 0), ctab.getValue("E_v W2^2", 1), 1e-9 * ct.getValue("E_v W2^2", 0), "Compare Samplers = Posterior Sampling for CGDM, n = 100");
		assertTrue(ctab.getValue("E_v W2^2", 1) < ctab.getValue("E_v W2^2", 0));
		assertTrue(ctab.getStringValue("operator", 0).contains("downsampled ×2"));
		// Tune Sampler Weights on super-resolution: the tuned weights beat the heuristic ones for the exact
		// objective, and Posterior Sampling with them reports that very E_v W2².
		final CommandModule tu = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "measurement", low, "operator", "from measurement", "method", "dps", "steps", 20,
			"iterations", 40);
		assertFalse(tu.isCanceled(), () -> tu.getCancelReason());
		final ResultsTable tuning = ((SpectralCommand) tu.getCommand()).result().tables().entrySet().stream().filter(e -> e.getKey().endsWith("_tuning")).findFirst().orElseThrow()
			.getValue();
		final double heuristic = tuning.getValue("E_v W2^2", 0), tuned = tuning.getValue("E_v W2^2", 2);
		assertTrue(tuned < 0.9 * heuristic, "tuned " + tuned + " vs heuristic " + heuristic);
		final String list = tuning.getStringValue("weight_list", 2);
		final CommandModule withTuned = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", low, "method", "dps", "steps", 20, "weights", "custom", "weight_list", list,
			"samples", 1);
		assertEquals(tuned, AnalysisCommandsTest.table(withTuned).getValue("E_v W2^2", 0), 1e-6 * tuned);
		// Transfer Functions on super-resolution: per HR frequency, the gain from its group's LR coefficient and the std.
		final CommandModule tf = CommandsTest.run(TransferFunctions.class, "prior", prior, "measurement", low, "operator", "from measurement", "methods", "cgdm", "steps", 100);
		assertFalse(tf.isCanceled(), () -> tf.getCancelReason());
		final ImagePlus tfi = (ImagePlus) tf.getOutput("transfer");
		assertEquals(4, tfi.getStackSize());
		assertEquals(48, tfi.getWidth());
		// CGDM's output std is close to the posterior's (the std slices 2 and 4, frequency by frequency).
		final float[] ps = (float[]) tfi.getStack().getProcessor(2).getPixels(), cs = (float[]) tfi.getStack().getProcessor(4).getPixels();
		double num = 0, den = 0;
		for (int i = 0; i < ps.length; i++) {
			num += (ps[i] - cs[i]) * (ps[i] - cs[i]);
			den += ps[i] * ps[i];
		}
		assertTrue(num < 0.05 * den, "CGDM's std vs the posterior's: " + num + " / " + den);
		CommandsTest.expectFailure(CommandsTest.run(SimulateDegradation.class, "image", CommandsTest.gravel(45), "downsample", 2), "not a multiple");
		final ImagePlus smallPrior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(24)).getOutput("prior");
		CommandsTest.expectFailure(CommandsTest.run(PosteriorSampling.class, "prior", smallPrior, "measurement", low), "target_width=48");
	}

	private static double[] toDouble(final float[] f) {
		final double[] d = new double[f.length];
		for (int i = 0; i < f.length; i++) d[i] = f[i];
		return d;
	}
}
