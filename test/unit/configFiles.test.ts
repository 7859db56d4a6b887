/**
 * Config files a script reads from its workspace (issue 14, point 8): the names the core asks the host for, the
 * values of `yaml.safe_load(open(p))`, `json.load(f)`, `f.read()`, `OmegaConf.load(p)` and Hydra's `@hydra.main` /
 * `compose` with defaults lists, what a missing or malformed file gives, YAML through the `yaml` library, and the
 * CLI reading them from a folder (never outside it).
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('vscode', async () => (await import('./securityFakes')).vscode);
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { check } from './snippetCheck';
import { analyze, localImports } from '../../src/core/analyze';
import type { ConfigFileSource } from '../../src/core/api';
import { composeHydra, configFileKey, configFileNames } from '../../src/core/configFiles';
import { parseYamlText } from '../../src/core/interpret/configText';
import { analyzeFile } from '../../src/cli/analyzeFile';
import { ModuleReader } from '../../src/extension/moduleReader';
import { fake, Uri } from './securityFakes';

const file = (name: string, text: string, where = name): ConfigFileSource => ({ name, path: where, text });

const VAE_YAML = `
model_params:
  name: 'VanillaVAE'
  in_channels: 3
  latent_dim: 128
data_params:
  train_batch_size: 64
exp_params:
  LR: 0.005
  weight_decay: 0.0
trainer_params:
  max_epochs: 100
`;

describe('config files the script reads', () => {
  it('yaml.safe_load(open(path)) with an argparse default path gives the file\'s values', () => {
    check(`
import argparse, yaml
parser = argparse.ArgumentParser()
parser.add_argument('--config', '-c', dest='filename', default='configs/vae.yaml')
args = parser.parse_args()
with open(args.filename, 'r') as file:
    config = yaml.safe_load(file)
latent = config['model_params']['latent_dim']
bs = config['data_params']['train_batch_size']
lr = config['exp_params']['LR']
`, `
latent = 128
bs = 64
lr = 0.005
`, [file('configs/vae.yaml', VAE_YAML)]);
  });

  it('json.load(f), json.loads(f.read()) and yaml.safe_load(f.read()) read the file; ./ and a/../ name the same file', () => {
    const files = [file('config.json', '{"hidden": 256, "layers": [1, 2]}'), file('cfg/train.yml', 'epochs: 7\nuse_amp: yes\n')];
    check(`
import json, yaml
with open('./config.json') as f:
    a = json.load(f)
b = json.loads(open('config.json').read())
c = yaml.safe_load(open('cfg/x/../train.yml').read())
h = a['hidden']
n = b['layers']
e = c['epochs']
amp = c['use_amp']
`, `
h = 256
n = [1, 2]
e = 7
amp = true
`, files);
  });

  it('OmegaConf.load(path) is a namespace: attribute and item access, ${} interpolation left to compose', () => {
    check(`
from omegaconf import OmegaConf
cfg = OmegaConf.load('conf/train.yaml')
d = cfg.model.dim
e = cfg['train']['epochs']
plain = OmegaConf.to_container(cfg)
k = plain['model']['dim']
`, `
d = 512
e = 3
k = 512
`, [file('conf/train.yaml', 'model:\n  dim: 512\ntrain:\n  epochs: 3\n')]);
  });

  it('DictConfig.get(k, default), keys() and items(); vars(args).update(cfg) and args.__dict__.update(cfg) put the file\'s values on the namespace', () => {
    check(`
import argparse, yaml
from omegaconf import OmegaConf
o = OmegaConf.load('configs/c.yaml')
g = o.get('batch_size', 3)
g2 = o.get('missing', 3)
dm = o.model.get('dim')
ks = list(o.keys())
n = 0
for k, v in o.items():
    n += 1
p = argparse.ArgumentParser()
p.add_argument('--config', default='configs/c.yaml')
p.add_argument('--batch_size', type=int, default=1)
a = p.parse_args()
vars(a).update(yaml.safe_load(open(a.config)))
bs = a.batch_size
b = p.parse_args()
b.__dict__.update(yaml.safe_load(open(b.config)))
lr = b.lr
`, `
g = 12
g2 = 3
dm = 7
ks = ["lr", "batch_size", "model"]
n = 3
bs = 12
lr = 0.1
`, [file('configs/c.yaml', 'lr: 0.1\nbatch_size: 12\nmodel:\n  dim: 7\n')]);
  });

  it('a model built from a YAML file is counted, and the analysis says which file the values came from', () => {
    const text = `
import yaml, torch, torch.nn as nn
cfg = yaml.safe_load(open('configs/mlp.yaml'))
model = nn.Sequential(nn.Linear(cfg['d_in'], cfg['hidden']), nn.ReLU(), nn.Linear(cfg['hidden'], 10))
x = torch.randn(cfg['batch_size'], cfg['d_in'])
print(model(x).shape)
`;
    const a = analyze({ text, file: 'train.py', files: [file('configs/mlp.yaml', 'd_in: 100\nhidden: 200\nbatch_size: 16\n', 'exp/configs/mlp.yaml')] });
    expect(a.model.params).toBe(100 * 200 + 200 + 200 * 10 + 10);
    expect(a.step.batch).toBe(16);
    expect(a.problems.some((p) => p.code === 'config-file' && p.message.includes('exp/configs/mlp.yaml'))).toBe(true);
    // Without the file: no parameters from it, and the missing file is said (a partial result, not a crash).
    const b = analyze({ text, file: 'train.py' });
    expect(b.problems.some((p) => p.code === 'config-file' && /'configs\/mlp\.yaml' was not found/.test(p.message))).toBe(true);
    expect(b.model.params).not.toBe(a.model.params);
  });

  it('a malformed config file is a warning and its values are unknown', () => {
    const a = analyze({ text: "import yaml\ncfg = yaml.safe_load(open('c.yaml'))\nn = cfg['n']\n", file: 't.py', files: [file('c.yaml', 'a: [1, 2\nb: : :\n')] });
    const w = a.problems.find((p) => p.code === 'config-file');
    expect(w?.severity).toBe('warning');
    expect(w?.message).toMatch(/c\.yaml could not be read as YAML/);
  });
});

describe('Hydra', () => {
  const conf = [
    file('conf/config.yaml', 'defaults:\n  - model: small\n  - optimizer@optim: adam\n  - override hydra/launcher: basic\n  - _self_\ntrain:\n  batch_size: 8\n  width: ${model.hidden}\nmodel:\n  layers: 3\n'),
    file('conf/model/small.yaml', 'hidden: 64\nlayers: 2\n'),
    file('conf/optimizer/adam.yaml', 'lr: 0.001\n'),
  ];

  it('composes the primary config with its defaults list: group options at their package, _self_ last wins, hydra/ groups skipped, ${} resolved', () => {
    const c = composeHydra('conf', 'config', (k) => conf.find((f) => f.name === k)?.text);
    expect(c.value).toEqual({ model: { hidden: 64, layers: 3 }, optim: { lr: 0.001 }, train: { batch_size: 8, width: 64 } });
    expect(c.used).toEqual(['conf/config.yaml', 'conf/model/small.yaml', 'conf/optimizer/adam.yaml']);
    expect(c.missing).toEqual([]);
  });

  it('@hydra.main calls the function with the composed config (DictConfig attribute access)', () => {
    const text = `
import hydra, torch, torch.nn as nn
from omegaconf import DictConfig

@hydra.main(version_base=None, config_path="conf", config_name="config")
def main(cfg: DictConfig) -> None:
    model = nn.Linear(cfg.model.hidden, cfg.train.width * 2)
    x = torch.randn(cfg.train.batch_size, cfg.model.hidden)
    y = model(x)

if __name__ == "__main__":
    main()
`;
    const a = analyze({ text, file: 'app.py', files: conf });
    expect(a.model.params).toBe(64 * 128 + 128);
    expect(a.step.batch).toBe(8);
    expect(a.problems.find((p) => p.code === 'config-file')?.message).toMatch(/composed from the workspace files conf\/config\.yaml, conf\/model\/small\.yaml/);
  });

  it('initialize(config_path) + compose(config_name) give the same config', () => {
    check(`
from hydra import initialize, compose
with initialize(version_base=None, config_path="conf"):
    cfg = compose(config_name="config")
h = cfg.model.hidden
lr = cfg.optim.lr
`, `
h = 64
lr = 0.001
`, conf);
  });

  it('names the files to read: the primary first, then (with it read) the group files its defaults list names', () => {
    const text = '@hydra.main(config_path="conf", config_name="config")\ndef main(cfg): pass\n';
    expect(configFileNames([text])).toEqual(['conf/config.yaml']);
    expect(configFileNames([text], conf.slice(0, 1))).toEqual(['conf/config.yaml', 'conf/model/small.yaml', 'conf/optimizer/adam.yaml']);
  });
});

describe('instantiate: objects a config names by _target_', () => {
  it('hydra.utils.instantiate builds a library class from the node\'s other keys, the call\'s own arguments added; _partial_ gives a partial', () => {
    const text = `
import hydra, torch
from hydra.utils import instantiate
@hydra.main(config_path="conf", config_name="config")
def main(cfg):
    model = instantiate(cfg.model)
    opt = hydra.utils.instantiate(cfg.optim, params=model.parameters())
    x = torch.randn(cfg.batch, 16)
    loss = model(x).sum()
    loss.backward()
    opt.step()
main()
`;
    const yaml = 'batch: 4\nmodel:\n  _target_: torch.nn.Linear\n  in_features: 16\n  out_features: 32\noptim:\n  _target_: torch.optim.AdamW\n  _partial_: false\n  lr: 0.001\n';
    const a = analyze({ text, file: 'a.py', files: [file('conf/config.yaml', yaml)] });
    expect(a.model.params).toBe(16 * 32 + 32);
    expect(a.step.batch).toBe(4);
    expect(a.run.mode).toBe('train');
    expect(a.run.optimizer).toBe('adamw');
    check(`
from omegaconf import OmegaConf
from hydra.utils import instantiate
cfg = OmegaConf.load('m.yaml')
make = instantiate(cfg.layer)
layer = make(out_features=5)
w = layer.weight.shape
`, 'w = (5, 3)', [file('m.yaml', 'layer:\n  _target_: torch.nn.Linear\n  _partial_: true\n  in_features: 3\n')]);
  });

  it('a _target_ in the script\'s own modules is read by the CLI although the script does not import it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-target-'));
    try {
      fs.mkdirSync(path.join(dir, 'conf'));
      fs.mkdirSync(path.join(dir, 'nets'));
      fs.writeFileSync(path.join(dir, 'nets', '__init__.py'), '');
      fs.writeFileSync(path.join(dir, 'nets', 'mlp.py'), 'import torch.nn as nn\nclass MLP(nn.Module):\n    def __init__(self, width):\n        super().__init__()\n        self.fc = nn.Linear(width, width)\n    def forward(self, x):\n        return self.fc(x)\n');
      fs.writeFileSync(path.join(dir, 'conf', 'train.yaml'), 'net:\n  _target_: nets.mlp.MLP\n  width: 20\n');
      fs.writeFileSync(path.join(dir, 'train.py'), `
import hydra, torch
from hydra.utils import instantiate
@hydra.main(config_path="conf", config_name="train")
def run(cfg):
    net = instantiate(cfg.net)
    y = net(torch.randn(2, 20))
if __name__ == "__main__":
    run()
`);
      const a = analyzeFile(path.join(dir, 'train.py'), { root: dir });
      expect(a.model.params).toBe(20 * 20 + 20);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('which files a host reads', () => {
  it('path-like literals ending in .yaml/.yml/.json, also on a directive command line; never absolute or a home path', () => {
    const text = `
parser.add_argument('--config', default="configs/vae.yaml")
cfg = json.load(open('./data/../params.json'))
other = "/etc/secret.yaml"
home = '~/x.yaml'
weights = 'model.pt'
# floplens: args="--config configs/big.yml"
`;
    expect(configFileNames([text]).sort()).toEqual(['configs/big.yml', 'configs/vae.yaml', 'params.json']);
    expect(configFileKey('../up.yaml')).toBe('../up.yaml');
    expect(configFileKey('a/./b/../c.yaml')).toBe('a/c.yaml');
    expect(configFileKey('C:\\x.yaml')).toBeUndefined();
  });
});

describe('YAML through the yaml library (inline text too)', () => {
  it('reads YAML 1.1 as PyYAML does: yes/no booleans, 1e-4 numbers, anchors and merges, block scalars; bad text is undefined', () => {
    expect(parseYamlText('a: yes\nb: off\nc: 1e-4\nd: 0x10\n')).toEqual({ a: true, b: false, c: 1e-4, d: 16 });
    expect(parseYamlText('base: &b {lr: 0.1, wd: 0}\nrun:\n  <<: *b\n  lr: 0.2\n')).toEqual({ base: { lr: 0.1, wd: 0 }, run: { lr: 0.2, wd: 0 } });
    expect(parseYamlText('note: |\n  two\n  lines\nlist:\n- 1\n- [2, 3]\n')).toEqual({ note: 'two\nlines\n', list: [1, [2, 3]] });
    expect(parseYamlText('a: [1, 2\n')).toBeUndefined();
    expect(parseYamlText('x'.repeat(1_000_001))).toBeUndefined();
  });

  it('yaml.safe_load of an inline string still gives its values', () => {
    check(`
import yaml
cfg = yaml.safe_load("""
model:
  n_layer: 12
  dropout: 0.1
""")
n = cfg['model']['n_layer']
`, 'n = 12');
  });
});

describe('the CLI reads the config files from the script\'s folder', () => {
  it('reads configs/x.yaml beside the script (then at the root), and never a file outside the root', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-cfg-'));
    try {
      const root = path.join(dir, 'ws');
      fs.mkdirSync(path.join(root, 'exp', 'configs'), { recursive: true });
      fs.mkdirSync(path.join(root, 'shared'), { recursive: true });
      fs.writeFileSync(path.join(root, 'exp', 'configs', 'mlp.yaml'), 'd_in: 32\nhidden: 48\n');
      fs.writeFileSync(path.join(root, 'shared', 'data.json'), '{"batch_size": 4}');
      fs.writeFileSync(path.join(dir, 'outside.yaml'), 'd_in: 1000\n');
      fs.writeFileSync(path.join(root, 'exp', 'train.py'), `
import json, yaml, torch, torch.nn as nn
cfg = yaml.safe_load(open('configs/mlp.yaml'))
data = json.load(open('shared/data.json'))
leak = yaml.safe_load(open('../../outside.yaml'))
model = nn.Linear(cfg['d_in'], cfg['hidden'])
y = model(torch.randn(data['batch_size'], cfg['d_in']))
`);
      const a = analyzeFile(path.join(root, 'exp', 'train.py'), { root });
      expect(a.model.params).toBe(32 * 48 + 48);
      expect(a.step.batch).toBe(4);
      const said = a.problems.filter((p) => p.code === 'config-file').map((p) => p.message).join('\n');
      expect(said).toMatch(/exp\/configs\/mlp\.yaml/);
      expect(said).toMatch(/shared\/data\.json/);
      expect(said).toMatch(/'\.\.\/\.\.\/outside\.yaml' was not found/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the extension reads the config files through the workspace file system', () => {
  it('beside the script, then at the folder root, Hydra group files in a second round, modules a _target_ names; nothing outside the folder', async () => {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-cfgx-')));
    try {
      const ws = path.join(tmp, 'ws');
      fs.mkdirSync(path.join(ws, 'sub', 'conf', 'model'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'sub', 'conf', 'config.yaml'), 'defaults:\n  - model: tiny\n');
      fs.writeFileSync(path.join(ws, 'sub', 'conf', 'model', 'tiny.yaml'), 'hidden: 8\n_target_: nets.mlp.MLP\n');
      fs.mkdirSync(path.join(ws, 'sub', 'nets'));
      fs.writeFileSync(path.join(ws, 'sub', 'nets', 'mlp.py'), 'class MLP: pass\n');
      fs.writeFileSync(path.join(ws, 'data.json'), '{"n": 1}');
      fs.writeFileSync(path.join(tmp, 'secret.yaml'), 'x: 1\n');
      fake.reset();
      fake.folders = [{ uri: Uri.file(ws), name: 'ws', index: 0 }];
      const script = "@hydra.main(config_path='conf', config_name='config')\ndef main(cfg): pass\nd = json.load(open('data.json'))\ns = yaml.safe_load(open('../../secret.yaml'))\n";
      const r = await new ModuleReader(localImports).read(Uri.file(path.join(ws, 'sub', 'train.py')) as never, [script]);
      expect((r.files ?? []).map((f) => [f.name, f.path])).toEqual([['data.json', 'data.json'], ['conf/config.yaml', 'sub/conf/config.yaml'], ['conf/model/tiny.yaml', 'sub/conf/model/tiny.yaml']]);
      expect(r.modules.map((m) => [m.name, m.path])).toEqual([['nets.mlp', 'sub/nets/mlp.py']]);
      expect(fake.touched.filter((u) => !u.startsWith(`file://${ws}/`))).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
