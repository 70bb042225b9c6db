package org.spectralposterior.imagej;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import org.junit.jupiter.api.Test;
import org.spectralposterior.core.JointLaw;
import org.spectralposterior.core.Progress;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.fourier.RealFft2;
import org.spectralposterior.core.operator.BlurOperator;
import org.spectralposterior.core.operator.OperatorSpec;
import org.spectralposterior.core.posterior.ExactPosterior;
import org.spectralposterior.core.posterior.ExactPosteriorDenseTest;
import org.spectralposterior.core.posterior.OutputLaw;
import org.spectralposterior.core.prior.GaussianPrior;

/**
 * The planes of a stack get independent noise: simulated measurement noise in the pixel domain, and
 * exact posterior samples of two planes in the (whitened) Fourier domain. Before the streams were
 * split, plane 2's noise was plane 1's shifted by one pixel (pixel correlation 1 at offset (0, 1)),
 * and plane 2's posterior samples re-used plane 1's draws one place later.
 */
class NoiseStreamsTest {

	private static final int[][] PIXEL_OFFSETS = { { 0, 0 }, { 0, 1 }, { 0, -1 }, { 1, 0 }, { 1, 1 }, { 1, -1 }, { 0, 2 }, { 2, 0 } };

	private static final Progress NONE = new Progress() {
		@Override
		public void update(final long done, final long total) {}

		@Override
		public boolean cancelled() {
			return false;
		}
	};

	@Test
	void simulatedNoiseIsWhiteWithinAndIndependentAcrossPlanes() {
		final int w = 61, h = 48;
		final ImageStack stack = new ImageStack(w, h);
		for (int i = 0; i < 3; i++) stack.addSlice(new FloatProcessor(w, h));
		final ImagePlus zeros = new ImagePlus("zeros", stack);
		final ImagePlus noisy = DegradationTask.run(zeros, OperatorSpec.none(), 1, 17, NONE).images().get(0);
		final Rectangle all = new Rectangle(0, 0, w, h);
		final double[][] p = new double[3][];
		for (int i = 0; i < 3; i++) p[i] = Planes.read(noisy, i + 1, all);
		final double bound = 5 / Math.sqrt(w * h);
		for (int i = 0; i < 3; i++) {
			final double within = JointLaw.maxPixelCorrelation(w, h, p[i], p[i], true, PIXEL_OFFSETS)[0];
			assertTrue(within < bound, "plane " + (i + 1) + ": neighbouring pixels correlate, " + within);
			for (int j = i + 1; j < 3; j++) {
				final double across = JointLaw.maxPixelCorrelation(w, h, p[i], p[j], false, PIXEL_OFFSETS)[0];
				assertTrue(across < bound, "planes " + (i + 1) + " and " + (j + 1) + " correlate: " + across + " ≥ " + bound);
			}
		}
	}

	@Test
	void exactPosteriorSamplesOfTwoPlanesAreIndependent() {
		final int w = 40, h = 34;
		final GaussianPrior prior = ExactPosteriorDenseTest.randomPrior(h, w, 3);
		final ImagePlus priorImp = PriorImage.create("p", prior, null, java.util.Map.of());
		final BlurOperator op = BlurOperator.of(OperatorSpec.gaussian(1), h, w);
		final double sigma = 0.3;
		final double[] v = op.apply(prior.sampler(2).next());
		final ImageStack stack = new ImageStack(w, h);
		// Two identical planes: any difference between their samples is the streams'.
		stack.addSlice(Planes.toProcessor(v, w, h));
		stack.addSlice(Planes.toProcessor(v, w, h));
		final ImagePlus measurement = new ImagePlus("m", stack);
		MeasurementImage.annotate(measurement, OperatorSpec.gaussian(1), sigma, 0, "test");
		final TaskResult r = SamplingTask.run(priorImp, measurement, null, SamplingTask.Request.exact("exact posterior", 2, 9, null, 0), NONE);
		final ImagePlus samples = r.images().get(0);
		final OutputLaw post = ExactPosterior.of(prior, op, sigma);
		final HalfPlane plane = post.plane();
		final RealFft2 fft = new RealFft2(plane);
		final double[] vs = fft.newSpectrum();
		fft.forward(Planes.read(measurement, 1, new Rectangle(0, 0, w, h)), vs);
		final double[] mean = post.meanSpectrum(vs);
		final List<double[]> white = new java.util.ArrayList<>();
		for (int i = 1; i <= samples.getStackSize(); i++) {
			final double[] xs = fft.newSpectrum();
			fft.forward(Planes.read(samples, i, new Rectangle(0, 0, w, h)), xs);
			white.add(JointLaw.whiten(plane, xs, mean, post.s2()));
		}
		assertTrue(white.size() == 4, "2 planes × 2 samples, got " + white.size());
		for (int i = 0; i < white.size(); i++) {
			for (int j = i + 1; j < white.size(); j++) {
				final double[] c = JointLaw.maxSpectralCorrelation(plane, white.get(i), white.get(j), false, JointLaw.SPECTRAL_OFFSETS);
				assertTrue(c[0] < 5 / Math.sqrt(c[1]), "samples " + i + " and " + j + " correlate: " + c[0]);
			}
		}
	}
}
