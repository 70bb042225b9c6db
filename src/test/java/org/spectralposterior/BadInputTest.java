package org.spectralposterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.macro.Interpreter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.spectralposterior.cli.Main;
import org.spectralposterior.commands.FijiBatchModeTest;
import org.spectralposterior.commands.SpectralCommand;
import org.spectralposterior.ij1.BridgeRoute;

/**
 * Bad input through every front-end: the command line ({@link Main#run}), plain ImageJ's macro route
 * (the bridge, whose message aborts the macro) and Fiji's macro route (FijiBatchModeTest's emulation of
 * imagej-legacy, whose refusal ends the run without outputs). Each case asserts the outcome (exit code
 * 2 on the command line, a message on the macro routes), a distinctive part of the message, that no
 * output exists (the output folder stays empty; no image is registered for the macro) and that every
 * input file — and every open input image's pixels — is unchanged afterwards. Where the value is the
 * same text on every route the message must be identical on all three: one parser reads them all.
 * <p>
 * To add a case, add one line to {@link #CASES}: {@code all(label, options, expected)} for a value
 * read the same everywhere, {@code perRoute(label, options, onTheCommandLine, inMacros)} when the
 * message differs by route (an image is a path on the command line, a title in macros), {@code cli(…)} for the command line only.
 * In {@code options}, {@code {image}}, {@code {prior}}, {@code {measurement}}, {@code {truncated}},
 * {@code {low}} (a ×2 super-resolution measurement), {@code {asymmetric}}, {@code {infinite}}, {@code {badmean}} (edited priors),
 * {@code {cprior}}, {@code {cmeasurement}}, {@code {choled}} (a cross-channel colour prior, an RGB measurement and one with a hole),
 * {@code {nosuch}}, {@code {folder}} and {@code {textfile}} become a path (command line) or a title
 * (macros) of the fixture below; {@code {file}} is always a path. Every run gets
 * {@code output_folder=<an empty folder>} unless the options give one.
 */
class BadInputTest {

	enum Route { CLI, BRIDGE, FIJI }

	record Case(String label, String options, EnumSet<Route> routes, String onCli, String inMacros, boolean sameEverywhere) {
		@Override
		public String toString() {
			return label + ": " + options + " " + routes;
		}
	}

	static Case all(final String label, final String options, final String expected) {
		return new Case(label, options, EnumSet.allOf(Route.class), expected, expected, true);
	}

	static Case perRoute(final String label, final String options, final String onCli, final String inMacros) {
		return new Case(label, options, EnumSet.allOf(Route.class), onCli, inMacros, false);
	}

	static Case cli(final String label, final String options, final String expected) {
		return new Case(label, options, EnumSet.of(Route.CLI), expected, null, false);
	}

	private static final String SD = "Simulate Degradation", PS = "Posterior Sampling", BP = "Build Gaussian Prior", ST = "Synthesize Texture",
		TS = "Tune Sampler Weights", CS = "Compare Samplers", TF = "Transfer Functions", RD = "Reverse-Dynamics Sensitivity",
		CT = "Continuous-Time Schemes";
	private static final String SDI = "image={image} ", PSI = "prior={prior} measurement={measurement} ", AN = "prior={prior} ";

	static final List<Case> CASES = List.of(
		// numbers: no words, no fractions for integers, no overflow, finite, in the @Parameter range
		all(SD, SDI + "noise_sigma=five", "noise_sigma=five is not a finite number"),
		all(SD, SDI + "blur_sigma=abc", "blur_sigma=abc is not a finite number"),
		all(SD, SDI + "noise_sigma=NaN", "noise_sigma=NaN is not a finite number"),
		all(SD, SDI + "noise_sigma=Infinity", "noise_sigma=Infinity is not a finite number"),
		all(SD, SDI + "noise_sigma=1e999", "noise_sigma=1e999 is not a finite number"),
		all(SD, SDI + "blur_sigma=2,5", "blur_sigma=2,5 is not a finite number"),
		all(SD, SDI + "noise_sigma=0x10", "noise_sigma=0x10 is not a finite number"),
		all(SD, SDI + "seed=abc", "seed=abc is not a whole number"),
		all(SD, SDI + "seed=9223372036854775808", "seed=9223372036854775808 is out of range"),
		all(SD, SDI + "seed=-9223372036854775809", "seed=-9223372036854775809 is out of range"),
		all(SD, SDI + "seed=1.5", "seed=1.5 is not a whole number"),
		all(PS, PSI + "samples=2.5", "samples=2.5 is not a whole number"),
		all(PS, PSI + "samples=99999999999", "samples=99999999999 is out of range"),
		all(PS, PSI + "steps=abc", "steps=abc is not a whole number"),
		all(PS, PSI + "samples=0", "samples=0 is too small: samples must be at least 1"),
		all(PS, PSI + "eta=1.5", "eta=1.5 is too large: eta must be at most 1"),
		all(PS, PSI + "t0=0", "t0=0 is too small"),
		all(PS, PSI + "trajectory_every=-1", "trajectory_every=-1 is too small"),
		all(SD, SDI + "noise_sigma=-1", "noise_sigma=-1 is too small: noise_sigma must be at least 0"),
		all(SD, SDI + "motion_length=-2", "motion_length=-2 is too small"),
		all(SD, SDI + "downsample=0", "downsample=0 is too small"),
		all(ST, AN + "samples=-3", "samples=-3 is too small"),
		all(BP, SDI + "target_width=-1", "target_width=-1 is too small"),
		all(TS, AN + "iterations=ten", "iterations=ten is not a whole number"),
		all(CS, AN + "timesteps=0", "timesteps=0 is too small"),
		all(TF, AN + "steps=0", "steps=0 is too small"),
		all(RD, AN + "timesteps=1", "timesteps=1 is too small: timesteps must be at least 2"),
		// choices: case-insensitive, else listed
		all(SD, SDI + "operator=blur", "operator=blur is not one of: none, gaussian, motion, psf, inpaint"),
		all(PS, PSI + "method=dsp", "method=dsp is not one of: exact posterior, dps"),
		all(PS, PSI + "mode=fast", "mode=fast is not one of: closed form, step by step"),
		all(BP, SDI + "estimator=best", "estimator=best is not one of: adsn, periodogram, smoothed"),
		all(TS, AN + "method=ddrm", "method=ddrm is not one of: dps, pigdm"),
		// keys: every key a parameter, each once, always key=value
		all(TS, AN + "colour=red", "Unknown parameter 'colour' (colour=red) for Tune Sampler Weights: check its spelling; the parameters are prior, measurement"),
		// (the command line lists its extra roi key where the command has an image)
		perRoute(SD, SDI + "colour=red", "output_folder, roi.", "Unknown parameter 'colour' (colour=red) for Simulate Degradation"),
		all(PS, PSI + "sample=3", "Unknown parameter 'sample'"),
		all(PS, PSI + "train_steps=100", "Unknown parameter 'train_steps'"),
		all(SD, SDI + "seed=1 seed=2", "seed is given twice (seed=1 and seed=2)"),
		all(SD, SDI + "seed", "'seed' is not of the form key=value"),
		all(SD, SDI + "output_folder={file}", "is a file, not a folder"),
		// images: required, named, and what their files really hold
		all(PS, "prior=none measurement={measurement}", "prior=none: prior is required"),
		// (the open titles are listed up to a few; with the fixture's eleven open images, their count)
		perRoute(SD, "image={nosuch}", "no such image file", "image=nosuch.tif: no open image has that title (11 images are open); open it first or give its exact title"),
		perRoute(PS, PSI + "ground_truth={nosuch}", "no such image file", "ground_truth=nosuch.tif: no open image has that title"),
		perRoute(SD, "image={truncated}", "truncated.tif is truncated", "truncated.tif is truncated"),
		perRoute(PS, PSI + "ground_truth={truncated}", "truncated.tif is truncated", "truncated.tif is truncated"),
		cli(BP, "estimator=adsn", "image is required: give image=<path of an image file>"),
		cli(PS, "prior={prior}", "measurement is required: give measurement=<path"),
		cli(SD, "image={folder}", "is a folder, not an image file"),
		cli(SD, "image={textfile}", "cannot read it as an image"),
		cli(BP, SDI + "roi=1,2,3", "roi must be x,y,width,height"),
		cli(PS, PSI + "roi=0,0,8,8", "Unknown parameter 'roi'"),
		// refused by the command itself, after parsing: the same outcome on every route
		all(SD, SDI + "operator=psf", "operator=psf needs a PSF image"),
		// inputs that are not what they seem: priors validated on every pixel and their Info, priors never taken for images
		all(PS, "prior={asymmetric} measurement={measurement}", "is not symmetric"),
		all(PS, "prior={infinite} measurement={measurement}", "must be finite log10"),
		all(PS, "prior={badmean} measurement={measurement}", "mean=abc in its Info, not a finite number"),
		all(PS, "prior={image} measurement={measurement}", "is not a prior made by Build Gaussian Prior"),
		all(PS, "prior={measurement} measurement={measurement}", "is not a prior made by Build Gaussian Prior"),
		all(PS, PSI + "ground_truth={prior}", "is a prior (the log power spectrum"),
		all(SD, "image={prior} noise_sigma=1", "is a prior (the log power spectrum"),
		all(BP, "image={prior}", "is a prior (the log power spectrum"),
		all(PS, "prior={prior} measurement={prior}", "is a prior (the log power spectrum"),
		// a measurement defines the operator of the analyses, and one they cannot model is refused even beside a named operator
		all(TS, AN + "downsample=9 steps=5", "not a multiple of the super-resolution factor 9"),
		all(CS, AN + "downsample=5", "not a multiple of the super-resolution factor 5"),
		all(CS, AN + "operator=inpaint", "operator=inpaint is not one of: auto, from measurement"),
		all(TF, AN + "downsample=7", "not a multiple of the super-resolution factor 7"),
		all(PS, "prior={prior} measurement={low} method=sdedit t0=5000", "must lie in (0, T]"),
		// values no 32-bit image can hold
		all(SD, SDI + "noise_sigma=1e300", "noise_sigma=1.0E300 is far too large"),
		all(SD, SDI + "downsample=2 noise_sigma=1e300", "beyond the range of a 32-bit image"),
		// settings that parse but do not make sense
		all(RD, AN + "radii=-1", "radii must be ≥ 0 pixels"),
		all(PS, PSI + "method=pigdm steps=5 weights=custom weight_list=1,2", "give one weight per step"),
		all(PS, PSI + "method=pigdm steps=5 weights=custom weight_list=1,x,2,3,4", "weight_list must be numbers"),
		all(PS, PSI + "method=pigdm schedule=table", "schedule=table needs schedule_table"),
		// tuned weights handed over as a table (issue 10/11): a reference that is neither, and band settings
		all(PS, PSI + "method=pigdm weights=tuned tuned_table=nosuch_tuned_weights.csv", "is neither an open table nor a file"),
		all(TS, AN + "steps=5 parametrisation=[per step and band] band_by=colour", "band_by=colour is not one of: frequency, eigenvalue"),
		all(TS, AN + "steps=5 parametrisation=[per band]", "parametrisation=per band is not one of: per step, per step and band, weights and eta per step"),
		all(TS, AN + "steps=8 parametrisation=[per step and band] warm_start=8", "warm_start must be 0 (none) or a number of steps below steps=8"),
		// η per step and designs robust over the blur width (issue 11)
		all(TS, AN + "steps=5 parametrisation=[weights and eta per step]", "set base_step=ddim"),
		all(TS, AN + "steps=5 base_step=ddim parametrisation=[weights and eta per step] downsample=2", "η per step is designed on convolution operators"),
		all(TS, AN + "steps=5 blur_list=1,0", "blur widths must be finite numbers > 0"),
		all(TS, AN + "steps=5 smooth_basis=9", "smooth_basis=9 is more functions than steps=5"),
		// booleans are read strictly: "yes" is not silently false
		all(CT, AN + "notebook_heun=yes", "notebook_heun=yes is not true or false"),
		all(PS, PSI + "method=pigdm schedule=table steps=3 timesteps=3 schedule_table=0.1,0.5,0.9", "must decrease strictly"),
		all(PS, PSI + "method=pigdm data_range=5,5", "lo < hi"),
		all(PS, PSI + "method=sdedit t0=5000", "must lie in (0, T]"),
		all(PS, PSI + "method=pigdm steps=2000", "exceeds the 1000 available timesteps"),
		all(CS, AN + "steps_list=10,abc", "steps_list must be whole numbers"),
		all(SD, SDI + "downsample=3 noise_sigma=1", "not a multiple of downsample=3"),
		// memory and sizes: estimated before any work, in long, with the figure and the way out
		all(BP, SDI + "target_width=20000 target_height=20000", "start Java/Fiji with more memory"),
		all(BP, SDI + "target_width=65536 target_height=65537", "above Java's array limit"),
		all(PS, PSI + "samples=2000000000", "use fewer samples"),
		all(ST, AN + "samples=2000000000", "use fewer samples"),
		// Batch: refused before any image
		all("Batch", "input=/nonexistent/plate", "no such folder or list file"),
		all("Batch", "input=/nonexistent/plate part=3/2", "part must be i/n"),
		all("Batch", "input=/nonexistent/plate part=half", "must be i/n"),
		cli("Batch", "input={folder}", "holds no image files"),
		// Continuous-Time Schemes
		all("Continuous-Time Schemes", AN + "schemes=ddpm", "pg-ddpm"),
		// noise_sigma=auto or a number; colour_model a choice
		all(PS, PSI + "operator=gaussian noise_sigma=five", "noise_sigma=five is not auto or a finite number"),
		all(BP, SDI + "colour_model=rainbow", "colour_model=rainbow is not one of"),
		// Design Noise Schedule
		all("Design Noise Schedule", AN + "steps=0", "steps must be at least 1"),
		all("Design Noise Schedule", AN + "criterion=entropy", "is not one of: w2, kl"),
		all("Design Noise Schedule", AN + "eta=2", "eta must be at most 1"),
		all("Design Noise Schedule", "eigenvalues=", "neither was given"),
		all("Design Noise Schedule", AN + "steps=5 warm_start=5", "warm_start must be 0 (none) or a number of steps from 2 to steps − 1 = 4, got 5"),
		all("Design Noise Schedule", AN + "start_from=sine", "start_from=sine is not one of: linear, cosine"),
		all("Design Noise Schedule", AN + "criterion=posterior steps=5 noise_list=2,-1", "noise_list holds -1.0; noise levels must be finite numbers ≥ 0"),
		all("Design Noise Schedule", AN + "criterion=posterior steps=5 noise_list=2,abc", "give noise levels (image units) separated by commas"),
		// every text setting of a diffusion run parsed once, before any plane is read
		all(PS, PSI + "method=pigdm data_range=abc", "data_range must be auto or lo,hi"),
		all(PS, PSI + "method=pigdm weights=sometimes", "weights=sometimes is not one of"),
		// Colour: what the colour blocks cannot do yet is refused, naming the way that works
		all(PS, "prior={cprior} measurement={cmeasurement} method=pigdm steps=5 trajectory_every=2", "trajectory_every is not available with a colour prior yet; set trajectory_every=0"),
		all(PS, "prior={cprior} measurement={cmeasurement} method=dps-normalized steps=5", "does not split over colour channels"),
		all(PS, "prior={cprior} measurement={choled} method=pigdm steps=5 trajectory_every=1", "trajectory_every is not available with a colour prior yet; set trajectory_every=0"),
		all(TS, "prior={cprior} operator=gaussian blur_sigma=1 noise_sigma=5 method=pigdm steps=5 parametrisation=[per step and band]",
			"With a colour prior, tune with parametrisation=[per step]"),
		all(TF, "prior={cprior} operator=gaussian blur_sigma=1 noise_sigma=5", "is a cross-channel colour prior, which this command does not model"),
		all(PS, "prior={cprior} measurement={measurement} method=pigdm steps=5", "The colour prior has 3 channels but the measurement"));

	private static Path dir, inputs;
	private static final Map<String, String> titles = new LinkedHashMap<>();
	private static final List<ImagePlus> open = new ArrayList<>();

	@BeforeAll
	static void fixture() throws Exception {
		dir = Files.createTempDirectory("bad-input");
		inputs = Files.createDirectories(dir.resolve("inputs"));
		final ImagePlus full = IJ.openImage(new File("sample-images/gravel.png").getAbsolutePath());
		full.setRoi(new Roi(100, 60, 64, 64));
		final ImagePlus image = full.crop();
		new FileSaver(image).saveAsTiff(inputs.resolve("gravel.tif").toString());
		// Prior and measurement made by the commands themselves, saved as TIFF (as output_folder would).
		final Path made = Files.createDirectories(dir.resolve("made"));
		assertEquals(0, quietCli(BP, "image=" + inputs.resolve("gravel.tif"), "output_folder=" + made));
		assertEquals(0, quietCli(SD, "image=" + inputs.resolve("gravel.tif"), "noise_sigma=2", "output_folder=" + made));
		Files.move(made.resolve("gravel_prior.tif"), inputs.resolve("gravel_prior.tif"));
		Files.move(made.resolve("gravel_degraded.tif"), inputs.resolve("gravel_degraded.tif"));
		// A TIFF cut to half its bytes: ImageJ opens it, the missing half read as zeros.
		final byte[] whole = Files.readAllBytes(inputs.resolve("gravel.tif"));
		Files.write(inputs.resolve("truncated.tif"), java.util.Arrays.copyOf(whole, whole.length / 2));
		assertEquals(0, quietCli(SD, "image=" + inputs.resolve("gravel.tif"), "downsample=2", "noise_sigma=2", "output_folder=" + made));
		Files.move(made.resolve("gravel_degraded.tif"), inputs.resolve("low.tif"));
		// Colour: an RGB texture, its cross-channel prior (the RGB default) and a blurred noisy measurement.
		// (Three 64² crops of gravel as R, G and B: IJ.run would build ImageJ's menus, which headless cannot.)
		final byte[][] channels = new byte[3][];
		for (int c = 0; c < 3; c++) {
			full.setRoi(new Roi(100 + 40 * c, 60 + 30 * c, 64, 64));
			channels[c] = (byte[]) full.crop().getProcessor().convertToByteProcessor().getPixels();
		}
		final ij.process.ColorProcessor cp = new ij.process.ColorProcessor(64, 64);
		cp.setRGB(channels[0], channels[1], channels[2]);
		final ImagePlus rgb = new ImagePlus("colour", cp);
		new FileSaver(rgb).saveAsTiff(inputs.resolve("colour.tif").toString());
		assertEquals(0, quietCli(BP, "image=" + inputs.resolve("colour.tif"), "estimator=smoothed", "output_folder=" + made));
		assertEquals(0, quietCli(SD, "image=" + inputs.resolve("colour.tif"), "operator=gaussian", "blur_sigma=1", "noise_sigma=5", "output_folder=" + made));
		Files.move(made.resolve("colour_prior.tif"), inputs.resolve("colour_prior.tif"));
		Files.move(made.resolve("colour_degraded.tif"), inputs.resolve("colour_degraded.tif"));
		// ... and a measurement of it with a hole (inpainting): the command line's roi key is the hole.
		assertEquals(0, quietCli(SD, "image=" + inputs.resolve("colour.tif"), "operator=inpaint", "roi=20,20,8,8", "noise_sigma=1", "output_folder=" + made));
		Files.move(made.resolve("colour_degraded.tif"), inputs.resolve("colour_holed.tif"));
		// Priors edited by hand: one pixel off its mirror, an infinite value (and its mirror), a bad Info number.
		for (final String name : new String[] { "asymmetric.tif", "infinite.tif", "badmean.tif" }) {
			final ImagePlus p = IJ.openImage(inputs.resolve("gravel_prior.tif").toString());
			if (name.startsWith("asym")) p.getProcessor().setf(3, 5, p.getProcessor().getf(3, 5) + 1);
			if (name.startsWith("inf")) {
				p.getProcessor().setf(3, 5, Float.POSITIVE_INFINITY);
				p.getProcessor().setf(64 - 3, 64 - 5, Float.POSITIVE_INFINITY);
			}
			if (name.startsWith("badmean")) p.setProperty("Info", p.getProperty("Info").toString().replaceFirst("(?m)^mean=.*$", "mean=abc"));
			new FileSaver(p).saveAsTiff(inputs.resolve(name).toString());
		}
		Files.createDirectories(inputs.resolve("folder.tif"));
		Files.writeString(inputs.resolve("notes.txt"), "not an image\n");
		// The macro routes name images by title: open every image input (batch mode, as a headless macro).
		Interpreter.batchMode = true;
		for (final String name : new String[] { "gravel.tif", "gravel_prior.tif", "gravel_degraded.tif", "truncated.tif", "low.tif", "asymmetric.tif", "infinite.tif", "badmean.tif", "colour_prior.tif", "colour_degraded.tif",
			"colour_holed.tif" }) {
			final ImagePlus imp = IJ.openImage(inputs.resolve(name).toString());
			assertNotNull(imp, name + " opens in ImageJ");
			imp.show();
			open.add(imp);
		}
		titles.put("{image}", "gravel.tif");
		titles.put("{prior}", "gravel_prior.tif");
		titles.put("{measurement}", "gravel_degraded.tif");
		titles.put("{truncated}", "truncated.tif");
		for (final String name : new String[] { "low", "asymmetric", "infinite", "badmean" }) titles.put("{" + name + "}", name + ".tif");
		titles.put("{cprior}", "colour_prior.tif");
		titles.put("{cmeasurement}", "colour_degraded.tif");
		titles.put("{choled}", "colour_holed.tif");
		titles.put("{nosuch}", "nosuch.tif");
		titles.put("{folder}", "folder.tif");
		titles.put("{textfile}", "notes.txt");
	}

	@AfterAll
	static void closeAll() {
		for (final int id : Interpreter.getBatchModeImageIDs()) Interpreter.removeBatchModeImage(Interpreter.getBatchModeImage(id));
		Interpreter.batchMode = false;
		ij.WindowManager.setTempCurrentImage(null);
	}

	@TestFactory
	Stream<DynamicTest> everyBadInputIsRefusedOnEveryRouteWithoutOutputs() {
		assertTrue(CASES.size() >= 60, "at least 60 cases");
		return CASES.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
	}

	/** The control: the fixture is valid on every route (case-insensitive choice, explicit sign), so refusals above come from the bad value. */
	@org.junit.jupiter.api.Test
	void theSameOptionsWithGoodValuesRunOnEveryRoute() throws Exception {
		final String options = "image={image} operator=GAUSSIAN blur_sigma=1.5 noise_sigma=2 seed=+3";
		for (final Route route : Route.values()) {
			final Path out = Files.createTempDirectory(dir, "ok");
			final String given = options + " output_folder=" + out;
			final String refusal = switch (route) {
				case CLI -> {
					final ByteArrayOutputStream sink = new ByteArrayOutputStream();
					final PrintStream p = new PrintStream(sink, true, StandardCharsets.UTF_8);
					yield Main.run(cliArguments(SD, resolve(given, false)), p, p) == 0 ? null : sink.toString(StandardCharsets.UTF_8);
				}
				case BRIDGE -> BridgeRoute.run(SD, resolve(given, true));
				case FIJI -> FijiBatchModeTest.runAsFijiMacro(SD, resolve(given, true)).refusal();
			};
			assertNull(refusal, route.toString());
			assertTrue(Files.isRegularFile(out.resolve("gravel_degraded.tif")), route + ": outputs written");
			// Leave only the inputs registered for the next case.
			for (final int id : Interpreter.getBatchModeImageIDs()) {
				final ImagePlus imp = Interpreter.getBatchModeImage(id);
				if (!open.contains(imp)) Interpreter.removeBatchModeImage(imp);
			}
		}
	}

	private static void check(final Case c) throws Exception {
		final Map<Route, String> messages = new LinkedHashMap<>();
		for (final Route route : c.routes()) {
			final Path out = Files.createTempDirectory(dir, "out");
			final Map<String, byte[]> files = hashes();
			final List<byte[]> pixels = pixelHashes();
			final int registered = Interpreter.getBatchModeImageCount();
			final String options = c.options() + (c.options().contains("output_folder=") ? "" : " output_folder=" + out);
			final String message = switch (route) {
				case CLI -> {
					final String[] args = cliArguments(c.label(), resolve(options, false));
					final ByteArrayOutputStream so = new ByteArrayOutputStream(), se = new ByteArrayOutputStream();
					final int code = Main.run(args, new PrintStream(so, true, StandardCharsets.UTF_8), new PrintStream(se, true, StandardCharsets.UTF_8));
					final String err = se.toString(StandardCharsets.UTF_8).trim();
					assertEquals(Main.BAD_INPUT, code, "exit code; stderr: " + err);
					assertEquals("", so.toString(StandardCharsets.UTF_8), "stdout lists written files only: none");
					assertEquals(1, err.split(java.util.regex.Pattern.quote(c.onCli()), -1).length - 1, "the message once on stderr: " + err);
					yield err;
				}
				case BRIDGE -> BridgeRoute.run(c.label(), resolve(options, true));
				case FIJI -> {
					final FijiBatchModeTest.FijiRun run = FijiBatchModeTest.runAsFijiMacro(c.label(), resolve(options, true));
					assertNull(((SpectralCommand) run.module().getCommand()).result(), "nothing ran to completion");
					yield run.refusal();
				}
			};
			assertNotNull(message, route + ": refused");
			final String expected = route == Route.CLI ? c.onCli() : c.inMacros();
			assertTrue(message.contains(expected), route + ": '" + expected + "' in: " + message);
			assertEquals(0, out.toFile().list().length, route + ": the output folder stays empty");
			assertEquals(registered, Interpreter.getBatchModeImageCount(), route + ": no output image registered");
			assertEquals(files.keySet(), hashes().keySet(), route + ": input files");
			for (final Map.Entry<String, byte[]> e : hashes().entrySet()) assertArrayEquals(files.get(e.getKey()), e.getValue(), route + ": " + e.getKey() + " byte-identical");
			final List<byte[]> after = pixelHashes();
			for (int i = 0; i < pixels.size(); i++) assertArrayEquals(pixels.get(i), after.get(i), route + ": pixels of " + open.get(i).getTitle());
			messages.put(route, message);
		}
		// The free heap a memory refusal quotes moves with the garbage collector between routes: compare
		// messages with that one figure masked.
		if (c.sameEverywhere()) assertEquals(1, messages.values().stream().map(m -> m.replaceAll("only [0-9.]+ [KMGT]?B is free", "only … is free")).distinct().count(), "one message on every route: " + messages);
	}

	/** Placeholders → titles (macros) or paths (command line; and {file} everywhere). */
	private static String resolve(final String options, final boolean byTitle) {
		String s = options.replace("{file}", inputs.resolve("notes.txt").toString());
		for (final Map.Entry<String, String> e : titles.entrySet()) s = s.replace(e.getKey(), byTitle ? e.getValue() : inputs.resolve(e.getValue()).toString());
		return s;
	}

	/**
	 * The options as a shell would pass them: one argument per key=value, a macro's {@code key=[a b]}
	 * becoming the quoted argument {@code "key=a b"}.
	 */
	private static String[] cliArguments(final String label, final String options) {
		final List<String> args = new ArrayList<>();
		args.add(label);
		final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\S+?=)\\[([^\\]]*)\\]|\\S+").matcher(options.trim());
		while (m.find()) args.add(m.group(1) != null ? m.group(1) + m.group(2) : m.group());
		return args.toArray(String[]::new);
	}

	private static int quietCli(final String... args) {
		final ByteArrayOutputStream sink = new ByteArrayOutputStream();
		final PrintStream p = new PrintStream(sink, true, StandardCharsets.UTF_8);
		final int code = Main.run(args, p, p);
		assertEquals(0, code, sink.toString(StandardCharsets.UTF_8));
		return code;
	}

	private static Map<String, byte[]> hashes() throws Exception {
		final Map<String, byte[]> h = new LinkedHashMap<>();
		try (Stream<Path> s = Files.walk(inputs)) {
			for (final Path f : (Iterable<Path>) s.sorted()::iterator) {
				if (Files.isRegularFile(f)) h.put(inputs.relativize(f).toString(), MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
				else h.put(inputs.relativize(f) + "/", new byte[0]);
			}
		}
		return h;
	}

	private static List<byte[]> pixelHashes() throws Exception {
		final List<byte[]> h = new ArrayList<>();
		for (final ImagePlus imp : open) {
			final MessageDigest md = MessageDigest.getInstance("SHA-256");
			final float[] px = (float[]) imp.getProcessor().convertToFloat().getPixels();
			final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(px.length * 4);
			b.asFloatBuffer().put(px);
			h.add(md.digest(b.array()));
		}
		return h;
	}
}
