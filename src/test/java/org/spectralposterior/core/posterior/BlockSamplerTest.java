package org.spectralposterior.core.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Dense;
import org.spectralposterior.core.DenseSamplerLaw;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.BlockSampler;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.diffusion.StepGrid;
import org.spectralposterior.core.prior.ColourPrior;
import org.spectralposterior.core.prior.ColourPriorEstimator;
import org.spectralposterior.core.prior.PriorEstimator;

/**
 * The dense-block engine (colour super-resolution, colour blur with one PSF per channel) against the
 * independent dense pixel-domain reference {@link DenseSamplerLaw} on the whole C·D-dimensional colour
 * image: the prior covariance is built pixel by pixel from the cross-spectra, Cov(x_c(p), x_e(q)) =
 * (1/D) Σ_k Σ_ce(k) e^{2πi k·(p − q)} over the full grid (no FFT, no blocks), the operator is
 * blockdiag over channels of the dense S_r C_{h_c}. Odd and non-power-of-two grids, asymmetric PSFs
 * (conj(h) against h), self-conjugate and conjugate-stored members, a non-zero mean per channel.
 * <p>
 * Mutation checks done (each made these tests fail, then reverted): in {@link DenseBlocks#colour} the
 * prior of a conjugate-stored member taken as Σ instead of conj(Σ) (8×6 r = 2 posterior mean pixel 0:
 * 0.260 for −0.0049), and the operator as conj(A) (9×10 per-channel posterior mean 0: −0.901 for −0.663);
 * in {@link BlockSampler} the guided gain conjugated, A'ᵀ conj(B⁺) instead of A'* B⁺ (9×10 DPS mean 0:
 * 0.1304 for −0.1430), and DDRM's ȳ map V'_i U_iᵀ instead of V'_i U_i* (8×6 r = 2 DDRM mean 0: 0.320 for
 * 0.0450); and DDRM's low-rank noise X diag(ε) X* counted twice (8×6 r = 2 DDRM covariance entry 0:
 * 0.3813 for 0.3763 — found as a real bug while writing the structured step).
 */
class BlockSamplerTest {

	static final double[] PSF_A = { 4, 2, 1, 0.5, 0.25, 0.1 }, PSF_B = { 1, 3, 0.5, 2, 0.2, 0.7 }, PSF_C = { 0.3, 1, 4, 0.1, 2, 1.5 };

	/** A random full-rank colour prior (Σ(k) = B B* + 0.05 I, made real-stationary by the constructor), in [−1, 1]-like units. */
	static ColourPrior randomPrior(final int h, final int w, final long seed) {
		final HalfPlane plane = new HalfPlane(h, w);
		final int c = 3;
		final SplittableRandom r = new SplittableRandom(seed);
		final double[] blocks = new double[plane.size * 2 * c * c];
		final double scale = Math.sqrt(plane.pixels) * 0.15;
		for (int k = 0; k < plane.size; k++) {
			final double[] b = new double[2 * c * c];
			for (int i = 0; i < b.length; i++) b[i] = scale * r.nextGaussian() / (1 + 0.2 * k);
			for (int i = 0; i < c; i++) {
				for (int l = 0; l < c; l++) {
					double re = i == l ? 0.05 : 0, im = 0;
					for (int e = 0; e < c; e++) {
						final double ar = b[2 * (i * c + e)], ai = b[2 * (i * c + e) + 1], br = b[2 * (l * c + e)], bi = -b[2 * (l * c + e) + 1];
						re += ar * br - ai * bi;
						im += ar * bi + ai * br;
					}
					blocks[k * 2 * c * c + 2 * (i * c + l)] = re;
					blocks[k * 2 * c * c + 2 * (i * c + l) + 1] = im;
				}
			}
		}
		return new ColourPrior(plane, new double[] { 0.2, -0.1, 0.35 }, blocks);
	}

	/** A colour prior estimated from 4 random textons (8×8 exemplars) on an h×w grid, in [−1, 1] units. */
	static ColourPrior texturePrior(final int h, final int w) {
		final List<double[][]> ex = new ArrayList<>();
		for (int j = 0; j < 4; j++) ex.add(org.spectralposterior.core.prior.ColourPriorTestAccess.exemplar(8, 8, 70 + j));
		return ColourPriorEstimator.estimate(PriorEstimator.Estimator.PERIODOGRAM, ex, 8, 8, h, w).affine(80, 60);
	}

	/** Σ(k) at a full-grid frequency: the stored block, or the conjugate of −k's. */
	static double[] sigmaAt(final ColourPrior prior, final int ky, final int kx, final int c, final int e) {
		final HalfPlane pl = prior.plane();
		if (kx < pl.cols) {
			final int k = ky * pl.cols + kx;
			return new double[] { prior.re(k, c, e), prior.im(k, c, e) };
		}
		final int k = ((pl.height - ky) % pl.height) * pl.cols + (pl.width - kx);
		return new double[] { prior.re(k, c, e), -prior.im(k, c, e) };
	}

	/** The dense C·D × C·D prior covariance, channel-major (index c·D + p). */
	static DMatrixRMaj denseCovariance(final ColourPrior prior) {
		final HalfPlane pl = prior.plane();
		final int h = pl.height, w = pl.width, d = pl.pixels, cc = prior.channels();
		final DMatrixRMaj out = new DMatrixRMaj(cc * d, cc * d);
		for (int c = 0; c < cc; c++) for (int e = 0; e < cc; e++) {
			// The covariance function c_ce(δ) per lag, then placed at (p, q) with δ = p − q.
			final double[] lag = new double[d];
			for (int dy = 0; dy < h; dy++) for (int dx = 0; dx < w; dx++) {
				double acc = 0;
				for (int ky = 0; ky < h; ky++) for (int kx = 0; kx < w; kx++) {
					final double[] s = sigmaAt(prior, ky, kx, c, e);
					final double th = 2 * Math.PI * ((double) ky * dy / h + (double) kx * dx / w);
					acc += s[0] * Math.cos(th) - s[1] * Math.sin(th);
				}
				lag[dy * w + dx] = acc / d;
			}
			for (int p = 0; p < d; p++) for (int q = 0; q < d; q++) {
				final int dy = Math.floorMod(p / w - q / w, h), dx = Math.floorMod(p % w - q % w, w);
				out.set(c * d + p, e * d + q, lag[dy * w + dx]);
			}
		}
		return out;
	}

	static DMatrixRMaj blockDiagonal(final List<DMatrixRMaj> parts) {
		int rows = 0, cols = 0;
		for (final DMatrixRMaj a : parts) {
			rows += a.numRows;
			cols += a.numCols;
		}
		final DMatrixRMaj out = new DMatrixRMaj(rows, cols);
		int r0 = 0, c0 = 0;
		for (final DMatrixRMaj a : parts) {
			for (int i = 0; i < a.numRows; i++) for (int l = 0; l < a.numCols; l++) out.set(r0 + i, c0 + l, a.get(i, l));
			r0 += a.numRows;
			c0 += a.numCols;
		}
		return out;
	}

	static BlurOperator[] blurs(final int h, final int w, final boolean perChannel) {
		final BlurOperator a = BlurOperator.of(OperatorSpec.psf(PSF_A, 3, 2), h, w);
		if (!perChannel) return new BlurOperator[] { a };
		return new BlurOperator[] { a, BlurOperator.of(OperatorSpec.psf(PSF_B, 2, 3), h, w), BlurOperator.of(OperatorSpec.psf(PSF_C, 3, 2), h, w) };
	}

	static DMatrixRMaj denseOperator(final BlurOperator[] blurs, final int channels, final int h, final int w, final int r) {
		final List<DMatrixRMaj> parts = new ArrayList<>();
		for (int c = 0; c < channels; c++) {
			final double[] k = blurs[blurs.length == 1 ? 0 : c].wrappedKernel();
			parts.add(r == 1 ? Dense.circulantFromKernel(k, h, w) : DenseSamplerLaw.superResolution(k, h, w, r));
		}
		return blockDiagonal(parts);
	}

	/** A block law's covariance as a dense matrix, column by column through the FFT and the blocks. */
	static DMatrixRMaj covariance(final BlockLaw law) {
		final DenseBlocks pr = law.problem();
		final int cc = pr.channels(), d = pr.hr().pixels;
		final DMatrixRMaj out = new DMatrixRMaj(cc * d, cc * d);
		for (int j = 0; j < cc * d; j++) {
			final double[] e = new double[cc * d];
			e[j] = 1;
			final double[] col = ColourConvolutionTest.flat(law.applyCovariance(ColourConvolutionTest.split(e, cc)));
			for (int i = 0; i < cc * d; i++) out.set(i, j, col[i]);
		}
		return out;
	}

	/**
	 * Entry by entry to {@code rel} of the largest entry, or of 1e-3 when the matrix is itself at rounding
	 * size (a noiseless posterior where A sees everything is 0 up to rounding on both sides).
	 */
	static void assertMatrix(final DMatrixRMaj expected, final DMatrixRMaj actual, final double rel, final String tag) {
		double scale = 1e-3;
		for (int i = 0; i < expected.getNumElements(); i++) scale = Math.max(scale, Math.abs(expected.get(i)));
		for (int i = 0; i < expected.getNumElements(); i++) assertEquals(expected.get(i), actual.get(i), rel * scale, tag + " entry " + i + " (scale " + scale + ")");
	}

	record Fixture(ColourPrior prior, DenseBlocks blocks, DMatrixRMaj a, DMatrixRMaj sigma, double[] mu, double[] v, double[][] vImages) {}

	static Fixture fixture(final ColourPrior prior, final boolean perChannel, final int r, final double noise) {
		final HalfPlane pl = prior.plane();
		final int h = pl.height, w = pl.width, d = pl.pixels, cc = prior.channels();
		final BlurOperator[] bl = blurs(h, w, perChannel);
		final DenseBlocks blocks = DenseBlocks.colour(prior, bl, r, noise);
		final double[] mu = new double[cc * d];
		for (int c = 0; c < cc; c++) java.util.Arrays.fill(mu, c * d, (c + 1) * d, prior.mean(c));
		final int lrPixels = d / (r * r);
		final double[] v = new double[cc * lrPixels];
		final SplittableRandom rng = new SplittableRandom(8);
		for (int c = 0; c < cc; c++) for (int i = 0; i < lrPixels; i++) v[c * lrPixels + i] = prior.mean(c) + 0.5 * rng.nextGaussian();
		return new Fixture(prior, blocks, denseOperator(bl, cc, h, w, r), denseCovariance(prior), mu, v, ColourConvolutionTest.split(v, cc));
	}

	static void posteriorAgainstDense(final Fixture f, final String tag) {
		final BlockLaw post = BlockLaw.posterior(f.blocks);
		final DenseSamplerLaw.Law dense = DenseSamplerLaw.posterior(f.a, f.sigma, f.mu, f.blocks.sigma);
		final double[] mean = ColourConvolutionTest.flat(post.meanImages(f.vImages)), dm = dense.mean(f.v);
		for (int i = 0; i < mean.length; i++) assertEquals(dm[i], mean[i], 1e-9 * (1 + Math.abs(dm[i])), tag + " posterior mean " + i);
		assertMatrix(dense.S(), covariance(post), 1e-9, tag + " posterior covariance");
		assertTrue(post.w2(post, f.blocks.measurementBlocks(f.vImages)).squared() < 1e-10, tag + " W2(posterior, posterior) = 0");
	}

	/** Every exact-law method: mean for one v, the whole colour covariance, W2² given v and E_v W2². */
	static int methodsAgainstDense(final Fixture f, final int steps, final Method[] methods, final String tag) {
		final double sigma = f.blocks.sigma;
		final DenseSamplerLaw.Law densePost = DenseSamplerLaw.posterior(f.a, f.sigma, f.mu, sigma);
		final double[] vb = f.blocks.measurementBlocks(f.vImages);
		int checked = 0;
		for (final Method m : methods) {
			if (!m.linear()) continue;
			final DiffusionSampler.Config cfg = new DiffusionSampler.Config(m, Schedule.linear(), steps, BaseStep.DDPM, 1, null, m.start() == Method.Start.POSTERIOR_MEAN ? 500 : 0);
			final BlockSampler bs = new BlockSampler(f.blocks, cfg);
			final StepGrid g = bs.grid();
			final DenseSamplerLaw.Law dense = DenseSamplerLaw.law(m.key, f.a, f.sigma, f.mu, sigma, new DenseSamplerLaw.Steps(g.abT, g.abS, g.phi, g.psi, g.nu), bs.weights());
			final BlockLaw law = bs.closedForm().law();
			final String t = tag + " " + m.key + " σ=" + sigma;
			final double[] mean = ColourConvolutionTest.flat(law.meanImages(f.vImages)), dMean = dense.mean(f.v);
			for (int i = 0; i < mean.length; i++) assertEquals(dMean[i], mean[i], 1e-8 * (1 + Math.abs(dMean[i])), t + " mean " + i);
			assertMatrix(dense.S(), covariance(law), 1e-8, t + " covariance");
			final double w2 = law.w2(bs.posterior(), vb).squared();
			final double denseW2 = DenseSamplerLaw.w2Squared(dMean, dense.S(), densePost.mean(f.v), densePost.S());
			// With σ = 0 the posterior covariance is singular: an eigenvalue ε of rounding size (either
			// side) moves its Bures term by √ε, so only ~1e-5 is meaningful there.
			final double tol = sigma > 0 ? 1e-7 : 1e-5;
			assertEquals(denseW2, w2, tol * (1 + denseW2), t + " W2² given v");
			final double ex = law.expected(bs.posterior()).squared();
			final double denseEx = DenseSamplerLaw.expectedW2Squared(dense, densePost, f.a, f.sigma, f.mu, sigma);
			assertEquals(denseEx, ex, tol * (1 + denseEx), t + " E_v W2²");
			checked++;
		}
		return checked;
	}

	@Test
	void colourSuperResolutionPosteriorIsDenseKriging() {
		posteriorAgainstDense(fixture(randomPrior(8, 6, 1), false, 2, 0.1), "8×6 r=2");
		posteriorAgainstDense(fixture(randomPrior(9, 6, 2), false, 3, 0.2), "9×6 r=3");
		posteriorAgainstDense(fixture(randomPrior(9, 6, 3), true, 3, 0), "9×6 r=3 per-channel PSF σ=0");
		posteriorAgainstDense(fixture(texturePrior(10, 8), false, 2, 0.05), "10×8 r=2 texture");
	}

	@Test
	void perChannelBlurPosteriorIsDenseKriging() {
		posteriorAgainstDense(fixture(texturePrior(9, 10), true, 1, 0.05), "9×10 per-channel PSF");
		posteriorAgainstDense(fixture(randomPrior(9, 10, 4), true, 1, 0), "9×10 per-channel PSF σ=0");
	}

	@Test
	void everyMethodOnColourSuperResolutionIsTheDenseLaw() {
		final Method[] all = Methods.ALL.toArray(new Method[0]);
		assertTrue(methodsAgainstDense(fixture(randomPrior(8, 6, 1), false, 2, 0.1), 6, all, "8×6 r=2") >= 8);
		assertTrue(methodsAgainstDense(fixture(randomPrior(9, 6, 2), false, 3, 0.2), 5, all, "9×6 r=3") >= 8);
	}

	@Test
	void everyMethodWithOnePsfPerChannelIsTheDenseLaw() {
		final Method[] all = Methods.ALL.toArray(new Method[0]);
		assertTrue(methodsAgainstDense(fixture(texturePrior(9, 10), true, 1, 0.05), 6, all, "9×10 per-channel PSF") >= 8);
		assertTrue(methodsAgainstDense(fixture(randomPrior(8, 6, 5), true, 2, 0.1), 4, all, "8×6 r=2 per-channel PSF") >= 8);
	}

	@Test
	void noiselessMeasurementsTakeTheOtherBranches() {
		final Method[] noiseless = { Methods.DDRM, Methods.DDNM, Methods.CGDM, Methods.DPS, Methods.SDEDIT, Methods.SCORE_ALD };
		methodsAgainstDense(fixture(randomPrior(8, 6, 1), false, 2, 0), 5, noiseless, "8×6 r=2");
		methodsAgainstDense(fixture(randomPrior(9, 10, 6), true, 1, 0), 5, noiseless, "9×10 per-channel PSF");
	}

	/** With one PSF for all channels the blocks must give what the eigen-channel route gives (ColourConvolution). */
	@Test
	void aSharedPsfAgreesWithTheEigenChannelRoute() {
		final ColourPrior prior = texturePrior(9, 10);
		final double sigma = 0.05;
		final BlurOperator blur = blurs(9, 10, false)[0];
		final DenseBlocks blocks = DenseBlocks.colour(prior, new BlurOperator[] { blur }, 1, sigma);
		final ColourConvolution cc = new ColourConvolution(prior, blur, sigma);
		final List<OutputLaw> post = cc.posteriors();
		final double[][] v = new double[3][90];
		final SplittableRandom rng = new SplittableRandom(3);
		for (int c = 0; c < 3; c++) for (int i = 0; i < 90; i++) v[c][i] = prior.mean(c) + 0.4 * rng.nextGaussian();
		final double[][] ve = cc.toEigen(v);
		final double[] vb = blocks.measurementBlocks(v);
		for (final Method m : Methods.ALL) {
			if (!m.linear()) continue;
			final DiffusionSampler.Config cfg = new DiffusionSampler.Config(m, Schedule.linear(), 20, BaseStep.DDPM, 1, null, m.start() == Method.Start.POSTERIOR_MEAN ? 500 : 0);
			final List<OutputLaw> laws = new ArrayList<>();
			for (int e = 0; e < 3; e++) laws.add(new DiffusionSampler(cc.eigenPrior(e), blur, sigma, cfg).closedForm().law());
			final BlockSampler bs = new BlockSampler(blocks, cfg);
			final BlockLaw law = bs.closedForm().law();
			final String t = m.key;
			final double[] mean = ColourConvolutionTest.flat(law.meanImages(v)), expect = ColourConvolutionTest.flat(cc.mean(laws, ve));
			for (int i = 0; i < mean.length; i++) assertEquals(expect[i], mean[i], 1e-9 * (1 + Math.abs(expect[i])), t + " mean " + i);
			final double[] std = law.channelStd(), eStd = cc.channelStd(laws);
			// Variances, not stds: DDNM's projection leaves a variance of rounding size (1e-22), whose root is 1e-11.
			for (int c = 0; c < 3; c++) assertEquals(eStd[c] * eStd[c], std[c] * std[c], 1e-9 * eStd[c] * eStd[c] + 1e-18, t + " variance of channel " + c);
			final double w2 = cc.w2(laws, post, ve).total().squared();
			assertEquals(w2, law.w2(bs.posterior(), vb).squared(), 1e-8 * (1 + w2), t + " W2² given v");
			final double ex = cc.expected(laws, post).squared();
			assertEquals(ex, law.expected(bs.posterior()).squared(), 1e-8 * (1 + ex), t + " E_v W2²");
		}
	}

	/**
	 * Samples of a closed-form law (DDRM on 8×6 r = 2: a non-diagonal, non-posterior covariance): every
	 * pixel mean within 5 standard errors, and the Frobenius norm of the sample covariance's error below 4
	 * times its expected size sqrt((‖S‖_F² + (tr S)²)/N) — the joint law across channels and pixels — and
	 * the whitened power (1/(N·dim)) Σ (x − μ)ᵀ S⁻¹ (x − μ) within 5 standard errors sqrt(2/(N·dim)) of 1,
	 * which the Frobenius check alone misses for a uniform 10% variance error (mutation checked: the roots
	 * scaled by 1.05 passed the Frobenius check and fail this one; the same noise for every sample fails
	 * the means).
	 */
	@Test
	void samplesFollowTheClosedFormLaw() {
		final Fixture f = fixture(randomPrior(8, 6, 7), true, 2, 0.1);
		final BlockLaw law = new BlockSampler(f.blocks, new DiffusionSampler.Config(Methods.DDRM, Schedule.linear(), 5, BaseStep.DDPM, 1, null, 0)).closedForm().law();
		final BlockLaw.Sampler sampler = law.sampler(f.vImages, new SplittableRandom(21));
		followsLaw(law, f, sampler::next, 4000, "law sampler");
	}

	/**
	 * The step-by-step run (BlockSampler#sample: the algorithm applied to a sample with fresh noise every
	 * step, not a draw from the law) has the closed form's joint law, for methods of every start and noise
	 * structure: noise start (ΠGDM, CGDM, DPS), SDEdit's posterior-mean start, DDRM's spectral start and
	 * low-rank noise; colour super-resolution with a PSF per channel, DDIM with a per-step η for ΠGDM.
	 */
	@Test
	void theStepperFollowsTheClosedFormLaw() {
		final Fixture f = fixture(randomPrior(8, 6, 7), true, 2, 0.1);
		final DiffusionSampler.Config[] cfgs = { new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 5, BaseStep.DDIM, 0, null, 0, null, new double[] { 1, 0, 0.5, 0.2, 0 }),
			new DiffusionSampler.Config(Methods.CGDM, Schedule.linear(), 5, BaseStep.DDPM, 1, null, 0), new DiffusionSampler.Config(Methods.DPS, Schedule.cosine(1000), 4, BaseStep.DDPM, 1, null, 0),
			new DiffusionSampler.Config(Methods.SDEDIT, Schedule.linear(), 4, BaseStep.DDPM, 1, null, 400), new DiffusionSampler.Config(Methods.DDRM, Schedule.linear(), 5, BaseStep.DDIM, 0.7, null, 0) };
		for (final DiffusionSampler.Config cfg : cfgs) {
			final BlockSampler bs = new BlockSampler(f.blocks, cfg);
			final BlockLaw law = bs.closedForm().law();
			final SplittableRandom rng = new SplittableRandom(33);
			followsLaw(law, f, () -> bs.sample(f.vImages, rng.split(), () -> false), 3000, cfg.method().key + " step by step");
		}
	}

	/** Pixel means (5 SE), whitened power (5 SE) and the covariance's Frobenius error (4× its expected size) of {@code samples} draws. */
	static void followsLaw(final BlockLaw law, final Fixture f, final java.util.function.Supplier<double[][]> draw, final int samples, final String tag) {
		final double[] mean = ColourConvolutionTest.flat(law.meanImages(f.vImages));
		final DMatrixRMaj cov = covariance(law);
		final int dim = mean.length;
		final double[] sum = new double[dim];
		final double[][] outer = new double[dim][dim];
		final DMatrixRMaj inv = cov.copy();
		assertTrue(org.ejml.dense.row.CommonOps_DDRM.invert(inv), "the law's covariance is invertible");
		double power = 0;
		for (int k = 0; k < samples; k++) {
			final double[] x = ColourConvolutionTest.flat(draw.get());
			for (int i = 0; i < dim; i++) for (int l = 0; l < dim; l++) power += (x[i] - mean[i]) * inv.get(i, l) * (x[l] - mean[l]);
			for (int i = 0; i < dim; i++) {
				final double di = x[i] - mean[i];
				sum[i] += di;
				for (int l = 0; l < dim; l++) outer[i][l] += di * (x[l] - mean[l]);
			}
		}
		double err = 0, fro = 0, tr = 0;
		for (int i = 0; i < dim; i++) {
			assertEquals(0, sum[i] / samples, 5 * Math.sqrt(cov.get(i, i) / samples), tag + ": mean of pixel " + i);
			tr += cov.get(i, i);
			for (int l = 0; l < dim; l++) {
				final double e = outer[i][l] / samples - cov.get(i, l);
				err += e * e;
				fro += cov.get(i, l) * cov.get(i, l);
			}
		}
		power /= (double) samples * dim;
		assertEquals(1, power, 5 * Math.sqrt(2.0 / ((double) samples * dim)), tag + ": whitened power");
		final double expected = Math.sqrt((fro + tr * tr) / samples);
		assertTrue(Math.sqrt(err) < 4 * expected, tag + ": covariance error " + Math.sqrt(err) + " against its expected size " + expected);
	}

	@Test
	void cancellationStopsTheClosedForm() {
		final Fixture f = fixture(randomPrior(8, 6, 1), false, 2, 0.1);
		final BlockSampler bs = new BlockSampler(f.blocks, new DiffusionSampler.Config(Methods.CGDM, Schedule.linear(), 50, BaseStep.DDPM, 1, null, 0));
		final java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
		assertThrows(java.util.concurrent.CancellationException.class, () -> bs.closedForm(() -> polls.incrementAndGet() > 10));
		final long[] last = new long[2];
		bs.closedForm(() -> false, new org.spectralposterior.core.Progress() {
			@Override
			public void update(final long done, final long total) {
				synchronized (last) {
					last[0] = Math.max(last[0], done);
					last[1] = total;
				}
			}

			@Override
			public boolean cancelled() {
				return false;
			}
		});
		assertEquals(f.blocks.count, last[1], "progress total: the blocks");
		assertEquals(f.blocks.count, last[0], "progress reaches the total");
	}

	@Test
	void theResidualNormalisedDpsIsRefusedWithTheFix() {
		final Fixture f = fixture(randomPrior(8, 6, 1), false, 2, 0.1);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> new BlockSampler(f.blocks, new DiffusionSampler.Config(Methods.DPS_NORMALIZED, Schedule.linear(), 4, BaseStep.DDPM, 1, null, 0)));
		assertTrue(e.getMessage().contains("use dps"), e.getMessage());
	}
}
