#!/usr/bin/env python3
"""Peer of bench_tokenizer: OpenAI's simple_tokenizer (tests/data/tokenizer/
simple_tokenizer_reference.py, i.e. the original minus ftfy) on the same captions. Needs the
`regex` module (the pyenv python3 has it). Prints one JSON line like bench_tokenizer."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "tokenizer"))
from simple_tokenizer_reference import SimpleTokenizer, with_special_tokens  # noqa: E402

vocab, cases = sys.argv[1], sys.argv[2]
repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 20
texts = [json.loads(l)["text"] for l in open(cases, encoding="utf-8") if l.strip()]
t0 = time.perf_counter()
tok = SimpleTokenizer(vocab)
load_s = time.perf_counter() - t0
t1 = time.perf_counter()
id_sum = ids = 0
for t in texts:
    row = with_special_tokens(tok, t, 77)
    id_sum += sum(row)
    ids += len(row)
cold_s = time.perf_counter() - t1
t2 = time.perf_counter()
for _ in range(repeat):
    for t in texts:
        with_special_tokens(tok, t, 77)
warm_s = time.perf_counter() - t2
print(json.dumps({"captions": len(texts), "ids": ids, "load_s": load_s,
                  "cold_captions_per_s": len(texts) / cold_s,
                  "warm_captions_per_s": repeat * len(texts) / warm_s, "first_pass_id_sum": id_sum}))
