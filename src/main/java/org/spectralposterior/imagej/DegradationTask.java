package org.spectralposterior.imagej;

import java.awt.Rectangle;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.RandomStreams;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.Degradation;
import org.spectralposterior.core.operator.OperatorSpec;

/**
 * Simulate Degradation: v = A x + σ n on every plane of the clean image (hyperstack shape kept). Outputs
 * {@code <image>_degraded} (carrying its operator and σ) and, for blurs, {@code <image>_psf}: the
 * normalised kernel, centred, as the operator really applies it.
 */
public final class DegradationTask {

	private DegradationTask() {}

	public static TaskResult run(final ImagePlus clean, final OperatorSpec spec, final double sigma, final long seed, final Progress progress) {
		return run(clean, spec, null, sigma, seed, progress);
	}

	/** As above; for {@code operator = inpaint} the observed pixels are {@code mask}'s non-zero ones, or, without a mask, those outside the image's area ROI. */
	public static TaskResult run(final ImagePlus clean, final OperatorSpec spec, final ImagePlus mask, final double sigma, final long seed, final Progress progress) {
		return run(clean, spec, mask, 1, sigma, seed, progress);
	}

	/** As above, and for {@code downsample > 1} super-resolution: the blurred image keeps every r-th pixel of every r-th row. */
	public static TaskResult run(final ImagePlus cleanImage, final OperatorSpec spec, final ImagePlus mask, final int downsample, final double sigma, final long seed,
		final Progress progress) {
		// RGB becomes a 3-channel composite: each channel is degraded with the same operator and its own noise.
		final ImagePlus clean = Planes.channels(cleanImage);
		Planes.checkReadable(clean, "clean");
		Degradation.checkNoise(sigma);
		if (downsample < 1) throw new IllegalArgumentException("downsample must be at least 1, got " + downsample + ".");
		MemoryBudget.degradation(clean.getWidth(), clean.getHeight(), clean.getStackSize()).check();
		if (spec.kind() == OperatorSpec.Kind.INPAINT) {
			if (downsample > 1) throw new IllegalArgumentException("operator=inpaint works on the image's own grid; leave downsample=1.");
			return inpaint(clean, observed(clean, mask), sigma, seed, progress);
		}
		final BlurOperator[] ops = channelOperators(clean, spec);
		if (downsample > 1) return downsample(clean, spec, ops, downsample, sigma, seed, progress);
		final int w = clean.getWidth(), h = clean.getHeight();
		final ImageStack out = new ImageStack(w, h);
		final Rectangle whole = new Rectangle(0, 0, w, h);
		for (int i = 1; i <= clean.getStackSize(); i++) {
			progress.checkCancelled();
			final double[] v = Degradation.simulate(Planes.read(clean, i, whole), ops[ops.length == 1 ? 0 : channelOf(clean, i)], sigma, RandomStreams.plane(seed, i - 1));
			requireFloat(v, null, sigma);
			out.addSlice(clean.getStack().getSliceLabel(i), Planes.toProcessor(v, w, h));
			progress.update(i, clean.getStackSize());
		}
		final String base = Planes.baseTitle(clean);
		final ImagePlus degraded = Planes.hyperstack(base + "_degraded", out, clean.getNChannels(), clean.getNSlices(), clean.getNFrames(), clean, true);
		MeasurementImage.annotate(degraded, spec, sigma, seed, clean.getTitle());
		final TaskResult result = new TaskResult().addImage(TaskResult.DEGRADED, degraded);
		if (spec.kind() != OperatorSpec.Kind.NONE) result.addImage(TaskResult.PSF, psfImage(base + "_psf", ops, spec));
		return result;
	}

	/**
	 * The operator of each channel: one for all, or a PSF per channel, whose count must be the image's
	 * channel count (RGB: 3).
	 */
	static BlurOperator[] channelOperators(final ImagePlus clean, final OperatorSpec spec) {
		return channelOperators(clean.getNChannels(), spec, clean.getHeight(), clean.getWidth());
	}

	/** As above for an image of {@code channels} channels on an h×w grid (the high-resolution one for super-resolution). */
	static BlurOperator[] channelOperators(final int channels, final OperatorSpec spec, final int h, final int w) {
		if (!spec.perChannel()) return new BlurOperator[] { BlurOperator.of(spec, h, w) };
		if (spec.channelCount() != channels) {
			throw new IllegalArgumentException("The operator has " + spec.channelCount() + " PSFs (one per channel) but the image has " + channels
				+ " channel(s); give one PSF per channel, or a single-plane PSF for all channels.");
		}
		final BlurOperator[] ops = new BlurOperator[spec.channelCount()];
		for (int c = 0; c < ops.length; c++) ops[c] = BlurOperator.of(spec.channel(c), h, w);
		return ops;
	}

	/** The 0-based channel of stack index i, as an index into {@link #channelOperators} (0 when the operator is shared). */
	private static int channelOf(final ImagePlus imp, final int i) {
		return imp.getNChannels() == 1 ? 0 : imp.convertIndexToPosition(i)[0] - 1;
	}

	/** Super-resolution: v = S_r C x + σ n on a (W/r)×(H/r) grid; the pixel size grows by r. */
	private static TaskResult downsample(final ImagePlus clean, final OperatorSpec spec, final BlurOperator[] ops, final int r, final double sigma, final long seed, final Progress progress) {
		final int w = clean.getWidth(), h = clean.getHeight();
		if (w % r != 0 || h % r != 0) {
			throw new IllegalArgumentException("The image is " + w + "×" + h + ", not a multiple of downsample=" + r + "; crop it to " + (w / r * r) + "×" + (h / r * r) + " first (in ImageJ: Image › Crop).");
		}
		if (w / r < 2 || h / r < 2) throw new IllegalArgumentException("downsample=" + r + " leaves fewer than 2×2 pixels of a " + w + "×" + h + " image.");
		final ImageStack out = new ImageStack(w / r, h / r);
		final Rectangle whole = new Rectangle(0, 0, w, h);
		for (int i = 1; i <= clean.getStackSize(); i++) {
			progress.checkCancelled();
			final double[] v = org.spectralposterior.core.posterior.SuperResolutionPosterior.degrade(ops[ops.length == 1 ? 0 : channelOf(clean, i)], r, Planes.read(clean, i, whole));
			final java.util.SplittableRandom rng = RandomStreams.plane(seed, i - 1);
			for (int p = 0; p < v.length; p++) v[p] += sigma * rng.nextGaussian();
			requireFloat(v, null, sigma);
			out.addSlice(clean.getStack().getSliceLabel(i), Planes.toProcessor(v, w / r, h / r));
			progress.update(i, clean.getStackSize());
		}
		final String base = Planes.baseTitle(clean);
		final ImagePlus degraded = Planes.hyperstack(base + "_degraded", out, clean.getNChannels(), clean.getNSlices(), clean.getNFrames(), clean, true);
		final ij.measure.Calibration cal = degraded.getCalibration();
		cal.pixelWidth *= r;
		cal.pixelHeight *= r;
		MeasurementImage.annotate(degraded, spec, r, sigma, seed, clean.getTitle());
		final TaskResult result = new TaskResult().addImage(TaskResult.DEGRADED, degraded);
		if (spec.kind() != OperatorSpec.Kind.NONE) result.addImage(TaskResult.PSF, psfImage(base + "_psf", ops, spec));
		return result;
	}

	/** Observed pixels of an inpainting degradation: the mask's non-zero pixels, else outside the ROI. */
	static boolean[] observed(final ImagePlus clean, final ImagePlus mask) {
		final int w = clean.getWidth(), h = clean.getHeight();
		final boolean[] obs = new boolean[w * h];
		if (mask != null) {
			Planes.checkReadable(mask, "mask");
			if (mask.getWidth() != w || mask.getHeight() != h) {
				throw new IllegalArgumentException("The mask is " + mask.getWidth() + "×" + mask.getHeight() + " but the image is " + w + "×" + h + "; give a mask of the image's size.");
			}
			final ij.process.ImageProcessor ip = mask.getProcessor();
			for (int i = 0; i < obs.length; i++) obs[i] = ip.getf(i) != 0 && !Float.isNaN(ip.getf(i));
		}
		else {
			final ij.gui.Roi roi = clean.getRoi();
			if (roi == null || !roi.isArea()) {
				throw new IllegalArgumentException("operator=inpaint needs the missing pixels: give a mask image (non-zero = observed) or draw the hole as an area selection on the image.");
			}
			final java.awt.Rectangle b = roi.getBounds();
			final ij.process.ImageProcessor roiMask = roi.getMask();
			java.util.Arrays.fill(obs, true);
			for (int y = Math.max(0, b.y); y < Math.min(h, b.y + b.height); y++) {
				for (int x = Math.max(0, b.x); x < Math.min(w, b.x + b.width); x++) {
					if (roiMask == null || roiMask.get(x - b.x, y - b.y) != 0) obs[y * w + x] = false;
				}
			}
		}
		int m = 0;
		for (final boolean o : obs) if (o) m++;
		if (m == 0) throw new IllegalArgumentException("The mask observes no pixel; non-zero mask pixels are the observed ones.");
		if (m == obs.length) throw new IllegalArgumentException("The mask observes every pixel: nothing to inpaint. Zero mask pixels (or the ROI) are the missing ones.");
		return obs;
	}

	/** v = x + σ n on the observed pixels, NaN on the missing ones (the mask travels with the measurement). */
	private static TaskResult inpaint(final ImagePlus clean, final boolean[] obs, final double sigma, final long seed, final Progress progress) {
		final int w = clean.getWidth(), h = clean.getHeight();
		final ImageStack out = new ImageStack(w, h);
		final Rectangle whole = new Rectangle(0, 0, w, h);
		for (int i = 1; i <= clean.getStackSize(); i++) {
			progress.checkCancelled();
			final double[] x = Planes.read(clean, i, whole);
			final java.util.SplittableRandom rng = RandomStreams.plane(seed, i - 1);
			for (int p = 0; p < x.length; p++) x[p] = obs[p] ? x[p] + sigma * rng.nextGaussian() : Double.NaN;
			requireFloat(x, obs, sigma);
			out.addSlice(clean.getStack().getSliceLabel(i), Planes.toProcessor(x, w, h));
			progress.update(i, clean.getStackSize());
		}
		final String base = Planes.baseTitle(clean);
		final ImagePlus degraded = Planes.hyperstack(base + "_degraded", out, clean.getNChannels(), clean.getNSlices(), clean.getNFrames(), clean, true);
		MeasurementImage.annotate(degraded, OperatorSpec.inpaint(), sigma, seed, clean.getTitle());
		final byte[] px = new byte[w * h];
		for (int p = 0; p < px.length; p++) px[p] = (byte) (obs[p] ? 255 : 0);
		final ImagePlus maskImp = new ImagePlus(base + "_mask", new ij.process.ByteProcessor(w, h, px));
		maskImp.setCalibration(clean.getCalibration().copy());
		maskImp.setProperty("Info", Metadata.KIND + "=mask\npixels=255 observed, 0 missing\n");
		return new TaskResult().addImage(TaskResult.DEGRADED, degraded).addImage(TaskResult.MASK, maskImp);
	}

	/** The wrapped kernel(s) cut out around the centre, just large enough to hold the support: one slice per channel's PSF. */
	static ImagePlus psfImage(final String title, final BlurOperator[] ops, final OperatorSpec spec) {
		if (ops.length == 1) return psfImage(title, ops[0], spec);
		final ImageStack st = new ImageStack();
		for (int c = 0; c < ops.length; c++) st.addSlice("channel " + (c + 1), psfImage(title, ops[c], spec).getProcessor());
		final ImagePlus imp = new ImagePlus(title, st);
		imp.setProperty("Info", "spectral_posterior=psf\noperator=" + spec.describe() + "\n");
		return imp;
	}

	/** The wrapped kernel cut out around its centre, just large enough to hold its support. */
	static ImagePlus psfImage(final String title, final BlurOperator op, final OperatorSpec spec) {
		final int h = op.plane().height, w = op.plane().width;
		final int radius = switch (spec.kind()) {
			case GAUSSIAN -> (int) Math.ceil(4 * spec.blurSigma());
			case MOTION -> (int) Math.ceil(spec.length() / 2) + 1;
			case PSF -> Math.max(spec.psfWidth(), spec.psfHeight()) / 2 + 1;
			case NONE, INPAINT -> 0;
		};
		final int rw = Math.min(radius, (w - 1) / 2), rh = Math.min(radius, (h - 1) / 2);
		final int sw = 2 * rw + 1, sh = 2 * rh + 1;
		final double[] k = op.wrappedKernel();
		final float[] px = new float[sw * sh];
		for (int r = -rh; r <= rh; r++) {
			for (int c = -rw; c <= rw; c++) px[(r + rh) * sw + (c + rw)] = (float) k[Math.floorMod(r, h) * w + Math.floorMod(c, w)];
		}
		final ImagePlus imp = new ImagePlus(title, new FloatProcessor(sw, sh, px));
		imp.setProperty("Info", "spectral_posterior=psf\noperator=" + spec.describe() + "\ncentre=" + rw + "," + rh + "\n");
		return imp;
	}

	/**
	 * The measurement is stored as 32-bit floats: a value beyond ±3.4e38 (noise_sigma=1e300) would be
	 * written as ±∞ and every later command would compute on it. Missing pixels ({@code observed}
	 * false) are NaN by design.
	 */
	private static void requireFloat(final double[] v, final boolean[] observed, final double sigma) {
		for (int p = 0; p < v.length; p++) {
			if (observed != null && !observed[p]) continue;
			if (!(Math.abs(v[p]) <= Float.MAX_VALUE)) {
				throw new IllegalArgumentException("The degraded image would have the value " + v[p] + ", beyond the range of a 32-bit image (±3.4e38)"
					+ (sigma > 1e30 ? ": noise_sigma=" + sigma + " is far too large; give it in the image's intensity units (e.g. 5 for an 8-bit image)." : "; scale the image down first."));
			}
		}
	}
}
