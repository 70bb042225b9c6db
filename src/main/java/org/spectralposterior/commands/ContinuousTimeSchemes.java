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
import org.spectralposterior.imagej.ContinuousTask;
import org.spectralposterior.imagej.TaskResult;

/** Plugins › Spectral Posterior › Continuous-Time Schemes (MATH §11, Pierret–Galerne). */
@Plugin(type = Command.class, menuPath = SpectralCommand.MENU + ContinuousTimeSchemes.LABEL, label = ContinuousTimeSchemes.LABEL,
	description = "Exact W2 of the EM, EI, DDPM, Euler, Heun and RK4 discretisations of the VP SDE to the data law, against NFE, and along the trajectory")
public class ContinuousTimeSchemes extends SpectralCommand {

	public static final String LABEL = "Continuous-Time Schemes";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String heading1 = "Input (a prior or an eigenvalue file)";

	@Parameter(label = "Prior image (or give eigenvalues)", required = false, autoFill = false, persist = false)
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
	private String heading3 = "Output";

	@Parameter(label = "Output folder (optional)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	public File output_folder;

	@Parameter(type = ItemIO.OUTPUT, label = "W2 against NFE")
	public ImagePlus plot;

	@Parameter(type = ItemIO.OUTPUT, label = "W2 along the trajectory")
	public ImagePlus trajectory_plot;

	@Override
	protected TaskResult compute(final Progress progress) {
		return ContinuousTask.run(prior, eigenvalues, new ContinuousTask.Request(schemes, nfe_list, epsilon, init, notebook_heun, data_range), progress);
	}

	@Override
	protected void publish(final TaskResult r) {
		plot = r.images().get(0);
		trajectory_plot = r.images().get(1);
	}

	@Override
	protected File outputFolder() {
		return output_folder;
	}
}
