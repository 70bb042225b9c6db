// Compare zero-shot diffusion samplers (heuristic weights) by their exact expected W2 to the true
// posterior, against the number of steps, and sample two of them.
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
print("COMPARE OK");
