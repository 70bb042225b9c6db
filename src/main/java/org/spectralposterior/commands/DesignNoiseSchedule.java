package org.spectralposterior.commands;

import java.io.File;

import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.ItemVisibility;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.spectralposterior.core.Progress;
import org.spectralposterior.imagej.MeasurementImage;
import org.spectralposterior.imagej.ScheduleTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Design Noise Schedule. See {@link ScheduleTask}. */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + DesignNoiseSchedule.LABEL, label = DesignNoiseSchedule.LABEL,
	description = "The n-step noise schedule (ᾱ values) that brings an unconditional sampler's output law closest to the prior (exact W2 or KL), or a guided method's closest to the posterior (exact E_v W2²), against the linear and cosine schedules")
public class DesignNoiseSchedule extends SpectralCommand {

	public static final String LABEL = "Design Noise Schedule";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading1 = "Input (a prior or an eigenvalue file)";

	@Parameter(callback = "refreshInUse", label = "Prior image (or give eigenvalues)", required = false, autoFill = false, persist = false)
	public ImagePlus prior;

	@Parameter(label = "Eigenvalues file (text/CSV, one a line, or 32-bit TIFF; or give a prior)", required = false, persist = false)
	public String eigenvalues = "";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading2 = "Design";

	@Parameter(label = "Steps (n)", min = "1", persist = false)
	public int steps = 10;

	@Parameter(callback = "refreshInUse", label = "Criterion", choices = { "w2", "kl", ScheduleTask.POSTERIOR },
		description = "w2: exact Wasserstein-2 of the unconditional output law to the prior; kl: KL(output ‖ prior); posterior: exact E_v W2² of a guided method's output law to the posterior", persist = false)
	public String criterion = "w2";

	@Parameter(callback = "refreshInUse", label = "Base step", choices = { "ddpm", "ddpm-large", "ddim" }, persist = false)
	public String base_step = "ddim";

	@Parameter(label = "DDIM η", min = "0", max = "1", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "base_step=ddim") })
	public double eta = 0;

	@Parameter(label = "Start from", choices = { "linear", "cosine" }, persist = false)
	public String start_from = "linear";

	@Parameter(label = "Iterations (L-BFGS)", min = "0", persist = false)
	public int iterations = 300;

	@Parameter(label = "Warm start: design at this many steps first (0: none)", min = "0", persist = false,
		description = "Design at n' < n steps first, carry that schedule to n steps (logit ᾱ interpolated in the step's place) and continue there")
	public int warm_start = 0;

	@Parameter(label = "Data range of a prior (auto or lo,hi)", persist = false)
	public String data_range = "auto";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading4 = "Posterior (criterion = posterior; operator auto: the measurement's own, else a Gaussian blur)";

	private static final String POSTERIOR = "criterion=" + ScheduleTask.POSTERIOR;

	@Parameter(callback = "refreshInUse", label = "Method (heuristic weights)", choices = { "pigdm", "dps", "cgdm", "ddnm", "scoreald" }, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = POSTERIOR) })
	public String method = "pigdm";

	@Parameter(label = "Measurement (optional: its recorded operator)", required = false, autoFill = false, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = POSTERIOR) })
	public ImagePlus measurement;

	@Parameter(callback = "refreshInUse", label = "Operator (auto: the measurement's, else gaussian)", choices = { AnalysisCommand.AUTO, PosteriorSampling.FROM_MEASUREMENT, "none", "gaussian", "motion", "psf" },
		persist = false, attrs = { @Attr(name = DialogRules.WHEN, value = POSTERIOR) })
	public String operator = AnalysisCommand.AUTO;

	@Parameter(label = "Gaussian blur sigma (px)", min = "0", stepSize = "0.1", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px"), @Attr(name = DialogRules.WHEN, value = POSTERIOR + " & operator=gaussian|" + AnalysisCommand.AUTO) })
	public double blur_sigma = 2;

	@Parameter(label = "Motion length (px)", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px"), @Attr(name = DialogRules.WHEN, value = POSTERIOR + " & operator=motion") })
	public double motion_length = 9;

	@Parameter(label = "Motion angle (degrees)", persist = false,
		attrs = { @Attr(name = DialogRules.ROW, value = "same"), @Attr(name = DialogRules.UNIT, value = "°"), @Attr(name = DialogRules.WHEN, value = POSTERIOR + " & operator=motion") })
	public double motion_angle = 0;

	@Parameter(label = "PSF image (operator = psf)", required = false, autoFill = false, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = POSTERIOR + " & operator=psf") })
	public ImagePlus psf;

	@Parameter(label = "Noise sigma (image units; ignored when the operator comes from the measurement)", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = POSTERIOR + " & operator!=" + PosteriorSampling.FROM_MEASUREMENT) })
	public double noise_sigma = 5;

	@Parameter(label = "Noise levels for a robust design (optional: comma list or file; replaces noise sigma)", required = false, persist = false,
		description = "One schedule for several noise levels (image units): the design minimises the sum of their exact E_v W2²; the summary reports each level and the sum",
		attrs = { @Attr(name = DialogRules.WHEN, value = POSTERIOR) })
	public String noise_list = "";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading3 = "Output";

	@Parameter(label = "Output folder (optional)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	public File output_folder;

	@Parameter(type = ItemIO.OUTPUT, label = "ᾱ against the step")
	public ImagePlus plot;

	@Parameter(type = ItemIO.OUTPUT, label = "Error per frequency")
	public ImagePlus error_plot;

	@Override
	protected TaskResult compute(final Progress progress) {
		final ScheduleTask.Request req = new ScheduleTask.Request(steps, criterion, base_step, eta, start_from, iterations, data_range, warm_start);
		final boolean conditional = criterion != null && ScheduleTask.POSTERIOR.equalsIgnoreCase(criterion.trim());
		return ScheduleTask.run(prior, eigenvalues, req, conditional ? posterior() : null, progress);
	}

	/**
	 * The operator and σ as Tune Sampler Weights reads them ({@link AnalysisCommand#setup}): a given measurement
	 * defines the problem unless an operator is named, through the same helpers.
	 */
	private ScheduleTask.Posterior posterior() {
		if (measurement != null) MeasurementImage.checkCirculant(measurement);
		final AnalysisCommand.Degradation d = AnalysisCommand.degradation(operator, measurement, blur_sigma, motion_length, motion_angle, psf, noise_sigma);
		return new ScheduleTask.Posterior(method, d.operator(), d.sigma(), noise_list);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}
}
