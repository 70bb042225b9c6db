package org.spectralposterior.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on a sample image, through {@link Main#run} (no System.exit). */
class CliTest {

	record Outcome(int code, String out, String err) {}

	static Outcome cli(final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void demoPipelineWritesEveryOutputAndPrintsItsPath(@TempDir final Path dir) throws Exception {
		final String out = "output_folder=" + dir;
		Outcome o = cli("Build Gaussian Prior", "image=sample-images/gravel.png", "roi=128,128,128,128", "target_width=0", out);
		assertEquals(0, o.code, o.err);
		assertEquals(dir.resolve("gravel_prior.tif").toString(), o.out.trim());
		o = cli("Simulate Degradation", "image=sample-images/gravel.png", "operator=gaussian", "blur_sigma=2", "noise_sigma=5", "seed=7", out);
		assertEquals(0, o.code, o.err);
		o = cli("Posterior Sampling", "prior=" + dir.resolve("gravel_prior.tif"), "measurement=" + dir.resolve("gravel_degraded.tif"), "samples=4", "seed=1",
			"ground_truth=sample-images/gravel.png", out);
		assertEquals(0, o.code, o.err);
		final String[] lines = o.out.trim().split("\\R");
		assertEquals(7, lines.length, o.out);
		for (final String line : lines) assertTrue(Files.isRegularFile(Path.of(line)), line);
		final String csv = Files.readString(dir.resolve("gravel_degraded_exact_results.csv"));
		final String[] header = csv.split("\\R")[0].split(","), row = csv.split("\\R")[1].split(",");
		final int psnr = java.util.Arrays.asList(header).indexOf("PSNR mean (dB)"), cov = java.util.Arrays.asList(header).indexOf("coverage ±2 std");
		// A Wiener-filtered gravel at σ_blur = 2, σ = 5 is clearly better than the measurement; the
		// ±2 std band of a well-specified Gaussian model covers about 95% of the pixels.
		assertTrue(Double.parseDouble(row[psnr]) > 20, csv);
		assertTrue(Math.abs(Double.parseDouble(row[cov]) - 0.95) < 0.04, csv);
	}

	@Test
	void inpaintingAndSuperResolutionFromTheCommandLine(@TempDir final Path dir) throws Exception {
		final String out = "output_folder=" + dir;
		Outcome o = cli("Build Gaussian Prior", "image=sample-images/gravel.png", "roi=0,256,512,256", "estimator=smoothed", "target_width=512", "target_height=512", out);
		assertEquals(0, o.code, o.err);
		// roi= on the clean image is the hole.
		o = cli("Simulate Degradation", "image=sample-images/gravel.png", "roi=200,100,40,30", "operator=inpaint", "noise_sigma=1", out);
		assertEquals(0, o.code, o.err);
		assertTrue(Files.isRegularFile(dir.resolve("gravel_mask.tif")));
		o = cli("Posterior Sampling", "prior=" + dir.resolve("gravel_prior.tif"), "measurement=" + dir.resolve("gravel_degraded.tif"), "samples=2", "seed=1", out);
		assertEquals(0, o.code, o.err);
		assertTrue(Files.readString(dir.resolve("gravel_degraded_exact_results.csv")).contains("missing pixels"));
		final Path sr = Files.createDirectories(dir.resolve("sr"));
		o = cli("Simulate Degradation", "image=sample-images/gravel.png", "operator=gaussian", "blur_sigma=1", "downsample=4", "noise_sigma=2", "output_folder=" + sr);
		assertEquals(0, o.code, o.err);
		o = cli("Posterior Sampling", "prior=" + dir.resolve("gravel_prior.tif"), "measurement=" + sr.resolve("gravel_degraded.tif"), "samples=2", "seed=1", "output_folder=" + sr);
		assertEquals(0, o.code, o.err);
		final ij.ImagePlus mean = ij.IJ.openImage(sr.resolve("gravel_degraded_exact_mean.tif").toString());
		assertEquals(512, mean.getWidth(), "super-resolved ×4 from 128×128");
		o = cli("Posterior Sampling", "prior=" + dir.resolve("gravel_prior.tif"), "measurement=" + sr.resolve("gravel_degraded.tif"), "method=dps", "steps=10", "samples=1",
			"output_folder=" + sr);
		assertEquals(0, o.code, o.err);
		assertEquals(512, ij.IJ.openImage(sr.resolve("gravel_degraded_dps_w2map.tif").toString()).getWidth(), "a diffusion sampler's W2 map on the fine grid");
	}

	@Test
	void helpListsCommandsAndParameters() {
		final Outcome o = cli("--help");
		assertEquals(0, o.code);
		for (final String s : new String[] { "Build Gaussian Prior", "Simulate Degradation", "Posterior Sampling", "estimator", "noise_sigma", "output_folder", "roi" }) {
			assertTrue(o.out.contains(s), s);
		}
	}

	@Test
	void badInputExitsNonZeroWithTheMessageOnStderr(@TempDir final Path dir) {
		Outcome o = cli("Build Gaussian Prior", "image=sample-images/gravel.png", "roi=500,500,64,64", "output_folder=" + dir);
		assertEquals(2, o.code);
		assertTrue(o.err.contains("outside"), o.err);
		o = cli("Build Gaussian Prior", "image=no/such.png");
		assertEquals(2, o.code);
		assertTrue(o.err.contains("no such image file"), o.err);
		o = cli("Simulate Degradation", "image=sample-images/gravel.png", "noise_sigma=-2", "output_folder=" + dir);
		assertEquals(2, o.code);
		assertTrue(o.err.contains("noise_sigma"), o.err);
		o = cli("Simulate Degradation", "image=sample-images/gravel.png", "colour=red");
		assertEquals(2, o.code);
		assertTrue(o.err.contains("Unknown parameter 'colour'"), o.err);
		o = cli("Make Coffee");
		assertEquals(2, o.code);
		assertEquals(0, dir.toFile().list().length);
	}

	@Test
	void aRefusalIsPrintedOnceOnStderrAndNothingOnStdout(@TempDir final Path dir) {
		// SpectralCommand logs a refusal through its LogService besides cancelling with it: the CLI's Context
		// silences the log, so the one line is Main's.
		final Outcome o = cli("Simulate Degradation", "image=sample-images/gravel.png", "operator=psf", "noise_sigma=1", "output_folder=" + dir);
		assertEquals(Main.BAD_INPUT, o.code);
		assertEquals(1, o.err.split("operator=psf needs a PSF image", -1).length - 1, o.err);
		assertEquals("", o.out);
		assertEquals(0, dir.toFile().list().length);
	}

	@Test
	void progressGoesToStderrUnlessQuietAndStdoutHoldsOnlyTheWrittenPaths(@TempDir final Path dir) {
		final String out = "output_folder=" + dir;
		assertEquals(0, cli("Build Gaussian Prior", "image=sample-images/gravel.png", "roi=0,0,128,128", "target_width=128", "target_height=128", out).code);
		final long saved = Main.progressIntervalMillis;
		Main.progressIntervalMillis = 0; // every progress event becomes a line (at most one a second normally)
		try {
			final String prior = "prior=" + dir.resolve("gravel_prior.tif");
			Outcome o = cli("Synthesize Texture", prior, "samples=6", out);
			assertEquals(0, o.code, o.err);
			assertTrue(o.err.contains("Synthesize Texture: "), "progress on stderr: " + o.err);
			for (final String line : o.out.trim().split("\\R")) assertTrue(Files.isRegularFile(Path.of(line)), "stdout lists written files only: " + line);
			o = cli("--quiet", "Synthesize Texture", prior, "samples=6", out);
			assertEquals(0, o.code, o.err);
			assertEquals("", o.err, "--quiet: no progress");
			assertEquals(dir.resolve("gravel_prior_samples.tif").toString(), o.out.trim());
		}
		finally {
			Main.progressIntervalMillis = saved;
		}
	}

	@Test
	void helpDocumentsQuietAndTheExitCodes() {
		final Outcome o = cli("--help");
		assertTrue(o.out.contains("--quiet") && o.out.contains("0: done; 2: bad input, nothing written; 1: internal failure"), o.out);
	}
}
