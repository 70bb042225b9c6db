package org.spectralposterior.cli;

import java.awt.Rectangle;
import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.ModuleItem;
import org.spectralposterior.commands.SpectralCommand;

/**
 * Headless command line: {@code java -jar Spectral_Posterior-VERSION-cli.jar "<command label>" key=value …}.
 * It runs the same SciJava commands as Fiji with the same parameter names; image parameters take
 * file paths, {@code roi=x,y,w,h[;x,y,w,h…]} sets the prior's ROI (further rectangles become
 * exemplars for the periodogram), and {@code output_folder=DIR} writes every output, printing each
 * path on its own line. Exit code 0 on success, 2 on bad input (message on stderr).
 */
public final class Main {

	private Main() {}

	public static void main(final String[] args) {
		System.setProperty("java.awt.headless", "true");
		int code;
		try {
			code = run(args, System.out, System.err);
		}
		finally {
			shutdownFftThreads();
		}
		System.exit(code);
	}

	/** Runs one command; returns the process exit code. Never calls System.exit (testable). */
	public static int run(final String[] args, final PrintStream out, final PrintStream err) {
		System.setProperty("java.awt.headless", "true");
		try (Context context = new Context()) {
			final List<CommandInfo> commands = commands(context);
			if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
				printHelp(commands, out);
				return args.length == 0 ? 2 : 0;
			}
			final CommandInfo info = commands.stream().filter(c -> c.getTitle().equalsIgnoreCase(args[0].trim())).findFirst().orElse(null);
			if (info == null) {
				err.println("Unknown command '" + args[0] + "'. Commands: " + String.join(", ", commands.stream().map(CommandInfo::getTitle).toList()) + ". See --help.");
				return 2;
			}
			final Map<String, Object> inputs;
			try {
				inputs = inputs(context, info, Arrays.copyOfRange(args, 1, args.length));
			}
			catch (final IllegalArgumentException e) {
				err.println(e.getMessage());
				return 2;
			}
			final CommandModule module = (CommandModule) context.service(CommandService.class).run(info, false, inputs).get();
			if (module.isCanceled()) {
				err.println(module.getCancelReason());
				return 2;
			}
			final SpectralCommand command = (SpectralCommand) module.getCommand();
			if (command.written().isEmpty()) err.println("No output_folder given: nothing was saved.");
			for (final File f : command.written()) out.println(f.getPath());
			return 0;
		}
		catch (final Exception e) {
			err.println("Failed: " + e);
			return 1;
		}
	}

	static List<CommandInfo> commands(final Context context) {
		final List<CommandInfo> list = new ArrayList<>();
		for (final CommandInfo c : context.service(CommandService.class).getCommands()) {
			if (c.getClassName().startsWith(SpectralCommand.class.getPackageName() + ".")) list.add(c);
		}
		list.sort((a, b) -> a.getTitle().compareTo(b.getTitle()));
		return list;
	}

	private static Map<String, Object> inputs(final Context context, final CommandInfo info, final String[] pairs) {
		final Map<String, ModuleItem<?>> items = new LinkedHashMap<>();
		for (final ModuleItem<?> item : info.inputs()) if (!isService(item)) items.put(item.getName(), item);
		final ConvertService convert = context.service(ConvertService.class);
		final Map<String, Object> inputs = new LinkedHashMap<>();
		String roi = null;
		for (final String pair : pairs) {
			final int eq = pair.indexOf('=');
			if (eq <= 0) throw new IllegalArgumentException("Expected key=value, got '" + pair + "'.");
			final String key = pair.substring(0, eq).trim(), value = pair.substring(eq + 1).trim();
			if (key.equals("roi")) {
				roi = value;
				continue;
			}
			final ModuleItem<?> item = items.get(key);
			if (item == null) throw new IllegalArgumentException("Unknown parameter '" + key + "' for " + info.getTitle() + ". Parameters: " + String.join(", ", items.keySet()) + (info.getTitle().equals("Build Gaussian Prior") ? ", roi" : "") + ".");
			inputs.put(key, convertValue(convert, item, key, value));
		}
		if (roi != null) {
			final Object image = inputs.get("image");
			if (!(image instanceof ImagePlus imp)) throw new IllegalArgumentException("roi=… needs image=<file> as well.");
			applyRois(imp, roi);
		}
		return inputs;
	}

	private static Object convertValue(final ConvertService convert, final ModuleItem<?> item, final String key, final String value) {
		final Class<?> type = item.getType();
		if (ImagePlus.class.isAssignableFrom(type)) {
			final File f = new File(value);
			if (!f.isFile()) throw new IllegalArgumentException(key + ": no such image file '" + value + "'.");
			final ImagePlus imp = IJ.openImage(f.getPath());
			if (imp == null) throw new IllegalArgumentException(key + ": cannot read '" + value + "' as an image (use TIFF, PNG, JPEG, …).");
			return imp;
		}
		if (File.class.isAssignableFrom(type)) return new File(value);
		if (item.getChoices() != null && !item.getChoices().isEmpty()) {
			for (final Object c : item.getChoices()) if (c.toString().equalsIgnoreCase(value)) return c.toString();
			throw new IllegalArgumentException(key + "=" + value + " is not one of: " + item.getChoices() + ".");
		}
		final Object converted = convert.convert(value, type);
		if (converted == null) throw new IllegalArgumentException(key + "=" + value + " is not a valid " + type.getSimpleName().toLowerCase(Locale.ROOT) + ".");
		return converted;
	}

	/** {@code x,y,w,h[;x,y,w,h…]}: the first becomes the ROI, the others the overlay. */
	static void applyRois(final ImagePlus imp, final String spec) {
		final String[] parts = spec.split(";");
		final Overlay overlay = new Overlay();
		for (int i = 0; i < parts.length; i++) {
			final String[] n = parts[i].split(",");
			if (n.length != 4) throw new IllegalArgumentException("roi must be x,y,width,height (several separated by ';'), got '" + parts[i] + "'.");
			final int[] v = new int[4];
			try {
				for (int j = 0; j < 4; j++) v[j] = Integer.parseInt(n[j].trim());
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("roi must be whole numbers x,y,width,height, got '" + parts[i] + "'.");
			}
			final Rectangle r = new Rectangle(v[0], v[1], v[2], v[3]);
			if (r.x < 0 || r.y < 0 || r.width < 1 || r.height < 1 || r.x + r.width > imp.getWidth() || r.y + r.height > imp.getHeight()) {
				throw new IllegalArgumentException("The ROI " + parts[i] + " lies (partly) outside the " + imp.getWidth() + "×" + imp.getHeight() + " image; give x,y,width,height inside it.");
			}
			if (i == 0) imp.setRoi(new Roi(r));
			else overlay.add(new Roi(r));
		}
		if (overlay.size() > 0) imp.setOverlay(overlay);
	}

	private static boolean isService(final ModuleItem<?> item) {
		return org.scijava.service.Service.class.isAssignableFrom(item.getType()) || Context.class.isAssignableFrom(item.getType());
	}

	private static void printHelp(final List<CommandInfo> commands, final PrintStream out) {
		out.println("Spectral Posterior — headless command line");
		out.println("usage: java -jar Spectral_Posterior-<version>-cli.jar \"<command>\" key=value ...");
		out.println("Image parameters take file paths; output_folder=DIR writes <title>.tif / .csv / .png and prints each path.");
		for (final CommandInfo c : commands) {
			out.println();
			out.println("\"" + c.getTitle() + "\"" + (c.getDescription() == null ? "" : " — " + c.getDescription()));
			for (final ModuleItem<?> item : c.inputs()) {
				if (isService(item)) continue;
				final StringBuilder sb = new StringBuilder("  ").append(item.getName()).append(" (").append(item.getType().getSimpleName());
				if (item.getChoices() != null && !item.getChoices().isEmpty()) sb.append(": ").append(String.join(" | ", item.getChoices().stream().map(Object::toString).toList()));
				sb.append(item.isRequired() && !(item.getType().isPrimitive() || item.getType() == String.class) ? ", required" : "").append(")");
				if (item.getLabel() != null) sb.append("  ").append(item.getLabel());
				out.println(sb);
			}
			if (c.getTitle().equals("Build Gaussian Prior")) out.println("  roi (x,y,w,h[;x,y,w,h...])  rectangle(s) to learn from; default: the whole image");
		}
	}

	/** JTransforms' pool threads are not daemons: without this a finished CLI would hang. */
	private static void shutdownFftThreads() {
		try {
			pl.edu.icm.jlargearrays.ConcurrencyUtils.shutdownThreadPoolAndAwaitTermination();
		}
		catch (final Throwable t) {
			// Nothing was started, or the library changed: exiting will stop any thread anyway.
		}
	}
}
