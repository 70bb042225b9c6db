package org.spectralposterior.core.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Dense;
import org.spectralposterior.core.DenseSamplerLaw;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.diffusion.StepGrid;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.prior.ColourPrior;
import org.spectralposterior.core.prior.ColourPriorEstimator;
import org.spectralposterior.core.prior.PeriodicComponent;
import org.spectralposterior.core.prior.PriorEstimator;

/**
 * Colour under a blur shared by the channels, against dense algebra on the whole 3d-dimensional
 * colour image: the prior covariance is built in the pixel domain from the exemplars' textons
 * (Cov(x_c(p), x_e(q)) = (1/J) Σ_j Σ_s t_{j,c}(p − s) t_{j,e}(q − s), no FFT), the operator is
 * blockdiag(H, H, H) of an asymmetric PSF, and the grid is 9×10 (odd, not a power of two).
 * Checked: the exact posterior (dense kriging) and every linear diffusion method's law (the
 * independent {@link DenseSamplerLaw}) — mean for one v, the whole colour covariance, W2² given v and
 * E_v W2² — computed by the eigen-channel route.
 */
class ColourConvolutionTest {

	static final int EH = 8, EW = 8, H = 9, W = 10;

	static List<double[][]> exemplars(final int count) {
		final List<double[][]> out = new ArrayList<>();
		for (int j = 0; j < count; j++) out.add(org.spectralposterior.core.prior.ColourPriorTestAccess.exemplar(EH, EW, 70 + j));
		return out;
	}

	/** The dense 3d×3d prior covariance from the textons, channel-major (index c·d + p). */
	static DMatrixRMaj denseCovariance(final List<double[][]> ex, final double[] mean) {
		final int d = H * W;
		final DMatrixRMaj s = new DMatrixRMaj(3 * d, 3 * d);
		for (final double[][] u : ex) {
			final double[][] t = new double[3][d];
			for (int c = 0; c < 3; c++) {
				final double[] p = PeriodicComponent.of(u[c], EH, EW);
				for (int y = 0; y < EH; y++) for (int x = 0; x < EW; x++) t[c][y * W + x] = (p[y * EW + x] - mean[c]) / Math.sqrt(EH * EW);
			}
			for (int c = 0; c < 3; c++) for (int e = 0; e < 3; e++) for (int p = 0; p < d; p++) for (int q = 0; q < d; q++) {
				double acc = 0;
				final int py = p / W, px = p % W, qy = q / W, qx = q % W;
				for (int sy = 0; sy < H; sy++) for (int sx = 0; sx < W; sx++) {
					acc += t[c][Math.floorMod(py - sy, H) * W + Math.floorMod(px - sx, W)] * t[e][Math.floorMod(qy - sy, H) * W + Math.floorMod(qx - sx, W)];
				}
				s.add(c * d + p, e * d + q, acc / ex.size());
			}
		}
		return s;
	}

	static DMatrixRMaj blockDiagonal(final DMatrixRMaj a, final int n) {
		final int d = a.numRows;
		final DMatrixRMaj out = new DMatrixRMaj(n * d, n * d);
		for (int c = 0; c < n; c++) for (int i = 0; i < d; i++) for (int l = 0; l < d; l++) out.set(c * d + i, c * d + l, a.get(i, l));
		return out;
	}

	static double[] flat(final double[][] x) {
		final int d = x[0].length;
		final double[] out = new double[x.length * d];
		for (int c = 0; c < x.length; c++) System.arraycopy(x[c], 0, out, c * d, d);
		return out;
	}

	static double[][] split(final double[] x, final int n) {
		final int d = x.length / n;
		final double[][] out = new double[n][d];
		for (int c = 0; c < n; c++) System.arraycopy(x, c * d, out[c], 0, d);
		return out;
	}

	/** The colour covariance of per-eigen-channel laws as a dense matrix, column by column. */
	static DMatrixRMaj covariance(final ColourConvolution cc, final List<OutputLaw> laws) {
		final int d = H * W, n = cc.channels();
		final DMatrixRMaj out = new DMatrixRMaj(n * d, n * d);
		for (int j = 0; j < n * d; j++) {
			final double[] e = new double[n * d];
			e[j] = 1;
			final double[] col = flat(cc.applyCovariance(laws, split(e, n)));
			for (int i = 0; i < n * d; i++) out.set(i, j, col[i]);
		}
		return out;
	}

	record Fixture(ColourPrior prior, BlurOperator blur, DMatrixRMaj a, DMatrixRMaj sigma, double[] mu, double[] v) {}

	static Fixture fixture(final int exemplarCount, final double noise) {
		final List<double[][]> ex = exemplars(exemplarCount);
		final ColourPrior prior = ColourPriorEstimator.estimate(PriorEstimator.Estimator.PERIODOGRAM, ex, EH, EW, H, W);
		final BlurOperator blur = BlurOperator.of(OperatorSpec.psf(new double[] { 4, 2, 1, 0.5, 0.25, 0.1 }, 3, 2), H, W);
		final double[] mean = prior.means();
		final DMatrixRMaj sig = denseCovariance(ex, mean);
		final DMatrixRMaj a = blockDiagonal(Dense.circulantFromKernel(blur.wrappedKernel(), H, W), 3);
		final int d = H * W;
		final double[] mu = new double[3 * d];
		for (int c = 0; c < 3; c++) java.util.Arrays.fill(mu, c * d, (c + 1) * d, mean[c]);
		final SplittableRandom r = new SplittableRandom(8);
		final double[] v = new double[3 * d];
		for (int i = 0; i < v.length; i++) v[i] = mu[i] + 10 * r.nextGaussian();
		return new Fixture(prior, blur, a, sig, mu, v);
	}

	private static void assertMatrix(final DMatrixRMaj expected, final DMatrixRMaj actual, final double rel, final String tag) {
		double scale = 0;
		for (int i = 0; i < expected.getNumElements(); i++) scale = Math.max(scale, Math.abs(expected.get(i)));
		for (int i = 0; i < expected.getNumElements(); i++) assertEquals(expected.get(i), actual.get(i), rel * (1 + scale), tag + " entry " + i);
	}

	@Test
	void exactPosteriorIsDenseKriging() {
		for (final int count : new int[] { 1, 4 }) {
			for (final double noise : new double[] { 3, 0.5 }) {
				final Fixture f = fixture(count, noise);
				final ColourConvolution cc = new ColourConvolution(f.prior, f.blur, noise);
				final String tag = "J=" + count + " σ=" + noise;
				// The prior itself first: the rotation route's covariance is the textons' (independent of the FFT estimator).
				final List<OutputLaw> priorLaws = new ArrayList<>();
				for (int e = 0; e < 3; e++) {
					final double[] lam = cc.eigenPrior(e).spectrum().values();
					priorLaws.add(new OutputLaw(f.blur, new double[lam.length], new double[lam.length], lam.clone()));
				}
				assertMatrix(f.sigma, covariance(cc, priorLaws), 1e-9, tag + " prior covariance");

				final DenseSamplerLaw.Law dense = DenseSamplerLaw.posterior(f.a, f.sigma, f.mu, noise);
				final List<OutputLaw> post = cc.posteriors();
				final double[][] ve = cc.toEigen(split(f.v, 3));
				final double[] mean = flat(cc.mean(post, ve)), dMean = dense.mean(f.v);
				for (int i = 0; i < mean.length; i++) assertEquals(dMean[i], mean[i], 1e-8 * (1 + Math.abs(dMean[i])), tag + " posterior mean " + i);
				assertMatrix(dense.S(), covariance(cc, post), 1e-9, tag + " posterior covariance");
				final double[] std = cc.channelStd(post);
				final int d = H * W;
				for (int c = 0; c < 3; c++) {
					double tr = 0;
					for (int p = 0; p < d; p++) tr += dense.S().get(c * d + p, c * d + p);
					assertEquals(Math.sqrt(tr / d), std[c], 1e-9 * (1 + std[c]), tag + " std of channel " + c);
				}
			}
		}
	}

	@Test
	void everyMethodsColourLawIsTheDenseLaw() {
		final double noise = 2;
		final Fixture f = fixture(4, noise);
		// The samplers work in [−1, 1] units; a colour prior in 0–255 units would saturate them, so scale.
		final ColourPrior unit = f.prior.affine(80, 60);
		final double sigma = noise / 60;
		final int d = H * W;
		final DMatrixRMaj sig = f.sigma.copy();
		org.ejml.dense.row.CommonOps_DDRM.scale(1.0 / 3600, sig);
		final double[] mu = new double[3 * d], v = new double[3 * d];
		for (int i = 0; i < mu.length; i++) {
			mu[i] = (f.mu[i] - 80) / 60;
			v[i] = (f.v[i] - 80) / 60;
		}
		final ColourConvolution cc = new ColourConvolution(unit, f.blur, sigma);
		final double[][] ve = cc.toEigen(split(v, 3));
		final List<OutputLaw> post = cc.posteriors();
		final DenseSamplerLaw.Law densePost = DenseSamplerLaw.posterior(f.a, sig, mu, sigma);
		int checked = 0;
		for (final Method m : Methods.ALL) {
			if (!m.linear()) continue;
			final DiffusionSampler.Config cfg = new DiffusionSampler.Config(m, Schedule.linear(), 6, BaseStep.DDPM, 1, null, m.start() == Method.Start.POSTERIOR_MEAN ? 500 : 0);
			final List<OutputLaw> laws = new ArrayList<>();
			DiffusionSampler first = null;
			for (int e = 0; e < 3; e++) {
				final DiffusionSampler s = new DiffusionSampler(cc.eigenPrior(e), f.blur, sigma, cfg);
				if (first == null) first = s;
				laws.add(s.closedForm().law());
			}
			final StepGrid g = first.grid();
			final DenseSamplerLaw.Law dense = DenseSamplerLaw.law(m.key, f.a, sig, mu, sigma, new DenseSamplerLaw.Steps(g.abT, g.abS, g.phi, g.psi, g.nu), first.weights());
			final String tag = m.key;
			final double[] mean = flat(cc.mean(laws, ve)), dMean = dense.mean(v);
			for (int i = 0; i < mean.length; i++) assertEquals(dMean[i], mean[i], 1e-8 * (1 + Math.abs(dMean[i])), tag + " mean " + i);
			assertMatrix(dense.S(), covariance(cc, laws), 1e-8, tag + " covariance");
			final double w2 = cc.w2(laws, post, ve).total().squared();
			final double denseW2 = DenseSamplerLaw.w2Squared(dMean, dense.S(), densePost.mean(v), densePost.S());
			assertEquals(denseW2, w2, 1e-6 * (1 + denseW2), tag + " W2² given v");
			final double ex = cc.expected(laws, post).squared();
			final double denseEx = DenseSamplerLaw.expectedW2Squared(dense, densePost, f.a, sig, mu, sigma);
			assertEquals(denseEx, ex, 1e-6 * (1 + denseEx), tag + " E_v W2²");
			checked++;
		}
		assertTrue(checked >= 7, "every linear method checked: " + checked);
	}

	@Test
	void pixelMapsAreTheChannelMarginals() {
		final Fixture f = fixture(4, 1);
		final ColourConvolution cc = new ColourConvolution(f.prior, f.blur, 1);
		final List<OutputLaw> post = cc.posteriors();
		// A deliberately wrong law: the posterior with doubled variance and a shifted gain.
		final List<OutputLaw> wrong = new ArrayList<>();
		for (final OutputLaw l : post) {
			final double[] p = l.p().clone(), s2 = l.s2().clone();
			for (int k = 0; k < p.length; k++) {
				p[k] *= 0.7;
				s2[k] *= 2;
			}
			wrong.add(new OutputLaw(f.blur, p, l.q().clone(), s2));
		}
		final double[][] ve = cc.toEigen(split(f.v, 3));
		final ColourConvolution.ColourW2 w2 = cc.w2(wrong, post, ve);
		final int d = H * W;
		final DMatrixRMaj sa = covariance(cc, wrong), sb = covariance(cc, post);
		final double[] ma = flat(cc.mean(wrong, ve)), mb = flat(cc.mean(post, ve));
		for (int c = 0; c < 3; c++) {
			double ta = 0, tb = 0;
			for (int p = 0; p < d; p++) {
				ta += sa.get(c * d + p, c * d + p);
				tb += sb.get(c * d + p, c * d + p);
			}
			final double ds = Math.sqrt(ta / d) - Math.sqrt(tb / d);
			for (int p = 0; p < d; p++) {
				final double dm = ma[c * d + p] - mb[c * d + p];
				assertEquals(Math.sqrt(dm * dm + ds * ds), w2.pixelMaps()[c][p], 1e-9 * (1 + Math.abs(dm)), "channel " + c + " pixel " + p);
			}
		}
		final double denseW2 = Dense.w2Squared(ma, sa, mb, sb);
		assertEquals(denseW2, w2.total().squared(), 1e-6 * denseW2, "total W2² against dense Bures");
	}
}
