package org.spectralposterior.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.scijava.plugin.Parameter;
import org.spectralposterior.core.diffusion.Method;
import org.spectralposterior.core.diffusion.Methods;
import org.spectralposterior.imagej.SamplingTask;

/**
 * SciJava's {@code choices} must be compile-time constants, so the dialogs spell the method keys out;
 * this holds them to the registry ({@link Methods#ALL}), so that a new sampler cannot be left out of a menu.
 */
class MethodChoicesTest {

	private static List<String> choices(final Class<?> command) throws NoSuchFieldException {
		return List.of(command.getDeclaredField("method").getAnnotation(Parameter.class).choices());
	}

	@Test
	void posteriorSamplingOffersTheExactPosteriorAndEveryRegisteredMethod() throws Exception {
		assertEquals(List.of(SamplingTask.METHODS), choices(PosteriorSampling.class));
		assertEquals(Methods.ALL.size() + 1, SamplingTask.METHODS.length);
	}

	@Test
	void tuningOffersEveryTunableMethodWithAnExactLaw() throws Exception {
		// and SDEdit, whose start time t0 is what it tunes
		final java.util.List<String> expected = new java.util.ArrayList<>(Methods.ALL.stream().filter(m -> m.tunable() && m.linear()).map(m -> m.key).toList());
		expected.add("sdedit");
		assertEquals(expected, choices(TuneSamplerWeights.class));
	}

	@Test
	void batchOffersEveryMethodWithAnExactLaw() throws Exception {
		final List<String> expected = new java.util.ArrayList<>(List.of(SamplingTask.EXACT));
		for (final Method m : Methods.ALL) if (m.linear()) expected.add(m.key);
		assertEquals(expected, choices(Batch.class));
	}

	@Test
	void buildPriorOffersTheColourModelsItParses() throws Exception {
		assertEquals(List.of(org.spectralposterior.imagej.PriorTask.COLOUR_MODELS), List.of(BuildGaussianPrior.class.getDeclaredField("colour_model").getAnnotation(Parameter.class).choices()));
	}
}
