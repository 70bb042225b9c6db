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
import org.spectralposterior.imagej.ScheduleTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Design Noise Schedule. See {@link ScheduleTask}. */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + DesignNoiseSchedule.LABEL, label = DesignNoiseSchedule.LABEL,
	description = "The n-step noise schedule (ᾱ values) that brings an unconditional sampler's output law closest to the prior (exact W2 or KL), against the linear and cosine schedules")
public class DesignNoiseSchedule extends SpectralCommand {

	public static final String LABEL = "Design Noise Schedule";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading1 = "Input (a prior or an eigenvalue file)";

	@Parameter(label = "Prior image (or give eigenvalues)", required = false, autoFill = false, persist = false)
	public ImagePlus prior;

	@Parameter(label = "Eigenvalues file (text/CSV, one a line, or 32-bit TIFF; or give a prior)", required = false, persist = false)
	public String eigenvalues = "";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading2 = "Design";

	@Parameter(label = "Steps (n)", min = "1", persist = false)
	public int steps = 10;

	@Parameter(label = "Criterion", choices = { "w2", "kl" }, description = "w2: exact Wasserstein-2 of the output law to the prior; kl: KL(output ‖ prior)", persist = false)
	public String criterion = "w2";

	@Parameter(label = "Base step", choices = { "ddpm", "ddpm-large", "ddim" }, persist = false)
	public String base_step = "ddim";

	@Parameter(label = "DDIM η", min = "0", max = "1", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "base_step=ddim") })
	public double eta = 0;

	@Parameter(label = "Start from", choices = { "linear", "cosine" }, persist = false)
	public String start = "linear";

	@Parameter(label = "Iterations (L-BFGS)", min = "0", persist = false)
	public int iterations = 300;

	@Parameter(label = "Data range of a prior (auto or lo,hi)", persist = false)
	public String data_range = "auto";

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
		return ScheduleTask.run(prior, eigenvalues, new ScheduleTask.Request(steps, criterion, base_step, eta, start, iterations, data_range), progress);
	}

	@Override
	protected void publish(final TaskResult r) {
		plot = r.images().get(0);
		error_plot = r.images().get(1);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}
}
