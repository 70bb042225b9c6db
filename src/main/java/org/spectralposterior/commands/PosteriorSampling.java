package org.spectralposterior.commands;

import java.io.File;

import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.imagej.SamplingTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Posterior Sampling. See {@link SamplingTask}. */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + PosteriorSampling.LABEL, label = PosteriorSampling.LABEL,
	description = "Sample a restoration method's output law given a measurement, with its exact mean, std and W2 to the true posterior")
public class PosteriorSampling extends SpectralCommand {

	public static final String LABEL = "Posterior Sampling";
	public static final String FROM_MEASUREMENT = "from measurement";

	/** Used by every diffusion method, not by the exact posterior. */
	static final String DIFFUSION = "method!=" + SamplingTask.EXACT;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading1 = "Input";

	@Parameter(callback = "refreshInUse", label = "Prior image", description = "Made by Build Gaussian Prior", persist = false)
	public ImagePlus prior;

	@Parameter(callback = "refreshInUse", label = "Measurement", persist = false)
	public ImagePlus measurement;

	@Parameter(label = "Ground truth (optional)", required = false, autoFill = false, persist = false)
	public ImagePlus ground_truth;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading2 = "Method";

	@Parameter(callback = "refreshInUse", label = "Method", choices = { SamplingTask.EXACT, "dps", "dps-normalized", "pigdm", "cgdm", "ddnm", "ddrm", "sdedit", "scoreald", "unconditional" },
		description = "exact posterior, or a diffusion sampler run with the exact Gaussian score", persist = false)
	public String method = SamplingTask.EXACT;

	@Parameter(label = "Number of samples", min = "1", persist = false)
	public int samples = 16;

	@Parameter(label = "Random seed", persist = false, attrs = { @Attr(name = DialogRules.ROW, value = "same") })
	public long seed = 1;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading3 = "Diffusion settings (the exact posterior uses none)";

	@Parameter(callback = "refreshInUse", label = "Diffusion: mode", choices = { "closed form", "step by step" },
		description = "closed form: exact samples of the sampler's output law; step by step: the algorithm as written, with fresh noise each step", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = DIFFUSION) })
	public String mode = "closed form";

	@Parameter(label = "Diffusion: sampling steps n", min = "1", persist = false,
		attrs = { @Attr(name = DialogRules.ROW, value = "same"), @Attr(name = DialogRules.WHEN, value = DIFFUSION) })
	public int steps = 50;

	@Parameter(callback = "refreshInUse", label = "Diffusion: schedule", choices = { "linear", "cosine", "table" }, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = DIFFUSION) })
	public String schedule = "linear";

	@Parameter(label = "Diffusion: training timesteps T", min = "1", persist = false,
		attrs = { @Attr(name = DialogRules.ROW, value = "same"), @Attr(name = DialogRules.WHEN, value = DIFFUSION) })
	public int timesteps = 1000;

	@Parameter(label = "Diffusion: ᾱ table (schedule = table)", required = false, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = DIFFUSION + " & schedule=table") })
	public String schedule_table = "";

	@Parameter(callback = "refreshInUse", label = "Diffusion: base step", choices = { "ddpm", "ddpm-large", "ddim" }, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = DIFFUSION) })
	public String base_step = "ddpm";

	@Parameter(label = "Diffusion: DDIM eta", min = "0", max = "1", stepSize = "0.1", persist = false,
		attrs = { @Attr(name = DialogRules.ROW, value = "same"), @Attr(name = DialogRules.WHEN, value = DIFFUSION + " & base_step=ddim") })
	public double eta = 0;

	@Parameter(callback = "refreshInUse", label = "Diffusion: weights", choices = { "heuristic", "custom", "tuned" },
		description = "heuristic: the method's published weights; custom: a weight list; tuned: the weights of a Tune Sampler Weights table", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = DIFFUSION) })
	public String weights = "heuristic";

	@Parameter(label = "Diffusion: weight list (custom; noisiest step first)", required = false, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = DIFFUSION + " & weights=custom") })
	public String weight_list = "";

	@Parameter(label = "Diffusion: tuned weights (a '…_tuned_weights' table's title or CSV; empty = the latest open)", required = false, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = DIFFUSION + " & weights=tuned") })
	public String tuned_table = "";

	@Parameter(label = "SDEdit: start time t0", min = "1", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "method=sdedit") })
	public int t0 = 500;

	@Parameter(label = "Diffusion: data range (auto or lo,hi)", description = "intensities mapped to [-1, 1] before any diffusion step; auto = the prior exemplar's min..max", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = DIFFUSION) })
	public String data_range = "auto";

	@Parameter(label = "Diffusion: trajectory every k steps (0 = none)", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = DIFFUSION + " & mode=step by step") })
	public int trajectory_every = 0;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading4 = "Operator (normally the measurement's own)";

	@Parameter(callback = "refreshInUse", label = "Operator", choices = { FROM_MEASUREMENT, "none", "gaussian", "motion", "psf", "inpaint" }, persist = false)
	public String operator = FROM_MEASUREMENT;

	@Parameter(callback = "refreshInUse", label = "Gaussian blur sigma (px)", min = "0", stepSize = "0.1", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px"), @Attr(name = DialogRules.WHEN, value = "operator=gaussian") })
	public double blur_sigma = 2;

	@Parameter(callback = "refreshInUse", label = "Motion length (px)", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px"), @Attr(name = DialogRules.WHEN, value = "operator=motion") })
	public double motion_length = 9;

	@Parameter(callback = "refreshInUse", label = "Motion angle (degrees)", persist = false,
		attrs = { @Attr(name = DialogRules.ROW, value = "same"), @Attr(name = DialogRules.UNIT, value = "°"), @Attr(name = DialogRules.WHEN, value = "operator=motion") })
	public double motion_angle = 0;

	@Parameter(callback = "refreshInUse", label = "PSF image (operator = psf)", required = false, autoFill = false, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "operator=psf") })
	public ImagePlus psf;

	@Parameter(callback = "refreshInUse", label = "Noise sigma (auto = estimated from the image; ignored when the operator comes from the measurement)", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "operator!=" + FROM_MEASUREMENT) })
	public String noise_sigma = "auto";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading5 = "Output";

	@Parameter(label = "Output folder (optional)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	public File output_folder;

	@Parameter(type = ItemIO.OUTPUT, label = "Samples")
	public ImagePlus samples_stack;

	@Parameter(type = ItemIO.OUTPUT, label = "Mean")
	public ImagePlus mean;

	@Parameter(type = ItemIO.OUTPUT, label = "Std")
	public ImagePlus std;

	@Parameter(type = ItemIO.OUTPUT, label = "W2 map")
	public ImagePlus w2_map;

	@Parameter(type = ItemIO.OUTPUT, label = "W2 spectrum")
	public ImagePlus w2_spectrum;

	@Parameter(type = ItemIO.OUTPUT, label = "Trajectory x_t")
	public ImagePlus trajectory_xt;

	@Parameter(type = ItemIO.OUTPUT, label = "Trajectory x̂0")
	public ImagePlus trajectory_x0;

	/**
	 * The parts of the estimate shown, each kept by what it depends on: the measurement's detail variance
	 * (reading and sorting every plane: seconds on a stack) by the measurement alone, the σ by the prior,
	 * the operator and the PSF too — so typing a blur width does not re-read the measurement.
	 */
	private ImagePlus detailOf;
	private double detail = Double.NaN;
	private String estimateKey;
	private double estimate = Double.NaN;
	/** The operator this dialog chose for a real image ("gaussian"), or null: undone for a recorded measurement while the user has not changed it. */
	private String switchedTo;

	@Override
	public boolean advises() {
		return true;
	}

	/**
	 * A measurement that does not record its degradation (a real image, not made by Simulate
	 * Degradation) cannot give the operator: the dialog switches to an explicit one (a Gaussian blur, its
	 * width to be set) and says so, and switches back if a recorded measurement is chosen after; whenever
	 * σ is to be estimated it shows the estimate the run will use, so that a real image never runs with a
	 * σ the user has not seen (before, σ = 0 gave a posterior std of 1.3 where 15 was right). Only
	 * fields the caller left open are corrected ({@link #correctable}).
	 */
	@Override
	protected String dialogAdvice(final boolean correct) {
		try {
			return advice(correct, correct && correctable.test("operator"));
		}
		catch (final RuntimeException | OutOfMemoryError e) {
			// A malformed record, a prior that does not read: the run says what is wrong, the dialog stays usable.
			return e.getMessage() == null ? "" : e.getMessage();
		}
	}

	/**
	 * @param dialog     a dialog shows this (not the initializer SciJava runs on every run): the estimate is made
	 * @param mayCorrect the operator may be switched (a dialog, and not a value the caller set)
	 */
	private String advice(final boolean dialog, final boolean mayCorrect) {
		if (measurement == null) return "";
		final boolean recorded = org.spectralposterior.imagej.MeasurementImage.KIND.equals(org.spectralposterior.imagej.Metadata.kind(measurement));
		final boolean fromMeasurement = operator == null || FROM_MEASUREMENT.equalsIgnoreCase(operator.trim());
		final String title = measurement.getTitle();
		// A switch the user has since overridden (another operator chosen) is theirs, not the dialog's.
		if (switchedTo != null && !switchedTo.equals(operator)) switchedTo = null;
		if (recorded && switchedTo != null && mayCorrect) {
			operator = FROM_MEASUREMENT;
			switchedTo = null;
			return recordedLine(title);
		}
		if (fromMeasurement) {
			if (recorded) return recordedLine(title);
			if (!mayCorrect) return title + " does not record its degradation (it was not made by Simulate Degradation): choose operator and noise_sigma.";
			operator = "gaussian";
			switchedTo = operator;
		}
		final String lead = !recorded ? title + " does not record its degradation" + (switchedTo != null ? ": operator set to gaussian; give its blur (or none, motion, psf). " : ". ")
			: title + " records " + org.spectralposterior.imagej.MeasurementImage.operator(measurement).describe() + ": operator=" + FROM_MEASUREMENT + " uses it. ";
		final boolean auto;
		try {
			auto = Double.isNaN(SamplingTask.parseNoiseSigma(noise_sigma));
		}
		catch (final IllegalArgumentException e) {
			return lead + "noise_sigma must be auto or a number ≥ 0.";
		}
		if (!auto) return lead;
		// Only for a dialog: SciJava runs the initializer (correct = false) on every run, and the estimate
		// reads the prior and the measurement.
		if (!dialog) return lead + "noise_sigma auto: estimated from the image (shown in the run's table).";
		final OperatorSpec spec;
		try {
			spec = SimulateDegradation.operatorSpec(operator, blur_sigma, motion_length, motion_angle, psf);
		}
		catch (final IllegalArgumentException e) {
			return lead + "noise_sigma auto: estimated once the operator is complete.";
		}
		if (prior != null && org.spectralposterior.imagej.PriorImage.isColour(prior)) return lead + "noise_sigma auto: estimated when the run starts (its table shows it).";
		if (detailOf != measurement) {
			detail = SamplingTask.detailVariance(measurement);
			detailOf = measurement;
			estimateKey = null;
		}
		final String key = System.identityHashCode(prior) + "/" + System.identityHashCode(psf) + "/" + spec.describe();
		if (!key.equals(estimateKey)) {
			estimate = SamplingTask.estimatedSigma(prior, measurement, spec, detail);
			estimateKey = key;
		}
		return lead + (Double.isNaN(estimate) ? "noise_sigma auto: estimated when the run starts (its table shows it)."
			: "noise_sigma auto ≈ " + shown(estimate) + " (robust Haar-detail estimate less the prior's share; the table shows it). Type a number to override.");
	}

	private String recordedLine(final String title) {
		return "Operator and noise from " + title + ": " + org.spectralposterior.imagej.MeasurementImage.operator(measurement).describe() + ", noise_sigma = "
			+ shown(org.spectralposterior.imagej.MeasurementImage.noiseSigma(measurement)) + ".";
	}

	/** Three significant digits: what a person reads in a dialog line. */
	private static String shown(final double v) {
		return String.format(java.util.Locale.ROOT, "%.3g", v);
	}

	@Override
	protected TaskResult compute(final Progress progress) {
		final boolean fromMeasurement = FROM_MEASUREMENT.equalsIgnoreCase(operator == null ? FROM_MEASUREMENT : operator.trim());
		final SamplingTask.Request req = new SamplingTask.Request(method, samples, seed,
			fromMeasurement ? null : SimulateDegradation.operatorSpec(operator, blur_sigma, motion_length, motion_angle, psf), SamplingTask.parseNoiseSigma(noise_sigma), mode, schedule, timesteps, schedule_table,
			steps, base_step, eta, weights, weight_list, tuned_table, t0, data_range, trajectory_every);
		return SamplingTask.run(prior, measurement, ground_truth, req, progress);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}
}
