package org.spectralposterior.core.continuous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleBinaryOperator;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.continuous.ContinuousSchemes.Config;
import org.spectralposterior.core.continuous.ContinuousSchemes.Init;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.Spectrum;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * MATH §11. Not checked here, because their data cannot be built offline: the CIFAR-10 table (ε = 0, N(0, I); NFE
 * 50/250/500/1000: EM 4.776/0.655/0.315/0.160, EI 2.807/0.570/0.300/0.160, DDPM 6.821/0.974/0.470/0.234, Euler
 * 1.783/0.443/0.261/0.167, continuous SDE 6.7e-4, ODE 0.073) needs the authors' cifar10.npy eigenvalues, and the
 * ADSN numbers (EM 53.37/10.58/6.266/4.017, Euler 5.695/3.267/2.505/1.872) need their ADSN.npy. The tests below
 * check the recurrences against independent derivations instead.
 */
class ContinuousSchemesTest {

	private static final double T = 1;

	private static double beta(final double t) {
		return 0.05 + 9.95 * t;
	}

	/** ℓ at backward time s, from the forward law Var x_t = e^{−2B}λ + 1 − e^{−2B}, B by Simpson (exact for β linear). */
	private static double ell(final double lambda, final double s) {
		final double t = T - s, b = t / 6 * (beta(0) + 4 * beta(t / 2) + beta(t));
		return Math.exp(-2 * b) * lambda + 1 - Math.exp(-2 * b);
	}

	/** The backward SDE's drift at backward time s for the state y: β(y + 2 score), score = −y/ℓ. */
	private static double sdeDrift(final double lambda, final double s, final double y) {
		return beta(T - s) * (y - 2 * y / ell(lambda, s));
	}

	/** The flow ODE's right-hand side β(y + score). */
	private static double odeRhs(final double lambda, final double s, final double y) {
		return beta(T - s) * (y - y / ell(lambda, s));
	}

	/**
	 * Independent reference: each scheme written as the pixel-domain update y_{k+1} = F(y_k) + σ z applied to the
	 * state y = 1 (F is linear, so F(1) is its gain), then Var ← F(1)² Var + σ².
	 */
	private static double reference(final Scheme scheme, final double lambda, final int n, final double eps, final double v0) {
		final double d = (T - eps) / (n - 1);
		double v = v0;
		for (int k = 0; k < n - 1; k++) {
			final double s = k * d;
			final DoubleBinaryOperator f = (time, y) -> odeRhs(lambda, time, y);
			double gain, noise = 0;
			switch (scheme) {
				case EM -> {
					gain = 1 + d * sdeDrift(lambda, s, 1);
					noise = 2 * beta(T - s) * d;
				}
				case EI -> {
					// Linear part β y integrated exactly over the step, score frozen at s: y' = β y − 2β y_k/ℓ_k.
					final double a = T - s - d, bb = T - s;
					final double ib = (bb - a) / 6 * (beta(a) + 4 * beta((a + bb) / 2) + beta(bb));
					gain = Math.exp(ib) - (Math.exp(ib) - 1) * 2 / ell(lambda, s);
					noise = Math.exp(2 * ib) - 1;
				}
				case PG_DDPM -> {
					// Ho's ancestral step with ν² = β_step = 2Δβ: y ← (y + β_step score)/√(1 − β_step) + √β_step z.
					final double bs = 2 * d * beta(T - s);
					gain = (1 - bs / ell(lambda, s)) / Math.sqrt(1 - bs);
					noise = bs;
				}
				case EULER -> gain = 1 + d * f.applyAsDouble(s, 1);
				case HEUN -> {
					final double k1 = f.applyAsDouble(s, 1), pred = 1 + d * k1;
					gain = 1 + d / 2 * (k1 + f.applyAsDouble(s + d, pred));
				}
				default -> {
					final double k1 = f.applyAsDouble(s, 1), k2 = f.applyAsDouble(s + d / 2, 1 + d / 2 * k1);
					final double k3 = f.applyAsDouble(s + d / 2, 1 + d / 2 * k2), k4 = f.applyAsDouble(s + d, 1 + d * k3);
					gain = 1 + d / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
				}
			}
			v = gain * gain * v + noise;
		}
		return v;
	}

	@Test
	void everySchemeMatchesItsScalarReference() {
		final double[] lams = { 0, 1e-3, 0.2, 1, 3.5 };
		for (final Scheme s : Scheme.values()) {
			for (final Init init : Init.values()) {
				final Config c = new Config(s, 200, 1e-3, init, false);
				final ContinuousSchemes.Result r = ContinuousSchemes.run(Eigenvalues.of(lams), c, Progress.NONE);
				assertTrue(r.defined(), r.status());
				for (int i = 0; i < lams.length; i++) {
					final double v0 = init == Init.STANDARD ? 1 : ell(lams[i], 0);
					final double ref = reference(s, lams[i], c.gridPoints(), 1e-3, v0);
					assertEquals(ref, r.finalVariance()[i], 1e-10 * (1 + ref), s + " " + init + " λ=" + lams[i]);
				}
			}
		}
	}

	/** The Lyapunov equations of the backward dynamics, integrated with 20 000 RK4 steps: v' = 2β(1 − 2/ℓ)v + 2β (SDE), 2β(1 − 1/ℓ)v (ODE). */
	private static double fine(final boolean ode, final double lambda, final double eps, final double v0) {
		final int m = 20000;
		final double h = (T - eps) / m;
		final DoubleBinaryOperator rhs = (s, v) -> ode ? 2 * odeRhs(lambda, s, v) : 2 * sdeDrift(lambda, s, v) + 2 * beta(T - s);
		double v = v0;
		for (int k = 0; k < m; k++) {
			final double s = k * h, k1 = rhs.applyAsDouble(s, v), k2 = rhs.applyAsDouble(s + h / 2, v + h / 2 * k1);
			final double k3 = rhs.applyAsDouble(s + h / 2, v + h / 2 * k2), k4 = rhs.applyAsDouble(s + h, v + h * k3);
			v += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
		}
		return v;
	}

	@Test
	void exactContinuousLawsMatchAFineIntegration() {
		for (final double lam : new double[] { 0.01, 0.3, 1, 4 }) {
			for (final double eps : new double[] { 1e-2, 0.3 }) {
				assertEquals(fine(false, lam, eps, 1), VpSde.sdeVariance(lam, eps, 1), 1e-8, "SDE λ=" + lam + " ε=" + eps);
				assertEquals(fine(true, lam, eps, 1), VpSde.odeVariance(lam, eps, 1), 1e-8, "ODE λ=" + lam + " ε=" + eps);
				assertEquals(fine(false, lam, eps, 0.4), VpSde.sdeVariance(lam, eps, 0.4), 1e-8, "SDE from v0 = 0.4");
			}
		}
		// MATH §11's closed form Σ^SDE_t = Σ_t + e^{−2(B_T−B_t)} Σ_t² Σ_T^{-1}(Σ_T^{-1} − I), written out separately.
		final double lam = 0.7, t = 0.1, lt = VpSde.diffused(lam, t), lT = VpSde.diffused(lam, 1);
		assertEquals(lt + Math.exp(-2 * (VpSde.bigB(1) - VpSde.bigB(t))) * lt * lt / lT * (1 / lT - 1), VpSde.sdeVariance(lam, t, 1), 1e-14);
	}

	@Test
	void pTInitialisationMakesTheContinuousErrorZero() {
		final Eigenvalues e = Eigenvalues.of(0, 0.01, 0.5, 2);
		assertEquals(0, ContinuousSchemes.continuousW2(e, true, 0, Init.P_T), 1e-12);
		assertEquals(0, ContinuousSchemes.continuousW2(e, false, 0, Init.P_T), 1e-12);
		final double sde = ContinuousSchemes.continuousW2(e, false, 0, Init.STANDARD), ode = ContinuousSchemes.continuousW2(e, true, 0, Init.STANDARD);
		assertTrue(sde > 0 && ode > sde, "Prop. 2: W2 of the SDE ≤ that of the ODE, both > 0 from N(0, I): " + sde + " " + ode);
	}

	/** |final variance − exact ODE variance at ε| summed over a smooth eigenvalue set. */
	private static double odeError(final Scheme s, final int nfe) {
		final double[] lams = new double[20];
		for (int i = 0; i < lams.length; i++) lams[i] = 0.05 + 0.1 * i;
		final double eps = 1e-2;
		final ContinuousSchemes.Result r = ContinuousSchemes.run(Eigenvalues.of(lams), new Config(s, nfe, eps, Init.P_T, false), Progress.NONE);
		double err = 0;
		for (int i = 0; i < lams.length; i++) err += Math.abs(r.finalVariance()[i] - VpSde.diffused(lams[i], eps));
		return err;
	}

	@Test
	void odeSchemesConvergeAtTheirOrders() {
		// Doubling the number of steps (N − 1 → 2(N − 1): NFE n·e + e → 2n·e + e) divides the error by about 2^order.
		final int[][] cases = { { 1, 200 }, { 2, 200 }, { 4, 100 } };
		final Scheme[] schemes = { Scheme.EULER, Scheme.HEUN, Scheme.RK4 };
		for (int j = 0; j < 3; j++) {
			final int e = schemes[j].evaluations, steps = cases[j][1];
			final double ratio = odeError(schemes[j], (steps + 1) * e) / odeError(schemes[j], (2 * steps + 1) * e);
			final double expected = Math.pow(2, cases[j][0]);
			assertTrue(ratio > 0.8 * expected && ratio < 1.25 * expected, schemes[j] + ": error ratio " + ratio + ", expected ≈ " + expected);
		}
	}

	@Test
	void sdeSchemesConvergeToTheContinuousSde() {
		final Eigenvalues e = Eigenvalues.of(0, 0.02, 0.5, 1.5);
		final double exact = ContinuousSchemes.continuousW2(e, false, 1e-3, Init.STANDARD);
		for (final Scheme s : new Scheme[] { Scheme.EM, Scheme.EI, Scheme.PG_DDPM }) {
			double prev = Double.POSITIVE_INFINITY;
			for (final int nfe : new int[] { 100, 1000, 10000 }) {
				final double err = Math.abs(ContinuousSchemes.run(e, new Config(s, nfe, 1e-3, Init.STANDARD, false), Progress.NONE).w2() - exact);
				assertTrue(err < prev, s + " at NFE " + nfe + ": " + err);
				prev = err;
			}
			assertTrue(prev < 2e-3, s + " at NFE 10000 is within 2e-3 of the continuous SDE: " + prev);
		}
	}

	@Test
	void trajectoryStartsAtTheInitialisationErrorAndEndsAtTheFinalError() {
		final Eigenvalues e = Eigenvalues.of(0, 0.3, 2);
		final ContinuousSchemes.Result r = ContinuousSchemes.run(e, new Config(Scheme.EULER, 50, 0.01, Init.P_T, false), Progress.NONE);
		assertEquals(0, r.trajectoryW2()[0], 1e-14);
		assertEquals(50, r.times().length);
		assertEquals(0.99, r.times()[49], 1e-12);
		final double[] pt = new double[3];
		for (int i = 0; i < 3; i++) pt[i] = VpSde.diffused(e.values()[i], 0.01);
		assertEquals(e.w2(r.finalVariance(), pt), r.trajectoryW2()[49], 1e-14);
		// Truncation: the final W2 to the data includes the gap between p_ε and the data.
		assertTrue(r.w2() > r.trajectoryW2()[49]);
	}

	@Test
	void tinyEigenvaluesSurviveNearTimeZero() {
		// ℓ_t → λ as t → 0 even for λ far below the double spacing around 1 (an ADSN prior's DC holds λ ~ 1e-29).
		assertEquals(1e-29, VpSde.diffused(1e-29, 0), 0);
		assertEquals(1e-12 + 2 * VpSde.bigB(1e-9), VpSde.diffused(1e-12, 1e-9), 1e-20);
	}

	@Test
	void heunAccountingAndTheNotebookQuirk() {
		assertEquals(25, new Config(Scheme.HEUN, 50, 1e-3, Init.STANDARD, false).gridPoints());
		assertEquals(50, new Config(Scheme.HEUN, 50, 1e-3, Init.STANDARD, true).gridPoints());
		assertEquals(12, new Config(Scheme.RK4, 50, 1e-3, Init.STANDARD, false).gridPoints());
		assertEquals(50, new Config(Scheme.EM, 50, 1e-3, Init.STANDARD, false).gridPoints());
	}

	@Test
	void undefinedCasesAreReportedNotComputed() {
		final Eigenvalues singular = Eigenvalues.of(0, 1);
		for (final Scheme s : new Scheme[] { Scheme.HEUN, Scheme.RK4 }) {
			final ContinuousSchemes.Result r = ContinuousSchemes.run(singular, new Config(s, 100, 0, Init.STANDARD, false), Progress.NONE);
			assertFalse(r.defined());
			assertTrue(r.status().contains("epsilon > 0"), r.status());
			assertTrue(Double.isNaN(r.w2()));
		}
		final ContinuousSchemes.Result tiny = ContinuousSchemes.run(Eigenvalues.of(1e-20, 1), new Config(Scheme.HEUN, 100, 0, Init.STANDARD, false), Progress.NONE);
		assertTrue(tiny.status().contains("divides by λ_min"), tiny.status());
		// ε = 0 is fine for the other schemes: their last score evaluation is at t_{N−2} < T.
		assertTrue(ContinuousSchemes.run(singular, new Config(Scheme.EULER, 100, 0, Init.STANDARD, false), Progress.NONE).defined());
		final ContinuousSchemes.Result d = ContinuousSchemes.run(singular, new Config(Scheme.PG_DDPM, 10, 0, Init.STANDARD, false), Progress.NONE);
		assertTrue(d.status().contains("NFE ≥ 22"), d.status());
		assertThrows(IllegalArgumentException.class, () -> new Config(Scheme.RK4, 7, 0.1, Init.STANDARD, false));
		assertThrows(IllegalArgumentException.class, () -> new Config(Scheme.EM, 50, 1, Init.STANDARD, false));
		assertThrows(IllegalArgumentException.class, () -> Scheme.parse("ddpm"));
		assertThrows(IllegalArgumentException.class, () -> Eigenvalues.of(-1));
	}

	// ---- Guided schemes (MATH §11.1) ----

	/** A 1×1 problem: one frequency (DC) with prior N(mean, λ), real transfer h, noise σ. */
	private static GuidedSchemes.Problem scalarProblem(final double lambda, final double mean, final double h, final double sigma) {
		final HalfPlane plane = new HalfPlane(1, 1);
		return new GuidedSchemes.Problem(new GaussianPrior(mean, new Spectrum(plane, new double[] { lambda })), BlurOperator.ofTransfer(plane, new double[] { h, 0 }), sigma);
	}

	/** e^{−2B} at forward time t, B by Simpson (exact for β linear), independent of VpSde. */
	private static double alphaBar(final double t) {
		return Math.exp(-2 * t / 6 * (beta(0) + 4 * beta(t / 2) + beta(t)));
	}

	/**
	 * Independent scalar score of x_τ given v (the guided approximation or the exact one), written from the papers'
	 * formulas on the pixel value y: prior −(y − √ᾱ M)/ℓ plus w·κ₁·h(v − h x̂0), x̂0 = M + g(y − √ᾱ M).
	 */
	private static double scalarScore(final GuidedSchemes.Guide guide, final double w, final double lam, final double mean, final double h, final double sigma, final double v, final double tau,
		final double y) {
		final double ab = alphaBar(tau), sa = Math.sqrt(ab), var = sigma * sigma;
		if (guide == GuidedSchemes.Guide.EXACT) {
			final double kStar = lam / (h * h * lam + var), s2 = lam * var / (h * h * lam + var), mu = kStar * h * v + (1 - kStar * h * h) * mean;
			return -(y - sa * mu) / (ab * s2 + 1 - ab);
		}
		final double ell = ab * lam + 1 - ab, g = sa * lam / ell, gamma = (1 - ab) * lam / ell, x0 = mean + g * (y - sa * mean);
		final double k1 = switch (guide) {
			case DPS -> g / var;
			case PIGDM -> g / ((1 - ab) * h * h + var);
			default -> g / (gamma * h * h + var);
		};
		return -(y - sa * mean) / ell + w * k1 * h * (v - h * x0);
	}

	/** Simulates the scheme on `paths` scalar samples with random numbers, from N(0, 1) at T; returns {mean, variance}. */
	private static double[] simulate(final Scheme scheme, final int n, final double eps, final int paths, final long seed, final java.util.function.DoubleBinaryOperator score) {
		final java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
		final double d = (T - eps) / (n - 1);
		final double[] y = new double[paths];
		for (int j = 0; j < paths; j++) y[j] = rng.nextGaussian();
		for (int k = 0; k < n - 1; k++) {
			final double s = k * d, b = beta(T - s);
			final DoubleBinaryOperator ode = (time, x) -> beta(T - time) * (x + score.applyAsDouble(T - time, x));
			for (int j = 0; j < paths; j++) {
				final double x = y[j];
				y[j] = switch (scheme) {
					case EM -> x + d * b * (x + 2 * score.applyAsDouble(T - s, x)) + Math.sqrt(2 * d * b) * rng.nextGaussian();
					case EI -> {
						final double a = T - s - d, bb = T - s, ib = (bb - a) / 6 * (beta(a) + 4 * beta((a + bb) / 2) + beta(bb));
						yield Math.exp(ib) * x + 2 * (Math.exp(ib) - 1) * score.applyAsDouble(T - s, x) + Math.sqrt(Math.exp(2 * ib) - 1) * rng.nextGaussian();
					}
					case PG_DDPM -> {
						final double bs = 2 * d * b;
						yield (x + bs * score.applyAsDouble(T - s, x)) / Math.sqrt(1 - bs) + Math.sqrt(bs) * rng.nextGaussian();
					}
					case EULER -> x + d * ode.applyAsDouble(s, x);
					case HEUN -> {
						final double k1 = ode.applyAsDouble(s, x);
						yield x + d / 2 * (k1 + ode.applyAsDouble(s + d, x + d * k1));
					}
					case RK4 -> {
						final double k1 = ode.applyAsDouble(s, x), k2 = ode.applyAsDouble(s + d / 2, x + d / 2 * k1);
						final double k3 = ode.applyAsDouble(s + d / 2, x + d / 2 * k2), k4 = ode.applyAsDouble(s + d, x + d * k3);
						yield x + d / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
					}
				};
			}
		}
		double m = 0;
		for (final double x : y) m += x;
		m /= paths;
		double v = 0;
		for (final double x : y) v += (x - m) * (x - m);
		return new double[] { m, v / (paths - 1) };
	}

	@Test
	void everyGuidedSchemeMatchesAScalarMonteCarlo() {
		// λ = 0.7, prior mean 0.3, h = 0.8, σ = 0.2, a fixed measurement v = 0.5; NFE small enough that the schemes differ.
		final double lam = 0.7, mean = 0.3, h = 0.8, sigma = 0.2, v = 0.5, eps = 1e-2;
		final GuidedSchemes.Problem pb = scalarProblem(lam, mean, h, sigma);
		final int paths = 40000;
		long seed = 11;
		for (final GuidedSchemes.Guide guide : GuidedSchemes.Guide.values()) {
			final double w = guide == GuidedSchemes.Guide.EXACT ? 1 : guide == GuidedSchemes.Guide.DPS ? 0.05 : 0.7;
			for (final Scheme s : Scheme.values()) {
				final Config c = new Config(s, s == Scheme.PG_DDPM ? 40 : 24 * s.evaluations, eps, Init.STANDARD, false);
				final GuidedSchemes.Result r = GuidedSchemes.run(pb, guide, w, c, Progress.NONE);
				assertTrue(r.defined(), r.status());
				final double lawMean = r.law().p()[0] * h * v + r.law().q()[0], lawVar = r.law().s2()[0];
				final double[] mc = simulate(s, c.gridPoints(), eps, paths, seed++, (tau, y) -> scalarScore(guide, w, lam, mean, h, sigma, v, tau, y));
				// 5 standard errors: of the mean √(s²/n), of the variance s²√(2/(n − 1)).
				final String what = guide.key + " " + s.key + ": MC " + mc[0] + ", " + mc[1] + " vs law " + lawMean + ", " + lawVar;
				assertEquals(lawMean, mc[0], 5 * Math.sqrt(lawVar / paths), what);
				assertEquals(lawVar, mc[1], 5 * lawVar * Math.sqrt(2.0 / (paths - 1)), what);
				assertTrue(lawVar > 0.01, what);
			}
		}
	}

	@Test
	void guidedRecurrenceIsTheSchemeAppliedToTheScoreExactly() {
		// Deterministic check, tighter than Monte Carlo: the ODE schemes carry no noise, so running the scalar
		// reference from y_T = 0 and y_T = 1 gives the mean (q + p h v) and the gain √s² of the output exactly.
		final double lam = 1.3, mean = -0.2, h = 0.6, sigma = 0.1, v = -0.4, eps = 1e-3;
		final GuidedSchemes.Problem pb = scalarProblem(lam, mean, h, sigma);
		for (final GuidedSchemes.Guide guide : GuidedSchemes.Guide.values()) {
			for (final Scheme s : new Scheme[] { Scheme.EULER, Scheme.HEUN, Scheme.RK4 }) {
				final Config c = new Config(s, 60 * s.evaluations, eps, Init.STANDARD, false);
				final GuidedSchemes.Result r = GuidedSchemes.run(pb, guide, 1, c, Progress.NONE);
				final DoubleBinaryOperator score = (tau, y) -> scalarScore(guide, 1, lam, mean, h, sigma, v, tau, y);
				final double y0 = deterministic(s, c.gridPoints(), eps, 0, score), y1 = deterministic(s, c.gridPoints(), eps, 1, score);
				assertEquals(y0, r.law().p()[0] * h * v + r.law().q()[0], 1e-10, guide.key + " " + s.key + " mean");
				assertEquals((y1 - y0) * (y1 - y0), r.law().s2()[0], 1e-10, guide.key + " " + s.key + " variance");
			}
		}
	}

	private static double deterministic(final Scheme scheme, final int n, final double eps, final double start, final DoubleBinaryOperator score) {
		final double d = (T - eps) / (n - 1);
		final DoubleBinaryOperator ode = (time, x) -> beta(T - time) * (x + score.applyAsDouble(T - time, x));
		double x = start;
		for (int k = 0; k < n - 1; k++) {
			final double s = k * d, k1 = ode.applyAsDouble(s, x);
			if (scheme == Scheme.EULER) x += d * k1;
			else if (scheme == Scheme.HEUN) x += d / 2 * (k1 + ode.applyAsDouble(s + d, x + d * k1));
			else {
				final double k2 = ode.applyAsDouble(s + d / 2, x + d / 2 * k1), k3 = ode.applyAsDouble(s + d / 2, x + d / 2 * k2), k4 = ode.applyAsDouble(s + d, x + d * k3);
				x += d / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
			}
		}
		return x;
	}

	/** An 8×8 problem: power-law prior with a mean, Gaussian blur 1, σ = 0.05 ([−1, 1] units). */
	private static GuidedSchemes.Problem smallProblem() {
		final HalfPlane plane = new HalfPlane(8, 8);
		final double[] lam = new double[plane.size];
		for (int i = 0; i < lam.length; i++) {
			final int r = plane.freqRow(i), c = plane.freqCol(i);
			final double fr = Math.min(r, 8 - r), fc = Math.min(c, 8 - c);
			lam[i] = 0.8 / (1 + fr * fr + fc * fc);
		}
		return new GuidedSchemes.Problem(new GaussianPrior(0.1, new Spectrum(plane, lam)), BlurOperator.of(org.spectralposterior.core.operator.OperatorSpec.gaussian(1), 8, 8), 0.05);
	}

	@Test
	void theExactConditionalScoreConvergesToThePosterior() {
		final GuidedSchemes.Problem pb = smallProblem();
		final double eps = 1e-6;
		for (final Scheme s : Scheme.values()) {
			// From the exact x_T | v the continuous limit is the truncation at ε alone (≈ 3e-6 here): the schemes' E_v W2
			// to the posterior → 0 with NFE. (|W2 − limit| need not shrink monotonically: the schemes' laws can cross it.)
			final double fromPt = Math.sqrt(GuidedSchemes.continuousExact(pb, s.ode, eps, Init.P_T).squared());
			assertTrue(fromPt < 1e-5, "exact conditional dynamics from p_T reproduce the posterior up to ε: " + fromPt);
			double prev = Double.POSITIVE_INFINITY, first = 0;
			for (final int nfe : new int[] { 50, 400, 3200 }) {
				final GuidedSchemes.Result r = GuidedSchemes.run(pb, GuidedSchemes.Guide.EXACT, 1, new Config(s, nfe * s.evaluations, eps, Init.P_T, false), Progress.NONE);
				assertTrue(r.defined(), r.status());
				assertTrue(r.w2() < prev || r.w2() < 1.02 * fromPt, s.key + " at NFE " + nfe + ": " + r.w2() + " after " + prev);
				if (nfe == 50) first = r.w2();
				prev = r.w2();
			}
			assertTrue(prev < 0.02 * first && prev < 5e-3, s.key + ": E_v W2 to the posterior → 0 with NFE: " + first + " → " + prev);
			// From N(0, I) the SDE schemes still → 0 (the SDE forgets its start); the ODE ones → the exact ODE's error.
			final double limit = Math.sqrt(GuidedSchemes.continuousExact(pb, s.ode, eps, Init.STANDARD).squared());
			final double fine = GuidedSchemes.run(pb, GuidedSchemes.Guide.EXACT, 1, new Config(s, (s == Scheme.EULER ? 6400 : s.ode ? 1600 : 3200) * s.evaluations, eps, Init.STANDARD, false), Progress.NONE).w2();
			if (s.ode) assertEquals(limit, fine, (s == Scheme.EULER ? 0.1 : 0.01) * limit, s.key + " → the exact conditional ODE from N(0, I)");
			else assertTrue(limit < 1e-5 && fine < 5e-3, s.key + " from N(0, I): " + fine + ", continuous " + limit);
		}
		// MATH §11 Prop. 2, conditionally: from N(0, I) the exact SDE is closer than the exact ODE.
		assertTrue(GuidedSchemes.continuousExact(pb, false, 1e-3, Init.STANDARD).squared() < GuidedSchemes.continuousExact(pb, true, 1e-3, Init.STANDARD).squared());
	}

	@Test
	void cgdmAtWeightOneIsTheExactConditionalScore() {
		final GuidedSchemes.Problem pb = smallProblem();
		for (final Scheme s : Scheme.values()) {
			final Config c = new Config(s, 100 * s.evaluations, 1e-3, Init.STANDARD, false);
			final GuidedSchemes.Result a = GuidedSchemes.run(pb, GuidedSchemes.Guide.CGDM, 1, c, Progress.NONE), b = GuidedSchemes.run(pb, GuidedSchemes.Guide.EXACT, 1, c, Progress.NONE);
			assertEquals(b.expected().squared(), a.expected().squared(), 1e-9 * b.expected().squared(), s.key);
			for (int k = 0; k < a.times().length; k++) assertEquals(b.trajectoryW2sq()[k], a.trajectoryW2sq()[k], 1e-9 * (1 + b.trajectoryW2sq()[k]), s.key + " at step " + k);
		}
		// DPS and ΠGDM are approximations: their error does not vanish with NFE.
		final Config fine = new Config(Scheme.EM, 3200, 1e-3, Init.STANDARD, false);
		final double exact = GuidedSchemes.run(pb, GuidedSchemes.Guide.EXACT, 1, fine, Progress.NONE).w2();
		assertTrue(GuidedSchemes.run(pb, GuidedSchemes.Guide.PIGDM, 1, fine, Progress.NONE).w2() > 1.5 * exact);
	}

	@Test
	void weightZeroIsTheUnconditionalRecurrence() {
		// A centred prior, no likelihood term: the guided law's variance is the unguided one of ContinuousSchemes.run.
		final GuidedSchemes.Problem c0 = smallProblem();
		final GuidedSchemes.Problem pb = new GuidedSchemes.Problem(new GaussianPrior(0, c0.prior().spectrum()), c0.op(), c0.sigma());
		for (final Scheme s : Scheme.values()) {
			for (final Init init : Init.values()) {
				final Config c = new Config(s, 60 * s.evaluations, 1e-3, init, false);
				final double[] v = ContinuousSchemes.run(Eigenvalues.of(pb.prior().spectrum()), c, Progress.NONE).finalVariance();
				final GuidedSchemes.Result r = GuidedSchemes.run(pb, GuidedSchemes.Guide.DPS, 0, c, Progress.NONE);
				for (int i = 0; i < v.length; i++) {
					// p_T differs: the guided start is x_T | v, the unguided one p_T; only the standard start compares.
					if (init == Init.STANDARD) {
						assertEquals(v[i], r.law().s2()[i], 1e-12 * v[i], s.key + " frequency " + i);
						assertEquals(0, r.law().p()[i], 0);
					}
				}
			}
		}
	}

	@Test
	void guidedTrajectoryStartsAtTheExactLawFromPtAndEndsAtTheFinalLaw() {
		final GuidedSchemes.Problem pb = smallProblem();
		final GuidedSchemes.Result r = GuidedSchemes.run(pb, GuidedSchemes.Guide.PIGDM, 1, new Config(Scheme.EI, 80, 0, Init.P_T, false), Progress.NONE);
		assertEquals(0, r.trajectoryW2sq()[0], 1e-24);
		// At ε = 0 the last grid time is t = T: x_0 | v is the posterior, so the trajectory's last value is the final E_v W2².
		assertEquals(r.expected().squared(), r.trajectoryW2sq()[r.times().length - 1], 1e-12 * r.expected().squared());
	}

	@Test
	void guidedBadInputIsRefused() {
		final GuidedSchemes.Problem pb = smallProblem(), noiseless = new GuidedSchemes.Problem(pb.prior(), pb.op(), 0);
		final Config c = new Config(Scheme.EM, 50, 1e-3, Init.STANDARD, false);
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GuidedSchemes.run(noiseless, GuidedSchemes.Guide.DPS, 1, c, Progress.NONE));
		assertTrue(e.getMessage().contains("noise_sigma > 0"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> GuidedSchemes.run(noiseless, GuidedSchemes.Guide.PIGDM, 1, c, Progress.NONE));
		assertTrue(GuidedSchemes.run(noiseless, GuidedSchemes.Guide.CGDM, 1, c, Progress.NONE).defined(), "CGDM works at σ = 0");
		e = assertThrows(IllegalArgumentException.class, () -> GuidedSchemes.run(pb, GuidedSchemes.Guide.EXACT, 0.5, c, Progress.NONE));
		assertTrue(e.getMessage().contains("cgdm"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> GuidedSchemes.run(pb, GuidedSchemes.Guide.DPS, -1, c, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> GuidedSchemes.run(pb, GuidedSchemes.Guide.DPS, Double.NaN, c, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> GuidedSchemes.Guide.parse("ddrm"));
		final GuidedSchemes.Result heun = GuidedSchemes.run(pb, GuidedSchemes.Guide.CGDM, 1, new Config(Scheme.HEUN, 50, 0, Init.STANDARD, false), Progress.NONE);
		assertFalse(heun.defined());
		assertTrue(heun.status().contains("epsilon > 0") && Double.isNaN(heun.w2()), heun.status());
		// A stiff DPS (w = 1 divides by σ² = 0.0025) at a coarse step: E_v W2 ≈ 1e11, flagged (not drawn), not "ok".
		final GuidedSchemes.Result stiff = GuidedSchemes.run(pb, GuidedSchemes.Guide.DPS, 1, new Config(Scheme.EULER, 50, 1e-3, Init.STANDARD, false), Progress.NONE);
		assertFalse(stiff.defined());
		assertTrue(stiff.status().startsWith("blew up") && stiff.w2() > 1e10, stiff.status());
		// The same at a fine grid is a finite (if poor) approximation: ≈ 0.8, not flagged.
		assertTrue(GuidedSchemes.run(pb, GuidedSchemes.Guide.DPS, 1, new Config(Scheme.EULER, 400, 1e-3, Init.STANDARD, false), Progress.NONE).defined());
	}
}
