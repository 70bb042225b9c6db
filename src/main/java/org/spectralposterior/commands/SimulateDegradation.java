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
import org.spectralposterior.imagej.DegradationTask;
import org.spectralposterior.imagej.Planes;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Simulate Degradation. See {@link DegradationTask}. */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + SimulateDegradation.LABEL, label = SimulateDegradation.LABEL,
	description = "Blur (circular convolution) or mask pixels out (inpainting), and add white Gaussian noise, exactly as the posterior model assumes")
public class SimulateDegradation extends SpectralCommand {

	public static final String LABEL = "Simulate Degradation";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading1 = "Input";

	@Parameter(label = "Clean image", persist = false)
	public ImagePlus image;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading2 = "Operator";

	@Parameter(callback = "refreshInUse", label = "Operator", choices = { "none", "gaussian", "motion", "psf", "inpaint" }, persist = false)
	public String operator = "gaussian";

	@Parameter(label = "Gaussian blur sigma (px)", min = "0", stepSize = "0.1", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px"), @Attr(name = DialogRules.WHEN, value = "operator=gaussian") })
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

	@Parameter(label = "Inpainting mask (operator = inpaint; non-zero = observed; none: the image's ROI is the hole)", required = false, autoFill = false, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "operator=inpaint") })
	public ImagePlus mask;

	@Parameter(label = "Downsample ×r (super-resolution; 1 = none)", min = "1", description = "keep every r-th pixel of every r-th row after the blur", persist = false)
	public int downsample = 1;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading3 = "Noise";

	@Parameter(label = "Noise sigma (intensity units)", min = "0", persist = false)
	public double noise_sigma = 5;

	@Parameter(label = "Random seed", persist = false)
	public long seed = 1;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading4 = "Output";

	@Parameter(label = "Output folder (optional)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	public File output_folder;

	@Parameter(type = ItemIO.OUTPUT, label = "Degraded")
	public ImagePlus degraded;

	@Parameter(type = ItemIO.OUTPUT, label = "PSF")
	public ImagePlus psf_image;

	@Parameter(type = ItemIO.OUTPUT, label = "Mask")
	public ImagePlus mask_image;

	@Override
	protected TaskResult compute(final Progress progress) {
		return DegradationTask.run(image, operatorSpec(operator, blur_sigma, motion_length, motion_angle, psf), mask, downsample, noise_sigma, seed, progress);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}

	/** The operator chosen by the shared parameters {@code operator, blur_sigma, motion_*, psf}. */
	static OperatorSpec operatorSpec(final String operator, final double blurSigma, final double length, final double angle, final ImagePlus psf) {
		return switch (OperatorSpec.Kind.parse(operator)) {
			case NONE -> OperatorSpec.none();
			case INPAINT -> OperatorSpec.inpaint();
			case GAUSSIAN -> OperatorSpec.gaussian(blurSigma);
			case MOTION -> OperatorSpec.motion(length, angle);
			case PSF -> {
				if (psf == null) throw new IllegalArgumentException("operator=psf needs a PSF image: open it and choose it as psf.");
				Planes.checkReadable(psf, "PSF");
				if (psf.getStackSize() == 1) yield OperatorSpec.psf(Planes.readCurrent(psf), psf.getWidth(), psf.getHeight());
				// A PSF stack (channels, or slices) is one PSF per colour channel: chromatic aberration.
				final double[][] planes = new double[psf.getStackSize()][];
				final java.awt.Rectangle all = new java.awt.Rectangle(0, 0, psf.getWidth(), psf.getHeight());
				for (int i = 0; i < planes.length; i++) planes[i] = Planes.read(psf, i + 1, all);
				yield OperatorSpec.psfPerChannel(planes, psf.getWidth(), psf.getHeight());
			}
		};
	}
}
