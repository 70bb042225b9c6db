#!/usr/bin/env bash
# Screenshots for the README: every dialog of plugins.config and the outputs of the demo workflow
# (images, results tables, plots), captured from a real ImageJ 1.54p under Xvfb with the plugin
# installed in a fresh plugins/ folder, as a user installs it. Fails when a dialog does not open or
# is cut off, a capture is blank, or a command reports an error. Run after `mvn package`.
#   src/test/screenshots/run.sh [outdir]     (default: docs/images)
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=$(realpath -m "${1:-docs/images}")
if ! command -v xvfb-run >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends xvfb xauth >/dev/null
fi
jar=$(ls target/Spectral_Posterior-*.jar | grep -v -e '-cli' -e '-sources' -e '-tests' | head -n 1)
home=$(mktemp -d); trap 'rm -rf "$home"' EXIT
ij=$HOME/.m2/repository/net/imagej/ij/1.54p/ij-1.54p.jar
if [ ! -f "$ij" ]; then
  mvn -B -q dependency:copy -Dartifact=net.imagej:ij:1.54p -DoutputDirectory="$home/ij" >/dev/null
  ij="$home/ij/ij-1.54p.jar"
fi
mkdir -p "$home/plugins/jars" "$out"
cp "$jar" "$home/plugins/"
cp target/bundle/jars/*.jar "$home/plugins/jars/"
start=$(date +%s)
set +e
timeout 300 xvfb-run -a -s "-screen 0 1600x1200x24" java -Xmx2g -Duser.home="$home" -Dplugins.dir="$home" \
  -cp "$ij" src/test/screenshots/Screenshots.java "$PWD/sample-images" "$PWD/plugins.config" "$out" > "$home/log" 2>&1
rc=$?
set -e
grep -v -e '^\s*at ' "$home/log" | grep -v 'WARNING' || true
if [ $rc -ne 0 ] || ! grep -q '^SCREENSHOTS OK' "$home/log"; then
  echo "screenshots: FAILED (exit $rc after $(( $(date +%s) - start )) s)"; exit 1
fi
echo "screenshots: ok, $(ls "$out"/*.png | wc -l) PNGs in $out ($(( $(date +%s) - start )) s)"
