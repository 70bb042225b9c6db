package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.FloatProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

/** Thread interruption (SciJava's cancel) stops a 2048² job promptly and leaves no output. */
class CancellationTest {

	@Test
	void interruptingA2048SquaredSamplingRunLeavesNothing(@TempDir final Path dir) throws Exception {
		final FloatProcessor fp = new FloatProcessor(2048, 2048);
		final java.util.SplittableRandom r = new java.util.SplittableRandom(1);
		for (int i = 0; i < 2048 * 2048; i++) fp.setf(i, (float) (100 + 20 * r.nextGaussian() + 30 * Math.sin(i * 0.01)));
		final ImagePlus image = new ImagePlus("big.tif", fp);
		image.setRoi(new Roi(0, 0, 128, 128));
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final ImagePlus degraded = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "noise_sigma", 5.0).getOutput("degraded");

		final PosteriorSampling cmd = new PosteriorSampling();
		new Context(org.scijava.app.StatusService.class).inject(cmd);
		cmd.prior = prior;
		cmd.measurement = degraded;
		cmd.samples = 60; // about 1 GB of samples, several seconds of work
		cmd.output_folder = dir.toFile();
		final Thread worker = new Thread(cmd);
		worker.start();
		Thread.sleep(1500);
		assertTrue(worker.isAlive(), "still sampling");
		final long t0 = System.nanoTime();
		worker.interrupt();
		// Generous bound for a loaded CI machine; one sample at 2048² takes well under a second.
		worker.join(5000);
		System.out.printf("cancellation of a 2048² sampling run took %.3f s%n", (System.nanoTime() - t0) / 1e9);
		assertFalse(worker.isAlive(), "stopped after " + (System.nanoTime() - t0) / 1e9 + " s");
		assertTrue(cmd.isCanceled());
		assertNull(cmd.result(), "no outputs");
		assertTrue(dir.toFile().list().length == 0, "nothing written");

		// Esc (ImageJ's escape flag) stops it the same way.
		final PosteriorSampling esc = new PosteriorSampling();
		new Context(org.scijava.app.StatusService.class).inject(esc);
		esc.prior = prior;
		esc.measurement = degraded;
		esc.samples = 60;
		final Thread w1 = new Thread(esc);
		w1.start();
		Thread.sleep(1500);
		final long te = System.nanoTime();
		ij.IJ.setKeyDown(java.awt.event.KeyEvent.VK_ESCAPE);
		w1.join(5000);
		ij.IJ.resetEscape();
		System.out.printf("Esc stopped a 2048² sampling run in %.3f s%n", (System.nanoTime() - te) / 1e9);
		assertFalse(w1.isAlive());
		assertTrue(esc.isCanceled() && esc.getCancelReason().startsWith("Cancelled"), "Esc: " + esc.getCancelReason());
		assertNull(esc.result());

		// A 1000-step closed form is long too: interruption stops it between steps.
		final PosteriorSampling diffusion = new PosteriorSampling();
		new Context(org.scijava.app.StatusService.class).inject(diffusion);
		diffusion.prior = prior;
		diffusion.measurement = degraded;
		diffusion.method = "pigdm";
		diffusion.steps = 1000;
		diffusion.samples = 1;
		final Thread w2 = new Thread(diffusion);
		w2.start();
		Thread.sleep(800);
		final long t1 = System.nanoTime();
		w2.interrupt();
		w2.join(5000);
		System.out.printf("cancellation of a 2048², 1000-step closed form took %.3f s%n", (System.nanoTime() - t1) / 1e9);
		assertFalse(w2.isAlive());
		assertTrue(diffusion.isCanceled() && diffusion.getCancelReason().startsWith("Cancelled"), "cancelled, not finished or failed: " + diffusion.getCancelReason());
		assertNull(diffusion.result());
	}
}
