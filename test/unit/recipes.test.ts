/**
 * Models reached through a package's recipe (issue 14, cause 5): a torchtune recipe's `@config.parse` main runs with
 * the config its command line names (`--config <name>` resolved in the recipes' config folder, `key=value`
 * overrides), torchtune's model builders are the catalog architecture of the same model (LoRA rank and targets from
 * the config), its dataset builders are catalog datasets, and a `while` loop that counts optimizer steps under
 * gradient accumulation has accum × steps passes. A recipe whose config cannot be found says so.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../../src/core/analyze';
import type { ConfigFileSource } from '../../src/core/api';
import { configFileNames, recipeConfigCandidates, commandLineConfig } from '../../src/core/configFiles';
import { lookupModule } from '../../src/core/moduleResolve';
import { torchtuneBuilder } from '../../src/core/interpret/lib/torchtune';
import { analyzeFile } from '../../src/cli/analyzeFile';

const file = (name: string, text: string, where = name): ConfigFileSource => ({ name, path: where, text });

/** A recipe in torchtune's style: a class set up from the config, an epoch loop over a loader, accumulation. */
const RECIPE = `
import sys
import torch
from torchtune import config, training
from torchdata.stateful_dataloader import StatefulDataLoader

class Recipe:
    def __init__(self, cfg):
        self.epochs = cfg.epochs
        self.accum = cfg.gradient_accumulation_steps

    def setup(self, cfg):
        self.model = config.instantiate(cfg.model)
        self.opt = config.instantiate(cfg.optimizer, self.model.parameters())
        ds = config.instantiate(cfg.dataset, None)
        self.loader = StatefulDataLoader(dataset=ds, batch_size=cfg.batch_size, drop_last=True)

    def train(self):
        for epoch in range(self.epochs):
            for idx, batch in enumerate(self.loader):
                out = self.model(**batch)
                loss = out.sum()
                loss.backward()
                if (idx + 1) % self.accum == 0:
                    self.opt.step()
                    self.opt.zero_grad()

@config.parse
def recipe_main(cfg):
    recipe = Recipe(cfg=cfg)
    recipe.setup(cfg=cfg)
    recipe.train()

if __name__ == "__main__":
    sys.exit(recipe_main())
`;

const LORA_YAML = `
model:
  _component_: torchtune.models.llama3_2.lora_llama3_2_1b
  lora_attn_modules: ['q_proj', 'v_proj', 'output_proj']
  apply_lora_to_mlp: True
  lora_rank: 64
  lora_alpha: 128
dataset:
  _component_: torchtune.datasets.alpaca_cleaned_dataset
  packed: False
batch_size: 4
optimizer:
  _component_: torch.optim.AdamW
  lr: 3e-4
epochs: 1
gradient_accumulation_steps: 8
`;

const CONFIG = file('configs/llama3_2/1B_lora.yaml', LORA_YAML, 'recipes/configs/llama3_2/1B_lora.yaml');
const withArgs = (args: string, seq = 512) => `# floplens: args="${args}" seq=${seq}\n${RECIPE}`;

describe('a torchtune recipe run with --config', () => {
  it('runs @config.parse with the named config: the LoRA builder is Llama 3.2 1B with rank-64 adapters on q, v, o and the MLP', () => {
    const a = analyze({ text: withArgs('--config llama3_2/1B_lora'), file: 'recipes/lora.py', files: [CONFIG] });
    // Llama 3.2 1B (1,235,814,400) + r=64 adapters: 16 layers × 64 × (q 2048+2048, v 2048+512, o 2048+2048, gate/up 2048+8192 ×2, down 8192+2048).
    expect(a.model.params).toBe(1_278_281_728);
    expect(a.model.trainableParams).toBe(42_467_328);
    expect(a.run.mode).toBe('train');
    expect(a.step.batch).toBe(4);
    expect(a.step.microBatches).toBe(8);
    // alpaca-cleaned's 51,760 rows in batches of 4 (drop_last), one optimizer step per 8.
    expect(a.run.steps).toBe(Math.floor(Math.floor(51_760 / 4) / 8));
    expect(a.problems.find((p) => p.code === 'config-file')?.message).toMatch(/recipes\/configs\/llama3_2\/1B_lora\.yaml \(--config llama3_2\/1B_lora\)/);
    expect(a.problems.some((p) => p.code === 'directive-unused' && /args=/.test(p.message))).toBe(false);
  });

  it('applies the command line\'s key=value overrides to the config', () => {
    const a = analyze({ text: withArgs('--config llama3_2/1B_lora batch_size=8 gradient_accumulation_steps=1 model.lora_rank=8'), file: 'recipes/lora.py', files: [CONFIG] });
    expect(a.step.batch).toBe(8);
    expect(a.step.microBatches).toBe(1);
    expect(a.run.steps).toBe(Math.floor(51_760 / 8));
    expect(a.model.trainableParams).toBe(42_467_328 / 8);
  });

  it('a full-model builder trains every parameter; a qlora builder keeps 4-bit base weights', () => {
    const full = LORA_YAML.replace(/model:\n(  .*\n)+/, 'model:\n  _component_: torchtune.models.llama3_2.llama3_2_1b\n');
    const a = analyze({ text: withArgs('--config cfg.yaml'), file: 'r.py', files: [file('cfg.yaml', full)] });
    expect(a.model.params).toBe(1_235_814_400);
    expect(a.model.trainableParams).toBe(1_235_814_400);
    const q = analyze({ text: withArgs('--config cfg.yaml'), file: 'r.py', files: [file('cfg.yaml', LORA_YAML.replace('lora_llama3_2_1b', 'qlora_llama3_2_1b'))] });
    expect(q.model.trainableParams).toBe(42_467_328);
    expect(q.memory.weights).toBeLessThan(a.memory.weights / 4);
  });

  it('without a command line, takes the config the recipe\'s own docstring shows it run with, stated', () => {
    const documented = `"""Run with: tune run lora --config llama3_2/1B_lora"""\n${RECIPE}`;
    expect(configFileNames([documented])).toContain('configs/llama3_2/1B_lora.yaml');
    const a = analyze({ text: `# floplens: seq=512\n${documented}`, file: 'recipes/lora.py', files: [CONFIG] });
    expect(a.model.params).toBe(1_278_281_728);
    expect(a.problems.find((p) => p.code === 'recipe-config')?.message).toMatch(/no command line given; the recipe is taken as run with --config llama3_2\/1B_lora, as its own documentation shows/);
  });

  it('without --config, or with a config the workspace lacks, says so and names the directive (never a silent empty model)', () => {
    const none = analyze({ text: RECIPE, file: 'recipes/lora.py', files: [CONFIG] });
    expect(none.problems.find((p) => p.code === 'recipe-config')?.message).toMatch(/--config <name>.*# floplens: args="--config/);
    const lost = analyze({ text: withArgs('--config llama3_1/8B_lora'), file: 'recipes/lora.py', files: [CONFIG] });
    expect(lost.problems.find((p) => p.code === 'recipe-config')?.message).toMatch(/'llama3_1\/8B_lora'.*configs\/llama3_1\/8B_lora\.yaml.*tune cp/);
  });
});

describe('recipe configs the host is asked for', () => {
  it('a --config name is the recipes\' configs folder (or a path to a YAML file as given)', () => {
    expect(commandLineConfig('--config llama3_2/1B_lora checkpointer.dir=/tmp')).toBe('llama3_2/1B_lora');
    expect(commandLineConfig('--config=my.yaml')).toBe('my.yaml');
    expect(recipeConfigCandidates('llama3_2/1B_lora')).toEqual(['configs/llama3_2/1B_lora.yaml', 'recipes/configs/llama3_2/1B_lora.yaml', 'llama3_2/1B_lora.yaml']);
    expect(recipeConfigCandidates('./my_config.yaml')).toEqual(['my_config.yaml']);
    expect(configFileNames([withArgs('--config llama3_2/1B_lora')])).toContain('configs/llama3_2/1B_lora.yaml');
  });

  it('the CLI reads the config beside the recipe, with the command line from --set args=', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-recipe-'));
    try {
      fs.mkdirSync(path.join(dir, 'recipes', 'configs', 'llama3_2'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'recipes', 'lora.py'), RECIPE);
      fs.writeFileSync(path.join(dir, 'recipes', 'configs', 'llama3_2', '1B_lora.yaml'), LORA_YAML);
      const a = analyzeFile(path.join(dir, 'recipes', 'lora.py'), { root: dir, overrides: { args: '--config llama3_2/1B_lora', seq: '512' } });
      expect(a.model.params).toBe(1_278_281_728);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an import of torchtune is the library FlopLens describes, not a copy of its source in the workspace', () => {
    expect(lookupModule('torchtune.config', { name: '', path: 'recipes/lora.py' }, 'recipes')).toBeUndefined();
    expect(lookupModule('models.unet', { name: '', path: 'train.py' }, '')?.candidates[0]).toBe('models/unet.py');
  });
});

describe('torchtune model builders', () => {
  it('name the catalog architecture of the same model, with the adapter kind', () => {
    expect(torchtuneBuilder('llama3_2_1b')).toEqual({ id: 'meta-llama/Llama-3.2-1B', adapter: undefined });
    expect(torchtuneBuilder('lora_qwen2_5_1_5b_instruct')).toEqual({ id: 'Qwen/Qwen2.5-1.5B', adapter: 'lora' });
    expect(torchtuneBuilder('qlora_llama3_1_8b')).toEqual({ id: 'meta-llama/Llama-3.1-8B', adapter: 'qlora' });
    expect(torchtuneBuilder('llama3_2_vision_transform')).toBeUndefined();
  });
});

describe('a while loop counting optimizer steps under gradient accumulation', () => {
  it('has accum passes per step: while step < N with step += 1 every accum-th batch', () => {
    const text = `
import torch
import torch.nn as nn
model = nn.Linear(16, 4)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
accum = 4
max_steps = 250
step = 0
i = 0
while step < max_steps:
    x = torch.randn(8, 16)
    loss = model(x).sum()
    loss.backward()
    if (i + 1) % accum == 0:
        opt.step()
        opt.zero_grad()
        step += 1
    i += 1
`;
    const a = analyze({ text, file: 'accum.py' });
    expect(a.step.microBatches).toBe(4);
    expect(a.run.steps).toBe(250);
  });
});
