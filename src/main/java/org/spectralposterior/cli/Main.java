package org.spectralposterior.cli;

import java.awt.Rectangle;
import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import org.scijava.Context;
import org.scijava.app.event.StatusEvent;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.event.SciJavaEvent;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.module.ModuleItem;
import org.spectralposterior.commands.Options;
import org.spectralposterior.commands.SpectralCommand;
import org.spectralposterior.imagej.ImageFiles;

/**
 * Headless command line: {@code java -jar Spectral_Posterior-VERSION-cli.jar [--quiet] "<command label>" key=value …}.
 * It runs the same SciJava commands as Fiji with the same parameter names, read by the same strict
 * {@link Options} parser as the macro routes; image parameters take file paths, {@code roi=x,y,w,h[;x,y,w,h…]}
 * sets the ROI of the {@code image} (further rectangles become exemplars for the periodogram), and
 * {@code output_folder=DIR} writes every output.
 * <p>
 * Streams: stdout lists only the written output paths, one per line; every message goes once to
 * stderr, with progress lines (at most about one a second; none with {@code --quiet}). ImageJ prints
 * some diagnostics to {@code System.out} (its log, headless): during the run they go to stderr too.
 * Exit codes: {@value #OK} success, {@value #BAD_INPUT} bad input (nothing written), {@value #FAILED}
 * internal failure.
 */
public final class Main {

	public static final int OK = 0, FAILED = 1, BAD_INPUT = 2;

	/** Least time between two progress lines (tests lower it). */
	static long progressIntervalMillis = 1000;

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
	public static int run(final String[] argv, final PrintStream out, final PrintStream err) {
		System.setProperty("java.awt.headless", "true");
		final List<String> list = new ArrayList<>(Arrays.asList(argv));
		final boolean quiet = list.remove("--quiet") | list.remove("-q");
		final String[] args = list.toArray(String[]::new);
		final PrintStream systemOut = System.out;
		// ImageJ writes its log and some reader warnings to System.out when headless (IJ.log without an
		// ImageJ window prints there): keep stdout for the list of written files. (--quiet silences only
		// the progress lines: a diagnostic may explain a failure.)
		System.setOut(err);
		try (Context context = new Context()) {
			// SpectralCommand reports a refusal through its LogService as well as through the cancel
			// reason printed below: silenced here so that each message appears once.
			context.service(LogService.class).setLevel(LogLevel.NONE);
			final List<CommandInfo> commands = commands(context);
			if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
				printHelp(commands, out);
				return args.length == 0 ? BAD_INPUT : OK;
			}
			final CommandInfo info = commands.stream().filter(c -> c.getTitle().equalsIgnoreCase(args[0].trim())).findFirst().orElse(null);
			if (info == null) {
				err.println("Unknown command '" + args[0] + "'. Commands: " + String.join(", ", commands.stream().map(CommandInfo::getTitle).toList()) + ". See --help.");
				return BAD_INPUT;
			}
			final Map<String, Object> inputs;
			try {
				inputs = inputs(info, Arrays.copyOfRange(args, 1, args.length));
			}
			catch (final IllegalArgumentException e) {
				err.println(e.getMessage());
				return BAD_INPUT;
			}
			final ProgressLines progress = new ProgressLines(info.getTitle(), err);
			final EventService events = quiet ? null : context.service(EventService.class);
			if (events != null) events.subscribe(progress);
			final CommandModule module = (CommandModule) context.service(CommandService.class).run(info, false, inputs).get();
			progress.stop(events);
			if (module.isCanceled()) {
				err.println(module.getCancelReason());
				return BAD_INPUT;
			}
			final SpectralCommand command = (SpectralCommand) module.getCommand();
			if (command.result() == null) {
				err.println("Failed: " + info.getTitle() + " ended without a result or a message (an internal error; please report it).");
				return FAILED;
			}
			if (command.written().isEmpty()) err.println("No output_folder given: nothing was saved.");
			for (final File f : command.written()) out.println(f.getPath());
			return OK;
		}
		catch (final Exception e) {
			// SciJava's ModuleRunner logs (here: silenced) and rethrows what the command threw; the Future
			// wraps it in an ExecutionException: name the cause itself.
			final Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
			err.println("Failed (an internal error; please report it): " + cause);
			return FAILED;
		}
		finally {
			System.setOut(systemOut);
		}
	}

	/**
	 * Progress of the running command on stderr, from SciJava's status events (SpectralCommand reports
	 * steps and samples through StatusService.showProgress, which publishes a StatusEvent): at most one
	 * line per {@link #progressIntervalMillis}, none for a run shorter than that.
	 */
	static final class ProgressLines {
		/** Queued behind the run's last status event (DefaultStatusService publishes them with publishLater). */
		static final class Flush extends SciJavaEvent {}

		private final String title;
		private final PrintStream err;
		private final CountDownLatch flushed = new CountDownLatch(1);
		private long last = System.currentTimeMillis();
		private volatile boolean stopped;

		ProgressLines(final String title, final PrintStream err) {
			this.title = title;
			this.err = err;
		}

		@EventHandler
		public void onStatus(final StatusEvent e) {
			if (stopped || e.isWarning() || e.getProgressMaximum() <= 0) return;
			final long now = System.currentTimeMillis();
			if (now - last < progressIntervalMillis) return;
			last = now;
			final int done = e.getProgressValue(), total = e.getProgressMaximum();
			err.println(title + ": " + done + "/" + total + " (" + Math.round(100.0 * done / total) + "%)");
		}

		@EventHandler
		public void onFlush(final Flush e) {
			flushed.countDown();
		}

		/** Lets the queued events of the run through (briefly), then prints nothing more: the run's own lines come last. */
		void stop(final EventService events) throws InterruptedException {
			if (events != null) {
				events.publishLater(new Flush());
				flushed.await(2, TimeUnit.SECONDS);
			}
			stopped = true;
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

	/** The arguments through {@link Options}, image paths through {@link ImageFiles#open}; {@code roi} where the command has an {@code image}. */
	private static Map<String, Object> inputs(final CommandInfo info, final String[] pairs) {
		final Set<String> extra = Options.parameters(info).containsKey("image") ? Set.of("roi") : Set.of();
		final Map<String, Object> inputs = Options.convert(info, Options.fromArguments(pairs), ImageFiles::open, extra);
		// There is no current image to fall back on here: say so in command-line terms, before the command
		// would ask to open one with File > Open.
		for (final ModuleItem<?> item : Options.parameters(info).values()) {
			if (item.isRequired() && ImagePlus.class.isAssignableFrom(item.getType()) && !inputs.containsKey(item.getName())) {
				throw new IllegalArgumentException(item.getName() + " is required: give " + item.getName() + "=<path of an image file>.");
			}
		}
		final Object roi = inputs.remove("roi");
		if (roi != null) {
			if (!(inputs.get("image") instanceof ImagePlus imp)) throw new IllegalArgumentException("roi=" + roi + " needs image=<file> as well.");
			applyRois(imp, (String) roi);
		}
		return inputs;
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

	private static void printHelp(final List<CommandInfo> commands, final PrintStream out) {
		out.println("Spectral Posterior — headless command line");
		out.println("usage: java -jar Spectral_Posterior-<version>-cli.jar [--quiet] \"<command>\" key=value ...");
		out.println("Image parameters take file paths; output_folder=DIR writes <title>.tif / .csv / .png and prints each path (stdout has nothing else).");
		out.println("Messages and progress go to stderr (--quiet: no progress). Exit code 0: done; 2: bad input, nothing written; 1: internal failure.");
		for (final CommandInfo c : commands) {
			out.println();
			out.println("\"" + c.getTitle() + "\"" + (c.getDescription() == null ? "" : " — " + c.getDescription()));
			for (final ModuleItem<?> item : Options.parameters(c).values()) {
				final StringBuilder sb = new StringBuilder("  ").append(item.getName()).append(" (").append(item.getType().getSimpleName());
				if (item.getChoices() != null && !item.getChoices().isEmpty()) sb.append(": ").append(String.join(" | ", item.getChoices().stream().map(Object::toString).toList()));
				sb.append(item.isRequired() && !(item.getType().isPrimitive() || item.getType() == String.class) ? ", required" : "").append(")");
				if (item.getLabel() != null) sb.append("  ").append(item.getLabel());
				out.println(sb);
			}
			if (Options.parameters(c).containsKey("image")) out.println("  roi (x,y,w,h[;x,y,w,h...])  rectangle(s) of the image: to learn from (prior), the hole (inpainting); default: none");
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
