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
import org.spectralposterior.imagej.PriorTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Build Gaussian Prior. See {@link PriorTask}. */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + BuildGaussianPrior.LABEL, label = BuildGaussianPrior.LABEL,
	description = "Estimate a stationary Gaussian prior (ADSN or averaged periodogram) from the image's rectangular ROI or the whole image")
public class BuildGaussianPrior extends SpectralCommand {

	public static final String LABEL = "Build Gaussian Prior";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading1 = "Input";

	@Parameter(label = "Image", description = "Exemplar image; its rectangular ROI (if any) is the region learnt from", persist = false)
	public ImagePlus image;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading2 = "Model";

	@Parameter(label = "Estimator", choices = { "adsn", "periodogram", "smoothed" }, description = "adsn: one exemplar; periodogram: every stack slice (and overlay rectangle of the ROI's size); smoothed: the periodogram with a Parzen lag window (best for inpainting and super-resolution from a ROI)", persist = false)
	public String estimator = "adsn";

	@Parameter(label = "Colour model", choices = { "auto", "cross-channel", "per channel" }, description = "cross-channel: one colour prior with the channels' cross-spectra (RGB default); per channel: an independent prior per channel (default for multichannel stacks, e.g. stains)", persist = false)
	public String colour_model = "auto";

	@Parameter(label = "Target width (0 = image width)", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px") })
	public int target_width = 0;

	@Parameter(label = "Target height (0 = image height)", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px") })
	public int target_height = 0;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading3 = "Output";

	@Parameter(label = "Output folder (optional)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	public File output_folder;

	@Parameter(type = ItemIO.OUTPUT, label = "Prior")
	public ImagePlus prior;

	@Override
	protected TaskResult compute(final Progress progress) {
		return PriorTask.run(image, estimator, target_width, target_height, colour_model, progress);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}
}
