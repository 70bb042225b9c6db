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
import org.spectralposterior.core.prior.ColourPrior;
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
		final List<GaussianPrior> all = readAll(imp);
		// Not the first channel in silence: an analysis of channel 1 reported as the image's was wrong.
		if (all.size() > 1) {
			throw new IllegalArgumentException("The prior '" + imp.getTitle() + "' has " + all.size() + " channels, and this command models one image plane: build the prior from one channel "
				+ "(Image › Color › Split Channels, then Build Gaussian Prior on the channel you study). Posterior Sampling, Synthesize Texture and Compare Samplers take every channel.");
		}
		return all.get(0);
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
		if (isColour(imp)) {
			throw new IllegalArgumentException("The prior '" + title + "' is a cross-channel colour prior, which this command does not model: use it in Posterior Sampling, Synthesize Texture, "
				+ "Compare Samplers or Tune Sampler Weights (blur or no operator); here, build the prior from one channel (Image › Color › Split Channels, then Build Gaussian Prior).");
		}
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
			checkSymmetric(plane, px, title + "'" + where, 1);
			final double[] half = FullGrid.unshiftedHalf(plane, full);
			final String key = c == 1 ? "mean" : "mean_c" + c;
			priors.add(new GaussianPrior(infoNumber(m, key, null, title, false), new Spectrum(plane, half)));
		}
		return priors;
	}

	/**
	 * λ(k) = sign·λ(−k) on the fftshifted grid, to float rounding (the two pixels come from one double):
	 * sign 1 for a power spectrum or the real part of a coherence, −1 for its imaginary part.
	 */
	private static void checkSymmetric(final HalfPlane plane, final float[] px, final String what, final int sign) {
		final int h = plane.height, w = plane.width;
		for (int r = 0; r < h; r++) {
			for (int c = 0; c < w; c++) {
				// Shifted (c, r) is frequency (c − W/2, r − H/2); its conjugate sits at (−(c − W/2) + W/2) mod W.
				final int cc = Math.floorMod(2 * (w / 2) - c, w), rr = Math.floorMod(2 * (h / 2) - r, h);
				final float a = px[r * w + c], b = sign * px[rr * w + cc];
				final boolean same = Float.isNaN(a) ? Float.isNaN(b) : Math.abs(a - b) <= 1e-5f * Math.max(1, Math.abs(a));
				if (!same) {
					throw new IllegalArgumentException("The prior image '" + what + " is not " + (sign > 0 ? "symmetric" : "antisymmetric") + ": pixel (" + c + ", " + r + ") = " + a
						+ " but its mirror (" + cc + ", " + rr + ") = " + sign * b + ". A real image's spectra satisfy λ(k) = λ(−k) and Σ(−k) = conj Σ(k) about the centre (" + w / 2 + ", " + h / 2
						+ "); the image was edited or is not a prior. Rebuild the prior.");
				}
			}
		}
	}

	/** Info value of {@code colour_model} for a cross-channel prior. */
	public static final String CROSS_CHANNEL = "cross-channel";

	/** True for a prior made with colour_model=cross-channel (a {@link ColourPrior}). */
	public static boolean isColour(final ImagePlus imp) {
		return imp != null && CROSS_CHANNEL.equals(Metadata.read(imp).get("colour_model"));
	}

	/**
	 * A colour prior as an image: slices 1..C hold log10 Σ_cc(k) as a grey prior does (so each channel's
	 * own spectrum reads the same), then for each channel pair a &lt; b the real and imaginary parts of the
	 * coherence γ_ab(k) = Σ_ab(k)/sqrt(Σ_aa(k) Σ_bb(k)) (|γ| ≤ 1, well represented in float; 0 where
	 * a diagonal is 0). All fftshifted.
	 */
	public static ImagePlus createColour(final String title, final ColourPrior prior, final Map<String, String> provenance) {
		final HalfPlane plane = prior.plane();
		final int n = prior.channels();
		final ImageStack stack = new ImageStack(plane.width, plane.height);
		for (int c = 0; c < n; c++) {
			final double[] lam = new double[plane.size];
			for (int k = 0; k < plane.size; k++) lam[k] = prior.re(k, c, c);
			final double[] full = FullGrid.shifted(plane, lam);
			final float[] px = new float[full.length];
			for (int i = 0; i < px.length; i++) px[i] = full[i] > 0 ? (float) Math.log10(full[i]) : Float.NaN;
			stack.addSlice("log10 spectrum c" + (c + 1), new FloatProcessor(plane.width, plane.height, px));
		}
		for (int a = 0; a < n; a++) {
			for (int b = a + 1; b < n; b++) {
				final double[] re = new double[plane.size], im = new double[plane.size];
				for (int k = 0; k < plane.size; k++) {
					final double norm = Math.sqrt(Math.max(0, prior.re(k, a, a)) * Math.max(0, prior.re(k, b, b)));
					if (norm > 0) {
						re[k] = prior.re(k, a, b) / norm;
						im[k] = prior.im(k, a, b) / norm;
					}
				}
				stack.addSlice("coherence re c" + (a + 1) + "·c" + (b + 1), Planes.toProcessor(FullGrid.shifted(plane, re), plane.width, plane.height));
				// Im γ(−k) = −Im γ(k): the stored half plane fixes the sign of the mirrored half.
				stack.addSlice("coherence im c" + (a + 1) + "·c" + (b + 1), Planes.toProcessor(shiftedOdd(plane, im), plane.width, plane.height));
			}
		}
		final ImagePlus imp = new ImagePlus(title, stack);
		final Map<String, String> m = new java.util.LinkedHashMap<>();
		m.put(Metadata.KIND, KIND);
		m.put("format", "1");
		m.put("colour_model", CROSS_CHANNEL);
		m.put("channels", Integer.toString(n));
		m.put("mean", Double.toString(prior.mean(0)));
		for (int c = 1; c < n; c++) m.put("mean_c" + (c + 1), Double.toString(prior.mean(c)));
		m.put("width", Integer.toString(plane.width));
		m.put("height", Integer.toString(plane.height));
		m.put("pixels", "slices 1..C: log10 of each channel's spectrum; then per channel pair the real and imaginary parts of the coherence Sigma_ab/sqrt(Sigma_aa Sigma_bb); fftshifted");
		m.putAll(provenance);
		Metadata.write(imp, m);
		return imp;
	}

	/** {@link FullGrid#shifted} for an odd quantity f(−k) = −f(k) stored on the half plane. */
	private static double[] shiftedOdd(final HalfPlane plane, final double[] half) {
		final int h = plane.height, w = plane.width;
		final double[] out = new double[plane.pixels];
		for (int r = 0; r < h; r++) {
			for (int c = 0; c < w; c++) {
				final boolean stored = c < plane.cols;
				final int sr = stored ? r : (h - r) % h, sc = stored ? c : w - c;
				out[((r + h / 2) % h) * w + (c + w / 2) % w] = (stored ? 1 : -1) * half[sr * plane.cols + sc];
			}
		}
		return out;
	}

	/** Reads a colour prior back, with the same checks as {@link #readAll} plus |γ| ≤ 1 (to float rounding). */
	public static ColourPrior readColour(final ImagePlus imp) {
		if (imp == null) throw new IllegalArgumentException("No prior image: build one with Build Gaussian Prior first, or give a saved prior TIFF.");
		final String title = imp.getTitle();
		if (!isColour(imp)) throw new IllegalArgumentException("The image '" + title + "' is not a cross-channel colour prior; build one with Build Gaussian Prior, colour_model=cross-channel.");
		if (imp.getType() != ImagePlus.GRAY32) throw new IllegalArgumentException("The prior image '" + title + "' must stay 32-bit; it was converted. Rebuild the prior.");
		final Map<String, String> m = Metadata.read(imp);
		final int n = (int) infoNumber(m, "channels", null, title, true);
		if (n < 2 || n > 16 || imp.getStackSize() != n * n) {
			throw new IllegalArgumentException("The colour prior '" + title + "' should have " + n + "·" + n + " slices (C spectra and C(C−1) coherence parts) but has " + imp.getStackSize() + "; rebuild the prior.");
		}
		final HalfPlane plane = new HalfPlane(imp.getHeight(), imp.getWidth());
		final double[] mean = new double[n];
		final double[][] lam = new double[n][];
		for (int c = 0; c < n; c++) {
			mean[c] = infoNumber(m, c == 0 ? "mean" : "mean_c" + (c + 1), null, title, false);
			final float[] px = (float[]) imp.getStack().getPixels(c + 1);
			final double[] full = new double[px.length];
			for (int i = 0; i < px.length; i++) {
				full[i] = Float.isNaN(px[i]) ? 0 : Math.pow(10, px[i]);
				if (!Double.isFinite(full[i]) || px[i] == Float.NEGATIVE_INFINITY) {
					throw new IllegalArgumentException("The prior image '" + title + "' (channel " + (c + 1) + ") has the value " + px[i] + " at pixel (" + i % imp.getWidth() + ", " + i / imp.getWidth()
						+ "): its pixels must be finite log10 λ (or NaN where λ = 0). Rebuild the prior.");
				}
			}
			checkSymmetric(plane, px, title + "' (channel " + (c + 1) + ")", 1);
			lam[c] = FullGrid.unshiftedHalf(plane, full);
		}
		final double[] blocks = new double[plane.size * 2 * n * n];
		for (int c = 0; c < n; c++) for (int k = 0; k < plane.size; k++) blocks[k * 2 * n * n + 2 * (c * n + c)] = lam[c][k];
		int slice = n + 1;
		for (int a = 0; a < n; a++) {
			for (int b = a + 1; b < n; b++) {
				final float[] pre = (float[]) imp.getStack().getPixels(slice++), pim = (float[]) imp.getStack().getPixels(slice++);
				final String pair = title + "' (coherence c" + (a + 1) + "·c" + (b + 1) + ")";
				checkSymmetric(plane, pre, pair, 1);
				checkSymmetric(plane, pim, pair, -1);
				final double[] re = FullGrid.unshiftedHalf(plane, toDouble(pre)), im = FullGrid.unshiftedHalf(plane, toDouble(pim));
				for (int k = 0; k < plane.size; k++) {
					final double mag = Math.hypot(re[k], im[k]);
					if (!(mag <= 1 + 1e-5)) {
						throw new IllegalArgumentException("The colour prior '" + pair + " has |coherence| = " + mag + " > 1 at stored frequency " + k
							+ ": a coherence is at most 1 in modulus; the image was edited. Rebuild the prior.");
					}
					final double norm = Math.sqrt(lam[a][k] * lam[b][k]);
					final int o = k * 2 * n * n;
					blocks[o + 2 * (a * n + b)] = re[k] * norm;
					blocks[o + 2 * (a * n + b) + 1] = im[k] * norm;
					blocks[o + 2 * (b * n + a)] = re[k] * norm;
					blocks[o + 2 * (b * n + a) + 1] = -im[k] * norm;
				}
			}
		}
		// ColourPrior projects each block on the PSD cone: float coherences of a rank-one block are PSD only to rounding.
		return new ColourPrior(plane, mean, blocks);
	}

	private static double[] toDouble(final float[] px) {
		final double[] out = new double[px.length];
		for (int i = 0; i < px.length; i++) {
			if (!Float.isFinite(px[i])) throw new IllegalArgumentException("A coherence slice of a colour prior holds " + px[i] + "; rebuild the prior.");
			out[i] = px[i];
		}
		return out;
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
