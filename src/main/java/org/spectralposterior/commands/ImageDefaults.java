package org.spectralposterior.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ij.ImagePlus;
import ij.WindowManager;
import org.spectralposterior.imagej.MeasurementImage;
import org.spectralposterior.imagej.Metadata;
import org.spectralposterior.imagej.PriorImage;

/**
 * Which open image a dialog's image field starts on, the same in the plain-ImageJ dialog and in Fiji's:
 * a prior field a prior, a measurement field a measurement, an exemplar or clean-image field an image
 * this plugin did not make (not the measurement the last step made), every other required field the
 * current image. The current image wins when it is of the wanted kind (the user just made or clicked it), then
 * the newest one of that kind (ImageJ lists windows oldest first, and the newest is the one the last
 * step made) for a required field; an optional field takes only the current image of its kind, else
 * "none": a ground truth, a PSF, a measurement or a shared prior the user did not ask for would change
 * the run. In Fiji a command with a single image field gets the current image from imagej-legacy
 * before this runs (its active-image preprocessor resolves that field), as every ImageJ command does. Interactive dialogs only — a macro that leaves
 * out an optional image means "none", and one that leaves out the single required image means the
 * current image, as every ImageJ command does.
 */
public final class ImageDefaults {

	/** The value an optional field shows when it starts on no image. */
	public static final String NONE = "none";

	private ImageDefaults() {}

	/** What an image made by none of the commands records as its kind here (nothing). */
	private static final String PLAIN = "";

	/**
	 * The kind a field wants: {@link PriorImage#KIND}, {@link MeasurementImage#KIND}, {@link #PLAIN}
	 * for the clean image a prior is learnt from or a degradation is simulated on (not an output of
	 * this plugin), or null for any image.
	 */
	static String wantedKind(final String key) {
		return switch (key) {
			case "prior" -> PriorImage.KIND;
			case "measurement" -> MeasurementImage.KIND;
			case "image" -> PLAIN;
			default -> null;
		};
	}

	private static boolean is(final String wanted, final String kind) {
		return wanted.equals(kind == null ? PLAIN : kind);
	}

	/**
	 * The title a field starts on.
	 *
	 * @param titles  the offered images, oldest first
	 * @param kinds   each title's recorded kind (null when the image records none)
	 * @param current the current image's title, or null
	 */
	public static String choose(final String key, final boolean required, final List<String> titles, final Map<String, String> kinds, final String current) {
		final String wanted = wantedKind(key);
		if (wanted != null) {
			if (current != null && titles.contains(current) && is(wanted, kinds.get(current))) return current;
			// An optional field is filled only by the image the user made current: a measurement or a prior
			// there changes the run (an analysis's operator, Batch's shared prior), so it is not guessed.
			if (!required) return NONE;
			for (int i = titles.size() - 1; i >= 0; i--) if (is(wanted, kinds.get(titles.get(i)))) return titles.get(i);
		}
		if (!required) return NONE;
		if (current != null && titles.contains(current)) return current;
		return titles.isEmpty() ? NONE : titles.get(0);
	}

	/**
	 * The images a field can sensibly take: a prior field the priors, every other image field the images
	 * that are not priors; all of them when none fits, so the run can say what is wrong with the one
	 * chosen. (The plain-ImageJ dialog lists these; Fiji's list cannot be filtered, its default is.)
	 */
	public static List<String> fitting(final String key, final List<String> titles, final Map<String, String> kinds) {
		final boolean wantPrior = key.equals("prior");
		final List<String> fit = new ArrayList<>();
		for (final String t : titles) if (PriorImage.KIND.equals(kinds.get(t)) == wantPrior) fit.add(t);
		return fit.isEmpty() ? titles : fit;
	}

	/** {@link #choose} over ImageJ's open windows that {@link #fitting fit}; null when the field should start on no image. */
	public static ImagePlus open(final String key, final boolean required) {
		final int[] ids = WindowManager.getIDList();
		if (ids == null) return null;
		final List<String> titles = new ArrayList<>();
		final Map<String, String> kinds = new java.util.HashMap<>();
		for (final int id : ids) {
			final ImagePlus imp = WindowManager.getImage(id);
			if (imp == null) continue;
			titles.add(imp.getTitle());
			kinds.put(imp.getTitle(), Metadata.kind(imp));
		}
		final ImagePlus cur = WindowManager.getCurrentImage();
		final String t = choose(key, required, fitting(key, titles, kinds), kinds, cur == null ? null : cur.getTitle());
		return NONE.equals(t) && !titles.contains(NONE) ? null : WindowManager.getImage(t);
	}
}
