// Plain ImageJ 1.x batch test: every command through its plugins.config entry, outputs selected by title.
// Argument: "<sample-images dir>|<output dir>"
args = split(getArgument(), "|");
images = args[0]; out = args[1];
setBatchMode(true);
open(images + "/gravel.png");
rename("gravel.png");
makeRectangle(64, 64, 128, 128);
run("Build Gaussian Prior", "image=gravel.png estimator=adsn target_width=0 target_height=0");
if (getTitle() != "gravel_prior") exit("main output is not current: " + getTitle());
run("Simulate Degradation", "image=gravel.png operator=gaussian blur_sigma=2 motion_length=9 motion_angle=0 noise_sigma=5 seed=7");
run("Posterior Sampling", "prior=gravel_prior measurement=gravel_degraded method=[exact posterior] samples=4 seed=1 ground_truth=gravel.png");
if (getTitle() != "gravel_degraded_exact_samples") exit("main output is not current: " + getTitle());
run("Posterior Sampling", "prior=gravel_prior measurement=gravel_degraded method=pigdm mode=[step by step] steps=20 samples=2 seed=1");
titles = newArray("gravel_prior", "gravel_degraded", "gravel_psf", "gravel_degraded_exact_samples", "gravel_degraded_exact_mean", "gravel_degraded_exact_std",
  "gravel_degraded_exact_w2map", "gravel_degraded_exact_w2spectrum", "gravel_degraded_pigdm_samples", "gravel_degraded_pigdm_mean");
for (i = 0; i < titles.length; i++) {
  selectImage(titles[i]);
  saveAs("Tiff", out + "/" + titles[i] + ".tif");
}
print("nImages=" + nImages);
print("BATCH OK");
