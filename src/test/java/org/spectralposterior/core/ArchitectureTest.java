package org.spectralposterior.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The mathematics stays free of ImageJ and SciJava, so it can be read, tested and reused alone. */
class ArchitectureTest {

	@Test
	void corePackagesImportNeitherImageJNorSciJava() throws IOException {
		final Path core = Path.of("src/main/java/org/spectralposterior/core");
		final List<Path> files;
		try (Stream<Path> s = Files.walk(core)) {
			files = s.filter(p -> p.toString().endsWith(".java")).toList();
		}
		assertTrue(files.size() > 10, "core sources found");
		for (final Path f : files) {
			for (final String line : Files.readAllLines(f)) {
				final String l = line.trim();
				assertTrue(!(l.startsWith("import ij.") || l.startsWith("import org.scijava.") || l.startsWith("import net.imagej.")), f + ": " + l);
			}
		}
	}
}
