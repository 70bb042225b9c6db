#!/usr/bin/env bash
# Plain ImageJ 1.x for real: the release bundle in a fresh plugins/ folder, `ImageJ -batch` of a
# macro under xvfb-run, on ImageJ 1.53t (Debian bookworm's version) and 1.54p, and Debian's `imagej` package
# itself with the plugin in ~/.imagej/plugins. Run after `mvn package`.
set -euo pipefail
cd "$(dirname "$0")/../../.."
if ! command -v xvfb-run >/dev/null || ! command -v imagej >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends xvfb xauth imagej >/dev/null
fi
jar=$(ls target/Spectral_Posterior-*.jar | grep -v -e '-cli' -e '-sources' -e '-tests' | head -n 1)
# Parts and versions can be narrowed while working on one check (the default runs everything):
# IJ1_VERSIONS="1.54p" IJ1_PARTS="recorder remembered" bash src/test/ij1/run.sh
# Parts: batch bad recorder remembered colour tuned macros debian.
versions=${IJ1_VERSIONS:-1.53t 1.54p}
parts=${IJ1_PARTS:-batch bad recorder remembered colour tuned macros debian}
want() { case " $parts " in *" $1 "*) return 0;; *) return 1;; esac; }
pass=0; fail=0
for v in $versions; do
  home=$(mktemp -d); out=$(mktemp -d)
  mvn -B -q dependency:copy -Dartifact=net.imagej:ij:$v -DoutputDirectory="$home/ij" >/dev/null
  ij="$home/ij/ij-$v.jar"
  mkdir -p "$home/plugins/jars"
  cp "$jar" "$home/plugins/"
  cp target/bundle/jars/*.jar "$home/plugins/jars/"
  if want batch; then
  log=$(timeout 300 xvfb-run -a java -Xmx2g -Duser.home="$home" -Dplugins.dir="$home" -jar "$ij" -batch src/test/ij1/batch.ijm "$PWD/sample-images|$out" 2>&1 || true)
  n=$(find "$out" -name "*.tif" | wc -l)
  if echo "$log" | grep -q "BATCH OK" && [ "$n" -eq 10 ]; then echo "ImageJ $v batch: ok ($n outputs saved by title)"; pass=$((pass+1));
  else echo "ImageJ $v batch: FAILED ($n outputs)"; echo "$log" | tail -20; fail=$((fail+1)); fi
  fi
  # Every bad input of the skeleton through the macro path: the macro stops with the message, no hang.
  if want bad; then
  bad=0; badn=0
  while IFS='|' read -r name code expect; do
    [ -z "$name" ] && continue
    badn=$((badn+1))
    m=$(mktemp --suffix=.ijm); printf 'setBatchMode(true);\n%s\nprint("NOT REACHED");\n' "$code" > "$m"
    log=$(timeout 120 xvfb-run -a java -Duser.home="$home" -Dplugins.dir="$home" -jar "$ij" -batch "$m" 2>&1 || true)
    if echo "$log" | grep -qF "$expect" && ! echo "$log" | grep -q "NOT REACHED"; then bad=$((bad+1)); else echo "  bad input '$name': no '$expect' in: $(echo "$log" | grep -v '^\s*at ' | tail -3)"; fi
    rm -f "$m"
  done < src/test/ij1/bad-inputs.txt
  if [ "$bad" -eq "$badn" ]; then echo "ImageJ $v bad inputs: ok ($bad/$badn stopped the macro with their message)"; pass=$((pass+1));
  else echo "ImageJ $v bad inputs: FAILED ($bad/$badn)"; fail=$((fail+1)); fi
  fi

  # The recorder: each command run as from the menu through its generated dialog, the recorded lines
  # replayed twice in a batch macro must give identical outputs (same seed), and the replay's main output
  # of Posterior Sampling must have the interactive run's pixels (compared as ImageJ raw data: pixels only,
  # no title or metadata, which may legitimately differ).
  # (Two attempts: a GUI run under xvfb can lose a race with the display at start-up.)
  if want recorder; then
  rawdir=$(mktemp -d)
  for attempt in 1 2; do
    rm -f "$rawdir/interactive.raw"
    rec=$(timeout 180 xvfb-run -a java -Duser.home="$home" -Dplugins.dir="$home" -cp "$ij" src/test/ij1/RecorderCheck.java "$PWD/sample-images" "$rawdir" 2>&1 | grep '^RECORDED ' | sed 's/^RECORDED //' || true)
    [ "$(echo "$rec" | grep -c '^run(')" -eq 8 ] && break
  done
  interactive=$( [ -f "$rawdir/interactive.raw" ] && md5sum < "$rawdir/interactive.raw" | cut -c1-32 || echo missing)
  if [ "$(echo "$rec" | grep -c '^run(')" -eq 8 ]; then
    sums=""; raws=""
    for k in 1 2; do
      ro=$(mktemp -d)
      { echo 'setBatchMode(true);'; echo "open(\"$PWD/sample-images/gravel.png\"); rename(\"gravel.png\");"; echo "$rec";
        echo "selectImage(\"gravel_degraded_exact_samples\"); saveAs(\"Tiff\", \"$ro/replay.tif\"); saveAs(\"Raw Data\", \"$ro/replay.raw\");"; } > "$ro/replay.ijm"
      timeout 180 xvfb-run -a java -Duser.home="$home" -Dplugins.dir="$home" -jar "$ij" -batch "$ro/replay.ijm" >/dev/null 2>&1 || true
      sums="$sums $( [ -f "$ro/replay.tif" ] && md5sum < "$ro/replay.tif" | cut -c1-32 || echo missing)"
      raws="$raws $( [ -f "$ro/replay.raw" ] && md5sum < "$ro/replay.raw" | cut -c1-32 || echo missing)"
      rm -rf "$ro"
    done
    set -- $sums
    if [ "$1" != missing ] && [ "$1" = "$2" ]; then echo "ImageJ $v recorder: ok (8 recorded lines, one per command, replayed twice, identical outputs)"; pass=$((pass+1));
    else echo "ImageJ $v recorder: FAILED (replay checksums: $sums)"; echo "$rec"; fail=$((fail+1)); fi
    set -- $raws
    if [ "$interactive" = missing ]; then echo "ImageJ $v recorder replay = interactive: FAILED (the interactive run saved no gravel_degraded_exact_samples pixels)"; fail=$((fail+1));
    elif [ "$1" = "$interactive" ] && [ "$2" = "$interactive" ]; then echo "ImageJ $v recorder replay = interactive: ok (gravel_degraded_exact_samples: same pixels interactively and in both replays, raw md5 $interactive)"; pass=$((pass+1));
    else echo "ImageJ $v recorder replay = interactive: FAILED (raw pixel md5: interactive $interactive, replays$raws)"; echo "$rec" | grep 'Posterior Sampling'; fail=$((fail+1)); fi
  else echo "ImageJ $v recorder: FAILED (recorded: $rec)"; fail=$((fail+1));
    echo "ImageJ $v recorder replay = interactive: FAILED (nothing recorded to replay; interactive pixels: $interactive)"; fail=$((fail+1)); fi
  rm -rf "$rawdir"
  fi

  # Remembered values: a dialog reopens with what was typed (also after an error), a macro's omitted
  # keys take the documented defaults (RememberedCheck.java). Its own fresh home (IJ_Prefs.txt).
  # The second line, a dialog reopened after a value refused as the dialog is read (samples=0), failed
  # when the check was written: SciJavaBridge.dialog converts the fields before Remembered.save, so such a
  # value keeps nothing that was typed with it (the dialog shows the previous run's values).
  if want remembered; then
  for attempt in 1 2; do
    uh=$(mktemp -d)
    log=$(timeout 300 xvfb-run -a java -Xmx2g -Duser.home="$uh" -Dplugins.dir="$home" -cp "$ij" src/test/ij1/RememberedCheck.java "$PWD/sample-images" 2>&1 || true)
    rm -rf "$uh"
    echo "$log" | grep -q "^REMEMBERED" && break
  done
  if echo "$log" | grep -q "^REMEMBERED OK"; then echo "ImageJ $v remembered values: ok ($(echo "$log" | grep '^REMEMBERED OK' | sed 's/^REMEMBERED OK //'))"; pass=$((pass+1));
  else echo "ImageJ $v remembered values: FAILED"; echo "$log" | grep -v '^\s*at ' | grep -E 'FAILED|REMEMBERED|Exception|Error|dialog' | tail -20; fail=$((fail+1)); fi
  if echo "$log" | grep -q "^REFUSED OK"; then echo "ImageJ $v remembered after a refused value: ok ($(echo "$log" | grep '^REFUSED OK' | sed 's/^REFUSED OK //'))"; pass=$((pass+1));
  else echo "ImageJ $v remembered after a refused value: FAILED ($(echo "$log" | grep '^REFUSED FAILED' | sed 's/^REFUSED FAILED: //'))"; fail=$((fail+1)); fi
  fi

  # Colour: an RGB image through prior, degradation and sampling, composites out.
  if want colour; then
  log=$(timeout 300 xvfb-run -a java -Xmx2g -Duser.home="$home" -Dplugins.dir="$home" -jar "$ij" -batch src/test/ij1/colour.ijm 2>&1 || true)
  if echo "$log" | grep -q "COLOUR OK"; then echo "ImageJ $v colour: ok (RGB → cross-channel prior → composite samples; colour super-resolution; a PSF per channel)"; pass=$((pass+1));
  else echo "ImageJ $v colour: FAILED"; echo "$log" | grep -v '^\s*at ' | tail -10; fail=$((fail+1)); fi
  fi

  # Tuned weights handed over as a table (by title and as the latest open one), per step and band.
  if want tuned; then
  log=$(timeout 300 xvfb-run -a java -Xmx2g -Duser.home="$home" -Dplugins.dir="$home" -jar "$ij" -batch src/test/ij1/tuned.ijm 2>&1 || true)
  if echo "$log" | grep -q "TUNED OK"; then echo "ImageJ $v tuned weights: ok ($(echo "$log" | grep 'TUNED OK' | sed 's/TUNED OK //'))"; pass=$((pass+1));
  else echo "ImageJ $v tuned weights: FAILED"; echo "$log" | grep -v '^\s*at ' | tail -10; fail=$((fail+1)); fi
  fi

  # The shipped macros, headless.
  want macros && for m in demo batch-folder compare-samplers; do
    mo=$(mktemp -d)
    if [ $m = batch-folder ]; then in=$(mktemp -d); cp sample-images/gravel.png sample-images/brick.png "$in/"; else in="$PWD/sample-images"; fi
    log=$(timeout 300 xvfb-run -a java -Xmx2g -Duser.home="$home" -Dplugins.dir="$home" -jar "$ij" -batch macros/$m.ijm "$in|$mo" 2>&1 || true)
    if echo "$log" | grep -q "OK" && [ "$(find "$mo" -type f | wc -l)" -gt 0 ]; then echo "ImageJ $v macros/$m.ijm: ok ($(find "$mo" -type f | wc -l) files)"; pass=$((pass+1));
    else echo "ImageJ $v macros/$m.ijm: FAILED"; echo "$log" | grep -v '^\s*at ' | tail -20; fail=$((fail+1)); fi
    rm -rf "$mo"
  done
  rm -rf "$home" "$out"
done
# Debian's own `imagej` package (1.53t, /usr/bin/imagej, `-b` = -batch) with the install route of the README:
# plugin jar in ~/.imagej/plugins, the bundle in ~/.imagej/plugins/jars, in a fresh home.
if want debian; then
home=$(mktemp -d); out=$(mktemp -d)
mkdir -p "$home/.imagej/plugins/jars"
cp "$jar" "$home/.imagej/plugins/"
cp target/bundle/jars/*.jar "$home/.imagej/plugins/jars/"
log=$(HOME="$home" timeout 300 xvfb-run -a imagej -b "$PWD/src/test/ij1/batch.ijm" "$PWD/sample-images|$out" 2>&1 || true)
n=$(find "$out" -name "*.tif" | wc -l)
if echo "$log" | grep -q "BATCH OK" && [ "$n" -eq 10 ]; then echo "Debian imagej (~/.imagej/plugins) batch: ok ($n outputs saved by title)"; pass=$((pass+1));
else echo "Debian imagej batch: FAILED ($n outputs)"; echo "$log" | tail -20; fail=$((fail+1)); fi
rm -rf "$home" "$out"
fi
echo "ij1: $pass passed, $fail failed"
# A misspelt IJ1_PARTS or IJ1_VERSIONS runs nothing: that is a failure, not a pass.
[ "$pass" -gt 0 ] || { echo "ij1: no check ran (IJ1_PARTS='${IJ1_PARTS:-}' IJ1_VERSIONS='${IJ1_VERSIONS:-}')"; exit 1; }
[ "$fail" -eq 0 ]
