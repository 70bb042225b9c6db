package org.spectralposterior.imagej;

import java.util.LinkedHashMap;
import java.util.Map;

import ij.ImagePlus;

/**
 * Key=value lines in an image's "Info" property. ImageJ writes that property into the TIFF it
 * saves and restores it on opening, so a model stored there survives File > Save As > Tiff.
 */
public final class Metadata {

	public static final String KIND = "spectral_posterior";

	private Metadata() {}

	public static Map<String, String> read(final ImagePlus imp) {
		final Map<String, String> m = new LinkedHashMap<>();
		final Object info = imp.getProperty("Info");
		if (info == null) return m;
		for (final String line : info.toString().split("\\R")) {
			final int eq = line.indexOf('=');
			if (eq > 0) m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
		}
		return m;
	}

	public static void write(final ImagePlus imp, final Map<String, String> m) {
		final StringBuilder sb = new StringBuilder();
		for (final Map.Entry<String, String> e : m.entrySet()) sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
		imp.setProperty("Info", sb.toString());
	}

	public static String kind(final ImagePlus imp) {
		return read(imp).get(KIND);
	}
}
