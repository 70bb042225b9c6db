package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.diffusion.BaseStep;
import org.spectralposterior.core.diffusion.DiffusionSampler;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.core.diffusion.Schedule;
import org.spectralposterior.core.diffusion.SumObjective;
import org.spectralposterior.core.diffusion.WeightObjective;
import org.spectralposterior.core.diffusion.WeightTuner;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.prior.GaussianPrior;
import org.spectralposterior.imagej.TaskResult;

/**
 * Robust tuning over several noise levels: the robust weights are at least as good on the summed
 * objective as the weights tuned for any single level (which they must beat or tie, being its
 * minimiser), and no better than the sum of the single-level optima (its lower bound); the command
 * reports every level exactly.
 */
class RobustTuningTest {

	private static double fdNorm(final SumObjective f, final double[] w) {
		double s = 0;
		for (int j = 0; j < w.length; j++) {
			final double h = 1e-6 * Math.max(1e-3, Math.abs(w[j]));
			final double[] a = w.clone(), b = w.clone();
			a[j] += h;
			b[j] -= h;
			final double g = (f.value(a) - f.value(b)) / (2 * h);
			s += g * g;
		}
		return Math.sqrt(s);
	}

	@Test
	void robustWeightsMinimiseTheSumOverNoiseLevels() throws Exception {
		final ImagePlus image = CommandsTest.gravel(40);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final GaussianPrior unit = org.spectralposterior.imagej.PriorImage.read(prior);
		final double half = 0.5 * (Double.parseDouble(org.spectralposterior.imagej.Metadata.read(prior).get("data_max")) - Double.parseDouble(org.spectralposterior.imagej.Metadata.read(prior).get("data_min")));
		final double mid = 0.5 * (Double.parseDouble(org.spectralposterior.imagej.Metadata.read(prior).get("data_max")) + Double.parseDouble(org.spectralposterior.imagej.Metadata.read(prior).get("data_min")));
		final GaussianPrior p = new org.spectralposterior.core.diffusion.IntensityMap(mid - half, mid + half).toUnit(unit);
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(2), 40, 40);
		final double[] sigmas = { 2, 8, 20 };
		final List<WeightObjective> parts = new ArrayList<>();
		for (final double s : sigmas) parts.add(new WeightObjective(new DiffusionSampler(p, op, s / half, new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 15, BaseStep.DDPM, 0, null, 0))));
		final SumObjective sum = new SumObjective(parts);
		final WeightTuner.Result robust = new WeightTuner(sum, 0, 300).tune(Progress.NONE);
		double lower = 0;
		for (final WeightObjective o : parts) {
			final WeightTuner.Result single = new WeightTuner(o, 0, 300).tune(Progress.NONE);
			lower += single.tunedLoss();
			assertTrue(robust.tunedLoss() <= sum.value(single.tuned()) * (1 + 1e-6), "robust " + robust.tunedLoss() + " vs single-level weights on the sum " + sum.value(single.tuned()));
		}
		assertTrue(robust.tunedLoss() >= lower * (1 - 1e-6), "the sum of the single optima is a lower bound");
		assertTrue(robust.tunedLoss() < sum.value(robust.heuristic()), "better than the heuristic");
		// First-order optimality on the sum, by finite differences of its value alone (independent of any
		// gradient code): stationary where the heuristic was not.
		final double gStart = fdNorm(sum, robust.heuristic()), gEnd = fdNorm(sum, robust.tuned());
		assertTrue(gEnd < 0.05 * gStart, "stationary: |∇| " + gEnd + " at the robust weights vs " + gStart + " at the heuristic");

		final org.scijava.command.CommandModule m = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "operator", "gaussian", "blur_sigma", 2.0, "noise_sigma", 2.0,
			"method", "pigdm", "steps", 15, "noise_list", "2,8,20");
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final TaskResult r = ((SpectralCommand) m.getCommand()).result();
		final ij.measure.ResultsTable t = r.tables().get("gravel_pigdm_tuning"), each = r.tables().get("gravel_pigdm_robust");
		assertEquals("2,8,20", t.getStringValue("robust over noise sigmas", 0));
		assertEquals(3, each.size(), "one exact row per noise level");
		double total = 0;
		for (int i = 0; i < 3; i++) total += each.getValue("E_v W2^2 tuned (robust)", i);
		assertEquals(t.getValue("E_v W2^2", 2), total, 1e-6 * total, "the tuned row's loss is the sum over the levels");
	}
}
