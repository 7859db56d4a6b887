"""Per-element cost of eager PyTorch's own CPU kernels (ATen: element-wise, activations, dropout, norms, softmax), on
one core, in process CPU time: what a step spends outside BLAS/oneDNN. Forward and backward (autograd) separately,
at two sizes (1 Mi elements: cache-resident; 16 Mi: from DRAM). Synthetic tensors; nothing is read. Prints JSON
(ns per element, and the copy rate as the bandwidth yardstick); the figures feed src/core/project/cpuKernels.ts.

Usage: /usr/bin/python3 bench/cpu_vector_ops.py [--reps N]
The 'CPU capability usage' line of torch.__config__.show() says at which vector width ATen's kernels ran.
"""
import json
import sys
import time
import timeit

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
REPS = int(sys.argv[sys.argv.index('--reps') + 1]) if '--reps' in sys.argv else 5


def cpu_time(fn, reps=REPS):
    """Best of three rounds of `reps` calls, process CPU seconds per call (after one warm-up call)."""
    fn()
    return min(timeit.Timer(fn, timer=time.process_time).repeat(3, reps)) / reps


def ops(n):
    rows = 4096 if n >= 4096 * 256 else n // 256
    x = torch.randn(n)
    y = torch.randn(n)
    x2 = x.view(-1, 256)
    xv = torch.randn(max(1, n // 10000), 10000)
    xc = torch.randn(max(1, n // (64 * 32 * 32)), 64, 32, 32)
    # a causal mask (as attention uses): predictable, unlike a random one
    mask = torch.ones(256, 256, dtype=torch.bool).triu(1).repeat(max(1, n // 65536), 1).view(-1)[:n]
    ln = torch.nn.LayerNorm(256)
    bn = torch.nn.BatchNorm2d(64)
    return {
        'add': (lambda a: a + y, x),
        'mul': (lambda a: a * y, x),
        'relu': (F.relu, x),
        'gelu': (F.gelu, x),
        'tanh': (torch.tanh, x),
        'sigmoid': (torch.sigmoid, x),
        'dropout': (lambda a: F.dropout(a, 0.1, True), x),
        'masked_fill': (lambda a: a.masked_fill(mask, -1e9), x),
        'softmax_256': (lambda a: F.softmax(a, -1), x2),
        'log_softmax_10000': (lambda a: F.log_softmax(a, -1), xv),
        'layer_norm_256': (ln, x2),
        'batch_norm_train': (bn, xc),
        'transpose_copy': (lambda a: a.view(rows, -1).t().contiguous(), x),
    }


def measure(n):
    out = {}
    for name, (fn, a) in ops(n).items():
        el = a.numel()
        fwd = cpu_time(lambda: fn(a))
        a2 = a.detach().clone().requires_grad_(True)
        g = torch.ones_like(fn(a2))

        def fb():
            a2.grad = None
            fn(a2).backward(g)
        both = cpu_time(fb)
        out[name] = {'fwdNsPerElement': round(fwd / el * 1e9, 3), 'bwdNsPerElement': round(max(0.0, both - fwd) / el * 1e9, 3)}
    big = torch.randn(n)
    dst = torch.empty(n)
    copy = cpu_time(lambda: dst.copy_(big))
    out['copy'] = {'GBps': round(8 * n / copy / 1e9, 2)}
    return out


if __name__ == '__main__':
    cap = next((ln.strip() for ln in torch.__config__.show().splitlines() if 'CPU capability' in ln), '?')
    print(json.dumps({'torch': torch.__version__, 'capability': cap,
                      'cpu': next((ln.split(':', 1)[1].strip() for ln in open('/proc/cpuinfo') if ln.startswith('model name')), '?'),
                      'sizes': {str(n): measure(n) for n in (1 << 20, 1 << 24)}}, indent=1))
