package org.spectralposterior.core.diffusion;

/**
 * The schedule side of a sampler, shared by every method: the strided timesteps and, per sampling
 * step j = 0..n−1 in execution order (noisiest first), ᾱ_t and ᾱ_s at its two ends, the base step's
 * (φ, ψ, ν) (MATH §6.1) and the VE noise levels σ = sqrt((1 − ᾱ)/ᾱ) that DDRM works in.
 */
public final class StepGrid {

	public final int n;
	/** Strided timesteps τ_0 = 0 < … < τ_n (increasing); step j runs from τ_{n−j} to τ_{n−j−1}. */
	final int[] tau;
	public final double[] abT, abS, phi, psi, nu, veT, veS;
	public final BaseStep base;
	/** The run's η (DDRM's, and every step's unless {@link #etas} says otherwise). */
	public final double eta;
	/** The η of each step (execution order): all {@link #eta}, or a designed η per step (issue 11). */
	public final double[] etas;

	/** The grid of {@code steps} steps from {@code tMax} (T, or SDEdit's t0) down to 0. */
	public StepGrid(final Schedule schedule, final int steps, final int tMax, final BaseStep base, final double eta) {
		this(schedule, steps, tMax, base, eta, filled(steps, eta));
	}

	/** As above with one η per step. */
	public StepGrid(final Schedule schedule, final int steps, final int tMax, final BaseStep base, final double[] etas) {
		this(schedule, steps, tMax, base, etas.length == 0 ? 0 : etas[0], etas.clone());
	}

	private static double[] filled(final int steps, final double eta) {
		final double[] out = new double[Math.max(0, steps)];
		java.util.Arrays.fill(out, eta);
		return out;
	}

	private StepGrid(final Schedule schedule, final int steps, final int tMax, final BaseStep base, final double eta, final double[] etas) {
		BaseStep.checkEta(eta);
		tau = schedule.strided(steps, tMax);
		if (etas.length != steps) throw new IllegalArgumentException("There are " + etas.length + " values of η but " + steps + " steps; give one η per step.");
		for (final double e : etas) BaseStep.checkEta(e);
		this.base = base;
		this.eta = eta;
		this.etas = etas;
		n = steps;
		abT = new double[n];
		abS = new double[n];
		phi = new double[n];
		psi = new double[n];
		nu = new double[n];
		veT = new double[n];
		veS = new double[n];
		final double[] coef = new double[3];
		for (int j = 0; j < n; j++) {
			abT[j] = schedule.alphaBar(tau[n - j]);
			abS[j] = schedule.alphaBar(tau[n - j - 1]);
			base.coefficients(abT[j], abS[j], etas[j], coef);
			phi[j] = coef[0];
			psi[j] = coef[1];
			nu[j] = coef[2];
			veT[j] = Math.sqrt((1 - abT[j]) / abT[j]);
			veS[j] = Math.sqrt((1 - abS[j]) / abS[j]);
		}
	}

	/** The timestep t at the start of step j (execution order). */
	public int t(final int j) {
		return tau[n - j];
	}

	/** The timestep at the end of step j. */
	public int s(final int j) {
		return tau[n - j - 1];
	}

	/** The exact denoiser's gain g = sqrt(ᾱ_t)λ/(ᾱ_tλ + 1 − ᾱ_t) at step j for a prior eigenvalue λ (MATH §5). */
	public double g(final int j, final double lambda) {
		return Math.sqrt(abT[j]) * lambda / (abT[j] * lambda + 1 - abT[j]);
	}

	/** Γ = (1 − ᾱ_t)λ/(ᾱ_tλ + 1 − ᾱ_t), the variance of x0 given x_t (MATH §7.4). */
	public double gamma(final int j, final double lambda) {
		return (1 - abT[j]) * lambda / (abT[j] * lambda + 1 - abT[j]);
	}
}
