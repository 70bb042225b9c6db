package org.spectralposterior.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.spectralposterior.core.operator.AliasingGroups;

/**
 * The change of basis of {@link GroupBlockKernel}: a law whose P and S are T·(real) and T·(real
 * symmetric)·T* with T = diag(conj(a)/|a|) is read as real and written back unchanged (asymmetric PSF,
 * 9×6 at r = 3: complex a with every phase); one with an imaginary part no phase explains is refused,
 * so the sampler keeps its complex per-group step for it. The step itself is held by
 * {@code SuperResolutionSamplerTest}'s dense-algebra comparisons, which run through this kernel.
 */
class GroupBlockKernelTest {

	@Test
	void aRealLawInTheGroupBasisRoundTrips() {
		final AliasingGroups groups = new AliasingGroups(SuperResolutionSamplerTest.psf(9, 6), 3);
		final int d = groups.d, size = groups.lr.size;
		final SplittableRandom rng = new SplittableRandom(5);
		final double[] p = new double[2 * size * d], s = new double[2 * size * d * d], lam = new double[size * d];
		for (int g = 0; g < size; g++) {
			final double[] real = new double[d * d];
			for (int i = 0; i < d; i++) for (int l = i; l < d; l++) real[i * d + l] = real[l * d + i] = rng.nextGaussian();
			for (int i = 0; i < d; i++) {
				final double m = Math.hypot(groups.aRe(g, i), groups.aIm(g, i));
				final double tr = m > 0 ? groups.aRe(g, i) / m : 1, ti = m > 0 ? -groups.aIm(g, i) / m : 0, v = rng.nextGaussian();
				p[2 * (g * d + i)] = tr * v;
				p[2 * (g * d + i) + 1] = ti * v;
				lam[g * d + i] = 1;
				for (int l = 0; l < d; l++) {
					final double ml = Math.hypot(groups.aRe(g, l), groups.aIm(g, l));
					final double lr = ml > 0 ? groups.aRe(g, l) / ml : 1, li = ml > 0 ? -groups.aIm(g, l) / ml : 0;
					// T_i S̃_il conj(T_l)
					final double ur = tr * lr + ti * li, ui = ti * lr - tr * li;
					s[2 * (g * d * d + i * d + l)] = ur * real[i * d + l];
					s[2 * (g * d * d + i * d + l) + 1] = ui * real[i * d + l];
				}
			}
		}
		final GroupBlockKernel kernel = new GroupBlockKernel(groups, lam, 0, size);
		assertTrue(kernel.load(p, s, 0));
		final double[] p2 = new double[p.length], s2 = new double[s.length];
		kernel.store(p2, s2, 0);
		for (int i = 0; i < p.length; i++) assertEquals(p[i], p2[i], 1e-12, "P entry " + i);
		for (int i = 0; i < s.length; i++) assertEquals(s[i], s2[i], 1e-12, "S entry " + i);

		// An imaginary part on one off-diagonal entry that no phase accounts for.
		final int g = size - 1, o = 2 * (g * d * d + 0 * d + 1), t = 2 * (g * d * d + 1 * d + 0);
		s[o + 1] += 0.25;
		s[t + 1] -= 0.25;
		assertFalse(new GroupBlockKernel(groups, lam, 0, size).load(p, s, 0));

		// A group whose entries are all small: its imaginary part is far below the block's largest entry,
		// but not below its own; checked per group, it is refused.
		s[o + 1] -= 0.25;
		s[t + 1] += 0.25;
		for (int i = 2 * g * d * d; i < 2 * (g + 1) * d * d; i++) s[i] *= 1e-8;
		for (int i = 2 * g * d; i < 2 * (g + 1) * d; i++) p[i] *= 1e-8;
		assertTrue(new GroupBlockKernel(groups, lam, 0, size).load(p, s, 0), "still real");
		s[o + 1] += 1e-12;
		s[t + 1] -= 1e-12;
		assertFalse(new GroupBlockKernel(groups, lam, 0, size).load(p, s, 0));
	}
}
