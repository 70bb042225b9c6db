#!/usr/bin/env bash
# Whole-process timings of issue 11's 1024² targets with the command-line jar, one command after another on
# this machine (run after `mvn package`; ~3 min). The gravel prior is learnt at 1024² from the 512² sample,
# a measurement is a texture synthesised from it, blurred (Gaussian σ 2) with noise 5. Ratios, not absolute
# times, are the figures to quote: the tuning and design commands against a Posterior Sampling run of the same
# size and steps, measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/../../.."
J="java -Xmx12g -jar $(ls target/Spectral_Posterior-*-cli.jar | head -n 1)"
o=$(mktemp -d)
t() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N); printf '%7.1f s  %s\n' "$(echo "$e - $s" | bc)" "$2 ${*:3:3}"; }
$J "Build Gaussian Prior" image=sample-images/gravel.png estimator=adsn target_width=1024 target_height=1024 output_folder=$o > /dev/null
$J "Synthesize Texture" prior=$o/gravel_prior.tif samples=1 seed=3 output_folder=$o > /dev/null
$J "Simulate Degradation" image=$o/gravel_prior_samples.tif operator=gaussian blur_sigma=2 noise_sigma=5 seed=7 output_folder=$o > /dev/null
m=$o/gravel_prior_samples_degraded.tif
t $J "Posterior Sampling" prior=$o/gravel_prior.tif measurement=$m method=pigdm steps=1000 samples=1 seed=1 output_folder=$o/ps1000
t $J "Tune Sampler Weights" prior=$o/gravel_prior.tif operator=gaussian blur_sigma=2 noise_sigma=5 method=pigdm steps=1000 output_folder=$o/tune
t $J "Tune Sampler Weights" prior=$o/gravel_prior.tif operator=gaussian blur_sigma=2 noise_sigma=5 method=pigdm steps=1000 "parametrisation=per step and band" bands=8 output_folder=$o/tune8
t $J "Tune Sampler Weights" prior=$o/gravel_prior.tif operator=gaussian blur_sigma=2 noise_sigma=5 method=pigdm steps=1000 smooth_basis=8 output_folder=$o/tunes
t $J "Posterior Sampling" prior=$o/gravel_prior.tif measurement=$m method=pigdm steps=50 samples=1 seed=1 output_folder=$o/ps50
t $J "Design Noise Schedule" prior=$o/gravel_prior.tif steps=50 output_folder=$o/sched
t $J "Design Noise Schedule" prior=$o/gravel_prior.tif steps=50 criterion=posterior method=pigdm operator=gaussian blur_sigma=2 noise_sigma=5 output_folder=$o/csched
for f in tune/gravel_pigdm_tuning.csv tune8/gravel_pigdm_tuning.csv tunes/gravel_pigdm_tuning.csv csched/gravel_schedule_summary.csv; do echo "== $f"; cut -c1-160 "$o/$f"; done
rm -rf "$o"
