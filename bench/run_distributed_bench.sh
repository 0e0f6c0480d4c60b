#!/usr/bin/env bash
# Data-parallel scaling on this machine: the demo fine-tune (resources/presets/demo-attack2.json:
# 5,513 pairs, batch 64, 5 epochs, the demo CLIP) in one process and in N Gloo processes
# (`poisonlab-cli run --nproc N`, one intra-op thread each), same global batch and seed. Prints
# each run's training samples/s (pairs x epochs / the epochs' summed seconds, so the model load,
# data preparation and evaluation are left out), the speed-up, the scaling efficiency
# (speed-up / N), the largest relative step-loss difference between the two runs, and the load
# average before and after (other work on the cores makes the figures meaningless: run it quiet).
#
#   bench/run_distributed_bench.sh [BUILD_DIR] [--nproc N] [--epochs E] [--threads-one T] [--keep DIR]
# --threads-one: intra-op threads of the one-process run (default 1, the fastest here).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
build="${1:-$root/build}"
[[ $# -gt 0 ]] && shift
nproc=2 epochs=5 threads_one=1 keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --nproc) nproc="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --threads-one) threads_one="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cli="$build/bin/poisonlab-cli"
[[ -x "$cli" ]] || { echo "no $cli; build first" >&2; exit 2; }
data="${POISONLAB_DEMO_DATA:-$root/demo-data}"
model="$(ls "${XDG_DATA_HOME:-$HOME/.local/share}"/poisonlab/models/*/clip.safetensors 2>/dev/null | head -1)"
[[ -d "$data/pascal" && -f "$model" ]] || { echo "no demo data/model: run ./scripts/run.sh --headless once" >&2; exit 2; }
if [[ -n "$keep" ]]; then work="$keep"; mkdir -p "$work"; else work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi
python=/usr/bin/python3

"$python" - "$root/resources/presets/demo-attack2.json" "$work/config.json" "$epochs" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["training"]["epochs"] = int(sys.argv[3])
c["evaluation"]["every_epoch"] = False
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
vars=(--var "data=$data" --var "model=$model")
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# What the cores can give at all: N busy-looping processes against one (a VM's vCPUs may share
# physical cores, or a quota may cap them); the scaling below cannot beat this.
spin='import time,sys
t=time.time(); n=0
while time.time()-t<2: n+=1
print(n)'
solo=$("$python" -c "$spin")
together=0
for i in $(seq "$nproc"); do "$python" -c "$spin" >"$work/spin.$i" & done; wait
for i in $(seq "$nproc"); do together=$((together + $(cat "$work/spin.$i"))); done
"$python" -c "import sys; print('parallel capacity: %d busy processes do %.2fx the work of one' % (int(sys.argv[1]), int(sys.argv[3]) / int(sys.argv[2])))" "$nproc" "$solo" "$together"
OMP_NUM_THREADS="$threads_one" "$cli" run "$work/config.json" --out "$work/one" --force "${vars[@]}" >/dev/null 2>"$work/one.log"
"$cli" run "$work/config.json" --out "$work/many" --force --nproc "$nproc" "${vars[@]}" >/dev/null 2>"$work/many.log"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" - "$work/one" "$work/many" "$nproc" "$threads_one" <<'PY'
import json, sys
def read(run):
    steps, seconds, pairs = {}, 0.0, None
    for line in open(run + "/metrics.jsonl"):
        r = json.loads(line)
        if r.get("type") == "step":
            steps[r["step"]] = r["loss"]
        elif r.get("type") == "epoch":
            seconds += r["seconds"]
    cfg = json.load(open(run + "/config.json"))
    fin = json.load(open(run + "/results/final.json"))
    return steps, seconds, fin
one, many, n, t1 = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
s1, t_one, f1 = read(one)
sn, t_many, fn = read(many)
epochs = f1["training"]["epochs_done"]
pairs = f1["poison"]["training_pairs"] if f1.get("poison") and "training_pairs" in f1["poison"] else None
steps = len(s1)
rate_one, rate_many = steps / t_one, steps / t_many
worst = max(abs(s1[k] - sn[k]) / abs(s1[k]) for k in s1)
print("demo fine-tune: %d steps of 64 (%d epochs)%s" % (steps, epochs, "" if pairs is None else ", %d pairs" % pairs))
print("1 process, %s thread(s):   %.1f s training, %.2f steps/s = %.0f samples/s" % (t1, t_one, rate_one, rate_one * 64))
print("%d processes (Gloo), 1 thread each: %.1f s training, %.2f steps/s = %.0f samples/s" % (n, t_many, rate_many, rate_many * 64))
print("speed-up %.2fx, scaling efficiency %.0f%%" % (rate_many / rate_one, 100 * rate_many / rate_one / n))
print("largest relative step-loss difference: %.2e" % worst)
h1 = f1["evaluation"]["attacks"][0]["attack"]["hit@10"]; hn = fn["evaluation"]["attacks"][0]["attack"]["hit@10"]
print("final Hit@10: %.3f (1 process) vs %.3f (%d processes)" % (h1, hn, n))
PY
