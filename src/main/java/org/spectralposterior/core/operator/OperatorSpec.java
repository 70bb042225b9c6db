package org.spectralposterior.core.operator;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a degradation operator is, independent of the grid it is applied on: its kind and
 * parameters. It is what a degraded image carries so that later commands can rebuild the exact
 * operator (see {@link #toProperties()}).
 *
 * @param kind      the operator family
 * @param blurSigma Gaussian standard deviation in pixels ({@link Kind#GAUSSIAN})
 * @param length    motion length in pixels ({@link Kind#MOTION})
 * @param angle     motion angle in degrees, counter-clockwise from the x axis ({@link Kind#MOTION})
 * @param psf       PSF pixels, row-major ({@link Kind#PSF}); centre at (psfWidth/2, psfHeight/2)
 * @param channels  one PSF per colour channel (chromatic aberration), or null for one operator for
 *                  every channel; then {@code psf} is channel 1's
 */
public record OperatorSpec(Kind kind, double blurSigma, double length, double angle, double[] psf, int psfWidth, int psfHeight, OperatorSpec[] channels) {

	public enum Kind {
		NONE("none"), GAUSSIAN("gaussian"), MOTION("motion"), PSF("psf"),
		/** A = S_Ω: keep the observed pixels (MATH §3.2). Not a convolution; the mask travels with the measurement. */
		INPAINT("inpaint");

		public final String key;

		Kind(final String key) {
			this.key = key;
		}

		public static Kind parse(final String s) {
			for (final Kind k : values()) if (k.key.equalsIgnoreCase(s.trim())) return k;
			throw new IllegalArgumentException("Unknown operator '" + s + "': use none, gaussian, motion, psf or inpaint");
		}
	}

	public OperatorSpec {
		if (kind == Kind.GAUSSIAN && !(blurSigma > 0 && Double.isFinite(blurSigma))) {
			throw new IllegalArgumentException("blur_sigma must be a positive number of pixels, got " + blurSigma);
		}
		if (kind == Kind.MOTION && !(length >= 0 && Double.isFinite(length))) {
			throw new IllegalArgumentException("motion_length must be a non-negative number of pixels, got " + length);
		}
		if (kind == Kind.MOTION && !Double.isFinite(angle)) throw new IllegalArgumentException("motion_angle must be a finite number of degrees");
		if (kind == Kind.PSF) Kernels.checkPsf(psf, psfWidth, psfHeight);
		if (channels != null) {
			if (channels.length < 2) throw new IllegalArgumentException("A PSF per channel needs at least 2 channels, got " + channels.length + ".");
			for (final OperatorSpec c : channels) if (c.kind != Kind.PSF || c.channels != null) throw new IllegalArgumentException("Each channel's operator must be one PSF.");
			channels = channels.clone();
		}
	}

	/** The same kind for every channel, with parameters of its own. */
	private OperatorSpec(final Kind kind, final double blurSigma, final double length, final double angle, final double[] psf, final int psfWidth, final int psfHeight) {
		this(kind, blurSigma, length, angle, psf, psfWidth, psfHeight, null);
	}

	/** One PSF per channel (all of one size): channel c's image is blurred by {@code pixels[c]}. */
	public static OperatorSpec psfPerChannel(final double[][] pixels, final int width, final int height) {
		if (pixels.length == 1) return psf(pixels[0], width, height);
		final OperatorSpec[] ch = new OperatorSpec[pixels.length];
		for (int c = 0; c < ch.length; c++) ch[c] = psf(pixels[c], width, height);
		return new OperatorSpec(Kind.PSF, 0, 0, 0, ch[0].psf, width, height, ch);
	}

	/** Whether each channel has its own PSF. */
	public boolean perChannel() {
		return channels != null;
	}

	/** The number of channels with a PSF of their own (0: one operator for all). */
	public int channelCount() {
		return channels == null ? 0 : channels.length;
	}

	/** Channel c's operator (0-based): its own PSF, or this operator when it is shared. */
	public OperatorSpec channel(final int c) {
		if (channels == null) return this;
		if (c < 0 || c >= channels.length) throw new IllegalArgumentException("The operator has a PSF for " + channels.length + " channels, not for channel " + (c + 1) + ".");
		return channels[c];
	}

	public static OperatorSpec none() {
		return new OperatorSpec(Kind.NONE, 0, 0, 0, null, 0, 0);
	}

	public static OperatorSpec gaussian(final double sigma) {
		return new OperatorSpec(Kind.GAUSSIAN, sigma, 0, 0, null, 0, 0);
	}

	public static OperatorSpec motion(final double length, final double angleDegrees) {
		return new OperatorSpec(Kind.MOTION, 0, length, angleDegrees, null, 0, 0);
	}

	/** Why a mask cannot go where a convolution is needed, and what handles it instead. */
	public static final String NOT_CIRCULANT = "Inpainting (a mask of missing pixels) is not a convolution: Posterior Sampling handles it (the exact posterior and every "
		+ "diffusion sampler, in the pixel domain), but the spectral analyses (Compare Samplers, Tune Sampler Weights, Transfer Functions) need a blur or denoising operator.";

	public static OperatorSpec inpaint() {
		return new OperatorSpec(Kind.INPAINT, 0, 0, 0, null, 0, 0);
	}

	public boolean circulant() {
		return kind != Kind.INPAINT;
	}

	public static OperatorSpec psf(final double[] pixels, final int width, final int height) {
		return new OperatorSpec(Kind.PSF, 0, 0, 0, pixels.clone(), width, height);
	}

	/** Key=value description, with the same keys as the command parameters. */
	public Map<String, String> toProperties() {
		final Map<String, String> m = new LinkedHashMap<>();
		m.put("operator", kind.key);
		switch (kind) {
			case GAUSSIAN -> m.put("blur_sigma", Double.toString(blurSigma));
			case MOTION -> {
				m.put("motion_length", Double.toString(length));
				m.put("motion_angle", Double.toString(angle));
			}
			case PSF -> {
				m.put("psf_width", Integer.toString(psfWidth));
				m.put("psf_height", Integer.toString(psfHeight));
				m.put("psf_values", values(psf));
				if (channels != null) {
					m.put("psf_channels", Integer.toString(channels.length));
					for (int c = 0; c < channels.length; c++) m.put("psf_values_c" + (c + 1), values(channels[c].psf));
				}
			}
			default -> {}
		}
		return m;
	}

	private static String values(final double[] v) {
		final StringBuilder sb = new StringBuilder();
		for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(v[i]);
		return sb.toString();
	}

	private static double[] parseValues(final String s, final int expected, final String key) {
		final String[] parts = s.split(",");
		final double[] v = new double[parts.length];
		for (int i = 0; i < v.length; i++) v[i] = Double.parseDouble(parts[i]);
		if (v.length != expected) throw new IllegalArgumentException(key + " has " + v.length + " numbers, expected " + expected);
		return v;
	}

	/** Reads back what {@link #toProperties()} wrote; missing or malformed keys give a clear message. */
	public static OperatorSpec fromProperties(final Map<String, String> m) {
		final String op = m.get("operator");
		if (op == null) throw new IllegalArgumentException("The measurement does not say which operator degraded it; choose the operator explicitly.");
		final Kind kind = Kind.parse(op);
		try {
			return switch (kind) {
				case NONE -> none();
				case INPAINT -> inpaint();
				case GAUSSIAN -> gaussian(Double.parseDouble(m.get("blur_sigma")));
				case MOTION -> motion(Double.parseDouble(m.get("motion_length")), Double.parseDouble(m.get("motion_angle")));
				case PSF -> {
					final int w = Integer.parseInt(m.get("psf_width")), h = Integer.parseInt(m.get("psf_height"));
					if (m.containsKey("psf_channels")) {
						final double[][] v = new double[Integer.parseInt(m.get("psf_channels"))][];
						for (int c = 0; c < v.length; c++) v[c] = parseValues(m.get("psf_values_c" + (c + 1)), w * h, "psf_values_c" + (c + 1));
						yield psfPerChannel(v, w, h);
					}
					yield psf(parseValues(m.get("psf_values"), w * h, "psf_values"), w, h);
				}
			};
		}
		catch (final NullPointerException | NumberFormatException e) {
			throw new IllegalArgumentException("The measurement's operator description is incomplete or malformed (" + e.getMessage() + "); choose the operator explicitly.");
		}
	}

	/** Short human-readable description for titles and tables. */
	public String describe() {
		return switch (kind) {
			case NONE -> "denoising (A = I)";
			case GAUSSIAN -> String.format(Locale.ROOT, "Gaussian blur σ=%g px", blurSigma);
			case MOTION -> String.format(Locale.ROOT, "motion blur %g px at %g°", length, angle);
			case PSF -> channels != null ? "PSF per channel (" + channels.length + " × " + psfWidth + "×" + psfHeight + ")" : "PSF " + psfWidth + "×" + psfHeight;
			case INPAINT -> "inpainting (missing pixels)";
		};
	}
}
