package org.spectralposterior.commands;

import java.io.File;

import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.spectralposterior.core.Progress;
import org.spectralposterior.imagej.SamplingTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Posterior Sampling. See {@link SamplingTask}. */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + PosteriorSampling.LABEL, label = PosteriorSampling.LABEL,
	description = "Sample a restoration method's output law given a measurement, with its exact mean, std and W2 to the true posterior")
public class PosteriorSampling extends SpectralCommand {

	public static final String LABEL = "Posterior Sampling";
	public static final String FROM_MEASUREMENT = "from measurement";

	@Parameter(label = "Prior image", description = "Made by Build Gaussian Prior", persist = false)
	public ImagePlus prior;

	@Parameter(label = "Measurement", persist = false)
	public ImagePlus measurement;

	@Parameter(label = "Method", choices = { SamplingTask.EXACT }, persist = false)
	public String method = SamplingTask.EXACT;

	@Parameter(label = "Number of samples", min = "1", persist = false)
	public int samples = 16;

	@Parameter(label = "Random seed", persist = false)
	public long seed = 1;

	@Parameter(label = "Ground truth (optional)", required = false, persist = false)
	public ImagePlus ground_truth;

	@Parameter(label = "Operator", choices = { FROM_MEASUREMENT, "none", "gaussian", "motion", "psf" }, persist = false)
	public String operator = FROM_MEASUREMENT;

	@Parameter(label = "Gaussian blur sigma (px)", min = "0", stepSize = "0.1", persist = false)
	public double blur_sigma = 2;

	@Parameter(label = "Motion length (px)", min = "0", persist = false)
	public double motion_length = 9;

	@Parameter(label = "Motion angle (degrees)", persist = false)
	public double motion_angle = 0;

	@Parameter(label = "PSF image (operator = psf)", required = false, persist = false)
	public ImagePlus psf;

	@Parameter(label = "Noise sigma (ignored when the operator comes from the measurement)", min = "0", persist = false)
	public double noise_sigma = 0;

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

	@Override
	protected TaskResult compute(final Progress progress) {
		final boolean fromMeasurement = FROM_MEASUREMENT.equalsIgnoreCase(operator == null ? FROM_MEASUREMENT : operator.trim());
		final SamplingTask.Request req = new SamplingTask.Request(method, samples, seed,
			fromMeasurement ? null : SimulateDegradation.operatorSpec(operator, blur_sigma, motion_length, motion_angle, psf), noise_sigma);
		return SamplingTask.run(prior, measurement, ground_truth, req, progress);
	}

	@Override
	protected void publish(final TaskResult r) {
		samples_stack = r.images().get(0);
		mean = r.images().get(1);
		std = r.images().get(2);
		w2_map = r.images().get(3);
		w2_spectrum = r.images().get(4);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}
}
