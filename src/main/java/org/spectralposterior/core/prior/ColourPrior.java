package org.spectralposterior.core.prior;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.Spectrum;

/**
 * Stationary Gaussian prior on C-channel images (colour): channel c has the constant mean m_c, and
 * the unitary spectra X_c(k) of the channels are jointly Gaussian with the C×C Hermitian
 * cross-spectrum Σ(k) = E[(X(k) − M(k)) (X(k) − M(k))*], independent across frequencies up to the
 * Hermitian pairing of a real image, which forces Σ(−k) = conj(Σ(k)). Σ_cc(k) is channel c's own
 * spectrum λ_c(k) of {@link GaussianPrior}; the off-diagonal terms are what the per-channel model
 * drops. Blocks are stored on the half plane, C×C complex row-major interleaved, block k at
 * {@code k·2C²}.
 * <p>
 * The constructor makes the blocks exactly what a real stationary field allows: Hermitian, real
 * at the self-conjugate frequencies, conjugate between the two stored members of a column-0 or
 * column-W/2 pair (the canonical member, row r < H − r, wins), and positive semi-definite (negative
 * eigenvalues of rounding are clamped — a rank-one ADSN block is PSD only up to rounding).
 */
public final class ColourPrior {

	private final HalfPlane plane;
	private final int channels;
	private final double[] mean;
	private final double[] blocks;
	/** Per frequency: eigenvalues of Σ(k), decreasing (C each), and U(k) (C×C interleaved). */
	private final double[] eigenvalues, eigenvectors;

	/** Takes ownership of {@code blocks}; {@code mean} has one entry per channel. */
	public ColourPrior(final HalfPlane plane, final double[] mean, final double[] blocks) {
		channels = mean.length;
		if (channels < 2) throw new IllegalArgumentException("A colour prior needs at least 2 channels, got " + channels);
		if (blocks.length != (long) plane.size * 2 * channels * channels) throw new IllegalArgumentException("Cross-spectrum array does not match the " + plane + " half plane with " + channels + " channels");
		for (final double m : mean) if (!Double.isFinite(m)) throw new IllegalArgumentException("The prior mean must be finite, got " + m);
		for (final double b : blocks) if (!Double.isFinite(b)) throw new IllegalArgumentException("The cross-spectrum contains NaN or infinite values");
		this.plane = plane;
		this.mean = mean.clone();
		this.blocks = blocks;
		eigenvalues = new double[plane.size * channels];
		eigenvectors = new double[blocks.length];
		regularise();
	}

	public HalfPlane plane() {
		return plane;
	}

	public int channels() {
		return channels;
	}

	public double mean(final int c) {
		return mean[c];
	}

	public double[] means() {
		return mean.clone();
	}

	/** The blocks (read-only), block k at {@link #offset}. */
	public double[] blocks() {
		return blocks;
	}

	public int offset(final int k) {
		return k * 2 * channels * channels;
	}

	/** Re Σ_cd(k). */
	public double re(final int k, final int c, final int d) {
		return blocks[offset(k) + 2 * (c * channels + d)];
	}

	/** Im Σ_cd(k). */
	public double im(final int k, final int c, final int d) {
		return blocks[offset(k) + 2 * (c * channels + d) + 1];
	}

	/** Channel c alone: the prior the per-channel model uses for it. */
	public GaussianPrior channel(final int c) {
		final double[] l = new double[plane.size];
		for (int k = 0; k < plane.size; k++) l[k] = Math.max(0, re(k, c, c));
		return new GaussianPrior(mean[c], new Spectrum(plane, l));
	}

	/** Per-pixel variance of channel c, Σ_k Σ_cc(k)/d. */
	public double pixelVariance(final int c) {
		double s = 0;
		for (int k = 0; k < plane.size; k++) s += plane.multiplicity(k) * re(k, c, c);
		return s / plane.pixels;
	}

	/**
	 * The same prior in other intensity units, x ↦ (x − centre)/half on every channel (one map for
	 * all channels, so that white noise stays white across channels).
	 */
	public ColourPrior affine(final double centre, final double half) {
		final double[] m = new double[channels];
		for (int c = 0; c < channels; c++) m[c] = (mean[c] - centre) / half;
		final double[] b = blocks.clone();
		final double f = 1 / (half * half);
		for (int i = 0; i < b.length; i++) b[i] *= f;
		return new ColourPrior(plane, m, b);
	}

	/** The basis of eigen-channels: Σ(k) = U(k) diag(λ(k)) U(k)*, computed once with the blocks. */
	public ColourBasis basis() {
		return new ColourBasis(this, eigenvalues, eigenvectors);
	}

	private void regularise() {
		final int n = channels, len = 2 * n * n;
		final org.spectralposterior.core.metric.HermitianEigen eig = new org.spectralposterior.core.metric.HermitianEigen(n);
		final double[] lambda = eigenvalues, u = eigenvectors;
		for (int k = 0; k < plane.size; k++) {
			if (pairedPartner(k)) continue;
			final int o = offset(k);
			final boolean self = plane.selfConjugate(k);
			for (int i = 0; i < n; i++) {
				for (int l = i; l < n; l++) {
					final int a = o + 2 * (i * n + l), b = o + 2 * (l * n + i);
					final double re = 0.5 * (blocks[a] + blocks[b]), im = i == l || self ? 0 : 0.5 * (blocks[a + 1] - blocks[b + 1]);
					blocks[a] = blocks[b] = re;
					blocks[a + 1] = im;
					blocks[b + 1] = -im;
				}
			}
			eig.decompose(blocks, o, lambda, k * n, u, o);
			if (lambda[k * n + n - 1] < 0) {
				for (int e = 0; e < n; e++) lambda[k * n + e] = Math.max(0, lambda[k * n + e]);
				rebuild(blocks, o, lambda, k * n, u, n);
			}
		}
		for (int k = 0; k < plane.size; k++) {
			if (!pairedCanonical(k)) continue;
			final int p = offset(plane.partnerInColumn(k)), o = offset(k);
			for (int i = 0; i < len; i += 2) {
				blocks[p + i] = blocks[o + i];
				blocks[p + i + 1] = -blocks[o + i + 1];
				eigenvectors[p + i] = eigenvectors[o + i];
				eigenvectors[p + i + 1] = -eigenvectors[o + i + 1];
			}
			System.arraycopy(eigenvalues, k * n, eigenvalues, plane.partnerInColumn(k) * n, n);
		}
	}

	/** True for the canonical member (row r < H − r) of a conjugate pair stored in column 0 or W/2. */
	boolean pairedCanonical(final int k) {
		final int r = k / plane.cols, col = k % plane.cols;
		final boolean pairedColumn = col == 0 || (plane.width % 2 == 0 && col == plane.width / 2);
		return pairedColumn && r > 0 && r < plane.height - r;
	}

	/** True for the non-canonical member of a column pair: its block is the conjugate of its partner's. */
	boolean pairedPartner(final int k) {
		final int r = k / plane.cols, col = k % plane.cols;
		final boolean pairedColumn = col == 0 || (plane.width % 2 == 0 && col == plane.width / 2);
		return pairedColumn && r > 0 && r > plane.height - r;
	}

	/** Σ ← U diag(λ) U* (λ already clamped at 0). */
	private static void rebuild(final double[] b, final int o, final double[] lambda, final int lOff, final double[] u, final int n) {
		for (int i = 0; i < n; i++) {
			for (int l = 0; l < n; l++) {
				double re = 0, im = 0;
				for (int e = 0; e < n; e++) {
					final double le = lambda[lOff + e];
					final double ar = u[o + 2 * (i * n + e)], ai = u[o + 2 * (i * n + e) + 1], br = u[o + 2 * (l * n + e)], bi = -u[o + 2 * (l * n + e) + 1];
					re += le * (ar * br - ai * bi);
					im += le * (ar * bi + ai * br);
				}
				b[o + 2 * (i * n + l)] = re;
				b[o + 2 * (i * n + l) + 1] = i == l ? 0 : im;
			}
		}
	}
}
