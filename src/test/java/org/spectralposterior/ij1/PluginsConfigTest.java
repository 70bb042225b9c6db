package org.spectralposterior.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ij.Macro;
import org.scijava.module.ModuleItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.spectralposterior.commands.SpectralCommand;

/** plugins.config lists exactly the SciJava commands, by the same labels and menu, all running the bridge. */
class PluginsConfigTest {

	@Test
	void pluginsConfigMatchesTheSciJavaCommands() throws Exception {
		final TreeSet<String> commands = new TreeSet<>();
		try (Context context = new Context(CommandService.class)) {
			for (final CommandInfo c : context.service(CommandService.class).getCommands()) {
				if (!c.getClassName().startsWith(SpectralCommand.class.getPackageName() + ".")) continue;
				commands.add(c.getTitle());
				// Fiji (imagej-legacy IJ1Helper.addMenuItems) lets a SciJava command take over the ImageJ 1.x
				// item whose label it shares, reusing that item when it sits in the same menu: one menu item.
				final StringBuilder path = new StringBuilder();
				for (final org.scijava.MenuEntry e : c.getMenuPath()) path.append(path.length() == 0 ? "" : ">").append(e.getName());
				assertEquals("Plugins>Spectral Posterior>" + c.getTitle(), path.toString(), "menu path of " + c.getClassName());
			}
		}
		final TreeSet<String> config = new TreeSet<>();
		for (final String line : Files.readAllLines(Path.of("plugins.config"))) {
			if (line.isBlank() || line.startsWith("#")) continue;
			final String label = line.split("\"")[1];
			assertEquals("Plugins>Spectral Posterior, \"" + label + "\", org.spectralposterior.ij1.SpectralPosteriorPlugin(\"" + label + "\")", line.trim());
			config.add(label);
		}
		assertEquals(commands, config, "every command has one plugins.config entry with its label");
	}

	/**
	 * ImageJ's Macro.getValue (which imagej-legacy's MacroPreprocessor uses too) finds "key=" anywhere
	 * not preceded by a letter, so a key that ends another after an underscore (steps, train_steps)
	 * would read the other's value when it comes first. Every key must be read back exactly, in any order.
	 */
	@Test
	void everyMacroKeyIsReadBackExactlyWhateverTheOrder() {
		try (Context context = new Context(CommandService.class)) {
			for (final CommandInfo c : context.service(CommandService.class).getCommands()) {
				if (!c.getClassName().startsWith(SpectralCommand.class.getPackageName() + ".")) continue;
				for (final ModuleItem<?> a : c.inputs()) {
					for (final ModuleItem<?> b : c.inputs()) {
						if (a == b) continue;
						final String options = b.getName() + "=other " + a.getName() + "=mine";
						assertEquals("mine", Macro.getValue(options, a.getName(), null), c.getTitle() + ": '" + a.getName() + "' after '" + b.getName() + "'");
					}
				}
			}
		}
	}
}
