package org.spectralposterior.commands;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import ij.IJ;
import ij.measure.ResultsTable;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.spectralposterior.core.Progress;
import org.spectralposterior.imagej.TaskResult;

/**
 * Shared behaviour of the SciJava commands, which stay thin: convert parameters, call a task of
 * {@code org.spectralposterior.imagej}, publish its outputs. Bad input ends the command with
 * {@link #cancel(String)} and a message naming the fix (a dialog in the GUI, the log and the status
 * line otherwise), never a stack trace, and no output is published or saved.
 */
public abstract class SpectralCommand extends ContextCommand {

	public static final String MENU = "Plugins>Spectral Posterior>";

	@Parameter(required = false)
	private LogService log;

	@Parameter(required = false)
	private StatusService status;

	@Parameter(required = false)
	private org.scijava.thread.ThreadService threads;

	private TaskResult result;
	private List<File> written = List.of();

	/** Does the work; may throw IllegalArgumentException (bad input) or CancellationException. */
	protected abstract TaskResult compute(Progress progress);

	/** Copies the task's images into the command's output fields. */
	protected abstract void publish(TaskResult r);

	/** The optional output folder parameter of the concrete command. */
	protected abstract File outputFolder();

	@Override
	public final void run() {
		IJ.resetEscape();
		try {
			final TaskResult r = compute(progress());
			if (outputFolder() != null && !outputFolder().getPath().isEmpty()) written = r.save(outputFolder());
			result = r;
			publish(r);
			showTables(r);
			// The caller's thread (a macro's, in Fiji and through the bridge: SciJava runs the command on
			// a pool thread whose parent is the caller) is the one whose current image ImageJ consults.
			final Thread caller = threads == null ? null : threads.getParent(Thread.currentThread());
			MacroVisibility.register(r, caller != null ? caller : Thread.currentThread());
			if (status != null) status.showStatus(getClass().getSimpleName() + ": done");
		}
		catch (final IllegalArgumentException e) {
			fail(e.getMessage());
		}
		catch (final CancellationException e) {
			fail("Cancelled: no output was made.");
		}
		catch (final IOException e) {
			fail("Could not save the outputs: " + e.getMessage());
		}
		finally {
			if (status != null) status.clearStatus();
		}
	}

	/** The task's result (images, tables), or null if the command failed or was cancelled. */
	public TaskResult result() {
		return result;
	}

	/** Files written to the output folder, in order. */
	public List<File> written() {
		return written;
	}

	private void fail(final String message) {
		result = null;
		// SciJava reports a cancelled module's reason itself (ModuleRunner → StatusService.warn, which a
		// UI shows as a dialog, headless as a log line): a dialog of our own would be a second one.
		cancel(message);
		if (log != null) log.error(message);
	}

	private void showTables(final TaskResult r) {
		if (GraphicsEnvironment.isHeadless() || IJ.getInstance() == null) return;
		for (final Map.Entry<String, ResultsTable> e : r.tables().entrySet()) e.getValue().show(e.getKey());
	}

	private Progress progress() {
		return new Progress() {
			@Override
			public void update(final long done, final long total) {
				final int d = (int) Math.min(done, Integer.MAX_VALUE), t = (int) Math.min(total, Integer.MAX_VALUE);
				if (status != null) status.showProgress(d, t);
				// Plain ImageJ's progress bar (a no-op without an ImageJ window; Fiji shows one bar either way).
				if (IJ.getInstance() != null) IJ.showProgress(d, t);
			}

			@Override
			public boolean cancelled() {
				return IJ.escapePressed() || isCanceled() || Thread.currentThread().isInterrupted();
			}
		};
	}
}
