package org.spectralposterior.core;

import java.util.concurrent.CancellationException;

/**
 * Progress and cancellation for long computations, without any UI dependency: the ImageJ and
 * SciJava front-ends adapt it to the progress bar, the status line, Esc and thread interruption.
 */
public interface Progress {

	/** {@code done} of {@code total} units finished. */
	void update(long done, long total);

	/**
	 * What is being done, e.g. "step 20/50" from a sampler (front-ends show it in the status line,
	 * throttled); the default ignores it.
	 */
	default void detail(final String what) {}

	/** This progress with {@code prefix} before every detail ("sample 2/4 · step 20/50"). */
	default Progress within(final String prefix) {
		final Progress outer = this;
		return new Progress() {
			@Override
			public void update(final long done, final long total) {
				outer.update(done, total);
			}

			@Override
			public boolean cancelled() {
				return outer.cancelled();
			}

			@Override
			public void detail(final String what) {
				outer.detail(prefix + " · " + what);
			}
		};
	}

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
