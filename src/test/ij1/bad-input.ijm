// A bad input through the macro path must end the macro with the message, not hang.
setBatchMode(true);
newImage("flat", "32-bit black", 64, 64, 1);
run("Build Gaussian Prior", "image=flat estimator=adsn target_width=0 target_height=0");
print("NOT REACHED");
