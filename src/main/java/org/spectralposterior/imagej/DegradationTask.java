package org.spectralposterior.imagej;

import java.awt.Rectangle;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import org.spectralposterior.core.Progress;
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
		Planes.checkReadable(clean, "clean");
		Degradation.checkNoise(sigma);
		final int w = clean.getWidth(), h = clean.getHeight();
		final BlurOperator op = BlurOperator.of(spec, h, w);
		final ImageStack out = new ImageStack(w, h);
		final Rectangle whole = new Rectangle(0, 0, w, h);
		for (int i = 1; i <= clean.getStackSize(); i++) {
			progress.checkCancelled();
			// Independent, reproducible noise per plane; plane 1 uses the seed itself.
			final double[] v = Degradation.simulate(Planes.read(clean, i, whole), op, sigma, seed + 0x9E3779B97F4A7C15L * (i - 1));
			out.addSlice(clean.getStack().getSliceLabel(i), Planes.toProcessor(v, w, h));
			progress.update(i, clean.getStackSize());
		}
		final String base = Planes.baseTitle(clean);
		final ImagePlus degraded = Planes.hyperstack(base + "_degraded", out, clean.getNChannels(), clean.getNSlices(), clean.getNFrames(), clean, true);
		MeasurementImage.annotate(degraded, spec, sigma, seed, clean.getTitle());
		final TaskResult result = new TaskResult().addImage(degraded);
		if (spec.kind() != OperatorSpec.Kind.NONE) result.addImage(psfImage(base + "_psf", op, spec));
		return result;
	}

	/** The wrapped kernel cut out around its centre, just large enough to hold its support. */
	static ImagePlus psfImage(final String title, final BlurOperator op, final OperatorSpec spec) {
		final int h = op.plane().height, w = op.plane().width;
		final int radius = switch (spec.kind()) {
			case GAUSSIAN -> (int) Math.ceil(4 * spec.blurSigma());
			case MOTION -> (int) Math.ceil(spec.length() / 2) + 1;
			case PSF -> Math.max(spec.psfWidth(), spec.psfHeight()) / 2 + 1;
			case NONE -> 0;
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
}
