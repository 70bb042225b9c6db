package org.spectralposterior.imagej;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.measure.ResultsTable;
import ij.process.ImageProcessor;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.continuous.ContinuousSchemes;
import org.spectralposterior.core.continuous.ContinuousSchemes.Config;
import org.spectralposterior.core.continuous.ContinuousSchemes.Init;
import org.spectralposterior.core.continuous.ContinuousSchemes.Result;
import org.spectralposterior.core.continuous.Eigenvalues;
import org.spectralposterior.core.continuous.GuidedSchemes;
import org.spectralposterior.core.continuous.Scheme;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.diffusion.IntensityMap;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Continuous-Time Schemes (MATH §11): exact W2 of the Pierret–Galerne discretisations of the VP SDE against NFE, for the
 * eigenvalues of a prior (in [−1, 1] units, as the diffusion samplers see it) or of a given list.
 */
public final class ContinuousTask {

	/** The settings of one run of the command. */
	public record Request(String schemes, String nfeList, double epsilon, String init, boolean notebookHeun, String dataRange) {}

	private ContinuousTask() {}

	/**
	 * The guided settings (MATH §11.1): guidance none (unconditional, the default), dps, pigdm, cgdm or exact; the weight
	 * ("heuristic" or a number); the degradation as the analyses read it ({@link AnalysisTask.Setup}, [−1, 1] units).
	 */
	public record Guided(String guidance, String weight, AnalysisTask.Setup setup) {

		boolean none() {
			return guidance == null || guidance.isBlank() || guidance.trim().equalsIgnoreCase("none");
		}
	}

	public static TaskResult run(final ImagePlus priorImp, final String eigenvalues, final Request req, final Progress progress) {
		return run(priorImp, eigenvalues, req, null, progress);
	}

	public static TaskResult run(final ImagePlus priorImp, final String eigenvalues, final Request req, final Guided guided, final Progress progress) {
		final boolean isGuided = guided != null && !guided.none();
		if (isGuided && priorImp == null) {
			throw new IllegalArgumentException("guidance=" + guided.guidance().trim() + " needs a prior image: the posterior needs the prior's mean and its spectrum on the operator's grid, not an eigenvalue list; give prior=<a prior from Build Gaussian Prior> instead of eigenvalues, or guidance=none.");
		}
		checkOneSource(priorImp, eigenvalues);
		final List<Scheme> schemes = new ArrayList<>();
		for (final String s : req.schemes().split("[,;]")) if (!s.isBlank()) schemes.add(Scheme.parse(s));
		if (schemes.isEmpty()) throw new IllegalArgumentException("schemes is empty; give e.g. schemes=em,ei,pg-ddpm,euler,heun,rk4");
		final int[] nfes = positiveInts(req.nfeList());
		final Init init = Init.parse(req.init());
		// Validate every configuration before computing any (bad input makes no output).
		final List<Config> configs = new ArrayList<>();
		for (final Scheme s : schemes) for (final int n : nfes) configs.add(new Config(s, n, req.epsilon(), init, req.notebookHeun()));
		if (isGuided) return runGuided(priorImp, req, guided, schemes, nfes, configs, progress);
		final Eigenvalues eig;
		final String base;
		if (priorImp != null) {
			final GaussianPrior prior = PriorImage.read(priorImp);
			// The VP SDE's stationary law is N(0, I): the data must be on the [−1, 1] scale the samplers assume.
			eig = Eigenvalues.of(SamplingTask.intensityMap(priorImp, 1, req.dataRange()).toUnit(prior).spectrum());
			base = Planes.baseTitle(priorImp).replace("_prior", "");
		}
		else {
			eig = readEigenvalues(eigenvalues.trim());
			base = Planes.baseName(new File(eigenvalues.trim()).getName());
		}
		final double sde = ContinuousSchemes.continuousW2(eig, false, req.epsilon(), init), ode = ContinuousSchemes.continuousW2(eig, true, req.epsilon(), init);
		final ResultsTable table = new ResultsTable();
		final Curves curves = new Curves(configs.size());
		for (int j = 0; j < configs.size(); j++) {
			progress.checkCancelled();
			final Config c = configs.get(j);
			progress.detail(c.scheme().key + " · NFE " + c.nfe() + " · run " + (j + 1) + "/" + configs.size());
			final Result r = ContinuousSchemes.run(eig, c, progress);
			curves.set(j, r.defined(), r.w2(), r.times(), r.trajectoryW2());
			table.incrementCounter();
			table.addValue("scheme", c.scheme().key);
			table.addValue("label", c.scheme().label);
			table.addValue("NFE", c.nfe());
			table.addValue("grid points N", c.gridPoints());
			table.addValue("epsilon", c.epsilon());
			table.addValue("init", init.key);
			table.addValue("W2 to data", r.w2());
			// One column for the scheme's own limit (the ODE's for an ODE scheme, the SDE's otherwise): a column
			// named per row made two, each row's zero in the other's.
			table.addValue("continuous W2 (this scheme's limit)", c.scheme().ode ? ode : sde);
			table.addValue("continuous SDE W2", sde);
			table.addValue("continuous ODE W2", ode);
			table.addValue("status", r.status());
			progress.update(j + 1, configs.size());
		}
		table.setDecimalPlaces(table.getColumnIndex("epsilon"), 9);
		return plots(base, schemes, nfes, curves, table, "W2 to the data law", "W2(scheme law at t, p(T−t))", "W2 to p_t", null);
	}

	/** Per configuration: defined, final W2, trajectory (times, W2). */
	private static final class Curves {
		final boolean[] defined;
		final double[] w2;
		final double[][] times, traj;

		Curves(final int n) {
			defined = new boolean[n];
			w2 = new double[n];
			times = new double[n][];
			traj = new double[n][];
		}

		void set(final int j, final boolean ok, final double w, final double[] t, final double[] y) {
			defined[j] = ok;
			w2[j] = w;
			times[j] = t;
			traj[j] = y;
		}
	}

	/** The guided runs (MATH §11.1): E_v W2 to the posterior per scheme and NFE, and E_v W2 to x_t | v along the run. */
	private static TaskResult runGuided(final ImagePlus priorImp, final Request req, final Guided guided, final List<Scheme> schemes, final int[] nfes, final List<Config> configs,
		final Progress progress) {
		final GuidedSchemes.Guide guide = GuidedSchemes.Guide.parse(guided.guidance());
		final String wText = guided.weight() == null || guided.weight().isBlank() ? "heuristic" : guided.weight().trim();
		final double weight;
		if (wText.equalsIgnoreCase("heuristic")) weight = GuidedSchemes.HEURISTIC;
		else {
			try {
				weight = Double.parseDouble(wText);
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("weight must be heuristic or a number ≥ 0 (e.g. 0.5), got '" + wText + "'.");
			}
		}
		final AnalysisTask.Setup setup = guided.setup();
		setup.budget("Continuous-Time Schemes", 1, 0).check();
		final AnalysisTask.Problem problem = setup.problem();
		final GuidedSchemes.Problem pb = new GuidedSchemes.Problem(problem.unitPrior(), problem.op(), problem.unitSigma());
		GuidedSchemes.check(guide, weight, pb.sigma());
		final double half = problem.half();
		final String base = Planes.baseTitle(priorImp).replace("_prior", "");
		final double sde = Math.sqrt(GuidedSchemes.continuousExact(pb, false, req.epsilon(), configs.get(0).init()).squared());
		final double ode = Math.sqrt(GuidedSchemes.continuousExact(pb, true, req.epsilon(), configs.get(0).init()).squared());
		final ResultsTable table = new ResultsTable();
		final Curves curves = new Curves(configs.size());
		for (int j = 0; j < configs.size(); j++) {
			progress.checkCancelled();
			final Config c = configs.get(j);
			progress.detail(c.scheme().key + " · NFE " + c.nfe() + " · run " + (j + 1) + "/" + configs.size());
			final GuidedSchemes.Result r = GuidedSchemes.run(pb, guide, weight, c, progress);
			final double[] trajW2 = new double[r.trajectoryW2sq().length];
			for (int k = 0; k < trajW2.length; k++) trajW2[k] = Math.sqrt(r.trajectoryW2sq()[k]);
			curves.set(j, r.defined(), r.w2(), r.times(), trajW2);
			table.incrementCounter();
			table.addValue("scheme", c.scheme().key);
			table.addValue("label", c.scheme().label);
			table.addValue("guidance", guide.key);
			table.addValue("weight", weight);
			table.addValue("operator", setup.operator().describe());
			table.addValue("noise_sigma", setup.sigma());
			table.addValue("NFE", c.nfe());
			table.addValue("grid points N", c.gridPoints());
			table.addValue("epsilon", c.epsilon());
			table.addValue("init", c.init().key);
			final Wasserstein.Expected e = r.expected();
			table.addValue("E_v W2^2 to posterior", e == null ? Double.NaN : e.squared());
			table.addValue("E_v W2 to posterior", r.w2());
			table.addValue("E_v W2^2 mean part", e == null ? Double.NaN : e.meanPart());
			table.addValue("E_v W2^2 covariance part", e == null ? Double.NaN : e.covariancePart());
			table.addValue("E_v W2 (image units)", e == null ? Double.NaN : Math.sqrt(e.scaled(half).squared()));
			table.addValue("exact-score continuous E_v W2 (this scheme's limit)", c.scheme().ode ? ode : sde);
			table.addValue("exact-score continuous SDE E_v W2", sde);
			table.addValue("exact-score continuous ODE E_v W2", ode);
			table.addValue("status", r.status());
			progress.update(j + 1, configs.size());
		}
		table.setDecimalPlaces(table.getColumnIndex("epsilon"), 9);
		return plots(base, schemes, nfes, curves, table, "E_v W2 to the posterior ([−1, 1] units)", "E_v W2(scheme law at t | v, law of x(T−t) | v)", "E_v W2 to x_t|v", guide.key);
	}

	private static TaskResult plots(final String base, final List<Scheme> schemes, final int[] nfes, final Curves results, final ResultsTable table, final String yLabel, final String trajLabel,
		final String trajColumn, final String guidance) {
		final Plot w2 = new Plot(base + "_continuous_plot", "NFE", yLabel);
		final int maxNfe = Arrays.stream(nfes).max().getAsInt();
		// ImageJ's plot labels have no subscripts (p_{T−t} showed as typed); the NFE the curves are at is said.
		final Plot traj = new Plot(base + "_continuous_trajectory_plot", "backward time t (each scheme at NFE " + maxNfe + ")", trajLabel);
		final ResultsTable trajTable = new ResultsTable();
		final List<double[]> w2s = new ArrayList<>(), trajs = new ArrayList<>();
		int trajCurves = 0;
		double tMax = 0;
		for (int s = 0; s < schemes.size(); s++) {
			final List<Double> x = new ArrayList<>(), y = new ArrayList<>();
			for (int n = 0; n < nfes.length; n++) {
				final int j = s * nfes.length + n;
				if (results.defined[j] && results.w2[j] > 0) {
					x.add((double) nfes[n]);
					y.add(results.w2[j]);
				}
			}
			final double[] ys = y.stream().mapToDouble(Double::doubleValue).toArray();
			w2s.add(ys);
			Plots.curve(w2, x.stream().mapToDouble(Double::doubleValue).toArray(), ys, s, schemes.get(s).label);
			final int last = s * nfes.length + indexOf(nfes, maxNfe);
			if (!results.defined[last]) continue;
			final double[] times = results.times[last], ws = results.traj[last];
			Plots.line(traj, times, ws, s, schemes.get(s).label);
			trajs.add(ws);
			trajCurves++;
			for (final double t : times) tMax = Math.max(tMax, t);
			for (int k = 0; k < times.length; k++) {
				trajTable.incrementCounter();
				trajTable.addValue("scheme", schemes.get(s).key);
				if (guidance != null) trajTable.addValue("guidance", guidance);
				trajTable.addValue("NFE", maxNfe);
				trajTable.addValue("t", times[k]);
				trajTable.addValue("forward time T-t", 1 - times[k]);
				trajTable.addValue(trajColumn, ws[k]);
			}
		}
		final double[] nfeRange = Plots.range(true, Arrays.stream(nfes).asDoubleStream().toArray());
		Plots.legendAbove(w2, nfeRange == null ? 1 : nfeRange[0] / 1.2, nfeRange == null ? 10 : nfeRange[1] * 1.2, true, schemes.size(), w2s.toArray(new double[0][]));
		w2.setLogScaleX();
		w2.setLogScaleY();
		if (trajCurves > 0) Plots.legendAbove(traj, 0, tMax, false, trajCurves, trajs.toArray(new double[0][]));
		final ImagePlus plotImp = w2.getImagePlus(), trajImp = traj.getImagePlus();
		plotImp.setTitle(base + "_continuous_plot");
		trajImp.setTitle(base + "_continuous_trajectory_plot");
		return new TaskResult().addImage(TaskResult.PLOT, plotImp).addImage(TaskResult.TRAJECTORY_PLOT, trajImp).addTable(base + "_continuous", table).addTable(base + "_continuous_trajectory", trajTable);
	}

	private static int indexOf(final int[] v, final int x) {
		for (int i = 0; i < v.length; i++) if (v[i] == x) return i;
		return -1;
	}

	/** nfe_list, inline or as a file of one number a line ({@link NumberLists#resolve}). */
	static int[] positiveInts(final String given) {
		final String list = NumberLists.resolve("nfe_list", given);
		final String[] p = list.trim().split("[,;\\s]+");
		final int[] v = new int[p.length];
		for (int i = 0; i < p.length; i++) {
			try {
				v[i] = Integer.parseInt(p[i]);
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("nfe_list must be a comma list of integers (e.g. 50,250,500,1000), got '" + p[i] + "'.");
			}
			if (v[i] < 1) throw new IllegalArgumentException("nfe_list values must be ≥ 1, got " + v[i] + ".");
		}
		return v;
	}

	/** A 32-bit image (every pixel one eigenvalue) or a text/CSV file with one eigenvalue a line (header and # comments allowed). */
	/** A spectral study takes its eigenvalues from exactly one of a prior image and an eigenvalue file. */
	static void checkOneSource(final ImagePlus priorImp, final String eigenvalues) {
		final boolean hasList = eigenvalues != null && !eigenvalues.isBlank() && !eigenvalues.trim().equalsIgnoreCase("none");
		if ((priorImp == null) == !hasList) throw new IllegalArgumentException("Give exactly one of prior (a prior image) and eigenvalues (a text/CSV file with one eigenvalue a line, or a 32-bit image of λ)"
			+ (hasList ? ", not both." : "; neither was given."));
	}

	static Eigenvalues readEigenvalues(final String path) {
		if (!new File(path).isFile()) throw new IllegalArgumentException("eigenvalues=" + path + ": no such file; give the path of a text/CSV file with one eigenvalue a line, or of a 32-bit TIFF of λ.");
		final String lower = path.toLowerCase(Locale.ROOT);
		if (lower.endsWith(".tif") || lower.endsWith(".tiff")) {
			final ImagePlus imp = ImageFiles.open("eigenvalues", path);
			if (imp.getBitDepth() != 32) throw new IllegalArgumentException("eigenvalues=" + path + " is a " + imp.getBitDepth() + "-bit image; give a 32-bit image of the eigenvalues λ (not a prior: pass a prior as prior=).");
			final ImageProcessor ip = imp.getProcessor();
			final double[] v = new double[ip.getPixelCount()];
			for (int i = 0; i < v.length; i++) v[i] = ip.getf(i);
			return Eigenvalues.of(v);
		}
		return Eigenvalues.of(NumberLists.values("eigenvalues", path, "write one eigenvalue a line (an optional header line is skipped)"));
	}
}
