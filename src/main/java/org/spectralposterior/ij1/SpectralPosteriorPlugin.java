package org.spectralposterior.ij1;

import ij.IJ;
import ij.Macro;
import ij.plugin.PlugIn;

/**
 * The ImageJ 1.x entry point of every command (see plugins.config). Plain ImageJ ignores SciJava
 * annotations, so this bridge runs the same SciJava command with the same parameters: from the
 * macro options when called by a macro, else from a dialog generated from the command's
 * parameters (which the recorder records in the same key=value syntax). In Fiji the SciJava command
 * of the same label replaces this entry.
 * <p>
 * This class refers to no SciJava type, so it loads even where scijava-common is missing; the
 * SciJava side lives in {@link SciJavaBridge}, loaded only when needed.
 */
public class SpectralPosteriorPlugin implements PlugIn {

	@Override
	public void run(final String label) {
		try {
			Class.forName("org.scijava.Context", false, getClass().getClassLoader());
		}
		catch (final ClassNotFoundException e) {
			IJ.error("Spectral Posterior", "Spectral Posterior needs scijava-common and its other libraries next to its jar\n"
				+ "(copy the jars of the release bundle into ImageJ's plugins/jars folder).");
			return;
		}
		final String options = Macro.getOptions();
		final String error = SciJavaBridge.run(label, options);
		if (error != null) {
			if (options != null) {
				// Called from a macro: report in the log (stdout under -batch) and abort the macro, so it
				// neither continues without outputs nor waits on a dialog nobody will close.
				IJ.log("Spectral Posterior: " + error);
				if (!ij.macro.Interpreter.isBatchMode() && IJ.getInstance() != null) IJ.error("Spectral Posterior", error);
				// Stop the interpreter itself (Macro.abort alone does not stop a -batch macro).
				ij.macro.Interpreter.abort();
				Macro.abort();
			}
			// Esc: the status line says so (ImageJ's own commands do not open a dialog on Esc).
			else if (error.equals(org.spectralposterior.commands.SpectralCommand.CANCELLED)) IJ.showStatus("Spectral Posterior: " + label + " cancelled, no output was made");
			else IJ.error("Spectral Posterior", error);
		}
	}
}
