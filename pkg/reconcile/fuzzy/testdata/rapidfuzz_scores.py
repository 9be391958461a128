# Oracle: score pairs with RapidFuzz. stdin: JSON lines [a, b];
# stdout: JSON lines [ratio, partial, token_sort, token_set, wratio].
import json, sys
from rapidfuzz import fuzz

for line in sys.stdin:
    a, b = json.loads(line)
    print(json.dumps([fuzz.ratio(a, b), fuzz.partial_ratio(a, b), fuzz.token_sort_ratio(a, b),
                      fuzz.token_set_ratio(a, b), fuzz.WRatio(a, b)]))
