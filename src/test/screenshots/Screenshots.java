import java.awt.BasicStroke;
import java.awt.Button;
import java.awt.Color;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.Font;
import java.awt.Frame;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.imageio.ImageIO;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.ImageWindow;
import ij.measure.ResultsTable;
import ij.process.ImageProcessor;
import ij.text.TextPanel;
import ij.text.TextWindow;

/**
 * Screenshots for the README from a real ImageJ 1.x under Xvfb (see run.sh next to this file).
 * Every command of plugins.config is opened from the menu route (an Executer thread, no options),
 * its generated dialog captured and cancelled; then the demo workflow, and every other command on its
 * images (Batch on two crops), runs by macro calls and every window it opens (images, results tables,
 * plots, chosen slices of stacks, the log when a step wrote to it) is captured. Fails (exit 1, with the reasons) when
 * a dialog does not open, is cut off by the screen, a capture is a single colour, a command reports
 * an error, or an expected output is missing.
 * Usage: java -Dplugins.dir=HOME -cp ij.jar Screenshots.java SAMPLE_IMAGES PLUGINS_CONFIG OUTDIR
 */
public class Screenshots {

	static File out;
	static Robot robot;
	static final List<String> errors = Collections.synchronizedList(new ArrayList<>());
	static final List<String> made = new ArrayList<>();
	/** The title of the dialog being captured (the watcher leaves it alone), or null. */
	static volatile String awaiting;
	static final Set<Window> captured = Collections.newSetFromMap(new IdentityHashMap<>());

	public static void main(final String[] args) throws Exception {
		final long start = System.currentTimeMillis();
		final String images = args[0];
		final List<String> commands = new ArrayList<>();
		for (final String line : Files.readAllLines(new File(args[1]).toPath())) {
			final int q = line.indexOf('"');
			if (line.startsWith("#") || q < 0) continue;
			commands.add(line.substring(q + 1, line.indexOf('"', q + 1)));
		}
		out = new File(args[2]);
		out.mkdirs();
		robot = new Robot();
		// The pointer in the screen's far corner, off every window (a plot's status line follows it).
		robot.mouseMove(Toolkit.getDefaultToolkit().getScreenSize().width - 1, Toolkit.getDefaultToolkit().getScreenSize().height - 1);
		new ImageJ(ImageJ.NO_SHOW);
		watchForUnexpectedDialogs();

		final ImagePlus gravel = IJ.openImage(images + "/gravel.png");
		gravel.setTitle("gravel.png");
		gravel.show();
		gravel.setRoi(128, 128, 256, 256);
		settle(gravel.getWindow());
		captured.add(gravel.getWindow());

		// The tutorial: each step's dialog as the menu opens it (with the images of the steps before),
		// then the step run by a macro call, then every window it opened.
		dialog("Build Gaussian Prior", gravel);
		step("Build Gaussian Prior", "image=gravel.png estimator=adsn target_width=0 target_height=0", "gravel_prior");
		IJ.selectWindow("gravel.png");
		gravel.deleteRoi();
		dialog("Simulate Degradation", gravel);
		step("Simulate Degradation", "image=gravel.png operator=gaussian blur_sigma=2 noise_sigma=5 seed=7", "gravel_degraded");
		dialog("Posterior Sampling", WindowManager.getImage("gravel_degraded"));
		step("Posterior Sampling", "prior=gravel_prior measurement=gravel_degraded method=[exact posterior] samples=4 seed=1 ground_truth=gravel.png", "gravel_degraded_exact_samples");
		step("Posterior Sampling", "prior=gravel_prior measurement=gravel_degraded method=pigdm mode=[step by step] steps=50 samples=4 seed=1 ground_truth=gravel.png", "gravel_degraded_pigdm_samples");
		step("Posterior Sampling", "prior=gravel_prior measurement=gravel_degraded method=ddnm steps=50 samples=4 seed=1 ground_truth=gravel.png", "gravel_degraded_ddnm_samples");
		dialog("Compare Samplers", WindowManager.getImage("gravel_degraded"));
		step("Compare Samplers", "prior=gravel_prior measurement=gravel_degraded operator=[from measurement]", "gravel_compare_plot");
		dialog("Tune Sampler Weights", WindowManager.getImage("gravel_degraded"));
		step("Tune Sampler Weights", "prior=gravel_prior measurement=gravel_degraded operator=[from measurement] method=pigdm steps=20 iterations=30", "gravel_pigdm_tuned_weights_plot");
		// The other commands' dialogs, in menu order. (Those not captured by this run: the files of an
		// earlier run in OUTDIR are no reason to skip one, which left the default run's six stale.)
		for (final String c : commands) if (!made.contains("dialog-" + slug(c) + ".png")) dialog(c, WindowManager.getImage("gravel_prior"));
		// The other commands' outputs, on the tutorial's prior and measurement, with small settings.
		step("Synthesize Texture", "prior=gravel_prior samples=4 seed=1", "gravel_prior_samples");
		step("Transfer Functions", "prior=gravel_prior measurement=gravel_degraded operator=[from measurement] methods=dps,pigdm,cgdm,ddnm steps=50", "gravel_transfer");
		// A stack shows its first slice: the PiGDM gain and output std next to the Wiener filter's too.
		slices("gravel_transfer", 2, 7, 8);
		step("Reverse-Dynamics Sensitivity", "prior=gravel_prior times=1000,500,250,100,50,10,1 radii=1,2,4,8,16", "gravel_impulse_score");
		slices("gravel_impulse_score", 4, 7);
		slices("gravel_impulse_step", 4, 7);
		step("Design Noise Schedule", "prior=gravel_prior steps=10 criterion=w2 base_step=ddim eta=0 start_from=linear iterations=300", "gravel_schedule_plot");
		// The same design for PiGDM on the tutorial's measurement (criterion posterior: E_v W2² to the posterior).
		step("Design Noise Schedule", "prior=gravel_prior steps=10 criterion=posterior method=pigdm measurement=gravel_degraded operator=[from measurement] base_step=ddim eta=0 start_from=linear iterations=100", "gravel_schedule_plot-1");
		step("Continuous-Time Schemes", "prior=gravel_prior schemes=em,ei,pg-ddpm,euler,heun,rk4 nfe_list=25,50,100,250 guidance=none", "gravel_continuous_plot");
		batch(images + "/gravel.png");
		figure();

		System.out.println("screenshots: " + made.size() + " PNGs in " + out + " (" + (System.currentTimeMillis() - start) / 1000 + " s)");
		if (!errors.isEmpty()) {
			for (final String e : errors) System.out.println("SCREENSHOT ERROR: " + e);
			System.exit(1);
		}
		System.out.println("SCREENSHOTS OK");
		System.exit(0);
	}

	/** Any other dialog (an error message, a file chooser) is a failure: say what it said and close it. */
	static void watchForUnexpectedDialogs() {
		final Thread t = new Thread(() -> {
			while (true) {
				for (final Window w : Window.getWindows()) {
					if (!(w instanceof Dialog d) || !w.isShowing()) continue;
					if (w instanceof GenericDialog && d.getTitle().equals(awaiting)) continue;
					errors.add("unexpected dialog '" + d.getTitle() + "': " + text(d).trim());
					EventQueue.invokeLater(d::dispose);
				}
				try {
					Thread.sleep(200);
				}
				catch (final InterruptedException e) {
					return;
				}
			}
		});
		t.setDaemon(true);
		t.start();
	}

	/** Opens the command's dialog as the menu does, captures it, and cancels it. */
	static void dialog(final String label, final ImagePlus current) throws Exception {
		if (current != null) WindowManager.setTempCurrentImage(null);
		if (current != null && current.getWindow() != null) WindowManager.setCurrentWindow(current.getWindow());
		awaiting = label;
		new ij.Executer(label, current);
		GenericDialog gd = null;
		for (int i = 0; i < 300 && gd == null; i++) {
			for (final Window w : Window.getWindows()) if (w instanceof GenericDialog g && g.isShowing() && label.equals(g.getTitle())) gd = g;
			if (gd == null) Thread.sleep(100);
		}
		if (gd == null) {
			errors.add("the dialog of '" + label + "' did not open");
			awaiting = null;
			return;
		}
		final Rectangle screen = new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
		final Rectangle b = new Rectangle(gd.getLocationOnScreen(), gd.getSize());
		if (!screen.contains(b)) errors.add("the dialog of '" + label + "' is cut off by the screen: " + b + " on " + screen.width + "×" + screen.height);
		// Raised and captured until the capture shows the dialog: a committed capture once showed the image
		// windows in front of it (raised too late under load); a dialog is mostly its own background.
		// Under Xvfb (no window manager) the image windows stayed in front of some dialogs however often
		// these were raised, so a covered dialog is moved to the screen's free right-hand side.
		BufferedImage shot = null;
		for (int attempt = 0; attempt < 5 && (shot == null || backgroundShare(shot, gd.getBackground()) < 0.3); attempt++) {
			if (attempt > 0) {
				final GenericDialog moved = gd;
				EventQueue.invokeAndWait(() -> moved.setLocation(Math.max(0, screen.width - moved.getWidth() - 10), 10));
			}
			settle(gd);
			shot = capture(gd);
		}
		if (backgroundShare(shot, gd.getBackground()) < 0.3) errors.add("the dialog of '" + label + "' stays covered by other windows (" + Math.round(100 * backgroundShare(shot, gd.getBackground())) + "% of its background visible)");
		else save(gd, "dialog-" + slug(label), shot);
		final Button cancel = button(gd, "Cancel");
		final GenericDialog g = gd;
		if (cancel == null) EventQueue.invokeLater(g::dispose);
		else EventQueue.invokeLater(() -> g.actionPerformed(new ActionEvent(cancel, ActionEvent.ACTION_PERFORMED, cancel.getLabel())));
		// The Executer thread (named after the command) ends when the cancelled command returns.
		for (int i = 0; i < 300 && Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(label)); i++) Thread.sleep(100);
		if (g.isShowing()) errors.add("the dialog of '" + label + "' did not close on Cancel");
		awaiting = null;
	}

	/**
	 * Batch on a folder of two 128×128 crops of the sample image, into a fresh output folder (both
	 * temporary): its results table, and the overview PNG it saved for the first image.
	 */
	static void batch(final String image) throws Exception {
		final File input = Files.createTempDirectory("batch-in").toFile(), output = Files.createTempDirectory("batch-out").toFile();
		try {
			final ImagePlus source = IJ.openImage(image);
			final int[][] corners = { { 0, 0 }, { 256, 256 } };
			for (int i = 0; i < corners.length; i++) {
				final ImageProcessor ip = source.getProcessor().duplicate();
				ip.setRoi(corners[i][0], corners[i][1], 128, 128);
				new ij.io.FileSaver(new ImagePlus("gravel_crop" + (i + 1), ip.crop())).saveAsPng(new File(input, "gravel_crop" + (i + 1) + ".png").getPath());
			}
			step("Batch", "input=" + input + " output_folder=" + output + " degradation=simulate operator=gaussian blur_sigma=2 noise_sigma=5 method=pigdm mode=[closed form] steps=50 samples=2 seed=1 part=1/1",
				"batch_manifest|Batch results");
			final File[] written = output.listFiles();
			System.out.println("batch output folder: " + (written == null ? "nothing" : java.util.Arrays.stream(written).map(f -> f.getName() + (f.isDirectory() ? "/" + java.util.Arrays.toString(f.list()) : "")).toList()));
			final File manifest = new File(output, "manifest.csv");
			if (manifest.isFile()) System.out.println("manifest.csv:\n" + Files.readString(manifest.toPath()));
			else errors.add("Batch wrote no manifest.csv");
			// The overview Batch saves for each image, opened as a user opens it from the output folder.
			final File overview = new File(output, "gravel_crop1/gravel_crop1_degraded_pigdm_overview.png");
			final ImagePlus o = overview.isFile() ? IJ.openImage(overview.getPath()) : null;
			if (o == null) errors.add("Batch wrote no " + overview);
			else {
				o.show();
				settle(o.getWindow());
				captured.add(o.getWindow());
				save(o.getWindow(), "batch-" + slug(o.getTitle().replaceFirst("\\.png$", "")));
				o.close();
			}
		}
		finally {
			for (final File d : new File[] { input, output }) try (var walk = Files.walk(d.toPath())) {
				walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
	}

	/** Captures the open stack at the given slices as TITLE-sliceN (its window shows the first slice). */
	static void slices(final String title, final int... slices) throws Exception {
		final ImagePlus imp = WindowManager.getImage(title);
		if (imp == null || imp.getWindow() == null) {
			errors.add("no stack " + title + " to capture slices of");
			return;
		}
		for (final int n : slices) {
			if (n > imp.getStackSize()) {
				errors.add(title + " has " + imp.getStackSize() + " slices, not " + n);
				continue;
			}
			EventQueue.invokeAndWait(() -> imp.setSlice(n));
			settle(imp.getWindow());
			save(imp.getWindow(), slug(title) + "-slice" + n);
		}
		EventQueue.invokeAndWait(() -> imp.setSlice(1));
	}

	/** Runs a command with macro options, as run("label", "options") does, then captures each new window. */
	static void step(final String label, final String options, final String mainOutput) throws Exception {
		final int logBefore = log().length();
		final long t = System.currentTimeMillis();
		IJ.run(label, options);
		System.out.println(label + ": " + (System.currentTimeMillis() - t) + " ms");
		final String log = log().substring(Math.min(logBefore, log().length()));
		if (log.contains("Spectral Posterior:")) errors.add(label + " " + options + ": " + log.trim());
		// An image, or a table (TITLE|OTHER: either title).
		if (java.util.Arrays.stream(mainOutput.split("\\|")).allMatch(m -> WindowManager.getImage(m) == null && WindowManager.getWindow(m) == null)) errors.add(label + " made no " + mainOutput);
		// The log, when the step wrote to it and it was captured before: again, under the step's name.
		final Window logWindow = WindowManager.getWindow("Log");
		if (!log.isBlank() && logWindow instanceof TextWindow lw && captured.contains(logWindow)) {
			fitTable(lw);
			settle(logWindow);
			save(logWindow, "log-" + slug(label));
		}
		Thread.sleep(500);
		final Set<Window> windows = new LinkedHashSet<>();
		final int[] ids = WindowManager.getIDList();
		if (ids != null) for (final int id : ids) {
			final ImagePlus imp = WindowManager.getImage(id);
			if (imp.getWindow() != null) windows.add(imp.getWindow());
		}
		for (final Window w : WindowManager.getAllNonImageWindows()) if (w instanceof TextWindow) windows.add(w);
		for (final Window w : windows) {
			if (captured.contains(w)) continue;
			captured.add(w);
			if (w instanceof TextWindow tw) fitTable(tw);
			settle(w);
			save(w, slug(title(w)));
		}
	}

	static String log() {
		final String s = IJ.getLog();
		return s == null ? "" : s;
	}

	/** A results window as wide as its columns (up to the screen) and as tall as its rows. */
	static void fitTable(final TextWindow tw) throws Exception {
		final TextPanel tp = tw.getTextPanel();
		final ResultsTable rt = tp.getResultsTable();
		final int rows = rt == null ? tp.getLineCount() : rt.size();
		final Rectangle screen = new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
		// A log's one column is as wide as its first lines were when it first painted: measure its longest line.
		final int width = Math.min(screen.width - 20, Math.max(400, rt == null ? linesWidth(tp) : columnsWidth(tp)));
		// The header row, every row and a horizontal scroll bar below the window's menu bar (the rows
		// are ~19 px high, not 17: a 10-row table showed 9 and a half).
		final int chrome = Math.max(0, tw.getHeight() - tp.getHeight());
		final int height = chrome + (Math.max(rows, 1) + 1) * rowHeight(tp) + 24;
		EventQueue.invokeAndWait(() -> {
			tw.setSize(width, Math.min(screen.height - 40, height));
			tw.setLocation(10, 10);
		});
	}

	/** The width of a text window's longest line. */
	static int linesWidth(final TextPanel tp) {
		final java.awt.FontMetrics fm = tp.getFontMetrics(tp.getFont());
		int max = 0;
		for (int i = 0; i < tp.getLineCount(); i++) max = Math.max(max, fm.stringWidth(tp.getLine(i)));
		return max + 40;
	}

	/** The height TextPanel gives a row (it measures it when it first paints). */
	static int rowHeight(final TextPanel tp) {
		try {
			final java.lang.reflect.Field f = TextPanel.class.getDeclaredField("iRowHeight");
			f.setAccessible(true);
			final int h = f.getInt(tp);
			return h > 0 ? h : 19;
		}
		catch (final ReflectiveOperationException | RuntimeException e) {
			return 19;
		}
	}

	/** The width TextPanel gives its columns (it measures them when it first paints). */
	static int columnsWidth(final TextPanel tp) {
		try {
			final java.lang.reflect.Field f = TextPanel.class.getDeclaredField("iColWidth");
			f.setAccessible(true);
			int sum = 30;
			for (final int w : (int[]) f.get(tp)) sum += w;
			return sum;
		}
		catch (final ReflectiveOperationException | RuntimeException e) {
			return 1200;
		}
	}

	/** Raises the window and waits for it to paint. */
	static void settle(final Window w) throws Exception {
		EventQueue.invokeAndWait(() -> {
			w.toFront();
			w.repaint();
		});
		Thread.sleep(700);
		robot.waitForIdle();
	}

	static String title(final Window w) {
		if (w instanceof ImageWindow iw) return iw.getImagePlus().getTitle();
		if (w instanceof Frame f) return f.getTitle();
		if (w instanceof Dialog d) return d.getTitle();
		return "window";
	}

	/** The window as on screen, under a title bar of our own (Xvfb has no window manager to draw one). */
	static void save(final Window w, final String name) throws Exception {
		save(w, name, capture(w));
	}

	/** The window's area of the screen (clipped to it). */
	static BufferedImage capture(final Window w) {
		final Rectangle b = new Rectangle(w.getLocationOnScreen(), w.getSize());
		b.width = Math.min(b.width, Toolkit.getDefaultToolkit().getScreenSize().width - b.x);
		b.height = Math.min(b.height, Toolkit.getDefaultToolkit().getScreenSize().height - b.y);
		return robot.createScreenCapture(b);
	}

	/** The share of the capture's pixels in the window's background colour. */
	static double backgroundShare(final BufferedImage image, final Color background) {
		final int bg = background == null ? new Color(238, 238, 238).getRGB() : background.getRGB();
		long n = 0;
		for (int y = 0; y < image.getHeight(); y++) for (int x = 0; x < image.getWidth(); x++) if ((image.getRGB(x, y) & 0xffffff) == (bg & 0xffffff)) n++;
		return (double) n / ((long) image.getWidth() * image.getHeight());
	}

	static void save(final Window w, final String name, final BufferedImage shot) throws Exception {
		final Rectangle b = new Rectangle(0, 0, shot.getWidth(), shot.getHeight());
		if (singleColour(shot)) {
			errors.add("the capture of '" + title(w) + "' is blank (one colour)");
			return;
		}
		final int bar = 24;
		final BufferedImage framed = new BufferedImage(b.width + 2, b.height + bar + 1, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = framed.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(new Color(0x3c, 0x4a, 0x5c));
		g.fillRect(0, 0, framed.getWidth(), framed.getHeight());
		g.setColor(Color.WHITE);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
		g.drawString(title(w), 8, 17);
		g.drawImage(shot, 1, bar, null);
		g.dispose();
		write(framed, name);
	}

	static void write(final BufferedImage image, final String name) throws Exception {
		final File f = new File(out, name + ".png");
		ImageIO.write(image, "png", f);
		if (!made.contains(f.getName())) made.add(f.getName()); // (the log, captured again after a later step)
		System.out.println("captured " + f.getName() + " (" + image.getWidth() + "×" + image.getHeight() + ")");
	}

	static boolean singleColour(final BufferedImage image) {
		final int first = image.getRGB(0, 0);
		for (int y = 0; y < image.getHeight(); y++) for (int x = 0; x < image.getWidth(); x++) if (image.getRGB(x, y) != first) return false;
		return true;
	}

	/**
	 * The README's first picture, from the images the run made: a crop of the truth, the measurement,
	 * an exact posterior sample and two diffusion samplers' samples, each with its W2 to the posterior
	 * read from its results table.
	 */
	static void figure() throws Exception {
		final String[][] panels = {
			{"gravel.png", "ground truth", null},
			{"gravel_degraded", "measurement\nblur σ 2 + noise 5", null},
			{"gravel_degraded_exact_samples", "exact posterior sample", "gravel_degraded_exact_results"},
			{"gravel_degraded_pigdm_samples", "PiGDM, 50 steps", "gravel_degraded_pigdm_results"},
			{"gravel_degraded_ddnm_samples", "DDNM, 50 steps", "gravel_degraded_ddnm_results"}};
		final int crop = 200, gap = 6, caption = 40;
		final BufferedImage fig = new BufferedImage(panels.length * (crop + gap) + gap, crop + caption + gap, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = fig.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, fig.getWidth(), fig.getHeight());
		for (int i = 0; i < panels.length; i++) {
			final ImagePlus imp = WindowManager.getImage(panels[i][0]);
			if (imp == null) {
				errors.add("figure: no image " + panels[i][0]);
				continue;
			}
			final ImageProcessor ip = imp.getStack().getProcessor(1).duplicate();
			ip.setRoi(156, 156, crop, crop);
			final ImageProcessor c = ip.crop();
			c.setMinAndMax(0, 255); // one grey scale for every panel
			final int x = gap + i * (crop + gap);
			g.drawImage(c.convertToByteProcessor(true).createImage(), x, gap, null);
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
			// A second caption line ("\n") where a panel has no W2 line: one 200-px line held only ~28 characters.
			final String[] lines = panels[i][1].split("\n");
			for (int l = 0; l < lines.length; l++) g.drawString(lines[l], x, gap + crop + 16 + 17 * l);
			if (panels[i][2] != null) {
				final String w2 = tableValue(panels[i][2], "W2");
				g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
				g.drawString("W2 to posterior = " + w2, x, gap + crop + 33);
			}
		}
		g.setStroke(new BasicStroke(1));
		g.dispose();
		write(fig, "first-figure");
	}

	static String tableValue(final String table, final String column) {
		final Window w = WindowManager.getWindow(table);
		if (!(w instanceof TextWindow tw) || tw.getResultsTable() == null) {
			errors.add("figure: no table " + table);
			return "?";
		}
		final ResultsTable rt = tw.getResultsTable();
		final double v = rt.getValue(column, 0);
		return v == 0 ? "0" : String.format(Locale.ROOT, "%.0f", v);
	}

	static String slug(final String s) {
		return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "-").replaceAll("^-|-$", "");
	}

	static String text(final Container c) {
		final StringBuilder sb = new StringBuilder();
		for (final Component k : c.getComponents()) {
			if (k instanceof java.awt.Label l) sb.append(l.getText()).append(' ');
			if (k instanceof java.awt.TextArea t) sb.append(t.getText()).append(' ');
			if (k instanceof Container cc) sb.append(text(cc));
		}
		return sb.toString();
	}

	static Button button(final Container c, final String label) {
		for (final Component k : c.getComponents()) {
			if (k instanceof Button b && b.getLabel().trim().equals(label)) return b;
			if (k instanceof Container cc) {
				final Button b = button(cc, label);
				if (b != null) return b;
			}
		}
		return null;
	}
}
