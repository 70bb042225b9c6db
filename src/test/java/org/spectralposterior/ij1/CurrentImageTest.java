package org.spectralposterior.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plain ImageJ's macro route fills a left-out image input with the current image exactly when Fiji
 * does: one auto-fill image input missing. Two missing (Posterior Sampling without prior and
 * measurement) take none — the message names what is missing.
 */
class CurrentImageTest {

	@AfterEach
	void reset() {
		WindowManager.setTempCurrentImage(null);
		Interpreter.batchMode = false;
	}

	@Test
	void aMacroThatOmitsTheImageUsesTheCurrentOne() {
		Interpreter.batchMode = true;
		final ImagePlus gravel = IJ.openImage(new java.io.File("sample-images/gravel.png").getAbsolutePath());
		gravel.setRoi(new ij.gui.Roi(0, 0, 64, 64));
		final ImagePlus image = gravel.crop();
		image.setTitle("g");
		WindowManager.setTempCurrentImage(image);
		assertNull(BridgeRoute.run("Build Gaussian Prior", "estimator=adsn"), "Build Gaussian Prior on the current image");
		final ImagePlus prior = WindowManager.getCurrentImage();
		assertEquals("g_prior", prior.getTitle(), "the prior is the main output, current afterwards");
		WindowManager.setTempCurrentImage(image);
		assertNull(BridgeRoute.run("Simulate Degradation", "noise_sigma=2"));
		final ImagePlus degraded = WindowManager.getCurrentImage();
		assertEquals("g_degraded", degraded.getTitle());
		// prior given, measurement left out: the current image (the degraded one) fills it.
		assertNull(BridgeRoute.run("Posterior Sampling", "prior=g_prior samples=1"));
		assertTrue(WindowManager.getCurrentImage().getTitle().startsWith("g_degraded_exact"), WindowManager.getCurrentImage().getTitle());
		// Both left out: none is guessed.
		final String msg = BridgeRoute.run("Posterior Sampling", "samples=1");
		assertTrue(msg != null && (msg.contains("No measurement image") || msg.contains("No prior")), msg);
	}

	@Test
	void aSecondRunGetsImageJsNextFreeTitle() {
		Interpreter.batchMode = true;
		final ImagePlus gravel = IJ.openImage(new java.io.File("sample-images/gravel.png").getAbsolutePath());
		gravel.setRoi(new ij.gui.Roi(0, 0, 48, 48));
		final ImagePlus image = gravel.crop();
		image.setTitle("u");
		Interpreter.addBatchModeImage(image);
		WindowManager.setTempCurrentImage(image);
		assertNull(BridgeRoute.run("Simulate Degradation", "image=u noise_sigma=2 seed=1"));
		final ImagePlus first = WindowManager.getImage("u_degraded");
		assertNull(BridgeRoute.run("Simulate Degradation", "image=u noise_sigma=2 seed=2"));
		final ImagePlus second = WindowManager.getCurrentImage();
		assertEquals("u_degraded-1", second.getTitle(), "ImageJ's unique-name convention");
		assertEquals("u_degraded", first.getTitle(), "the first run's window keeps its title");
		assertTrue(first != second);
		// A third run: WindowManager.getUniqueName gave "u_degraded-1" again here (batch mode, 1.54p).
		assertNull(BridgeRoute.run("Simulate Degradation", "image=u noise_sigma=2 seed=3"));
		assertEquals("u_degraded-2", WindowManager.getCurrentImage().getTitle(), "the next free title after -1");
	}
}
