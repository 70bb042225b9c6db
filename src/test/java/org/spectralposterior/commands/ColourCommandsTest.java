package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import ij.process.ColorProcessor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.ColourConvolution;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.ColourPrior;
import org.spectralposterior.core.prior.ColourPriorTestAccess;
import org.spectralposterior.imagej.Metadata;
import org.spectralposterior.imagej.PriorImage;

/**
 * Colour from the user's side: an RGB image through Build Gaussian Prior (cross-channel by default
 * for RGB), Simulate Degradation (one PSF, noise per channel) and Posterior Sampling, whose samples
 * are checked against the closed-form colour law by their <em>joint</em> law: whitened by the exact
 * 3d×3d covariance, the samples must be white — across pixels and across colour channels — which
 * fails if the eigen-channels shared or shifted a random stream, or if a rotation were wrong.
 */
class ColourCommandsTest {

	static final int W = 12, H = 10;

	/** An RGB image of a colour texture with strongly correlated channels. */
	static ImagePlus rgb(final int w, final int h, final long seed) {
		final double[][] x = ColourPriorTestAccess.exemplar(h, w, seed);
		final ColorProcessor cp = new ColorProcessor(w, h);
		for (int p = 0; p < w * h; p++) {
			final int r = clamp(x[0][p]), g = clamp(x[1][p]), b = clamp(x[2][p]);
			cp.set(p, (r << 16) | (g << 8) | b);
		}
		return new ImagePlus("colour.png", cp);
	}

	private static int clamp(final double v) {
		return (int) Math.max(0, Math.min(255, Math.round(v)));
	}

	static ImagePlus prior(final ImagePlus image) throws Exception {
		final CommandModule m = CommandsTest.run(BuildGaussianPrior.class, "image", image, "estimator", "smoothed");
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		return (ImagePlus) m.getOutput("prior");
	}

	@Test
	void rgbGivesAColourPriorThatRoundTrips() throws Exception {
		final ImagePlus image = rgb(W, H, 3);
		final ImagePlus prior = prior(image);
		assertTrue(PriorImage.isColour(prior), "RGB defaults to the cross-channel model");
		assertEquals(9, prior.getStackSize(), "3 spectra + 3 pairs × (re, im)");
		assertEquals(ImagePlus.COLOR_RGB, image.getType(), "the input is not modified");
		final ColourPrior read = PriorImage.readColour(prior);
		final ColourPrior again = PriorImage.readColour(PriorImage.createColour("again", read, java.util.Map.of()));
		for (int i = 0; i < read.blocks().length; i++) assertEquals(read.blocks()[i], again.blocks()[i], 1e-5 * (1 + Math.abs(read.blocks()[i])), "block value " + i);
		// Per channel stays available, and the per-channel commands refuse a colour prior with the fix.
		final ImagePlus perChannel = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image, "colour_model", "per channel").getOutput("prior");
		assertFalse(PriorImage.isColour(perChannel));
		assertEquals(3, perChannel.getStackSize());
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PriorImage.readAll(prior));
		assertTrue(e.getMessage().contains("build the prior from one channel") && e.getMessage().contains("Compare Samplers or Tune Sampler Weights"), e.getMessage());
		// An edited coherence is refused, not silently used.
		final ImagePlus edited = prior.duplicate();
		edited.setProperty("Info", prior.getProperty("Info"));
		edited.setTitle("edited");
		((float[]) edited.getStack().getPixels(4))[5] = 3f;
		assertThrows(IllegalArgumentException.class, () -> PriorImage.readColour(edited));
	}

	@Test
	void colourTexturesAreComposites() throws Exception {
		final ImagePlus prior = prior(rgb(W, H, 4));
		final CommandModule m = CommandsTest.run(SynthesizeTexture.class, "prior", prior, "samples", 2, "seed", 1L);
		final ImagePlus out = (ImagePlus) m.getOutputs().values().stream().filter(o -> o instanceof ImagePlus).findFirst().orElseThrow();
		assertTrue(out instanceof CompositeImage, "an RGB composite");
		assertEquals(3, out.getNChannels());
		assertEquals(2, out.getNFrames());
	}

	/** Sample covariance of the whitened samples: mean diagonal and mean squared off-diagonal (× N). */
	static double[] whiteness(final List<double[]> samples, final double[] mean, final DMatrixRMaj cov) {
		final int dim = mean.length, n = samples.size();
		final CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(dim, true);
		final DMatrixRMaj c = cov.copy();
		for (int i = 0; i < dim; i++) c.add(i, i, 1e-9 * c.get(i, i));
		assertTrue(chol.decompose(c), "covariance positive definite");
		final DMatrixRMaj l = chol.getT(null), li = new DMatrixRMaj(dim, dim);
		CommonOps_DDRM.invert(l, li);
		final DMatrixRMaj r = new DMatrixRMaj(dim, n);
		for (int s = 0; s < n; s++) for (int i = 0; i < dim; i++) r.set(i, s, samples.get(s)[i] - mean[i]);
		final DMatrixRMaj z = new DMatrixRMaj(dim, n);
		CommonOps_DDRM.mult(li, r, z);
		final DMatrixRMaj g = new DMatrixRMaj(dim, dim);
		CommonOps_DDRM.multTransB(z, z, g);
		CommonOps_DDRM.scale(1.0 / n, g);
		double diag = 0, off = 0;
		for (int i = 0; i < dim; i++) {
			diag += g.get(i, i);
			for (int j = 0; j < dim; j++) if (i != j) off += g.get(i, j) * g.get(i, j);
		}
		return new double[] { diag / dim, off / ((double) dim * (dim - 1)) * n };
	}

	static double[] flatten(final ImagePlus stack, final int frame, final int channels) {
		final int d = stack.getWidth() * stack.getHeight();
		final double[] out = new double[channels * d];
		for (int c = 0; c < channels; c++) {
			final float[] px = (float[]) stack.getStack().getPixels(stack.getStackIndex(c + 1, 1, frame));
			for (int p = 0; p < d; p++) out[c * d + p] = px[p];
		}
		return out;
	}

	private static DMatrixRMaj dense(final ColourConvolution cc, final List<OutputLaw> laws, final double scale2) {
		final int d = W * H, n = 3;
		final DMatrixRMaj out = new DMatrixRMaj(n * d, n * d);
		for (int j = 0; j < n * d; j++) {
			final double[][] e = new double[n][d];
			e[j / d][j % d] = 1;
			final double[][] col = cc.applyCovariance(laws, e);
			for (int i = 0; i < n * d; i++) out.set(i, j, col[i / d][i % d] * scale2);
		}
		return out;
	}

	@Test
	void colourSamplesHaveTheJointLawOfTheClosedForm() throws Exception {
		final ImagePlus image = rgb(W, H, 6);
		final ImagePlus prior = prior(image);
		final CommandModule d = CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 1.0, "noise_sigma", 4.0, "seed", 2L);
		final ImagePlus v = (ImagePlus) d.getOutput("degraded");
		assertEquals(3, v.getNChannels(), "RGB degrades to a 3-channel composite");
		final ColourPrior colourPrior = PriorImage.readColour(prior);
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(1.0), H, W);

		for (final String method : new String[] { "exact posterior", "pigdm", "ddrm" }) {
			final boolean exact = method.startsWith("exact");
			final int ns = exact ? 1500 : 900;
			final Object[] args = exact ? new Object[] { "prior", prior, "measurement", v, "method", method, "samples", ns, "seed", 9L }
				: new Object[] { "prior", prior, "measurement", v, "method", method, "samples", ns, "seed", 9L, "mode", "step by step", "steps", 8 };
			final CommandModule s = CommandsTest.run(PosteriorSampling.class, args);
			assertFalse(s.isCanceled(), () -> s.getCancelReason());
			final ImagePlus samples = (ImagePlus) s.getOutput("samples_stack"), meanImp = (ImagePlus) s.getOutput("mean");
			assertTrue(samples instanceof CompositeImage && samples.getNChannels() == 3 && samples.getNFrames() == ns, method + ": colour samples as a composite");
			final ResultsTable t = AnalysisCommandsTest.table(s);
			assertEquals(1, t.size(), "one row per colour plane");
			if (exact) assertEquals(0, t.getValue("W2", 0), 1e-9, "the exact posterior is at W2 = 0");
			else assertTrue(t.getValue("W2", 0) > 0, method + " is not the posterior");

			// The closed-form colour law in image units, built here from the core pieces.
			final IntensityMap map = exact ? new IntensityMap(-1, 1) : new IntensityMap(range(prior)[0], range(prior)[1]);
			final ColourPrior unit = colourPrior.affine(map.mid(), map.half());
			final ColourConvolution cc = new ColourConvolution(unit, op, map.noiseToUnit(4.0));
			final List<OutputLaw> laws = new ArrayList<>();
			for (int e = 0; e < 3; e++) {
				laws.add(exact ? org.spectralposterior.core.posterior.ExactPosterior.of(cc.eigenPrior(e), op, cc.sigma())
					: new DiffusionSampler(cc.eigenPrior(e), op, cc.sigma(), new DiffusionSampler.Config(Methods.parse(method), Schedule.linear(), 8, BaseStep.DDPM, 0, null, 500)).closedForm().law());
			}
			final DMatrixRMaj cov = dense(cc, laws, map.half() * map.half());
			final double[] mean = flatten(meanImp, 1, 3);
			final List<double[]> xs = new ArrayList<>();
			for (int f = 1; f <= ns; f++) xs.add(flatten(samples, f, 3));
			final double[] wh = whiteness(xs, mean, cov);
			// Whitened entries have variance 1/N: the mean diagonal is 1 ± ~3·sqrt(2/(N·dim)), the mean
			// squared off-diagonal × N is 1 ± a few percent. Correlated streams or a wrong rotation give
			// off-diagonal structure far outside (a shared stream across eigen-channels: ≫ 2).
			assertEquals(1, wh[0], 0.05, method + " whitened variance");
			assertEquals(1, wh[1], 0.15, method + " whitened cross terms (pixels and channels)");
		}
	}

	static double[] range(final ImagePlus prior) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (int c = 1; c <= 3; c++) {
			final double[] r = PriorImage.dataRange(prior, c);
			lo = Math.min(lo, r[0]);
			hi = Math.max(hi, r[1]);
		}
		return new double[] { lo, hi };
	}

	/**
	 * An RGB image with a ROI hole through Simulate Degradation (operator=inpaint) and Posterior Sampling
	 * with its cross-channel prior: the exact posterior's mean is {@link ColourInpaintingPosterior}'s
	 * (checked against dense kriging in its own test), outside the hole the mean stays near the
	 * measurement, inside the exact std exceeds the observed pixels' and the filled hole is closer to
	 * the truth than the prior mean; the composite outputs carry three channels, and the input image is
	 * untouched. Then the diffusion methods on the same hole ({@link #diffusionOnTheSameHole}).
	 */
	@Test
	void colourInpaintingRunsTheExactPosterior() throws Exception {
		final ImagePlus image = rgb(W, H, 8);
		final ImagePlus prior = prior(image);
		final int[] before = ((int[]) image.getProcessor().getPixels()).clone();
		image.setRoi(new ij.gui.Roi(4, 3, 4, 3));
		final CommandModule d = CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "inpaint", "noise_sigma", 1.0, "seed", 3L);
		assertFalse(d.isCanceled(), () -> d.getCancelReason());
		image.deleteRoi();
		final ImagePlus v = (ImagePlus) d.getOutput("degraded");
		assertEquals(3, v.getNChannels());
		final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", v, "samples", 4, "seed", 5L, "ground_truth", image);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		final ImagePlus samples = (ImagePlus) s.getOutput("samples_stack"), meanImp = (ImagePlus) s.getOutput("mean"), stdImp = (ImagePlus) s.getOutput("std");
		assertTrue(samples instanceof CompositeImage && samples.getNChannels() == 3 && samples.getNFrames() == 4, "colour samples as a composite");
		final ResultsTable t = AnalysisCommandsTest.table(s);
		assertEquals(3 * 12, (int) t.getValue("missing channel-pixels", 0));
		assertTrue(t.getValue("CG worst relative residual", 0) <= 1e-10);
		assertTrue(t.getStringValue("std", 0).startsWith("exact"), t.getStringValue("std", 0));
		// The ground-truth columns of grey inpainting: the hole's PSNR and its coverage with the per-pixel std.
		assertTrue(t.columnExists("PSNR mean in the missing pixels (dB)") && t.getValue("coverage ±2 std (missing pixels)", 0) > 0.5, "coverage in the hole");

		final ColourPrior cp = PriorImage.readColour(prior);
		final boolean[] observed = new boolean[3 * W * H];
		final double[] vv = new double[3 * W * H];
		for (int c = 0; c < 3; c++) {
			final float[] px = (float[]) v.getStack().getProcessor(c + 1).getPixels();
			for (int p = 0; p < W * H; p++) {
				observed[c * W * H + p] = !Float.isNaN(px[p]);
				vv[c * W * H + p] = observed[c * W * H + p] ? px[p] : 0;
			}
		}
		final double[] mean = new org.spectralposterior.core.posterior.ColourInpaintingPosterior(cp, observed, 1.0).mean(vv, org.spectralposterior.core.Progress.NONE);
		final double[] got = flatten(meanImp, 1, 3);
		double errHole = 0, errPrior = 0, stdIn = 0, stdOut = 0;
		int in = 0, out = 0;
		for (int c = 0; c < 3; c++) {
			final float[] sd = (float[]) stdImp.getStack().getProcessor(c + 1).getPixels();
			for (int p = 0; p < W * H; p++) {
				final int i = c * W * H + p;
				assertEquals(mean[i], got[i], 1e-3 * (1 + Math.abs(mean[i])), "mean entry " + i);
				final int rgbv = before[p], truth = c == 0 ? (rgbv >> 16) & 255 : c == 1 ? (rgbv >> 8) & 255 : rgbv & 255;
				if (observed[i]) {
					stdOut += sd[p];
					out++;
				}
				else {
					stdIn += sd[p];
					in++;
					errHole += (got[i] - truth) * (got[i] - truth);
					errPrior += (cp.mean(c) - truth) * (cp.mean(c) - truth);
				}
			}
		}
		assertTrue(stdIn / in > 2 * stdOut / out, "the std grows in the hole: " + stdIn / in + " vs " + stdOut / out);
		assertTrue(errHole < errPrior, "kriging beats the prior mean in the hole: " + errHole + " vs " + errPrior);
		assertTrue(java.util.Arrays.equals(before, (int[]) image.getProcessor().getPixels()), "the input is untouched");

		diffusionOnTheSameHole(prior, v, mean, observed, before, image, stdIn / in);
	}

	/**
	 * Every diffusion method reaches colour inpainting through the command: CGDM with 50 steps lands near
	 * the exact posterior (its W2 is exact here, 3 × 120 channel-pixels are within the dense limit, and
	 * W2² is its mean part plus its covariance part) and fills the hole far better than the prior mean
	 * would; the residual-normalised DPS runs on the joint residual, samples only; the composite
	 * outputs keep three channels and the inputs stay untouched.
	 */
	private static void diffusionOnTheSameHole(final ImagePlus prior, final ImagePlus v, final double[] exactMean, final boolean[] observed, final int[] before, final ImagePlus image,
		final double exactHoleStd) throws Exception {
		final float[][] vBefore = new float[3][];
		for (int c = 0; c < 3; c++) vBefore[c] = ((float[]) v.getStack().getProcessor(c + 1).getPixels()).clone();
		final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", v, "method", "cgdm", "steps", 50, "samples", 3, "seed", 2L);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		final ImagePlus samples = (ImagePlus) s.getOutput("samples_stack"), meanImp = (ImagePlus) s.getOutput("mean");
		assertTrue(samples instanceof CompositeImage && samples.getNChannels() == 3 && samples.getNFrames() == 3, "colour samples as a composite");
		final ResultsTable t = AnalysisCommandsTest.table(s);
		final double w2 = t.getValue("W2", 0), w2sq = t.getValue("W2^2", 0);
		assertTrue(w2 > 0 && Double.isFinite(w2), "an exact W2: " + w2);
		assertEquals(w2 * w2, w2sq, 1e-9 * w2sq);
		assertEquals(w2sq, t.getValue("W2^2 mean part", 0) + t.getValue("W2^2 covariance part", 0), 1e-9 * w2sq);
		assertTrue(t.getStringValue("std", 0).startsWith("exact"), t.getStringValue("std", 0));
		final double[] got = flatten(meanImp, 1, 3);
		final ColourPrior cp = PriorImage.readColour(prior);
		double far = 0, off = 0;
		for (int i = 0; i < got.length; i++) {
			if (observed[i]) continue;
			final double m = cp.mean(i / (W * H));
			off += (got[i] - exactMean[i]) * (got[i] - exactMean[i]);
			far += (m - exactMean[i]) * (m - exactMean[i]);
		}
		System.out.println("colour inpainting, CGDM 50 steps: squared distance to the exact mean in the hole " + off + ", the prior mean's " + far + "; W2 " + w2);
		// In image units, as the exact posterior's outputs: the std in the hole near the exact one (a std left
		// in the [-1, 1] units the steps run in would be 64 times smaller here), every sample within a few
		// of those stds of the exact mean.
		final ImagePlus stdImp = (ImagePlus) s.getOutput("std");
		double holeStd = 0, worst = 0;
		int holes = 0;
		final int d = W * H;
		for (int i = 0; i < got.length; i++) {
			if (observed[i]) continue;
			holeStd += ((float[]) stdImp.getStack().getPixels(i / d + 1))[i % d];
			holes++;
			for (int f = 1; f <= 3; f++) worst = Math.max(worst, Math.abs(flatten(samples, f, 3)[i] - exactMean[i]));
		}
		holeStd /= holes;
		assertEquals(exactHoleStd, holeStd, 0.25 * exactHoleStd, "CGDM's std in the hole, in image units, near the exact posterior's");
		assertTrue(worst < 6 * exactHoleStd, "samples in image units around the exact mean: worst deviation " + worst + " against the exact hole std " + exactHoleStd);
		assertTrue(off < 0.05 * far, "CGDM's mean in the hole is near the exact posterior mean: " + off + " vs the prior mean's " + far);

		final CommandModule n = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", v, "method", "dps-normalized", "steps", 20, "samples", 2);
		assertFalse(n.isCanceled(), () -> n.getCancelReason());
		final ResultsTable tn = AnalysisCommandsTest.table(n);
		assertTrue(Double.isNaN(tn.getValue("W2", 0)) && tn.getStringValue("law", 0).contains("not affine"), tn.getStringValue("law", 0));
		for (int c = 0; c < 3; c++) assertTrue(java.util.Arrays.equals(vBefore[c], (float[]) v.getStack().getProcessor(c + 1).getPixels()), "the measurement is untouched");
		assertTrue(java.util.Arrays.equals(before, (int[]) image.getProcessor().getPixels()), "the input is untouched");
	}

	@Test
	void colourRefusesWhatItCannotDoYet() throws Exception {
		final ImagePlus image = rgb(W, H, 7);
		final ImagePlus prior = prior(image);
		final ImagePlus v = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "noise_sigma", 2.0).getOutput("degraded");
		final CommandModule m = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", v, "method", "dps-normalized");
		assertTrue(m.isCanceled() && m.getCancelReason().contains("colour_model=[per channel]"), m.getCancelReason());
		assertEquals(Metadata.read(prior).get("colour_model"), "cross-channel");
	}
}
