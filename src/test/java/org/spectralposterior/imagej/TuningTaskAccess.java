package org.spectralposterior.imagej;

import org.spectralposterior.core.diffusion.TuningObjective;
import org.spectralposterior.core.diffusion.WeightTuner;

/** Test access to {@link TuningTask}'s warm start. */
public final class TuningTaskAccess {

	private TuningTaskAccess() {}

	public static WeightTuner.Result warmStarted(final WeightTuner.Result coarse, final TuningObjective fine, final boolean fraction) {
		return TuningTask.warmStarted(coarse, fine, fraction);
	}
}
