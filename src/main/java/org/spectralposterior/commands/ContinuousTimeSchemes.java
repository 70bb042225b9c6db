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
import org.spectralposterior.imagej.AnalysisTask;
import org.spectralposterior.imagej.ContinuousTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Continuous-Time Schemes (MATH §11, Pierret–Galerne). */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + ContinuousTimeSchemes.LABEL, label = ContinuousTimeSchemes.LABEL,
	description = "Exact W2 of the EM, EI, DDPM, Euler, Heun and RK4 discretisations of the VP SDE to the data law, against NFE, and along the trajectory; guided (DPS, PiGDM, CGDM, exact score): E_v W2 to the posterior of a blur")
public class ContinuousTimeSchemes extends SpectralCommand {

	public static final String LABEL = "Continuous-Time Schemes";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading1 = "Input (a prior or an eigenvalue file)";

	@Parameter(callback = "refreshInUse", label = "Prior image (or give eigenvalues)", required = false, autoFill = false, persist = false)
	public ImagePlus prior;

	@Parameter(label = "Eigenvalues file (text/CSV, one a line, or 32-bit TIFF; or give a prior)", required = false, persist = false)
	public String eigenvalues = "";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading2 = "Schemes";

	@Parameter(label = "Schemes (comma-separated)", persist = false)
	public String schemes = "em,ei,pg-ddpm,euler,heun,rk4";

	@Parameter(label = "NFE list (comma-separated)", persist = false)
	public String nfe_list = "50,250,500,1000";

	@Parameter(label = "Truncation ε", min = "0", max = "0.999", persist = false)
	public double epsilon = 1e-3;

	@Parameter(label = "Initialisation", choices = { "standard", "p_T" }, persist = false)
	public String init = "standard";

	@Parameter(label = "Heun as in the authors' notebook (N = NFE grid points)", persist = false)
	public boolean notebook_heun = false;

	@Parameter(label = "Data range of a prior (auto or lo,hi)", persist = false)
	public String data_range = "auto";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading3 = "Guidance (none: unconditional; else W2 to the posterior of a blur)";

	@Parameter(callback = "refreshInUse", label = "Guidance (likelihood score)", choices = { "none", "dps", "pigdm", "cgdm", "exact" }, persist = false)
	public String guidance = "none";

	@Parameter(label = "Guidance weight (heuristic or a number)", persist = false, attrs = { @Attr(name = DialogRules.WHEN, value = "guidance!=none|exact") })
	public String weight = "heuristic";

	@Parameter(callback = "refreshInUse", label = "Operator", choices = { "gaussian", "motion", "psf", "none" }, persist = false, attrs = { @Attr(name = DialogRules.WHEN, value = "guidance!=none") })
	public String operator = "gaussian";

	@Parameter(label = "Gaussian blur sigma (px)", min = "0", stepSize = "0.1", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px"), @Attr(name = DialogRules.WHEN, value = "guidance!=none & operator=gaussian") })
	public double blur_sigma = 2;

	@Parameter(label = "Motion length (px)", min = "0", persist = false,
		attrs = { @Attr(name = DialogRules.UNIT, value = "px"), @Attr(name = DialogRules.WHEN, value = "guidance!=none & operator=motion") })
	public double motion_length = 9;

	@Parameter(label = "Motion angle (degrees)", persist = false,
		attrs = { @Attr(name = DialogRules.ROW, value = "same"), @Attr(name = DialogRules.UNIT, value = "°"), @Attr(name = DialogRules.WHEN, value = "guidance!=none & operator=motion") })
	public double motion_angle = 0;

	@Parameter(label = "PSF image (operator = psf)", required = false, autoFill = false, persist = false,
		attrs = { @Attr(name = DialogRules.WHEN, value = "guidance!=none & operator=psf") })
	public ImagePlus psf;

	@Parameter(label = "Noise sigma (image units)", min = "0", persist = false, attrs = { @Attr(name = DialogRules.WHEN, value = "guidance!=none") })
	public double noise_sigma = 5;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading4 = "Output";

	@Parameter(label = "Output folder (optional)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	public File output_folder;

	@Parameter(type = ItemIO.OUTPUT, label = "W2 against NFE")
	public ImagePlus plot;

	@Parameter(type = ItemIO.OUTPUT, label = "W2 along the trajectory")
	public ImagePlus trajectory_plot;

	@Override
	protected TaskResult compute(final Progress progress) {
		final ContinuousTask.Request req = new ContinuousTask.Request(schemes, nfe_list, epsilon, init, notebook_heun, data_range);
		final boolean none = guidance == null || guidance.isBlank() || guidance.trim().equalsIgnoreCase("none");
		if (none) return ContinuousTask.run(prior, eigenvalues, req, progress);
		// The degradation as the analyses read it (MATH §11.1); the schedule fields of Setup are unused by the continuous schemes.
		final AnalysisTask.Setup setup = prior == null ? null
			: new AnalysisTask.Setup(prior, SimulateDegradation.operatorSpec(operator, blur_sigma, motion_length, motion_angle, psf), noise_sigma, "linear", 1000, "", "ddpm", 0, data_range);
		if (setup != null && !setup.operator().circulant()) throw new IllegalArgumentException(org.spectralposterior.core.operator.OperatorSpec.NOT_CIRCULANT);
		if (!(noise_sigma >= 0) || Double.isInfinite(noise_sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + noise_sigma);
		return ContinuousTask.run(prior, eigenvalues, req, new ContinuousTask.Guided(guidance, weight, setup), progress);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}
}
