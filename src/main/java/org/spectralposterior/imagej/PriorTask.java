package org.spectralposterior.imagej;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.prior.ColourPrior;
import org.spectralposterior.core.prior.ColourPriorEstimator;
import org.spectralposterior.core.prior.GaussianPrior;
import org.spectralposterior.core.prior.PriorEstimator;
import org.spectralposterior.core.prior.PriorEstimator.Estimator;

/**
 * Build Gaussian Prior: estimates a prior from the image's rectangular ROI (or the whole image)
 * and returns it as a prior image titled {@code <image>_prior}.
 * <ul>
 * <li>{@code adsn}: the current plane inside the ROI is the one exemplar.</li>
 * <li>{@code periodogram}: every slice and frame inside the ROI, plus every rectangle of the
 * image's overlay that has the ROI's size (several ROIs of one texture), is an exemplar.</li>
 * </ul>
 * A multichannel image gives one prior per channel (a prior image with as many channels), or with
 * {@code colour_model=cross-channel} (the default for RGB) one colour prior with cross-spectra.
 */
public final class PriorTask {

	private PriorTask() {}

	/** The choices of {@code colour_model}. */
	public static final String AUTO = "auto", CROSS_CHANNEL = PriorImage.CROSS_CHANNEL, PER_CHANNEL = "per channel";

	public static final String[] COLOUR_MODELS = { AUTO, CROSS_CHANNEL, PER_CHANNEL };

	public static TaskResult run(final ImagePlus image, final String estimatorName, final int targetWidth, final int targetHeight, final Progress progress) {
		return run(image, estimatorName, targetWidth, targetHeight, AUTO, progress);
	}

	/**
	 * With {@code colourModel}: {@code cross-channel} estimates the channels' cross-spectra (a
	 * {@link ColourPrior}), {@code per channel} one independent prior per channel, {@code auto} the
	 * first for RGB images and the second for other multichannel images (whose channels are usually
	 * different stains, not colours of one scene).
	 */
	public static TaskResult run(final ImagePlus original, final String estimatorName, final int targetWidth, final int targetHeight, final String colourModel, final Progress progress) {
		final boolean rgb = original != null && original.getType() == ImagePlus.COLOR_RGB;
		final ImagePlus image = Planes.channels(original);
		Planes.checkReadable(image, "input");
		final String model = colourModel == null || colourModel.isBlank() ? AUTO : colourModel.trim().toLowerCase(java.util.Locale.ROOT);
		if (!java.util.Arrays.asList(COLOUR_MODELS).contains(model)) {
			throw new IllegalArgumentException("colour_model must be auto, cross-channel or per channel, got '" + colourModel + "'.");
		}
		final boolean colour = model.equals(CROSS_CHANNEL) || (model.equals(AUTO) && rgb);
		if (colour && image.getNChannels() < 2) {
			throw new IllegalArgumentException("colour_model=cross-channel needs an image with several channels (RGB or a multichannel composite); '" + image.getTitle() + "' has one. Use colour_model=auto.");
		}
		final Estimator estimator = Estimator.parse(estimatorName);
		final Rectangle roi = roiOf(image);
		final List<Rectangle> rects = new ArrayList<>();
		rects.add(roi);
		if (estimator != Estimator.ADSN) rects.addAll(overlayRectangles(image, roi));
		final int tw = targetWidth <= 0 ? image.getWidth() : targetWidth;
		final int th = targetHeight <= 0 ? image.getHeight() : targetHeight;
		final int nc = image.getNChannels();
		final long perChannel = estimator == Estimator.ADSN ? 1 : (long) image.getNSlices() * image.getNFrames();
		// A colour prior keeps C² complex blocks and their eigenvectors per frequency, about 4C² reals.
		MemoryBudget.prior(roi.width, roi.height, perChannel * rects.size() * (colour ? nc : 1), colour ? 4L * nc * nc : nc, tw, th, estimator == Estimator.SMOOTHED).check();
		final List<GaussianPrior> priors = new ArrayList<>();
		final Map<String, String> provenance = new LinkedHashMap<>();
		provenance.put("estimator", estimator.key);
		provenance.put("source", image.getTitle());
		provenance.put("roi", roi.x + "," + roi.y + "," + roi.width + "," + roi.height);
		final String shapeNote = nonRectangularNote(image, roi);
		if (shapeNote != null) provenance.put("roi_note", shapeNote);
		if (colour) return colour(image, estimator, rects, roi, tw, th, provenance, progress);
		// One prior per channel: channels of a hyperstack are different quantities.
		for (int c = 1; c <= nc; c++) {
			final List<double[]> exemplars = new ArrayList<>();
			double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
			for (final int index : planesOf(image, c, estimator)) {
				for (final Rectangle r : rects) {
					progress.checkCancelled();
					final double[] x = Planes.read(image, index, r);
					for (final double v : x) {
						lo = Math.min(lo, v);
						hi = Math.max(hi, v);
					}
					exemplars.add(x);
				}
			}
			priors.add(estimator == Estimator.SMOOTHED ? PriorEstimator.smoothed(exemplars, roi.height, roi.width, th, tw)
				: PriorEstimator.periodogram(exemplars, roi.height, roi.width, th, tw));
			progress.update(c, nc);
			final String suffix = c == 1 ? "" : "_c" + c;
			provenance.put("exemplars" + suffix, Integer.toString(exemplars.size()));
			// The exemplars' intensity range: the "auto" data range that maps images to [-1, 1].
			provenance.put("data_min" + suffix, Double.toString(lo));
			provenance.put("data_max" + suffix, Double.toString(hi));
		}
		final ImagePlus out = PriorImage.create(Planes.baseTitle(image) + "_prior", priors, image, provenance);
		return noted(new TaskResult().addImage(TaskResult.PRIOR, out), shapeNote);
	}

	/** The cross-channel prior: each exemplar is the C channels of one plane (z, t) inside one rectangle. */
	private static TaskResult colour(final ImagePlus image, final Estimator estimator, final List<Rectangle> rects, final Rectangle roi, final int tw, final int th,
		final Map<String, String> provenance, final Progress progress) {
		final int nc = image.getNChannels();
		final List<List<Integer>> perChannel = new ArrayList<>();
		for (int c = 1; c <= nc; c++) perChannel.add(planesOf(image, c, estimator));
		final List<double[][]> exemplars = new ArrayList<>();
		final double[] lo = new double[nc], hi = new double[nc];
		java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
		java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
		for (int plane = 0; plane < perChannel.get(0).size(); plane++) {
			for (final Rectangle r : rects) {
				progress.checkCancelled();
				final double[][] x = new double[nc][];
				for (int c = 0; c < nc; c++) {
					x[c] = Planes.read(image, perChannel.get(c).get(plane), r);
					for (final double v : x[c]) {
						lo[c] = Math.min(lo[c], v);
						hi[c] = Math.max(hi[c], v);
					}
				}
				exemplars.add(x);
			}
		}
		final ColourPrior prior = ColourPriorEstimator.estimate(estimator, exemplars, roi.height, roi.width, th, tw);
		provenance.put("exemplars", Integer.toString(estimator == Estimator.ADSN ? 1 : exemplars.size()));
		for (int c = 1; c <= nc; c++) {
			final String suffix = c == 1 ? "" : "_c" + c;
			provenance.put("data_min" + suffix, Double.toString(lo[c - 1]));
			provenance.put("data_max" + suffix, Double.toString(hi[c - 1]));
		}
		progress.update(1, 1);
		return noted(new TaskResult().addImage(TaskResult.PRIOR, PriorImage.createColour(Planes.baseTitle(image) + "_prior", prior, provenance)), provenance.get("roi_note"));
	}

	/** Stack indices of channel c used as exemplars: the current slice/frame (adsn) or all of them. */
	private static List<Integer> planesOf(final ImagePlus image, final int c, final Estimator estimator) {
		final List<Integer> out = new ArrayList<>();
		if (estimator == Estimator.ADSN) {
			out.add(image.getStackIndex(c, image.getSlice(), image.getFrame()));
			return out;
		}
		for (int t = 1; t <= image.getNFrames(); t++) {
			for (int z = 1; z <= image.getNSlices(); z++) out.add(image.getStackIndex(c, z, t));
		}
		return out;
	}

	/** The rectangle to learn from: the ROI's bounds if there is an area ROI, else the whole image. */
	static Rectangle roiOf(final ImagePlus image) {
		final Roi roi = image.getRoi();
		if (roi == null || !roi.isArea()) return new Rectangle(0, 0, image.getWidth(), image.getHeight());
		return checkInside(roi.getBounds(), image);
	}

	/**
	 * A stationary model is learnt from a rectangle (its periodic component, its periodogram): a
	 * non-rectangular selection cannot be used as it is. Its bounding box is used, and the user is told
	 * (the log, and the prior's Info), rather than the shape being dropped silently.
	 */
	static String nonRectangularNote(final ImagePlus image, final Rectangle box) {
		final Roi roi = image.getRoi();
		if (roi == null || !roi.isArea() || roi.getType() == Roi.RECTANGLE && roi.getCornerDiameter() == 0) return null;
		return "the " + roi.getTypeAsString().toLowerCase(java.util.Locale.ROOT) + " selection on '" + image.getTitle() + "' is not a rectangle; the prior was learnt from its bounding box "
			+ box.x + "," + box.y + "," + box.width + "," + box.height + " (draw a rectangle inside the texture to learn from exactly that region).";
	}

	private static TaskResult noted(final TaskResult r, final String note) {
		return note == null ? r : r.addNote(note);
	}

	static Rectangle checkInside(final Rectangle r, final ImagePlus image) {
		if (r.x < 0 || r.y < 0 || r.x + r.width > image.getWidth() || r.y + r.height > image.getHeight() || r.width <= 0 || r.height <= 0) {
			throw new IllegalArgumentException("The ROI " + r.x + "," + r.y + "," + r.width + "," + r.height + " lies (partly) outside the " + image.getWidth() + "×" + image.getHeight()
				+ " image; draw it inside the image.");
		}
		if (r.width < PriorEstimator.MIN_SIDE || r.height < PriorEstimator.MIN_SIDE) {
			throw new IllegalArgumentException("The ROI is " + r.width + "×" + r.height + " pixels; a prior needs at least " + PriorEstimator.MIN_SIDE + "×" + PriorEstimator.MIN_SIDE
				+ ". Draw a larger rectangle.");
		}
		return r;
	}

	private static List<Rectangle> overlayRectangles(final ImagePlus image, final Rectangle roi) {
		final List<Rectangle> out = new ArrayList<>();
		final Overlay overlay = image.getOverlay();
		if (overlay == null) return out;
		for (final Roi r : overlay.toArray()) {
			final Rectangle b = r.getBounds();
			if (r.isArea() && b.width == roi.width && b.height == roi.height && !b.equals(roi)) out.add(checkInside(b, image));
		}
		return out;
	}
}
