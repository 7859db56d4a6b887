"""Group e drivers: a HELD-OUT group of modern LLM / Hugging Face / serving-style scripts (issue 14).

None of these scripts (nor their repositories) was used while FlopLens was developed: the group measures how it
generalises. Styles: Accelerate loops (training and pipeline-parallel inference), Hugging Face Trainer scripts configured
through HfArgumentParser dataclasses, fire / torchtune-config entry points, and a from-scratch GPT-2 trainer. Each driver
mirrors ONE iteration of the script's loop body (see corpus/README.md). Models that live in libraries not installed here
(transformers, peft, timm for resnet50d comes from the c group's timm checkout) are given in closed form from their
published configs, checked inside each driver against our own plain-PyTorch re-implementation at a reduced size (the
check raises when the formula and the counter disagree). No public code is copied here.

Conventions of the closed forms are those of drivers/c.py (matmul FLOPs only, multiply-add = 2; attention QK^T + PV =
4*B*S_q*S_k*hidden per layer, halved for causal decoders that transformers runs through SDPA with is_causal).
"""
import math
import sys

import corpus_driver as D
from corpus_driver import driver, images, labels, ceil_div, M
import torch
import torch.nn as nn
import torch.nn.functional as F



def _load_c():
    """drivers/c.py as a module, to reuse its closed forms and re-implementations rather than copying them (its
    drivers register into a throw-away table: measure.py registers them itself)."""
    import importlib.util
    from pathlib import Path
    spec = importlib.util.spec_from_file_location("corpus_drivers_c_shared", Path(__file__).with_name("c.py"))
    mod = importlib.util.module_from_spec(spec)
    kept, D.DRIVERS = D.DRIVERS, {}
    try:
        spec.loader.exec_module(mod)
    finally:
        D.DRIVERS = kept
    return mod


C = _load_c()

MRPC_TRAIN = 3_668     # GLUE MRPC train split (nyu-mll/glue dataset card: 3,668 rows)
ALPACA_52K = 52_002    # tatsu-lab/stanford_alpaca alpaca_data.json: 52,002 instructions (the repository's README)
ALPACA_CLEANED = 51_760  # yahma/alpaca-cleaned (dataset card: 51,760 rows)


def _argparse_main(ctx, ns, fn_name="main"):
    """argparse defaults of a parser built inside the script's main(): run main() up to its parse_args()."""
    return C._argparse_defaults(ns[fn_name], ctx.argv)


# ---------------------------------------------------------------------------------------------
# BERT (encoder) in closed form: post-LN, GELU, learned positions, token types; our re-implementation below.

BERT_BASE_CASED = dict(V=28996, P=512, types=2, h=768, L=12, f=3072, heads=12)    # bert-base-cased config.json
BERT_BASE_UNCASED = dict(V=30522, P=512, types=2, h=768, L=12, f=3072, heads=12)  # bert-base-uncased config.json


def bert_closed(c, B, S, head):
    """params, forward FLOPs of BertForSequenceClassification (head=('cls', labels)) or BertForMaskedLM ('mlm')."""
    V, P, h, L, f = c["V"], c["P"], c["h"], c["L"], c["f"]
    emb = V * h + P * h + c["types"] * h + 2 * h
    layer = 4 * (h * h + h) + 2 * h + (h * f + f) + (f * h + h) + 2 * h
    T = B * S
    fwd = L * (2 * T * (4 * h * h + 2 * h * f) + 4 * B * S * S * h)
    if head[0] == "cls":
        n = head[1]
        params = emb + L * layer + (h * h + h) + (h * n + n)       # pooler + classifier
        fwd += 2 * B * h * h + 2 * B * h * n
    else:
        params = emb + L * layer + (h * h + h) + 2 * h + V          # transform + LN + tied decoder's own bias
        fwd += 2 * T * (h * h + h * V)
    return params, fwd


class _Bert(nn.Module):
    def __init__(self, c, head):
        super().__init__()
        V, P, h, L, f = c["V"], c["P"], c["h"], c["L"], c["f"]
        self.head = head
        self.word, self.pos, self.typ, self.eln = nn.Embedding(V, h), nn.Embedding(P, h), nn.Embedding(c["types"], h), \
            nn.LayerNorm(h)
        self.layers = nn.ModuleList()
        for _ in range(L):
            blk = nn.Module()
            blk.attn, blk.ln1 = C._Attn(h, c["heads"], sdpa=False), nn.LayerNorm(h)
            blk.fc1, blk.fc2, blk.ln2 = nn.Linear(h, f), nn.Linear(f, h), nn.LayerNorm(h)
            self.layers.append(blk)
        if head[0] == "cls":
            self.pool, self.cls = nn.Linear(h, h), nn.Linear(h, head[1])
        else:
            self.dense, self.hln, self.bias = nn.Linear(h, h), nn.LayerNorm(h), nn.Parameter(torch.zeros(V))

    def forward(self, ids):
        B, S = ids.shape
        x = self.eln(self.word(ids) + self.pos(torch.arange(S)) + self.typ(torch.zeros_like(ids)))
        for blk in self.layers:
            x = blk.ln1(x + blk.attn(x))
            x = blk.ln2(x + blk.fc2(F.gelu(blk.fc1(x))))
        if self.head[0] == "cls":
            return self.cls(torch.tanh(self.pool(x[:, 0])))
        return F.linear(self.hln(F.gelu(self.dense(x))), self.word.weight, self.bias)


def _bert(c, B, S, head, train, calls=1):
    """Closed form of `calls` BERT calls on [B, S], checked against _Bert at a reduced size."""
    params, fwd = bert_closed(c, B, S, head)
    rc = dict(V=300, P=40, types=2, h=32, L=2, f=48, heads=4)
    Br, Sr = 2, 24
    model = _Bert(rc, head)
    ids = torch.randint(0, rc["V"], (Br, Sr))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)

    def step():
        for _ in range(calls):
            if train:
                model(ids).float().pow(2).mean().backward()
            else:
                with torch.no_grad():
                    model(ids)
        if train:
            opt.step()
            opt.zero_grad()

    p, fw = C._count({"model": model}, step)
    rp, rf = bert_closed(rc, Br, Sr, head)
    C._check("BERT (reduced)", p, rp)
    C._check("BERT (reduced) forward", fw, calls * rf)
    return params, calls * fwd, {"model": model}, step


# ---------------------------------------------------------------------------------------------
# Accelerate examples: BERT on GLUE MRPC

MRPC_SEQ_NOTE = ("S = 128 by the manifest's seq= directive: the collator pads to the longest pair of each batch "
                 "(data-dependent; MRPC pairs are 40-103 bert-base-cased tokens), so the script itself decides no S")


def _accel_mrpc(ctx, drop_last, accum_arg):
    ns = ctx.load()
    args = _argparse_main(ctx, ns)
    accum = int(getattr(args, "gradient_accumulation_steps", 1)) if accum_arg else 1
    B, S, epochs = 16, ctx.entry["set"]["seq"], 3  # config = {"lr": 2e-5, "num_epochs": 3, "seed": 42, "batch_size": 16}
    params, fwd, models, step = _bert(BERT_BASE_CASED, B, S, ("cls", 2), train=True)
    per_epoch = MRPC_TRAIN // B if drop_last else ceil_div(MRPC_TRAIN, B)
    steps = epochs * ceil_div(per_epoch, accum)
    return dict(mode="train", models=models, step=step, batch=B, seqLen=S, steps=steps,
                stepsFormula=f"{epochs} epochs x {'floor' if drop_last else 'ceil'}({MRPC_TRAIN} MRPC train pairs / {B})"
                             + (f" / {accum} accumulation" if accum > 1 else "") + f" = {epochs} x {per_epoch}",
                closed=dict(params=params, forwardFlops=fwd,
                            formula=f"BertForSequenceClassification(bert-base-cased, 2 labels): {BERT_BASE_CASED}; "
                                    f"[B={B}, S={S}]"),
                crossCheckWhat="our plain-PyTorch BERT + pooler + classifier at a reduced size (formula exact)",
                notes=["config dict in main(): batch 16 (<= MAX_GPU_BATCH_SIZE: no accumulation), 3 epochs; evaluation "
                       "pass after each epoch not counted", MRPC_SEQ_NOTE])


# (id, drop_last of the train loader, reads --gradient_accumulation_steps): the same loop in each example script
for _id, _drop, _accum in (("e-accel-nlp", True, False), ("e-accel-nlp-complete", False, False),
                           ("e-accel-grad-accum", False, True), ("e-accel-local-sgd", False, True),
                           ("e-accel-tracking", False, False), ("e-accel-checkpointing", False, False),
                           ("e-accel-ddp-comm-hook", False, False)):
    driver(_id)(lambda ctx, _drop=_drop, _accum=_accum: _accel_mrpc(ctx, drop_last=_drop, accum_arg=_accum))


# ---------------------------------------------------------------------------------------------
# Accelerate examples: timm resnet50d on Oxford-IIIT Pets (frozen backbone, trained classifier)

def _timm_module(ctx):
    """timm from the c group's pytorch-image-models checkout (extracted by measure.py's own extraction)."""
    meas = sys.modules["__main__"]
    found = meas.manifests()
    entry = found["c-timm-train"][2]
    root = meas.extract(entry)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        import functorch.compile  # noqa: F401  (see c.py's _timm_setup: import before the stub finder is active)
    except Exception:  # noqa: BLE001
        pass
    import types
    for _ in range(20):  # torchvision is the harness's stub: give timm the submodules it imports, as permissive stubs
        try:
            with ctx._env():  # as c.py's ctx.module("timm")
                import timm
            break
        except ModuleNotFoundError as ex:
            if not (ex.name or "").startswith("torchvision."):
                raise
            for k in [k for k in sys.modules if k == "timm" or k.startswith("timm.")]:
                del sys.modules[k]
            mod = types.ModuleType(ex.name)
            mod.__path__ = []
            mod.__getattr__ = D._stub_getattr
            sys.modules[ex.name] = mod
    C._keep_installed_packages()
    return timm


def _accel_cv(ctx):
    timm = _timm_module(ctx)  # (the script itself is not loaded: its `from timm import` would bind the stub)
    B, size, classes = 64, 224, 37  # config: batch 64, image_size 224; Oxford-IIIT Pet has 37 breeds
    model = timm.create_model("resnet50d", num_classes=classes)
    for p in model.parameters():
        p.requires_grad = False
    for p in model.get_classifier().parameters():
        p.requires_grad = True
    opt = torch.optim.Adam(params=[p for p in model.parameters() if p.requires_grad], lr=3e-2 / 25)
    x, y = images(B, (3, size, size)), labels(B, classes)

    def step():
        out = model(x)
        F.cross_entropy(out, y).backward()
        opt.step()
        opt.zero_grad()

    return dict(mode="train", models={"model": model}, step=step, batch=B, steps=None,
                stepsFormula="3 epochs x ceil(0.8 x the .jpg files in --data_dir / 64): the folder is the user's "
                             "(the README's Oxford-IIIT Pet images); not knowable from the script",
                notes=["timm resnet50d (pretrained) with num_classes = the breeds found in the folder (37 for Oxford "
                       "pets); backbone frozen, only the classifier trains; RandomResizedCrop(224); evaluation not "
                       "counted"])


for _id in ("e-accel-cv", "e-accel-cv-complete"):
    driver(_id)(_accel_cv)


# ---------------------------------------------------------------------------------------------
# Accelerate pipeline-parallel inference (prepare_pippy): one forward of a literal batch, timed

GPT2 = dict(V=50257, h=768, L=12, heads=12, kv=12, f=3072, gated=False, norm="ln", tied=True, fused_qkv=True,
            qkv_bias=True, o_bias=True, mlp_bias=True, causal_half=True)  # openai-community/gpt2 config.json
GPT2_POS = 1024 * 768


PIPPY_STEPS = ("range(5): the 5 timed passes of model(input) on the same batch; the first pass before the loop is the "
               "warm-up the script times apart ('Time of first pass'), not counted (as c-timm-validate's warm-up)")


@driver("e-accel-pippy-gpt2")
def _(ctx):
    B, S, calls = 2, 1024, 5
    closed, models, step, _ = C._lm_closed(GPT2, "gpt2 (sequence classification, 2 labels)", B, S, 1, head=2,
                                           train=False)
    closed["params"] += GPT2_POS
    closed["trainableParams"] = closed["params"]
    return dict(mode="infer", models=models, step=step, batch=B, seqLen=S, steps=calls,
                stepsFormula=PIPPY_STEPS,
                closed=closed, crossCheckWhat="our plain-PyTorch GPT-2 decoder with a 2-output score head (reduced)",
                notes=["AutoModelForSequenceClassification('gpt2'): 124.4M GPT-2 + 768x2 score head on every position; "
                       "the tracing call of prepare_pippy on a [1, 1024] example is not counted"])


@driver("e-accel-pippy-bert")
def _(ctx):
    B, S = 2, 512
    params, fwd, models, step = _bert(BERT_BASE_UNCASED, B, S, ("mlm",), train=False)
    return dict(mode="infer", models=models, step=step, batch=B, seqLen=S, steps=5,
                stepsFormula=PIPPY_STEPS,
                closed=dict(params=params, forwardFlops=fwd,
                            formula=f"BertForMaskedLM(bert-base-uncased): {BERT_BASE_UNCASED}; [B={B}, S={S}]"),
                crossCheckWhat="our plain-PyTorch BERT + MLM head at a reduced size (formula exact)",
                notes=["MLM head (transform + tied decoder) on every position"])


@driver("e-accel-pippy-llama")
def _(ctx):
    B, S = 3, 5
    closed, models, step, _ = C._lm_closed(C.LLAMA_7B, "meta-llama/Llama-2-7b-chat-hf", B, S, 1, train=False)
    return dict(mode="infer", models=models, step=step, batch=B, seqLen=S, steps=1,
                stepsFormula="one model(**inputs) call on 3 prompts",
                closed=closed, crossCheckWhat="our plain-PyTorch LLaMA at a reduced size (formula exact)",
                notes=["Llama-2-7b-chat-hf (same dims as LLaMA-7B); 3 prompts of 4 words each: BOS + 4 single-piece "
                       "LLaMA tokens = 5 (padding to the longest); the tracing call of prepare_pippy on the 2-prompt "
                       "example is not counted"])


# ---------------------------------------------------------------------------------------------
# llm.c: train_gpt2.py (its own GPT class, GPT-2 124M config; measured directly)

@driver("e-llmc-train-gpt2")
def _(ctx):
    import types
    ind = types.ModuleType("torch._inductor")  # torch 2 module the script imports at top level (a config knob only)
    ind.config = types.SimpleNamespace()
    sys.modules.setdefault("torch._inductor", ind)
    sys.modules.setdefault("torch._inductor.config", ind.config)
    # @dataclass looks the defining module up in sys.modules: give the script's run name a module while it loads
    sys.modules.setdefault(D.RUN_NAME, types.ModuleType(D.RUN_NAME))
    sys.modules.setdefault("tiktoken", types.ModuleType("tiktoken"))  # imported by the __main__ block (tokenizer dump)
    ns = ctx.load()
    args = C._main_block_args(ctx, ns)
    B, T = args.batch_size, args.sequence_length
    accum = args.total_batch_size // (B * T)
    normal = torch.nn.init.normal_  # torch 1.13's normal_ has no generator= (the script seeds its init with one)
    torch.nn.init.normal_ = lambda t, mean=0.0, std=1.0, generator=None: normal(t, mean, std)
    try:
        model = ns.GPT(ns.GPTConfig(block_size=1024, vocab_size=50257, n_layer=12, n_head=12, n_embd=768))  # "gpt2"
    finally:
        torch.nn.init.normal_ = normal
    model.train()
    # configure_optimizers() builds AdamW(fused=...), which torch 1.13 lacks: the same AdamW, unfused
    opt = torch.optim.AdamW(model.parameters(), lr=args.learning_rate, betas=(0.9, 0.95),
                            weight_decay=args.weight_decay)
    x, y = torch.randint(0, 50257, (B, T)), torch.randint(0, 50257, (B, T))

    def step():
        opt.zero_grad(set_to_none=True)
        for _ in range(accum):
            _, loss = model(x, y, return_logits=False)
            (loss / accum).backward()
        opt.step()

    return dict(mode="train", models={"model": model}, step=step, batch=B, seqLen=T, microBatches=accum,
                steps=args.num_iterations,
                stepsFormula=f"range(num_iterations + 1) that breaks on its last pass: {args.num_iterations} steps",
                notes=["GPT.from_pretrained('gpt2') loads HF GPT-2 124M weights into the script's own GPT (weights "
                       "random here); B=4, T=64, total_batch_size 256 -> 1 micro-step; flash=0: attention by explicit "
                       "matmuls (counted whole, not halved); the one debugging forward/backward before the loop and the "
                       "tensor dumps not counted"])


# ---------------------------------------------------------------------------------------------
# Hugging Face Trainer scripts on facebook/opt-125m (HfArgumentParser dataclass defaults)

OPT_125M = dict(V=50272, h=768, L=12, heads=12, kv=12, f=3072, gated=False, norm="ln", tied=True, qkv_bias=True,
                o_bias=True, mlp_bias=True, causal_half=True)  # facebook/opt-125m config.json
OPT_125M_POS = (2048 + 2) * 768  # learned positions with OPT's offset of 2


def _opt_trainer(ctx, B, S, lora_r=0, lora=()):
    closed, models, step, _ = C._lm_closed(OPT_125M, "facebook/opt-125m", B, S, 1, lora_r, lora)
    closed["params"] += OPT_125M_POS
    if not lora_r:
        closed["trainableParams"] = closed["params"]
    return closed, models, step


@driver("e-alpaca-train")
def _(ctx):
    B, S, epochs = 8, ctx.entry["set"]["seq"], 3  # TrainingArguments defaults: per_device 8, 3 epochs
    closed, models, step = _opt_trainer(ctx, B, S)
    per_epoch = ceil_div(ALPACA_52K, B)
    return dict(mode="train", models=models, step=step, batch=B, seqLen=S, steps=epochs * per_epoch,
                stepsFormula=f"{epochs} epochs x ceil({ALPACA_52K} alpaca_data.json examples / {B}) = "
                             f"{epochs} x {per_epoch}",
                closed=closed, crossCheckWhat="our plain-PyTorch OPT decoder at a reduced size (formula exact)",
                notes=["HfArgumentParser defaults: facebook/opt-125m, model_max_length 512, TrainingArguments defaults "
                       "(batch 8, 3 epochs); --data_path ./alpaca_data.json (the README's file, 52,002 examples)",
                       "S = 512 by the manifest's seq= directive: the collator pads to the longest example of the "
                       "batch, capped at model_max_length 512 (data-dependent)"])


FASTCHAT_NOTES = {
    "e-fastchat-train": "HfArgumentParser defaults: facebook/opt-125m, model_max_length 512 with padding='max_length' "
                        "(every row is 512 tokens), TrainingArguments defaults batch 8, 3 epochs",
    "e-fastchat-train-mem": "train_mem.py patches LLaMA attention with flash-attn and calls "
                            "fastchat.train.train.train(): the same defaults (facebook/opt-125m, rows padded to 512, "
                            "batch 8, 3 epochs); the patch does not apply to OPT",
    "e-fastchat-train-lora": "ModelArguments of fastchat.train.train (facebook/opt-125m); LoraArguments r=8 on q_proj, "
                             "v_proj; rows padded to model_max_length 512; TrainingArguments defaults batch 8, 3 epochs",
}


def _fastchat(ctx):
    B, S = 8, 512  # TrainingArguments default batch; preprocess() pads to max_length = model_max_length 512
    lora = ctx.id.endswith("-lora")
    closed, models, step = _opt_trainer(ctx, B, S, *((8, ("q", "v")) if lora else ()))
    return dict(mode="train", models=models, step=step, batch=B, seqLen=S, steps=None,
                stepsFormula="3 epochs x ceil(conversations in --data_path / 8): the data file is the user's",
                closed=closed, crossCheckWhat=f"our plain-PyTorch OPT{' + LoRA' if lora else ''} decoder at a reduced "
                                              "size (formula exact)",
                notes=[FASTCHAT_NOTES[ctx.id]])


for _id in FASTCHAT_NOTES:
    driver(_id)(_fastchat)


# ---------------------------------------------------------------------------------------------
# Llama fine-tuning recipes: llama-cookbook (fire) and torchtune (YAML config)

# https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json
LLAMA31_8B = dict(V=128256, h=4096, L=32, heads=32, kv=8, f=14336, gated=True, norm="rms", tied=False,
                  causal_half=True)
# https://huggingface.co/meta-llama/Llama-3.2-1B-Instruct/blob/main/config.json
LLAMA32_1B = dict(V=128256, h=2048, L=16, heads=32, kv=8, f=8192, gated=True, norm="rms", tied=True,
                  causal_half=True)


@driver("e-cookbook-finetuning")
def _(ctx):
    B, S = 4, 4096  # train_config: batch_size_training 4, batching_strategy packing, context_length 4096
    closed, models, step, _ = C._lm_closed(LLAMA31_8B, "meta-llama/Llama-3.1-8B", B, S, 1, 8, ("q", "v"),
                                           extra=" (packing: every row is context_length tokens)")
    return dict(mode="train", models=models, step=step, batch=B, seqLen=S, steps=None,
                stepsFormula="3 epochs x (samsum train tokens packed into 4096-token rows / 4): the packed row count "
                             "depends on the token count",
                closed=closed, crossCheckWhat="our plain-PyTorch LLaMA + LoRA at a reduced size (formula exact)",
                notes=["fire.Fire(main) with the README's flags: --use_peft --peft_method lora --quantization 8bit "
                       "--model_name meta-llama/Llama-3.1-8B; lora_config r=8 on q_proj, v_proj; packing into "
                       "context_length 4096; validation each epoch not counted"])


@driver("e-torchtune-lora")
def _(ctx):
    B, S, accum = 4, ctx.entry["set"]["seq"], 8  # 1B_lora_single_device.yaml: batch_size 4, accumulation 8
    lora = ("q", "v", "o", "gate", "up", "down")  # lora_attn_modules q,v,output_proj + apply_lora_to_mlp
    closed, models, step, _ = C._lm_closed(LLAMA32_1B, "Llama-3.2-1B-Instruct", B, S, accum, 64, lora,
                                           extra=f" (grad accumulation {accum})")
    per_epoch = ceil_div(ALPACA_CLEANED, B) // accum
    return dict(mode="train", models=models, step=step, batch=B, seqLen=S, microBatches=accum, steps=per_epoch,
                stepsFormula=f"1 epoch x floor(ceil({ALPACA_CLEANED} alpaca-cleaned rows / {B}) / {accum}) = "
                             f"{per_epoch}",
                closed=closed, crossCheckWhat="our plain-PyTorch LLaMA + LoRA at a reduced size (formula exact)",
                notes=["recipe run with --config llama3_2/1B_lora_single_device (the recipe's docstring): "
                       "lora_llama3_2_1b, LoRA rank 64 on q, v, output_proj and the MLP; alpaca_cleaned_dataset, "
                       "unpacked", "S = 512 by the manifest's seq= directive: max_seq_len null, batches padded to the "
                       "longest sample (data-dependent)"])


@driver("e-torchtune-full")
def _(ctx):
    B, S = 4, ctx.entry["set"]["seq"]  # 1B_full_single_device.yaml: batch_size 4, accumulation 1
    closed, models, step, _ = C._lm_closed(LLAMA32_1B, "Llama-3.2-1B-Instruct", B, S, 1)
    per_epoch = ceil_div(ALPACA_CLEANED, B)
    return dict(mode="train", models=models, step=step, batch=B, seqLen=S, steps=per_epoch,
                stepsFormula=f"1 epoch x ceil({ALPACA_CLEANED} alpaca-cleaned rows / {B}) = {per_epoch}",
                closed=closed, crossCheckWhat="our plain-PyTorch LLaMA at a reduced size (formula exact)",
                notes=["recipe run with --config llama3_2/1B_full_single_device: llama3_2_1b full fine-tune, "
                       "PagedAdamW8bit with the optimizer step in backward; alpaca_cleaned_dataset unpacked",
                       "S = 512 by the manifest's seq= directive: max_seq_len null, batches padded to the longest "
                       "sample (data-dependent)"])


# ---------------------------------------------------------------------------------------------
# litgpt pretrain (jsonargparse CLI over setup(); Fabric)

# litgpt/config.py "pythia-14m": padded_vocab_size 50304, n_layer 6, n_embd 128, n_head 4, block_size 512,
# GPT-NeoX layout (fused qkv with bias, biased dense layers, LayerNorm, 4x GELU MLP, untied head, rotary positions)
PYTHIA_14M = dict(V=50304, h=128, L=6, heads=4, kv=4, f=512, gated=False, norm="ln", tied=False, fused_qkv=True,
                  qkv_bias=True, o_bias=True, mlp_bias=True, causal_half=True)


@driver("e-litgpt-pretrain")
def _(ctx):
    micro, global_batch, S, max_tokens = 4, 512, 512, int(3e12)  # setup() TrainArgs defaults; block_size 512
    accum = global_batch // micro  # one device
    closed, models, step, _ = C._lm_closed(PYTHIA_14M, "pythia-14m (litgpt)", micro, S, accum,
                                           extra=f" (grad accumulation {accum} on one device)")
    iters = max_tokens // (micro * S)
    steps = iters // accum
    return dict(mode="train", models=models, step=step, batch=micro, seqLen=S, microBatches=accum, steps=steps,
                stepsFormula=f"max_iters = 3e12 tokens // ({micro} x {S}) = {iters:,} micro-batches; one optimizer step "
                             f"per {accum} (global_batch_size {global_batch} / micro_batch_size {micro} on one device) "
                             f"= {steps:,}",
                closed=closed, crossCheckWhat="our plain-PyTorch GPT-NeoX at a reduced size (formula exact)",
                notes=["argv 'pythia-14m' (the model_name positional, as the docs' quick start); TinyLlama data; "
                       "devices='auto' taken as one GPU; validation every 1,000 iterations not counted"])
