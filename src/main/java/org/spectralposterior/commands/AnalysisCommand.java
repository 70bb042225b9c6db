package org.spectralposterior.commands;

import ij.ImagePlus;
import org.scijava.ItemVisibility;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.imagej.AnalysisTask;
import org.spectralposterior.imagej.MeasurementImage;

/** Parameters shared by the measurement-free analyses: prior, degradation, schedule, intensity range. */
public abstract class AnalysisCommand extends SpectralCommand {

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading1 = "Input";

	@Parameter(callback = "refreshInUse", label = "Prior image", description = "Made by Build Gaussian Prior", persist = false)
	public ImagePlus prior;

	@Parameter(label = "Measurement (optional: its recorded operator)", required = false, autoFill = false, persist = false)
	public ImagePlus measurement;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading2 = "Operator (auto: the measurement's own, else a Gaussian blur)";

	/** The measurement's operator and σ if a measurement is given, else a Gaussian blur of {@code blur_sigma} and {@code noise_sigma}. */
	public static final String AUTO = "auto";

	@Parameter(callback = "refreshInUse", label = "Operator (auto: the measurement's, else gaussian)", choices = { AUTO, PosteriorSampling.FROM_MEASUREMENT, "none", "gaussian", "motion", "psf" }, persist = false)
	public String operator = AUTO;

	@Parameter(label = "Gaussian blur sigma (px)", min = "0", stepSize = "0.1", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px"), @Attr(name = DialogRules.WHEN, value = "operator=gaussian|" + AUTO) })
	public double blur_sigma = 2;

	@Parameter(label = "Motion length (px)", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px"), @Attr(name = DialogRules.WHEN, value = "operator=motion") })
	public double motion_length = 9;

	@Parameter(label = "Motion angle (degrees)", persist = false,
		attrs = { @Attr(name = DialogRules.ROW, value = "same"), @Attr(name = DialogRules.UNIT, value = "°"), @Attr(name = DialogRules.WHEN, value = "operator=motion") })
	public double motion_angle = 0;

	@Parameter(label = "PSF image (operator = psf)", required = false, autoFill = false, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "operator=psf") })
	public ImagePlus psf;

	@Parameter(label = "Noise sigma (image units; ignored when the operator comes from the measurement)", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "operator!=" + PosteriorSampling.FROM_MEASUREMENT) })
	public double noise_sigma = 5;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading3 = "Diffusion settings";

	@Parameter(callback = "refreshInUse", label = "Schedule", choices = { "linear", "cosine", "table" }, persist = false)
	public String schedule = "linear";

	@Parameter(label = "Training timesteps T", min = "1", persist = false, attrs = { @Attr(name = DialogRules.ROW, value = "same") })
	public int timesteps = 1000;

	@Parameter(label = "ᾱ table (schedule = table)", required = false, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "schedule=table") })
	public String schedule_table = "";

	@Parameter(callback = "refreshInUse", label = "Base step", choices = { "ddpm", "ddpm-large", "ddim" }, persist = false)
	public String base_step = "ddpm";

	@Parameter(label = "DDIM eta", min = "0", max = "1", stepSize = "0.1", persist = false,
		attrs = { @Attr(name = DialogRules.ROW, value = "same"), @Attr(name = DialogRules.WHEN, value = "base_step=ddim") })
	public double eta = 0;

	@Parameter(label = "Data range (auto or lo,hi)", persist = false)
	public String data_range = "auto";

	@Parameter(label = "SDEdit: start time t0", min = "1", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "methods~sdedit & method=sdedit") })
	public int t0 = 500;

	protected AnalysisTask.Setup setup() {
		return setup(0, false);
	}

	/** The operator and noise level an analysis models. */
	record Degradation(OperatorSpec operator, double sigma, boolean fromMeasurement) {}

	/**
	 * A given measurement defines the problem unless an operator is named (operator=auto): tuning or
	 * designing for another operator than the measurement's would give settings that belong to neither.
	 * Shared by the analyses and Design Noise Schedule's conditional criterion.
	 */
	static Degradation degradation(final String operator, final ImagePlus measurement, final double blurSigma, final double motionLength, final double motionAngle, final ImagePlus psf,
		final double noiseSigma) {
		final String op = operator == null ? AUTO : operator.trim();
		final boolean fromMeasurement = PosteriorSampling.FROM_MEASUREMENT.equalsIgnoreCase(op) || AUTO.equalsIgnoreCase(op) && measurement != null;
		if (fromMeasurement) {
			if (measurement == null) throw new IllegalArgumentException("operator=" + PosteriorSampling.FROM_MEASUREMENT + " needs a measurement image; give one or choose the operator.");
			return new Degradation(MeasurementImage.operator(measurement), MeasurementImage.noiseSigma(measurement), true);
		}
		return new Degradation(SimulateDegradation.operatorSpec(AUTO.equalsIgnoreCase(op) ? "gaussian" : op, blurSigma, motionLength, motionAngle, psf), noiseSigma, false);
	}

	/**
	 * @param downsample a super-resolution factor r ≥ 1 for an analysis that handles super-resolution
	 *                   (with a measurement, its recorded factor wins), or 0 for one that does not
	 */
	protected AnalysisTask.Setup setup(final int downsample, final boolean inpainting) {
		// A measurement these analyses cannot model is refused even beside an explicit operator.
		if (measurement != null) {
			if (downsample == 0) MeasurementImage.checkCirculant(measurement);
			if (!inpainting && MeasurementImage.KIND.equals(org.spectralposterior.imagej.Metadata.kind(measurement)) && !MeasurementImage.operator(measurement).circulant()) {
				throw new IllegalArgumentException(OperatorSpec.NOT_CIRCULANT);
			}
		}
		final Degradation d = degradation(operator, measurement, blur_sigma, motion_length, motion_angle, psf, noise_sigma);
		final OperatorSpec spec = d.operator();
		final double sigma = d.sigma();
		if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + sigma);
		// A super-resolution measurement's own factor wins over the parameter, as the dialog says.
		final int measured = measurement != null ? MeasurementImage.downsample(measurement) : 1;
		final int factor = downsample == 0 ? 1 : measured > 1 ? measured : downsample;
		if (factor < 1) throw new IllegalArgumentException("downsample must be a whole number ≥ 1 (1 = no super-resolution), got " + downsample + ".");
		if (factor > 1 && (prior.getWidth() % factor != 0 || prior.getHeight() % factor != 0)) {
			throw new IllegalArgumentException("The prior is " + prior.getWidth() + "×" + prior.getHeight() + ", not a multiple of the super-resolution factor " + factor
				+ "; build it with target_width and target_height multiples of " + factor + ".");
		}
		boolean[] observed = null;
		if (!spec.circulant()) {
			if (!inpainting) throw new IllegalArgumentException(OperatorSpec.NOT_CIRCULANT);
			if (!d.fromMeasurement() || measurement == null) {
				throw new IllegalArgumentException("operator=inpaint takes its mask from an inpainting measurement (NaN = missing): give measurement=<the degraded image> with operator=["
					+ PosteriorSampling.FROM_MEASUREMENT + "].");
			}
			if (factor > 1) throw new IllegalArgumentException("Super-resolution and inpainting together are not supported: use downsample=1 with an inpainting measurement.");
			// Inpainting: the mask is the measurement's (NaN = missing), on the prior's grid.
			if (measurement.getWidth() != prior.getWidth() || measurement.getHeight() != prior.getHeight()) {
				throw new IllegalArgumentException("The prior is " + prior.getWidth() + "×" + prior.getHeight() + " but the measurement is " + measurement.getWidth() + "×" + measurement.getHeight() + ".");
			}
			// A cross-channel colour prior takes every channel's mask, channel-major (the holes may differ
			// between channels); a grey prior the first plane's (a single-plane measurement: its only one).
			final ImagePlus planes = org.spectralposterior.imagej.PriorImage.isColour(prior) ? org.spectralposterior.imagej.Planes.channels(measurement) : measurement;
			final int nc = org.spectralposterior.imagej.PriorImage.isColour(prior) ? planes.getNChannels() : 1, np = prior.getWidth() * prior.getHeight();
			observed = new boolean[nc * np];
			for (int c = 0; c < nc; c++) {
				final float[] px = (float[]) planes.getStack().getProcessor(planes.getStackIndex(c + 1, 1, 1)).convertToFloatProcessor().getPixels();
				for (int i = 0; i < np; i++) observed[c * np + i] = !Float.isNaN(px[i]);
			}
		}
		return new AnalysisTask.Setup(prior, spec, sigma, schedule, timesteps, schedule_table, base_step, eta, data_range, factor, observed);
	}

}
