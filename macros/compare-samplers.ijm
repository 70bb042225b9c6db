// Compare zero-shot diffusion samplers (heuristic weights) by their exact expected W2 to the true
// posterior, against the number of steps, sample two of them, then tune PiGDM's per-step weights
// and sample with the tuned weights.
//   ImageJ -batch macros/compare-samplers.ijm "<folder with gravel.png>|<output folder>"
args = split(getArgument(), "|");
if (args.length < 2) {
  images = getDirectory("Folder containing gravel.png");
  out = getDirectory("Output folder");
} else {
  images = args[0] + "/";
  out = args[1] + "/";
}
setBatchMode(true);
open(images + "gravel.png");
rename("gravel.png");
makeRectangle(0, 0, 128, 128);
run("Duplicate...", "title=crop.png");
run("Build Gaussian Prior", "image=crop.png estimator=adsn target_width=0 target_height=0");
run("Simulate Degradation", "image=crop.png operator=motion motion_length=7 motion_angle=30 noise_sigma=5 seed=3");
run("Compare Samplers", "prior=crop_prior measurement=crop_degraded operator=[from measurement] methods=dps,dps-normalized,pigdm,cgdm,ddnm steps_list=10,20,50,100,250 output_folder=[" + out + "]");
for (m = 0; m < 2; m++) {
  method = newArray("pigdm", "cgdm");
  run("Posterior Sampling", "prior=crop_prior measurement=crop_degraded method=" + method[m] + " steps=50 samples=4 seed=1 output_folder=[" + out + "]");
}
run("Tune Sampler Weights", "prior=crop_prior measurement=crop_degraded operator=[from measurement] method=pigdm steps=50 output_folder=[" + out + "]");
// The tuning table (crop_pigdm_tuning, also the "Results" table in batch mode: readable headless)
// holds the tuned weights in its third row, noisiest step first.
list = getResultString("weight_list", 2);
print("PiGDM expected W2^2: heuristic " + getResult("E_v W2^2", 0) + ", tuned " + getResult("E_v W2^2", 2));
run("Posterior Sampling", "prior=crop_prior measurement=crop_degraded method=pigdm steps=50 weights=custom weight_list=[" + list + "] samples=4 seed=1");
saveAs("Tiff", out + "crop_degraded_pigdm_tuned_samples.tif");
print("COMPARE OK");
