#!/usr/bin/env bash
# CLIP tokenizer: bench_tokenizer (C++) beside bench/tokenizer_peer.py (OpenAI's simple_tokenizer,
# Python + regex) on the fixture captions. Prints both figures, the ratio, and whether ids agree.
#
#   bench/run_tokenizer_bench.sh [BUILD_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
fixtures="$here/../../shared/fixtures"
bin="$build/bin/bench_tokenizer"
[[ -x "$bin" ]] || { echo "no $bin; build the bench_tokenizer target first" >&2; exit 2; }
[[ -d "$fixtures" ]] || { echo "no $fixtures (reference fixtures)" >&2; exit 2; }
vocab="$fixtures/bpe_simple_vocab_16e6.txt.gz" cases="$fixtures/clip_tokenizer_cases.jsonl"
ours=$("$bin" "$vocab" "$cases" --repeat 200)
peer=$(python3 "$here/tokenizer_peer.py" "$vocab" "$cases" --repeat 20) # pyenv python3 has `regex`
python3 - "$ours" "$peer" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("%d captions, %d ids" % (a["captions"], a["ids"]))
print("%-34s %10s %16s %16s" % ("implementation", "load s", "cold capt/s", "warm capt/s"))
for name, r in (("poisonlab ClipBpeTokenizer", a), ("simple_tokenizer.py (regex)", b)):
    print("%-34s %10.3f %16.0f %16.0f" % (name, r["load_s"], r["cold_captions_per_s"], r["warm_captions_per_s"]))
print("ratio (poisonlab / python): load %.1fx, cold %.1fx, warm %.1fx" % (
    b["load_s"] / a["load_s"], a["cold_captions_per_s"] / b["cold_captions_per_s"],
    a["warm_captions_per_s"] / b["warm_captions_per_s"]))
same = a["ids"] == b["ids"] and a["first_pass_id_sum"] == b["first_pass_id_sum"]
print("ids agree: %s" % ("yes" if same else "NO"))
sys.exit(0 if same else 1)
PY
