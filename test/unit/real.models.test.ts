/**
 * Models reached indirectly ("Real scripts", part 5): by a name held in a config or argument, after surgery, through an
 * unknown wrapper, built from a config, a Hugging Face id the catalog lacks, a class FlopLens cannot see into, and a
 * model called only from a handler nothing calls. One construct per test, on the whole analysis.
 */
import { describe, it, expect } from 'vitest';
import { analyze } from '../../src/core/analyze';
import * as zoo from '../../src/core/zoo';

const run = (text: string): ReturnType<typeof analyze> => analyze({ text: text.replace(/^\n/, ''), file: 'snippet.py' });
const codes = (a: ReturnType<typeof analyze>): string[] => a.problems.map((p) => p.code);
const message = (a: ReturnType<typeof analyze>, code: string): string => a.problems.find((p) => p.code === code)?.message ?? '';

describe('timm names carrying weight tags and variants resolve to the architecture', () => {
  it.each([
    ['tf_efficientnet_b4_ns', 'torchvision/efficientnet_b4'],
    ['tf_efficientnet_b7_ap', 'torchvision/efficientnet_b7'],
    ['convnext_small.fb_in22k_ft_in1k', 'torchvision/convnext_small'],
    ['vit_base_patch16_224.augreg2_in21k_ft_in1k', 'torchvision/vit_b_16'],
    ['resnet50.a1_in1k', 'torchvision/resnet50'],
  ])('%s', (name, id) => {
    expect(zoo.findModel(name, 'timm')?.id).toBe(id);
  });

  it('timm.create_model(CFG.model_name) with a config class: costed, classifier resized', () => {
    const a = run(`
import timm, torch
class CFG:
    model_name = 'tf_efficientnet_b4_ns'
model = timm.create_model(CFG.model_name, pretrained=True, num_classes=5)
x = torch.randn(16, 3, 380, 380)
y = model(x)
`);
    expect(a.model.name).toBe('EfficientNet-B4');
    // 19,341,616 with 1000 classes, less 995 classes × (1792 + 1)
    expect(a.model.params).toBe(19_341_616 - 995 * 1793);
    expect(a.step.forwardFlops / 16).toBeCloseTo(2 * 4.39e9, -9);
    expect(codes(a)).not.toContain('not-in-catalog');
  });

  it('an unknown timm name is not offered an LLM directive', () => {
    const a = run(`
import timm
model = timm.create_model('efficientnet_b3a_weird', pretrained=True)
`);
    const m = message(a, 'not-in-catalog');
    expect(m).toContain('not in the FlopLens model catalog');
    expect(m).not.toContain('decoder');
    expect(m).not.toContain('params=');
  });
});

describe('a Hugging Face id the catalog lacks', () => {
  it('TinyLlama is in the catalog (config.json figures)', () => {
    const e = zoo.findModel('TinyLlama/TinyLlama-1.1B-Chat-v1.0')!;
    expect(zoo.paramCounts(e).total).toBe(1_100_048_384);
  });

  it('fine-tunes that keep their base architecture resolve to it', () => {
    expect(zoo.findModel('HuggingFaceH4/zephyr-7b-beta')?.id).toBe('mistralai/Mistral-7B-v0.1');
    expect(zoo.findModel('lmsys/vicuna-7b-v1.5')?.id).toBe('meta-llama/Llama-2-7b-hf');
    expect(zoo.paramCounts(zoo.findModel('distilgpt2')!).total).toBe(81_912_576);
  });

  it('sentence-transformers/all-MiniLM-L6-v2 is in the catalog', () => {
    expect(zoo.paramCounts(zoo.findModel('sentence-transformers/all-MiniLM-L6-v2')!).total).toBe(22_713_216);
  });

  it('a name stating its size is costed as a LLaMA-shaped decoder of that size, and says so', () => {
    const a = run(`
from transformers import AutoModelForCausalLM
import torch
model = AutoModelForCausalLM.from_pretrained("someorg/supermodel-1.1B-chat")
ids = torch.randint(0, 32000, (2, 256))
out = model(ids)
`);
    expect(a.model.params).toBeGreaterThan(0.9e9);
    expect(a.model.params).toBeLessThan(1.3e9);
    expect(a.step.forwardFlops).toBeGreaterThan(0);
    const m = message(a, 'not-in-catalog');
    expect(m).toContain('LLaMA-shaped decoder');
    expect(m).toContain('the size its name states');
  });

  it('a name with no size stays uncosted with the directive hint', () => {
    const a = run(`
from transformers import AutoModel
model = AutoModel.from_pretrained("someorg/mystery-model")
`);
    expect(a.model.params).toBe(0);
    expect(message(a, 'not-in-catalog')).toContain('# floplens: params=');
  });
});

describe('a model built from a config', () => {
  it('LlamaForCausalLM(LlamaConfig(...)): the config fields, the rest LlamaConfig defaults', () => {
    const a = run(`
from transformers import LlamaConfig, LlamaForCausalLM
config = LlamaConfig(hidden_size=1024, num_hidden_layers=12, num_attention_heads=16, intermediate_size=2816, vocab_size=32000)
model = LlamaForCausalLM(config)
ids = torch.randint(0, 32000, (8, 1024))
out = model(input_ids=ids, labels=ids)
out.loss.backward()
`);
    // 2 × 32000 × 1024 embeddings/head + 12 × (4 × 1024² + 3 × 1024 × 2816 + 2 × 1024) + 1024
    expect(a.model.params).toBe(2 * 32000 * 1024 + 12 * (4 * 1024 * 1024 + 3 * 1024 * 2816 + 2 * 1024) + 1024);
    expect(a.model.trainableParams).toBe(a.model.params);
    expect(a.step.forwardFlops).toBeGreaterThan(2 * 8 * 1024 * 150e6);
    expect(message(a, 'config-model')).toContain('12 layers, hidden 1024');
  });

  it('AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(name)) is that catalog model', () => {
    const a = run(`
from transformers import AutoConfig, AutoModelForCausalLM
config = AutoConfig.from_pretrained("mistralai/Mistral-7B-v0.1")
model = AutoModelForCausalLM.from_config(config)
out = model(torch.randint(0, 1000, (1, 16)))
`);
    expect(a.model.name).toBe('Mistral 7B v0.1');
    expect(a.model.params).toBe(zoo.paramCounts(zoo.findModel('mistralai/Mistral-7B-v0.1')!).total);
  });

  it('AutoConfig.from_pretrained(name, num_hidden_layers=4) overrides the depth', () => {
    const a = run(`
from transformers import AutoConfig, AutoModelForCausalLM
config = AutoConfig.from_pretrained("gpt2", n_layer=4)
model = AutoModelForCausalLM.from_config(config)
out = model(torch.randint(0, 1000, (1, 16)))
`);
    // GPT-2 124M less 8 of its 12 blocks (7,087,872 parameters each)
    expect(a.model.params).toBe(124_439_808 - 8 * 7_087_872);
  });

  it('config attributes set after construction count', () => {
    const a = run(`
from transformers import GPT2Config, GPT2LMHeadModel
cfg = GPT2Config()
cfg.n_layer = 6
model = GPT2LMHeadModel(cfg)
out = model(torch.randint(0, 1000, (1, 16)))
`);
    expect(a.model.params).toBe(124_439_808 - 6 * 7_087_872);
  });
});

describe('a model class FlopLens cannot see into, sized by directives', () => {
  it('costs it in the training loop and says how', () => {
    const a = run(`
import torch
from mylib import BigModel
# floplens: params=1e9
model = BigModel()
opt = torch.optim.AdamW(model.parameters())
for step in range(500):
    x = torch.randint(0, 32000, (8, 512))
    loss = model(x).mean()
    loss.backward()
    opt.step()
`);
    expect(a.model.params).toBeGreaterThan(0.99e9);
    expect(a.model.params).toBeLessThan(1.01e9);
    expect(a.step.forwardFlops).toBeGreaterThan(2 * 8 * 512 * 0.9e9);
    expect(message(a, 'directive-model')).toContain('cannot see into');
  });
});

describe('a model by a name held in a variable', () => {
  it('models.__dict__[args.arch]() with an argparse default', () => {
    const a = run(`
import argparse, torch
import torchvision.models as models
parser = argparse.ArgumentParser()
parser.add_argument('--arch', default='resnet50')
args = parser.parse_args()
model = models.__dict__[args.arch]()
out = model(torch.randn(2, 3, 224, 224))
`);
    expect(a.model.name).toBe('ResNet-50');
    expect(a.model.params).toBe(25_557_032);
  });

  it('getattr(torchvision.models, name)() and torchvision.models.get_model(name)', () => {
    const a = run(`
import torch, torchvision
name = "resnet34"
m = getattr(torchvision.models, name)()
out = m(torch.randn(2, 3, 224, 224))
`);
    expect(a.model.params).toBe(21_797_672);
    const b = run(`
import torch, torchvision
m = torchvision.models.get_model("vit_b_16", weights="DEFAULT")
out = m(torch.randn(2, 3, 224, 224))
`);
    expect(b.model.params).toBe(86_567_656);
  });
});

describe('a catalog model after surgery', () => {
  it('nn.Sequential(*list(m.children())[:-1]) drops the classifier and keeps the pooled features', () => {
    const a = run(`
import torch, torch.nn as nn, torchvision
m = torchvision.models.resnet50()
backbone = nn.Sequential(*list(m.children())[:-1])
feats = backbone(torch.randn(4, 3, 224, 224))
`);
    // ResNet-50 less fc (2048 × 1000 + 1000)
    expect(a.model.params).toBe(25_557_032 - 2_049_000);
    expect(a.step.forwardFlops / 4).toBeGreaterThan(2 * 4.0e9);
    expect(a.step.forwardFlops / 4).toBeLessThan(2 * 4.1e9);
  });

  it('children()[:-2] leaves the feature map; its shape is the model’s', () => {
    const a = run(`
import torch, torch.nn as nn, torchvision
m = torchvision.models.resnet18()
body = nn.Sequential(*list(m.children())[:-2])
y = body(torch.randn(2, 3, 224, 224))
z = y.mean()
`);
    expect(a.model.params).toBe(11_689_512 - 513_000);
  });

  it('m.features of VGG-16 is its convolutional part', () => {
    const a = run(`
import torch, torchvision
vgg = torchvision.models.vgg16(weights="DEFAULT")
f = vgg.features
y = f(torch.randn(2, 3, 224, 224))
`);
    expect(a.model.params).toBe(14_714_688);
  });

  it('model.fc = nn.Identity() removes the classifier', () => {
    const a = run(`
import torch, torchvision
model = torchvision.models.resnet18()
model.fc = torch.nn.Identity()
emb = model(torch.randn(8, 3, 224, 224))
`);
    expect(a.model.params).toBe(11_689_512 - 513_000);
  });

  it('model.conv1 replaced: the new layer runs in its place (its parameters and FLOPs, the rest of the model unchanged)', () => {
    const stock = run(`
import torch, torchvision
model = torchvision.models.resnet18()
out = model(torch.randn(8, 3, 224, 224))
`);
    const a = run(`
import torch, torchvision
model = torchvision.models.resnet18()
model.conv1 = torch.nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
out = model(torch.randn(8, 1, 224, 224))
`);
    expect(a.model.params).toBe(11_689_512 - 64 * 3 * 49 + 64 * 1 * 49);
    // conv1 on one channel instead of three: 2 x 8 x 64 x 112 x 112 x (3 - 1) x 49 fewer FLOPs.
    expect(stock.step.forwardFlops - a.step.forwardFlops).toBe(2 * 8 * 64 * 112 * 112 * 2 * 49);
  });
});

describe('a model through an unknown function', () => {
  it('model = some_lib.setup_model(model) is still the model, stated', () => {
    const a = run(`
import torch, torchvision
import helpers_lib
model = torchvision.models.resnet18()
model = helpers_lib.setup_model(model)
out = model(torch.randn(8, 3, 224, 224))
`);
    expect(a.model.params).toBe(11_689_512);
    expect(message(a, 'module-passthrough')).toContain('assumed to return the same model');
  });

  it('a function whose name reads as a count does not become the model', () => {
    const a = run(`
import torch, torchvision
import helpers_lib
model = torchvision.models.resnet18()
n = helpers_lib.count_parameters(model)
out = model(torch.randn(8, 3, 224, 224))
`);
    expect(codes(a)).not.toContain('module-passthrough');
  });
});

describe('a model called only inside a function nothing calls', () => {
  it('a web handler: one request of batch 1, stated', () => {
    const a = run(`
import torch, torchvision
from flask import Flask
app = Flask(__name__)
model = torchvision.models.resnet50(weights="DEFAULT").eval()
@app.route("/predict", methods=["POST"])
def predict():
    x = preprocess(request.files["img"])
    with torch.no_grad():
        return model(x).argmax().item()
`);
    expect(a.model.params).toBe(25_557_032);
    expect(a.step.batch).toBe(1);
    expect(a.step.forwardFlops).toBeCloseTo(2 * 4.09e9, -8);
    expect(message(a, 'no-call')).toContain('one request');
  });

  it('an LLM behind a handler: one generate() call', () => {
    const a = run(`
from transformers import AutoModelForCausalLM, AutoTokenizer
name = "TinyLlama/TinyLlama-1.1B-Chat-v1.0"
tok = AutoTokenizer.from_pretrained(name)
model = AutoModelForCausalLM.from_pretrained(name)
def chat(msg):
    ids = tok(msg, return_tensors="pt").input_ids
    return tok.decode(model.generate(ids, max_new_tokens=64)[0])
`);
    expect(a.model.params).toBe(1_100_048_384);
    expect(a.step.forwardFlops).toBeGreaterThan(0);
    expect(message(a, 'no-call')).toContain('generate()');
  });
});

describe('a model from an unseen factory function, sized by directives', () => {
  it('model = load_model(path) with params/layers/hidden: costed in the loop, stated', () => {
    const a = run(`
import torch
from my_project.utils import load_model
# floplens: params=3e9 layers=26 hidden=3072
model = load_model("checkpoints/best.ckpt")
model.eval()
with torch.no_grad():
    for batch in range(100):
        ids = torch.randint(0, 32000, (4, 256))
        logits = model(ids)
`);
    expect(a.model.name).toContain('load_model');
    expect(Math.abs(a.model.params / 3e9 - 1)).toBeLessThan(0.01);
    expect(a.step.forwardFlops).toBeGreaterThan(2 * 4 * 256 * 2.5e9);
    expect(message(a, 'directive-model')).toContain('load_model');
  });

  it('without directives it stays unknown (no silent size)', () => {
    const a = run(`
import torch
from my_project.utils import load_model
model = load_model("checkpoints/best.ckpt")
logits = model(torch.randint(0, 32000, (4, 256)))
`);
    expect(a.model.params).toBe(0);
    expect(codes(a)).toContain('uncounted');
    expect(message(a, 'model-unseen')).toContain('# floplens: params=');
  });
});

describe('transformers classes named like models that are not models', () => {
  it('DataCollatorForLanguageModeling(tokenizer) is not a model built from a config', () => {
    const a = run(`
from transformers import AutoTokenizer, DataCollatorForLanguageModeling, AutoModelForCausalLM
tok = AutoTokenizer.from_pretrained("gpt2")
model = AutoModelForCausalLM.from_pretrained("gpt2")
collator = DataCollatorForLanguageModeling(tok, mlm=False)
`);
    expect(a.problems.filter((p) => /DataCollator/.test(p.message))).toEqual([]);
    expect(a.model.params).toBeGreaterThan(124e6);
  });
});
