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
