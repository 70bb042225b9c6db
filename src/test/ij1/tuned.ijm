// Tuned weights handed over as a table in plain ImageJ: Tune Sampler Weights (per step and band), then
// Posterior Sampling with weights=tuned naming the table by title, and with no title (the latest open
// one); both must reproduce the tuning's exact E_v W2². Then a designed schedule and a weights-and-η table.
setBatchMode(true);
newImage("g", "32-bit noise", 48, 40, 1);
run("Gaussian Blur...", "sigma=1.2");
run("Build Gaussian Prior", "image=g");
run("Simulate Degradation", "image=g operator=gaussian blur_sigma=1.5 noise_sigma=0.3 seed=3");
run("Tune Sampler Weights", "prior=g_prior measurement=g_degraded method=pigdm steps=10 iterations=40 parametrisation=[per step and band] bands=4 band_by=frequency");
tuned = Table.get("E_v W2^2", 2, "g_pigdm_tuning");
run("Posterior Sampling", "prior=g_prior measurement=g_degraded method=pigdm steps=10 samples=1 seed=1 weights=tuned tuned_table=g_pigdm_tuned_weights");
byTitle = Table.get("E_v W2^2", 0, "g_degraded_pigdm_results");
run("Posterior Sampling", "prior=g_prior measurement=g_degraded method=pigdm steps=10 samples=1 seed=1 weights=tuned");
latest = Table.get("E_v W2^2", 0, "g_degraded_pigdm_results-1");
heuristic = Table.get("E_v W2^2", 0, "g_pigdm_tuning");
if (!(tuned < heuristic) || abs(byTitle - tuned) > 1e-6 * tuned || abs(latest - tuned) > 1e-6 * tuned) exit("TUNED FAILED: tuned " + tuned + ", by title " + byTitle + ", latest " + latest + ", heuristic " + heuristic);
print("weights ok " + heuristic + " -> " + tuned);
// A designed noise schedule handed over the same way: its ᾱ table by title as schedule_table (designed for
// Design Noise Schedule's default base step, DDIM, so sampled with it).
run("Design Noise Schedule", "prior=g_prior steps=8 criterion=posterior method=pigdm measurement=g_degraded iterations=60");
designed = Table.get("E_v W2^2", 0, "g_schedule_summary");
run("Posterior Sampling", "prior=g_prior measurement=g_degraded method=pigdm base_step=ddim schedule=table timesteps=8 steps=8 schedule_table=g_schedule_table samples=1 seed=1");
sampled = Table.get("E_v W2^2", 0, "g_degraded_pigdm_results-2");
if (abs(sampled - designed) > 1e-6 * designed) exit("TUNED FAILED: designed schedule " + designed + " but sampled with it " + sampled);
// DDIM's η designed per step with the weights: the table's eta column goes back with weights=tuned.
run("Tune Sampler Weights", "prior=g_prior measurement=g_degraded method=pigdm steps=10 iterations=40 base_step=ddim eta=0.5 parametrisation=[weights and eta per step]");
withEta = Table.get("E_v W2^2", 3, "g_pigdm_tuning-1");
run("Posterior Sampling", "prior=g_prior measurement=g_degraded method=pigdm steps=10 samples=1 seed=1 base_step=ddim eta=0.5 weights=tuned tuned_table=g_pigdm_tuned_weights-1");
sampledEta = Table.get("E_v W2^2", 0, "g_degraded_pigdm_results-3");
if (abs(sampledEta - withEta) > 1e-6 * withEta) exit("TUNED FAILED: weights and eta " + withEta + " but sampled with them " + sampledEta);
print("TUNED OK weights " + heuristic + " -> " + tuned + ", designed schedule " + designed + ", weights and eta " + withEta);
