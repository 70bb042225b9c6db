package org.spectralposterior.core.diffusion;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.posterior.OutputLaw;

/**
 * The tuning objective of MATH §9.3, ℒ(w) = E_v W2²(sampler law, posterior), as an exact function
 * of the per-step weights w (execution order, noisiest step first), with its exact gradient by
 * reverse mode through the per-frequency recurrence of MATH §8 (MATH §10).
 * <p>
 * Every tunable method's step is affine in its weight at every frequency: with
 * g = sqrt(ᾱ_t)λ/(ᾱ_tλ + 1 − ᾱ_t), κ = w κ₁ and χ = w χ₁,
 * <pre>
 *   a = (φ − κρ) g + ψ − χρ/sqrt(ᾱ_t),  p ← a p + κ + χ,  s² ← a² s² + ν²,
 *   q ← a q + (φ − κρ)(1 − g sqrt(ᾱ_t)) M   (DC only),
 * </pre>
 * so ∂a/∂w = −κ₁ρg − χ₁ρ/sqrt(ᾱ_t), ∂p/∂w = κ₁ + χ₁ (+ a' p), ∂c/∂w = −κ₁ρ(1 − g sqrt(ᾱ_t))M. The
 * forward pass keeps (p, s²) every 16 steps for a block of frequencies (the backward pass recomputes
 * the states in between from these checkpoints); the backward pass
 * carries the adjoints p̄ ← a p̄, s̄ ← a² s̄, q̄ ← a q̄ from the terminal ones
 * p̄ = 2ρ(p − κ⋆)(ρλ + σ²) [+ 2δρM at DC], s̄ = ∂ℒ/∂s² = 1 − s⋆/s, q̄ = 2δ. Blocks run in parallel
 * and memory stays at (steps/16 + 16) × block × 2 doubles per block, whatever the image size.
 * <p>
 * The residual-normalised DPS is not affine in its weights (its weight divides by the residual)
 * and is refused; tune the linear DPS instead.
 * <p>
 * Weights per step and band (issue 11): with B {@link FrequencyBands} the parameters are
 * W[j][b] (flat, index j·B + b) and frequency k of step j takes W[j][band(k)]. Each weight is still
 * one factor of κ at its frequencies, so the recurrence and its adjoint above are unchanged; ∂ℒ/∂W[j][b]
 * sums the terms of band b's frequencies only. The entries are kept sorted by band (DC first), so a
 * block runs a few runs of one band each, and one weight per step (B = 1) is the case of one band.
 */
public final class WeightObjective implements TuningObjective {

	private final DiffusionSampler s;
	private final Method method;
	/** Entries: frequencies (or, binned, groups of frequencies); entry 0 is DC. */
	private final int size;
	private final double[] lam, rho, kStar, sStar, mult;
	private final double qStarDc, meanDc, var;
	private final int block;
	/** Bands (null: one weight per step) and the band of every entry, in entry order (null when B = 1). */
	private final FrequencyBands bands;
	private final int nb;
	private final int[] bandOf;
	public WeightObjective(final DiffusionSampler sampler) {
		this(sampler, null);
	}

	/** Over weights per step and band, the bands {@code bands} of the sampler's plane (null: one weight per step). */
	public WeightObjective(final DiffusionSampler sampler, final FrequencyBands bands) {
		// steps × block × 2 doubles of history per block: at most ~16 MB.
		this(sampler, defaultBlock(sampler, sampler.prior.plane().size), bands);
	}

	/** With an explicit block of frequencies (tests exercise block boundaries with it). */
	WeightObjective(final DiffusionSampler sampler, final int block) {
		this(sampler, block, null);
	}

	WeightObjective(final DiffusionSampler sampler, final int block, final FrequencyBands bands) {
		this.s = sampler;
		this.block = block;
		this.bands = bands;
		this.nb = bands == null ? 1 : bands.count();
		this.method = sampler.config().method();
		if (!method.tunable()) throw new IllegalArgumentException(method.label + " has no guidance weights to tune.");
		if (!method.linear()) throw new IllegalArgumentException(method.label + " divides its weight by the residual, so its law is not affine in the weights; tune the linear DPS (dps) instead.");
		final HalfPlane plane = sampler.prior.plane();
		if (bands != null && bands.bands().length != plane.size) throw new IllegalArgumentException("The bands are not of the sampler's plane " + plane);
		size = plane.size;
		// Entries sorted by band, DC first (FrequencyBands#order); the identity for one weight per step.
		final int[] order = bands == null ? null : bands.order();
		lam = FrequencyBands.permuted(sampler.prior.spectrum().values(), order);
		rho = FrequencyBands.permuted(sampler.op.rho(), order);
		final OutputLaw post = sampler.posterior();
		kStar = FrequencyBands.permuted(post.p(), order);
		final double[] s2Star = FrequencyBands.permuted(post.s2(), order);
		sStar = new double[size];
		for (int k = 0; k < size; k++) sStar[k] = Math.sqrt(s2Star[k]);
		qStarDc = post.q()[0];
		mult = FrequencyBands.permuted(plane.multiplicities(), order).clone();
		bandOf = bands == null ? null : FrequencyBands.permuted(bands.bands(), order);
		meanDc = sampler.prior.meanDc();
		var = sampler.sigma * sampler.sigma;
	}

	private WeightObjective(final DiffusionSampler sampler, final double[] lam, final double[] rho, final double[] kStar, final double[] sStar, final double[] mult, final double qStarDc,
		final FrequencyBands bands, final int[] bandOf) {
		this.s = sampler;
		this.bands = bands;
		this.nb = bands == null ? 1 : bands.count();
		this.bandOf = bandOf;
		this.method = sampler.config().method();
		this.size = lam.length;
		this.lam = lam;
		this.rho = rho;
		this.kStar = kStar;
		this.sStar = sStar;
		this.mult = mult;
		this.qStarDc = qStarDc;
		this.meanDc = sampler.prior.meanDc();
		this.var = sampler.sigma * sampler.sigma;
		this.block = defaultBlock(sampler, lam.length);
	}

	/**
	 * Entries per parallel block: at most 2^20 history doubles per block (steps × block × 2 × 8 bytes ≈ 16 MB),
	 * and for a grouped objective of a few hundred entries one block per core, so that its many
	 * evaluations use them all.
	 */
	private static int defaultBlock(final DiffusionSampler sampler, final int entries) {
		final long byMemory = Math.max(64, Math.min(4096, (1L << 20) / Math.max(1, sampler.n)));
		final int cores = java.util.concurrent.ForkJoinPool.commonPool().getParallelism();
		final long perCore = Math.max(16, (entries + cores - 1) / Math.max(1, cores));
		return (int) Math.min(byMemory, perCore);
	}

	/**
	 * A reduced objective for large images (MATH §10, "dimensionality reduction"): ℒ depends on a
	 * frequency only through (λ_k, ρ_k), so the non-DC frequencies are grouped on a
	 * {@code binsPerAxis}² grid in (log λ, log ρ) (frequencies the operator removes, ρ ≈ 0, in
	 * their own row), each group standing for its members by their multiplicity-weighted mean λ
	 * and ρ, with the posterior of that mean (κ* = λ/(ρλ + σ²), s*² = λσ²/(ρλ + σ²)). It is the exact
	 * objective of that smaller problem and an approximation of this one: tune on it, then report
	 * losses with the full objective. DC is kept exactly. With bands, frequencies are grouped within
	 * their band only (a grid per band, over that band's ranges), so that every group has one weight.
	 */
	public WeightObjective binned(final int binsPerAxis) {
		if (binsPerAxis < 2) throw new IllegalArgumentException("binsPerAxis must be at least 2");
		double rMax = 0;
		for (int k = 1; k < size; k++) rMax = Math.max(rMax, rho[k]);
		// Below ~1e-9·max ρ a frequency is as good as removed for both the dynamics (κρ ≪ 1) and ℒ:
		// one row for them keeps the log ρ range, and so the bins, narrow.
		final double rZero = 1e-9 * rMax;
		final double[] lLo = new double[nb], lHi = new double[nb], rLo = new double[nb], rHi = new double[nb];
		java.util.Arrays.fill(lLo, Double.POSITIVE_INFINITY);
		java.util.Arrays.fill(rLo, Double.POSITIVE_INFINITY);
		java.util.Arrays.fill(lHi, Double.NEGATIVE_INFINITY);
		java.util.Arrays.fill(rHi, Double.NEGATIVE_INFINITY);
		for (int k = 1; k < size; k++) {
			if (lam[k] <= 0) continue;
			final int b = band(k);
			lLo[b] = Math.min(lLo[b], Math.log(lam[k]));
			lHi[b] = Math.max(lHi[b], Math.log(lam[k]));
			if (rho[k] > rZero) {
				rLo[b] = Math.min(rLo[b], Math.log(rho[k]));
				rHi[b] = Math.max(rHi[b], Math.log(rho[k]));
			}
		}
		final int nbin = binsPerAxis, perBand = nbin * (nbin + 1) + 1, cells = nb * perBand; // + a row for ρ ≈ 0, + one cell for λ = 0
		final double[] m = new double[cells], ml = new double[cells], mr = new double[cells];
		for (int k = 1; k < size; k++) {
			final int b = band(k);
			final int cell;
			if (lam[k] <= 0) cell = perBand - 1;
			else {
				final int li = bin(Math.log(lam[k]), lLo[b], lHi[b], nbin);
				final int ri = rho[k] > rZero ? 1 + bin(Math.log(rho[k]), rLo[b], rHi[b], nbin) : 0;
				cell = ri * nbin + li;
			}
			final int c = b * perBand + cell;
			m[c] += mult[k];
			ml[c] += mult[k] * lam[k];
			mr[c] += mult[k] * rho[k];
		}
		int used = 1;
		for (final double v : m) if (v > 0) used++;
		final double[] l2 = new double[used], r2 = new double[used], k2 = new double[used], s2 = new double[used], m2 = new double[used];
		final int[] b2 = bandOf == null ? null : new int[used];
		if (b2 != null) b2[0] = bandOf[0];
		l2[0] = lam[0];
		r2[0] = rho[0];
		k2[0] = kStar[0];
		s2[0] = sStar[0];
		m2[0] = mult[0];
		int e = 1;
		for (int c = 0; c < cells; c++) {
			if (m[c] == 0) continue;
			final double l = ml[c] / m[c], r = mr[c] / m[c];
			final double den = (r > rZero ? r : 0) * l + var;
			l2[e] = l;
			r2[e] = r;
			k2[e] = den > 0 ? l / den : 0;
			s2[e] = den > 0 ? Math.sqrt(l * var / den) : Math.sqrt(l);
			m2[e] = m[c];
			if (b2 != null) b2[e] = c / perBand;
			e++;
		}
		return new WeightObjective(s, l2, r2, k2, s2, m2, qStarDc, bands, b2);
	}

	/** The band of entry k (entry order). */
	private int band(final int k) {
		return bandOf == null ? 0 : bandOf[k];
	}

	/** g and κ₁ (κ at w = 1, from the method's {@link Guidance}) of step j for entries [from, from + len). */
	private void computeGainAndKappa(final int j, final int from, final int len, final double[] g, final double[] k1) {
		final double sab = Math.sqrt(s.abT[j]), ab = s.abT[j], one = 1 - ab, gf = one / sab;
		final Guidance u = s.unit[j];
		if (u.fGamma() == 0 && u.fI() == 0 && u.dAGammaA() == 0 && !u.pseudoInverse() && u.dI() > 0 && u.dAA() >= 0) {
			// DPS and ΠGDM (κ₁ = scale·fG·g/(dAA ρ + dI)): a straight loop, as the closed form's.
			final double c = u.scale() * u.fG(), dAA = u.dAA(), dI = u.dI();
			for (int i = 0; i < len; i++) {
				final double gi = sab * lam[from + i] / (ab * lam[from + i] + one);
				g[i] = gi;
				k1[i] = c * gi / (dAA * rho[from + i] + dI);
			}
			return;
		}
		for (int i = 0; i < len; i++) {
			final double gi = sab * lam[from + i] / (ab * lam[from + i] + one), gam = gi * gf, r = rho[from + i];
			g[i] = gi;
			k1[i] = u.kappa(gi, gam, r, gam * r);
		}
	}

	/** ∂a/∂w at one entry: −κ₁ρg, or −κ₁ρ/sqrt(ᾱ) for a guidance on x_t. */
	private static double aPrime(final boolean onXt, final double k1, final double r, final double g, final double sab) {
		return onXt ? -k1 * r / sab : -k1 * r * g;
	}

	private static int bin(final double x, final double lo, final double hi, final int nb) {
		if (!(hi > lo)) return 0;
		return Math.min(nb - 1, (int) ((x - lo) / (hi - lo) * nb));
	}

	/**
	 * The entries {λ, ρ, κ*, s*, multiplicity} (entry 0 is DC) and {q*_DC, M_DC, σ²}: for
	 * {@link ConditionalScheduleDesign}, which sums the same ℒ over the same (binned) entries with ᾱ as the variables.
	 */
	double[][] entryTable() {
		return new double[][] { lam, rho, kStar, sStar, mult, { qStarDc, meanDc, var } };
	}

	/** The number of entries (frequencies, or groups when binned) the objective sums over. */
	public int entries() {
		return size;
	}

	public int steps() {
		return s.n;
	}

	@Override
	public int bands() {
		return nb;
	}

	/** The frequency bands of the weights, or null for one weight per step. */
	public FrequencyBands frequencyBands() {
		return bands;
	}

	public Method method() {
		return method;
	}

	/** The timestep of each sampling step, execution order. */
	public int[] timesteps() {
		return s.timesteps();
	}

	/** The method's heuristic weights (execution order). */
	public double[] heuristicWeights() {
		return s.weights();
	}

	/** ℒ(w) only. */
	@Override
	public double value(final double[] w) {
		return values(() -> false, w)[0];
	}

	/**
	 * ℒ(w), and its gradient into {@code grad} when not null; {@code cancelled} is polled once per
	 * block and step ({@link CancellationException} when it turns true).
	 */
	public double evaluate(final double[] w, final double[] grad, final BooleanSupplier cancelled) {
		final int n = s.n, nw = n * nb;
		if (w.length != nw) throw new IllegalArgumentException("The weights list has " + w.length + " values but there are " + n + " steps" + (nb > 1 ? " × " + nb + " bands" : "") + ".");
		if (grad == null) return values(cancelled, w)[0];
		final int blocks = (size + block - 1) / block;
		final double[][] parts = IntStream.range(0, blocks).parallel().mapToObj(b -> blockPart(b, w, grad != null, cancelled)).toArray(double[][]::new);
		double total = 0;
		if (grad != null) java.util.Arrays.fill(grad, 0);
		for (final double[] part : parts) {
			total += part[nw];
			if (grad != null) for (int j = 0; j < nw; j++) grad[j] += part[j];
		}
		return total;
	}

	/**
	 * ℒ at several weight vectors in one pass over the frequencies: each step's g and κ₁ are computed
	 * once for all vectors (on all frequencies of a large image they are most of the cost).
	 */
	@Override
	public double[] values(final BooleanSupplier cancelled, final double[]... ws) {
		final int n = s.n, nw = n * nb;
		for (final double[] w : ws) if (w.length != nw) throw new IllegalArgumentException("The weights list has " + w.length + " values but there are " + nw + " weights.");
		final int blocks = (size + block - 1) / block;
		final double[][] parts = IntStream.range(0, blocks).parallel().mapToObj(b -> blockValues(b, ws, cancelled)).toArray(double[][]::new);
		final double[] out = new double[ws.length];
		for (final double[] part : parts) for (int v = 0; v < ws.length; v++) out[v] += part[v];
		return out;
	}

	/**
	 * ℒ of the block at every weight vector, forward only: each step runs the sampler's own fused,
	 * vectorised loop ({@link DiffusionSampler#guidedStep}, g and κ inline) per vector and run of one
	 * band. Precomputing g and κ₁ into arrays and then reading them once per vector (the gradient's
	 * path) measured 6× slower than this at 1024², n = 1000: the loop is bound by loads and stores,
	 * not by the two divisions.
	 */
	private double[] blockValues(final int b, final double[][] ws, final BooleanSupplier cancelled) {
		final int n = s.n, nv = ws.length;
		final int from = b * block, to = Math.min(size, from + block), len = to - from;
		final int[][] runs = FrequencyBands.runs(bandOf == null ? null : java.util.Arrays.copyOfRange(bandOf, from, to), len, len);
		final boolean dc = from == 0;
		final double[] lamB = java.util.Arrays.copyOfRange(lam, from, to), rhoB = java.util.Arrays.copyOfRange(rho, from, to);
		final double[][] p = new double[nv][len], s2 = new double[nv][len];
		// guidedStep also carries the noise gain Π a, which ℒ does not need: a scratch row held at 0 (0·a stays 0, never subnormal).
		final double[] gainScratch = new double[len];
		final double[] q = new double[nv];
		final double[] g0 = new double[1], k0 = new double[1];
		for (final double[] x : s2) java.util.Arrays.fill(x, 1);
		for (int j = 0; j < n; j++) {
			if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
			final double ab = s.abT[j], ph = s.phi[j], ps = s.psi[j], nu2 = s.nu[j] * s.nu[j];
			final Guidance u = s.unit[j];
			if (dc) computeGainAndKappa(j, 0, 1, g0, k0);
			for (int v = 0; v < nv; v++) {
				final double[] w = ws[v];
				if (dc) q[v] = dcBiasStep(j, w[j * nb + band(0)], q[v], g0[0], k0[0]);
				for (final int[] run : runs) DiffusionSampler.guidedStep(u, w[j * nb + run[2]], run[0], run[1], lamB, rhoB, p[v], s2[v], gainScratch, ab, ph, ps, nu2);
			}
		}
		final double[] out = new double[nv];
		for (int v = 0; v < nv; v++) {
			double loss = 0;
			for (int i = 0; i < len; i++) {
				final int k = from + i;
				final double dp = p[v][i] - kStar[k], ds = Math.sqrt(s2[v][i]) - sStar[k];
				double term = rho[k] * dp * dp * (rho[k] * lam[k] + var) + ds * ds;
				if (k == 0) {
					final double delta = dp * rho[0] * meanDc + q[v] - qStarDc;
					term += delta * delta;
				}
				loss += mult[k] * term;
			}
			out[v] = loss;
		}
		return out;
	}

	/**
	 * Step j of the DC bias q (the prior mean's share of the output mean at frequency 0; MATH §7.1):
	 * q ← a₀ q + (φ − w κ ρ)(1 − g √ᾱ) M, with (φ alone) for a method guided on x_t, given the DC gain g
	 * and unit gain κ of step j and the DC weight w.
	 */
	private double dcBiasStep(final int j, final double w0, final double q, final double g, final double k) {
		final double sab = Math.sqrt(s.abT[j]), ph = s.phi[j], ps = s.psi[j];
		final boolean onXt = s.unit[j].onXt();
		final double a0 = ph * g + ps + w0 * aPrime(onXt, k, rho[0], g, sab);
		return a0 * q + (onXt ? ph : ph - w0 * k * rho[0]) * (1 - g * sab) * meanDc;
	}

	/** The block's gradient contributions (indices 0..n·B−1, j·B + b) and its share of ℒ (index n·B). */
	private double[] blockPart(final int b, final double[] w, final boolean wantGrad, final BooleanSupplier cancelled) {
		final int n = s.n;
		final int from = b * block, to = Math.min(size, from + block), len = to - from;
		// The block's runs of one band (block-local {lo, hi, band}): one for one weight per step.
		final int[][] runs = FrequencyBands.runs(bandOf == null ? null : java.util.Arrays.copyOfRange(bandOf, from, to), len, len);
		final boolean dc = from == 0;
		final double[] lamB = java.util.Arrays.copyOfRange(lam, from, to), rhoB = java.util.Arrays.copyOfRange(rho, from, to);
		final double[] p = new double[len], s2 = new double[len], gainScratch = new double[len];
		// The forward history (p and s² before each step) is checkpointed: the state every SEGMENT steps is
		// kept, and the backward pass recomputes each segment's states from its checkpoint into a buffer
		// that stays in cache. Keeping all n states (2·n·block doubles, megabytes) made every evaluation
		// bound by memory traffic, ~3× slower than running the forward twice.
		final History hist = wantGrad ? takeHistory(n) : null;
		final double[] qHist = wantGrad && dc ? new double[n] : null;
		final double[] g0 = new double[1], k0 = new double[1];
		java.util.Arrays.fill(s2, 1);
		double q = 0;
		try {
			for (int j = 0; j < n; j++) {
				if (wantGrad && j % SEGMENT == 0) {
					System.arraycopy(p, 0, hist.p[j / SEGMENT], 0, len);
					System.arraycopy(s2, 0, hist.s2[j / SEGMENT], 0, len);
				}
				if (dc) {
					if (wantGrad) qHist[j] = q;
					computeGainAndKappa(j, 0, 1, g0, k0);
					q = dcBiasStep(j, w[j * nb + band(0)], q, g0[0], k0[0]);
				}
				forwardStep(j, w, runs, lamB, rhoB, p, s2, gainScratch, cancelled);
			}
			final double[] out = new double[n * nb + 1];
			final double[] pBar = wantGrad ? new double[len] : null, sBar = wantGrad ? new double[len] : null;
			double qBar = 0, loss = 0;
			for (int i = 0; i < len; i++) {
				final int k = from + i;
				final double dp = p[i] - kStar[k], sd = Math.sqrt(s2[i]);
				double term = rho[k] * dp * dp * (rho[k] * lam[k] + var);
				final double ds = sd - sStar[k];
				term += ds * ds;
				double pb = 2 * rho[k] * dp * (rho[k] * lam[k] + var);
				if (k == 0) {
					final double delta = dp * rho[0] * meanDc + q - qStarDc;
					// The bias is a real scalar at DC (multiplicity 1).
					term += delta * delta;
					pb += 2 * delta * rho[0] * meanDc;
					qBar = 2 * delta;
				}
				loss += mult[k] * term;
				if (wantGrad) {
					pBar[i] = mult[k] * pb;
					sBar[i] = mult[k] * (sd > 0 ? 1 - sStar[k] / sd : 0);
				}
			}
			out[n * nb] = loss;
			if (!wantGrad) return out;
			for (int seg = (n - 1) / SEGMENT; seg >= 0; seg--) {
				final int j0 = seg * SEGMENT, j1 = Math.min(n, j0 + SEGMENT);
				// The segment's states before each of its steps, from its checkpoint.
				System.arraycopy(hist.p[seg], 0, p, 0, len);
				System.arraycopy(hist.s2[seg], 0, s2, 0, len);
				for (int j = j0; j < j1; j++) {
					System.arraycopy(p, 0, hist.segP[j - j0], 0, len);
					System.arraycopy(s2, 0, hist.segS2[j - j0], 0, len);
					if (j + 1 < j1) forwardStep(j, w, runs, lamB, rhoB, p, s2, gainScratch, cancelled);
				}
				for (int j = j1 - 1; j >= j0; j--) {
					if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
					final double ab = s.abT[j], sab = Math.sqrt(ab), ph = s.phi[j], ps = s.psi[j];
					final Guidance u = s.unit[j];
					final boolean onXt = u.onXt();
					if (dc) {
						// The DC bias chain (q before its p and s² terms, which the loop below adds).
						computeGainAndKappa(j, 0, 1, g0, k0);
						final double r = rho[0], g = g0[0], k1 = k0[0], w0 = w[j * nb + band(0)];
						final double da0 = aPrime(onXt, k1, r, g, sab), a0 = ph * g + ps + w0 * da0;
						out[j * nb + band(0)] += qBar * (da0 * qHist[j] - (onXt ? 0 : k1 * r * (1 - g * sab) * meanDc));
						qBar *= a0;
					}
					// p̄ and s̄ decay as Π a and Π a² going back: flushed to 0 every 8 steps before they can go
					// subnormal (subnormal arithmetic is ~100× slower; their terms are then below 1e-200 of ℒ's scale).
					if ((j & 7) == 0) {
						flushTiny(pBar);
						flushTiny(sBar);
					}
					// The state row of this step is not needed after it: it takes each entry's term of ∂ℒ/∂w.
					final double[] pPrev = hist.segP[j - j0], sPrev = hist.segS2[j - j0];
					for (final int[] run : runs) {
						backward(u, w[j * nb + run[2]], run[0], run[1], lamB, rhoB, pBar, sBar, pPrev, sPrev, ab, ph, ps);
						out[j * nb + run[2]] += sum(pPrev, run[0], run[1]);
					}
				}
			}
			return out;
		}
		finally {
			if (hist != null) histories.offer(hist);
		}
	}

	/**
	 * One backward step for entries [lo, hi) at weight w: with κ₁, g inline (as the forward's
	 * {@link DiffusionSampler#guidedStep}), the term pBar (a'p + κ₁) + sBar 2 a a' s² of ∂ℒ/∂w replaces
	 * pPrev (summed by the caller), then pBar ← a pBar, sBar ← a² sBar. Writing the terms out and summing
	 * them after keeps this loop free of a floating-point reduction, which C2 does not vectorise.
	 */
	private static void backward(final Guidance u, final double w, final int lo, final int hi, final double[] lam, final double[] rho, final double[] pBar, final double[] sBar,
		final double[] pPrev, final double[] sPrev, final double ab, final double ph, final double ps) {
		final double sab = Math.sqrt(ab), one = 1 - ab, gf = one / sab;
		if (!u.onXt() && u.fGamma() == 0 && u.fI() == 0 && u.dAGammaA() == 0 && !u.pseudoInverse() && u.dI() > 0 && u.dAA() >= 0) {
			backwardBracket(u.scale() * u.fG(), u.dAA(), u.dI(), w, lo, hi, lam, rho, pBar, sBar, pPrev, sPrev, ab, ph, ps);
			return;
		}
		final boolean onXt = u.onXt();
		for (int i = lo; i < hi; i++) {
			final double l = lam[i], r = rho[i];
			final double g = sab * l / (ab * l + one), gam = g * gf;
			final double k1 = u.kappa(g, gam, r, gam * r);
			final double da = aPrime(onXt, k1, r, g, sab), a = ph * g + ps + w * da;
			pPrev[i] = pBar[i] * (da * pPrev[i] + k1) + sBar[i] * 2 * a * da * sPrev[i];
			pBar[i] *= a;
			sBar[i] *= a * a;
		}
	}

	/**
	 * {@link #backward} for DPS and ΠGDM, κ₁ = c·g/(dAA ρ + dI), a' = −κ₁ρg, as three loops that each
	 * recompute g and κ₁: C2 (JDK 17) leaves the one-loop form scalar (a loop of six loads and three
	 * stores), and these three vectorise: 1.35 against 4.5 ns an entry, measured at 329 entries.
	 */
	private static void backwardBracket(final double c, final double dAA, final double dI, final double w, final int lo, final int hi, final double[] lam, final double[] rho,
		final double[] pBar, final double[] sBar, final double[] pPrev, final double[] sPrev, final double ab, final double ph, final double ps) {
		final double sab = Math.sqrt(ab), one = 1 - ab;
		// sPrev ← s̄ ∂(a² s²)/∂w = s̄·2a a'·s²
		for (int i = lo; i < hi; i++) {
			final double l = lam[i], r = rho[i];
			final double g = sab * l / (ab * l + one);
			final double k1 = c * g / (dAA * r + dI);
			final double da = -k1 * r * g, a = ph * g + ps + w * da;
			sPrev[i] = sBar[i] * 2 * a * da * sPrev[i];
		}
		// pPrev ← p̄ ∂(a p + wκ₁)/∂w + the s² term = p̄ (a' p + κ₁) + sPrev
		for (int i = lo; i < hi; i++) {
			final double l = lam[i], r = rho[i];
			final double g = sab * l / (ab * l + one);
			final double k1 = c * g / (dAA * r + dI);
			final double da = -k1 * r * g;
			pPrev[i] = pBar[i] * (da * pPrev[i] + k1) + sPrev[i];
		}
		for (int i = lo; i < hi; i++) {
			final double l = lam[i], r = rho[i];
			final double g = sab * l / (ab * l + one);
			final double k1 = c * g / (dAA * r + dI);
			final double da = -k1 * r * g, a = ph * g + ps + w * da;
			pBar[i] *= a;
			sBar[i] *= a * a;
		}
	}

	private static void flushTiny(final double[] v) {
		for (int i = 0; i < v.length; i++) if (Math.abs(v[i]) < 1e-200) v[i] = 0;
	}

	/** Σ x[lo, hi) over four partial sums (one chain of additions is bound by their latency). */
	private static double sum(final double[] x, final int lo, final int hi) {
		double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
		int i = lo;
		for (; i + 3 < hi; i += 4) {
			s0 += x[i];
			s1 += x[i + 1];
			s2 += x[i + 2];
			s3 += x[i + 3];
		}
		for (; i < hi; i++) s0 += x[i];
		return (s0 + s1) + (s2 + s3);
	}

	/** Steps per checkpointed segment of the forward history. */
	private static final int SEGMENT = 16;

	/** The checkpointed forward history of one block: p and s² before every SEGMENT-th step, and one segment's states. */
	private record History(double[][] p, double[][] s2, double[][] segP, double[][] segS2) {}

	/** One forward step of the entries (the block-local runs of one band) at the weights of step j. */
	private void forwardStep(final int j, final double[] w, final int[][] runs, final double[] lamB, final double[] rhoB, final double[] p, final double[] s2,
		final double[] gainScratch, final BooleanSupplier cancelled) {
		if (cancelled.getAsBoolean()) throw new CancellationException("Cancelled by the user");
		final double ab = s.abT[j], nu = s.nu[j];
		for (final int[] run : runs) DiffusionSampler.guidedStep(s.unit[j], w[j * nb + run[2]], run[0], run[1], lamB, rhoB, p, s2, gainScratch, ab, s.phi[j], s.psi[j], nu * nu);
	}

	private final java.util.concurrent.ConcurrentLinkedQueue<History> histories = new java.util.concurrent.ConcurrentLinkedQueue<>();

	private History takeHistory(final int n) {
		final History h = histories.poll();
		final int checkpoints = (n + SEGMENT - 1) / SEGMENT;
		return h != null ? h : new History(new double[checkpoints][block], new double[checkpoints][block], new double[SEGMENT][block], new double[SEGMENT][block]);
	}
}

