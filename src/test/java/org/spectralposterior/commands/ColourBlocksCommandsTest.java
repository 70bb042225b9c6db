package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import ij.process.FloatProcessor;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.BlockSampler;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.BlockLaw;
import org.spectralposterior.core.posterior.DenseBlocks;
import org.spectralposterior.core.prior.ColourPrior;
import org.spectralposterior.imagej.MeasurementImage;
import org.spectralposterior.imagej.PriorImage;

/**
 * Colour super-resolution and a PSF per colour channel from the user's side (issue 9): an RGB image,
 * Simulate Degradation (downsample=2, or a 3-slice PSF image: one PSF per channel), Posterior Sampling
 * with the cross-channel prior — the exact posterior and a diffusion method, closed form and step by
 * step, whose figures are the dense block engine's in image units and whose samples have the block law's
 * joint law (whitened by its whole pixel × channel covariance: white); a per-channel grey prior takes
 * each channel's own PSF.
 */
class ColourBlocksCommandsTest {

	static final int W = 12, H = 10;

	/** A 3-slice PSF stack: Gaussian widths 0.6, 1.0 and 1.6 px on a 7×7 support (chromatic aberration). */
	static ImagePlus psfStack() {
		final ImageStack st = new ImageStack(7, 7);
		for (final double s : new double[] { 0.6, 1.0, 1.6 }) {
			final float[] px = new float[49];
			double sum = 0;
			for (int y = -3; y <= 3; y++) for (int x = -3; x <= 3; x++) sum += px[(y + 3) * 7 + x + 3] = (float) Math.exp(-(x * x + 0.7 * y * y + 0.3 * x * y) / (2 * s * s));
			for (int i = 0; i < 49; i++) px[i] /= sum;
			st.addSlice(new FloatProcessor(7, 7, px));
		}
		return new ImagePlus("psf3", st);
	}

	/** The block law's covariance over (channel, pixel) in image units², column by column. */
	static DMatrixRMaj dense(final BlockLaw law, final int n, final int d, final double scale2) {
		final DMatrixRMaj cov = new DMatrixRMaj(n * d, n * d);
		for (int col = 0; col < n * d; col++) {
			final double[][] e = new double[n][d];
			e[col / d][col % d] = 1;
			final double[][] y = law.applyCovariance(e);
			for (int c = 0; c < n; c++) for (int p = 0; p < d; p++) cov.set(c * d + p, col, y[c][p] * scale2);
		}
		return cov;
	}

	private static void check(final ImagePlus prior, final ImagePlus v, final BlurOperator[] blurs, final int r, final double sigma, final String label, final String mode) throws Exception {
		final ColourPrior colourPrior = PriorImage.readColour(prior);
		for (final String method : new String[] { "exact posterior", "pigdm" }) {
			final boolean exact = method.startsWith("exact");
			final int ns = 900;
			final Object[] args = exact ? new Object[] { "prior", prior, "measurement", v, "method", method, "samples", ns, "seed", 4L }
				: new Object[] { "prior", prior, "measurement", v, "method", method, "samples", ns, "seed", 4L, "steps", 8, "mode", mode };
			final CommandModule s = CommandsTest.run(PosteriorSampling.class, args);
			assertFalse(s.isCanceled(), () -> s.getCancelReason());
			final ImagePlus samples = (ImagePlus) s.getOutput("samples_stack"), meanImp = (ImagePlus) s.getOutput("mean");
			assertEquals(W, samples.getWidth(), label + ": samples on the high-resolution grid");
			assertEquals(3, samples.getNChannels());
			final ResultsTable t = AnalysisCommandsTest.table(s);
			final IntensityMap map = exact ? new IntensityMap(-1, 1) : new IntensityMap(ColourCommandsTest.range(prior)[0], ColourCommandsTest.range(prior)[1]);
			final DenseBlocks problem = DenseBlocks.colour(colourPrior.affine(map.mid(), map.half()), blurs, r, map.noiseToUnit(sigma));
			final BlockLaw post = BlockLaw.posterior(problem);
			final BlockLaw law = exact ? post
				: new BlockSampler(problem, new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 8, BaseStep.DDPM, 0, null, 500)).closedForm().law();
			final double half2 = map.half() * map.half();
			if (exact) assertEquals(0, t.getValue("W2", 0), 1e-12, label);
			else {
				final double ev = law.expected(post).squared() * half2;
				assertEquals(ev, t.getValue("E_v W2^2", 0), 1e-9 * ev, label + " " + method + ": E_v W2² in image units");
				assertTrue(t.getValue("W2", 0) > 0, label);
				assertTrue(s.getOutput("w2_map") != null, label + ": a W2 map");
			}
			assertEquals(post.trace() * half2, t.getValue("posterior trace", 0), 1e-9 * post.trace() * half2, label);
			// The samples' joint law over pixels and channels: whitened by the law's dense covariance.
			final DMatrixRMaj cov = dense(law, 3, W * H, half2);
			final double[] mean = ColourCommandsTest.flatten(meanImp, 1, 3);
			final List<double[]> xs = new ArrayList<>();
			for (int f = 1; f <= ns; f++) xs.add(ColourCommandsTest.flatten(samples, f, 3));
			final double[] wh = ColourCommandsTest.whiteness(xs, mean, cov);
			assertEquals(1, wh[0], 0.06, label + " " + method + " whitened variance");
			assertEquals(1, wh[1], 0.15, label + " " + method + " whitened cross terms");
		}
	}

	@Test
	void colourSuperResolutionRunsEveryRoute() throws Exception {
		final ImagePlus image = ColourCommandsTest.rgb(W, H, 3);
		final ImagePlus prior = ColourCommandsTest.prior(image);
		final CommandModule d = CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 0.8, "downsample", 2, "noise_sigma", 3.0, "seed", 2L);
		final ImagePlus v = (ImagePlus) d.getOutput("degraded");
		assertEquals(W / 2, v.getWidth());
		final BlurOperator[] blur = { BlurOperator.of(OperatorSpec.gaussian(0.8), H, W) };
		check(prior, v, blur, 2, 3.0, "colour SR ×2", "closed form");
		// Step by step: the samples are the algorithm's own runs, with the same joint law.
		check(prior, v, blur, 2, 3.0, "colour SR ×2 step by step", "step by step");
	}

	@Test
	void aPsfPerChannelBlursEachChannelWithItsOwnAndIsInverted() throws Exception {
		final ImagePlus image = ColourCommandsTest.rgb(W, H, 5);
		final ImagePlus prior = ColourCommandsTest.prior(image);
		final ImagePlus psf = psfStack();
		final CommandModule d = CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "psf", "psf", psf, "noise_sigma", 0.0, "seed", 2L);
		assertFalse(d.isCanceled(), () -> d.getCancelReason());
		final ImagePlus v = (ImagePlus) d.getOutput("degraded");
		final OperatorSpec spec = MeasurementImage.operator(v);
		assertTrue(spec.perChannel() && spec.channelCount() == 3, "the measurement records a PSF per channel: " + spec.describe());
		assertEquals(3, ((ImagePlus) d.getOutput("psf_image")).getStackSize(), "the PSF output has one slice per channel");
		// Noise-free: channel c is exactly its own blur of channel c (not channel 1's PSF for all).
		final ImagePlus clean = org.spectralposterior.imagej.Planes.channels(image);
		final java.awt.Rectangle all = new java.awt.Rectangle(0, 0, W, H);
		final BlurOperator[] blurs = new BlurOperator[3];
		for (int c = 0; c < 3; c++) {
			blurs[c] = BlurOperator.of(spec.channel(c), H, W);
			final double[] want = blurs[c].apply(org.spectralposterior.imagej.Planes.read(clean, c + 1, all)), got = org.spectralposterior.imagej.Planes.read(v, c + 1, all);
			for (int p = 0; p < want.length; p++) assertEquals(want[p], got[p], 1e-3, "channel " + (c + 1) + " pixel " + p);
		}
		final CommandModule dn = CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "psf", "psf", psf, "noise_sigma", 3.0, "seed", 2L);
		check(prior, (ImagePlus) dn.getOutput("degraded"), blurs, 1, 3.0, "PSF per channel", "closed form");
		// A per-channel grey prior takes each channel's PSF: its exact mean is each channel's Wiener filter.
		final ImagePlus grey = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image, "colour_model", "per channel").getOutput("prior");
		final ImagePlus vn = (ImagePlus) dn.getOutput("degraded");
		final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", grey, "measurement", vn, "method", "exact posterior", "samples", 1, "seed", 1L);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		final ImagePlus m = (ImagePlus) s.getOutput("mean");
		final var priors = PriorImage.readAll(grey);
		for (int c = 0; c < 3; c++) {
			final double[] want = org.spectralposterior.core.posterior.ExactPosterior.of(priors.get(c), blurs[c], 3.0).meanImage(org.spectralposterior.imagej.Planes.read(vn, c + 1, all));
			final double[] got = org.spectralposterior.imagej.Planes.read(m, c + 1, all);
			for (int p = 0; p < want.length; p++) assertEquals(want[p], got[p], 1e-3 * (1 + Math.abs(want[p])), "per-channel prior, channel " + (c + 1));
		}
		// A command that models one plane says so (before its operator is looked at).
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", grey, "measurement", vn, "method", "pigdm", "steps", 5), "has 3 channels");
		// A PSF stack whose count is not the image's channels.
		final ImageStack two = new ImageStack(7, 7);
		two.addSlice(psf.getStack().getProcessor(1));
		two.addSlice(psf.getStack().getProcessor(2));
		CommandsTest.expectFailure(CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "psf", "psf", new ImagePlus("psf2", two), "noise_sigma", 1.0), "2 PSFs (one per channel)");
	}
}
