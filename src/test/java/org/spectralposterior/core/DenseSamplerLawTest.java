package org.spectralposterior.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.DenseSamplerLaw.Law;
import org.spectralposterior.core.DenseSamplerLaw.Steps;

/**
 * The dense reference itself has to be right before it can judge the Fourier closed forms: its
 * posterior against textbook forms, its propagated law against step-by-step sampling, its schedule
 * against the DDPM identities, and its W2 against the 1-D formula.
 */
class DenseSamplerLawTest {

	private static final int H = 4, W = 3, D = H * W;
	private static final String[] METHODS = { "dps", "pigdm", "cgdm", "ddnm", "scoreald", "sdedit", "ddrm", "unconditional" };

	// ---------------------------------------------------------------------------------------------
	// Fixtures

	/** A stationary SPD prior on an h×w grid: C_b C_bᵀ + 0.05 I with a lopsided smoothing kernel b. */
	static DMatrixRMaj prior(final int h, final int w) {
		final double[] b = new double[h * w];
		b[0] = 0.9;
		b[1] = 0.5;
		b[w] = 0.35;
		b[(h - 1) * w + w - 1] = 0.2;
		final DMatrixRMaj c = Dense.circulantFromKernel(b, h, w);
		final DMatrixRMaj s = new DMatrixRMaj(h * w, h * w);
		CommonOps_DDRM.multTransB(c, c, s);
		for (int i = 0; i < h * w; i++) s.add(i, i, 0.05);
		return s;
	}

	static double[] mean(final int d) {
		final double[] mu = new double[d];
		for (int i = 0; i < d; i++) mu[i] = 0.2 + 0.1 * ((7 * i) % 5);
		return mu;
	}

	/** Non-symmetric 3 taps at (0,0), (0,1), (1,0): a symmetric kernel would hide a flipped convolution. */
	static double[] threeTap(final int h, final int w) {
		final double[] k = new double[h * w];
		k[0] = 0.5;
		k[1] = 0.3;
		k[w] = 0.2;
		return k;
	}

	static final boolean[] MASK = { true, false, true, true, false, true, false, true, true, false, true, false };

	/** Per-method weights that keep ten steps stable; Score-ALD's χAᵀA x_t/√ᾱ = (w/ᾱ)AᵀA x_t needs w ∝ ᾱ. */
	static double[] weights(final String method, final Steps steps) {
		final double[] w = new double[steps.size()];
		for (int j = 0; j < w.length; j++) {
			w[j] = switch (method) {
				case "dps" -> 0.5;
				case "scoreald" -> 0.2 * steps.abT()[j];
				default -> 1;
			};
		}
		return w;
	}

	static double[] measurement(final DMatrixRMaj a, final DMatrixRMaj sigma, final double[] mu, final double noise, final long seed) {
		final SplittableRandom rng = new SplittableRandom(seed);
		final DMatrixRMaj root = Dense.sqrtm(sigma);
		final double[] z = new double[mu.length];
		for (int i = 0; i < z.length; i++) z[i] = rng.nextGaussian();
		final DMatrixRMaj x = new DMatrixRMaj(mu.length, 1);
		CommonOps_DDRM.mult(root, Dense.vector(z), x);
		for (int i = 0; i < mu.length; i++) x.add(i, 0, mu[i]);
		final DMatrixRMaj v = new DMatrixRMaj(a.numRows, 1);
		CommonOps_DDRM.mult(a, x, v);
		for (int i = 0; i < a.numRows; i++) v.add(i, 0, noise * rng.nextGaussian());
		return v.data;
	}

	static double relFrob(final DMatrixRMaj got, final DMatrixRMaj want) {
		final DMatrixRMaj diff = got.copy();
		CommonOps_DDRM.subtractEquals(diff, want);
		return NormOps_DDRM.normF(diff) / NormOps_DDRM.normF(want);
	}

	// ---------------------------------------------------------------------------------------------
	// 1. The exact posterior

	@Test
	void posteriorAgreesWithTheDenoisingAndInformationForms() {
		final double noise = 0.3;
		// Denoising, A = I, circulant Σ: Σ_post = Σ − Σ(Σ + σ²I)^{-1}Σ and P* = Σ(Σ + σ²I)^{-1}.
		final DMatrixRMaj sigma = prior(H, W);
		final double[] mu = mean(D);
		final Law post = DenseSamplerLaw.posterior(CommonOps_DDRM.identity(D), sigma, mu, noise);
		final DMatrixRMaj reg = sigma.copy();
		for (int i = 0; i < D; i++) reg.add(i, i, noise * noise);
		CommonOps_DDRM.invert(reg);
		final DMatrixRMaj p = new DMatrixRMaj(D, D), sp = new DMatrixRMaj(D, D);
		CommonOps_DDRM.mult(sigma, reg, p);
		CommonOps_DDRM.mult(p, sigma, sp);
		final DMatrixRMaj want = sigma.copy();
		CommonOps_DDRM.subtractEquals(want, sp);
		assertTrue(relFrob(post.S(), want) < 1e-12, "denoising Σ_post: " + relFrob(post.S(), want));
		assertTrue(relFrob(post.P(), p) < 1e-12, "denoising P*: " + relFrob(post.P(), p));
		// q* = (I − P*) μ = σ²(Σ + σ²I)^{-1} μ.
		final DMatrixRMaj q = new DMatrixRMaj(D, 1);
		CommonOps_DDRM.mult(noise * noise, reg, Dense.vector(mu), q);
		assertTrue(relFrob(post.q(), q) < 1e-12, "denoising q*: " + relFrob(post.q(), q));

		// A genuinely rank-deficient operator (blur + decimation by 2, m = 4 < d = 16), checked against
		// the information form Σ_post = (Σ^{-1} + AᵀA/σ²)^{-1}, P* = Σ_post Aᵀ/σ² — a different formula,
		// so a transposed factor or a wrong inverse in posterior() shows.
		final DMatrixRMaj s4 = prior(4, 4), a = DenseSamplerLaw.superResolution(threeTap(4, 4), 4, 4, 2);
		final Law p4 = DenseSamplerLaw.posterior(a, s4, mean(16), noise);
		final DMatrixRMaj info = s4.copy();
		CommonOps_DDRM.invert(info);
		final DMatrixRMaj ata = new DMatrixRMaj(16, 16);
		CommonOps_DDRM.multTransA(a, a, ata);
		CommonOps_DDRM.addEquals(info, 1 / (noise * noise), ata);
		CommonOps_DDRM.invert(info);
		assertTrue(relFrob(p4.S(), info) < 1e-10, "SR Σ_post: " + relFrob(p4.S(), info));
		final DMatrixRMaj pInfo = new DMatrixRMaj(16, 4);
		CommonOps_DDRM.multTransB(1 / (noise * noise), info, a, pInfo);
		assertTrue(relFrob(p4.P(), pInfo) < 1e-10, "SR P*: " + relFrob(p4.P(), pInfo));
	}

	@Test
	void oneCgdmStepFromPureNoiseReturnsThePosteriorMean() {
		// At ᾱ → 0 the denoiser forgets x_t (G ≈ √ᾱ Σ, x̂0 ≈ μ) and Γ → Σ, so one CGDM step with
		// φ = 1, ψ = ν = 0 and w = 1 is μ + ΣAᵀ(AΣAᵀ + σ²I)^{-1}(v − Aμ): the posterior mean, with a
		// vanishing covariance. Checks cgdm's gain and the c-term of the affine step in one go.
		final DMatrixRMaj sigma = prior(H, W), a = DenseSamplerLaw.inpainting(MASK);
		final double[] mu = mean(D);
		final Steps one = new Steps(new double[] { 1e-12 }, new double[] { 1 }, new double[] { 1 }, new double[] { 0 }, new double[] { 0 });
		final Law law = DenseSamplerLaw.law("cgdm", a, sigma, mu, 0.2, one, new double[] { 1 });
		final Law post = DenseSamplerLaw.posterior(a, sigma, mu, 0.2);
		assertTrue(relFrob(law.P(), post.P()) < 1e-8, "P: " + relFrob(law.P(), post.P()));
		assertTrue(relFrob(law.q(), post.q()) < 1e-8, "q: " + relFrob(law.q(), post.q()));
		assertTrue(NormOps_DDRM.normF(law.S()) < 1e-8, "S: " + NormOps_DDRM.normF(law.S()));
	}

	@Test
	void ddnmWithUnitWeightIsDataConsistentForInpainting() {
		// The last DDNM step (φ = 1, w = 1) is x̂0 + A⁺(v − A x̂0) and A A⁺ = I for a mask, so
		// A x_0 = v exactly: A P = I, A q = 0, A S Aᵀ = 0, whatever came before.
		final DMatrixRMaj sigma = prior(H, W), a = DenseSamplerLaw.inpainting(MASK);
		final Steps steps = DenseSamplerLaw.ddpm(10);
		final Law law = DenseSamplerLaw.law("ddnm", a, sigma, mean(D), 0.1, steps, weights("ddnm", steps));
		final int m = a.numRows;
		final DMatrixRMaj ap = new DMatrixRMaj(m, m), aq = new DMatrixRMaj(m, 1), as = new DMatrixRMaj(m, D), asa = new DMatrixRMaj(m, m);
		CommonOps_DDRM.mult(a, law.P(), ap);
		CommonOps_DDRM.mult(a, law.q(), aq);
		CommonOps_DDRM.mult(a, law.S(), as);
		CommonOps_DDRM.multTransB(as, a, asa);
		assertTrue(relFrob(ap, CommonOps_DDRM.identity(m)) < 1e-10, "A P");
		assertTrue(NormOps_DDRM.normF(aq) < 1e-10, "A q");
		assertTrue(NormOps_DDRM.normF(asa) < 1e-10, "A S Aᵀ");
	}

	// ---------------------------------------------------------------------------------------------
	// 2. Monte-Carlo: the propagated law against step-by-step samples

	private record Config(String name, DMatrixRMaj a, DMatrixRMaj sigma, double noise) {}

	/** One Monte-Carlo case; {@code wrong} is a law the samples must be told apart from (or null). */
	private record Case(Config cfg, String method, double[] v, long seed, String wrong) {}

	/**
	 * Mean: each coordinate within 5 standard errors sqrt(S_ii/N). Covariance: with the unbiased
	 * sample covariance of N Gaussian draws, Var(Ŝ_ij) = (S_ij² + S_ii S_jj)/(N−1) (Wishart), so
	 * E‖Ŝ − S‖_F² = (‖S‖_F² + (tr S)²)/(N−1); the bound is 4 times that root-mean-square (‖Ŝ − S‖_F²
	 * is at worst a single χ²₁ in that unit, P(χ²₁ > 16) ≈ 6e-5). Both get an absolute floor of
	 * rounding size, because a law can be a point mass: DDNM with a full-rank A ends on A⁻¹v exactly,
	 * and then S and Ŝ are both ~1e-30 and their ratio means nothing.
	 * Returns {worst mean z, covariance error in units of the bound's root-mean-square}.
	 */
	static double[] mcStatistics(final Law law, final double[] v, final double[][] xs) {
		final int n = xs.length, d = xs[0].length;
		final double[] m = law.mean(v), avg = new double[d];
		for (final double[] x : xs) for (int i = 0; i < d; i++) avg[i] += x[i] / n;
		double worstZ = 0;
		for (int i = 0; i < d; i++) {
			final double se = Math.sqrt(Math.max(law.S().get(i, i), 1e-20) / n);
			worstZ = Math.max(worstZ, Math.abs(avg[i] - m[i]) / se);
		}
		final DMatrixRMaj cov = new DMatrixRMaj(d, d);
		for (final double[] x : xs) for (int i = 0; i < d; i++) for (int k = 0; k < d; k++) cov.add(i, k, (x[i] - avg[i]) * (x[k] - avg[k]) / (n - 1));
		final DMatrixRMaj diff = cov.copy();
		CommonOps_DDRM.subtractEquals(diff, law.S());
		final double f = NormOps_DDRM.normF(law.S()), tr = CommonOps_DDRM.trace(law.S());
		final double rms = Math.sqrt((f * f + tr * tr) / (n - 1)) + 1e-12;
		return new double[] { worstZ, NormOps_DDRM.normF(diff) / rms };
	}

	@Test
	void propagatedLawMatchesStepByStepSamples() {
		final int n = 4000;
		final DMatrixRMaj sigma = prior(H, W);
		final double[] mu = mean(D);
		final List<Config> configs = List.of(
				new Config("blur 4×3 r=1", DenseSamplerLaw.superResolution(threeTap(H, W), H, W, 1), sigma, 0.1),
				new Config("inpaint 4×3", DenseSamplerLaw.inpainting(MASK), sigma, 0.1),
				// m < d with distinct singular values: DDRM's null branch and all of V's columns in play.
				new Config("SR 4×4 r=2", DenseSamplerLaw.superResolution(threeTap(4, 4), 4, 4, 2), prior(4, 4), 0.1),
				// Noise-free measurements: DDRM's σ_y = 0 branches (observed coordinates replaced by ȳ while
				// σ_s > 0, the denoiser's value at σ_s = 0), DDNM and PiGDM without regularisation.
				new Config("inpaint σ=0", DenseSamplerLaw.inpainting(MASK), sigma, 0));
		final Steps steps = DenseSamplerLaw.ddpm(10);
		final List<Case> cases = new ArrayList<>();
		long seed = 100;
		for (final Config cfg : configs) {
			final double[] v = measurement(cfg.a, cfg.sigma, mean(cfg.sigma.numRows), cfg.noise, seed++);
			final String[] methods = cfg.noise == 0 ? new String[] { "ddrm", "ddnm", "pigdm" } : METHODS;
			for (final String method : methods) {
				// Power: the same samples must be rejected by a wrong law. Unconditional and SDEdit are
				// one law for practical purposes (√ᾱ_T ≈ 0.006 is all SDEdit's start keeps of v), so
				// those two are set against PiGDM, every other method against unconditional.
				final String wrong = cfg.noise == 0 ? null : method.equals("unconditional") || method.equals("sdedit") ? "pigdm" : "unconditional";
				cases.add(new Case(cfg, method, v, seed++, wrong));
			}
		}
		// Each case has its own seed, so running them in parallel changes nothing but the time.
		final String[] lines = new String[cases.size()], failures = new String[cases.size()];
		IntStream.range(0, cases.size()).parallel().forEach(c -> {
			final Case cs = cases.get(c);
			final Config cfg = cs.cfg;
			final double[] cmu = mean(cfg.sigma.numRows), w = weights(cs.method, steps);
			final Law law = DenseSamplerLaw.law(cs.method, cfg.a, cfg.sigma, cmu, cfg.noise, steps, w);
			final SplittableRandom rng = new SplittableRandom(cs.seed);
			final double[][] xs = new double[n][];
			// The first draw through the public entry point, the rest through the same sampler with its
			// matrices built once (sample() rebuilds them per call, too slow for 4000 × 27 draws).
			xs[0] = DenseSamplerLaw.sample(cs.method, cfg.a, cfg.sigma, cmu, cfg.noise, steps, w, cs.v, rng);
			final DenseSamplerLaw.Sampler sampler = DenseSamplerLaw.sampler(cs.method, cfg.a, cfg.sigma, cmu, cfg.noise, steps, w);
			for (int k = 1; k < n; k++) xs[k] = sampler.sample(cs.v, rng);
			final double[] st = mcStatistics(law, cs.v, xs);
			String line = String.format(Locale.ROOT, "%-13s %-13s mean z %.2f  cov ratio %.2f", cfg.name, cs.method, st[0], st[1]);
			String fail = st[0] < 5 && st[1] < 4 ? null : cfg.name + " " + cs.method + ": mean z " + st[0] + ", cov ratio " + st[1];
			if (cs.wrong != null) {
				final Law wrong = DenseSamplerLaw.law(cs.wrong, cfg.a, cfg.sigma, cmu, cfg.noise, steps, weights(cs.wrong, steps));
				final double[] sw = mcStatistics(wrong, cs.v, xs);
				line += String.format(Locale.ROOT, "   (against %s: z %.1f, cov %.1f)", cs.wrong, sw[0], sw[1]);
				if (!(sw[0] >= 5 || sw[1] >= 4)) fail = (fail == null ? "" : fail + "; ") + cfg.name + " " + cs.method + ": not told from " + cs.wrong;
			}
			lines[c] = line;
			failures[c] = fail;
		});
		System.out.println(String.join("\n", lines));
		final List<String> failed = new ArrayList<>();
		for (final String f : failures) if (f != null) failed.add(f);
		assertTrue(failed.isEmpty(), String.join("\n", failed));
	}

	// ---------------------------------------------------------------------------------------------
	// 3. The DDPM schedule

	@Test
	void ddpmStepsFollowTheStridedLinearSchedule() {
		final Steps s = DenseSamplerLaw.ddpm(10);
		assertEquals(10, s.size());
		// ᾱ at t = T for the linear 1e-4 … 0.02 schedule, computed in log space independently.
		double logT = 0, log900 = 0;
		for (int i = 1; i <= 1000; i++) {
			final double l = Math.log1p(-(1e-4 + (0.02 - 1e-4) * (i - 1) / 999.0));
			logT += l;
			if (i <= 900) log900 += l;
		}
		assertEquals(Math.exp(logT), s.abT()[0], 1e-12 * Math.exp(logT) + 1e-18);
		assertEquals(Math.exp(log900), s.abS()[0], 1e-12);
		assertTrue(Math.abs(s.abT()[0] - 4.036e-5) < 1e-3 * 4.036e-5, "ᾱ_T = " + s.abT()[0]);
		for (int j = 0; j < 9; j++) {
			assertEquals(s.abS()[j], s.abT()[j + 1], 0, "steps chain: ᾱ_s of step j is ᾱ_t of step j+1");
			// The ancestral step is the posterior q(x_s | x_t, x0): it keeps the mean √ᾱ_s x0 given x0
			// (φ + ψ√ᾱ_t = √ᾱ_s) and the marginal variance (ψ²(1 − ᾱ_t) + ν² = 1 − ᾱ_s).
			assertEquals(Math.sqrt(s.abS()[j]), s.phi()[j] + s.psi()[j] * Math.sqrt(s.abT()[j]), 1e-12, "mean identity at step " + j);
			assertEquals(1 - s.abS()[j], s.psi()[j] * s.psi()[j] * (1 - s.abT()[j]) + s.nu()[j] * s.nu()[j], 1e-12, "variance identity at step " + j);
		}
		assertEquals(1, s.abS()[9]);
		assertEquals(1, s.phi()[9]);
		assertEquals(0, s.psi()[9]);
		assertEquals(0, s.nu()[9]);
		// t_j = round(T(n − j)/n) with a non-divisor n: 1000·2/3 = 666.67 → 667, so step 1 starts at t = 667.
		final Steps three = DenseSamplerLaw.ddpm(3);
		double log667 = 0;
		for (int i = 1; i <= 667; i++) log667 += Math.log1p(-(1e-4 + (0.02 - 1e-4) * (i - 1) / 999.0));
		assertEquals(Math.exp(log667), three.abT()[1], 1e-12);
	}

	// ---------------------------------------------------------------------------------------------
	// 4. Many unconditional steps recover the prior

	@Test
	void unconditionalWithManyStepsEndsNearThePrior() {
		final DMatrixRMaj sigma = prior(H, W);
		final double[] mu = mean(D);
		final Steps steps = DenseSamplerLaw.ddpm(1000);
		final Law law = DenseSamplerLaw.law("unconditional", CommonOps_DDRM.identity(D), sigma, mu, 0.1, steps, new double[1000]);
		final double covErr = relFrob(law.S(), sigma);
		final double meanErr = relFrob(law.q(), Dense.vector(mu));
		System.out.printf(Locale.ROOT, "unconditional, 1000 DDPM steps: relative Frobenius error of S %.3e, of the mean %.3e%n", covErr, meanErr);
		// The ancestral step drops the φ²Γ part of the true reverse covariance, an O(β) bias in total:
		// it must be small, not zero.
		assertTrue(covErr < 1e-2, "S vs Σ: " + covErr);
		assertTrue(meanErr < 1e-2, "mean vs μ: " + meanErr);
		assertTrue(NormOps_DDRM.normF(law.P()) == 0, "no dependence on v");
	}

	// ---------------------------------------------------------------------------------------------
	// 5. W2

	@Test
	void w2IsZeroOnEqualLawsAndMatchesOneDimension() {
		final DMatrixRMaj c = prior(H, W);
		final double[] m = mean(D);
		assertEquals(0, DenseSamplerLaw.w2Squared(m, c, m, c), 1e-10);
		for (final double[] t : new double[][] { { 2.0, 0.5, 0.3, -1.1 }, { 1e-3, 4, 0, 0 }, { 0, 1, 2, 2 } }) {
			final double a = t[0], b = t[1];
			final double want = Math.pow(Math.sqrt(a) - Math.sqrt(b), 2) + (t[2] - t[3]) * (t[2] - t[3]);
			final double got = DenseSamplerLaw.w2Squared(new double[] { t[2] }, new DMatrixRMaj(new double[][] { { a } }), new double[] { t[3] },
					new DMatrixRMaj(new double[][] { { b } }));
			assertEquals(want, got, 1e-12, "1-D a = " + a + ", b = " + b);
		}
		// Commuting (diagonal) covariances: the 1-D formula coordinate by coordinate.
		final DMatrixRMaj c1 = CommonOps_DDRM.diag(1, 4, 0.25), c2 = CommonOps_DDRM.diag(9, 1, 0.25);
		assertEquals(4 + 1 + 0 + 1, DenseSamplerLaw.w2Squared(new double[] { 1, 0, 0 }, c1, new double[] { 0, 0, 0 }, c2), 1e-12);
	}

	@Test
	void expectedW2IsZeroForThePosteriorAndMatchesAnAverageOverMeasurements() {
		final DMatrixRMaj sigma = prior(H, W), a = DenseSamplerLaw.superResolution(threeTap(H, W), H, W, 1);
		final double[] mu = mean(D);
		final double noise = 0.1;
		final Law post = DenseSamplerLaw.posterior(a, sigma, mu, noise);
		assertEquals(0, DenseSamplerLaw.expectedW2Squared(post, post, a, sigma, mu, noise), 1e-10);
		final Steps steps = DenseSamplerLaw.ddpm(10);
		final Law law = DenseSamplerLaw.law("dps", a, sigma, mu, noise, steps, weights("dps", steps));
		final double exact = DenseSamplerLaw.expectedW2Squared(law, post, a, sigma, mu, noise);
		// The mean part as an average over v drawn from the measurement model; the covariance part does
		// not depend on v, so only the mean gap is averaged.
		final double bures = DenseSamplerLaw.w2Squared(new double[D], law.S(), new double[D], post.S());
		final int n = 20000;
		double sum = 0, sum2 = 0;
		for (int k = 0; k < n; k++) {
			final double[] v = measurement(a, sigma, mu, noise, 7000 + k);
			final double[] m1 = law.mean(v), m2 = post.mean(v);
			double g = 0;
			for (int i = 0; i < D; i++) g += (m1[i] - m2[i]) * (m1[i] - m2[i]);
			sum += g;
			sum2 += g * g;
		}
		final double avg = sum / n, se = Math.sqrt((sum2 / n - avg * avg) / n);
		assertTrue(Math.abs(avg + bures - exact) < 5 * se, "E_v W2²: exact " + exact + ", Monte-Carlo " + (avg + bures) + " ± " + se);
		assertTrue(exact > 10 * se, "the test can tell a wrong mean part: exact " + exact + ", se " + se);
	}

	// ---------------------------------------------------------------------------------------------
	// The operators

	@Test
	void operatorsFollowTheStatedConventions() {
		// Super-resolution against the convolution sum written out, on a random image: a flipped kernel
		// or a transposed index would change the non-symmetric taps' positions.
		final int h = 4, w = 6, r = 2;
		final double[] k = threeTap(h, w);
		final DMatrixRMaj a = DenseSamplerLaw.superResolution(k, h, w, r);
		assertEquals(h / r * (w / r), a.numRows);
		assertEquals(h * w, a.numCols);
		final SplittableRandom rng = new SplittableRandom(5);
		final double[] x = new double[h * w];
		for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
		final DMatrixRMaj ax = new DMatrixRMaj(a.numRows, 1);
		CommonOps_DDRM.mult(a, Dense.vector(x), ax);
		for (int y = 0; y < h / r; y++) for (int xx = 0; xx < w / r; xx++) {
			final int py = r * y, px = r * xx;
			double want = 0;
			for (int qy = 0; qy < h; qy++) for (int qx = 0; qx < w; qx++)
				want += k[Math.floorMod(py - qy, h) * w + Math.floorMod(px - qx, w)] * x[qy * w + qx];
			assertEquals(want, ax.get(y * (w / r) + xx, 0), 1e-12);
		}
		// A delta at pixel 0 through the r = 1 blur puts tap (0,1) at pixel (0,1), not (0, w−1).
		final DMatrixRMaj b = DenseSamplerLaw.superResolution(k, h, w, 1);
		assertEquals(0.3, b.get(1, 0), 0);
		assertEquals(0, b.get(w - 1, 0), 0);
		// Inpainting: the identity rows of the observed pixels in increasing order.
		final DMatrixRMaj m = DenseSamplerLaw.inpainting(MASK);
		int row = 0;
		for (int i = 0; i < MASK.length; i++) {
			if (!MASK[i]) continue;
			for (int j = 0; j < MASK.length; j++) assertEquals(i == j ? 1 : 0, m.get(row, j), 0);
			row++;
		}
		assertEquals(row, m.numRows);
	}
}
