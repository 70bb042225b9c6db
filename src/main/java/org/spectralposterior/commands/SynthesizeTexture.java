package org.spectralposterior.commands;

import java.io.File;

import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.ItemVisibility;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.spectralposterior.core.Progress;
import org.spectralposterior.imagej.SynthesisTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Synthesize Texture. See {@link SynthesisTask}. */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + SynthesizeTexture.LABEL, label = SynthesizeTexture.LABEL,
	description = "Draw samples of a Gaussian prior (random-phase / ADSN texture synthesis)")
public class SynthesizeTexture extends SpectralCommand {

	public static final String LABEL = "Synthesize Texture";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading1 = "Input";

	@Parameter(callback = "refreshInUse", label = "Prior image", description = "Made by Build Gaussian Prior", persist = false)
	public ImagePlus prior;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading2 = "Sampling";

	@Parameter(label = "Number of samples", min = "1", persist = false)
	public int samples = 4;

	@Parameter(label = "Random seed", persist = false)
	public long seed = 1;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading3 = "Output";

	@Parameter(label = "Output folder (optional)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	public File output_folder;

	@Parameter(type = ItemIO.OUTPUT, label = "Textures")
	public ImagePlus textures;

	@Override
	protected TaskResult compute(final Progress progress) {
		return SynthesisTask.run(prior, samples, seed, progress);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}
}
