"""Test oracle (not product code): statsforecast's AutoETS and SeasonalNaive
on the rolling-origin windows the Go test sends.

stdin:  {"season_length": m, "h": h, "series": [{"id", "y", "origins"}]}
stdout: {"seconds": fit+forecast wall time of AutoETS, excluding a warm-up call,
         "cpu_seconds": the same in process CPU time,
         "seconds_naive": the same for SeasonalNaive, "version": ...,
         "series": [{"id", "ets": [[h values] per origin],
                     "snaive": [[...] per origin]}]}
"""
import json
import sys
import time

import numpy as np
import statsforecast
from statsforecast.models import AutoETS, SeasonalNaive


def main():
    req = json.load(sys.stdin)
    m, h = req["season_length"], req["h"]
    series = req["series"]
    # Warm-up: the first call loads and initialises the compiled code.
    first = series[0]
    AutoETS(season_length=m).forecast(y=np.asarray(first["y"][: first["origins"][0]], dtype=float), h=h)
    out = [{"id": s["id"], "ets": [], "snaive": []} for s in series]
    t0, c0 = time.perf_counter(), time.process_time()
    for s, o in zip(series, out):
        y = np.asarray(s["y"], dtype=float)
        for org in s["origins"]:
            model = AutoETS(season_length=m)
            r = model.forecast(y=y[:org], h=h, fitted=False)
            o["ets"].append([float(v) for v in r["mean"]])
    seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    t1 = time.perf_counter()
    for s, o in zip(series, out):
        y = np.asarray(s["y"], dtype=float)
        for org in s["origins"]:
            r = SeasonalNaive(season_length=m).forecast(y=y[:org], h=h)
            o["snaive"].append([float(v) for v in r["mean"]])
    seconds_naive = time.perf_counter() - t1
    json.dump({"seconds": seconds, "cpu_seconds": cpu_seconds, "seconds_naive": seconds_naive,
               "version": statsforecast.__version__, "series": out}, sys.stdout)


if __name__ == "__main__":
    main()
