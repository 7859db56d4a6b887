#!/usr/bin/env python3
"""Sustained FP32 GEMM (sgemm) of this machine, the reference the live benchmark's CPU kernels are compared with.

Run:  /usr/bin/python3 bench/sgemm_reference.py [--json] [--sizes 256,512,1024] [--ghz 3.0]
Measures torch.mm and numpy.dot on float32 n x n inputs in [-1, 1), with 1 thread and with every core: median of
repeated calls after a warm-up, GFLOP/s = 2 n^3 / seconds. Never run by a test.

An honest reference needs the BLAS PyTorch users get. Debian's torch links whatever libblas.so.3 resolves to, and
Debian's OpenBLAS 0.3.21 does not recognise recent Xeons under a hypervisor: it falls back to its SSE3 "Prescott"
kernels (~25 GFLOP/s per core where its AVX-512 kernels reach ~190). So, as test/fixtures/measure.py does, the script
re-executes itself with libopenblas0-pthread first on the library path and OPENBLAS_CORETYPE chosen from the CPU's
ISA flags (FLOPLENS_REFERENCE_BLAS=1 keeps the environment as it is). It then says which BLAS and which kernel set it
got (openblas_get_config / openblas_get_corename through ctypes), the CPU's ISA, and two theoretical peaks:
  - the BLAS's ISA peak: cores x 2 FMA ports x (vector bits / 32) lanes x 2 FLOP x GHz, for the widest vectors the
    BLAS kernel set uses (512-bit AVX-512, 256-bit AVX2, 128-bit SSE);
  - the 128-bit WebAssembly SIMD peak: cores x 2 FMA ports x 4 lanes x 2 FLOP x GHz, the ceiling of any browser kernel
    (WebAssembly has no wider vectors).
The clock is /proc/cpuinfo's "cpu MHz" (the nominal clock under a hypervisor), raised to the clock the 1-thread sgemm
proves when that is higher (a core cannot beat its peak: the rate / FLOP per cycle is a floor on the clock it ran at).
Two FMA ports per core is assumed (every AVX2/AVX-512 core since Haswell/Skylake-SP, except some Xeon Bronze/Silver
and client AVX-512 parts with one 512-bit port).
"""
import ctypes
import json
import os
import sys
import time
from pathlib import Path

OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-pthread"


def cpu_flags() -> set:
    try:
        return set(next(ln for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("flags")).split(":", 1)[1].split())
    except (OSError, StopIteration, IndexError):
        return set()


def openblas_coretype(flags: set) -> str:
    """OpenBLAS's kernel set for these ISA flags (its sgemm for Cooperlake and SapphireRapids is SkylakeX's)."""
    return "Cooperlake" if "avx512_bf16" in flags else "SkylakeX" if "avx512f" in flags else "Haswell" if "avx2" in flags and "fma" in flags else ""


if (os.path.exists(os.path.join(OPENBLAS_DIR, "libblas.so.3"))
        and OPENBLAS_DIR not in os.environ.get("LD_LIBRARY_PATH", "").split(":")
        and not os.environ.get("FLOPLENS_REFERENCE_BLAS")):
    os.environ["LD_LIBRARY_PATH"] = ":".join(p for p in (OPENBLAS_DIR, os.environ.get("LD_LIBRARY_PATH")) if p)
    if not os.environ.get("OPENBLAS_CORETYPE"):
        core = openblas_coretype(cpu_flags())
        if core:
            os.environ["OPENBLAS_CORETYPE"] = core
    os.execv(sys.executable, [sys.executable] + sys.argv)

SIZES = [128, 256, 512, 1024, 2048]
# Vector width in bits of each OpenBLAS kernel set (DYNAMIC_ARCH core names) that PyTorch/NumPy sgemm runs.
CORE_VECTOR_BITS = {
    "skylakex": 512, "cooperlake": 512, "sapphirerapids": 512,
    "haswell": 256, "zen": 256, "sandybridge": 256, "excavator": 256, "steamroller": 256, "piledriver": 256, "bulldozer": 256,
    "prescott": 128, "core2": 128, "penryn": 128, "dunnington": 128, "nehalem": 128, "atom": 128, "barcelona": 128,
    "opteron": 128, "katmai": 128, "coppermine": 128, "northwood": 128, "banias": 128, "athlon": 128,
}


def isa_vector_bits(flags: set) -> int:
    return 512 if "avx512f" in flags else 256 if "avx2" in flags or "avx" in flags else 128


def isa_names(flags: set) -> list:
    order = ["sse4_2", "avx", "fma", "avx2", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "neon", "asimd", "sve"]
    return [f for f in order if f in flags]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def nominal_ghz():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("cpu MHz"):
                return float(line.split(":", 1)[1]) / 1000
    except (OSError, ValueError):
        pass
    return None


def loaded_openblas():
    """The OpenBLAS this process mapped (after numpy/torch imported), with its config and kernel set, or None."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None, "unknown"
    libs = sorted({ln.split()[-1] for ln in maps.splitlines() if "blas" in ln.split()[-1]})
    real = [os.path.realpath(x) for x in libs]
    for path in real:
        if "openblas" in os.path.basename(path):
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_config.restype = ctypes.c_char_p
                lib.openblas_get_corename.restype = ctypes.c_char_p
                return lib, {"library": path, "config": lib.openblas_get_config().decode(), "corename": lib.openblas_get_corename().decode(),
                             "threads": lib.openblas_get_num_threads()}
            except (OSError, AttributeError) as e:
                return None, {"library": path, "error": str(e)}
    if any("mkl" in x for x in real):
        return None, {"library": "MKL", "libraries": real}
    return None, {"library": "reference BLAS or none", "libraries": real}


def measure(mm, a, b, n, budget=1.0, min_runs=3, max_runs=30):
    mm(a, b)  # warm-up (thread pool start, page faults)
    times, cpu = [], []
    start = time.perf_counter()
    while len(times) < max_runs and (len(times) < min_runs or time.perf_counter() - start < budget):
        c0, t0 = time.process_time(), time.perf_counter()
        mm(a, b)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    times.sort()
    cpu.sort()
    median, cpu_median = times[len(times) // 2], cpu[len(cpu) // 2]
    # GFLOP per CPU-second (all threads' CPU time): what a core does while it runs, robust to other processes'
    # load on a shared machine (wall-clock rates are not). CLOCK_PROCESS_CPUTIME_ID (ns); from 50 µs a call.
    per_cpu = 2 * n ** 3 / cpu_median / 1e9 if cpu_median >= 5e-5 else None
    return {"n": n, "runs": len(times), "median_s": median, "gflops": 2 * n ** 3 / median / 1e9, "gflops_per_cpu_s": per_cpu}


def set_threads(blas, torch_mod, threads):
    if blas is not None:
        blas.openblas_set_num_threads(threads)
    if torch_mod is not None:
        torch_mod.set_num_threads(threads)


def main():
    args = sys.argv[1:]
    sizes = SIZES
    ghz_override = None
    if "--sizes" in args:
        sizes = [int(x) for x in args[args.index("--sizes") + 1].split(",") if x.strip()]
    if "--ghz" in args:
        ghz_override = float(args[args.index("--ghz") + 1])
    cores = os.cpu_count() or 1
    libs = {}
    np = torch = None
    try:
        import numpy as np
        libs["numpy"] = {"version": np.__version__}
    except Exception as e:  # numpy missing: say so
        libs["numpy"] = {"error": str(e)}
    try:
        import torch
        libs["torch"] = {"version": torch.__version__}
    except Exception as e:
        libs["torch"] = {"error": str(e)}
    blas, blas_info = loaded_openblas()
    thread_counts = [1] + ([cores] if cores > 1 else [])
    for threads in thread_counts:
        set_threads(blas, torch, threads)
        if np is not None:
            rng = np.random.default_rng(1)
            rows = []
            for n in sizes:
                a = rng.random((n, n), dtype=np.float32) * 2 - 1
                b = rng.random((n, n), dtype=np.float32) * 2 - 1
                rows.append(measure(np.dot, a, b, n))
            libs["numpy"].setdefault("results", {})[str(threads)] = rows
        if torch is not None:
            torch.manual_seed(1)
            rows = []
            for n in sizes:
                a = torch.rand(n, n, dtype=torch.float32) * 2 - 1
                b = torch.rand(n, n, dtype=torch.float32) * 2 - 1
                rows.append(measure(torch.mm, a, b, n))
            libs["torch"].setdefault("results", {})[str(threads)] = rows
    set_threads(blas, torch, cores)

    best = {str(t): {} for t in thread_counts}
    best_cpu = {str(t): {} for t in thread_counts}
    for lib in libs.values():
        for t, rows in lib.get("results", {}).items():
            for r in rows:
                best[t][str(r["n"])] = max(best[t].get(str(r["n"]), 0), r["gflops"])
                if r["gflops_per_cpu_s"]:
                    best_cpu[t][str(r["n"])] = max(best_cpu[t].get(str(r["n"]), 0), r["gflops_per_cpu_s"])

    flags = cpu_flags()
    cpu_bits = isa_vector_bits(flags)
    corename = blas_info.get("corename", "") if isinstance(blas_info, dict) else ""
    blas_bits = CORE_VECTOR_BITS.get(corename.lower(), cpu_bits) if corename else cpu_bits
    blas_bits = min(blas_bits, cpu_bits)
    fma_ports = 2
    blas_flop_per_cycle = fma_ports * (blas_bits // 32) * 2
    wasm_flop_per_cycle = fma_ports * 4 * 2
    nominal = nominal_ghz()
    best_1t = max(best["1"].values(), default=0)
    implied = best_1t / blas_flop_per_cycle if best_1t else None
    if ghz_override:
        ghz, ghz_source = ghz_override, "--ghz"
    elif nominal and implied and implied > nominal:
        ghz, ghz_source = implied, f"the 1-thread sgemm ({best_1t:.0f} GFLOP/s at {blas_flop_per_cycle} FLOP/cycle) proves at least {implied:.2f} GHz, above the nominal {nominal:.2f} GHz"
    elif nominal:
        ghz, ghz_source = nominal, "/proc/cpuinfo cpu MHz (nominal)"
    else:
        ghz, ghz_source = implied or 0, "implied by the 1-thread sgemm"
    out = {
        "cpu": {"model": cpu_model(), "cores": cores, "isa": isa_names(flags), "vector_bits": cpu_bits,
                "nominal_ghz": nominal, "ghz": ghz, "ghz_source": ghz_source, "fma_ports_assumed": fma_ports},
        "blas": blas_info,
        "blas_vector_bits": blas_bits,
        "peaks": {
            "blas_isa": {"bits": blas_bits, "flop_per_cycle": blas_flop_per_cycle, "per_core_gflops": blas_flop_per_cycle * ghz,
                         "all_cores_gflops": blas_flop_per_cycle * ghz * cores},
            "wasm_simd128": {"bits": 128, "flop_per_cycle": wasm_flop_per_cycle, "per_core_gflops": wasm_flop_per_cycle * ghz,
                             "all_cores_gflops": wasm_flop_per_cycle * ghz * cores},
        },
        "threads": cores,
        "libraries": libs,
        "best_gflops_by_threads": best,
        "best_gflops_per_cpu_s_by_threads": best_cpu,
        # The all-cores rate, the figure `npm run bench` divides by (kept under its old name).
        "best_gflops": best[str(thread_counts[-1])],
    }
    if "--json" in args:
        print(json.dumps(out))
        return
    b = out["blas"]
    print(f"CPU: {out['cpu']['model']}, {cores} cores, ISA {' '.join(out['cpu']['isa']) or 'unknown'}; clock {ghz:.2f} GHz ({ghz_source})")
    if isinstance(b, dict) and "corename" in b:
        print(f"BLAS: {b['config']} (kernel set {b['corename']}, {blas_bits}-bit vectors) from {b['library']}")
    else:
        print(f"BLAS: {b}")
    p = out["peaks"]
    print(f"Peaks (2 FMA ports/core assumed): BLAS ISA {blas_bits}-bit {p['blas_isa']['per_core_gflops']:.0f} GFLOP/s per core, "
          f"{p['blas_isa']['all_cores_gflops']:.0f} on {cores}; 128-bit WebAssembly SIMD {p['wasm_simd128']['per_core_gflops']:.0f} per core, "
          f"{p['wasm_simd128']['all_cores_gflops']:.0f} on {cores}")
    for name, lib in libs.items():
        if "error" in lib:
            print(f"{name}: unavailable ({lib['error']})")
            continue
        for t, rows in lib.get("results", {}).items():
            for r in rows:
                per_cpu = f", {r['gflops_per_cpu_s']:.1f} GFLOP per CPU-second" if r["gflops_per_cpu_s"] else ""
                print(f"{name:6s} {t} thr n={r['n']:5d}  {r['gflops']:8.1f} GFLOP/s  ({r['runs']} runs, median {r['median_s'] * 1e3:.2f} ms{per_cpu})")


if __name__ == "__main__":
    main()
