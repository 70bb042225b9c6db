package org.spectralposterior.imagej;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import org.spectralposterior.core.fourier.FullGrid;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * A prior as an ImageJ image: a 32-bit H×W window whose pixels are log10 λ_k (fftshifted, DC at the
 * centre; NaN where λ_k = 0) and whose Info property holds the mean and provenance. The pixels
 * <em>are</em> the model (to float precision, ~1e-6 relative in λ), so a prior saved as TIFF and
 * reopened — or computed elsewhere and pasted in — is a valid input to later commands.
 */
public final class PriorImage {

	public static final String KIND = "prior";

	private PriorImage() {}

	public static ImagePlus create(final String title, final GaussianPrior prior, final ImagePlus source, final Map<String, String> provenance) {
		return create(title, List.of(prior), source, provenance);
	}

	/** One channel per prior (a hyperstack of C channels when there are several). */
	public static ImagePlus create(final String title, final List<GaussianPrior> priors, final ImagePlus source, final Map<String, String> provenance) {
		final HalfPlane plane = priors.get(0).plane();
		final ImageStack stack = new ImageStack(plane.width, plane.height);
		for (final GaussianPrior prior : priors) {
			final double[] full = prior.spectrum().toShiftedFullGrid();
			final float[] px = new float[full.length];
			for (int i = 0; i < px.length; i++) px[i] = full[i] > 0 ? (float) Math.log10(full[i]) : Float.NaN;
			stack.addSlice("log10 spectrum" + (priors.size() > 1 ? " c" + (stack.getSize() + 1) : ""), new FloatProcessor(plane.width, plane.height, px));
		}
		// A spectrum has no spatial calibration (frequency units are not the image's units), so no source.
		final ImagePlus imp = Planes.hyperstack(title, stack, priors.size(), 1, 1, null, false);
		final Map<String, String> m = new java.util.LinkedHashMap<>();
		m.put(Metadata.KIND, KIND);
		m.put("format", "1");
		m.put("channels", Integer.toString(priors.size()));
		m.put("mean", Double.toString(priors.get(0).mean()));
		for (int c = 1; c < priors.size(); c++) m.put("mean_c" + (c + 1), Double.toString(priors.get(c).mean()));
		m.put("width", Integer.toString(plane.width));
		m.put("height", Integer.toString(plane.height));
		m.put("pixel_variance", String.format(Locale.ROOT, "%.9g", priors.get(0).pixelVariance()));
		m.put("pixels", "log10 of the prior spectrum lambda_k (unitary DFT), fftshifted (DC at column W/2, row H/2); NaN where lambda_k = 0");
		m.putAll(provenance);
		Metadata.write(imp, m);
		return imp;
	}

	/** The intensity range of the exemplars of channel c (1-based), recorded at estimation: the "auto" data range. */
	public static double[] dataRange(final ImagePlus imp, final int channel) {
		final Map<String, String> m = Metadata.read(imp);
		final String suffix = channel == 1 ? "" : "_c" + channel;
		final String lo = m.get("data_min" + suffix), hi = m.get("data_max" + suffix);
		if (lo == null || hi == null) throw new IllegalArgumentException("The prior '" + imp.getTitle() + "' does not record its exemplars' intensity range; give data_range=lo,hi (e.g. 0,255).");
		return new double[] { infoNumber(m, "data_min" + suffix, null, imp.getTitle(), false), infoNumber(m, "data_max" + suffix, null, imp.getTitle(), false) };
	}

	/** Reads the prior of the first channel; see {@link #readAll}. */
	public static GaussianPrior read(final ImagePlus imp) {
		return readAll(imp).get(0);
	}

	/**
	 * Reads a prior image back, one prior per channel; a clear message if the image is not one. Every
	 * pixel is checked, not only the stored half plane: a finite log10 λ or NaN (λ = 0) everywhere,
	 * λ(k) = λ(−k) (a real image's spectrum is Hermitian, so its power is symmetric; an asymmetric
	 * image is not a prior of this model and would be silently half-ignored), not all zero; and the
	 * Info keys the model needs parse as numbers.
	 */
	public static List<GaussianPrior> readAll(final ImagePlus imp) {
		if (imp == null) throw new IllegalArgumentException("No prior image: build one with Build Gaussian Prior first, or give a saved prior TIFF.");
		final Map<String, String> m = Metadata.read(imp);
		final String title = imp.getTitle();
		if (!KIND.equals(m.get(Metadata.KIND)) || !m.containsKey("mean")) {
			throw new IllegalArgumentException("The image '" + title + "' is not a prior made by Build Gaussian Prior (its Info has no spectral_posterior=prior); choose a prior image.");
		}
		if (imp.getType() != ImagePlus.GRAY32) throw new IllegalArgumentException("The prior image '" + title + "' must stay 32-bit; it was converted. Rebuild the prior.");
		final HalfPlane plane = new HalfPlane(imp.getHeight(), imp.getWidth());
		final int channels = (int) infoNumber(m, "channels", "1", title, true);
		for (final String key : new String[] { "width", "height" }) {
			if (!m.containsKey(key)) continue;
			final long expected = (long) infoNumber(m, key, null, title, true), actual = key.equals("width") ? imp.getWidth() : imp.getHeight();
			if (expected != actual) throw new IllegalArgumentException("The prior image '" + title + "' is " + imp.getWidth() + "×" + imp.getHeight() + " but its Info says " + key + "=" + expected + ": it was resized or cropped. Rebuild the prior at the size you need (target_width, target_height).");
		}
		if (channels < 1 || imp.getStackSize() != channels) throw new IllegalArgumentException("The prior image '" + title + "' should have " + channels + " channel(s) but has " + imp.getStackSize() + " planes; rebuild the prior.");
		final List<GaussianPrior> priors = new ArrayList<>();
		for (int c = 1; c <= channels; c++) {
			final float[] px = (float[]) imp.getStack().getPixels(c);
			final double[] full = new double[px.length];
			final String where = channels > 1 ? " (channel " + c + ")" : "";
			boolean any = false;
			for (int i = 0; i < px.length; i++) {
				final double lambda = Float.isNaN(px[i]) ? 0 : Math.pow(10, px[i]);
				if (!Double.isFinite(lambda) || px[i] == Float.NEGATIVE_INFINITY) {
					throw new IllegalArgumentException("The prior image '" + title + "'" + where + " has the value " + px[i] + " at pixel (" + i % imp.getWidth() + ", " + i / imp.getWidth()
						+ "): its pixels must be finite log10 λ (or NaN where λ = 0). Rebuild the prior.");
				}
				full[i] = lambda;
				any |= lambda > 0;
			}
			if (!any) throw new IllegalArgumentException("The prior image '" + title + "'" + where + " has λ = 0 at every frequency (all pixels NaN): it describes no image. Rebuild the prior from an image that is not constant.");
			checkSymmetric(plane, px, title + "'" + where);
			final double[] half = FullGrid.unshiftedHalf(plane, full);
			final String key = c == 1 ? "mean" : "mean_c" + c;
			priors.add(new GaussianPrior(infoNumber(m, key, null, title, false), new Spectrum(plane, half)));
		}
		return priors;
	}

	/** λ(k) = λ(−k) on the fftshifted grid, to float rounding (the two pixels come from one double). */
	private static void checkSymmetric(final HalfPlane plane, final float[] px, final String what) {
		final int h = plane.height, w = plane.width;
		for (int r = 0; r < h; r++) {
			for (int c = 0; c < w; c++) {
				// Shifted (c, r) is frequency (c − W/2, r − H/2); its conjugate sits at (−(c − W/2) + W/2) mod W.
				final int cc = Math.floorMod(2 * (w / 2) - c, w), rr = Math.floorMod(2 * (h / 2) - r, h);
				final float a = px[r * w + c], b = px[rr * w + cc];
				final boolean same = Float.isNaN(a) ? Float.isNaN(b) : Math.abs(a - b) <= 1e-5f * Math.max(1, Math.abs(a));
				if (!same) {
					throw new IllegalArgumentException("The prior image '" + what + " is not symmetric: pixel (" + c + ", " + r + ") = " + a + " but its mirror (" + cc + ", " + rr + ") = " + b
						+ ". A real image's power spectrum satisfies λ(k) = λ(−k) about the centre (" + w / 2 + ", " + h / 2 + "); the image was edited or is not a prior. Rebuild the prior.");
				}
			}
		}
	}

	private static double infoNumber(final Map<String, String> m, final String key, final String fallback, final String title, final boolean integer) {
		final String raw = m.getOrDefault(key, fallback);
		if (raw == null) throw new IllegalArgumentException("The prior image '" + title + "' has no " + key + "= line in its Info (in ImageJ: Image › Show Info); rebuild the prior.");
		try {
			final double v = integer ? Long.parseLong(raw.trim()) : Double.parseDouble(raw.trim());
			if (Double.isFinite(v)) return v;
		}
		catch (final NumberFormatException e) {
			// fall through to the message
		}
		throw new IllegalArgumentException("The prior image '" + title + "' has " + key + "=" + raw + " in its Info, not " + (integer ? "a whole number" : "a finite number") + "; fix that line (in ImageJ: Image › Show Info) or rebuild the prior.");
	}
}
