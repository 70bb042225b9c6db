import java.awt.Button;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.event.ItemEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.MessageDialog;

/**
 * "Interactive values are remembered and macro defaults are not", on plain ImageJ's dialog route under
 * a real (xvfb) display, with Posterior Sampling's generated GenericDialog:
 * <ol>
 * <li>opened from the menu in a fresh home, the dialog shows the documented defaults (samples=16,
 * seed=1, method=exact posterior); samples=3, seed=42 and method=pigdm are typed into the real AWT
 * fields and OK is clicked: the run uses them (a 3-slice g_degraded_pigdm_samples);</li>
 * <li>the dialog reopened shows 3, 42 and pigdm;</li>
 * <li>a macro call that names only the images, IJ.run("Posterior Sampling", "prior=… measurement=…"),
 * takes the documented defaults for the keys it leaves out, not the remembered ones: its main output
 * is g_degraded_exact_samples (method), with 16 slices (samples), and pixel for pixel the same as an
 * explicit seed=1 run and not the same as a seed=42 run (seed);</li>
 * <li>the macro calls did not change what the dialog shows (still 3, 42, pigdm);</li>
 * <li>a dialog reopened after an error shows what was typed: samples=2000000000 and seed=99, which
 * the run refuses (the memory check: a message dialog, read and closed here);</li>
 * <li>and after a value refused as the dialog's text is read (samples=0, below its minimum, typed with
 * seed=77): the reopened dialog should show 0 and 77. Reported on its own line: SciJavaBridge.dialog
 * converts the fields before Remembered.save, so a refused value keeps nothing that was typed with it
 * (and Remembered.load would drop the 0 as stale); found by this check.</li>
 * </ol>
 * Prints "REMEMBERED OK …" or "REMEMBERED FAILED: …" for 1–5, "REFUSED OK …" or "REFUSED FAILED: …"
 * for 6 (and each failed expectation as "FAILED …").
 * Usage: java -Duser.home=FRESH -Dplugins.dir=HOME -cp ij.jar RememberedCheck.java SAMPLE_IMAGES
 * <p>
 * The ImageJ 1.x behaviour this relies on (public source, repository imagej/ImageJ, checked against
 * the 1.53t and 1.54p jars with javap where it matters):
 * <ul>
 * <li>ij.Executer(cmd, imp) runs a menu command on a new thread named after the command, as a menu
 * click does. Macro.getOptions() returns options only on a thread whose name starts with "Run$_"
 * (ij.Macro), so the plugin sees none and shows its dialog (the interactive route).</li>
 * <li>IJ.run(command, options) renames the calling thread "Run$_…" and sets its Macro options
 * (Macro.setOptions), runs the command there and returns when it has finished (ij.IJ.run); an empty
 * options string removes them (Macro.setOptions), so the macro calls here always name the images.</li>
 * <li>GenericDialog reads its fields' current AWT state: getNextNumber() the TextField's text,
 * getNextChoice() the Choice's selected item (ij.gui.GenericDialog); a TextField.setText fires the
 * TextListener (textValueChanged) and the dialog's itemStateChanged notifies its DialogListeners, which
 * is what a user's typing and choosing does (here it greys the diffusion fields in). OK is the dialog's
 * actionPerformed with the OK button as source, which disposes the modal dialog and lets showDialog()
 * return; it is sent on the event thread, as a real click is (see RecorderCheck for the race a click
 * from another thread caused). The field next to a label is found by the dialog's component order
 * (each add…Field adds its Label, then its TextField, Choice or a Panel holding the field).</li>
 * <li>IJ.error(title, message) shows a modal ij.gui.MessageDialog whose text is in its MultiLineLabel
 * (package field "lines", read by reflection: MultiLineLabel has no getText in 1.53t or 1.54p); its
 * OK button's actionPerformed closes it and lets the command's thread finish.</li>
 * <li>Preferences (ij.Prefs, where Remembered keeps the values) live in memory during the session
 * and are read from user.home's IJ_Prefs.txt at start-up: run.sh gives this check a fresh user.home.</li>
 * </ul>
 */
public class RememberedCheck {

	static final String CMD = "Posterior Sampling";
	static List<String> failures = new ArrayList<>();
	static final List<String> main = failures, refused = new ArrayList<>();
	static final Set<Window> seen = Collections.newSetFromMap(new IdentityHashMap<>());

	public static void main(final String[] args) throws Exception {
		new ImageJ(ImageJ.NO_SHOW);
		try {
			run(args[0]);
		}
		catch (final Throwable e) {
			e.printStackTrace();
			failures.add("exception: " + e);
		}
		if (main.isEmpty()) System.out.println("REMEMBERED OK typed samples=3 seed=42 method=pigdm: used, shown again on reopening, untouched by macro calls; a macro naming only the images got method=exact, 16 samples and seed 1's pixels; typed values shown again after the run's error");
		else System.out.println("REMEMBERED FAILED: " + String.join("; ", main));
		if (refused.isEmpty() && main.isEmpty()) System.out.println("REFUSED OK samples=0 and seed=77 shown again after the dialog's samples=0 was refused");
		else if (refused.isEmpty()) System.out.println("REFUSED FAILED: not reached");
		else System.out.println("REFUSED FAILED: " + String.join("; ", refused));
		System.exit(0);
	}

	static void run(final String images) throws Exception {
		// A small image keeps the runs short: 128x128 from gravel.png, a prior and a measurement of it
		// (macro calls: not interactive, remembered nothing).
		final ImagePlus gravel = IJ.openImage(images + "/gravel.png");
		gravel.setRoi(64, 64, 128, 128);
		final ImagePlus g = new ImagePlus("g", gravel.getProcessor().crop());
		g.show();
		IJ.run("Build Gaussian Prior", "image=g estimator=adsn");
		IJ.run("Simulate Degradation", "image=g noise_sigma=5 seed=7");
		need(WindowManager.getImage("g_prior") != null && WindowManager.getImage("g_degraded") != null, "setup made g_prior and g_degraded");
		if (!failures.isEmpty()) return;

		// 1. The menu in a fresh home: the defaults; type three values, OK.
		Thread t = menu();
		GenericDialog gd = awaitDialog();
		expect(gd, "fresh dialog", "16", "1", "exact posterior");
		type(gd, "samples", "3");
		type(gd, "seed", "42");
		choose(gd, "method", "pigdm");
		ok(gd);
		finish(t, null);
		final ImagePlus typed = WindowManager.getImage("g_degraded_pigdm_samples");
		need(typed != null && typed.getStackSize() == 3, "the interactive run used the typed values (a 3-slice g_degraded_pigdm_samples; got "
			+ (typed == null ? "none" : typed.getStackSize() + " slices") + ")");
		close(typed);

		// 2. Reopened: what was typed.
		t = menu();
		gd = awaitDialog();
		expect(gd, "reopened dialog", "3", "42", "pigdm");
		cancel(gd);
		finish(t, null);

		// 3. Macro calls: omitted keys take the documented defaults, not the remembered values.
		final String images2 = "prior=g_prior measurement=g_degraded";
		final ImagePlus omitted = macro(images2, "g_degraded_exact_samples");
		need(omitted != null && omitted.getStackSize() == 16, "a macro omitting method and samples made a 16-slice g_degraded_exact_samples (got "
			+ (omitted == null ? "none; open: " + String.join(", ", WindowManager.getImageTitles()) : omitted.getStackSize() + " slices") + ")");
		final String hOmitted = hash(omitted);
		close(omitted);
		final ImagePlus seed1 = macro(images2 + " method=[exact posterior] samples=16 seed=1", "g_degraded_exact_samples");
		final String hSeed1 = hash(seed1);
		close(seed1);
		final ImagePlus seed42 = macro(images2 + " method=[exact posterior] samples=16 seed=42", "g_degraded_exact_samples");
		final String hSeed42 = hash(seed42);
		close(seed42);
		System.out.println("macro pixels md5: seed omitted " + hOmitted + ", seed=1 " + hSeed1 + ", seed=42 " + hSeed42);
		need(hOmitted != null && hOmitted.equals(hSeed1), "the macro omitting seed has seed=1's pixels (" + hOmitted + " vs " + hSeed1 + ")");
		need(hOmitted != null && !hOmitted.equals(hSeed42), "the macro omitting seed does not have the remembered seed=42's pixels (" + hOmitted + " vs " + hSeed42 + ")");

		// 4. The macros did not touch what the dialog remembers; 5. an error in the run keeps what was typed.
		t = menu();
		gd = awaitDialog();
		expect(gd, "dialog after the macro calls", "3", "42", "pigdm");
		Open reopened = failAndReopen(new Open(t, gd), "2000000000", "99", "memory", "dialog reopened after the run's error");
		// 6. A value refused as it is read from the dialog (below samples' minimum of 1).
		if (!main.isEmpty()) return;
		failures = refused;
		reopened = failAndReopen(reopened, "0", "77", "samples", "dialog reopened after a refused value");
		cancel(reopened.dialog());
		finish(reopened.thread(), null);
	}

	/** A dialog on the screen and the menu thread waiting for it. */
	record Open(Thread thread, GenericDialog dialog) {}

	/** Types samples and seed, presses OK, expects the run to end with an error naming {@code error}, reopens the
	 * dialog from the menu and expects it to show what was typed. */
	static Open failAndReopen(final Open open, final String samples, final String seed, final String error, final String when) throws Exception {
		type(open.dialog(), "samples", samples);
		type(open.dialog(), "seed", seed);
		ok(open.dialog());
		finish(open.thread(), error);
		final Thread t = menu();
		final GenericDialog gd = awaitDialog();
		expect(gd, when, samples, seed, "pigdm");
		return new Open(t, gd);
	}

	static void need(final boolean ok, final String what) {
		if (!ok) {
			failures.add(what);
			System.out.println("FAILED " + what);
		}
	}

	static void expect(final GenericDialog gd, final String when, final String samples, final String seed, final String method) throws Exception {
		final String[] got = new String[3];
		EventQueue.invokeAndWait(() -> {
			got[0] = ((TextField) field(gd, "samples")).getText().trim();
			got[1] = ((TextField) field(gd, "seed")).getText().trim();
			got[2] = ((Choice) field(gd, "method")).getSelectedItem();
		});
		System.out.println(when + ": samples=" + got[0] + " seed=" + got[1] + " method=" + got[2]);
		need(got[0].equals(samples) && got[1].equals(seed) && got[2].equals(method),
			when + " shows samples=" + got[0] + " seed=" + got[1] + " method=" + got[2] + ", expected " + samples + ", " + seed + ", " + method);
	}

	/** As from the menu: an Executer thread, named after the command. */
	static Thread menu() throws InterruptedException {
		new ij.Executer(CMD, WindowManager.getImage("g_degraded"));
		for (int i = 0; i < 100; i++) {
			for (final Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals(CMD)) return t;
			Thread.sleep(20);
		}
		return null; // already finished (it cannot have, with a dialog to answer): awaitDialog reports it
	}

	/** The next Posterior Sampling dialog shown, once its buttons are there (showDialog adds them before setVisible). */
	static GenericDialog awaitDialog() throws InterruptedException {
		for (int i = 0; i < 600; i++) {
			for (final Window w : Window.getWindows()) {
				if (w instanceof GenericDialog gd && w.isShowing() && !seen.contains(w) && CMD.equals(gd.getTitle()) && button(gd, "OK") != null) {
					seen.add(w);
					Thread.sleep(200); // let the first paint and the listener's greying settle, as a user would
					return gd;
				}
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("no " + CMD + " dialog appeared");
	}

	/** Types into the text field after the label, on the event thread (setText fires the TextListener, as typing does). */
	static void type(final GenericDialog gd, final String key, final String text) throws Exception {
		EventQueue.invokeAndWait(() -> {
			final TextField tf = (TextField) field(gd, key);
			tf.requestFocus();
			tf.setText(text);
		});
	}

	/** Picks a choice item as a user does: the selection, then the ItemEvent the Choice would send. */
	static void choose(final GenericDialog gd, final String key, final String item) throws Exception {
		EventQueue.invokeAndWait(() -> {
			final Choice c = (Choice) field(gd, key);
			c.select(item);
			if (!item.equals(c.getSelectedItem())) throw new IllegalStateException(key + " has no item " + item);
			gd.itemStateChanged(new ItemEvent(c, ItemEvent.ITEM_STATE_CHANGED, item, ItemEvent.SELECTED));
		});
	}

	static void ok(final GenericDialog gd) throws Exception {
		click(gd, "OK");
	}

	static void cancel(final GenericDialog gd) throws Exception {
		click(gd, "Cancel");
	}

	static void click(final Dialog d, final String label) throws Exception {
		final Button b = button(d, label);
		if (b == null) throw new IllegalStateException(d.getTitle() + " has no " + label + " button");
		EventQueue.invokeLater(() -> ((java.awt.event.ActionListener) d).actionPerformed(new ActionEvent(b, ActionEvent.ACTION_PERFORMED, b.getLabel())));
	}

	/**
	 * Waits for the command's thread to end. With a message expected, the error's MessageDialog must
	 * appear and contain it; it is read and closed (its OK button) as a user would. Without one, any
	 * message dialog is a failure.
	 */
	static void finish(final Thread t, final String message) throws Exception {
		boolean got = false;
		for (int i = 0; i < 1200 && t != null && t.isAlive(); i++) {
			for (final Window w : Window.getWindows()) {
				if (w instanceof MessageDialog md && w.isShowing() && !seen.contains(w)) {
					seen.add(w);
					final String text = text(md);
					System.out.println("message dialog: " + md.getTitle() + ": " + text);
					if (message != null && text.contains(message)) got = true;
					else need(false, "unexpected message: " + text);
					click(md, "OK");
				}
			}
			Thread.sleep(100);
		}
		if (t != null && t.isAlive()) need(false, CMD + " did not finish");
		if (message != null) need(got, "no error message containing '" + message + "' was shown");
	}

	/** A macro call from this thread (IJ.run with options); returns the output of that title it made. */
	static ImagePlus macro(final String options, final String title) {
		IJ.run(CMD, options);
		return WindowManager.getImage(title);
	}

	static void close(final ImagePlus imp) {
		if (imp == null) return;
		imp.changes = false;
		imp.close();
	}

	/** MD5 of every slice's float pixels (bit patterns), or null. */
	static String hash(final ImagePlus imp) throws Exception {
		if (imp == null) return null;
		final java.security.MessageDigest md = java.security.MessageDigest.getInstance("MD5");
		for (int s = 1; s <= imp.getStackSize(); s++) {
			final float[] p = (float[]) imp.getStack().getProcessor(s).convertToFloat().getPixels();
			final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * p.length);
			for (final float f : p) b.putInt(Float.floatToRawIntBits(f));
			md.update(b.array());
		}
		return String.format("%032x", new java.math.BigInteger(1, md.digest()));
	}

	/** The field after the label that reads {@code key}, in the dialog's component order. */
	static Component field(final GenericDialog gd, final String key) {
		final List<Component> all = new ArrayList<>();
		flatten(gd, all);
		for (int i = 0; i < all.size(); i++) {
			if (all.get(i) instanceof java.awt.Label l && l.getText().trim().equals(key)) {
				for (int j = i + 1; j < all.size(); j++) if (all.get(j) instanceof TextField || all.get(j) instanceof Choice) return all.get(j);
			}
		}
		throw new IllegalStateException("no field '" + key + "' in " + gd.getTitle());
	}

	static void flatten(final Container c, final List<Component> out) {
		for (final Component k : c.getComponents()) {
			out.add(k);
			if (k instanceof Container cc) flatten(cc, out);
		}
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

	/** A message dialog's text: its MultiLineLabel's lines (package field, no getter in 1.53t/1.54p). */
	static String text(final Container c) throws Exception {
		final StringBuilder sb = new StringBuilder();
		for (final Component k : c.getComponents()) {
			if (k instanceof ij.gui.MultiLineLabel m) {
				final java.lang.reflect.Field f = ij.gui.MultiLineLabel.class.getDeclaredField("lines");
				f.setAccessible(true);
				for (final String line : (String[]) f.get(m)) if (line != null) sb.append(line).append(' ');
			}
			if (k instanceof java.awt.Label l) sb.append(l.getText()).append(' ');
			if (k instanceof java.awt.TextArea ta) sb.append(ta.getText()).append(' ');
			if (k instanceof Container cc) sb.append(text(cc));
		}
		return sb.toString().trim();
	}
}
