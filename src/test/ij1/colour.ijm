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
print("COLOUR OK");
