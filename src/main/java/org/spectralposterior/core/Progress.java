package org.spectralposterior.core;

import java.util.concurrent.CancellationException;

/**
 * Progress and cancellation for long computations, without any UI dependency: the ImageJ and
 * SciJava front-ends adapt it to the progress bar, the status line, Esc and thread interruption.
 */
public interface Progress {

	/** {@code done} of {@code total} units finished. */
	void update(long done, long total);

	/** True when the user asked to stop (Esc, interrupt, cancel button). */
	boolean cancelled();

	/** Throws {@link CancellationException} if {@link #cancelled()} or the thread was interrupted. */
	default void checkCancelled() {
		if (cancelled() || Thread.currentThread().isInterrupted()) throw new CancellationException("Cancelled by the user");
	}

	Progress NONE = new Progress() {
		@Override
		public void update(final long done, final long total) {}

		@Override
		public boolean cancelled() {
			return false;
		}
	};
}
