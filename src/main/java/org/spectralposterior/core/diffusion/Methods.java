package org.spectralposterior.core.diffusion;

import java.util.List;
import java.util.Locale;

import org.spectralposterior.core.diffusion.methods.Cgdm;
import org.spectralposterior.core.diffusion.methods.Ddnm;
import org.spectralposterior.core.diffusion.methods.Ddrm;
import org.spectralposterior.core.diffusion.methods.Dps;
import org.spectralposterior.core.diffusion.methods.DpsNormalised;
import org.spectralposterior.core.diffusion.methods.Pigdm;
import org.spectralposterior.core.diffusion.methods.ScoreAld;
import org.spectralposterior.core.diffusion.methods.Sdedit;
import org.spectralposterior.core.diffusion.methods.Unconditional;

/** The registry of samplers: every choice list, parser and contract test is derived from {@link #ALL}. */
public final class Methods {

	public static final Method UNCONDITIONAL = new Unconditional();
	public static final Method DPS = new Dps();
	public static final Method DPS_NORMALIZED = new DpsNormalised();
	public static final Method PIGDM = new Pigdm();
	public static final Method CGDM = new Cgdm();
	public static final Method DDNM = new Ddnm();
	public static final Method SDEDIT = new Sdedit();
	public static final Method SCORE_ALD = new ScoreAld();
	public static final Method DDRM = new Ddrm();

	/** In the order users see them. */
	public static final List<Method> ALL = List.of(DPS, DPS_NORMALIZED, PIGDM, CGDM, DDNM, DDRM, SDEDIT, SCORE_ALD, UNCONDITIONAL);

	private Methods() {}

	/** The method with this key or label (case-insensitive). */
	public static Method parse(final String s) {
		final String k = s.trim().toLowerCase(Locale.ROOT);
		for (final Method m : ALL) if (m.key.equals(k) || m.label.toLowerCase(Locale.ROOT).equals(k)) return m;
		throw new IllegalArgumentException("Unknown method '" + s + "'. Methods: " + String.join(", ", ALL.stream().map(m -> m.key).toList()) + ".");
	}

	/** The keys, in {@link #ALL}'s order. */
	public static String[] keys() {
		return ALL.stream().map(m -> m.key).toArray(String[]::new);
	}
}
