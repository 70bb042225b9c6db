package org.spectralposterior.ij1;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;

import org.junit.jupiter.api.Test;

/** The ImageJ 1.x entry class loads and instantiates on a class path with ImageJ but no SciJava. */
class LoadsWithoutSciJavaTest {

	@Test
	void entryClassLoadsWithoutSciJava() throws Exception {
		final String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		URL ij = null;
		for (final String e : cp.split(File.pathSeparator)) if (new File(e).getName().matches("ij-1\\..*\\.jar")) ij = new File(e).toURI().toURL();
		assertTrue(ij != null, "ImageJ jar on the test class path");
		try (URLClassLoader loader = new URLClassLoader(new URL[] { new File("target/classes").toURI().toURL(), ij }, ClassLoader.getPlatformClassLoader())) {
			assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.scijava.Context"), "no SciJava here");
			final Class<?> c = Class.forName("org.spectralposterior.ij1.SpectralPosteriorPlugin", true, loader);
			final Object plugin = c.getConstructor().newInstance();
			assertTrue(loader.loadClass("ij.plugin.PlugIn").isInstance(plugin));
		}
	}
}
