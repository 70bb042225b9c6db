// For every image of a folder: a prior from the whole image, a Gaussian blur + noise, 8 exact
// posterior samples; everything is saved into <output>/<image name>/.
//   ImageJ -batch macros/batch-folder.ijm "<input folder>|<output folder>"
args = split(getArgument(), "|");
if (args.length < 2) {
  input = getDirectory("Input folder");
  output = getDirectory("Output folder");
} else {
  input = args[0] + "/";
  output = args[1] + "/";
}
setBatchMode(true);
files = getFileList(input);
done = 0;
for (i = 0; i < files.length; i++) {
  if (!endsWith(toLowerCase(files[i]), ".png") && !endsWith(toLowerCase(files[i]), ".tif")) continue;
  open(input + files[i]);
  if (bitDepth() == 24) run("8-bit");
  name = getTitle();
  base = File.nameWithoutExtension;
  dir = output + base + "/";
  File.makeDirectory(dir);
  run("Build Gaussian Prior", "image=[" + name + "] estimator=adsn target_width=0 target_height=0 output_folder=[" + dir + "]");
  prior = getTitle();
  run("Simulate Degradation", "image=[" + name + "] operator=gaussian blur_sigma=2 noise_sigma=5 seed=1 output_folder=[" + dir + "]");
  degraded = getTitle();
  run("Posterior Sampling", "prior=[" + prior + "] measurement=[" + degraded + "] method=[exact posterior] samples=8 seed=1 ground_truth=[" + name + "] output_folder=[" + dir + "]");
  close("*");
  done++;
}
print("batch: " + done + " images processed");
print("BATCH FOLDER OK");
