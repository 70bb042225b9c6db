package org.spectralposterior.commands;

import java.io.File;

import ij.ImagePlus;
import org.scijava.command.Command;
import org.scijava.ItemVisibility;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.imagej.BatchTask;
import org.spectralposterior.imagej.SamplingTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Batch. See {@link BatchTask}. */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + Batch.LABEL, label = Batch.LABEL,
	description = "Every image of a folder (or a list file): prior, optional simulated degradation, posterior sampling; outputs per image and a resumable manifest")
public class Batch extends SpectralCommand {

	public static final String LABEL = "Batch";
	static final String SIMULATE = "simulate", REAL = "none (real measurements)";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading1 = "Input and output";

	@Parameter(label = "Input: a folder of images, or a text file listing image paths", persist = false)
	public File input;

	@Parameter(label = "Output folder (one subfolder per image, and manifest.csv)", style = FileWidget.DIRECTORY_STYLE, persist = false)
	public File output_folder;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading2 = "Prior";

	@Parameter(callback = "refreshInUse", label = "Shared prior (none: learnt from each image)", required = false, autoFill = false, persist = false)
	public ImagePlus prior;

	@Parameter(label = "Estimator (priors learnt per image)", choices = { "adsn", "periodogram", "smoothed" }, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "prior=none") })
	public String estimator = "adsn";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading3 = "Degradation";

	@Parameter(label = "Degradation", choices = { SIMULATE, REAL }, description = "simulate: each image is the ground truth, degraded by the operator below; none: each image is a measurement made by that operator", persist = false)
	public String degradation = SIMULATE;

	@Parameter(callback = "refreshInUse", label = "Operator", choices = { "none", "gaussian", "motion" }, persist = false)
	public String operator = "gaussian";

	@Parameter(label = "Gaussian blur sigma (px)", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px"), @Attr(name = DialogRules.WHEN, value = "operator=gaussian") })
	public double blur_sigma = 2;

	@Parameter(label = "Motion length (px)", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px"), @Attr(name = DialogRules.WHEN, value = "operator=motion") })
	public double motion_length = 9;

	@Parameter(label = "Motion angle (degrees)", persist = false,
		attrs = { @Attr(name = DialogRules.ROW, value = "same"), @Attr(name = DialogRules.UNIT, value = "°"), @Attr(name = DialogRules.WHEN, value = "operator=motion") })
	public double motion_angle = 0;

	@Parameter(label = "Noise sigma (intensity units)", min = "0", persist = false)
	public double noise_sigma = 5;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading4 = "Sampling";

	@Parameter(callback = "refreshInUse", label = "Method", choices = { SamplingTask.EXACT, "dps", "pigdm", "cgdm", "ddnm", "ddrm", "sdedit", "scoreald", "unconditional" }, persist = false)
	public String method = SamplingTask.EXACT;

	@Parameter(callback = "refreshInUse", label = "Diffusion: mode", choices = { "closed form", "step by step" }, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "method!=" + SamplingTask.EXACT) })
	public String mode = "closed form";

	@Parameter(label = "Diffusion: sampling steps n", min = "1", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "method!=" + SamplingTask.EXACT) })
	public int steps = 50;

	@Parameter(label = "Number of samples per image", min = "1", persist = false)
	public int samples = 4;

	@Parameter(label = "Batch seed (each image's seed comes from it and the image's file name)", persist = false)
	public long seed = 1;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading5 = "Job array";

	@Parameter(label = "Part i/n (a job-array task's share of the images)", persist = false)
	public String part = "1/1";

	@Override
	protected TaskResult compute(final Progress progress) {
		final int[] share = share(part);
		final boolean simulate = SIMULATE.equalsIgnoreCase(degradation.trim());
		final OperatorSpec spec = SimulateDegradation.operatorSpec(operator, blur_sigma, motion_length, motion_angle, null);
		final SamplingTask.Request req = new SamplingTask.Request(method, samples, seed, null, 0, mode, "linear", 1000, "", steps, "ddpm", 0, "heuristic", "", "", 500, "auto", 0);
		files.clear();
		return BatchTask.run(input, output_folder, new BatchTask.Settings(prior, estimator, simulate, spec, noise_sigma, req, seed, share[0], share[1]), progress, files);
	}

	static int[] share(final String part) {
		final String p = part == null ? "" : part.trim();
		final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})/(\\d{1,9})").matcher(p);
		if (!m.matches()) throw new IllegalArgumentException("part=" + part + " must be i/n (e.g. part=1/1, or part=$SLURM_ARRAY_TASK_ID/10 with task ids 1..10).");
		return new int[] { Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) };
	}

	private final java.util.List<File> files = new java.util.ArrayList<>();

	/** Each image's outputs and the manifest, as BatchTask wrote them (the command line lists them). */
	@Override
	public java.util.List<File> written() {
		return java.util.Collections.unmodifiableList(files);
	}

	@Override
	protected void publish(final TaskResult r) {
		// The per-image outputs are on disk; the manifest table is shown.
	}

	@Override
	protected File outputFolder() {
		// BatchTask writes each image's set itself; nothing more to save at the end.
		return null;
	}
}
