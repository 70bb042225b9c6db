package org.spectralposterior.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import net.imagej.patcher.LegacyEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The macro interface as Fiji's headless mode runs ImageJ 1.x: ij1-patcher's headless
 * LegacyEnvironment reads the built plugins.config, and a recorded-style batch macro selects every
 * output by title and saves it.
 */
class LegacyHeadlessMacroTest {

	static File pluginJar(final Path jar) throws Exception {
		final Path classes = Path.of("target/classes");
		try (java.util.jar.JarOutputStream z = new java.util.jar.JarOutputStream(Files.newOutputStream(jar)); java.util.stream.Stream<Path> files = Files.walk(classes)) {
			for (final Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
				z.putNextEntry(new java.util.jar.JarEntry(classes.relativize(f).toString().replace('\\', '/')));
				Files.copy(f, z);
				z.closeEntry();
			}
		}
		return jar.toFile();
	}

	/** A headless ImageJ 1.x with the plugin jar and, as Fiji's jars/ has them, the bundle's libraries. */
	static LegacyEnvironment headlessImageJ(final Path dir) throws Exception {
		final LegacyEnvironment ij1 = new LegacyEnvironment(null, true);
		// ImageJ 1.x reads plugins.config from plugin jars (with an underscore in their name): package the
		// compiled classes as one, as `mvn package` would.
		ij1.addPluginClasspath(pluginJar(dir.resolve("Spectral_Posterior_test.jar")));
		final String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		for (final String entry : cp.split(File.pathSeparator)) {
			final String name = new File(entry).getName();
			if (name.matches("(scijava-common|parsington|imglib2|JTransforms|JLargeArrays|ejml-core|ejml-ddense|commons-math3)-.*\\.jar")) ij1.addPluginClasspath(new File(entry));
		}
		return ij1;
	}

	private static long files(final Path dir) throws Exception {
		try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
			return s.filter(Files::isRegularFile).count();
		}
	}

	/** The three shipped macros, truly headless (no display at all), with their "input|output" argument. */
	@Test
	void shippedMacrosRunHeadless(@TempDir final Path dir) throws Exception {
		final LegacyEnvironment ij1 = headlessImageJ(dir);
		final Path folder = Files.createDirectories(dir.resolve("in"));
		for (final String f : new String[] { "gravel.png", "brick.png" }) Files.copy(Path.of("sample-images", f), folder.resolve(f));
		final String[][] runs = { { "demo", "sample-images" }, { "batch-folder", folder.toString() }, { "compare-samplers", "sample-images" } };
		final long[] expected = { 12, 20, 20 };
		for (int i = 0; i < runs.length; i++) {
			final Path out = Files.createDirectories(dir.resolve("out-" + runs[i][0]));
			ij1.runMacro(Files.readString(Path.of("macros", runs[i][0] + ".ijm")), new File(runs[i][1]).getAbsolutePath() + "|" + out);
			assertEquals(expected[i], files(out), "files written by macros/" + runs[i][0] + ".ijm");
		}
		for (final String base : new String[] { "gravel", "brick" }) {
			assertTrue(Files.size(dir.resolve("out-batch-folder/" + base + "/" + base + "_degraded_exact_samples.tif")) > 0, base);
		}
	}

	@Test
	void recordedMacroReachesEveryOutputHeadless(@TempDir final Path out) throws Exception {
		final LegacyEnvironment ij1 = headlessImageJ(out);
		final String macro = String.join("\n",
			"setBatchMode(true);",
			"open(getArgument() + '/gravel.png');",
			"makeRectangle(100, 100, 64, 64);",
			"run('Duplicate...', 'title=g.png');",
			"run('Build Gaussian Prior', 'image=g.png estimator=adsn target_width=0 target_height=0');",
			"run('Simulate Degradation', 'image=g.png operator=motion blur_sigma=2 motion_length=5 motion_angle=20 noise_sigma=4 seed=2');",
			"run('Posterior Sampling', 'prior=g_prior measurement=g_degraded method=[exact posterior] samples=3 seed=5');",
			"main = getTitle();",
			"titles = newArray('g_prior', 'g_degraded', 'g_psf', 'g_degraded_exact_samples', 'g_degraded_exact_mean', 'g_degraded_exact_std', 'g_degraded_exact_w2map', 'g_degraded_exact_w2spectrum');",
			"for (i = 0; i < titles.length; i++) { selectImage(titles[i]); saveAs('Tiff', '" + out.toString().replace("\\", "/") + "/' + titles[i] + '.tif'); }",
			"File.saveString(main + ' ' + nImages, '" + out.toString().replace("\\", "/") + "/result.txt');");
		ij1.runMacro(macro, new File("sample-images").getAbsolutePath());
		final Map<String, String> menu = ij1.getMenuStructure();
		for (final String label : new String[] { "Build Gaussian Prior", "Simulate Degradation", "Posterior Sampling", "Compare Samplers" }) {
			// The headless menu structure flattens sub-menus; the command must map to the bridge with its label.
			assertTrue(menu.entrySet().stream().anyMatch(e -> e.getKey().startsWith("Plugins>") && e.getKey().endsWith(">" + label)
				&& e.getValue().equals("org.spectralposterior.ij1.SpectralPosteriorPlugin(\"" + label + "\")")), "plugins.config registers " + label);
		}
		final String result = Files.readString(out.resolve("result.txt")).trim();
		assertTrue(result.startsWith("g_degraded_exact_samples "), "the main output is the current image: " + result);
		assertEquals(2 + 8, Integer.parseInt(result.split(" ")[1]), "nImages counts the two inputs and the eight outputs, each once");
		for (final String t : new String[] { "g_prior", "g_degraded", "g_psf", "g_degraded_exact_samples", "g_degraded_exact_mean", "g_degraded_exact_std", "g_degraded_exact_w2map",
			"g_degraded_exact_w2spectrum" }) {
			assertTrue(Files.size(out.resolve(t + ".tif")) > 0, t);
		}
	}
}
