import java.awt.Button;
import java.awt.Component;
import java.awt.Container;
import java.awt.Window;
import java.awt.event.ActionEvent;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;

/**
 * The macro recorder under a real (xvfb) display: each command is run interactively, its generated
 * dialog is confirmed with its defaults, and the recorded lines are printed for the replay test.
 * With a second argument (a folder), the interactive run's main output of Posterior Sampling
 * (gravel_degraded_exact_samples) is saved there as interactive.raw, ImageJ's "Raw Data" format: the
 * pixels only (every slice as 32-bit floats in Prefs.intelByteOrder's order, the same in both runs, which
 * share one home; no header, title or metadata; read in ij.io.FileSaver.saveAsRaw / saveAsRawStack and
 * ij.io.ImageWriter of the public ImageJ 1.x source, imagej/ImageJ; ij.IJ.saveAs maps any format
 * containing "raw" to File › Save As › Raw Data, so Java's IJ.saveAs(imp, "raw", …) and the macro's
 * saveAs("Raw Data", …) write through the same writer), so run.sh can compare it byte
 * for byte with the replay's saveAs("Raw Data", …) of the same image: the recorded line must
 * reproduce what the interactive run made, not only itself.
 * Usage: java -Dplugins.dir=HOME -cp ij.jar RecorderCheck.java SAMPLE_IMAGES [RAW_FOLDER]
 */
public class RecorderCheck {
	public static void main(final String[] args) throws Exception {
		new ImageJ(ImageJ.NO_SHOW);
		final Recorder recorder = new Recorder();
		// Each dialog is confirmed once, on the event thread as a real click is: GenericDialog.dispose()
		// first releases the modal dialog and only then resets its read-out counters (finalizeRecording),
		// so a click from this thread raced the plugin's getNextNumber() calls and made ImageJ record
		// the first numeric field twice (target_width=0 target_width=0) once the read-out got slower.
		final java.util.Set<Window> clicked = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
		final Thread clicker = new Thread(() -> {
			while (true) {
				for (final Window w : Window.getWindows()) {
					if (w instanceof java.awt.Dialog d && w.isShowing() && !(w instanceof GenericDialog)) {
						System.err.println("other dialog: " + d.getTitle() + " " + text(d));
						d.dispose();
					}
					if (w instanceof GenericDialog && w.isShowing() && !clicked.contains(w)) {
						final Button ok = find((Container) w);
						if (ok != null) {
							clicked.add(w);
							java.awt.EventQueue.invokeLater(() -> ((GenericDialog) w).actionPerformed(new ActionEvent(ok, ActionEvent.ACTION_PERFORMED, ok.getLabel())));
						}
					}
				}
				try {
					Thread.sleep(200);
				}
				catch (final InterruptedException e) {
					return;
				}
			}
		});
		clicker.setDaemon(true);
		clicker.start();
		final ImagePlus g = IJ.openImage(args[0] + "/gravel.png");
		g.setTitle("gravel.png");
		g.show();
		// As from the menu: an Executer thread, which the recorder follows (IJ.run from code is not recorded).
		menu("Build Gaussian Prior", "gravel_prior");
		IJ.selectWindow("gravel.png");
		menu("Simulate Degradation", "gravel_degraded");
		menu("Posterior Sampling", "gravel_degraded_exact_samples");
		if (args.length > 1) {
			// IJ.saveAs(imp, "raw", path) -> FileSaver.saveAsRaw(Stack); it returns nothing, so the file's
			// existence is the check (run.sh fails when it is missing). Saving renames the image
			// (FileSaver.updateImp): the title the later commands look for is put back.
			final ImagePlus samples = ij.WindowManager.getImage("gravel_degraded_exact_samples");
			IJ.saveAs(samples, "raw", args[1] + "/interactive.raw");
			samples.setTitle("gravel_degraded_exact_samples");
			System.out.println("INTERACTIVE " + samples.getStackSize() + " slices " + samples.getWidth() + "x" + samples.getHeight() + " bit depth " + samples.getBitDepth());
		}
		menu("Synthesize Texture", "gravel_prior_samples");
		menu("Compare Samplers", "gravel_compare_plot");
		menu("Tune Sampler Weights", "gravel_pigdm_tuned_weights_plot");
		menu("Transfer Functions", "gravel_transfer");
		menu("Reverse-Dynamics Sensitivity", "gravel_impulse_score");
		Thread.sleep(500);
		for (final String line : recorder.getText().split("\\n")) if (line.startsWith("run(\"")) System.out.println("RECORDED " + line);
		System.exit(0);
	}

	static void menu(final String command, final String output) throws InterruptedException {
		new ij.Executer(command, ij.WindowManager.getCurrentImage());
		for (int i = 0; i < 600 && ij.WindowManager.getImage(output) == null; i++) Thread.sleep(100);
		if (ij.WindowManager.getImage(output) == null) throw new IllegalStateException(command + " made no " + output);
		// The Executer thread (named after the command) records the line when the plugin returns: wait for it.
		for (int i = 0; i < 600 && Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(command)); i++) Thread.sleep(100);
	}

	static String text(final Container c) {
		final StringBuilder sb = new StringBuilder();
		for (final Component k : c.getComponents()) {
			if (k instanceof java.awt.Label l) sb.append(l.getText()).append(' ');
			if (k instanceof java.awt.TextArea t) sb.append(t.getText()).append(' ');
			if (k instanceof Container cc) sb.append(text(cc));
		}
		return sb.toString();
	}

	static Button find(final Container c) {
		for (final Component k : c.getComponents()) {
			if (k instanceof Button b && b.getLabel().trim().equals("OK")) return b;
			if (k instanceof Container cc) {
				final Button b = find(cc);
				if (b != null) return b;
			}
		}
		return null;
	}
}
