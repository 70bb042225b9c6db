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
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.imagej.AnalysisTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Reverse-Dynamics Sensitivity (MATH §0.5). */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + ReverseDynamicsSensitivity.LABEL, label = ReverseDynamicsSensitivity.LABEL,
	description = "Exact impulse responses of the score Jacobian and of one reverse step, enclosed energy and spectral radius against t")
public class ReverseDynamicsSensitivity extends SpectralCommand {

	public static final String LABEL = "Reverse-Dynamics Sensitivity";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading1 = "Input";

	@Parameter(callback = "refreshInUse", label = "Prior image", persist = false)
	public ImagePlus prior;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading2 = "Probes";

	@Parameter(label = "Times t for the impulse responses (comma-separated)", persist = false)
	public String times = "1000,500,250,100,50,10,1";

	@Parameter(label = "Radii r for the enclosed energy (px, comma-separated)", persist = false)
	public String radii = "1,2,4,8,16";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading3 = "Diffusion settings";

	@Parameter(callback = "refreshInUse", label = "Schedule", choices = { "linear", "cosine", "table" }, persist = false)
	public String schedule = "linear";

	@Parameter(label = "Training timesteps T", min = "2", persist = false)
	public int timesteps = 1000;

	@Parameter(label = "ᾱ table (schedule = table)", required = false, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "schedule=table") })
	public String schedule_table = "";

	@Parameter(label = "Data range (auto or lo,hi)", persist = false)
	public String data_range = "auto";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading4 = "Output";

	@Parameter(label = "Output folder (optional)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	public File output_folder;

	@Parameter(type = ItemIO.OUTPUT, label = "Score impulse responses")
	public ImagePlus impulse_score;

	@Parameter(type = ItemIO.OUTPUT, label = "Reverse-step impulse responses")
	public ImagePlus impulse_step;

	@Parameter(type = ItemIO.OUTPUT, label = "Enclosed energy")
	public ImagePlus enclosed_energy;

	@Parameter(type = ItemIO.OUTPUT, label = "Spectral radius")
	public ImagePlus spectral_radius;

	@Override
	protected TaskResult compute(final Progress progress) {
		final AnalysisTask.Setup setup = new AnalysisTask.Setup(prior, OperatorSpec.none(), 0, schedule, timesteps, schedule_table, "ddpm", 0, data_range);
		return AnalysisTask.sensitivity(setup, times, radii, progress);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}
}
