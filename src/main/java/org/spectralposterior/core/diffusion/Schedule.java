package org.spectralposterior.core.diffusion;

import java.util.Locale;

/**
 * A training noise schedule: ᾱ_t for t = 0..T with ᾱ_0 = 1 (MATH §1.3). Because the denoiser is
 * exact under the Gaussian prior, any decreasing ᾱ sequence is a valid schedule.
 */
public final class Schedule {

	private final double[] alphaBar;
	private final String name;

	private Schedule(final double[] alphaBar, final String name) {
		this.alphaBar = alphaBar;
		this.name = name;
	}

	/** Ho et al.: β = linspace(β1, βT, T), ᾱ_t = Π_{s≤t}(1 − β_s). Default T = 1000, 1e-4 → 0.02. */
	public static Schedule linear(final int T, final double beta1, final double betaT) {
		checkT(T);
		final double[] ab = new double[T + 1];
		ab[0] = 1;
		for (int t = 1; t <= T; t++) {
			final double beta = T == 1 ? beta1 : beta1 + (betaT - beta1) * (t - 1) / (T - 1.0);
			ab[t] = ab[t - 1] * (1 - beta);
		}
		return new Schedule(ab, String.format(Locale.ROOT, "linear T=%d β %g→%g", T, beta1, betaT));
	}

	public static Schedule linear() {
		return linear(1000, 1e-4, 0.02);
	}

	/** Nichol & Dhariwal: ᾱ_t = f(t)/f(0), f(t) = cos²((t/T + s)/(1 + s)·π/2), s = 0.008, β clipped at 0.999. */
	public static Schedule cosine(final int T) {
		checkT(T);
		final double s = 0.008;
		final double[] ab = new double[T + 1];
		ab[0] = 1;
		final double f0 = Math.pow(Math.cos(s / (1 + s) * Math.PI / 2), 2);
		double prev = 1;
		for (int t = 1; t <= T; t++) {
			final double f = Math.pow(Math.cos((t / (double) T + s) / (1 + s) * Math.PI / 2), 2) / f0;
			final double beta = Math.min(1 - f / prev, 0.999);
			ab[t] = ab[t - 1] * (1 - beta);
			prev = f;
		}
		return new Schedule(ab, "cosine T=" + T);
	}

	/** A user table ᾱ_1..ᾱ_T: strictly decreasing, inside (0, 1). */
	public static Schedule table(final double[] alphaBars) {
		if (alphaBars.length < 1) throw new IllegalArgumentException("The ᾱ table is empty; give ᾱ_1, …, ᾱ_T separated by commas.");
		final double[] ab = new double[alphaBars.length + 1];
		ab[0] = 1;
		for (int t = 1; t <= alphaBars.length; t++) {
			final double v = alphaBars[t - 1];
			if (!(v > 0 && v < 1)) throw new IllegalArgumentException("ᾱ_" + t + " = " + v + " is outside (0, 1); every ᾱ must lie strictly between 0 and 1.");
			if (!(v < ab[t - 1])) {
				throw new IllegalArgumentException("The ᾱ table must decrease strictly with t (ᾱ_1 > ᾱ_2 > …); ᾱ_" + t + " = " + v + " is not below ᾱ_" + (t - 1) + " = " + ab[t - 1] + ".");
			}
			ab[t] = v;
		}
		return new Schedule(ab, "table T=" + alphaBars.length);
	}

	/** Parses "linear", "cosine" or a comma-separated ᾱ table. */
	public static Schedule parse(final String kind, final int T, final String table) {
		return switch (kind.trim().toLowerCase(Locale.ROOT)) {
			case "linear" -> linear(T, 1e-4, 0.02);
			case "cosine" -> cosine(T);
			case "table" -> {
				if (table == null || table.isBlank()) throw new IllegalArgumentException("schedule=table needs schedule_table=ᾱ_1,ᾱ_2,…");
				final String[] parts = table.split("[,;\\s]+");
				final double[] v = new double[parts.length];
				try {
					for (int i = 0; i < v.length; i++) v[i] = Double.parseDouble(parts[i]);
				}
				catch (final NumberFormatException e) {
					throw new IllegalArgumentException("schedule_table must be numbers separated by commas: " + e.getMessage());
				}
				yield table(v);
			}
			default -> throw new IllegalArgumentException("Unknown schedule '" + kind + "': use linear, cosine or table");
		};
	}

	private static void checkT(final int T) {
		if (T < 1) throw new IllegalArgumentException("T must be at least 1, got " + T);
	}

	public int T() {
		return alphaBar.length - 1;
	}

	/** ᾱ_t, t = 0..T. */
	public double alphaBar(final int t) {
		return alphaBar[t];
	}

	/**
	 * Strided sampling timesteps τ_0 = 0 < τ_1 < … < τ_n with τ_i = round(linspace(1, tMax, n))
	 * (MATH §1.3; tMax = T except for SDEdit's start t0). Returned as τ[0..n].
	 */
	public int[] strided(final int n, final int tMax) {
		if (n < 1) throw new IllegalArgumentException("steps must be at least 1, got " + n + ".");
		if (tMax < 1 || tMax > T()) throw new IllegalArgumentException("The start time " + tMax + " must lie in 1.." + T() + ".");
		if (n > tMax) throw new IllegalArgumentException("steps = " + n + " exceeds the " + tMax + " available timesteps; use at most " + tMax + " steps.");
		final int[] tau = new int[n + 1];
		for (int i = 1; i <= n; i++) tau[i] = n == 1 ? tMax : (int) roundHalfEven(n - 1 + (long) (tMax - 1) * (i - 1), n - 1);
		return tau;
	}

	/**
	 * num/den rounded to the nearest integer, ties to even: numpy's {@code round}, which every MATH
	 * regression number used ({@code Math.round} rounds ties up and moved τ at n = 3, 5, 11, 21 … for
	 * T = 1000). τ_i = ((n−1) + (T−1)(i−1))/(n−1) is rounded as one fraction because the parity that
	 * breaks a tie is τ's own. Exact and in long, so T = n = 100 000 neither overflows nor loses a tie
	 * to floating point. num ≥ 0, den ≥ 1.
	 */
	static long roundHalfEven(final long num, final long den) {
		final long q = num / den, twiceRest = 2 * (num % den);
		if (twiceRest > den || (twiceRest == den && (q & 1) == 1)) return q + 1;
		return q;
	}

	@Override
	public String toString() {
		return name;
	}
}
