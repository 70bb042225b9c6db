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
}
