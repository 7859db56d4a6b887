# Held-out set 2 (never fitted; see heldout2.ts): one fp32 torch.matmul of two 6,888 × 6,888 matrices (the largest
#   size of the benchmark's sweep, 2·n³ = 653.6 GFLOP), eager PyTorch, timed with a device synchronise, on CPUs, an
#   Apple GPU (MPS) and NVIDIA GPUs. Summary table of Feb 2024 (PR #1 of 2024-02-14 added the desktop CPUs and GPUs).
# Published TFLOP/s (FP32): AMD Ryzen 9 7950X 1.1; Intel i9-13900K (WSL2) 1.2; Apple M2 Ultra CPU 4; Apple M2 CPU 1;
#   Apple M2 GPU 2; Nvidia T4 4; Nvidia 4090 58.
# Source: chsasank/device-benchmarks README.md "Matrix Multiplication FLOPS and BW" and benchmark.py
#   (https://github.com/chsasank/device-benchmarks, read at commit 02b8262): "For flops and bandwidth I used values for
#   the largest tensor size" (PR #1).
# Metric: model FLOP/s per device of one matmul call (the script's forward work ÷ its step time).
# Assumed (u): the default thread count of PyTorch on each CPU (all cores); the M2 is the 8-core base chip.
#
# validate: row=H2-mm-7950x hardware=ryzen-9-7950x metric=modelFlopsPerDevice published=1.1e12
# validate: row=H2-mm-13900k hardware=core-i9-13900k metric=modelFlopsPerDevice published=1.2e12
# validate: row=H2-mm-m2ultra-cpu hardware=apple-m2-ultra metric=modelFlopsPerDevice published=4e12
# validate: row=H2-mm-m2-cpu hardware=apple-m2 metric=modelFlopsPerDevice published=1e12
# validate: row=H2-mm-m2-gpu hardware=apple-m2-gpu metric=modelFlopsPerDevice published=2e12
# validate: row=H2-mm-t4 hardware=t4 metric=modelFlopsPerDevice published=4e12
# validate: row=H2-mm-4090 hardware=rtx-4090 metric=modelFlopsPerDevice published=58e12
import argparse
import time

import torch

parser = argparse.ArgumentParser(description="Measure FLOPs.")
parser.add_argument("--device", type=str, default="cpu")
parser.add_argument("--num_trails", type=int, default=10)
args = parser.parse_args()

device = torch.device(args.device)
n = 6888
a = (10 * torch.rand(n, n)).to(device)

total = 0
for _ in range(args.num_trails):
    now = time.time()
    b = torch.matmul(a, a)
    total += time.time() - now
print(2 * n**3 / (total / args.num_trails) / 1e12)
