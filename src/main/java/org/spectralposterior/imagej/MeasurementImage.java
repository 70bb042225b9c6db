package org.spectralposterior.imagej;

import java.util.LinkedHashMap;
import java.util.Map;

import ij.ImagePlus;
import org.spectralposterior.core.operator.OperatorSpec;

/** The degradation a measurement image carries in its Info property (see {@link Metadata}). */
public final class MeasurementImage {

	public static final String KIND = "measurement";

	private MeasurementImage() {}

	public static void annotate(final ImagePlus imp, final OperatorSpec op, final double sigma, final long seed, final String source) {
		annotate(imp, op, 1, sigma, seed, source);
	}

	/** With a super-resolution factor: the measurement is the blurred image decimated by {@code downsample}. */
	public static void annotate(final ImagePlus imp, final OperatorSpec op, final int downsample, final double sigma, final long seed, final String source) {
		final Map<String, String> m = new LinkedHashMap<>();
		m.put(Metadata.KIND, KIND);
		m.putAll(op.toProperties());
		if (downsample > 1) m.put("downsample", Integer.toString(downsample));
		m.put("noise_sigma", Double.toString(sigma));
		m.put("seed", Long.toString(seed));
		m.put("source", source);
		m.put("model", op.kind() == OperatorSpec.Kind.INPAINT ? "v = x + noise_sigma * N(0, I) on the observed pixels; NaN marks the missing ones"
			: downsample > 1 ? "v = every downsample-th pixel, from (0,0), of circular convolution(x, kernel centred at pixel (0,0)) + noise_sigma * N(0, I)"
			: "v = circular convolution(x, kernel centred at pixel (0,0)) + noise_sigma * N(0, I)");
		Metadata.write(imp, m);
	}

	/** The operator recorded in a measurement image, or a message telling the user to choose one. */
	public static OperatorSpec operator(final ImagePlus imp) {
		final Map<String, String> m = Metadata.read(imp);
		if (!KIND.equals(m.get(Metadata.KIND))) {
			throw new IllegalArgumentException("The measurement '" + imp.getTitle() + "' does not record its degradation (it was not made by Simulate Degradation); "
				+ "choose operator and noise_sigma explicitly.");
		}
		return OperatorSpec.fromProperties(m);
	}

	/** The super-resolution factor a measurement records (1: the measurement is on the image's own grid). */
	public static int downsample(final ImagePlus imp) {
		final String s = Metadata.read(imp).get("downsample");
		if (s == null) return 1;
		try {
			return Integer.parseInt(s.trim());
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException("The measurement '" + imp.getTitle() + "' records downsample=" + s + ", which is not a whole number.");
		}
	}

	/** Refuses a super-resolution measurement where a circulant operator is needed. */
	public static void checkCirculant(final ImagePlus imp) {
		if (downsample(imp) > 1) {
			throw new IllegalArgumentException("The measurement '" + imp.getTitle() + "' is downsampled ×" + downsample(imp) + " (super-resolution): that is not a convolution; only "
				+ "Posterior Sampling's exact posterior handles it. The diffusion samplers and the spectral analyses need a blur or denoising operator.");
		}
	}

	public static double noiseSigma(final ImagePlus imp) {
		final String s = Metadata.read(imp).get("noise_sigma");
		if (s == null) throw new IllegalArgumentException("The measurement '" + imp.getTitle() + "' does not record its noise level; give noise_sigma explicitly.");
		try {
			final double sigma = Double.parseDouble(s.trim());
			if (sigma >= 0 && Double.isFinite(sigma)) return sigma;
		}
		catch (final NumberFormatException e) {
			// the message below
		}
		throw new IllegalArgumentException("The measurement '" + imp.getTitle() + "' records noise_sigma=" + s + ", not a finite number ≥ 0; fix its Info or give the operator and noise_sigma explicitly.");
	}
}
