package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import ij.ImagePlus;
import org.junit.jupiter.api.Test;
import org.scijava.ItemIO;
import org.scijava.command.CommandModule;
import org.scijava.plugin.Parameter;
import org.spectralposterior.imagej.TaskResult;

/**
 * Outputs are published by role (issue 9): every role a task fills is the name of an ImagePlus output
 * field of a command, every such field has a role, and runs that make only some outputs (the exact
 * posterior of a super-resolution has no W2 map; a run with a trajectory has two more images) leave the
 * others in their own fields — by position, the trajectory would have landed in the W2 fields.
 */
class OutputRolesTest {

	static final List<Class<? extends SpectralCommand>> COMMANDS = List.of(BuildGaussianPrior.class, SynthesizeTexture.class, SimulateDegradation.class, PosteriorSampling.class,
		CompareSamplers.class, TuneSamplerWeights.class, TransferFunctions.class, ReverseDynamicsSensitivity.class, DesignNoiseSchedule.class, ContinuousTimeSchemes.class);

	@Test
	void everyRoleIsAnOutputFieldAndEveryOutputFieldARole() throws Exception {
		final Set<String> roles = new HashSet<>(), fields = new HashSet<>();
		for (final Field f : TaskResult.class.getFields()) if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) roles.add((String) f.get(null));
		for (final Class<?> c : COMMANDS) {
			for (final Field f : c.getDeclaredFields()) {
				final Parameter p = f.getAnnotation(Parameter.class);
				if (p != null && p.type() == ItemIO.OUTPUT && f.getType() == ImagePlus.class) fields.add(f.getName());
			}
		}
		assertEquals(fields, roles);
	}

	@Test
	void aMissingOutputLeavesTheOthersInTheirFields() throws Exception {
		final ImagePlus image = CommandsTest.gravel(32);
		final ImagePlus prior = (ImagePlus) CommandsTest.run(BuildGaussianPrior.class, "image", image).getOutput("prior");
		final CommandModule sr = CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 1.0, "downsample", 2, "noise_sigma", 2.0, "seed", 1L);
		final ImagePlus low = (ImagePlus) sr.getOutput("degraded");
		assertTrue(((ImagePlus) sr.getOutput("psf_image")).getTitle().endsWith("_psf"));
		assertNull(sr.getOutput("mask_image"));
		final CommandModule exact = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", low, "method", "exact posterior", "samples", 2, "seed", 1L);
		assertFalse(exact.isCanceled(), () -> exact.getCancelReason());
		assertTrue(((ImagePlus) exact.getOutput("std")).getTitle().endsWith("_std"));
		assertNull(exact.getOutput("w2_map"), "the exact posterior of a super-resolution has no W2 map");
		final ImagePlus degraded = (ImagePlus) CommandsTest.run(SimulateDegradation.class, "image", image, "operator", "gaussian", "blur_sigma", 1.0, "noise_sigma", 2.0, "seed", 1L).getOutput("degraded");
		final CommandModule traj = CommandsTest.run(PosteriorSampling.class, "prior", prior, "measurement", degraded, "method", "pigdm", "steps", 10, "samples", 1, "seed", 1L,
			"mode", "step by step", "trajectory_every", 5);
		assertFalse(traj.isCanceled(), () -> traj.getCancelReason());
		final String[][] expected = { { "samples_stack", "_samples" }, { "mean", "_mean" }, { "std", "_std" }, { "w2_map", "_w2map" }, { "w2_spectrum", "_w2spectrum" },
			{ "trajectory_xt", "_trajectory_xt" }, { "trajectory_x0", "_trajectory_x0" } };
		for (final String[] e : expected) {
			final ImagePlus imp = (ImagePlus) traj.getOutput(e[0]);
			assertNotNull(imp, e[0]);
			assertTrue(imp.getTitle().endsWith(e[1]), e[0] + " holds " + imp.getTitle());
		}
	}
}
