/**
 * The script's command line (`# floplens: args="…"`, `--set args=…`, the `floplens.overrides.args` setting) reaches
 * every argv reader the evaluator models (issue 14, point 8): argparse, HfArgumentParser's dataclass fields
 * (parse_args_into_dataclasses, parse_dict, parse_json_file, parse_yaml_file), tyro, fire/typer/jsonargparse entry
 * functions, Hydra's composed config and OmegaConf.from_cli key=value overrides; the setting reaches analysis in the
 * extension host.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('vscode', async () => (await import('./securityFakes')).vscode);
import { analyze, localImports } from '../../src/core/analyze';
import type { ConfigFileSource } from '../../src/core/api';
import { AnalysisStore } from '../../src/extension/analysisStore';
import { readConfig } from '../../src/extension/configSchema';
import { ModuleReader } from '../../src/extension/moduleReader';
import { commandLineOptions, keyValueOverrides, typedLike } from '../../src/core/interpret/lib/argvReaders';
import { document, fake, Uri } from './securityFakes';

/** Parameters of `net = nn.Linear(h, h * k)` for the given h and k. */
const linear = (h: number, k: number) => h * h * k + h * k;

const HF = `
from dataclasses import dataclass, field
from transformers import HfArgumentParser
import torch.nn as nn

@dataclass
class ModelArguments:
    hidden: int = field(default=16)
    layers: int = 1
    name: str = 'x'
    frozen: bool = False

parser = HfArgumentParser((ModelArguments,))
`;
const NET = 'net = nn.Linear(m.hidden, m.hidden * m.layers)\n';

const FIRE = `
import fire
import torch.nn as nn
def main(hidden: int = 16, layers=1):
    global net
    net = nn.Linear(hidden, hidden * layers)
if __name__ == '__main__':
    fire.Fire(main)
`;

const ARGPARSE = `
import argparse
import torch.nn as nn
p = argparse.ArgumentParser()
p.add_argument('--hidden', type=int, default=16)
p.add_argument('--layers', type=int, default=1)
a = p.parse_args()
net = nn.Linear(a.hidden, a.hidden * a.layers)
`;

const TYRO = `
from dataclasses import dataclass
import tyro
import torch.nn as nn
@dataclass
class Args:
    hidden: int = 16
    layers: int = 1
a = tyro.cli(Args)
net = nn.Linear(a.hidden, a.hidden * a.layers)
`;

const HYDRA = `
import hydra
import torch.nn as nn
@hydra.main(config_path='conf', config_name='config')
def main(cfg):
    global net
    net = nn.Linear(cfg.model.hidden, cfg.model.hidden * cfg.model.layers)
main()
`;
const HYDRA_FILES: ConfigFileSource[] = [{ name: 'conf/config.yaml', path: 'conf/config.yaml', text: 'model:\n  hidden: 16\n  layers: 1\n' }];

const OMEGA = `
from omegaconf import OmegaConf
import torch.nn as nn
base = OmegaConf.create({'model': {'hidden': 16, 'layers': 1}})
cfg = OmegaConf.merge(base, OmegaConf.from_cli())
net = nn.Linear(cfg.model.hidden, cfg.model.hidden * cfg.model.layers)
`;

type How = 'directive' | 'setting';
function params(text: string, args: string, how: How, files?: ConfigFileSource[]): number {
  const a = how === 'directive'
    ? analyze({ text: `# floplens: args="${args}"\n${text}`, file: 'train.py', files })
    : analyze({ text, file: 'train.py', files, settings: { overrides: { args } } });
  return a.model.params;
}

describe('the command line reaches every argv reader', () => {
  const readers: [string, string, string, ConfigFileSource[]?][] = [
    ['argparse', ARGPARSE, '--hidden 32 --layers 2'],
    ['HfArgumentParser.parse_args_into_dataclasses', `${HF}(m,) = parser.parse_args_into_dataclasses()\n${NET}`, '--hidden 32 --layers=2 --output_dir out'],
    ['tyro.cli of a dataclass', TYRO, '--hidden 32 --layers 2'],
    ['fire.Fire options', FIRE, '--hidden=32 --layers 2'],
    ['fire.Fire positionals', FIRE, '32 2'],
    ['Hydra key=value overrides', HYDRA, 'model.hidden=32 model.layers=2', HYDRA_FILES],
    ['OmegaConf.from_cli merged over a base config', OMEGA, 'model.hidden=32 ++model.layers=2'],
  ];
  for (const [name, text, args, files] of readers) {
    for (const how of ['directive', 'setting'] as How[]) {
      it(`${name} (${how})`, () => {
        expect(params(text, '', how, files)).toBe(linear(16, 1));
        expect(params(text, args, how, files)).toBe(linear(32, 2));
      });
    }
  }

  it('HfArgumentParser: the list the script passes wins over the command line, typed like each field', () => {
    const a = analyze({ text: `# floplens: args="--hidden 8"\n${HF}(m,) = parser.parse_args_into_dataclasses(args=['--hidden', '32', '--frozen', '--name', '7'])\n${NET}`, file: 'train.py' });
    expect(a.model.params).toBe(linear(32, 1));
    expect(a.problems.find((p) => p.code === 'cli-args')?.message).toMatch(/hidden, name, frozen from the command line the script passes/);
  });

  it('HfArgumentParser: options no script field claims go to the library TrainingArguments, or to a script subclass of it', () => {
    for (const ta of ['from transformers import TrainingArguments\n', '@dataclass\nclass TrainingArguments(transformers.TrainingArguments):\n    cache_dir: str = None\n']) {
      const text = `# floplens: args="--hidden 32 --per_device_train_batch_size 4 --output_dir out"\nimport transformers\n${HF}${ta}parser = HfArgumentParser((ModelArguments, TrainingArguments))\nm, t = parser.parse_args_into_dataclasses()\nnet = nn.Linear(t.per_device_train_batch_size, m.hidden)\n`;
      expect(analyze({ text, file: 'train.py' }).model.params).toBe(4 * 32 + 32);
    }
  });

  it('HfArgumentParser.parse_json_file and parse_yaml_file read the workspace file; parse_dict the dict', () => {
    const json: ConfigFileSource[] = [{ name: 'args.json', path: 'args.json', text: '{"hidden": 32, "layers": 2, "unused": 1}' }];
    expect(analyze({ text: `${HF}(m,) = parser.parse_json_file('args.json')\n${NET}`, file: 'train.py', files: json }).model.params).toBe(linear(32, 2));
    const yaml: ConfigFileSource[] = [{ name: 'args.yaml', path: 'args.yaml', text: 'hidden: 32\nlayers: 2\n' }];
    expect(analyze({ text: `${HF}(m,) = parser.parse_yaml_file(yaml_file='args.yaml')\n${NET}`, file: 'train.py', files: yaml }).model.params).toBe(linear(32, 2));
    expect(analyze({ text: `${HF}(m,) = parser.parse_dict({'hidden': 32, 'layers': 2})\n${NET}`, file: 'train.py' }).model.params).toBe(linear(32, 2));
    // A file that is not in the workspace: the defaults, said.
    const missing = analyze({ text: `${HF}(m,) = parser.parse_json_file('args.json')\n${NET}`, file: 'train.py' });
    expect(missing.model.params).toBe(linear(16, 1));
    expect(missing.problems.some((p) => p.code === 'config-file' && /args\.json/.test(p.message))).toBe(true);
  });

  it('sys.argv is the command line when one is given: a script picks its JSON-file branch as the command would', () => {
    const text = `import sys, os\n${HF}if len(sys.argv) == 2 and sys.argv[1].endswith('.json'):\n    (m,) = parser.parse_json_file(json_file=os.path.abspath(sys.argv[1]))\nelse:\n    (m,) = parser.parse_args_into_dataclasses()\n${NET}`;
    const files: ConfigFileSource[] = [{ name: 'args.json', path: 'args.json', text: '{"hidden": 32, "layers": 2}' }];
    expect(params(text, 'args.json', 'setting', files)).toBe(linear(32, 2));
    expect(params(text, '--hidden 8', 'directive', files)).toBe(linear(8, 1));
    expect(params(text, '', 'setting', files)).toBe(linear(16, 1));
  });

  it('words are parsed and typed as the readers take them', () => {
    expect([...commandLineOptions(['--a-b', '3', '--flag', '--c=x', 'pos', 'k=v']).options]).toEqual([['a_b', '3'], ['flag', 'true'], ['c', 'x']]);
    expect(commandLineOptions(['--a', '1', 'pos', 'k=v']).positional).toEqual(['pos']);
    expect(keyValueOverrides(['a.b=1', '+c=2', '~d', '--e=3', 'plain'])).toEqual([
      { path: ['a', 'b'], value: '1', remove: false }, { path: ['c'], value: '2', remove: false }, { path: ['d'], value: undefined, remove: true },
    ]);
    expect(typedLike('32', 16)).toBe(32);
    expect(typedLike('7', 'name')).toBe('7');
    expect(typedLike('true', false)).toBe(true);
    expect(typedLike('1e-4', 0.001)).toBe(1e-4);
    expect(typedLike('none', undefined)).toBe(null);
  });
});

describe('the floplens.overrides.args setting in the extension host', () => {
  it('reaches the analysis of an HfArgumentParser script', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-args-')));
    try {
      const { config, problems } = readConfig((k) => (k === 'overrides' ? { args: '--hidden 32 --layers 2' } : undefined));
      expect(problems).toEqual([]);
      const hardware = { ready: async () => undefined, selected: () => [] };
      const log = { debug() {}, info() {}, warn() {}, error() {} };
      const store = new AnalysisStore(analyze, () => config, hardware as never, new ModuleReader(localImports, { maxDepth: 3, maxModules: 24, maxFileBytes: 1_000_000, maxTotalBytes: 4_000_000 }), log as never);
      fake.folders = [{ uri: Uri.file(dir), name: 'ws', index: 0 }];
      const doc = document(Uri.file(path.join(dir, 'train.py')), `${HF}(m,) = parser.parse_args_into_dataclasses()\n${NET}`);
      fake.documents = [doc];
      const entry = await store.analyzeNow({ kind: 'script', document: doc as never });
      expect(entry?.analysis.model.params).toBe(linear(32, 2));
      store.dispose();
    } finally {
      fake.reset();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
