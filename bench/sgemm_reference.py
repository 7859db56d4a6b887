#!/usr/bin/env python3
"""Sustained FP32 GEMM (sgemm) of this machine, the reference the live benchmark's CPU kernels are compared with.

Run:  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 bench/sgemm_reference.py [--json]
Measures torch.mm (oneDNN/MKL/OpenBLAS, whatever PyTorch links) and numpy.dot (OpenBLAS) on float32 n x n
inputs in [-1, 1): median of repeated calls after a warm-up, GFLOP/s = 2 n^3 / seconds. Never run by a test.
"""
import json
import os
import sys
import time

SIZES = [128, 256, 512, 1024, 2048]


def measure(mm, a, b, n, budget=1.5, min_runs=3, max_runs=30):
    mm(a, b)  # warm-up (thread pool start, page faults)
    times = []
    start = time.perf_counter()
    while len(times) < max_runs and (len(times) < min_runs or time.perf_counter() - start < budget):
        t0 = time.perf_counter()
        mm(a, b)
        times.append(time.perf_counter() - t0)
    times.sort()
    median = times[len(times) // 2]
    return {"n": n, "runs": len(times), "median_s": median, "gflops": 2 * n ** 3 / median / 1e9}


def main():
    out = {"threads": os.cpu_count(), "libraries": {}}
    try:
        import numpy as np
        rng = np.random.default_rng(1)
        cfg = ""
        try:
            import numpy
            cfg = str(numpy.__version__)
        except Exception:
            pass
        rows = []
        for n in SIZES:
            a = (rng.random((n, n), dtype=np.float32) * 2 - 1)
            b = (rng.random((n, n), dtype=np.float32) * 2 - 1)
            rows.append(measure(np.dot, a, b, n))
        out["libraries"]["numpy"] = {"version": cfg, "results": rows}
    except Exception as e:  # numpy missing: say so
        out["libraries"]["numpy"] = {"error": str(e)}
    try:
        import torch
        torch.manual_seed(1)
        rows = []
        for n in SIZES:
            a = torch.rand(n, n, dtype=torch.float32) * 2 - 1
            b = torch.rand(n, n, dtype=torch.float32) * 2 - 1
            rows.append(measure(torch.mm, a, b, n))
        out["libraries"]["torch"] = {"version": torch.__version__, "threads": torch.get_num_threads(), "results": rows}
    except Exception as e:
        out["libraries"]["torch"] = {"error": str(e)}
    best = {}
    for lib in out["libraries"].values():
        for r in lib.get("results", []):
            best[r["n"]] = max(best.get(r["n"], 0), r["gflops"])
    out["best_gflops"] = {str(k): v for k, v in sorted(best.items())}
    if "--json" in sys.argv:
        print(json.dumps(out))
    else:
        for name, lib in out["libraries"].items():
            if "error" in lib:
                print(f"{name}: unavailable ({lib['error']})")
                continue
            for r in lib["results"]:
                print(f"{name:6s} n={r['n']:5d}  {r['gflops']:8.1f} GFLOP/s  ({r['runs']} runs, median {r['median_s'] * 1e3:.2f} ms)")


if __name__ == "__main__":
    main()
