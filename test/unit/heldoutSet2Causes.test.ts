/**
 * General causes found by held-out set 2 (issue 15, test/validation/heldout2): each test is the construct, not the
 * published run.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { getHardware } from '../../src/core/hardware';

describe('throughput of a catalog model trained with gradient accumulation', () => {
  const script = (accum: number) => `
import torch
from transformers import LlamaConfig, LlamaForCausalLM

config = LlamaConfig(hidden_size=512, intermediate_size=1376, num_hidden_layers=4, num_attention_heads=8, vocab_size=32000)
model = LlamaForCausalLM(config)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
accum = ${accum}
for step in range(100):
    for micro in range(accum):
        input_ids = torch.randint(0, 32000, (4, 256))
        loss = model(input_ids=input_ids, labels=input_ids).loss / accum
        loss.backward()
    optimizer.step()
    optimizer.zero_grad()
`;
  it('counts the tokens of every micro-batch of the step, as its FLOPs do', () => {
    const hw = [getHardware('a100-80gb')!];
    const one = analyze({ text: script(1), file: 'a.py', hardware: hw });
    const four = analyze({ text: script(4), file: 'b.py', hardware: hw });
    expect(four.run.microBatches).toBe(4);
    expect(one.run.itemsPerStep).toBe(4 * 256);
    expect(four.run.itemsPerStep).toBe(4 * 4 * 256);
    expect(four.step.forwardFlops).toBeCloseTo(4 * one.step.forwardFlops, -3);
    // Tokens per second stay about the same: four micro-batches take about four times as long.
    const rate = (a: typeof one) => a.projections[0].throughput.value;
    expect(rate(four) / rate(one)).toBeGreaterThan(0.8);
    expect(rate(four) / rate(one)).toBeLessThan(1.25);
  });
});

describe('fp32 GEMMs on an Apple CPU run on its matrix coprocessor (AMX through Accelerate)', () => {
  const m2Ultra = getHardware('apple-m2-ultra')!;
  const withoutAmx = { ...m2Ultra, id: 'm2-ultra-neon-only', matrixUnit: undefined };
  const step = (text: string, hw = m2Ultra) => analyze({ text, file: 's.py', hardware: [hw] }).projections[0].stepSeconds.mid;
  const matmul = `
import torch
a = torch.rand(4096, 4096)
for _ in range(10):
    b = torch.matmul(a, a)
`;
  const conv = `
import torch
import torch.nn as nn
conv = nn.Conv2d(64, 64, 3, padding=1)
x = torch.randn(32, 64, 56, 56)
with torch.no_grad():
    for _ in range(10):
        y = conv(x)
`;
  it('has one AMX unit per 4-core P-cluster', () => {
    expect(m2Ultra.matrixUnit?.units).toBe(4);
    expect(getHardware('apple-m2')!.matrixUnit?.units).toBe(1);
    expect(getHardware('ryzen-9-7950x')!.matrixUnit).toBeUndefined();
  });
  it('projects a large fp32 matmul above the NEON cores and below the coprocessors peak', () => {
    const flops = 10 * 2 * 4096 ** 3;
    const rate = flops / step(matmul);
    expect(rate).toBeGreaterThan(m2Ultra.peakFlops.fp32!);
    expect(rate).toBeLessThan(m2Ultra.matrixUnit!.fp32);
    expect(step(matmul, withoutAmx) / step(matmul)).toBeGreaterThan(3);
  });
  it('leaves convolutions (and CPUs without a coprocessor) on the cores', () => {
    expect(step(conv)).toBeCloseTo(step(conv, withoutAmx), 10);
  });
});
