// A colour run in plain ImageJ: an RGB image → cross-channel prior (the RGB default) → blur + noise →
// exact posterior and a diffusion sampler; the outputs must be 3-channel composites.
setBatchMode(true);
newImage("c", "RGB noise", 64, 48, 1);
run("Gaussian Blur...", "sigma=1.5");
// No image=: the current image is the one, as in Fiji and every ImageJ command.
run("Build Gaussian Prior", "estimator=smoothed");
selectImage("c_prior");
if (nSlices != 9 || indexOf(getMetadata("Info"), "colour_model=cross-channel") < 0) exit("COLOUR FAILED: prior has " + nSlices + " slices");
run("Simulate Degradation", "image=c operator=gaussian blur_sigma=1 noise_sigma=5 seed=3");
run("Posterior Sampling", "prior=c_prior measurement=c_degraded method=[exact posterior] samples=2 seed=1");
selectImage("c_degraded_exact_samples");
getDimensions(w, h, channels, slices, frames);
if (channels != 3 || frames != 2 || !is("composite")) exit("COLOUR FAILED: samples " + channels + " channels, " + frames + " frames");
run("Posterior Sampling", "prior=c_prior measurement=c_degraded method=pigdm samples=1 seed=1 steps=20");
selectImage("c_degraded_pigdm_mean");
getDimensions(w, h, channels, slices, frames);
if (channels != 3) exit("COLOUR FAILED: pigdm mean has " + channels + " channels");
// Colour super-resolution ×2: a cross-channel prior with dense blocks across channels and aliased frequencies.
run("Simulate Degradation", "image=c operator=gaussian blur_sigma=1 downsample=2 noise_sigma=5 seed=3");
run("Posterior Sampling", "prior=c_prior measurement=c_degraded-1 method=pigdm samples=1 seed=1 steps=10");
selectImage("c_degraded-1_pigdm_mean");
getDimensions(w, h, channels, slices, frames);
if (channels != 3 || w != 64) exit("COLOUR FAILED: colour SR mean is " + w + " wide with " + channels + " channels");
srW2 = Table.get("E_v W2^2", 0, "c_degraded-1_pigdm_results");
if (!(srW2 > 0)) exit("COLOUR FAILED: colour SR E_v W2^2 " + srW2);
run("Posterior Sampling", "prior=c_prior measurement=c_degraded-1 method=pigdm samples=1 seed=1 steps=10 mode=[step by step]");
stepW2 = Table.get("E_v W2^2", 0, "c_degraded-1_pigdm_results-1");
if (abs(stepW2 - srW2) > 1e-6 * srW2) exit("COLOUR FAILED: colour SR step by step reports " + stepW2 + ", closed form " + srW2);
// A PSF per channel: a 3-slice PSF stack, one Gaussian width per channel.
newImage("psf3", "32-bit black", 7, 7, 3);
for (s = 1; s <= 3; s++) { setSlice(s); setPixel(3, 3, 1); run("Gaussian Blur...", "sigma=" + (0.4 * s) + " slice"); }
run("Simulate Degradation", "image=c operator=psf psf=psf3 noise_sigma=5 seed=4");
selectImage("c_psf-2");
if (nSlices != 3) exit("COLOUR FAILED: the per-channel PSF output has " + nSlices + " slices");
run("Posterior Sampling", "prior=c_prior measurement=c_degraded-2 method=[exact posterior] samples=1 seed=1");
selectImage("c_degraded-2_exact_samples");
getDimensions(w, h, channels, slices, frames);
if (channels != 3) exit("COLOUR FAILED: per-channel PSF samples have " + channels + " channels");
print("COLOUR OK (colour SR E_v W2^2 " + srW2 + ")");
