/**
 * Pierret–Galerne continuous-time module (MATH §11): the VP SDE with β linear on [0, 1], the exact laws of its backward
 * SDE and probability-flow ODE (poster Prop. 1), and the exact output laws of their EM, EI, "DDPM", Euler, Heun and RK4
 * discretisations, per eigenvalue of the data covariance.
 *
 * <p>{@link org.spectralposterior.core.continuous.GuidedSchemes}: the same schemes guided (MATH §11.1) — DPS, ΠGDM and
 * CGDM likelihood scores, or the exact conditional score, affine per frequency of a circulant blur, so each step is
 * y ← m y + n conj(h)v + o + noise and the output law given v feeds the §9.3 E_v W2² to the exact posterior, along the
 * run as well (to the exact law of x_t given v).
 */
package org.spectralposterior.core.continuous;
