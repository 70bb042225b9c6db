package org.spectralposterior.core.operator;

import org.spectralposterior.core.fourier.HalfPlane;

/**
 * The aliasing groups of super-resolution A = S_r C (MATH §3.1) on half planes. The high-resolution
 * (HR) grid is H×W, the low-resolution (LR) one h×w = H/r × W/r. In unitary coordinates,
 * (A x)^_{k'} = Σ_{j ∈ G(k')} a_j X_j with a_j = c_j/r over the group G(k') = {k' + (a h, b w)} of the
 * r² HR frequencies that decimation folds onto the LR frequency k' (c the unnormalised DFT of the
 * blur kernel). One group per stored LR frequency: a group of a stored LR frequency stands for its
 * conjugate group too (the LR half plane's multiplicity), exactly as a stored frequency does.
 * <p>
 * Only half planes are stored, so a member j of a group may be kept as the conjugate of −j: then
 * X_j = conj(X_{−j}) and c_j = conj(c_{−j}). {@link #member} gives the stored index, {@link #conj}
 * whether to conjugate. Conversely every stored HR frequency belongs to one full-grid LR frequency,
 * stored either as itself or as the conjugate of a stored one ({@link #groupOf}, {@link #groupConj}).
 */
public final class AliasingGroups {

	public final HalfPlane hr, lr;
	public final int r;
	/** Members per group: r². */
	public final int d;
	/** Per group g (stored LR index) and member i: the stored HR index, and whether it is conjugated. */
	private final int[] member;
	private final boolean[] conj;
	/** a_j = c_j/r per group and member, as the group sees it (conjugated where the member is), interleaved. */
	private final double[] a;
	/** Per stored HR index: its group (stored LR index), whether that group is stored as its conjugate, and its place in the group. */
	private final int[] groupOf, place;
	private final boolean[] groupConj;
	/** ‖a‖² = AA* per group. */
	private final double[] aa;

	public AliasingGroups(final BlurOperator blur, final int factor) {
		hr = blur.plane();
		r = factor;
		if (factor < 1 || hr.height % factor != 0 || hr.width % factor != 0) {
			throw new IllegalArgumentException("The high-resolution grid " + hr + " is not a multiple of the factor " + factor + "; crop it to a multiple of " + factor + ".");
		}
		lr = new HalfPlane(hr.height / factor, hr.width / factor);
		d = factor * factor;
		member = new int[lr.size * d];
		conj = new boolean[lr.size * d];
		a = new double[2 * lr.size * d];
		aa = new double[lr.size];
		groupOf = new int[hr.size];
		place = new int[hr.size];
		groupConj = new boolean[hr.size];
		java.util.Arrays.fill(groupOf, -1);
		final double[] c = blur.transfer();
		final int hH = hr.height, hW = hr.width, lH = lr.height, lW = lr.width;
		for (int g = 0; g < lr.size; g++) {
			final int ky = g / lr.cols, kx = g % lr.cols;
			double norm = 0;
			for (int ay = 0; ay < r; ay++) {
				for (int bx = 0; bx < r; bx++) {
					final int i = ay * r + bx, jy = ky + ay * lH, jx = kx + bx * lW;
					final int idx;
					final boolean cj = jx >= hr.cols;
					// A column beyond W/2 is stored as the conjugate of (−jy, W − jx).
					idx = cj ? ((hH - jy) % hH) * hr.cols + (hW - jx) : jy * hr.cols + jx;
					member[g * d + i] = idx;
					conj[g * d + i] = cj;
					final double re = c[2 * idx] / r, im = (cj ? -1 : 1) * c[2 * idx + 1] / r;
					a[2 * (g * d + i)] = re;
					a[2 * (g * d + i) + 1] = im;
					norm += re * re + im * im;
				}
			}
			aa[g] = norm;
		}
		for (int j = 0; j < hr.size; j++) {
			final int jy = j / hr.cols, jx = j % hr.cols;
			final int ly = jy % lH, lx = jx % lW;
			final boolean cj = lx >= lr.cols;
			final int g = cj ? ((lH - ly) % lH) * lr.cols + (lW - lx) : ly * lr.cols + lx;
			groupOf[j] = g;
			groupConj[j] = cj;
			// j's place in its own (full-grid) group; for a conjugated group, −j is the member.
			final int my = cj ? ((hH - jy) % hH) : jy, mx = cj ? (hW - jx) % hW : jx;
			place[j] = (my / lH) * r + mx / lW;
		}
	}

	public int member(final int group, final int i) {
		return member[group * d + i];
	}

	public boolean conj(final int group, final int i) {
		return conj[group * d + i];
	}

	public double aRe(final int group, final int i) {
		return a[2 * (group * d + i)];
	}

	public double aIm(final int group, final int i) {
		return a[2 * (group * d + i) + 1];
	}

	/** AA* = ‖a‖² of the group. */
	public double aa(final int group) {
		return aa[group];
	}

	public int groupOf(final int hrIndex) {
		return groupOf[hrIndex];
	}

	public boolean groupConj(final int hrIndex) {
		return groupConj[hrIndex];
	}

	/** The member position of HR index j in its group (of −j when the group is conjugated). */
	public int place(final int hrIndex) {
		return place[hrIndex];
	}

	/** Gathers a group's members from an HR half-plane spectrum into {@code out} (2·d doubles, the group's view). */
	public void gather(final int group, final double[] spectrum, final double[] out) {
		for (int i = 0; i < d; i++) {
			final int idx = member[group * d + i];
			out[2 * i] = spectrum[2 * idx];
			out[2 * i + 1] = conj[group * d + i] ? -spectrum[2 * idx + 1] : spectrum[2 * idx + 1];
		}
	}

	/** Writes a group's members (the group's view) back into an HR half-plane spectrum. */
	public void scatter(final int group, final double[] values, final double[] spectrum) {
		for (int i = 0; i < d; i++) {
			final int idx = member[group * d + i];
			spectrum[2 * idx] = values[2 * i];
			spectrum[2 * idx + 1] = conj[group * d + i] ? -values[2 * i + 1] : values[2 * i + 1];
		}
	}

	/** (A x)^ on the LR half plane from x's HR half-plane spectrum: Σ_j a_j X_j per group. */
	public void forward(final double[] x, final double[] out) {
		for (int g = 0; g < lr.size; g++) {
			double re = 0, im = 0;
			for (int i = 0; i < d; i++) {
				final int idx = member[g * d + i];
				final double xr = x[2 * idx], xi = conj[g * d + i] ? -x[2 * idx + 1] : x[2 * idx + 1];
				final double ar = a[2 * (g * d + i)], ai = a[2 * (g * d + i) + 1];
				re += ar * xr - ai * xi;
				im += ar * xi + ai * xr;
			}
			out[2 * g] = re;
			out[2 * g + 1] = im;
		}
	}
}
