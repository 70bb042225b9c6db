package org.spectralposterior.core.fourier;

/**
 * Layout of the spectrum of a real H×W image (MATH §1.2): only the half plane of columns
 * {@code 0..W/2} is stored, row-major, {@code cols = W/2 + 1} entries per row, complex values
 * interleaved (re, im). Index {@code i = row * cols + col} addresses per-frequency real
 * arrays (λ, ρ, p, s²); {@code 2i, 2i+1} address complex arrays.
 * <p>
 * The missing half is implied by Hermitian symmetry {@code X(-k) = conj(X(k))}. Sums over
 * all d frequencies (W2, MSE, traces) weight each stored entry by {@link #multiplicity(int)}:
 * 1 for columns 0 and (W even) W/2, whose entries pair up inside the stored half, else 2.
 */
public final class HalfPlane {

	public final int height;
	public final int width;
	/** Stored columns: {@code width / 2 + 1}. */
	public final int cols;
	/** Number of stored frequencies: {@code height * cols}. */
	public final int size;
	/** Number of pixels d = height * width. */
	public final int pixels;

	private final double[] multiplicity;

	/** The longest Java array the JVMs we run on allocate (a few header words below Integer.MAX_VALUE). */
	public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

	public HalfPlane(final int height, final int width) {
		checkSize(height, width, "crop or bin it (Image › Scale) below about 46000×46000 pixels");
		this.height = height;
		this.width = width;
		this.cols = width / 2 + 1;
		this.size = height * cols;
		this.pixels = height * width;
		multiplicity = new double[size];
		for (int r = 0; r < height; r++) {
			for (int c = 0; c < cols; c++) {
				final boolean paired = c == 0 || (width % 2 == 0 && c == width / 2);
				multiplicity[r * cols + c] = paired ? 1 : 2;
			}
		}
	}

	/**
	 * Refuses sizes whose arrays Java cannot hold: the complex half-plane spectrum (2·H·(W/2 + 1)
	 * doubles) is the longest array any computation on an H×W image makes, so an image passing this
	 * test also has H·W pixels within an int and a float/double array. Computed in long because the
	 * products overflow an int first (65536×65537). Returns the number of stored frequencies.
	 *
	 * @param fix the way out, ending the message (the caller knows which size the user chose)
	 */
	public static long checkSize(final long height, final long width, final String fix) {
		if (height < 1 || width < 1) throw new IllegalArgumentException("Image size must be positive, got " + width + "×" + height);
		final long values = 2 * height * (width / 2 + 1);
		if (values > MAX_ARRAY || height * width > MAX_ARRAY) {
			throw new IllegalArgumentException("The image is too large: " + width + "×" + height + " needs a spectrum of " + values + " values, above Java's array limit of " + MAX_ARRAY
				+ "; " + fix + ".");
		}
		return height * (width / 2 + 1);
	}

	/** How many of the d frequencies the stored entry {@code i} stands for (1 or 2). */
	public double multiplicity(final int i) {
		return multiplicity[i];
	}

	/** Shared read-only multiplicity array; callers must not write to it. */
	public double[] multiplicities() {
		return multiplicity;
	}

	/** Signed integer frequency along rows (fftfreq·H): in {@code -H/2 .. (H-1)/2}. */
	public int freqRow(final int i) {
		final int r = i / cols;
		return r <= height / 2 ? (r == height / 2 && height % 2 == 0 ? -r : r) : r - height;
	}

	/** Signed integer frequency along columns (fftfreq·W), non-negative except W/2 for even W. */
	public int freqCol(final int i) {
		final int c = i % cols;
		return (width % 2 == 0 && c == width / 2) ? -c : c;
	}

	/**
	 * Σ_k f_k over all d frequencies, for a symmetric per-frequency quantity stored on the half
	 * plane (MATH §1.2 rule).
	 */
	public double sumAll(final double[] perFrequency) {
		double s = 0;
		for (int i = 0; i < size; i++) s += multiplicity[i] * perFrequency[i];
		return s;
	}

	/** True for self-conjugate frequencies (2k ≡ 0), whose coefficients of real images are real. */
	public boolean selfConjugate(final int i) {
		final int r = i / cols, c = i % cols;
		final boolean rowSelf = r == 0 || (height % 2 == 0 && r == height / 2);
		final boolean colSelf = c == 0 || (width % 2 == 0 && c == width / 2);
		return rowSelf && colSelf;
	}

	/** Stored index of the conjugate partner of a column-0 or column-W/2 entry (rows r ↔ H−r). */
	public int partnerInColumn(final int i) {
		final int r = i / cols, c = i % cols;
		return ((height - r) % height) * cols + c;
	}

	public boolean sameShape(final HalfPlane o) {
		return o.height == height && o.width == width;
	}

	@Override
	public String toString() {
		return width + "×" + height;
	}
}
