// Spectral Posterior demo: a prior from a ROI of gravel, a Gaussian blur with noise, 16 exact
// posterior samples with their mean, std and W2 maps; then a hole inpainted by exact posterior
// sampling (kriging + innovation). Runs interactively, in batch mode and headless:
//   ImageJ -batch macros/demo.ijm "<folder with gravel.png>|<output folder>"
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
makeRectangle(128, 128, 256, 256);
run("Build Gaussian Prior", "image=gravel.png estimator=adsn target_width=0 target_height=0");
run("Simulate Degradation", "image=gravel.png operator=gaussian blur_sigma=2 noise_sigma=5 seed=7");
run("Posterior Sampling", "prior=gravel_prior measurement=gravel_degraded method=[exact posterior] samples=16 seed=1 ground_truth=gravel.png output_folder=[" + out + "]");
// Inpainting: a smoothed prior learnt on the lower half (it never sees the hole), the oval selection
// in the upper half as the hole, 4 exact posterior samples (kriging + innovation).
selectImage("gravel.png");
makeRectangle(0, 256, 512, 256);
run("Build Gaussian Prior", "image=gravel.png estimator=smoothed target_width=512 target_height=512");
rename("gravel_smoothed_prior");
selectImage("gravel.png");
makeOval(200, 100, 80, 60);
run("Simulate Degradation", "image=gravel.png operator=inpaint noise_sigma=1 seed=3");
rename("gravel_hole");
run("Posterior Sampling", "prior=gravel_smoothed_prior measurement=gravel_hole method=[exact posterior] samples=4 seed=1 ground_truth=gravel.png output_folder=[" + out + "]");
print("demo: outputs in " + out);
print("DEMO OK");
