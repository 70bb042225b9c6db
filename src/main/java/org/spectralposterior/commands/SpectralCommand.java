package org.spectralposterior.commands;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileInfo;
import ij.measure.ResultsTable;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.spectralposterior.core.Progress;
import org.spectralposterior.imagej.TaskResult;

/**
 * Shared behaviour of the SciJava commands, which stay thin: convert parameters, call a task of
 * {@code org.spectralposterior.imagej}, publish its outputs. Bad input ends the command with
 * {@link #cancel(String)} and a message naming the fix (a dialog in the GUI, the log and the status
 * line otherwise), never a stack trace, and no output is published or saved.
 */
public abstract class SpectralCommand extends ContextCommand {

	public static final String MENU = "Plugins>Spectral Posterior>";

	/**
	 * Decimals the result tables show to a macro (ImageJ's most; its default is 3), so a table a macro
	 * saves keeps useful digits. At the screen each column shows about five significant digits instead
	 * ({@link org.spectralposterior.imagej.ResultViews#readable}). The values themselves are full
	 * doubles either way, and the CSV files of output_folder have every digit.
	 */
	static final int DISPLAYED_DECIMALS = 9;

	@Parameter(required = false)
	private LogService log;

	@Parameter(required = false)
	private StatusService status;

	@Parameter(required = false)
	private org.scijava.thread.ThreadService threads;

	@Parameter(required = false)
	private org.scijava.command.CommandService commands;

	/** Fiji's dialog: every field's meaning, unit, default and when it is used (the plain-ImageJ dialog has its own Help button). */
	@Parameter(label = "Help", callback = "showHelp", required = false, persist = false, description = "What each field means, its unit, default and when it is used")
	private org.scijava.widget.Button help;

	/**
	 * Fiji's dialog: a line saying which fields the current choices leave unused. SciJava's harvester
	 * cannot grey a field (scijava-common issues 42 and 52), but it does re-read a MESSAGE item's text
	 * after every callback (DefaultWidgetModel#setValue → InputPanel#refresh → the message widget's
	 * doRefresh, read in scijava-common and scijava-ui-swing), so every field a {@code when} rule names
	 * calls {@link #refreshInUse} and this text follows the choices. The plain-ImageJ dialog greys the
	 * fields instead and leaves this line out ({@link DialogRules#LIVE}).
	 */
	@Parameter(visibility = org.scijava.ItemVisibility.MESSAGE, persist = false, required = false, initializer = "initInUse",
		attrs = { @org.scijava.plugin.Attr(name = DialogRules.LIVE, value = "true") })
	private String in_use = "";

	private TaskResult result;
	private List<File> written = List.of();

	/** Does the work; may throw IllegalArgumentException (bad input) or CancellationException. */
	protected abstract TaskResult compute(Progress progress);

	/**
	 * Fills each {@code ImagePlus} output field with the task's image of that role (the field's name,
	 * {@link TaskResult#output}), null when the run made none: by role, not by position, so a missing
	 * output cannot shift the others into the wrong fields.
	 */
	protected void publish(final TaskResult r) {
		for (final Field f : parameterFields(true)) {
			if (f.getType() != ImagePlus.class) continue;
			try {
				f.set(this, r.output(f.getName()));
			}
			catch (final IllegalAccessException e) {
				throw new IllegalStateException("The output " + f.getName() + " of " + getClass().getSimpleName() + " cannot be set", e);
			}
		}
	}

	/** The optional output folder parameter of the concrete command. */
	protected abstract File outputFolder();

	/**
	 * The files this run reads, by parameter name, which its outputs must never replace: the file each
	 * {@code ImagePlus} input was opened from (its original FileInfo, as ImageJ records it) and every
	 * {@code File} input but the output folder. Found by reflection over the {@code @Parameter}
	 * fields, so a new command is covered without code of its own; override to add files a command
	 * reads by other means.
	 */
	protected Map<String, File> inputFiles() {
		final Map<String, File> files = new LinkedHashMap<>();
		for (final Field f : parameterFields(false)) {
			final Object value = valueOf(f);
			if (value instanceof ImagePlus imp) {
				final FileInfo fi = imp.getOriginalFileInfo();
				if (fi != null && fi.fileName != null && !fi.fileName.isEmpty() && fi.directory != null && !fi.directory.isEmpty()) files.put(f.getName(), new File(fi.directory, fi.fileName));
			}
			else if (value instanceof File file && !file.equals(outputFolder())) files.put(f.getName(), file);
		}
		return files;
	}

	/** The concrete command's own {@code @Parameter} fields (inputs or outputs), accessible, from subclass to superclass. */
	private List<Field> parameterFields(final boolean outputs) {
		final List<Field> fields = new java.util.ArrayList<>();
		for (Class<?> c = getClass(); c != null && c != SpectralCommand.class; c = c.getSuperclass()) {
			for (final Field f : c.getDeclaredFields()) {
				final Parameter p = f.getAnnotation(Parameter.class);
				if (p == null || (p.type() == ItemIO.OUTPUT) != outputs || Modifier.isStatic(f.getModifiers()) || !f.trySetAccessible()) continue;
				fields.add(f);
			}
		}
		return fields;
	}

	private Object valueOf(final Field f) {
		try {
			return f.get(this);
		}
		catch (final IllegalAccessException e) {
			return null; // not readable: treated as unset
		}
	}

	/** The reason a cancelled run gives (the plain-ImageJ bridge shows it in the status line, not in a dialog). */
	public static final String CANCELLED = "Cancelled: no output was made.";

	@Override
	public final void run() {
		boolean cancelled = false;
		IJ.resetEscape();
		try {
			final File folder = outputFolder();
			final boolean saving = folder != null && !folder.getPath().isEmpty();
			// A mistyped or read-only folder is reported now, not after a computation of minutes.
			if (saving) TaskResult.checkFolder(folder);
			final TaskResult r = compute(progress());
			for (final String note : r.notes()) IJ.log(label() + ": " + note);
			final boolean macro = IJ.isMacro() || MacroDefaults.options.get() != null;
			for (final ResultsTable t : r.tables().values()) {
				if (macro) t.setPrecision(DISPLAYED_DECIMALS);
				else org.spectralposterior.imagej.ResultViews.readable(t);
			}
			if (saving) written = r.save(folder, inputFiles());
			result = r;
			// Saved files keep their canonical names; what is shown follows ImageJ's unique-name
			// convention, so a second run does not make a second window of the same title.
			uniqueTitles(r);
			for (final ImagePlus imp : r.images()) org.spectralposterior.imagej.DisplayStyle.style(imp);
			publish(r);
			if (!ij.macro.Interpreter.isBatchMode() && display.getAsBoolean()) hideUninformative(r);
			showTables(r);
			// The caller's thread (a macro's, in Fiji and through the bridge: SciJava runs the command on
			// a pool thread whose parent is the caller) is the one whose current image ImageJ consults.
			final Thread caller = threads == null ? null : threads.getParent(Thread.currentThread());
			MacroVisibility.register(r, caller != null ? caller : Thread.currentThread());
			if (status != null) status.showStatus(getClass().getSimpleName() + ": done");
		}
		catch (final IllegalArgumentException e) {
			fail(e.getMessage());
		}
		catch (final CancellationException e) {
			fail(CANCELLED);
			cancelled = true;
		}
		catch (final IOException e) {
			fail("Could not save the outputs: " + e.getMessage());
		}
		finally {
			if (status != null) status.clearStatus();
			// A cancelled or failed run must not leave the bar where it stopped (it stayed at 5 % after Esc).
			if (status != null) status.showProgress(0, 0);
			if (IJ.getInstance() != null) IJ.showProgress(1.0);
			// After the clearing, or it would wipe it: the status line says so, as ImageJ's own commands do on Esc.
			if (cancelled && IJ.getInstance() != null) IJ.showStatus(getClass().getSimpleName() + ": cancelled, no output was made");
		}
	}

	@SuppressWarnings("unused") // SciJava calls it by name (the Help button's callback)
	private void showHelp() {
		final org.scijava.command.CommandInfo info = commands == null ? null : commands.getCommand(getClass());
		if (info != null) IJ.showMessage(info.getTitle(), DialogRules.helpHtml(info));
	}

	/** The callback of every field a dialog rule names, and the in-use line's initializer (SciJava calls it by name). */
	@SuppressWarnings("unused")
	private void refreshInUse() {
		in_use = inUseLine(true);
	}

	/**
	 * The in-use line's initializer. SciJava runs initializers on every run, a macro's too, and with
	 * the inputs a caller passed already set, so this one never corrects a field: corrections belong to
	 * a dialog's changes ({@link #refreshDialog}).
	 */
	@SuppressWarnings("unused")
	private void initInUse() {
		in_use = inUseLine(false);
	}

	private String advice = "";

	private String inUseLine(final boolean correct) {
		advice = dialogAdvice(correct);
		final String unused = inUseText();
		return advice.isEmpty() ? unused : unused.replace("</i></html>", "</i><br>" + escape(advice) + "</html>");
	}

	/**
	 * A dialog's fields changed (Fiji's callbacks, the plain-ImageJ dialog's listener) or it is about to
	 * open on the values now set: corrects what they make impossible, refreshes the in-use line and
	 * returns the advice.
	 */
	public String refreshDialog() {
		refreshInUse();
		return advice;
	}

	/**
	 * What the dialog should tell the user about the values now in its fields, both in Fiji's in-use
	 * line and under the plain-ImageJ dialog's fields (empty: nothing). With {@code correct}, a command
	 * may also change a field the values make impossible (e.g. an operator a measurement cannot give);
	 * both dialogs then show the corrected value. Called on every change, so it must be quick and must
	 * not throw.
	 */
	protected String dialogAdvice(final boolean correct) {
		return "";
	}

	/**
	 * Which fields {@link #dialogAdvice} may correct: all in the plain-ImageJ dialog; in Fiji only those the
	 * caller left unresolved (a script that passes operator=[from measurement] with a real image must fail
	 * as it asked, not run a Gaussian blur the dialog chose). Set by {@link MacroDefaults}.
	 */
	protected java.util.function.Predicate<String> correctable = key -> true;

	/** Whether {@link #dialogAdvice} can say anything, so the plain-ImageJ dialog makes room for it. */
	public boolean advises() {
		return false;
	}

	private static String escape(final String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	/** The in-use line for the fields' current values: the offered fields the choices leave unused. */
	String inUseText() {
		final Map<String, String> now = new LinkedHashMap<>();
		final Map<String, String> rules = new LinkedHashMap<>();
		for (final Field f : parameterFields(false)) {
			final Parameter p = f.getAnnotation(Parameter.class);
			if (p.visibility() == org.scijava.ItemVisibility.MESSAGE) continue;
			now.put(f.getName(), DialogRules.text(valueOf(f)));
			for (final org.scijava.plugin.Attr a : p.attrs()) if (a.name().equals(DialogRules.WHEN)) rules.put(f.getName(), a.value());
		}
		final List<String> unused = new java.util.ArrayList<>();
		for (final Map.Entry<String, String> e : rules.entrySet()) {
			if (!"never".equalsIgnoreCase(e.getValue().trim()) && !DialogRules.used(e.getValue(), now::get)) unused.add(e.getKey());
		}
		return unused.isEmpty() ? "<html><i>With these choices every field below is used.</i></html>"
			: "<html><i>With these choices these fields are not used (greyed in ImageJ's own dialog): " + String.join(", ", unused) + ".</i></html>";
	}

	/** The task's result (images, tables), or null if the command failed or was cancelled. */
	public TaskResult result() {
		return result;
	}

	/** Files written to the output folder, in order. */
	public List<File> written() {
		return written;
	}

	private void fail(final String message) {
		result = null;
		// SciJava reports a cancelled module's reason itself (ModuleRunner → StatusService.warn, which a
		// UI shows as a dialog, headless as a log line): a dialog of our own would be a second one.
		cancel(message);
		if (log != null) log.error(message);
	}

	private void showTables(final TaskResult r) {
		if (!display.getAsBoolean() || r.tables().isEmpty()) return;
		final boolean macro = IJ.isMacro() || MacroDefaults.options.get() != null;
		boolean first = true;
		for (final Map.Entry<String, ResultsTable> e : r.tables().entrySet()) {
			if (first && !macro) {
				// At the screen: the main table joins the command's results log (a row per run, as
				// Analyze › Measure) and a one-row result is also shown as a key/value summary with
				// units and meanings. A macro gets the run's own table by its title, as before.
				showLog(e.getKey(), e.getValue());
			}
			else e.getValue().show(uniqueWindowTitle(e.getKey()));
			first = false;
		}
	}

	private void showLog(final String run, final ResultsTable main) {
		final String logTitle = label() + " results";
		final java.awt.Window w = ij.WindowManager.getWindow(logTitle);
		final ResultsTable previous = w instanceof ij.text.TextWindow tw ? tw.getResultsTable() : null;
		final ResultsTable log = org.spectralposterior.imagej.ResultViews.append(previous, run.replaceFirst("_results$", ""), main);
		org.spectralposterior.imagej.ResultViews.readable(log);
		log.show(logTitle);
		final ResultsTable summary = org.spectralposterior.imagej.ResultViews.summary(main);
		if (summary != null) {
			summary.show(label() + " summary");
			// ImageJ opens a table window at a size for a few short columns; the meanings need room.
			final java.awt.Window sw = ij.WindowManager.getWindow(label() + " summary");
			if (sw != null) sw.setSize(Math.max(sw.getWidth(), 900), Math.max(sw.getHeight(), 560));
		}
	}

	/**
	 * Outputs that show nothing (one value everywhere, all NaN) open no window: their output field is
	 * cleared, which is what a display step reads (Fiji's, and the plain-ImageJ bridge's through
	 * {@link #displayed}). They stay in the result, are saved with output_folder and registered for
	 * batch-mode macros; the log says which and why.
	 */
	private void hideUninformative(final TaskResult r) {
		if (r.images().isEmpty()) return;
		final ImagePlus main = r.images().get(0);
		for (final Field f : parameterFields(true)) {
			if (!(valueOf(f) instanceof ImagePlus imp) || imp == main) continue;
			final String why = TaskResult.uninformative(imp);
			if (why == null) continue;
			try {
				f.set(this, null);
			}
			catch (final IllegalAccessException e) {
				continue; // not ours to clear: shown as usual
			}
			hidden.add(imp);
			IJ.log(label() + ": " + imp.getTitle() + " is not shown: " + why + (outputFolder() != null ? " (saved in the output folder)" : " (give output_folder to save it)") + ".");
		}
	}

	/** Whether outputs are displayed in windows (ImageJ's GUI, plain or Fiji's); replaceable by tests. */
	static java.util.function.BooleanSupplier display = () -> IJ.getInstance() != null && !GraphicsEnvironment.isHeadless();

	private final java.util.Set<ImagePlus> hidden = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

	/** The outputs a display shows: all but those {@link #hideUninformative} left out. */
	public List<ImagePlus> displayed() {
		return result == null ? List.of() : result.images().stream().filter(imp -> !hidden.contains(imp)).toList();
	}

	/** Output images whose title an open image already has get ImageJ's next free name (title-1, …). */
	static void uniqueTitles(final TaskResult r) {
		for (final ij.ImagePlus imp : r.images()) {
			final String title = imp.getTitle();
			if (ij.WindowManager.getImage(title) == null) continue;
			// Not WindowManager.getUniqueName: in a batch-mode macro it handed out "x-1" a second time when
			// x and x-1 were both open (seen in ImageJ 1.54p with a third Simulate Degradation of one image).
			for (int i = 1;; i++) {
				if (ij.WindowManager.getImage(title + "-" + i) == null) {
					imp.setTitle(title + "-" + i);
					break;
				}
			}
		}
	}

	/** A results window title no open window has: showing a table under a taken title would replace that table. */
	static String uniqueWindowTitle(final String title) {
		if (ij.WindowManager.getWindow(title) == null) return title;
		for (int i = 1;; i++) if (ij.WindowManager.getWindow(title + "-" + i) == null) return title + "-" + i;
	}

	/** The last status text shown (tests read it). */
	volatile String lastDetail;

	private String label() {
		final Plugin p = getClass().getAnnotation(Plugin.class);
		return p != null && !p.label().isEmpty() ? p.label() : getClass().getSimpleName();
	}

	private Progress progress() {
		return new Progress() {
			@Override
			public void update(final long done, final long total) {
				final int d = (int) Math.min(done, Integer.MAX_VALUE), t = (int) Math.min(total, Integer.MAX_VALUE);
				if (status != null) status.showProgress(d, t);
				// Plain ImageJ's progress bar (a no-op without an ImageJ window; Fiji shows one bar either way).
				if (IJ.getInstance() != null) IJ.showProgress(d, t);
			}

			@Override
			public boolean cancelled() {
				return IJ.escapePressed() || isCanceled() || Thread.currentThread().isInterrupted();
			}

			/** At most ~8 status updates a second: a 1000-step sampler would otherwise flood the status bar. */
			private long last;

			@Override
			public void detail(final String what) {
				final long now = System.nanoTime();
				if (now - last < 125_000_000L) return;
				last = now;
				final String text = label() + ": " + what;
				if (status != null) status.showStatus(text);
				if (IJ.getInstance() != null) IJ.showStatus(text);
				lastDetail = text;
			}
		};
	}
}
