package org.spectralposterior.commands;

import java.io.File;

import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.ItemVisibility;
import org.scijava.plugin.Parameter;
import org.scijava.widget.FileWidget;
import org.scijava.plugin.Plugin;
import org.spectralposterior.core.Progress;
import org.spectralposterior.imagej.AnalysisTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Transfer Functions (MATH §8). */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + TransferFunctions.LABEL, label = TransferFunctions.LABEL,
	description = "Per-frequency measurement→output transfer of each sampler next to the Wiener filter, and its noise→output gains")
public class TransferFunctions extends AnalysisCommand {

	public static final String LABEL = "Transfer Functions";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading4 = "Methods";

	@Parameter(callback = "refreshInUse", label = "Methods (comma-separated)", persist = false)
	public String methods = "dps,pigdm,cgdm,ddnm";

	@Parameter(label = "Sampling steps n", min = "1", persist = false)
	public int steps = 50;

	@Parameter(label = "Super-resolution factor r (1 = none; a measurement's own factor wins)", min = "1", persist = false)
	public int downsample = 1;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading5 = "Output";

	@Parameter(label = "Output folder (optional)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	public File output_folder;

	@Parameter(type = ItemIO.OUTPUT, label = "Transfer functions")
	public ImagePlus transfer;

	@Override
	protected TaskResult compute(final Progress progress) {
		return AnalysisTask.transfer(setup(downsample, false), methods, steps, t0, progress);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}
}
