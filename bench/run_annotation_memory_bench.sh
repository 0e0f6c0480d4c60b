#!/usr/bin/env bash
# Memory on a huge annotation file (#18): generates a COCO captions file (or, with --format csv,
# the same captions as a users' CSV) of about SIZE (default 2G; as large as the disk allows: it
# checks the free space first) and reports the peak RSS of `poisonlab-cli dataset info` on it
# (/usr/bin/time -v), beside the file's size and what the dataset keeps (its captions' text).
# The importers stream the file (JSON through a 1 MiB buffer, CSV through filebuf's), so the
# peak is the dataset itself plus a constant, never the file on top of it.
#
#   bench/run_annotation_memory_bench.sh [BUILD_DIR] [--size 2G] [--data DIR] [--format coco|csv]
# The file goes to DIR (default: a temp dir, removed afterwards; a DIR given is kept).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
[[ $# -gt 0 ]] && shift
size=2G data="" keep="" format=coco
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --data) data="$2"; keep=1; shift 2 ;;
    --format) format="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cli="$build/bin/poisonlab-cli"
[[ -x "$cli" ]] || { echo "no $cli; build poisonlab-cli and the $format plugin first" >&2; exit 2; }
[[ "$format" == coco || "$format" == csv ]] || { echo "--format is coco or csv" >&2; exit 2; }
if [[ -z "$data" ]]; then
  data="$(mktemp -d "${TMPDIR:-/tmp}/poisonlab-membench.XXXXXX")"
fi
tiny="$data.tiny"
trap 'rm -rf "$tiny"; [[ -n "$keep" ]] || rm -rf "$data"' EXIT
mkdir -p "$data/annotations"
want=$(python3 -c "import sys; t=sys.argv[1]; u={'K':1<<10,'M':1<<20,'G':1<<30}; print(int(float(t[:-1])*u[t[-1]]) if t[-1] in u else int(t))" "$size")
free=$(df --output=avail -B1 "$data" | tail -1)
if (( want * 2 > free )); then # the file, and room to spare for everyone else
  size=$(( free / 2 ))
  echo "only $(( free >> 20 )) MiB free under $data: writing $(( size >> 20 )) MiB instead" >&2
fi
gen=$(python3 "$here/make_coco_captions_large.py" "$data/annotations" --size "$size" --layout "$format")
echo "generated: $gen" >&2
# The same command on a one-image file: the libraries' share of the peak (LibTorch, OpenCV...).
mkdir -p "$tiny/annotations"
python3 "$here/make_coco_captions_large.py" "$tiny/annotations" --size 1 --layout "$format" > /dev/null
annotations() { [[ "$format" == csv ]] && echo --annotations "$1/annotations/pairs.csv"; true; }
/usr/bin/time -v "$cli" dataset info --format "$format" --root "$tiny" $(annotations "$tiny") --no-check-files --json \
  > /dev/null 2> "$tiny/time.log"
log="$data/time.log"
/usr/bin/time -v "$cli" dataset info --format "$format" --root "$data" $(annotations "$data") --no-check-files --json \
  > "$data/info.json" 2> "$log"
python3 - "$gen" "$data/info.json" "$log" "$tiny/time.log" <<'PY'
import json, re, sys
gen = json.loads(sys.argv[1])
info = json.load(open(sys.argv[2]))
log = open(sys.argv[3]).read()
peak = lambda text: int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
rss_kb, base_kb = peak(log), peak(open(sys.argv[4]).read())
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", log).group(1)
mib = lambda b: b / (1 << 20)
print("%s file: %.0f MiB, %d images, %d captions (%.0f MiB of caption text)" % (
    "CSV" if gen["file"].endswith(".csv") else "COCO captions", mib(gen["bytes"]), gen["images"], gen["captions"], mib(gen["caption_text_bytes"])))
print("poisonlab-cli dataset info: %s wall, peak RSS %.0f MiB (%.2f of the file's size), read %d images, %d captions" % (
    wall, rss_kb / 1024, rss_kb * 1024 / gen["bytes"], info.get("images", -1), info.get("captions", -1)))
print("the same command on a one-image file: peak RSS %.0f MiB (the libraries); the dataset's share: %.0f MiB, "
      "%.0f bytes per caption" % (base_kb / 1024, (rss_kb - base_kb) / 1024, (rss_kb - base_kb) * 1024 / gen["captions"]))
sys.exit(0 if info.get("captions") == gen["captions"] else 1)
PY
