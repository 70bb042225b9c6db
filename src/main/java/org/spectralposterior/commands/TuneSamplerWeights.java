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
import org.spectralposterior.imagej.TaskResult;
import org.spectralposterior.imagej.TuningTask;

/** Plugins › Spectral Posterior › Tune Sampler Weights. See {@link TuningTask}. */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + TuneSamplerWeights.LABEL, label = TuneSamplerWeights.LABEL,
	description = "Per-step guidance weights minimising the expected W2 to the true posterior, against the heuristic and the best constant")
public class TuneSamplerWeights extends AnalysisCommand {

	public static final String LABEL = "Tune Sampler Weights";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading4 = "Tuning";

	@Parameter(callback = "refreshInUse", label = "Method", choices = { "dps", "pigdm", "cgdm", "ddnm", "scoreald", "sdedit" }, description = "sdedit: its start time t0 is tuned (it has no guidance weights)", persist = false)
	public String method = "pigdm";

	@Parameter(label = "Sampling steps n", min = "1", persist = false)
	public int steps = 50;

	@Parameter(callback = "refreshInUse", label = "Parametrisation", choices = { "per step", "per step and band", TuningTask.Parametrisation.WEIGHTS_AND_ETA },
		description = "per step: one weight per step; per step and band: one weight per step in each frequency band (a guidance filter); weights and eta per step: DDIM's η designed with the weights (base_step=ddim)", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "method!=sdedit") })
	public String parametrisation = "per step";

	@Parameter(label = "Frequency bands B", min = "1", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "parametrisation=per step and band & method!=sdedit") })
	public int bands = 8;

	@Parameter(label = "Bands by", choices = { "frequency", "eigenvalue" },
		description = "frequency: rings of equal width in |ω|; eigenvalue: quantiles of the prior's λ (equal numbers of frequencies)", persist = false,
		attrs = { @Attr(name = DialogRules.ROW, value = "same"), @Attr(name = DialogRules.WHEN, value = "parametrisation=per step and band & method!=sdedit") })
	public String band_by = "frequency";

	@Parameter(label = "Smoothness penalty γ (0 = none)", min = "0", description = "adds γ Σ (w_{j+1} − w_j)² to the objective", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "method!=sdedit") })
	public double smoothness = 0;

	@Parameter(label = "Maximum L-BFGS iterations", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "method!=sdedit") })
	public int iterations = 500;

	@Parameter(label = "Super-resolution factor r (1 = none; a measurement's own factor wins)", min = "1", persist = false, attrs = { @Attr(name = DialogRules.ROW, value = "same") })
	public int downsample = 1;

	@Parameter(label = "Robust over noise levels (comma list of σ, or a file; empty = noise sigma only)", required = false, description = "one weight list minimising the sum of E_v W2² over these noise levels", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "method!=sdedit") })
	public String noise_list = "";

	@Parameter(label = "Robust over blur widths (comma list of Gaussian σ in px, or a file; empty = the operator only)", required = false,
		description = "one weight list minimising the sum of E_v W2² over these Gaussian blur widths (and the noise levels above): a focus that drifts", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "method!=sdedit & operator=gaussian|" + AUTO) })
	public String blur_list = "";

	@Parameter(label = "Warm start from n steps (0 = none)", min = "0", description = "tune at this coarser number of steps first and start from its weights, interpolated in t", persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "method!=sdedit") })
	public int warm_start = 0;

	@Parameter(label = "Smooth basis: K cosines in t first (0 = none)", min = "0",
		description = "a first search on K smooth functions of t (K numbers instead of one per step); the per-step search continues from its optimum", persist = false,
		attrs = { @Attr(name = DialogRules.ROW, value = "same"), @Attr(name = DialogRules.WHEN, value = "method!=sdedit & parametrisation=per step") })
	public int smooth_basis = 0;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading5 = "Output";

	@Parameter(label = "Output folder (optional)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	public File output_folder;

	@Parameter(type = ItemIO.OUTPUT, label = "Plot")
	public ImagePlus plot;

	@Override
	protected TaskResult compute(final Progress progress) {
		if ("sdedit".equalsIgnoreCase(method == null ? "" : method.trim())) {
			if (!"per step".equalsIgnoreCase(parametrisation.trim()) || !(noise_list == null || noise_list.isBlank()) || !(blur_list == null || blur_list.isBlank()) || warm_start != 0 || smooth_basis != 0) {
				throw new IllegalArgumentException("method=sdedit tunes its start time t0 only; leave parametrisation=[per step], noise_list and blur_list empty, warm_start=0 and smooth_basis=0.");
			}
			return TuningTask.startTime(setup(downsample, false), method, steps, t0, progress);
		}
		return TuningTask.run(setup(downsample, false), method, steps, smoothness, iterations, noise_list, blur_list, warm_start, TuningTask.Parametrisation.parse(parametrisation, bands, band_by),
			smooth_basis, progress);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}
}
