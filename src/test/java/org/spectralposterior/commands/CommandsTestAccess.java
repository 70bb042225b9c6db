package org.spectralposterior.commands;

import org.scijava.command.CommandModule;

/** {@link CommandsTest#run} for tests of other packages (the imagej package's memory budget). */
public final class CommandsTestAccess {

	private CommandsTestAccess() {}

	public static CommandModule run(final Class<? extends SpectralCommand> type, final Object... kv) throws Exception {
		return CommandsTest.run(type, kv);
	}
}
