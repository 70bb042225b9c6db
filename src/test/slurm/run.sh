#!/bin/bash
# Batch job-array recipe on a real one-node Slurm cluster (loopback only, daemons started and stopped here).
# Usage: bash src/test/slurm/run.sh   (from the repository root or anywhere; builds the CLI jar if missing)
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
JAR=$ROOT/target/Spectral_Posterior-0.1.0-SNAPSHOT-cli.jar
N=3
fail() { echo "slurm: FAILED $*"; exit 1; }
[ -f "$JAR" ] || mvn -B -o -q package -DskipTests || fail "cannot build $JAR"

need=()
for b in slurmctld slurmd sbatch munged; do command -v "$b" >/dev/null || PATH=$PATH:/usr/sbin command -v "$b" >/dev/null || need=(slurm-wlm munge); done
export PATH=$PATH:/usr/sbin
if [ ${#need[@]} -gt 0 ]; then
  echo "installing slurm-wlm munge"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge) \
    >/tmp/slurm-apt.$$.log 2>&1 || { tail -20 /tmp/slurm-apt.$$.log; fail "apt-get install slurm-wlm munge"; }
  rm -f /tmp/slurm-apt.$$.log
fi

T=$(mktemp -d /tmp/slurm-test.XXXXXX)
chmod 755 "$T"
PIDS=()
cleanup() {
  local rc=$?
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  rm -rf "$T"
  exit $rc
}
trap cleanup EXIT
logs() { for f in "$T"/log/*.log; do echo "--- $f (last lines)"; tail -n 15 "$f"; done; }

# munge: own key, socket and pid file in $T
mkdir -p "$T/munge" "$T/log" "$T/state" "$T/spool"
chmod 711 "$T/munge"
dd if=/dev/urandom of="$T/munge/munge.key" bs=1 count=1024 status=none
chmod 400 "$T/munge/munge.key"
SOCK=$T/munge/munge.socket
munged --force --key-file="$T/munge/munge.key" --socket="$SOCK" --pid-file="$T/munge/munged.pid" \
  --log-file="$T/log/munged.log" --seed-file="$T/munge/munged.seed" --foreground > "$T/log/munged.out.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
[ -S "$SOCK" ] || { logs; fail "munged did not start"; }
munge -S "$SOCK" -n | unmunge -S "$SOCK" >/dev/null || { logs; fail "munge/unmunge round trip"; }

HOST=$(hostname -s)
CPUS=$(nproc)
MEM=$(awk '/MemAvailable/ {m=int($2/1024/2); if (m>8192) m=8192; print m}' /proc/meminfo)
PORT=$((20000 + $$ % 20000))   # ctld port, slurmd port+1: avoid clashing with other runs
cat > "$T/slurm.conf" <<CONF
ClusterName=sptest
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCK
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
MailProg=/bin/true
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$T/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" > "$T/log/slurmctld.out.log" 2>&1 &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" -N "$HOST" > "$T/log/slurmd.out.log" 2>&1 &
PIDS+=($!)
ok=
for _ in $(seq 60); do
  if sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle; then ok=1; break; fi
  for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null || { logs; fail "a daemon (pid $p) exited during start-up"; }; done
  sleep 0.5
done
[ -n "$ok" ] || { sinfo -N 2>&1 || true; logs; fail "slurm node not idle within 30 s"; }
echo "slurm: cluster up ($(sinfo -h -N -o '%N %c CPUs %m MB %T'))"

# input: the shipped samples + 3 synthesized textures
IN=$T/in; mkdir -p "$IN"
cp sample-images/*.png "$IN/"
java -jar "$JAR" "Build Gaussian Prior" image=sample-images/gravel.png roi=0,0,128,128 \
  target_width=128 target_height=128 output_folder="$T/gen" >/dev/null || fail "Build Gaussian Prior"
for s in 1 2 3; do
  java -jar "$JAR" "Synthesize Texture" prior="$T/gen/gravel_prior.tif" samples=1 seed=$s \
    output_folder="$T/gen/s$s" >/dev/null || fail "Synthesize Texture seed=$s"
  mv "$T/gen/s$s/gravel_prior_samples.tif" "$IN/synth$s.tif"
done
IMAGES=$(ls "$IN" | wc -l)

# single-machine reference
REF=$T/ref; ARR=$T/arr
t0=$(date +%s.%N)
java -Xmx1g -jar "$JAR" Batch input="$IN" output_folder="$REF" samples=2 > "$T/log/ref.log" 2>&1 \
  || { tail -20 "$T/log/ref.log"; fail "reference Batch run"; }
t1=$(date +%s.%N)

# job array
cat > "$T/task.sh" <<TASK
#!/bin/bash
set -euo pipefail
echo "start \$(date +%s.%N)" > "$T/times_\${SLURM_ARRAY_TASK_ID}"
java -Xmx1g -jar "$JAR" Batch input="$IN" output_folder="$ARR" part=\${SLURM_ARRAY_TASK_ID}/$N samples=2
echo "end \$(date +%s.%N)" >> "$T/times_\${SLURM_ARRAY_TASK_ID}"
TASK
t2=$(date +%s.%N)
# submit, then poll squeue every 0.2 s (sbatch --wait polls too coarsely to time short tasks)
JOB=$(sbatch --parsable --array=1-$N --cpus-per-task=1 --mem=1500M --chdir="$T" \
  --output="$T/log/task_%a.log" --job-name=sp-batch "$T/task.sh" 2> "$T/log/sbatch.log") \
  || { cat "$T/log/sbatch.log"; logs; fail "sbatch"; }
JOB=${JOB%%;*}
deadline=$(( $(date +%s) + 150 ))
while [ -n "$(squeue -h -j "$JOB" -o %i 2>/dev/null)" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { squeue 2>&1 || true; logs; fail "array job $JOB not done within 150 s"; }
  sleep 0.2
done
for i in $(seq $N); do
  grep -q '^end ' "$T/times_$i" 2>/dev/null || { tail -20 "$T/log/task_$i.log" 2>/dev/null || true; logs; fail "array task $i did not finish"; }
done
t3=$(date +%s.%N)

# merge as README says, then compare
(head -n 1 "$ARR/manifest_part1_of_$N.csv"; tail -q -n +2 "$ARR"/manifest_part*_of_$N.csv) > "$ARR/manifest.csv"
[ "$(wc -l < "$ARR/manifest.csv")" -eq "$(wc -l < "$REF/manifest.csv")" ] \
  || fail "merged manifest has $(wc -l < "$ARR/manifest.csv") lines, reference $(wc -l < "$REF/manifest.csv")"
[ "$(wc -l < "$REF/manifest.csv")" -eq $((IMAGES + 1)) ] || fail "reference manifest: expected $IMAGES images"
files=0
for f in "$IN"/*; do
  name=$(basename "$f")
  grep -F "$name" "$ARR/manifest.csv" | grep -q ',ok,' || fail "merged manifest: $name not listed ok"
  d=${name%.*}
  [ -d "$REF/$d" ] || d=$name
  [ -d "$REF/$d" ] || fail "no reference folder for $name"
  [ -d "$ARR/$d" ] || fail "no array folder for $name"
  [ "$(ls "$REF/$d" | wc -l)" -eq "$(ls "$ARR/$d" | wc -l)" ] || fail "$d: different file counts"
  for o in "$REF/$d"/*; do
    cmp -s "$o" "$ARR/$d/$(basename "$o")" || fail "$d/$(basename "$o") differs between reference and array"
    files=$((files + 1))
  done
done

# figures
first=$(cat "$T"/times_* | awk '$1=="start"{print $2}' | sort -n | head -1)
last=$(cat "$T"/times_* | awk '$1=="end"{print $2}' | sort -n | tail -1)
sumtask=$(cat "$T"/times_* | awk '$1=="start"{s-=$2} $1=="end"{s+=$2} END{print s}')
read -r ipm_ref ipm_arr ovh lat ref_s arr_s <<<"$(awk -v n=$IMAGES -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" \
  -v f="$first" -v l="$last" -v s="$sumtask" -v k=$N -v p=$CPUS 'BEGIN{
    waves=int((k+p-1)/p); conc=(k<p?k:p);
    printf "%.1f %.1f %.2f %.2f %.1f %.1f", n*60/(b-a), n*60/(d-c), ((d-c)-s/conc)/waves, (f-c)+(d-l), b-a, d-c }')"
echo "slurm: single machine $IMAGES images in ${ref_s} s = $ipm_ref images/min; array of $N tasks (${CPUS} CPUs) ${arr_s} s submit->done = $ipm_arr images/min; task runs sum $(printf %.1f "$sumtask") s; submit->first start + last end->return = $lat s"
echo "slurm: ok ($IMAGES images, $files files identical; per-task overhead $ovh s)"
