package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;

class AnalysisCommandsTest {

	static ResultsTable table(final CommandModule m) {
		return ((SpectralCommand) m.getCommand()).result().tables().values().iterator().next();
	}

	@Test
	void compareSamplersGivesATableAndAPlot(@TempDir final Path dir) throws Exception {
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(40)).getOutput("prior");
		final CommandModule m = CommandsTest.run(CompareSamplers.class, "prior", prior, "methods", "dps,cgdm,pigdm", "steps_list", "10,50,250", "noise_sigma", 5.0, "output_folder", dir.toFile());
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable t = table(m);
		assertEquals(9, t.size());
		// CGDM (rows 3..5): only time discretisation separates it from the posterior, so it improves with n.
		assertTrue(t.getValue("E_v W2^2", 3) > t.getValue("E_v W2^2", 4) && t.getValue("E_v W2^2", 4) > t.getValue("E_v W2^2", 5), "CGDM converges");
		assertEquals("gravel_compare_plot", ((ImagePlus) m.getOutput("plot")).getTitle());
		assertTrue(Files.isRegularFile(dir.resolve("gravel_compare.csv")));
		assertTrue(Files.isRegularFile(dir.resolve("gravel_compare_plot.tif")));
		CommandsTest.expectFailure(CommandsTest.run(CompareSamplers.class, "prior", prior, "methods", "magic"), "Unknown method");
		CommandsTest.expectFailure(CommandsTest.run(CompareSamplers.class, "prior", prior, "operator", "from measurement"), "needs a measurement");
	}

	@Test
	void compareSamplersDrawsTunedAndDesignedCurvesBesideTheHeuristicOnes() throws Exception {
		final ImagePlus image = CommandsTest.gravel(40);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final CommandModule m = CommandsTest.run(CompareSamplers.class, "prior", prior, "methods", "pigdm,ddrm", "steps_list", "5,10", "noise_sigma", 5.0, "variants", "heuristic,tuned,designed",
			"iterations", 40);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable t = table(m);
		assertEquals(2 * 3 * 2, t.size(), "methods × variants × steps");
		for (int i = 0; i < 2; i++) {
			final double heuristic = t.getValue("E_v W2^2", i), tuned = t.getValue("E_v W2^2", 2 + i), designed = t.getValue("E_v W2^2", 4 + i);
			assertEquals("tuned", t.getStringValue("variant", 2 + i));
			// Each search starts from the heuristic (weights or linear schedule), so it is never worse.
			assertTrue(tuned <= heuristic * (1 + 1e-12) && designed <= heuristic * (1 + 1e-12), heuristic + " ≥ tuned " + tuned + ", designed " + designed);
			assertTrue(tuned < heuristic && designed < heuristic, "both improve at n = " + t.getValue("steps", i));
		}
		// The tuned figure is the one Tune Sampler Weights reports at the same n and iterations.
		final CommandModule tune = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "pigdm", "steps", 10, "noise_sigma", 5.0, "iterations", 40);
		final ResultsTable tuning = ((SpectralCommand) tune.getCommand()).result().tables().get("gravel_pigdm_tuning");
		assertEquals(tuning.getValue("E_v W2^2", 2), t.getValue("E_v W2^2", 3), 1e-9 * t.getValue("E_v W2^2", 3));
		// DDRM has no weights and no designed schedule: rows say why, and no point is drawn for them.
		for (int row = 6; row < 12; row++) {
			if (t.getStringValue("variant", row).equals("heuristic")) assertEquals("ok", t.getStringValue("status", row));
			else assertTrue(t.getStringValue("status", row).startsWith("no " + t.getStringValue("variant", row) + " curve"), t.getStringValue("status", row));
		}
		CommandsTest.expectFailure(CommandsTest.run(CompareSamplers.class, "prior", prior, "variants", "best"), "variants holds 'best'");
	}

	/**
	 * Above 20 000 frequencies the weights are searched on (λ, ρ) groups; when an exact evaluation is
	 * affordable the result is then refined on all frequencies, so the tuned weights never score worse
	 * than the best constant exactly (on the README's tutorial the groups' weights did, after 30 and 300 iterations).
	 */
	@Test
	void groupedTuningIsRefinedOnAllFrequencies() throws Exception {
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(200)).getOutput("prior");
		final CommandModule tune = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "pigdm", "steps", 20, "noise_sigma", 5.0, "iterations", 30);
		assertFalse(tune.isCanceled(), () -> tune.getCancelReason());
		final ResultsTable t = ((SpectralCommand) tune.getCommand()).result().tables().get("gravel_pigdm_tuning");
		final String how = t.getStringValue("weights", 2);
		assertTrue(how.contains("searched on (λ, ρ) groups") && how.contains("refined on all frequencies"), how);
		assertTrue(t.getValue("E_v W2^2", 2) < t.getValue("E_v W2^2", 1), "tuned " + t.getValue("E_v W2^2", 2) + " < best constant " + t.getValue("E_v W2^2", 1));
	}

	/** SDEdit's designed curve (its table, start level included, from its best integer t0) lies below its curve at t0 = 500. */
	@Test
	void compareSamplersDesignsSdeditsTable() throws Exception {
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(24)).getOutput("prior");
		final CommandModule m = CommandsTest.run(CompareSamplers.class, "prior", prior, "methods", "sdedit", "steps_list", "5", "noise_sigma", 5.0, "variants", "heuristic,designed", "t0", 500,
			"iterations", 40);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable t = table(m);
		assertEquals("designed", t.getStringValue("variant", 1));
		assertEquals("ok", t.getStringValue("status", 1));
		assertTrue(t.getValue("E_v W2^2", 1) < t.getValue("E_v W2^2", 0), "designed " + t.getValue("E_v W2^2", 1) + " < t0 = 500's " + t.getValue("E_v W2^2", 0));
	}

	@Test
	void transferFunctionsOfCgdmApproachTheWienerFilter() throws Exception {
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(32)).getOutput("prior");
		final CommandModule m = CommandsTest.run(TransferFunctions.class, "prior", prior, "methods", "cgdm,dps", "steps", 1000, "noise_sigma", 5.0);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ImagePlus tf = (ImagePlus) m.getOutput("transfer");
		assertEquals(2 + 4 * 2, tf.getStackSize());
		assertTrue(tf.getStack().getSliceLabel(1).startsWith("Wiener"));
		// Each slice has its own display range (a gain near 1, a std in image units).
		assertTrue(tf.isComposite() && tf.getNChannels() == tf.getStackSize());
		final ij.CompositeImage ci = (ij.CompositeImage) tf;
		for (int c = 1; c <= 2; c++) {
			final ij.process.ImageStatistics st = tf.getStack().getProcessor(c).getStats();
			assertTrue(ci.getChannelLut(c).max <= st.max && ci.getChannelLut(c).max > st.min, "slice " + c + "'s own range");
		}
		assertTrue(Math.abs(ci.getChannelLut(1).max - ci.getChannelLut(2).max) > 1, "not one shared range");
		final float[] wiener = (float[]) tf.getStack().getPixels(1), cgdm = (float[]) tf.getStack().getPixels(3), dps = (float[]) tf.getStack().getPixels(7);
		double errC = 0, errD = 0, norm = 0;
		for (int i = 0; i < wiener.length; i++) {
			errC += Math.pow(cgdm[i] - wiener[i], 2);
			errD += Math.pow(dps[i] - wiener[i], 2);
			norm += wiener[i] * wiener[i];
		}
		assertTrue(errC < 1e-3 * norm, "CGDM with n = T transfers like the Wiener filter: " + errC / norm);
		assertTrue(errD > errC, "DPS at its heuristic weight does not");
	}

	@Test
	void reverseDynamicsSensitivity() throws Exception {
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(32)).getOutput("prior");
		final CommandModule m = CommandsTest.run(ReverseDynamicsSensitivity.class, "prior", prior, "times", "1000,100,1", "radii", "1,4");
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		assertEquals(3, ((ImagePlus) m.getOutput("impulse_score")).getStackSize());
		assertEquals(3, ((ImagePlus) m.getOutput("impulse_step")).getStackSize());
		// Cropped around the impulse (a 32² image keeps a central window of at least 17×17), each slice its own range.
		final ImagePlus imp = (ImagePlus) m.getOutput("impulse_score");
		assertTrue(imp.getWidth() >= 17 && imp.getWidth() <= 32 && imp.getWidth() == imp.getHeight(), imp.getWidth() + "×" + imp.getHeight());
		assertTrue(imp.isComposite() && imp.getNChannels() == 3, "one display range per t");
		final ResultsTable t = table(m);
		assertEquals(200, t.size());
		for (int i = 0; i < t.size(); i++) {
			final double e1 = t.getValue("score energy within r=1", i), e4 = t.getValue("score energy within r=4", i);
			assertTrue(e1 <= e4 + 1e-12 && e4 <= 1 + 1e-12, "enclosed energy grows with r");
			insideY(plotOf(m, "enclosed_energy"), false, "energy at row " + i, e1, e4);
			insideY(plotOf(m, "spectral_radius"), false, "spectral radius at row " + i, t.getValue("step spectral radius", i));
		}
		assertEquals(2, colours(plotOf(m, "enclosed_energy")).size(), "one colour a radius");
		assertTrue(plotOf(m, "enclosed_energy").getLimits()[3] > 1.2, "room above the energies for the legend");
		CommandsTest.expectFailure(CommandsTest.run(ReverseDynamicsSensitivity.class, "prior", prior, "times", "0"), "times must lie");
	}

	@Test
	void tunedWeightsGoBackIntoPosteriorSamplingWithTheirLoss(@TempDir final Path dir) throws Exception {
		final ImagePlus image = CommandsTest.gravel(48);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus degraded = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "motion", "motion_length", 5.0, "motion_angle", 30.0, "noise_sigma",
			4.0, "seed", 3L).getOutput("degraded");
		final CommandModule m = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "measurement", degraded, "operator", "from measurement", "method", "pigdm", "steps", 20,
			"output_folder", dir.toFile());
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final var tables = ((SpectralCommand) m.getCommand()).result().tables();
		final ResultsTable weights = tables.get("gravel_pigdm_tuned_weights"), summary = tables.get("gravel_pigdm_tuning");
		assertEquals(20, weights.size());
		assertEquals(1000, weights.getValue("t", 0), "noisiest step first");
		assertEquals(3, summary.size());
		final double heuristic = summary.getValue("E_v W2^2", 0), constant = summary.getValue("E_v W2^2", 1), tuned = summary.getValue("E_v W2^2", 2);
		assertTrue(tuned < constant && constant <= heuristic, heuristic + " ≥ " + constant + " > " + tuned);
		assertEquals("gravel_pigdm_tuned_weights_plot", ((ImagePlus) m.getOutput("plot")).getTitle());
		for (final String f : new String[] { "gravel_pigdm_tuned_weights.csv", "gravel_pigdm_tuning.csv", "gravel_pigdm_tuned_weights_plot.tif" }) assertTrue(Files.isRegularFile(dir.resolve(f)), f);

		// The list, given to Posterior Sampling as custom weights, gives that expected W2² (up to the
		// 6 significant digits of the list).
		final String list = summary.getStringValue("weight_list", 2);
		final CommandModule s = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "pigdm", "steps", 20, "weights", "custom", "weight_list", list,
			"samples", 2, "seed", 1L);
		assertFalse(s.isCanceled(), () -> s.getCancelReason());
		assertEquals(tuned, table(s).getValue("E_v W2^2", 0), 1e-4 * tuned);
		// The same list from a file, one value a line (a header line is skipped).
		final Path listFile = Files.writeString(dir.resolve("weights.csv"), "weight\n" + list.replace(",", "\n") + "\n");
		final CommandModule f = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "pigdm", "steps", 20, "weights", "custom", "weight_list",
			listFile.toString(), "samples", 2, "seed", 1L);
		assertEquals(table(s).getValue("E_v W2^2", 0), table(f).getValue("E_v W2^2", 0), 0);
		final CommandModule h = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "pigdm", "steps", 20, "samples", 2, "seed", 1L);
		assertEquals(heuristic, table(h).getValue("E_v W2^2", 0), 1e-9 * heuristic);

		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "dps-normalized"), "not affine");
	}

	@Test
	void aGivenMeasurementDefinesTheOperatorUnlessOneIsNamed() throws Exception {
		final ImagePlus image = CommandsTest.gravel(40);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus degraded = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "motion", "motion_length", 5.0, "motion_angle", 30.0, "noise_sigma",
			4.0, "seed", 3L).getOutput("degraded");
		final double fromMeasurement = loss(CommandsTest.run(CompareSamplers.class, "prior", prior, "measurement", degraded, "operator", "from measurement", "methods", "pigdm", "steps_list", "20"));
		// The default operator (auto) with a measurement: the measurement's motion blur and σ = 4.
		assertEquals(fromMeasurement, loss(CommandsTest.run(CompareSamplers.class, "prior", prior, "measurement", degraded, "methods", "pigdm", "steps_list", "20")), 1e-12 * fromMeasurement);
		// Without a measurement, auto is the Gaussian blur of the dialog (blur_sigma 2, noise_sigma 5): another problem.
		final double gaussian = loss(CommandsTest.run(CompareSamplers.class, "prior", prior, "methods", "pigdm", "steps_list", "20"));
		assertEquals(gaussian, loss(CommandsTest.run(CompareSamplers.class, "prior", prior, "operator", "gaussian", "methods", "pigdm", "steps_list", "20")), 1e-12 * gaussian);
		assertTrue(Math.abs(gaussian - fromMeasurement) > 1e-3 * gaussian);
		// A named operator wins over the measurement's.
		assertEquals(gaussian, loss(CommandsTest.run(CompareSamplers.class, "prior", prior, "measurement", degraded, "operator", "gaussian", "methods", "pigdm", "steps_list", "20")), 1e-12 * gaussian);

		// Measurements the analyses cannot model are refused even beside a named operator (super-resolution
		// they all model now: SuperResolutionCommandsTest).
		image.setRoi(new ij.gui.Roi(5, 5, 8, 8));
		final ImagePlus holed = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "inpaint", "noise_sigma", 1.0).getOutput("degraded");
		CommandsTest.expectFailure(CommandsTest.run(TransferFunctions.class, "prior", prior, "measurement", holed, "operator", "gaussian", "methods", "pigdm"), "not a convolution");
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "measurement", holed, "method", "pigdm", "steps", 10), "not a convolution");
	}

	private static double loss(final CommandModule m) {
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		return table(m).getValue("E_v W2^2", 0);
	}

	/** Pixels of a plot image inside its frame that are not the background (white). */
	private static long inked(final ImagePlus plotImp) {
		final ij.gui.Plot plot = (ij.gui.Plot) plotImp.getProperty(ij.gui.Plot.PROPERTY_KEY);
		final java.awt.Rectangle frame = plot.getDrawingFrame();
		final ij.process.ImageProcessor ip = plotImp.getProcessor().convertToRGB();
		long n = 0;
		for (int y = frame.y + 2; y < frame.y + frame.height - 2; y++) for (int x = frame.x + 2; x < frame.x + frame.width - 2; x++) if ((ip.getPixel(x, y) & 0xffffff) != 0xffffff) n++;
		return n;
	}

	/*
	 * What the plot tests read of ImageJ 1.54p's ij.gui.Plot (imagej/ImageJ, ij/gui/Plot.java, checked
	 * against the jar): getLimits() is {xMin, xMax, yMin, yMax} in data units, on log axes too;
	 * setLogScaleY() = setAxisYLog(true) sets Y_LOG_NUMBERS in getFlags(); getDataObjectArrays(i) is
	 * {x, y, x errors, y errors} of the i-th XY data set, in the order getDataObjectDesignations()
	 * names them ("Data Set n: label"); getPlotObjectStyle(i) is "colour,colour 2,line width,shape"
	 * of the i-th plot object (data sets first here: the plots add their text labels last).
	 */

	static ij.gui.Plot plotOf(final CommandModule m) {
		return plotOf(m, "plot");
	}

	static ij.gui.Plot plotOf(final CommandModule m, final String output) {
		return (ij.gui.Plot) ((ImagePlus) m.getOutput(output)).getProperty(ij.gui.Plot.PROPERTY_KEY);
	}

	/** The colours of the plot's data sets; none may be black or grey (they look alike). */
	static java.util.Set<String> colours(final ij.gui.Plot plot) {
		final java.util.Set<String> colours = new java.util.HashSet<>();
		for (int k = 0; k < plot.getDataObjectDesignations().length; k++) colours.add(plot.getPlotObjectStyle(k).split(",")[0]);
		assertFalse(colours.contains("black") || colours.contains("gray") || colours.contains("darkGray"), "no black or grey: " + colours);
		return colours;
	}

	/** Every finite value (positive ones only when {@code positive}) lies inside the plot's y limits. */
	static void insideY(final ij.gui.Plot plot, final boolean positive, final String what, final double... values) {
		final double[] lim = plot.getLimits();
		for (final double v : values) if (Double.isFinite(v) && (!positive || v > 0)) assertTrue(v >= lim[2] && v <= lim[3], what + " = " + v + " outside [" + lim[2] + ", " + lim[3] + "]");
	}

	/** The index of the data set labelled {@code label}, or −1. */
	private static int dataSet(final ij.gui.Plot plot, final String label) {
		final String[] names = plot.getDataObjectDesignations();
		for (int j = 0; j < names.length; j++) if (names[j].endsWith(": " + label)) return j;
		return -1;
	}

	/** The index of the data set whose label starts with {@code prefix}, or −1. */
	private static int dataSetStarting(final ij.gui.Plot plot, final String prefix) {
		final String[] names = plot.getDataObjectDesignations();
		for (int j = 0; j < names.length; j++) if (names[j].replaceFirst("^Data Set \\d+: ", "").startsWith(prefix)) return j;
		return -1;
	}

	private static boolean inside(final double v, final double[] lim) {
		return Double.isFinite(v) && v >= lim[2] && v <= lim[3];
	}

	@Test
	void theComparePlotAtItsDefaultsShowsEveryMethodAndFlagsDivergence(@TempDir final Path dir) throws Exception {
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(48)).getOutput("prior");
		final CommandModule m = CommandsTest.run(CompareSamplers.class, "prior", prior, "output_folder", dir.toFile());
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable t = table(m);
		final ij.gui.Plot plot = plotOf(m);
		final double[] lim = plot.getLimits();
		assertTrue(Double.isFinite(lim[2]) && lim[2] > 0 && Double.isFinite(lim[3]) && lim[3] > lim[2], "finite positive y limits: " + java.util.Arrays.toString(lim));
		assertTrue((plot.getFlags() & ij.gui.Plot.Y_LOG_NUMBERS) != 0, "log W2 axis");
		int diverged = 0, infinite = 0;
		double highestCurve = 0, lowestCurve = Double.POSITIVE_INFINITY;
		for (int row = 0; row < t.size(); row++) {
			final double w = t.getValue("E_v W2", row);
			final String status = t.getStringValue("status", row);
			final int k = dataSet(plot, t.getStringValue("method", row));
			assertTrue(k >= 0, "a data set for " + t.getStringValue("method", row));
			final float[][] curve = plot.getDataObjectArrays(k), flagged = plot.getDataObjectArrays(k + 1);
			assertTrue(plot.getPlotObjectStyle(k + 1).endsWith(",X") && plot.getPlotObjectStyle(k + 1).startsWith(plot.getPlotObjectStyle(k).split(",")[0] + ","),
				"flagged markers X in the method's colour: " + plot.getPlotObjectStyle(k + 1));
			final int i = java.util.Arrays.binarySearch(curve[0], (float) t.getValue("steps", row));
			assertTrue(i >= 0, "row " + row + " plotted at its n");
			if (status.startsWith("diverged")) {
				diverged++;
				assertTrue(status.contains("fewer steps") && status.contains("another method"), "the table says what to do: " + status);
				assertTrue(Float.isNaN(curve[1][i]) && inside(flagged[1][i], lim), "row " + row + " (" + w + ") a flagged marker inside the frame: " + flagged[1][i]);
			}
			else {
				assertEquals("ok", status, "row " + row);
				assertTrue(Double.isFinite(w), "an ok row has a finite W2: " + w);
				assertEquals((float) w, curve[1][i], 1e-6 * w, "row " + row + " on its curve");
				assertTrue(inside(w, lim), "row " + row + " (" + w + ") inside the y range " + lim[2] + ".." + lim[3]);
				assertTrue(Float.isNaN(flagged[1][i]), "row " + row + " not flagged");
				highestCurve = Math.max(highestCurve, w);
				lowestCurve = Math.min(lowestCurve, w);
			}
			if (!Double.isFinite(w)) {
				infinite++;
				assertTrue(status.startsWith("diverged"), "row " + row + ": W2 = " + w + " is diverged: " + status);
			}
		}
		assertTrue(infinite > 0, "at the defaults DPS at 1000 steps diverges: the flagged markers are exercised");
		// The flagged markers are above every curve: at the top of the axis.
		for (int row = 0; row < t.size(); row++) {
			if (!t.getStringValue("status", row).startsWith("diverged")) continue;
			final int k = dataSet(plot, t.getStringValue("method", row));
			for (final float f : plot.getDataObjectArrays(k + 1)[1]) if (!Float.isNaN(f)) assertTrue(f > highestCurve, "flagged " + f + " above the curves (" + highestCurve + ")");
		}
		assertTrue(dataSetStarting(plot, "diverged (W2 = ∞") >= 0, "the legend notes the flagged markers: " + java.util.Arrays.toString(plot.getDataObjectDesignations()));
		assertTrue(diverged >= infinite);
		// The legend (bottom right, eight entries) has the lower part of the frame to itself.
		assertTrue(Math.log10(lowestCurve / lim[2]) / Math.log10(lim[3] / lim[2]) > 0.4, "room for the legend below the curves: " + java.util.Arrays.toString(lim));
		final ImagePlus plotImp = (ImagePlus) m.getOutput("plot");
		assertTrue(inked(plotImp) > 2000, "curves drawn inside the frame: " + inked(plotImp) + " pixels");
		// For a look by eye (target/ only).
		new ij.io.FileSaver(plotImp).saveAsPng(java.nio.file.Path.of("target/compare-plot-check.png").toAbsolutePath().toString());
	}

	/** {min, max} of the three weight columns of a Tune table, each value checked inside the plot's y limits and each curve labelled. */
	private static double[] insideLimits(final ResultsTable w, final ij.gui.Plot plot) {
		final double[] lim = plot.getLimits();
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final String col : new String[] { "heuristic", "best constant", "tuned" }) {
			for (int row = 0; row < w.size(); row++) {
				final double v = w.getValue(col, row);
				assertTrue(v >= lim[2] && v <= lim[3], col + " at step " + (row + 1) + " = " + v + " outside [" + lim[2] + ", " + lim[3] + "]");
				lo = Math.min(lo, v);
				hi = Math.max(hi, v);
			}
			assertTrue(dataSetStarting(plot, col + " (") >= 0, "a curve labelled " + col);
		}
		return new double[] { lo, hi };
	}

	@Test
	void theTunePlotHoldsEveryCurveInDistinctColoursOnALogAxisWhenTheWeightsSpanDecades() throws Exception {
		final ImagePlus image = CommandsTest.gravel(40);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final CommandModule m = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "pigdm", "steps", 20);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable w = ((SpectralCommand) m.getCommand()).result().tables().get("gravel_pigdm_tuned_weights");
		final ij.gui.Plot plot = plotOf(m);
		final double[] lim = plot.getLimits();
		final double[] range = insideLimits(w, plot);
		final double lo = range[0], hi = range[1];
		assertEquals(3, colours(plot).size(), "one colour a curve");
		assertTrue(lo > 0 && hi / lo > 100, "PiGDM's heuristic weights span decades at 20 steps: " + lo + ".." + hi);
		assertTrue((plot.getFlags() & ij.gui.Plot.Y_LOG_NUMBERS) != 0, "log y axis");
		// The band above the curves (for the legend) is at least the legend's share of the frame.
		assertTrue(Math.log10(lim[3] / hi) / Math.log10(lim[3] / lim[2]) > 0.15, "room for the legend above the curves: " + java.util.Arrays.toString(lim));
		final ImagePlus plotImp = (ImagePlus) m.getOutput("plot");
		assertTrue(inked(plotImp) > 500, "curves drawn");
		java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
		new ij.io.FileSaver(plotImp).saveAsPng(java.nio.file.Path.of("target/tune-plot-check.png").toAbsolutePath().toString());
	}

	@Test
	void theTunePlotStaysLinearWhenAWeightIsZero() throws Exception {
		// At 48² DDNM's tuned weights reach exactly 0 (at 40² the smallest is 3e-46: that one gets a log axis of 46 decades).
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", CommandsTest.gravel(48)).getOutput("prior");
		final CommandModule m = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "ddnm", "steps", 20);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final ResultsTable w = ((SpectralCommand) m.getCommand()).result().tables().get("gravel_ddnm_tuned_weights");
		final ij.gui.Plot plot = plotOf(m);
		final double lo = insideLimits(w, plot)[0];
		assertTrue(lo <= 0, "DDNM's weights reach 0 here: " + lo);
		assertEquals(0, plot.getFlags() & ij.gui.Plot.Y_LOG_NUMBERS, "a zero weight keeps the axis linear");
	}
}
