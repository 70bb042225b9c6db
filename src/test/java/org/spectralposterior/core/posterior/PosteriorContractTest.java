package org.spectralposterior.core.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Dense;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The one posterior interface (issue 9) holds the same contract for every operator — convolution with
 * an asymmetric PSF, super-resolution ×2 and ×3, inpainting — against dense kriging with the operator
 * written as a matrix (its columns are the operator applied to the unit images, so the reference shares
 * no Fourier code with the implementations): the mean and the per-pixel variance to 1e-8, and the draws'
 * joint law (empirical mean and whole covariance of 3000 samples, Monte-Carlo bounds) — a covariance test
 * that the prior's own covariance fails. The same generator gives the same draws.
 */
class PosteriorContractTest {

	/** {@code measurement}: the operator's output as the posterior reads it (inpainting: the full grid, NaN where missing). */
	record Case(String name, Problem problem, UnaryOperator<double[]> a, int outPixels, UnaryOperator<double[]> measurement) {
		Case(final String name, final Problem problem, final UnaryOperator<double[]> a, final int outPixels) {
			this(name, problem, a, outPixels, x -> x);
		}
	}

	static List<Case> cases() {
		final GaussianPrior p1 = InpaintingPosteriorTest.prior(7, 9, 0.4), p2 = InpaintingPosteriorTest.prior(8, 6, -0.2), p3 = InpaintingPosteriorTest.prior(9, 6, 0.1);
		final BlurOperator conv = BlurOperator.of(org.spectralposterior.core.operator.OperatorSpec.psf(new double[] { 0.5, 0.2, 0, 0.1, 0, 0.15, 0.05, 0, 0 }, 3, 3), 7, 9);
		final BlurOperator b2 = BlurOperator.of(org.spectralposterior.core.operator.OperatorSpec.gaussian(0.8), 8, 6), b3 = BlurOperator.of(org.spectralposterior.core.operator.OperatorSpec.gaussian(0.7), 9, 6);
		final boolean[] obs = InpaintingPosteriorTest.mask(7, 9, 2, 3, 3, 3, 5);
		return List.of(new Case("convolution", new Problem(p1, new Problem.Convolution(conv), 0.2), conv::apply, 63),
			new Case("super-resolution ×2", new Problem(p2, new Problem.Decimation(b2, 2), 0.1), x -> SuperResolutionPosterior.degrade(b2, 2, x), 12),
			new Case("super-resolution ×3", new Problem(p3, new Problem.Decimation(b3, 3), 0.05), x -> SuperResolutionPosterior.degrade(b3, 3, x), 6),
			new Case("inpainting", new Problem(InpaintingPosteriorTest.prior(7, 9, 0.3), new Problem.Mask(obs), 0.1), x -> select(x, obs), count(obs), x -> spread(x, obs)));
	}

	static double[] select(final double[] x, final boolean[] obs) {
		final double[] out = new double[count(obs)];
		for (int i = 0, j = 0; i < x.length; i++) if (obs[i]) out[j++] = x[i];
		return out;
	}

	static double[] spread(final double[] x, final boolean[] obs) {
		final double[] out = new double[obs.length];
		for (int i = 0, j = 0; i < obs.length; i++) out[i] = obs[i] ? x[j++] : Double.NaN;
		return out;
	}

	static int count(final boolean[] obs) {
		int m = 0;
		for (final boolean b : obs) if (b) m++;
		return m;
	}

	/** Dense kriging for any A: {mean, Σ_post}. */
	static DMatrixRMaj[] dense(final GaussianPrior prior, final UnaryOperator<double[]> a, final int m, final double[] v, final double sigma) {
		final int d = prior.plane().pixels;
		final DMatrixRMaj s = Dense.circulantFromSpectrum(prior.plane(), prior.spectrum().values()), am = new DMatrixRMaj(m, d);
		for (int i = 0; i < d; i++) {
			final double[] e = new double[d];
			e[i] = 1;
			final double[] col = a.apply(e);
			for (int r = 0; r < m; r++) am.set(r, i, col[r]);
		}
		final DMatrixRMaj sat = new DMatrixRMaj(d, m), c = new DMatrixRMaj(m, m);
		CommonOps_DDRM.multTransB(s, am, sat);
		CommonOps_DDRM.mult(am, sat, c);
		for (int r = 0; r < m; r++) c.add(r, r, sigma * sigma);
		if (!CommonOps_DDRM.invert(c)) throw new IllegalStateException("singular");
		final double[] flat = new double[d];
		java.util.Arrays.fill(flat, prior.mean());
		final double[] am0 = a.apply(flat);
		final DMatrixRMaj res = new DMatrixRMaj(m, 1), k = new DMatrixRMaj(d, m), mean = new DMatrixRMaj(d, 1), post = new DMatrixRMaj(d, d);
		for (int r = 0; r < m; r++) res.set(r, 0, v[r] - am0[r]);
		CommonOps_DDRM.mult(sat, c, k);
		CommonOps_DDRM.mult(k, res, mean);
		for (int i = 0; i < d; i++) mean.add(i, 0, prior.mean());
		CommonOps_DDRM.multTransB(k, sat, post);
		CommonOps_DDRM.subtract(s, post, post);
		return new DMatrixRMaj[] { mean, post };
	}

	@Test
	void everyOperatorsPosteriorIsDenseKriging() {
		for (final Case c : cases()) {
			final Problem pr = c.problem();
			final int d = pr.prior().plane().pixels;
			final SplittableRandom r = new SplittableRandom(3);
			final double[] compact = new double[c.outPixels()];
			for (int i = 0; i < compact.length; i++) compact[i] = pr.prior().mean() + r.nextGaussian();
			final DMatrixRMaj[] ref = dense(pr.prior(), c.a(), c.outPixels(), compact, pr.sigma());
			final double[] v = c.measurement().apply(compact);
			final Posterior post = pr.posterior();
			final double[] mean = post.mean(v, Progress.NONE), var = post.pixelVariance(Progress.NONE);
			for (int i = 0; i < d; i++) {
				assertEquals(ref[0].get(i, 0), mean[i], 1e-8, c.name() + " mean " + i);
				assertEquals(ref[1].get(i, i), var[i], 1e-8, c.name() + " variance " + i);
			}
			// The draws' joint law: 3000 samples, whole covariance.
			final int n = 3000;
			final Posterior.Draws draws = post.draws(v, new SplittableRandom(11), Progress.NONE);
			final double[][] xs = new double[n][d];
			final double[] avg = new double[d];
			for (int s = 0; s < n; s++) {
				draws.next(xs[s]);
				for (int i = 0; i < d; i++) avg[i] += xs[s][i] / n;
			}
			double worstZ = 0, covErr = 0, priorErr = 0, scale = 0;
			final DMatrixRMaj prior = Dense.circulantFromSpectrum(pr.prior().plane(), pr.prior().spectrum().values());
			for (int i = 0; i < d; i++) {
				final double sd = Math.sqrt(Math.max(ref[1].get(i, i), 1e-30) / n);
				worstZ = Math.max(worstZ, Math.abs(avg[i] - ref[0].get(i, 0)) / sd);
				for (int j = 0; j < d; j++) {
					double cij = 0;
					for (int s = 0; s < n; s++) cij += (xs[s][i] - avg[i]) * (xs[s][j] - avg[j]);
					cij /= n - 1;
					final double e = ref[1].get(i, j);
					covErr += (cij - e) * (cij - e);
					priorErr += (cij - prior.get(i, j)) * (cij - prior.get(i, j));
					// Var of a sample covariance entry ≈ (Σ_ii Σ_jj + Σ_ij²)/n.
					scale += (ref[1].get(i, i) * ref[1].get(j, j) + e * e) / n;
				}
			}
			assertTrue(worstZ < 4.5, c.name() + ": worst mean z " + worstZ);
			// E‖Ĉ − Σ‖²_F = scale; 1.5× leaves room for its fluctuation over d² correlated entries.
			assertTrue(covErr < 1.5 * scale, c.name() + ": covariance error² " + covErr + " vs its expectation " + scale);
			assertTrue(priorErr > 10 * scale, c.name() + ": the test must tell the posterior from the prior (" + priorErr + " vs " + scale + ")");
			// Deterministic per generator.
			final double[] a = new double[d], b = new double[d];
			post.draws(v, new SplittableRandom(5), Progress.NONE).next(a);
			pr.posterior().draws(v, new SplittableRandom(5), Progress.NONE).next(b);
			for (int i = 0; i < d; i++) assertEquals(a[i], b[i], 0, c.name() + " same seed, same draw");
		}
	}
}
