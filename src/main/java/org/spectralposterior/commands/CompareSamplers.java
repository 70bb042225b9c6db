package org.spectralposterior.commands;

import java.io.File;

import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.ItemVisibility;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.widget.FileWidget;
import org.scijava.plugin.Plugin;
import org.spectralposterior.core.Progress;
import org.spectralposterior.imagej.AnalysisTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Compare Samplers: expected W2 against the number of steps, heuristic weights. */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + CompareSamplers.LABEL, label = CompareSamplers.LABEL,
	description = "Expected W2 to the true posterior against the number of steps, for several samplers at their heuristic weights")
public class CompareSamplers extends AnalysisCommand {

	public static final String LABEL = "Compare Samplers";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading4 = "Methods compared";

	@Parameter(callback = "refreshInUse", label = "Methods (comma-separated)", persist = false)
	public String methods = "dps,dps-normalized,pigdm,cgdm,ddnm,ddrm,scoreald";

	@Parameter(label = "Numbers of steps (comma-separated)", persist = false)
	public String steps_list = "10,20,50,100,250,1000";

	@Parameter(callback = "refreshInUse", label = "Curves (heuristic, tuned, designed; comma-separated)",
		description = "heuristic: the published weights and schedule; tuned: the weights tuned per step at each n; designed: the noise schedule designed at each n", persist = false)
	public String variants = "heuristic";

	@Parameter(label = "L-BFGS iterations per tuned or designed point", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "variants~tuned|designed") })
	public int iterations = 100;

	@Parameter(label = "Super-resolution factor r (1 = none; a measurement's own factor wins)", min = "1", persist = false)
	public int downsample = 1;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading5 = "Output";

	@Parameter(label = "Output folder (optional)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	public File output_folder;

	@Parameter(type = ItemIO.OUTPUT, label = "Plot")
	public ImagePlus plot;

	@Override
	protected TaskResult compute(final Progress progress) {
		return AnalysisTask.compare(setup(downsample, true), methods, steps_list, t0, variants, iterations, progress);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}
}
