package org.spectralposterior.core.diffusion;

import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The affine map of intensities [lo, hi] → [−1, 1] that trained diffusion models assume: y = (x − mid)/half.
 * The prior (mean, spectrum), the measurement and its noise transform with it; because blur kernels sum
 * to 1, A commutes with the offset. The exact posterior is equivariant under this map, the diffusion
 * samplers are not (their injected noise has a fixed scale), which is why the range matters.
 */
public record IntensityMap(double lo, double hi) {

	public IntensityMap {
		if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) throw new IllegalArgumentException("data_range must be lo,hi with lo < hi, got " + lo + "," + hi + ".");
	}

	/** "auto" → the given exemplar range; otherwise "lo,hi". */
	public static IntensityMap parse(final String s, final double autoLo, final double autoHi) {
		return Range.parse(s).resolve(autoLo, autoHi);
	}

	/**
	 * A data_range choice, read once from its text: the prior's exemplar range ({@link #AUTO}, which
	 * only a prior can resolve) or a fixed map.
	 */
	public record Range(IntensityMap fixed) {

		public static final Range AUTO = new Range(null);

		/** "auto" (or blank) or "lo,hi". */
		public static Range parse(final String s) {
			if (s == null || s.isBlank() || s.trim().equalsIgnoreCase("auto")) return AUTO;
			final String[] p = s.split(",");
			if (p.length != 2) throw new IllegalArgumentException("data_range must be auto or lo,hi (e.g. 0,255), got '" + s + "'.");
			try {
				return new Range(new IntensityMap(Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim())));
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("data_range must be auto or two numbers lo,hi, got '" + s + "'.");
			}
		}

		public static Range of(final double lo, final double hi) {
			return new Range(new IntensityMap(lo, hi));
		}

		public boolean auto() {
			return fixed == null;
		}

		/** The map, with [autoLo, autoHi] standing for auto. */
		public IntensityMap resolve(final double autoLo, final double autoHi) {
			if (fixed != null) return fixed;
			if (!(autoHi > autoLo)) throw new IllegalArgumentException("data_range=auto needs the prior's exemplar range, which is empty; give data_range=lo,hi (e.g. 0,255).");
			return new IntensityMap(autoLo, autoHi);
		}
	}

	public double mid() {
		return (lo + hi) / 2;
	}

	/** Half the range: one unit in [−1, 1] is this many image units. */
	public double half() {
		return (hi - lo) / 2;
	}

	public double toUnit(final double x) {
		return (x - mid()) / half();
	}

	public double fromUnit(final double y) {
		return mid() + half() * y;
	}

	public void toUnit(final double[] x) {
		for (int i = 0; i < x.length; i++) x[i] = toUnit(x[i]);
	}

	public void fromUnit(final double[] y) {
		for (int i = 0; i < y.length; i++) y[i] = fromUnit(y[i]);
	}

	public GaussianPrior toUnit(final GaussianPrior prior) {
		final double s = 1 / (half() * half());
		final double[] l = prior.spectrum().values().clone();
		for (int i = 0; i < l.length; i++) l[i] *= s;
		return new GaussianPrior(toUnit(prior.mean()), new Spectrum(prior.plane(), l));
	}

	public double noiseToUnit(final double sigma) {
		return sigma / half();
	}

	@Override
	public String toString() {
		return "[" + lo + ", " + hi + "] → [−1, 1]";
	}
}
