package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Dense;
import org.spectralposterior.core.DenseSamplerLaw;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.metric.Wasserstein;
import org.spectralposterior.core.operator.AliasingGroups;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.GroupLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * Every registered method on super-resolution, block closed form against the independent dense
 * pixel-domain reference ({@link DenseSamplerLaw}, which derives each method's affine step from its
 * pixel-domain update and propagates P, q and the full covariance by dense algebra): on 8×6 with
 * r = 2 and 9×6 with r = 3 (odd HR height, self-conjugate and conjugated groups), an asymmetric PSF
 * (conj(h) vs h) and a non-zero mean. Checked: the mean for one v, the whole HR covariance (read
 * back from the blocks through the FFT), W2² to the exact posterior for that v (the complex Bures
 * sum against the dense real W2²) and E_v W2².
 */
class SuperResolutionSamplerTest {

	static GaussianPrior prior(final int h, final int w, final long seed) {
		final HalfPlane plane = new HalfPlane(h, w);
		final double[] lam = new double[plane.size];
		final SplittableRandom r = new SplittableRandom(seed);
		for (int i = 0; i < lam.length; i++) lam[i] = 0.05 + r.nextDouble();
		for (int i = 0; i < lam.length; i++) {
			final int c = i % plane.cols;
			if (c == 0 || (w % 2 == 0 && c == w / 2)) lam[plane.partnerInColumn(i)] = lam[i];
		}
		return new GaussianPrior(0.3, new Spectrum(plane, lam));
	}

	static BlurOperator psf(final int h, final int w) {
		return BlurOperator.of(OperatorSpec.psf(new double[] { 4, 2, 1, 0.5, 0.25, 0.1 }, 3, 2), h, w);
	}

	static double[] lrSpec(final AliasingGroups gr, final double[] v) {
		final RealFft2 fft = new RealFft2(gr.lr);
		final double[] out = fft.newSpectrum();
		fft.forward(v, out);
		return out;
	}

	/** The HR covariance of a group law as a dense D×D matrix, column by column: S e_p through the FFT and the blocks. */
	static DMatrixRMaj covariance(final GroupLaw law) {
		final AliasingGroups gr = law.groups();
		final HalfPlane hr = gr.hr;
		final RealFft2 fft = new RealFft2(hr);
		final int dd = gr.d;
		final DMatrixRMaj out = new DMatrixRMaj(hr.pixels, hr.pixels);
		final double[] e = new double[hr.pixels], spec = fft.newSpectrum(), res = fft.newSpectrum(), col = new double[hr.pixels], z = new double[2 * dd], y = new double[2 * dd];
		for (int p = 0; p < hr.pixels; p++) {
			java.util.Arrays.fill(e, 0);
			e[p] = 1;
			fft.forward(e, spec);
			for (int g = 0; g < gr.lr.size; g++) {
				gr.gather(g, spec, z);
				for (int i = 0; i < dd; i++) {
					double re = 0, im = 0;
					for (int l = 0; l < dd; l++) {
						final int o = 2 * (g * dd * dd + i * dd + l);
						re += law.s()[o] * z[2 * l] - law.s()[o + 1] * z[2 * l + 1];
						im += law.s()[o] * z[2 * l + 1] + law.s()[o + 1] * z[2 * l];
					}
					y[2 * i] = re;
					y[2 * i + 1] = im;
				}
				gr.scatter(g, y, res);
			}
			fft.inverse(res, col);
			for (int q = 0; q < hr.pixels; q++) out.set(q, p, col[q]);
		}
		return out;
	}

	private static double[] uniform(final int n, final double m) {
		final double[] a = new double[n];
		java.util.Arrays.fill(a, m);
		return a;
	}

	private static void againstDense(final int h, final int w, final int r, final Method m, final double sigma) {
		againstDense(h, w, r, m, sigma, psf(h, w));
	}

	private static void againstDense(final int h, final int w, final int r, final Method m, final double sigma, final BlurOperator blur) {
		final GaussianPrior prior = prior(h, w, 11 + r);
		final SuperResolutionSampler ss = new SuperResolutionSampler(prior, blur, r, sigma,
			new DiffusionSampler.Config(m, Schedule.linear(), 7, BaseStep.DDPM, 1, null, m.start() == Method.Start.POSTERIOR_MEAN ? 500 : 0));
		final DMatrixRMaj a = DenseSamplerLaw.superResolution(blur.wrappedKernel(), h, w, r);
		final DMatrixRMaj sig = Dense.circulantFromSpectrum(prior.plane(), prior.spectrum().values());
		final double[] mu = uniform(h * w, prior.mean());
		final StepGrid g = ss.grid();
		final DenseSamplerLaw.Steps steps = new DenseSamplerLaw.Steps(g.abT, g.abS, g.phi, g.psi, g.nu);
		final double[] v = new double[(h / r) * (w / r)];
		final SplittableRandom rng = new SplittableRandom(7);
		for (int i = 0; i < v.length; i++) v[i] = 0.3 + rng.nextGaussian();
		final DenseSamplerLaw.Law dense = DenseSamplerLaw.law(m.key, a, sig, mu, sigma, steps, ss.weights());
		final DenseSamplerLaw.Law densePost = DenseSamplerLaw.posterior(a, sig, mu, sigma);
		final String tag = m.key + " " + h + "×" + w + " r=" + r + " σ=" + sigma;

		final GroupLaw law = ss.closedForm().law();
		final double[] mean = law.meanImage(v), dMean = dense.mean(v);
		for (int i = 0; i < mean.length; i++) assertEquals(dMean[i], mean[i], 1e-9 * (1 + Math.abs(dMean[i])), tag + " mean pixel " + i);
		final DMatrixRMaj cov = covariance(law);
		double scale = 0;
		for (int i = 0; i < cov.getNumElements(); i++) scale = Math.max(scale, Math.abs(dense.S().get(i)));
		for (int i = 0; i < cov.getNumElements(); i++) assertEquals(dense.S().get(i), cov.get(i), 1e-9 * (1 + scale), tag + " covariance entry " + i);
		final double[] var = law.pixelVariance();
		for (int i = 0; i < var.length; i++) assertEquals(dense.S().get(i, i), var[i], 1e-9 * (1 + scale), tag + " pixel variance " + i);

		final GroupLaw post = ss.posterior();
		final Wasserstein.Result w2 = law.w2(post, v);
		final double denseW2 = DenseSamplerLaw.w2Squared(dMean, dense.S(), densePost.mean(v), densePost.S());
		assertEquals(denseW2, w2.squared(), 1e-7 * (1 + denseW2), tag + " W2² given v (Bures sum vs dense)");
		final double denseExpected = DenseSamplerLaw.expectedW2Squared(dense, densePost, a, sig, mu, sigma);
		assertEquals(denseExpected, law.expected(post, prior, sigma).squared(), 1e-7 * (1 + denseExpected), tag + " E_v W2²");
	}

	@Test
	void everyMethodsBlockClosedFormIsTheDenseLaw() {
		for (final Method m : Methods.ALL) {
			if (!m.linear()) continue;
			againstDense(8, 6, 2, m, 0.1);
			againstDense(9, 6, 3, m, 0.2);
		}
	}

	/**
	 * A horizontal box of width 3 on 12 columns has exact zeros in its transfer (columns 4 and 8), so
	 * some aliasing groups have members with a = 0: the block kernel's real basis has no phase a/|a| to
	 * take there (any unit phase is right; it takes 1), and their rows and columns of S stay uncoupled.
	 * An asymmetric vertical part keeps a complex.
	 */
	@Test
	void membersTheOperatorRemovesKeepTheDenseLaw() {
		final BlurOperator box = BlurOperator.of(OperatorSpec.psf(new double[] { 3, 3, 3, 1, 1, 1 }, 3, 2), 6, 12);
		double zeros = 0;
		final AliasingGroups groups = new AliasingGroups(box, 2);
		for (int g = 0; g < groups.lr.size; g++) for (int i = 0; i < groups.d; i++) if (Math.hypot(groups.aRe(g, i), groups.aIm(g, i)) < 1e-12) zeros++;
		assertTrue(zeros > 0, "the fixture has members with a = 0");
		for (final Method m : new Method[] { Methods.PIGDM, Methods.CGDM, Methods.DPS, Methods.DDNM }) againstDense(6, 12, 2, m, 0.1, box);
	}

	@Test
	void noiselessMeasurementsTakeTheOtherBranches() {
		for (final Method m : new Method[] { Methods.DDRM, Methods.DDNM, Methods.CGDM, Methods.DPS }) againstDense(8, 6, 2, m, 0);
	}

	@Test
	void theExactPosteriorsBlocksAreDenseKriging() {
		final int h = 9, w = 6, r = 3;
		final GaussianPrior prior = prior(h, w, 3);
		final BlurOperator blur = psf(h, w);
		final GroupLaw post = GroupLaw.posterior(prior, new AliasingGroups(blur, r), 0.1);
		final DenseSamplerLaw.Law dense = DenseSamplerLaw.posterior(DenseSamplerLaw.superResolution(blur.wrappedKernel(), h, w, r),
			Dense.circulantFromSpectrum(prior.plane(), prior.spectrum().values()), uniform(h * w, prior.mean()), 0.1);
		final DMatrixRMaj cov = covariance(post);
		for (int i = 0; i < cov.getNumElements(); i++) assertEquals(dense.S().get(i), cov.get(i), 1e-10, "Σ_post entry " + i);
		final double[] v = new double[(h / r) * (w / r)];
		for (int i = 0; i < v.length; i++) v[i] = Math.sin(i);
		final double[] mean = post.meanImage(v), dm = dense.mean(v);
		for (int i = 0; i < mean.length; i++) assertEquals(dm[i], mean[i], 1e-10, "posterior mean " + i);
		assertTrue(post.w2(post, v).squared() < 1e-12, "W2(posterior, posterior) = 0");
	}

	/**
	 * Step by step on the HR grid against the block closed form, for every exact-law method: 3000
	 * samples of an 8×6 image (r = 2); every pixel mean within 5 standard errors, and the Frobenius
	 * norm of the sample covariance's error below 4 times its expected size under the law,
	 * sqrt((‖S‖_F² + (tr S)²)/N) (the Wishart variance) — the joint law, not only the marginals.
	 */
	@Test
	void stepByStepSamplesFollowTheClosedForm() {
		final int h = 8, w = 6, r = 2, nSamples = 3000;
		final GaussianPrior prior = prior(h, w, 5);
		final BlurOperator blur = psf(h, w);
		final double[] v = new double[(h / r) * (w / r)];
		final SplittableRandom rv = new SplittableRandom(8);
		for (int i = 0; i < v.length; i++) v[i] = 0.3 + rv.nextGaussian();
		// Two steps as well as six: with few steps the output depends strongly on each step's noise terms,
		// which many steps average away (a 20% error in DDRM's observed-coordinate noise passes at 6 steps).
		for (final int steps : new int[] { 2, 6 }) for (final Method m : Methods.ALL) {
			if (!m.linear()) continue;
			final SuperResolutionSampler ss = new SuperResolutionSampler(prior, blur, r, 0.1,
				new DiffusionSampler.Config(m, Schedule.linear(), steps, BaseStep.DDPM, 1, null, m.start() == Method.Start.POSTERIOR_MEAN ? 500 : 0));
			final GroupLaw law = ss.closedForm().law();
			final double[] mean = law.meanImage(v);
			final DMatrixRMaj cov = covariance(law);
			final int dd = h * w;
			final double[] sum = new double[dd], x = new double[dd];
			final double[][] outer = new double[dd][dd];
			final SuperResolutionSampler.Stepper st = ss.stepper(v);
			final SplittableRandom rng = new SplittableRandom(13);
			// Per group, the variance along what A sees, u = conj(a)/‖a‖ (DDRM's observed coordinate):
			// the pixel covariance's Frobenius norm is dominated by the prior-like null space and misses it.
			final AliasingGroups gr = ss.groups();
			final double[] meanSpec = law.meanSpectrum(lrSpec(gr, v)), obs = new double[gr.lr.size], zg = new double[2 * gr.d], mg = new double[2 * gr.d];
			for (int s = 0; s < nSamples; s++) {
				st.sample(x, rng.split(), null);
				final double[] xs = st.lastSpectrum();
				for (int g = 0; g < gr.lr.size; g++) {
					if (!(gr.aa(g) > 0)) continue;
					gr.gather(g, xs, zg);
					gr.gather(g, meanSpec, mg);
					double re = 0, im = 0;
					for (int i = 0; i < gr.d; i++) {
						final double dr = zg[2 * i] - mg[2 * i], di = zg[2 * i + 1] - mg[2 * i + 1];
						re += gr.aRe(g, i) * dr - gr.aIm(g, i) * di;
						im += gr.aRe(g, i) * di + gr.aIm(g, i) * dr;
					}
					obs[g] += (re * re + im * im) / gr.aa(g);
				}
				for (int i = 0; i < dd; i++) {
					sum[i] += x[i];
					final double di = x[i] - mean[i];
					for (int l = 0; l < dd; l++) outer[i][l] += di * (x[l] - mean[l]);
				}
			}
			double err = 0, fro = 0, tr = 0;
			for (int i = 0; i < dd; i++) {
				final double se = Math.sqrt(Math.max(cov.get(i, i), 1e-300) / nSamples);
				final double z = (sum[i] / nSamples - mean[i]) / Math.max(se, 1e-12);
				assertTrue(Math.abs(z) < 5, m.key + " pixel " + i + " mean z = " + z);
				tr += cov.get(i, i);
				for (int l = 0; l < dd; l++) {
					final double e = outer[i][l] / nSamples - cov.get(i, l);
					err += e * e;
					fro += cov.get(i, l) * cov.get(i, l);
				}
			}
			for (int g = 0; g < gr.lr.size; g++) {
				if (!(gr.aa(g) > 0)) continue;
				// u*S u from the block
				double q = 0;
				for (int i = 0; i < gr.d; i++) {
					for (int l = 0; l < gr.d; l++) {
						final int o = 2 * (g * gr.d * gr.d + i * gr.d + l);
						// conj(u_i) S_il u_l with u = conj(a)/‖a‖: a_i S_il conj(a_l)
						final double ar = gr.aRe(g, i), ai = gr.aIm(g, i), br = gr.aRe(g, l), bi = -gr.aIm(g, l);
						final double tr1 = ar * law.s()[o] - ai * law.s()[o + 1], ti1 = ar * law.s()[o + 1] + ai * law.s()[o];
						q += tr1 * br - ti1 * bi;
					}
				}
				q /= gr.aa(g);
				if (q < 1e-10) {
					// DDNM with w = 1 pins what A sees: the samples must be pinned too (up to rounding).
					assertTrue(obs[g] / nSamples < 1e-8, m.key + " group " + g + ": a deterministic coordinate varies by " + obs[g] / nSamples);
					continue;
				}
				final double rel = obs[g] / nSamples / q - 1;
				assertTrue(Math.abs(rel) < 5 * Math.sqrt(2.0 / nSamples), m.key + " n=" + steps + " group " + g + ": observed-coordinate variance off by " + rel);
			}
			final double bound = 4 * Math.sqrt((fro + tr * tr) / nSamples);
			assertTrue(Math.sqrt(err) < bound, m.key + ": covariance error " + Math.sqrt(err) + " above " + bound);
		}
	}

	/** The Fourier-domain kriging sampler draws the exact posterior: means within 5 standard errors, covariance within 4 Wishart sizes (8×10, r = 2: LR columns stored as conjugates). */
	@Test
	void krigingSamplesFollowTheExactPosterior() {
		final int h = 8, w = 10, r = 2, nSamples = 4000, dd = h * w;
		final GaussianPrior prior = prior(h, w, 9);
		final GroupLaw post = GroupLaw.posterior(prior, new AliasingGroups(psf(h, w), r), 0.1);
		final double[] v = new double[(h / r) * (w / r)];
		for (int i = 0; i < v.length; i++) v[i] = Math.cos(3 * i);
		final double[] mean = post.meanImage(v);
		final DMatrixRMaj cov = covariance(post);
		final GroupLaw.KrigingSampler ks = post.krigingSampler(prior, 0.1, v, new SplittableRandom(2));
		final double[] x = new double[dd], sum = new double[dd];
		final double[][] outer = new double[dd][dd];
		for (int s = 0; s < nSamples; s++) {
			ks.next(x);
			for (int i = 0; i < dd; i++) {
				sum[i] += x[i];
				for (int l = 0; l < dd; l++) outer[i][l] += (x[i] - mean[i]) * (x[l] - mean[l]);
			}
		}
		double err = 0, fro = 0, tr = 0;
		for (int i = 0; i < dd; i++) {
			final double z = (sum[i] / nSamples - mean[i]) / Math.sqrt(cov.get(i, i) / nSamples);
			assertTrue(Math.abs(z) < 5, "pixel " + i + " mean z = " + z);
			tr += cov.get(i, i);
			for (int l = 0; l < dd; l++) {
				final double e = outer[i][l] / nSamples - cov.get(i, l);
				err += e * e;
				fro += cov.get(i, l) * cov.get(i, l);
			}
		}
		assertTrue(Math.sqrt(err) < 4 * Math.sqrt((fro + tr * tr) / nSamples), "covariance error " + Math.sqrt(err));
	}

	/** Noiseless kriging samples reproduce the measurement exactly: A x = v (AK = I), which any conjugation slip breaks. */
	@Test
	void noiselessKrigingSamplesFitTheMeasurement() {
		final int h = 8, w = 10, r = 2;
		final GaussianPrior prior = prior(h, w, 10);
		final BlurOperator blur = psf(h, w);
		final GroupLaw post = GroupLaw.posterior(prior, new AliasingGroups(blur, r), 0);
		final double[] v = new double[(h / r) * (w / r)];
		for (int i = 0; i < v.length; i++) v[i] = Math.sin(1.7 * i) + 0.3;
		final GroupLaw.KrigingSampler ks = post.krigingSampler(prior, 0, v, new SplittableRandom(4));
		final double[] x = new double[h * w];
		for (int s = 0; s < 3; s++) {
			ks.next(x);
			final double[] ax = org.spectralposterior.core.posterior.SuperResolutionPosterior.degrade(blur, r, x);
			for (int i = 0; i < v.length; i++) assertEquals(v[i], ax[i], 1e-9, "sample " + s + " LR pixel " + i);
		}
	}

	/** A long closed form reports progress (group runs × steps) and stops on cancellation. */
	@Test
	void closedFormReportsProgressAndStops() {
		final GaussianPrior prior = prior(8, 6, 3);
		final SuperResolutionSampler ss = new SuperResolutionSampler(prior, psf(8, 6), 2, 0.1, new DiffusionSampler.Config(Methods.CGDM, Schedule.linear(), 256, BaseStep.DDPM, 1, null, 0));
		final java.util.List<long[]> updates = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
		ss.closedForm(null, () -> false, new org.spectralposterior.core.Progress() {
			@Override
			public void update(final long done, final long total) {
				updates.add(new long[] { done, total });
			}

			@Override
			public boolean cancelled() {
				return false;
			}
		});
		assertTrue(updates.size() >= 3, updates.size() + " updates");
		for (final long[] u : updates) assertTrue(u[0] > 0 && u[0] <= u[1] && u[1] == 256, u[0] + "/" + u[1]);
		final int[] polls = { 0 };
		org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CancellationException.class, () -> ss.closedForm(null, () -> ++polls[0] > 10, org.spectralposterior.core.Progress.NONE));
	}
}
