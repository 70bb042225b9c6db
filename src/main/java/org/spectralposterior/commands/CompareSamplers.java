package org.spectralposterior.commands;

import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.spectralposterior.core.Progress;
import org.spectralposterior.imagej.AnalysisTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Compare Samplers: expected W2 against the number of steps, heuristic weights. */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + CompareSamplers.LABEL, label = CompareSamplers.LABEL,
	description = "Expected W2 to the true posterior against the number of steps, for several samplers at their heuristic weights")
public class CompareSamplers extends AnalysisCommand {

	public static final String LABEL = "Compare Samplers";

	@Parameter(label = "Methods (comma-separated)", persist = false)
	public String methods = "dps,dps-normalized,pigdm,cgdm,ddnm,ddrm,scoreald";

	@Parameter(label = "Numbers of steps (comma-separated)", persist = false)
	public String steps_list = "10,20,50,100,250,1000";

	@Parameter(label = "Super-resolution factor r (1 = none; a measurement's own factor wins)", min = "1", persist = false)
	public int downsample = 1;

	@Parameter(type = ItemIO.OUTPUT, label = "Plot")
	public ImagePlus plot;

	@Override
	protected TaskResult compute(final Progress progress) {
		return AnalysisTask.compare(setup(downsample, true), methods, steps_list, t0, progress);
	}

	@Override
	protected void publish(final TaskResult r) {
		plot = r.images().get(0);
	}
}
