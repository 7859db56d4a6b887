/**
 * Every declared directive key does something, or says why not. Table-driven: each key runs on a script it
 * applies to and must change the analysis (figures, run, assumptions or projections); on a script it cannot
 * apply to, an info problem must name it. A key added to the table without a row here fails the first test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { DIRECTIVE_KEY_NAMES, type DirectiveKey } from '../../src/core/directiveKeys';
import type { Analysis } from '../../src/core/types';

const ROOT = path.resolve(__dirname, '../..');
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');

const SCRIPTS = {
  nanogpt: read('test/fixtures/scripts/nanogpt_shakespeare_char.py'),
  cifar: read('test/fixtures/scripts/cnn_cifar10_sequential.py'),
  mobilenet: read('test/fixtures/scripts/inference_mobilenet.py'),
  chat: read('examples/chat_generate.py'),
  diffusion: read('examples/sd_image_gen.py'),
  /** A from_pretrained name no catalog knows, sized by directives. */
  unknownLm: [
    '# floplens: params=7e9',
    'import torch',
    'from transformers import AutoModelForCausalLM',
    'model = AutoModelForCausalLM.from_pretrained("acme/house-model-7b")',
    'x = torch.randint(0, 32000, (4, 512))',
    'with torch.no_grad():',
    '    y = model(x)',
  ].join('\n'),
  /** A catalog model whose classifier head is as wide as the labels of a folder FlopLens cannot list. */
  dataHead: [
    'import os',
    'import timm',
    'import torch',
    'labels = sorted({f.split("_")[0] for f in os.listdir("data")})',
    'model = timm.create_model("resnet18", num_classes=len(labels))',
    'y = model(torch.randn(8, 3, 224, 224))',
  ].join('\n'),
  /** A script with no model at all. */
  empty: 'import torch\nprint("hello")\n',
  /** A script that reads its command line with argparse. */
  argparse: read('test/fixtures/scripts/argparse_autoencoder.py'),
};
type Script = keyof typeof SCRIPTS;

/** key → a script it applies to and a value that differs from what the script gives. */
const APPLIES: Record<DirectiveKey, [Script, string]> = {
  batch: ['nanogpt', '7'],
  seq: ['nanogpt', '64'],
  dtype: ['nanogpt', 'bf16'],
  steps: ['nanogpt', '123'],
  epochs: ['cifar', '3'],
  dataset: ['cifar', 'imagenet'],
  dataset_size: ['cifar', '1000'],
  accum: ['nanogpt', '4'],
  devices: ['nanogpt', '8'],
  hardware: ['nanogpt', 'h100-sxm'],
  mode: ['nanogpt', 'infer'],
  optimizer: ['nanogpt', 'sgd'],
  model: ['unknownLm', 'Qwen/Qwen2.5-0.5B'],
  args: ['argparse', '"--epochs 3 --batch-size 16"'],
  params: ['empty', '1e9'],
  layers: ['unknownLm', '48'],
  hidden: ['unknownLm', '8192'],
  heads: ['unknownLm', '64'],
  vocab: ['unknownLm', '150000'],
  prompt: ['chat', '900'],
  new_tokens: ['chat', '17'],
  image_size: ['diffusion', '768'],
  classes: ['dataHead', '37'],
  recompute: ['nanogpt', 'full'],
  tf32: ['cifar', 'true'],
  runtime: ['nanogpt', 'graph'],
  tokens: ['nanogpt', '1e9'],
  requests: ['chat', '1000'],
  rate: ['chat', '50/s'],
  items: ['mobilenet', '8'],
  latency: ['mobilenet', '20ms'],
  ttft: ['chat', '300ms'],
  tpot: ['chat', '20ms'],
  quant: ['chat', 'int4'],
  kv_dtype: ['chat', 'fp8'],
};

/** key → a script it cannot apply to, where a problem must say why. */
const CANNOT_APPLY: Partial<Record<DirectiveKey, [Script, string]>> = {
  model: ['cifar', 'gpt2'],
  args: ['cifar', '"--epochs 3"'],
  params: ['cifar', '1e9'],
  layers: ['cifar', '48'],
  hidden: ['nanogpt', '4096'],
  heads: ['nanogpt', '32'],
  vocab: ['cifar', '50000'],
  prompt: ['cifar', '100'],
  new_tokens: ['nanogpt', '100'],
  image_size: ['nanogpt', '224'],
  classes: ['cifar', '100'],
  optimizer: ['mobilenet', 'adamw'],
  tokens: ['cifar', '1e9'],
  requests: ['nanogpt', '1000'],
  rate: ['nanogpt', '20/s'],
  ttft: ['mobilenet', '1s'],
};

function run(script: Script, overrides: Record<string, string> = {}, directive?: string): Analysis {
  const text = directive ? `# floplens: ${directive}\n${SCRIPTS[script]}` : SCRIPTS[script];
  return analyze({ text, file: `${script}.py`, settings: { overrides } });
}

/** What the analysis says apart from its problems and timing. */
function figures(a: Analysis): string {
  const { problems: _p, elapsedMs: _e, ...rest } = a;
  return JSON.stringify(rest);
}

const unusedProblem = (a: Analysis, key: string) => a.problems.find((p) => p.code === 'directive-unused' && p.message.startsWith(`${key}=`));

describe('every directive key', () => {
  it('has a row in the table', () => {
    expect(Object.keys(APPLIES).sort()).toEqual([...DIRECTIVE_KEY_NAMES].sort());
  });

  for (const key of DIRECTIVE_KEY_NAMES) {
    const [script, value] = APPLIES[key];
    it(`${key}=${value} on ${script}: changes the analysis or says why not`, () => {
      const before = run(script);
      const after = run(script, {}, `${key}=${value}`);
      expect(after.problems.filter((p) => p.code === 'directive' || p.code === 'setting')).toEqual([]);
      const changed = figures(after) !== figures(before);
      const said = unusedProblem(after, key);
      expect(changed || said !== undefined).toBe(true);
      expect(changed).toBe(true);
    });
  }

  for (const [key, [script, value]] of Object.entries(CANNOT_APPLY) as [DirectiveKey, [Script, string]][]) {
    it(`${key}=${value} on ${script}: a problem says why it does not apply`, () => {
      const a = run(script, {}, `${key}=${value}`);
      const p = unusedProblem(a, key);
      expect(p?.severity).toBe('info');
      expect(p?.loc?.line).toBe(1);
      expect(p?.message.length).toBeGreaterThan(`${key}=${value}`.length + 20);
    });
  }

  it('a setting override that does not apply is named too (no location)', () => {
    const a = run('cifar', { layers: '48' });
    const p = unusedProblem(a, 'layers');
    expect(p?.message).toMatch(/^layers=48 applies only to a model costed from directives/);
    expect(p?.loc).toBeUndefined();
  });

  it('a directive wins over a setting override with the same key, and its provenance says so', () => {
    const a = run('nanogpt', { batch: '5' }, 'batch=9');
    const b = a.assumptions.find((x) => x.name === 'batch');
    expect(b).toMatchObject({ value: 9, source: 'directive' });
    expect(run('nanogpt', { batch: '5' }).assumptions.find((x) => x.name === 'batch')).toMatchObject({ value: 5, source: 'setting' });
  });

  it('tf32=false wins over the script allowing TF32', () => {
    const text = 'import torch\ntorch.backends.cuda.matmul.allow_tf32 = True\nm = torch.nn.Linear(1024, 1024)\nx = torch.randn(64, 1024)\ny = m(x)\n';
    const on = analyze({ text, file: 't.py' });
    const off = analyze({ text: `# floplens: tf32=false\n${text}`, file: 't.py' });
    expect(on.run.allowTf32).toBe(true);
    expect(off.run.allowTf32).toBe(false);
  });
});
