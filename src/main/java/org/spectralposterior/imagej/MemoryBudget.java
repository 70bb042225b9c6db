package org.spectralposterior.imagej;

import java.util.Locale;

import ij.ImagePlus;
import org.spectralposterior.core.fourier.HalfPlane;
import org.spectralposterior.core.operator.OperatorSpec;

/**
 * What a task will hold in memory at once, estimated before it allocates anything, and the refusal
 * when that does not fit in what the JVM can still give. Without it a large request ends in an
 * OutOfMemoryError stack trace after minutes of work, or leaves Fiji unusable.
 * <p>
 * The estimate adds the task's outputs (held until it returns: every sample plane, mean, std and W2
 * maps, trajectory snapshots) to the working set of one plane (planes are processed one after the
 * other, so only one plane's transforms, laws and copies are alive). The working sets count the
 * arrays the code keeps alive at its peak, in four units of an H×W image: a float plane (ImageJ's
 * pixels), a double plane (the per-plane copies), a complex half-plane spectrum (2·H·(W/2+1) doubles,
 * the same size again: every {@code RealFft2} holds one as scratch and JTransforms one column) and a
 * real per-frequency array (λ, ρ, p, q, s², multiplicities: half that). The counts were read off the
 * code and checked against measured peak heaps (MemoryBudgetTest and the figures in its comments).
 * All sizes are long: image sizes multiplied together overflow an int long before memory runs out.
 */
final class MemoryBudget {

	/** Refuse when the estimate times this exceeds the free heap: the estimate misses small objects and fragmentation. */
	static final double MARGIN = 1.2;

	/** Heap a task uses regardless of the image size (tables, plots, JIT, ImageJ objects). */
	static final long FIXED = 16L << 20;

	private final String task;
	private final String what;
	private final String remedy;
	private long bytes = FIXED;

	private MemoryBudget(final String task, final String what, final String remedy) {
		this.task = task;
		this.what = what;
		this.remedy = remedy;
	}

	/** @param what the size in words ("200 samples of 1024×1024 …"); @param remedy the first way out ("use fewer samples") */
	static MemoryBudget of(final String task, final String what, final String remedy) {
		return new MemoryBudget(task, what, remedy);
	}

	MemoryBudget add(final long more) {
		bytes = saturatedAdd(bytes, more);
		return this;
	}

	/** The estimate in bytes (saturating at Long.MAX_VALUE rather than wrapping). */
	long bytes() {
		return bytes;
	}

	/** Refuses unless the estimate, with the margin, fits in the memory the JVM can still give. */
	void check() {
		long free = available();
		// Garbage counts as in use: before refusing a run that may fit, collect once and look again (a
		// second large run right after a first would otherwise be refused; a GC here costs far less
		// than the run it lets through).
		if (bytes * MARGIN > free) {
			System.gc();
			free = available();
		}
		check(free);
	}

	void check(final long free) {
		if (bytes * MARGIN <= free) return;
		throw new IllegalArgumentException(task + " needs about " + size(bytes) + " of memory (" + what + ") but only " + size(free) + " is free: " + remedy
			+ ", or start Java/Fiji with more memory (java -Xmx…, Fiji: Edit › Options › Memory & Threads).");
	}

	/**
	 * What the JVM can still allocate: the heap limit minus what is in use now (garbage included;
	 * {@link #check()} collects it before refusing).
	 */
	static long available() {
		final Runtime rt = Runtime.getRuntime();
		return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
	}

	static String size(final long b) {
		if (b >= 1e9) return String.format(Locale.ROOT, "%.1f GB", b / 1e9);
		return String.format(Locale.ROOT, "%.0f MB", Math.max(1, b / 1e6));
	}

	// ---- units of an H×W image, in bytes (long) ----

	static long floats(final long w, final long h) {
		return 4 * w * h;
	}

	static long doubles(final long w, final long h) {
		return 8 * w * h;
	}

	/** A complex half-plane spectrum: 2·H·(W/2 + 1) doubles. */
	static long spectrum(final long w, final long h) {
		return 16 * h * (w / 2 + 1);
	}

	/** A real per-frequency array on the half plane. */
	static long perFrequency(final long w, final long h) {
		return 8 * h * (w / 2 + 1);
	}

	/** {@code a·b} in bytes, saturating (a stack of 2³¹ samples of a large image). */
	static long times(final long a, final long b) {
		if (a == 0 || b == 0) return 0;
		return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
	}

	private static long saturatedAdd(final long a, final long b) {
		final long s = a + b;
		return s < 0 ? Long.MAX_VALUE : s;
	}

	/** Refuses images Java's arrays cannot hold (by name, before any estimate) and stacks ImageJ cannot index. */
	static void checkLimits(final long w, final long h, final long slices) {
		checkLimits(w, h, slices, "crop or bin the image (Image › Scale) below about 46000×46000 pixels");
	}

	static void checkLimits(final long w, final long h, final long slices, final String fix) {
		HalfPlane.checkSize(h, w, fix);
		if (slices > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("The output would be a stack of " + slices + " images of " + w + "×" + h + ", above ImageJ's limit of " + Integer.MAX_VALUE
				+ " images per stack; use fewer samples.");
		}
	}

	static String dims(final long w, final long h) {
		return w + "×" + h;
	}

	// ---- the tasks ----

	/**
	 * Posterior Sampling (the three paths: circulant, inpainting, super-resolution). Reads only the
	 * measurement's size and metadata, so it runs before the prior is decoded.
	 */
	static MemoryBudget sampling(final ImagePlus measurement, final SamplingTask.Request req) {
		final int factor = req.operator() != null ? 1 : MeasurementImage.downsample(measurement);
		final OperatorSpec spec = req.operator() != null ? req.operator() : MeasurementImage.operator(measurement);
		final long w = (long) measurement.getWidth() * factor, h = (long) measurement.getHeight() * factor;
		final long planes = measurement.getStackSize(), ns = Math.max(0, req.samples());
		final boolean exact = SamplingTask.methodKey(req.method()).equals("exact");
		final boolean stepByStep = !exact && req.stepByStep();
		final long snapshots = stepByStep && req.trajectoryEvery() > 0 ? (Math.max(1, req.steps()) + req.trajectoryEvery() - 1) / req.trajectoryEvery() : 0;
		final MemoryBudget b = sampling(w, h, planes, ns, factor > 1 ? Path.SUPER_RESOLUTION : spec.circulant() ? Path.CIRCULANT : Path.INPAINTING, exact, stepByStep, snapshots);
		// A diffusion sampler on super-resolution: the law's and the posterior's blocks (P, q: 2 doubles
		// per HR pixel each; S: r² per HR pixel each), the law sampler's Hermitian roots (r² more), the stepper's spectra.
		if (factor > 1 && !exact) b.add(times((long) (3 * factor * factor + 4), doubles(w, h))).add(6 * spectrum(w, h));
		return b;
	}

	enum Path {
		CIRCULANT, INPAINTING, SUPER_RESOLUTION
	}

	/**
	 * @param w,h the output grid; @param snapshots trajectory snapshots (0 = none)
	 */
	static MemoryBudget sampling(final long w, final long h, final long planes, final long ns, final Path path, final boolean exact, final boolean stepByStep, final long snapshots) {
		checkLimits(w, h, times(planes, ns));
		final long f = floats(w, h), d = doubles(w, h), s = spectrum(w, h), r = perFrequency(w, h);
		final String what = ns + (ns == 1 ? " sample" : " samples") + " of " + dims(w, h) + (planes > 1 ? " × " + planes + " planes" : "")
			+ (snapshots > 0 ? " and a trajectory of " + snapshots + " snapshots" : "");
		final String remedy = snapshots > 0 ? "use fewer samples or a larger trajectory_every" : "use fewer samples";
		final MemoryBudget b = of("Posterior Sampling", what, remedy);
		switch (path) {
			case CIRCULANT -> {
				// Outputs: samples, mean, std, W2 map, W2 spectrum (float planes) and the overview.
				b.add(times(times(planes, ns + 4), f)).add(3 * f);
				// One plane: measurement + sample buffer + mean + std + W2 pixel maps (doubles), the
				// operator's transfer and the mean / W2 / sampler transforms (spectra), λ, ρ, κ, q, s², W2 parts.
				long work = 6 * d + 5 * s + 8 * r;
				// A diffusion law: the [−1, 1] copy of v and prior, the sampler's p, q, s², gains.
				if (!exact) work += d + 8 * r;
				// Step by step: the stepper's x, x̂0, z, v and scratch spectra, and the Monte-Carlo W2's
				// float copy of every sample's spectrum (half a spectrum each).
				if (stepByStep) work = saturatedAdd(work + 6 * s + r, times(ns, s / 2));
				// Trajectory: x_t and x̂0 per snapshot (doubles) are recorded while the first plane is
				// sampled; their float stacks (and one pair of copies) are made after the last plane,
				// when the working set is gone: the larger of the two counts, not both.
				b.add(times(snapshots, 2 * d)).add(Math.max(work, saturatedAdd(times(snapshots, 2 * f), 2 * d)));
			}
			case INPAINTING -> {
				// Outputs: samples, mean, std; one plane: v, x, Σx, Σx², std, the kriging's full-grid
				// buffers and CG vectors (u, r, z, Ap, b ≤ pixels each), the observed index, two spectra.
				b.add(times(times(planes, ns + 2), f)).add(3 * f);
				b.add(12 * d + 2 * s + 4 * r + f + w * h);
			}
			case SUPER_RESOLUTION -> {
				// On the fine grid. Outputs: samples, mean, std; one plane: the kriging's Σ·A* spectrum,
				// covariance image, mean, variance, std, sample and its innovation buffers, two transforms.
				b.add(times(times(planes, ns + 2), f)).add(3 * f);
				b.add(10 * d + 4 * s + 2 * r);
			}
		}
		return b;
	}

	/** Build Gaussian Prior: exemplars of roiW×roiH (all held), a prior per channel on tw×th. */
	static MemoryBudget prior(final long roiW, final long roiH, final long exemplars, final long channels, final long tw, final long th, final boolean smoothed) {
		checkLimits(tw, th, channels, "use a smaller target_width / target_height (at most about 46000 each)");
		final String what = "a " + dims(tw, th) + " prior" + (channels > 1 ? " × " + channels + " channels" : "") + " from " + exemplars + (exemplars == 1 ? " exemplar" : " exemplars")
			+ " of " + dims(roiW, roiH);
		final MemoryBudget b = of("Build Gaussian Prior", what, "use a smaller target_width / target_height");
		final long d = doubles(tw, th), s = spectrum(tw, th), r = perFrequency(tw, th);
		// The exemplars (doubles) and one periodic component at a time (Laplacian and result, a transform).
		b.add(times(exemplars, doubles(roiW, roiH))).add(2 * doubles(roiW, roiH) + spectrum(roiW, roiH));
		// Per channel kept: λ and the output float plane; working: padded exemplar, its spectrum and
		// the transform's scratch, λ, and the fftshifted full grid made for the output.
		b.add(times(channels, r + floats(tw, th))).add(2 * d + 2 * s + 2 * r);
		// Blackman–Tukey: the covariance image, its spectrum and the smoothed λ on top.
		if (smoothed) b.add(d + s + r);
		return b;
	}

	/** Simulate Degradation of a w×h image with the given planes. */
	static MemoryBudget degradation(final long w, final long h, final long planes) {
		checkLimits(w, h, planes);
		final MemoryBudget b = of("Simulate Degradation", dims(w, h) + (planes > 1 ? " × " + planes + " planes" : ""), "crop the image or process fewer planes");
		// Output plus kernel/mask plane; one plane: kernel, input and output (doubles), the operator's
		// transfer, the image's spectrum and the transform's scratch.
		return b.add(times(planes + 1, floats(w, h))).add(3 * doubles(w, h) + 3 * spectrum(w, h) + 2 * perFrequency(w, h) + w * h);
	}

	/** Synthesize Texture: ns samples of a w×h prior. */
	static MemoryBudget synthesis(final long w, final long h, final long ns) {
		checkLimits(w, h, ns);
		final MemoryBudget b = of("Synthesize Texture", ns + (ns == 1 ? " sample" : " samples") + " of " + dims(w, h), "use fewer samples");
		// The stack; λ, √λ; one sample's noise spectrum, the transform's scratch and the double image.
		return b.add(times(ns, floats(w, h))).add(doubles(w, h) + 2 * spectrum(w, h) + 3 * perFrequency(w, h));
	}

	/**
	 * The measurement-free analyses and tuning on a w×h prior: per-frequency laws (a handful of real
	 * arrays per method, all methods' laws alive for the transfer stack) and {@code outputPlanes}
	 * float planes of output. Tuning's gradient history is bounded by WeightObjective (~16 MB per thread).
	 */
	static MemoryBudget analysis(final String task, final long w, final long h, final long methods, final long outputPlanes) {
		checkLimits(w, h, outputPlanes);
		final MemoryBudget b = of(task, "a " + dims(w, h) + " prior" + (outputPlanes > 0 ? " and " + outputPlanes + " output planes" : ""),
			"use a smaller prior (crop the image it is built from, or a smaller target_width / target_height)");
		final long r = perFrequency(w, h);
		return b.add(times(outputPlanes, floats(w, h))).add(times(Math.max(1, methods), 8 * r)).add(12 * r + 2 * spectrum(w, h) + 2 * doubles(w, h)).add(64L << 20);
	}
}
