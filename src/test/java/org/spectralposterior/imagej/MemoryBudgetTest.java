package org.spectralposterior.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ij.IJ;
import ij.ImagePlus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;
import org.spectralposterior.commands.BuildGaussianPrior;
import org.spectralposterior.commands.CommandsTestAccess;
import org.spectralposterior.commands.PosteriorSampling;
import org.spectralposterior.commands.SimulateDegradation;
import org.spectralposterior.commands.SynthesizeTexture;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.operator.OperatorSpec;

/**
 * The memory budget: every case that used to end in an OutOfMemoryError or an int overflow is refused
 * with the figure and the way out; what fits runs; the estimate is close to what a run really holds.
 */
class MemoryBudgetTest {

	private static final long GB = 1_000_000_000L;

	/** A gravel texture scaled to n×n. */
	static ImagePlus gravel(final int n) {
		final ImagePlus full = IJ.openImage(new File("sample-images/gravel.png").getAbsolutePath());
		final ImagePlus out = n == full.getWidth() ? full : full.resize(n, n, "bilinear");
		out.setTitle("gravel.png");
		return out;
	}

	private static void refused(final CommandModule m, final String... fragments) {
		assertTrue(m.isCanceled(), "should have been refused");
		final String why = m.getCancelReason();
		for (final String f : fragments) assertTrue(why != null && why.contains(f), () -> "message '" + why + "' should mention '" + f + "'");
		assertFalse(why.contains("Exception") || why.contains("Error"), () -> "a message, not a stack trace: " + why);
	}

	@Test
	void hugePriorTargetIsRefusedWithTheFigure() throws Exception {
		final ImagePlus image = gravel(64);
		// 20000²: about 19 GB of spectra and planes; used to die in an OutOfMemoryError.
		refused(CommandsTestAccess.run(BuildGaussianPrior.class, "image", image, "target_width", 20000, "target_height", 20000), "Build Gaussian Prior needs about", " GB",
			"20000×20000", "target_width", "-Xmx");
		// 65536×65537: H·W overflows an int; the spectrum exceeds Java's array limit whatever the heap.
		refused(CommandsTestAccess.run(BuildGaussianPrior.class, "image", image, "target_width", 65536, "target_height", 65537), "too large: 65536×65537 needs a spectrum of 4295163906 values",
			"array limit");
		refused(CommandsTestAccess.run(BuildGaussianPrior.class, "image", image, "target_width", 65537, "target_height", 65536), "too large: 65537×65536");
	}

	@Test
	void arrayLimitBoundary() {
		// 46000²: 2·46000·23001 = 2 116 092 000 values, inside the limit (the memory check decides);
		// 46341²: 2 147 534 622 values, above it.
		MemoryBudget.checkLimits(46000, 46000, 1);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryBudget.checkLimits(46341, 46341, 1));
		assertTrue(e.getMessage().contains("2147534622 values"), e.getMessage());
		final IllegalArgumentException stack = assertThrows(IllegalArgumentException.class, () -> MemoryBudget.checkLimits(8, 8, Integer.MAX_VALUE + 1L));
		assertTrue(stack.getMessage().contains("ImageJ's limit"), stack.getMessage());
	}

	@Test
	void manySamplesOfALargeImageAreRefusedUnderOneGigabyte() {
		// The observed case: 200 samples at 1024² with -Xmx1g passed the old check (4 B/px/sample +
		// 64 B/px) and then ran out of memory. About 0.9 GB is free in such a JVM.
		final MemoryBudget b = MemoryBudget.sampling(1024, 1024, 1, 200, MemoryBudget.Path.CIRCULANT, true, false, 0);
		assertTrue(b.bytes() > 850_000_000L && b.bytes() < 1_100_000_000L, "200 float planes of 4.2 MB plus the working set: " + b.bytes());
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.check(900_000_000L));
		assertTrue(e.getMessage().startsWith("Posterior Sampling needs about 1.0 GB of memory (200 samples of 1024×1024) but only 900 MB is free: use fewer samples"), e.getMessage());
		assertTrue(e.getMessage().contains("Edit › Options › Memory & Threads"), e.getMessage());
		// What fits comfortably is not refused: 16 exact samples at 1024² in the same JVM.
		MemoryBudget.sampling(1024, 1024, 1, 16, MemoryBudget.Path.CIRCULANT, true, false, 0).check(900_000_000L);
	}

	@Test
	void trajectoriesAreCounted() {
		final MemoryBudget none = MemoryBudget.sampling(512, 512, 1, 4, MemoryBudget.Path.CIRCULANT, false, true, 0);
		final MemoryBudget every = MemoryBudget.sampling(512, 512, 1, 4, MemoryBudget.Path.CIRCULANT, false, true, 1000);
		// 1000 snapshots of x_t and x̂0 (doubles, 16 B per pixel) and their float stacks (8 B per
		// pixel), which are made once the sampling's working set is gone.
		final long px = 512L * 512, more = every.bytes() - none.bytes();
		assertTrue(more >= 1000 * 16 * px && more <= 1000 * 24 * px, "trajectory " + more);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> every.check(3 * GB));
		assertTrue(e.getMessage().contains("a trajectory of 1000 snapshots") && e.getMessage().contains("larger trajectory_every"), e.getMessage());
	}

	@Test
	void trajectoryThatDoesNotFitIsRefusedByTheCommand() throws Exception {
		final ImagePlus image = gravel(512);
		final ImagePlus prior = (ImagePlus) CommandsTestAccess.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus degraded = (ImagePlus) CommandsTestAccess.run(SimulateDegradation.class, "image", image, "noise_sigma", 5.0).getOutput("degraded");
		// 1000 snapshots of 512² = 6.3 GB: far above the test JVM's heap, refused before any step.
		refused(CommandsTestAccess.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "pigdm", "mode", "step by step", "steps", 1000, "trajectory_every", 1,
			"samples", 1), "Posterior Sampling needs about 6.", "trajectory of 1000 snapshots", "trajectory_every");
		// And a texture stack ImageJ could not even index.
		refused(CommandsTestAccess.run(SynthesizeTexture.class, "prior", prior, "samples", Integer.MAX_VALUE), "Synthesize Texture needs about", "use fewer samples");
	}

	@Test
	void manyTimestepsRunWithoutOverflow() throws Exception {
		final ImagePlus image = gravel(48);
		final ImagePlus prior = (ImagePlus) CommandsTestAccess.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus degraded = (ImagePlus) CommandsTestAccess.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 1.0, "noise_sigma", 5.0)
			.getOutput("degraded");
		// (T−1)(i−1) = 99 999² overflowed an int in Schedule.strided.
		final CommandModule m = CommandsTestAccess.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "pigdm", "steps", 100000, "timesteps", 100000,
			"samples", 1);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
	}

	/**
	 * The estimate against what a run really holds: the outputs it returns (measured as the heap they
	 * keep alive) are a lower bound of its peak; the estimate must cover them and not exceed them by
	 * more than the per-plane working set (a few double planes and spectra, 6 + 5 + 4 ≈ 15 double planes).
	 * The min-heap measurements (report of this change) put the peak within 1.5× of the estimate.
	 */
	@Test
	void estimateCoversWhatTheRunKeeps() {
		final ImagePlus image = gravel(512);
		final ImagePlus prior = PriorTask.run(image, "adsn", 0, 0, Progress.NONE).images().get(0);
		final ImagePlus degraded = DegradationTask.run(image, OperatorSpec.gaussian(2), 5, 7, Progress.NONE).images().get(0);
		final SamplingTask.Request req = SamplingTask.Request.exact(SamplingTask.EXACT, 32, 1, null, 0);
		final long estimate = MemoryBudget.sampling(degraded, req).bytes();
		final long before = settledUse();
		TaskResult kept = SamplingTask.run(prior, degraded, null, req, Progress.NONE);
		final long retained = settledUse() - before;
		assertEquals(32, kept.images().get(0).getStackSize());
		kept = null;
		final long plane = 512L * 512;
		assertTrue(retained > 36 * 4 * plane, "36 float planes are kept: " + retained);
		assertTrue(estimate >= retained, "estimate " + estimate + " below the retained " + retained);
		assertTrue(estimate <= retained + 20 * 8 * plane + MemoryBudget.FIXED, "estimate " + estimate + " far above the retained " + retained);
	}

	private static long settledUse() {
		final Runtime rt = Runtime.getRuntime();
		long used = Long.MAX_VALUE;
		// A few collections: the lowest reading is the live set.
		for (int i = 0; i < 4; i++) {
			System.gc();
			used = Math.min(used, rt.totalMemory() - rt.freeMemory());
		}
		return used;
	}

	/**
	 * In a JVM with -Xmx1g, as a user's Fiji: 16 exact samples at 1024² run; 200 are refused with the
	 * figure, and neither ends in an OutOfMemoryError.
	 */
	@Test
	void oneGigabyteJvm(@TempDir final Path dir) throws Exception {
		final Child ok = child(dir, "16");
		assertTrue(ok.out.contains("OK 16"), ok.toString());
		final Child no = child(dir, "200");
		assertTrue(no.out.contains("REFUSED Posterior Sampling needs about ") && no.out.contains("(200 samples of 1024×1024)") && no.out.contains("-Xmx"), no.toString());
		for (final Child c : List.of(ok, no)) {
			assertEquals(0, c.exit, c.toString());
			assertFalse(c.err.contains("OutOfMemoryError"), c.toString());
		}
	}

	private record Child(int exit, String out, String err) {}

	private static Child child(final Path dir, final String samples) throws IOException, InterruptedException {
		final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		final File out = dir.resolve("out" + samples).toFile(), err = dir.resolve("err" + samples).toFile();
		final Process p = new ProcessBuilder(java, "-Xmx1g", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), MemoryBudgetTest.class.getName(), samples)
			.redirectOutput(out).redirectError(err).start();
		if (!p.waitFor(10, TimeUnit.MINUTES)) {
			p.destroyForcibly();
			throw new AssertionError("the child JVM did not finish");
		}
		return new Child(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8), Files.readString(err.toPath(), StandardCharsets.UTF_8));
	}

	/** The child of {@link #oneGigabyteJvm}: prior, degradation and exact sampling at 1024². */
	public static void main(final String[] args) {
		final int samples = Integer.parseInt(args[0]);
		final ImagePlus image = gravel(1024);
		final ImagePlus prior = PriorTask.run(image, "adsn", 0, 0, Progress.NONE).images().get(0);
		final ImagePlus degraded = DegradationTask.run(image, OperatorSpec.gaussian(2), 5, 7, Progress.NONE).images().get(0);
		try {
			final TaskResult r = SamplingTask.run(prior, degraded, null, SamplingTask.Request.exact(SamplingTask.EXACT, samples, 1, null, 0), Progress.NONE);
			System.out.println("OK " + r.images().get(0).getStackSize());
		}
		catch (final IllegalArgumentException e) {
			System.out.println("REFUSED " + e.getMessage());
		}
	}
}
