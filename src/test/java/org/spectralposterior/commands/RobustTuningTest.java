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

	/**
	 * η per step designed robustly (noise levels 3 and 9, blur widths 1.5 and 2.5): one list of weights
	 * and η; every pair's figure in the robust table equals a core {@link
	 * org.spectralposterior.core.diffusion.ConditionalScheduleDesign} built here for that pair at the
	 * table's weights and η; their sum is the summary's loss, which is at most the robust per-step
	 * weights' at the given η (the design starts there and keeps them if it cannot improve).
	 */
	@Test
	void robustEtaPerStepMinimisesTheSumOverPairs() throws Exception {
		final ImagePlus image = CommandsTest.gravel(40);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final org.scijava.command.CommandModule m = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "operator", "gaussian", "blur_sigma", 2.0, "noise_sigma", 3.0,
			"method", "pigdm", "steps", 10, "noise_list", "3,9", "blur_list", "1.5,2.5", "parametrisation", "weights and eta per step", "base_step", "ddim", "eta", 0.5);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final TaskResult r = ((SpectralCommand) m.getCommand()).result();
		final ij.measure.ResultsTable t = r.tables().get("gravel_pigdm_tuning"), each = r.tables().get("gravel_pigdm_robust"), w = r.tables().get("gravel_pigdm_tuned_weights");
		assertEquals(4, each.size());
		final double[] tuned = new double[10], etas = new double[10];
		for (int j = 0; j < 10; j++) {
			tuned[j] = w.getValue("tuned", j);
			etas[j] = w.getValue("eta", j);
		}
		final java.util.Map<String, String> meta = org.spectralposterior.imagej.Metadata.read(prior);
		final double lo = Double.parseDouble(meta.get("data_min")), hi = Double.parseDouble(meta.get("data_max")), half = 0.5 * (hi - lo);
		final GaussianPrior p = new org.spectralposterior.core.diffusion.IntensityMap(lo, hi).toUnit(org.spectralposterior.imagej.PriorImage.read(prior));
		final org.spectralposterior.core.diffusion.StepGrid grid = new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 10, BaseStep.DDIM, 0.5, null, 0).grid();
		double total = 0;
		for (int i = 0; i < 4; i++) {
			final double noise = each.getValue("noise_sigma", i), blur = each.getValue("blur_sigma", i);
			final org.spectralposterior.core.diffusion.ConditionalScheduleDesign o = new org.spectralposterior.core.diffusion.ConditionalScheduleDesign(p,
				BlurOperator.of(OperatorSpec.gaussian(blur), 40, 40), noise / half, Methods.PIGDM, BaseStep.DDIM, 0.5);
			final double ref = o.stepsValue(grid, tuned, etas, null, null, () -> false) * half * half, got = each.getValue("E_v W2^2 tuned weights and eta (robust)", i);
			assertEquals(ref, got, 1e-6 * ref, "pair " + i);
			total += got;
		}
		assertEquals(t.getValue("E_v W2^2", 3), total, 1e-6 * total, "the η row's loss is the sum over the pairs");
		assertTrue(t.getValue("E_v W2^2", 3) <= t.getValue("E_v W2^2", 2) * (1 + 1e-9), "never worse than the robust per-step weights at η = 0.5");
		System.out.printf(java.util.Locale.ROOT, "robust η per step (4 pairs): E_v W2² summed, heuristic %.6g, per step at η = 0.5 %.6g, weights and η %.6g%n", t.getValue("E_v W2^2", 0),
			t.getValue("E_v W2^2", 2), t.getValue("E_v W2^2", 3));
	}

	@Test
	void robustOverBlurWidthsAndNoiseLevelsScoresEveryPairExactly() throws Exception {
		// One weight list for a focus that drifts (blur σ 1.5 and 2.5 px) and two noise levels: the command's
		// per-pair figures equal core objectives built here for each pair, at the table's tuned weights.
		final ImagePlus image = CommandsTest.gravel(40);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final org.scijava.command.CommandModule m = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "operator", "gaussian", "blur_sigma", 2.0, "noise_sigma", 3.0,
			"method", "pigdm", "steps", 12, "noise_list", "3,9", "blur_list", "1.5,2.5");
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		final TaskResult r = ((SpectralCommand) m.getCommand()).result();
		final ij.measure.ResultsTable t = r.tables().get("gravel_pigdm_tuning"), each = r.tables().get("gravel_pigdm_robust"), w = r.tables().get("gravel_pigdm_tuned_weights");
		assertEquals("1.5,2.5", t.getStringValue("robust over blur sigmas", 0));
		assertEquals(4, each.size(), "one exact row per (noise, blur) pair");
		final double[] tuned = new double[12];
		for (int j = 0; j < 12; j++) tuned[j] = w.getValue("tuned", j);
		final java.util.Map<String, String> meta = org.spectralposterior.imagej.Metadata.read(prior);
		final double lo = Double.parseDouble(meta.get("data_min")), hi = Double.parseDouble(meta.get("data_max")), half = 0.5 * (hi - lo);
		final GaussianPrior p = new org.spectralposterior.core.diffusion.IntensityMap(lo, hi).toUnit(org.spectralposterior.imagej.PriorImage.read(prior));
		double total = 0;
		for (int i = 0; i < 4; i++) {
			final double noise = each.getValue("noise_sigma", i), blur = each.getValue("blur_sigma", i);
			assertEquals(i % 2 == 0 ? 3 : 9, noise, 0, "noise level fastest");
			assertEquals(i < 2 ? 1.5 : 2.5, blur, 0);
			final WeightObjective o = new WeightObjective(new DiffusionSampler(p, BlurOperator.of(OperatorSpec.gaussian(blur), 40, 40), noise / half,
				new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 12, BaseStep.DDPM, 0, null, 0)));
			final double ref = o.value(tuned) * half * half, got = each.getValue("E_v W2^2 tuned (robust)", i);
			assertEquals(ref, got, 1e-6 * ref, "pair " + i);
			assertTrue(got < each.getValue("E_v W2^2 heuristic", i) * 1.5, "no pair is sacrificed: " + got + " vs heuristic " + each.getValue("E_v W2^2 heuristic", i));
			total += got;
		}
		assertEquals(t.getValue("E_v W2^2", 2), total, 1e-6 * total, "the tuned row's loss is the sum over the pairs");
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "operator", "motion", "method", "pigdm", "steps", 5, "blur_list", "1,2"), "use operator=gaussian");
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "operator", "gaussian", "method", "pigdm", "steps", 5, "blur_list", "1,-2"), "blur widths must be");
	}

	@Test
	void aWarmStartFromACoarserGridStartsNearTheOptimumAndReachesIt() throws Exception {
		final ImagePlus image = CommandsTest.gravel(40);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final GaussianPrior p = new org.spectralposterior.core.diffusion.IntensityMap(0, 255).toUnit(org.spectralposterior.imagej.PriorImage.read(prior));
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(2), 40, 40);
		final WeightObjective coarse = new WeightObjective(new DiffusionSampler(p, op, 5 / 127.5, new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 10, BaseStep.DDPM, 0, null, 0)));
		final WeightObjective fine = new WeightObjective(new DiffusionSampler(p, op, 5 / 127.5, new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 40, BaseStep.DDPM, 0, null, 0)));
		final WeightTuner.Result c = new WeightTuner(coarse, 0, 300).tune(Progress.NONE);
		final WeightTuner.Result cold = new WeightTuner(fine, 0, 300).tune(Progress.NONE);
		final WeightTuner.Result start = org.spectralposterior.imagej.TuningTaskAccess.warmStarted(c, fine, false);
		// On its own grid the carried weights are the coarse ones exactly (the interpolation's nodes).
		final double[] same = org.spectralposterior.imagej.TuningTaskAccess.warmStarted(c, coarse, false).tuned();
		for (int j = 0; j < same.length; j++) assertEquals(c.tuned()[j], same[j], 1e-12 * (1 + Math.abs(c.tuned()[j])), "step " + j);
		// ΠGDM's optimum here is spiky (most weight on a few late steps), so the interpolated start can
		// be worse than the best constant; refine then starts from the constant, never from worse.
		final WeightTuner.Result warm = new WeightTuner(fine, 0, 300).refine(start, 300, Progress.NONE);
		assertTrue(warm.tunedLoss() <= cold.tunedLoss() * 1.01, "warm " + warm.tunedLoss() + " vs cold " + cold.tunedLoss());
		final org.scijava.command.CommandModule m = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "operator", "gaussian", "blur_sigma", 2.0, "noise_sigma", 5.0,
			"method", "pigdm", "steps", 40, "warm_start", 10);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		assertTrue(AnalysisCommandsTest.table(m).getStringValue("weights", 2).contains("warm start from n = 10"), AnalysisCommandsTest.table(m).getStringValue("weights", 2));
		CommandsTest.expectFailure(CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "method", "pigdm", "steps", 10, "warm_start", 10), "warm_start must be 0");
	}

	@Test
	void aWarmStartCarriesWeightsPerStepAndBandBandByBand() throws Exception {
		final ImagePlus image = CommandsTest.gravel(40);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final GaussianPrior p = new org.spectralposterior.core.diffusion.IntensityMap(0, 255).toUnit(org.spectralposterior.imagej.PriorImage.read(prior));
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(2), 40, 40);
		final org.spectralposterior.core.diffusion.FrequencyBands bands = org.spectralposterior.core.diffusion.FrequencyBands.of(org.spectralposterior.core.diffusion.FrequencyBands.By.FREQUENCY, 4,
			p.plane(), p.spectrum().values());
		final WeightObjective coarse = new WeightObjective(new DiffusionSampler(p, op, 5 / 127.5, new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 10, BaseStep.DDPM, 0, null, 0)), bands);
		final WeightObjective fine = new WeightObjective(new DiffusionSampler(p, op, 5 / 127.5, new DiffusionSampler.Config(Methods.PIGDM, Schedule.linear(), 40, BaseStep.DDPM, 0, null, 0)), bands);
		final WeightTuner.Result c = new WeightTuner(coarse, 0, 200).tune(Progress.NONE);
		assertEquals(4, c.bands());
		// On its own grid the carried weights are the coarse ones exactly, band by band.
		final double[] same = org.spectralposterior.imagej.TuningTaskAccess.warmStarted(c, coarse, false).tuned();
		for (int i = 0; i < same.length; i++) assertEquals(c.tuned()[i], same[i], 1e-12 * (1 + Math.abs(c.tuned()[i])), "weight " + i);
		// On the fine grid each band's ratio to the heuristic is interpolated on its own: a step between two
		// coarse steps has, in every band, a ratio between theirs.
		final WeightTuner.Result start = org.spectralposterior.imagej.TuningTaskAccess.warmStarted(c, fine, false);
		assertEquals(40 * 4, start.tuned().length);
		final int[] tc = c.timesteps(), tf = fine.timesteps();
		for (int j = 0; j < tf.length; j++) {
			if (tf[j] >= tc[0] || tf[j] <= tc[tc.length - 1]) continue;
			int i = 0;
			while (tc[i + 1] >= tf[j]) i++;
			for (int b = 0; b < 4; b++) {
				final double r0 = c.tuned(i, b) / c.heuristic()[i], r1 = c.tuned(i + 1, b) / c.heuristic()[i + 1], r = start.tuned(j, b) / fine.heuristicWeights()[j];
				assertTrue(r >= Math.min(r0, r1) * (1 - 1e-12) && r <= Math.max(r0, r1) * (1 + 1e-12), "step " + j + " band " + b + ": " + r + " between " + r0 + " and " + r1);
			}
		}
		final WeightTuner.Result warm = new WeightTuner(fine, 0, 200).refine(start, 200, Progress.NONE);
		final WeightTuner.Result cold = new WeightTuner(fine, 0, 200).tune(Progress.NONE);
		System.out.printf("bands, warm start from n = 10 to n = 40: E_v W2² %.6g (warm) vs %.6g (cold)%n", warm.tunedLoss(), cold.tunedLoss());
		assertTrue(warm.tunedLoss() <= cold.tunedLoss() * 1.01, "warm " + warm.tunedLoss() + " vs cold " + cold.tunedLoss());
		final org.scijava.command.CommandModule m = CommandsTest.run(TuneSamplerWeights.class, "prior", prior, "operator", "gaussian", "blur_sigma", 2.0, "noise_sigma", 5.0,
			"method", "pigdm", "steps", 40, "warm_start", 10, "parametrisation", "per step and band", "bands", 4);
		assertFalse(m.isCanceled(), () -> m.getCancelReason());
		assertTrue(AnalysisCommandsTest.table(m).getStringValue("weights", 2).contains("warm start from n = 10"), AnalysisCommandsTest.table(m).getStringValue("weights", 2));
	}
}
