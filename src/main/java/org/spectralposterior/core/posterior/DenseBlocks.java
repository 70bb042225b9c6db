package org.spectralposterior.core.posterior;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.operator.AliasingGroups;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.prior.ColourPrior;

/**
 * A linear-Gaussian problem v = A x + σ n that is block-diagonal in Fourier with small dense complex
 * blocks (MATH §7.4): block b has n unknowns X_b, m measurements V_b = A_b X_b + σ N_b, prior
 * X_b ~ N(M_b, Λ_b) (Λ_b n×n Hermitian PSD; M_b non-zero only on block 0, which holds the DC: the
 * prior mean is constant), and stands for {@code multiplicity(b)} of the full grid's blocks (itself
 * and, unless it is self-conjugate, its conjugate), as a stored half-plane frequency does (MATH §1.2).
 * <p>
 * {@link #colour}: a C-channel image with a cross-channel prior ({@link ColourPrior}), blurred by one
 * kernel per channel h_c and decimated by r. Block b is the stored LR frequency k' (its aliasing group
 * G(k') of r² HR frequencies, MATH §3.1) across the channels: unknown (c, i) = channel c at member i,
 * index c·r² + i, so n = C·r² and m = C; A_b[c, (c, i)] = c^{(c)}_i / r, and Λ_b[(c, i), (e, l)] =
 * δ_il Σ_ce(k_i) — members of a group are distinct frequencies of a real stationary field, hence
 * uncorrelated, and a member stored as the conjugate of −k_i carries conj(Σ(−k_i)) = Σ(k_i).
 * With r = 1 this is the colour blur with one PSF per channel, A_k = diag(h_c(k)).
 * <p>
 * Arrays: Λ at b·2n², A at b·2mn, AA* at b·2m² (interleaved row-major, {@link ComplexDense}); the mean
 * of block 0 as 2n doubles.
 */
public final class DenseBlocks {

	public final int count, n, m;
	public final double sigma;
	private final double[] lam, a, aat, mean0, multiplicity;
	/** The image layout of {@link #colour} (null for a problem given as blocks). */
	private final int channels;
	private final AliasingGroups[] groups;

	/** A problem given directly as blocks (arrays owned by this object, layouts as in the class comment). */
	public DenseBlocks(final int count, final int n, final int m, final double[] lam, final double[] a, final double[] mean0, final double[] multiplicity, final double sigma) {
		this(count, n, m, lam, a, mean0, multiplicity, sigma, 0, null);
	}

	private DenseBlocks(final int count, final int n, final int m, final double[] lam, final double[] a, final double[] mean0, final double[] multiplicity, final double sigma,
		final int channels, final AliasingGroups[] groups) {
		if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise_sigma must be a finite number ≥ 0, got " + sigma);
		if (lam.length != 2L * count * n * n || a.length != 2L * count * m * n || mean0.length != 2 * n || multiplicity.length != count) {
			throw new IllegalArgumentException("Block arrays do not match " + count + " blocks of " + n + " unknowns and " + m + " measurements");
		}
		this.count = count;
		this.n = n;
		this.m = m;
		this.lam = lam;
		this.a = a;
		this.mean0 = mean0;
		this.multiplicity = multiplicity;
		this.sigma = sigma;
		this.channels = channels;
		this.groups = groups;
		aat = new double[2 * count * m * m];
		for (int b = 0; b < count; b++) ComplexDense.mult(a, aOffset(b), false, a, aOffset(b), true, aat, 2 * b * m * m, m, n, m, false);
	}

	/**
	 * Colour super-resolution by {@code factor} with one blur per channel ({@code blurs.length} = C) or
	 * one shared by all ({@code blurs.length} = 1); factor 1 is the colour blur with a PSF per channel.
	 */
	public static DenseBlocks colour(final ColourPrior prior, final BlurOperator[] blurs, final int factor, final double sigma) {
		final int cc = prior.channels();
		if (blurs.length != 1 && blurs.length != cc) throw new IllegalArgumentException("Give one blur per channel (" + cc + ") or one for all, got " + blurs.length + ".");
		final HalfPlane hr = prior.plane();
		final AliasingGroups[] gr = new AliasingGroups[cc];
		for (int c = 0; c < cc; c++) {
			final BlurOperator blur = blurs[blurs.length == 1 ? 0 : c];
			if (!hr.sameShape(blur.plane())) throw new IllegalArgumentException("The prior is " + hr + " but the blur of channel " + (c + 1) + " is " + blur.plane() + ".");
			gr[c] = c > 0 && blurs.length == 1 ? gr[0] : new AliasingGroups(blur, factor);
		}
		final HalfPlane lr = gr[0].lr;
		final int d = gr[0].d, n = cc * d, count = lr.size;
		final double[] lam = new double[2 * count * n * n], a = new double[2 * count * cc * n], mean0 = new double[2 * n], mult = new double[count];
		for (int b = 0; b < count; b++) {
			mult[b] = lr.multiplicity(b);
			final int lo = 2 * b * n * n, ao = 2 * b * cc * n;
			for (int i = 0; i < d; i++) {
				final int k = gr[0].member(b, i);
				final double sign = gr[0].conj(b, i) ? -1 : 1;
				for (int c = 0; c < cc; c++) {
					a[ao + 2 * (c * n + c * d + i)] = gr[c].aRe(b, i);
					a[ao + 2 * (c * n + c * d + i) + 1] = gr[c].aIm(b, i);
					for (int e = 0; e < cc; e++) {
						final int o = lo + 2 * ((c * d + i) * n + e * d + i);
						lam[o] = prior.re(k, c, e);
						lam[o + 1] = sign * prior.im(k, c, e);
					}
				}
			}
		}
		// M = F(m_c 1) is sqrt(D)·m_c at the HR DC, member 0 of LR block 0, in every channel.
		final double root = Math.sqrt(hr.pixels);
		for (int c = 0; c < cc; c++) mean0[2 * c * d] = root * prior.mean(c);
		return new DenseBlocks(count, n, cc, lam, a, mean0, mult, sigma, cc, gr);
	}

	public int lamOffset(final int b) {
		return 2 * b * n * n;
	}

	public int aOffset(final int b) {
		return 2 * b * m * n;
	}

	public int aatOffset(final int b) {
		return 2 * b * m * m;
	}

	/** Read-only views (layouts in the class comment). */
	public double[] lam() {
		return lam;
	}

	public double[] a() {
		return a;
	}

	public double[] aat() {
		return aat;
	}

	/** M of block 0 (2n doubles); every other block's mean is 0. */
	public double[] mean0() {
		return mean0;
	}

	public double multiplicity(final int b) {
		return multiplicity[b];
	}

	/** The channel count of a {@link #colour} problem (0 for a problem given as blocks). */
	public int channels() {
		return channels;
	}

	/** The HR (unknown) and LR (measurement) half planes of a {@link #colour} problem. */
	public HalfPlane hr() {
		return layout().hr;
	}

	public HalfPlane lr() {
		return layout().lr;
	}

	/** The aliasing groups of channel 0: the members and their conjugation, shared by every channel. */
	AliasingGroups groups() {
		return layout();
	}

	private AliasingGroups layout() {
		if (groups == null) throw new IllegalStateException("This problem was given as blocks; it has no image layout.");
		return groups[0];
	}

	/** The measurement's blocks V_b (2m per block, at b·2m) from C LR channel images. */
	public double[] measurementBlocks(final double[][] measurement) {
		final HalfPlane lr = lr();
		if (measurement.length != channels) throw new IllegalArgumentException("The measurement has " + measurement.length + " channels but the prior has " + channels + ".");
		final double[] out = new double[2 * count * m];
		for (int c = 0; c < channels; c++) {
			final double[] v = GroupLaw.lrSpectrum(lr, measurement[c]);
			for (int b = 0; b < count; b++) {
				out[2 * (b * m + c)] = v[2 * b];
				out[2 * (b * m + c) + 1] = v[2 * b + 1];
			}
		}
		return out;
	}

	/** The blocks X_b (2n per block, at b·2n) of C HR channel images. */
	public double[] imageBlocks(final double[][] images) {
		final RealFft2 fft = new RealFft2(layout().hr);
		final double[] out = new double[2 * count * n];
		imageBlocks(images, fft, fft.newSpectrum(), out);
		return out;
	}

	/** As above into {@code out}, with the caller's transform and spectrum buffer (a stepper calls it every step). */
	public void imageBlocks(final double[][] images, final RealFft2 fft, final double[] spec, final double[] out) {
		final AliasingGroups g = layout();
		final double[] z = new double[2 * g.d];
		for (int c = 0; c < channels; c++) {
			fft.forward(images[c], spec);
			for (int b = 0; b < count; b++) {
				g.gather(b, spec, z);
				System.arraycopy(z, 0, out, 2 * (b * n + c * g.d), 2 * g.d);
			}
		}
	}

	/** C HR channel images from blocks X_b (2n per block): the inverse of {@link #imageBlocks}. */
	public double[][] images(final double[] blocks) {
		final AliasingGroups g = layout();
		final RealFft2 fft = new RealFft2(g.hr);
		final double[][] out = new double[channels][g.hr.pixels];
		final double[] spec = fft.newSpectrum(), z = new double[2 * g.d];
		for (int c = 0; c < channels; c++) {
			for (int b = 0; b < count; b++) {
				System.arraycopy(blocks, 2 * (b * n + c * g.d), z, 0, 2 * g.d);
				g.scatter(b, z, spec);
			}
			fft.inverse(spec, out[c]);
		}
		return out;
	}
}
