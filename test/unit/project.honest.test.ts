// Issue 15 part B, the honest run model: the verdict is about the user's machine; devices as the script asks for
// them (recompute assumed when it makes the step fit, whole nodes otherwise); recompute FLOPs for gradient
// checkpointing; start-up and weight loading on every device; the host's input pipeline.
import { readFileSync } from 'fs';
import { join } from 'path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { getHardware } from '../../src/core/hardware';
import type { HardwareProfile } from '../../src/core/hardware';
import { project } from '../../src/core/project';
import type { Analysis, Projection } from '../../src/core/types';
import { bestPair, TIME_PARTS } from '../../src/shared/viewModel';
import { renderMarkdown, renderText } from '../../src/core/report/markdown';
import { userMachineMark } from '../../src/core/report/figures';
import { readConfig } from '../../src/extension/configSchema';
import { MODELS, transformerGenerate, transformerTraining } from '../validation/builders';

const hw = (id: string): HardwareProfile => {
  const h = getHardware(id);
  if (!h) throw new Error(id);
  return h;
};
const example = (name: string, edit: (t: string) => string = (t) => t, hardware?: HardwareProfile[]): Analysis => {
  const file = join(__dirname, '../../examples', name);
  return analyze({ text: edit(readFileSync(file, 'utf8')), file: name, ...(hardware ? { hardware } : {}) });
};
const on = (a: Analysis, id: string): Projection => {
  const p = a.projections.find((x) => x.hardwareId === id);
  if (!p) throw new Error(`no projection on ${id}`);
  return p;
};
/** Mid one-time setup of a projection: run − steps × step. */
const setupOf = (p: Projection, steps: number): number => p.runSeconds.mid - steps * p.stepSeconds.mid;

describe('the verdict is about the user\'s machine', () => {
  it('Stable Diffusion moved to CUDA in fp16 needs a GPU as written, and names the laptop CPU time', () => {
    const a = example('sd_image_gen.py');
    expect(a.run.device).toBe('cuda');
    expect(a.verdict.gpuPaysOff).toBe(true);
    expect(a.verdict.summary).toMatch(/^A GPU is needed as written: the script moves the model to CUDA in fp16/);
    expect(a.verdict.bestCpu).toBe('core-ultra-7-155h');
    expect(a.verdict.summary).toContain('Intel Core Ultra 7 155H');
    expect(a.verdict.summary).not.toContain('EPYC');
  });

  it('the same pipeline left on the CPU is still GPU work: minutes per image batch on the laptop', () => {
    const a = example('sd_image_gen.py', (t) => t.replace('pipe = pipe.to("cuda")\n', ''));
    expect(a.run.device).toBeUndefined();
    expect(a.verdict.gpuPaysOff).toBe(true);
    expect(on(a, 'core-ultra-7-155h').runSeconds.mid).toBeGreaterThan(5 * 60);
  });

  it('one 8B chat answer is GPU work: too slow to wait for on the laptop', () => {
    const a = example('chat_generate.py');
    expect(a.verdict.gpuPaysOff).toBe(true);
    expect(a.verdict.bestCpu).toBe('core-ultra-7-155h');
    expect(a.verdict.summary).toMatch(/^A GPU pays off: one request takes ≈ .+ on Intel Core Ultra 7 155H/);
  });

  it('a tiny MNIST MLP is CPU work', () => {
    const a = example('mnist_mlp.py');
    expect(a.verdict.gpuPaysOff).toBe(false);
    expect(a.verdict.bestCpu).toBe('core-ultra-7-155h');
    expect(a.verdict.summary).toMatch(/^A CPU is fine: /);
  });

  it('with only a server CPU in the comparison, judges against the default laptop and says it is assumed', () => {
    const w = transformerTraining(MODELS.gpt2, { batch: 8, seq: 1024, steps: 2000 });
    const r = project(w, [hw('epyc-9654'), hw('h100-sxm')]);
    // The laptop is added to the projections, marked as the user's machine, so views show the CPU the verdict names.
    expect(r.projections.map((p) => p.hardwareId)).toEqual(['epyc-9654', 'h100-sxm', 'core-ultra-7-155h']);
    expect(r.projections.map((p) => p.userMachine)).toEqual([undefined, undefined, 'assumed']);
    expect(r.projections[2].notes[0]).toMatch(/^Your machine for the verdict: assumed .+ not one of the devices compared/);
    expect(r.verdict.bestCpu).toBe('core-ultra-7-155h');
    expect(r.verdict.summary).toContain('a laptop-class CPU (Intel Core Ultra 7 155H, assumed');
    // The laptop is slower than the server, so the speed-up is larger than the server's would be.
    const server = r.projections[0].runSeconds.mid / r.projections[1].runSeconds.mid;
    expect(r.verdict.speedup).toBeGreaterThan(server);
  });

  it('every surface shows the verdict\'s CPU, marked as the user\'s machine, not the fastest listed CPU', () => {
    const a = example('nanogpt_train.py', (t) => t, [hw('epyc-9654'), hw('xeon-8480'), hw('h100-sxm')]);
    expect(a.verdict.bestCpu).toBe('core-ultra-7-155h');
    const { cpu } = bestPair(a);
    expect(cpu?.hardwareId).toBe('core-ultra-7-155h');
    expect(cpu?.userMachine).toBe('assumed');
    expect(a.projections.filter((p) => p.userMachine).map((p) => p.hardwareId)).toEqual(['core-ultra-7-155h']);
    // Its figures are the ones the verdict quotes.
    expect(a.verdict.speedup).toBeCloseTo(cpu!.runSeconds.mid / on(a, 'h100-sxm').runSeconds.mid, 6);
    expect(renderText(a)).toMatch(/Intel Core Ultra 7 155H \(yours, assumed\)/);
    expect(renderMarkdown(a)).toMatch(/\| Intel Core Ultra 7 155H \\\(yours, assumed\\\) \|/);
    expect(userMachineMark(on(a, 'epyc-9654'))).toBe('');
    // A listed laptop is marked in place (not added twice); a measured machine is 'this machine'.
    const w = transformerTraining(MODELS.gpt2, { batch: 8, seq: 1024, steps: 2000 });
    const listed = project(w, [hw('epyc-9654'), hw('core-ultra-7-155h'), hw('h100-sxm')]);
    expect(listed.projections.map((p) => p.userMachine)).toEqual([undefined, 'listed', undefined]);
    const mine: HardwareProfile = { ...hw('ryzen-7-7840u'), id: 'this-machine', name: 'this VM', tier: 'this-machine' };
    const measured = project(w, [mine, hw('h100-sxm')]);
    expect(userMachineMark(measured.projections[0])).toBe(' (this machine)');
  });

  it('prefers the measured this-machine CPU, then a CPU the user set, over the listed laptop', () => {
    const w = transformerTraining(MODELS.gpt2, { batch: 8, seq: 1024, steps: 2000 });
    const mine: HardwareProfile = { ...hw('ryzen-7-7840u'), id: 'this-machine', name: 'this VM', tier: 'this-machine' };
    const measured = project(w, [hw('core-ultra-7-155h'), mine, hw('h100-sxm')]).verdict;
    expect(measured.bestCpu).toBe('this-machine');
    expect(measured.summary).toContain('this machine (this VM, measured)');
    const set = project(w, [hw('core-ultra-7-155h'), hw('h100-sxm')], { userCpu: hw('ryzen-9-7950x') }).verdict;
    expect(set.bestCpu).toBe('ryzen-9-7950x');
    expect(set.summary).toContain('(your CPU, from settings)');
  });

  it('takes the user\'s CPU from the userCpu setting; an unknown id is a warning and the default laptop stands in', () => {
    const file = join(__dirname, '../../examples/nanogpt_train.py');
    const text = readFileSync(file, 'utf8');
    const set = analyze({ text, file: 'nanogpt_train.py', settings: { userCpu: 'ryzen-9-7950x' } });
    expect(set.verdict.bestCpu).toBe('ryzen-9-7950x');
    expect(set.verdict.summary).toContain('AMD Ryzen 9 7950X');
    const unknown = analyze({ text, file: 'nanogpt_train.py', settings: { userCpu: 'no-such-cpu' } });
    expect(unknown.problems.some((p) => /userCpu: "no-such-cpu" is not a known CPU/.test(p.message))).toBe(true);
    expect(unknown.verdict.bestCpu).toBe('core-ultra-7-155h');
  });

  it('the extension reads floplens.hardware.userCpu (trimmed; empty by default)', () => {
    expect(readConfig((k) => (k === 'hardware.userCpu' ? ' ryzen-9-7950x ' : undefined)).config.hardware.userCpu).toBe('ryzen-9-7950x');
    expect(readConfig(() => undefined).config.hardware.userCpu).toBe('');
  });

  it('only GPUs compared: no CPU verdict is invented', () => {
    const w = transformerTraining(MODELS.gpt2, { batch: 8, seq: 1024, steps: 2000 });
    expect(project(w, [hw('h100-sxm')]).verdict.summary).toContain('no CPU in the comparison');
  });
});

describe('devices as the script asks for them', () => {
  it('Llama 3.1 405B on 16,384 H100s projects on 16,384, recomputing the fewest layers that make it fit, stated', () => {
    const file = join(__dirname, '../validation/scripts/row01_llama31_405b_pretrain.py');
    const a = analyze({ text: readFileSync(file, 'utf8'), file: 'row01.py', hardware: [hw('h100-sxm')] });
    const p = on(a, 'h100-sxm');
    expect(p.devicesUsed).toBe(16384);
    expect(p.devicesAsked).toBe(16384);
    expect(p.fits).toBe(true);
    // Megatron's --recompute-num-layers: only as many layers as it takes to fit, not all 126.
    const note = p.notes.find((n) => /^Full activation recomputation of \d+ of the 126 layers assumed .+ fits on the 16384 asked for/.test(n));
    expect(note).toBeDefined();
    const k = Number(/of (\d+) of the 126/.exec(note!)![1]);
    expect(k).toBeGreaterThan(0);
    expect(k).toBeLessThan(126);
    const share = Number(/Activation recomputation adds (\d+)% of the forward FLOPs/.exec(p.notes.join('\n'))?.[1]);
    expect(share).toBeCloseTo(100 * k / 126, -1);
    // Recomputing no more than it takes leaves the device nearly full.
    expect(p.memoryBytes).toBeGreaterThan(0.9 * p.capacityBytes);
    expect(p.memoryBytes).toBeLessThan(p.capacityBytes);
  });

  it('Llama 3.1 405B on 16,384 H100s: a plan checked for memory per device, TP 8 in a node, pipeline, data parallel for the rest', () => {
    const spec = { batch: 2048, seq: 8192, steps: 1, devices: 16384, scope: 'global' as const };
    const p = project(transformerTraining(MODELS.llama3_405b, spec), [hw('h100-sxm')]).projections[0];
    const note = p.notes.find((n) => /^16384 devices: tensor parallel/.test(n)) ?? '';
    const m = /tensor parallel ×(\d+) inside a node, (\d+) pipeline stages .+, (\d+) data-parallel groups, .+; ≈ ([\d.]+) GiB per device, plan chosen to fit memory/.exec(note);
    expect(m, note).not.toBeNull();
    const [tp, pp, dp, gib] = (m as RegExpExecArray).slice(1).map(Number);
    expect(tp).toBe(8);
    expect(tp * pp * dp).toBe(16384);
    // Not the 64 stages the unchecked search picked: 16, as in Meta's paper (Llama 3 herd, table 4).
    expect(pp).toBe(16);
    expect(dp).toBe(128);
    expect(gib * 2 ** 30).toBeLessThan(hw('h100-sxm').memoryBytes);
    expect(p.mfu).toBeGreaterThan(0.25);
  });

  it('the assumed recompute costs a forward: the step is slower than without it, MFU counts model FLOPs only', () => {
    const spec = { batch: 2048, seq: 8192, steps: 1, devices: 16384, scope: 'global' as const };
    const auto = project(transformerTraining(MODELS.llama3_405b, spec), [hw('h100-sxm')]).projections[0];
    const given = project(transformerTraining(MODELS.llama3_405b, { ...spec, recompute: 'full' }), [hw('h100-sxm')]).projections[0];
    // Both re-run the forward: neither step beats its hardware FLOPs (fwd + bwd + one more fwd = 4/3 of the model's)
    // at the bf16 peak, and the two agree within the plans' differences (the kept activations differ slightly).
    const model = auto.mfu * auto.stepSeconds.mid * 16384 * auto.peakFlops;
    expect(auto.stepSeconds.mid).toBeGreaterThan((4 / 3) * model / (16384 * 989e12));
    expect(auto.stepSeconds.mid / given.stepSeconds.mid).toBeGreaterThan(0.75);
    expect(auto.stepSeconds.mid / given.stepSeconds.mid).toBeLessThan(1.33);
    expect(auto.mfu).toBeGreaterThan(0.2);
    expect(auto.mfu).toBeLessThan(0.6);
  });

  it('a step that does not fit on the 8 GPUs asked for says so, and projects on whole nodes', () => {
    // A 70B full fine-tune (16 B/param of states ≈ 1.1 TB) cannot fit on 8 × 80 GB, recompute or not.
    const w = transformerTraining(MODELS.llama2_70b, { batch: 1, seq: 4096, steps: 10, devices: 8, scope: 'global' });
    const r = project(w, [hw('core-ultra-7-155h'), hw('a100-80gb')]);
    const p = r.projections[1];
    expect(p.fits).toBe(false);
    expect(p.devicesAsked).toBe(8);
    expect(p.devicesUsed).toBeGreaterThan(8);
    expect(p.devicesUsed % 8).toBe(0);
    expect(p.notes.some((n) => /^Does not fit on the 8 the script asks for: .+ Projected on \d+ \(\d+ whole nodes of 8\)/.test(n))).toBe(true);
    expect(r.verdict.summary).toContain(`does not fit on the 8 asked for; needs ${p.devicesUsed}`);
  });

  it('a step placed on more devices than asked names the layout it uses, and its memory is that layout\'s', () => {
    // The LoRA fine-tune of an 8B model: frozen bf16 weights (15 GiB) plus a batch of activations. On two RTX 4090s the
    // batch split between data-parallel replicas fits; on two T4s the states must be sharded too.
    const a = example('llama_lora_finetune.py', undefined, [hw('rtx-4090'), hw('t4')]);
    const [rtx, t4] = a.projections;
    const m = a.memory;
    for (const p of [rtx, t4]) {
      expect(p.devicesUsed).toBe(2);
      expect(p.memoryBytes).toBeLessThanOrEqual(p.capacityBytes);
    }
    const rtxNotes = rtx.notes.join('\n');
    expect(rtxNotes).toMatch(/Projected on 2, the fewest that hold it with the batch split between them, each holding the whole model/);
    expect(rtxNotes).toMatch(/data parallel \(DDP\)/);
    expect(rtxNotes).not.toMatch(/sharded/);
    // A replica holds every weight: its memory is at least the weights, not half of everything.
    expect(rtx.memoryBytes).toBeGreaterThan(m.weights);
    const t4Notes = t4.notes.join('\n');
    expect(t4Notes).toMatch(/the fewest that hold it with states sharded ZeRO-3\/FSDP-style/);
    expect(t4Notes).toMatch(/fully sharded|states sharded/);
    expect(t4.memoryBytes).toBeLessThan(m.weights);
  });

  it('a step that fits keeps the count asked for and assumes no recompute', () => {
    const w = transformerTraining(MODELS.gpt2, { batch: 8, seq: 1024, steps: 10, devices: 8 });
    const p = project(w, [hw('h100-sxm')]).projections[0];
    expect(p.devicesUsed).toBe(8);
    expect(p.fits).toBe(true);
    expect(p.notes.join(' ')).not.toMatch(/recomputation/);
  });
});

describe('gradient checkpointing adds recompute FLOPs', () => {
  const withGc = example('llama_lora_finetune.py', undefined, [hw('h100-sxm')]);
  const without = example('llama_lora_finetune.py', (t) => t.replace('model.gradient_checkpointing_enable()\n', ''), [hw('h100-sxm')]);

  it('counts one extra forward in the step FLOPs shown as "forward + backward (+ recompute)"', () => {
    expect(withGc.run.recompute).toBe('full');
    expect(without.run.recompute).toBe('none');
    const fwd = withGc.step.forwardFlops;
    expect(withGc.step.trainFlops).toBeCloseTo((withGc.step.backwardFlops ?? 0) + 2 * fwd, -6);
    // LoRA: frozen weights need no weight gradients, so fwd + bwd ≈ 2 forwards and recompute makes it ≈ 3 (×1.5).
    expect(withGc.step.trainFlops! - without.step.trainFlops!).toBeCloseTo(fwd, -6);
    expect(withGc.step.trainFlops! / without.step.trainFlops!).toBeCloseTo(1.5, 1);
  });

  it('and the step takes longer by about that much', () => {
    const ratio = on(withGc, 'h100-sxm').stepSeconds.mid / on(without, 'h100-sxm').stepSeconds.mid;
    expect(ratio).toBeGreaterThan(1.3);
    expect(ratio).toBeLessThan(1.6);
  });
});

describe('start-up and model loading on every device', () => {
  const chat = transformerGenerate(MODELS.llama2_7b, { batch: 1, prompt: 128, newTokens: 64, dtype: 'fp16' });
  const weights = chat.memory.weights;

  it('charges a CPU the process start-up and the weights from disk, and a GPU also its context and the PCIe copy', () => {
    const [cpu, gpu] = project(chat, [hw('core-ultra-7-155h'), hw('h100-sxm')]).projections;
    const disk = weights / 2e9; // 2 GB/s NVMe (mid)
    expect(setupOf(cpu, 1)).toBeCloseTo(1.5 + disk, 1);
    expect(setupOf(gpu, 1)).toBeGreaterThan(1.5 + 1 + disk);
    expect(setupOf(gpu, 1)).toBeLessThan(1.5 + 1 + disk + weights / 20e9);
    expect(cpu.notes.some((n) => /of weights from disk ≈ .+ at 2 GB\/s/.test(n))).toBe(true);
    expect(gpu.notes.some((n) => /weights to the GPU over PCIe/.test(n))).toBe(true);
  });

  it('training from scratch reads no weights from disk, but still pays the start-up on the CPU', () => {
    const w = transformerTraining({ layers: 2, hidden: 128, heads: 4, vocab: 1000 }, { batch: 8, seq: 64, steps: 5 });
    const cpu = project(w, [hw('core-ultra-7-155h')]).projections[0];
    expect(setupOf(cpu, 5)).toBeCloseTo(1.5, 6);
    expect(cpu.runSeconds.low).toBeGreaterThanOrEqual(1);
  });
});

describe('the input pipeline on the host CPU', () => {
  it('CIFAR ResNet-18 on an H100 waits on the host: the loader with 4 workers, and eager dispatch; says how fast the host decodes', () => {
    const a = example('train_cifar_resnet.py', undefined, [hw('core-ultra-7-155h'), hw('h100-sxm')]);
    expect(a.run.loaderWorkers).toBe(4);
    const p = on(a, 'h100-sxm');
    // 30 epochs of 50,000 images at ≈ 0.12 ms per image per worker (the script's transforms, measured), 4 workers:
    // ≈ 45 s of loading, twice the GPU kernels' own ≈ 24 s; eager PyTorch's host dispatch (≈ 6.7 ms per step,
    // EAGER_HOST_SECONDS) is longer still, so the step is host-bound either way.
    expect(['data', 'overhead']).toContain(p.bound);
    expect((p.shares.data ?? 0) + p.shares.overhead).toBeGreaterThan(0.6);
    expect(p.runSeconds.mid).toBeGreaterThan(40);
    // One worker decodes 4× slower than four: the loader is the bound, and the note says how fast the host decodes.
    const one = on(example('train_cifar_resnet.py', (t) => t.replace('num_workers=4', 'num_workers=1'), [hw('h100-sxm')]), 'h100-sxm');
    expect(one.bound).toBe('data');
    expect(one.shares.data).toBeGreaterThan(0.4);
    const note = one.notes.find((n) => n.startsWith('Input pipeline: 1 DataLoader worker'));
    expect(note).toMatch(/≈ [\d,]+ images\/s .+likely data-loader-bound/);
    expect(p.runSeconds.high).toBeGreaterThan(p.runSeconds.mid);
    // The views' time breakdown lists every cause, data loading included, so the shares they draw add up to the step.
    expect(TIME_PARTS.reduce((s, [k]) => s + (p.shares[k] ?? 0), 0)).toBeCloseTo(1, 9);
  });

  it('more workers shorten the wait; the laptop pays the loading on its own cores', () => {
    const one = on(example('train_cifar_resnet.py', (t) => t.replace('num_workers=4', 'num_workers=1'), [hw('h100-sxm')]), 'h100-sxm');
    const sixteen = on(example('train_cifar_resnet.py', (t) => t.replace('num_workers=4', 'num_workers=16'), [hw('h100-sxm')]), 'h100-sxm');
    expect(sixteen.stepSeconds.mid).toBeLessThan(one.stepSeconds.mid * 0.6);
    expect(sixteen.shares.data ?? 0).toBeLessThan(one.shares.data ?? 0);
    const laptop = on(example('train_cifar_resnet.py', undefined, [hw('core-ultra-7-155h')]), 'core-ultra-7-155h');
    expect(laptop.shares.data).toBeGreaterThan(0);
  });

  it('models no image pipeline where no DataLoader feeds images', () => {
    const a = example('mnist_mlp.py');
    for (const p of a.projections) expect(p.shares.data ?? 0).toBe(0);
  });
});

describe('precision changes the bytes, not only the peak', () => {
  it('fp8 inference holds the weights in fp8 on the device (about half of bf16), the checkpoint on disk keeps its size', () => {
    const bf16 = on(example('chat_generate.py', undefined, [hw('h100-sxm')]), 'h100-sxm');
    const a = example('chat_generate.py', (t) => `# floplens: dtype=fp8\n${t}`, [hw('h100-sxm')]);
    const fp8 = on(a, 'h100-sxm');
    const saved = bf16.memoryBytes - fp8.memoryBytes;
    // 8.0B params: the matrix weights (≈ 7.5B outside the embedding) drop from 2 to 1 byte each.
    expect(saved).toBeGreaterThan(0.45 * a.memory.weights);
    expect(saved).toBeLessThan(0.5 * a.memory.weights);
    expect(fp8.notes.some((n) => /^Weights held in fp8 as the matrix ops consume them/.test(n))).toBe(true);
    expect(fp8.notes.some((n) => /the checkpoint read from disk keeps/.test(n))).toBe(true);
    // KV cache follows the dtype in the analysis (1 byte instead of 2).
    expect(a.memory.kvCache).toBeLessThan(example('chat_generate.py').memory.kvCache);
  });

  it('eager autocast keeps fp32 weights and casts them on every call: ResNet-50 batch 1 AMP on a T4 is slower than the 16-bit copies', () => {
    const file = join(__dirname, '../validation/scripts/row30_resnet50_infer_t4_amp.py');
    const text = readFileSync(file, 'utf8').replace('batch_size = 256', 'batch_size = 1');
    const a = analyze({ text, file: 'row30.py', hardware: [hw('t4')] });
    const p = on(a, 't4');
    // Weights stay fp32 on the device (no 'held in fp16' copy) ...
    expect(p.notes.join(' ')).not.toMatch(/Weights held in fp16/);
    expect(p.memoryBytes).toBeGreaterThan(a.memory.weights);
    // ... and each of the 54 weight ops launches a cast: at least 54 more launches than the same ops on 16-bit weights.
    const half = analyze({ text: text.replace('.cuda().eval()', '.cuda().half().eval()'), file: 'row30h.py', hardware: [hw('t4')] });
    const h = on(half, 't4');
    expect(half.memory.weights).toBeLessThan(0.6 * a.memory.weights);
    expect(p.stepSeconds.mid - h.stepSeconds.mid).toBeGreaterThan(54 * 10e-6);
    // A compiled model (casts fused into the graph) pays none of it.
    const compiled = analyze({ text: text.replace('images = torch.randn', 'model = torch.compile(model)\nimages = torch.randn'), file: 'row30c.py', hardware: [hw('t4')] });
    expect(compiled.run.runtime).toBe('compiled');
    expect(on(compiled, 't4').notes.join(' ')).toMatch(/Weights held in fp16/);
    expect(on(compiled, 't4').stepSeconds.mid).toBeLessThan(p.stepSeconds.mid);
  });

  it('fp8 training keeps its master weights and optimizer states', () => {
    const w = transformerTraining(MODELS.gpt2, { batch: 8, seq: 1024, steps: 10, dtype: 'fp8' });
    const p = project(w, [hw('h100-sxm')]).projections[0];
    expect(p.notes.join(' ')).not.toMatch(/Weights held in/);
    expect(p.computeDtype).toBe('fp8');
  });
});
