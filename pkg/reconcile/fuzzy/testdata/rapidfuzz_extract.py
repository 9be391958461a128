# Oracle and peer: RapidFuzz's best token_set_ratio score per query
# (process.extractOne over every choice), one line per query, then the
# time of that loop and of the brute-force process.cdist (all cores,
# scores as uint8 in row chunks so the 20k x 20k matrix fits in memory).
import json, sys, time
from rapidfuzz import fuzz, process

spec = json.load(open(sys.argv[1]))
queries, choices = spec["queries"], spec["choices"]
t0 = time.perf_counter()
best = []
for q in queries:
    r = process.extractOne(q, choices, scorer=fuzz.token_set_ratio)
    best.append(r[1] if r is not None else -1.0)
t1 = time.perf_counter()
for b in best:
    print(repr(float(b)))
print("extract_seconds", t1 - t0)
if spec.get("cdist"):
    import numpy as np
    t0 = time.perf_counter()
    chunk = 2000
    for i in range(0, len(queries), chunk):
        m = process.cdist(queries[i:i + chunk], choices, scorer=fuzz.token_set_ratio, dtype=np.uint8, workers=-1)
        m.argmax(axis=1)
    print("cdist_seconds", time.perf_counter() - t0)
