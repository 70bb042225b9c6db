/**
 * Pierret–Galerne continuous-time module (MATH §11): the VP SDE with β linear on [0, 1], the exact laws of its backward
 * SDE and probability-flow ODE (poster Prop. 1), and the exact output laws of their EM, EI, "DDPM", Euler, Heun and RK4
 * discretisations, per eigenvalue of the data covariance.
 *
 * <p>Not yet here: guided (conditional) continuous-time sampling. MATH §11's last paragraph: every guided EM/EI/Euler/Heun
 * step with DPS- or ΠGDM-type likelihood scores is again affine per frequency of a circulant blur, y ← a y + b v + c + e z;
 * the (a, b, c, e) of each scheme would feed the §8 output-law recurrence and the §9 W2 to the exact posterior, as the
 * discrete samplers of {@code core.diffusion} do.
 */
package org.spectralposterior.core.continuous;
