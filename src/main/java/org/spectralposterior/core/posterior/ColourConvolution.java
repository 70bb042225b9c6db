package org.spectralposterior.core.posterior;

import java.util.List;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.prior.ColourBasis;
import org.spectralposterior.core.prior.ColourPrior;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * A colour image blurred by one PSF shared by its channels, plus white noise σ in every channel:
 * v_c = h ∗ x_c + n_c under a {@link ColourPrior}. In the eigen-channels of the prior
 * ({@link ColourBasis}) this is C independent grey problems (eigen prior e, the same h and σ), so any
 * grey law — the exact posterior, a diffusion sampler's closed form, its step-by-step samples — is
 * computed per eigen-channel and rotated back. This class holds the rotation and assembles the colour
 * quantities from the per-eigen-channel laws: means, per-channel std, W2 (a sum over eigen-channels),
 * per-channel W2 pixel maps, E_v W2 and the covariance as an operator.
 */
public final class ColourConvolution {

	private final ColourPrior prior;
	private final ColourBasis basis;
	private final BlurOperator operator;
	private final double sigma;
	private final HalfPlane plane;
	private final int n;

	public ColourConvolution(final ColourPrior prior, final BlurOperator operator, final double sigma) {
		if (!prior.plane().sameShape(operator.plane())) throw new IllegalArgumentException("The prior lives on a " + prior.plane() + " grid but the operator on " + operator.plane());
		if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("The noise level must be a finite number ≥ 0, got " + sigma);
		this.prior = prior;
		this.basis = prior.basis();
		this.operator = operator;
		this.sigma = sigma;
		this.plane = prior.plane();
		this.n = prior.channels();
	}

	public int channels() {
		return n;
	}

	public ColourPrior prior() {
		return prior;
	}

	public BlurOperator operator() {
		return operator;
	}

	public double sigma() {
		return sigma;
	}

	public GaussianPrior eigenPrior(final int e) {
		return basis.eigenPrior(e);
	}

	/** Channel images (C row-major planes) → eigen-channel images (see {@link ColourBasis#toEigenImages}). */
	public double[][] toEigen(final double[][] channelImages) {
		return basis.toEigenImages(channelImages);
	}

	public double[][] fromEigen(final double[][] eigenImages) {
		return basis.fromEigenImages(eigenImages);
	}

	/** The channel means of per-eigen-channel laws, given the eigen-channel measurement images. */
	public double[][] mean(final List<OutputLaw> laws, final double[][] eigenMeasurement) {
		final double[][] m = new double[n][];
		for (int e = 0; e < n; e++) m[e] = laws.get(e).meanImage(eigenMeasurement[e]);
		return fromEigen(m);
	}

	/** Per-channel pixel std of a law diagonal in the eigen-channels (stationary: one value per channel). */
	public double[] channelStd(final List<OutputLaw> laws) {
		final double[][] s2 = new double[n][];
		for (int e = 0; e < n; e++) s2[e] = laws.get(e).s2();
		final double[] v = basis.channelPixelVariance(s2);
		for (int c = 0; c < n; c++) v[c] = Math.sqrt(Math.max(0, v[c]));
		return v;
	}

	/** W2 between two colour laws given v: the total (summed maps) and the per-channel pixel maps. */
	public record ColourW2(Wasserstein.Result total, double[][] pixelMaps) {}

	public ColourW2 w2(final List<OutputLaw> laws, final List<OutputLaw> posteriors, final double[][] eigenMeasurement) {
		final java.util.ArrayList<Wasserstein.Result> parts = new java.util.ArrayList<>();
		for (int e = 0; e < n; e++) parts.add(Wasserstein.between(laws.get(e), posteriors.get(e), eigenMeasurement[e]));
		return assemble(parts, mean(laws, eigenMeasurement), mean(posteriors, eigenMeasurement), channelStd(laws), channelStd(posteriors));
	}

	/**
	 * The colour W2 from the eigen-channels' own results (a caller that has them, and the channel
	 * means and stds of both laws, need not compute them again): W2 parts and maps add over
	 * eigen-channels; the pixel map of channel c is sqrt(Δmean_c² + (std_c − std*_c)²).
	 */
	public ColourW2 assemble(final List<Wasserstein.Result> parts, final double[][] meanA, final double[][] meanB, final double[] stdA, final double[] stdB) {
		double meanPart = 0, covPart = 0;
		final double[] md = new double[plane.size], cd = new double[plane.size];
		for (final Wasserstein.Result r : parts) {
			meanPart += r.meanPart();
			covPart += r.covariancePart();
			for (int k = 0; k < plane.size; k++) {
				md[k] += r.meanDensity()[k];
				cd[k] += r.covarianceDensity()[k];
			}
		}
		final double[][] maps = new double[n][plane.pixels];
		for (int c = 0; c < n; c++) {
			final double ds = stdA[c] - stdB[c];
			for (int p = 0; p < plane.pixels; p++) {
				final double dm = meanA[c][p] - meanB[c][p];
				maps[c][p] = Math.sqrt(dm * dm + ds * ds);
			}
		}
		return new ColourW2(new Wasserstein.Result(plane, meanPart, covPart, md, cd, maps[0]), maps);
	}

	/** E_v W2² over colour measurements: independent eigen-channel measurements, so a sum. */
	public Wasserstein.Expected expected(final List<OutputLaw> laws, final List<OutputLaw> posteriors) {
		final java.util.ArrayList<Wasserstein.Expected> parts = new java.util.ArrayList<>();
		for (int e = 0; e < n; e++) parts.add(Wasserstein.expected(laws.get(e), posteriors.get(e), eigenPrior(e), sigma));
		return sum(parts);
	}

	/** The sum of the eigen-channels' E_v W2² (their measurements are independent). */
	public Wasserstein.Expected sum(final List<Wasserstein.Expected> parts) {
		double meanPart = 0, covPart = 0;
		final double[] density = new double[plane.size];
		for (final Wasserstein.Expected x : parts) {
			meanPart += x.meanPart();
			covPart += x.covariancePart();
			for (int k = 0; k < plane.size; k++) density[k] += x.density()[k];
		}
		return new Wasserstein.Expected(plane, meanPart, covPart, density);
	}

	/** The law's covariance applied to channel images: fromEigen(S_e ⊙ toEigen(x)) per frequency. */
	public double[][] applyCovariance(final List<OutputLaw> laws, final double[][] channelImages) {
		final double[][] y = toEigen(channelImages);
		final RealFft2 fft = new RealFft2(plane);
		final double[] spec = fft.newSpectrum();
		for (int e = 0; e < n; e++) {
			fft.forward(y[e], spec);
			final double[] s2 = laws.get(e).s2();
			for (int k = 0; k < plane.size; k++) {
				spec[2 * k] *= s2[k];
				spec[2 * k + 1] *= s2[k];
			}
			fft.inverse(spec, y[e]);
		}
		return fromEigen(y);
	}

	/** The per-eigen-channel exact posteriors. */
	public List<OutputLaw> posteriors() {
		final java.util.ArrayList<OutputLaw> out = new java.util.ArrayList<>();
		for (int e = 0; e < n; e++) out.add(ExactPosterior.of(eigenPrior(e), operator, sigma));
		return out;
	}
}
