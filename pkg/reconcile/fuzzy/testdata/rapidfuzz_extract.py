# Oracle and peer: RapidFuzz's best token_set_ratio score per query over
# every choice, one line per query, then timings.
#   mode "extract": process.extractOne per query (the oracle of the CI
#     sample), timed as extract_seconds;
#   mode "cdist": the brute-force process.cdist on all cores (workers=-1),
#     in row chunks so that a 20k x 20k float32 matrix need not fit in
#     memory; each row's maximum is extractOne's best score. Timed as
#     cdist_seconds (the chunks' row maxima included).
import json, sys, time
from rapidfuzz import fuzz, process

spec = json.load(open(sys.argv[1]))
queries, choices, mode = spec["queries"], spec["choices"], spec.get("mode", "extract")
best = []
if mode == "extract":
    t0 = time.perf_counter()
    for q in queries:
        r = process.extractOne(q, choices, scorer=fuzz.token_set_ratio)
        best.append(r[1] if r is not None else -1.0)
    elapsed = time.perf_counter() - t0
    label = "extract_seconds"
else:
    import numpy as np
    t0 = time.perf_counter()
    chunk = 1000
    for i in range(0, len(queries), chunk):
        m = process.cdist(queries[i:i + chunk], choices, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=-1)
        best.extend(m.max(axis=1).tolist())
    elapsed = time.perf_counter() - t0
    label = "cdist_seconds"
for b in best:
    print(repr(float(b)))
print(label, elapsed)
