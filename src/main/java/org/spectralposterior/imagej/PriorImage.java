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
		return new double[] { Double.parseDouble(lo), Double.parseDouble(hi) };
	}

	/** Reads the prior of the first channel; see {@link #readAll}. */
	public static GaussianPrior read(final ImagePlus imp) {
		return readAll(imp).get(0);
	}

	/** Reads a prior image back, one prior per channel; a clear message if the image is not one. */
	public static List<GaussianPrior> readAll(final ImagePlus imp) {
		if (imp == null) throw new IllegalArgumentException("No prior image: run Plugins > Spectral Posterior > Build Gaussian Prior first, or open a saved prior TIFF.");
		final Map<String, String> m = Metadata.read(imp);
		if (!KIND.equals(m.get(Metadata.KIND)) || !m.containsKey("mean")) {
			throw new IllegalArgumentException("The image '" + imp.getTitle() + "' is not a prior made by Build Gaussian Prior (its Info has no spectral_posterior=prior); choose a prior image.");
		}
		if (imp.getType() != ImagePlus.GRAY32) throw new IllegalArgumentException("The prior image '" + imp.getTitle() + "' must stay 32-bit; it was converted. Rebuild the prior.");
		final HalfPlane plane = new HalfPlane(imp.getHeight(), imp.getWidth());
		final int channels = Integer.parseInt(m.getOrDefault("channels", "1"));
		if (imp.getStackSize() != channels) throw new IllegalArgumentException("The prior image '" + imp.getTitle() + "' should have " + channels + " channel(s) but has " + imp.getStackSize() + " planes; rebuild the prior.");
		final List<GaussianPrior> priors = new ArrayList<>();
		for (int c = 1; c <= channels; c++) {
			final float[] px = (float[]) imp.getStack().getPixels(c);
			final double[] full = new double[px.length];
			for (int i = 0; i < px.length; i++) full[i] = Float.isNaN(px[i]) ? 0 : Math.pow(10, px[i]);
			final double[] half = FullGrid.unshiftedHalf(plane, full);
			final String mean = c == 1 ? m.get("mean") : m.get("mean_c" + c);
			priors.add(new GaussianPrior(Double.parseDouble(mean), new Spectrum(plane, half)));
		}
		return priors;
	}
}
