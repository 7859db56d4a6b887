"""Group g drivers: the HELD-OUT group measured at the START of a session (issue 14), before any analyser change made
for it — PyTorch Lightning examples and LightningModules (Lightning-AI/tutorials: lightning_examples and the UvA deep
learning course notebooks as .py), plain-PyTorch graph networks (GCN, GAT), an audio course (MLP on MNIST, a CNN on
mel spectrograms, one inference), a self-supervised paper's main script (DINO) and a time-series LSTM notebook, from six
repositories that were never used to develop FlopLens.

Each driver mirrors ONE iteration of the script's loop body with the script's own classes, configs and constants on
random tensors of the script's default shapes (corpus/README.md). No public code is copied here.

Lightning is not installed here: `pytorch_lightning` is replaced while a script loads by a small stand-in whose
LightningModule is an nn.Module (save_hyperparameters, log, optimizers, manual_backward as Lightning defines them) and
whose Trainer, callbacks and loggers do nothing. One iteration of a LightningModule is what Lightning's loop does per
batch: training_step, backward, the optimizer step (manual optimization: training_step itself).

Conventions of this group, where its scripts go beyond one training:
- `256 if torch.cuda.is_available() else 64`: the GPU branch (FlopLens projects the accelerated path).
- A script that trains several models in turn (a notebook comparing architectures, a loop over latent sizes, a
  second fit, a second task): params, forward FLOPs and batch are those of the training that runs most often (the most
  optimizer steps, the first on a tie: corpus/README.md, point 7); steps are the optimizer steps of the whole run,
  every training the script runs by default summed (the training branch: no pretrained checkpoint present). (This
  group was first measured on each script's FIRST training; g-uva-reverse, whose second task runs 18 times as many
  steps, was re-measured on it.)
"""

import contextlib
import inspect
import sys
import types

from corpus_driver import driver, images, labels, ceil_div, M
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------------------------------------
# helpers

def _train(models, step, batch, steps, formula, notes, seq=None):
    return dict(mode="train", models=models, step=step, batch=batch, seqLen=seq, steps=steps, stepsFormula=formula,
                notes=notes)


def _supervised(model, optimizer, criterion, x, y):
    def step():
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    return step


class _HParams(dict):
    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError as e:
            raise AttributeError(k) from e


class _LightningModule(nn.Module):
    """What a LightningModule adds to nn.Module that the scripts' own methods call."""

    def save_hyperparameters(self, *names, **_):
        frame = inspect.currentframe().f_back
        while frame is not None and frame.f_code.co_name == "__init__" and frame.f_back is not None \
                and frame.f_back.f_code.co_name == "__init__" and frame.f_back.f_locals.get("self") is self:
            frame = frame.f_back  # the outermost __init__ of this object, as Lightning collects it
        info = inspect.getargvalues(frame)
        hp = {}
        for a in info.args:
            if a != "self":
                hp[a] = info.locals[a]
        if info.varargs:
            hp[info.varargs] = info.locals[info.varargs]
        if info.keywords:
            hp.update(info.locals[info.keywords])
        object.__setattr__(self, "_hp", _HParams(hp))

    @property
    def hparams(self):
        return self.__dict__.setdefault("_hp", _HParams())

    def log(self, *a, **k):
        pass

    def log_dict(self, *a, **k):
        pass

    @property
    def logger(self):
        return M._Anything()

    @property
    def current_epoch(self):
        return 0

    @property
    def global_step(self):
        return 0

    def optimizers(self):
        opts = self.__dict__["_opts"]
        return opts if len(opts) > 1 else opts[0]

    def toggle_optimizer(self, *a):
        pass

    def untoggle_optimizer(self, *a):
        pass

    def manual_backward(self, loss):
        loss.backward()


class _Shim(types.ModuleType):
    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return M._Anything()


@contextlib.contextmanager
def _lightning():
    names = ["pytorch_lightning", "pytorch_lightning.callbacks", "pytorch_lightning.loggers",
             "pytorch_lightning.utilities"]
    saved = {n: sys.modules.get(n) for n in names}
    mods = {}
    for n in names:
        m = _Shim(n)
        m.__path__ = []
        mods[n] = sys.modules[n] = m
    pl = mods["pytorch_lightning"]
    pl.LightningModule = _LightningModule
    pl.LightningDataModule = type("LightningDataModule", (), {"__init__": lambda self, *a, **k: None})
    pl.seed_everything = lambda *a, **k: None
    pl.callbacks = mods["pytorch_lightning.callbacks"]
    pl.loggers = mods["pytorch_lightning.loggers"]
    try:
        yield
    finally:
        for n, m in saved.items():
            if m is None:
                sys.modules.pop(n, None)
            else:
                sys.modules[n] = m


def _lit_load(ctx, stop_at, skip=None):
    with _lightning():
        return ctx.load(stop_at=stop_at, skip=skip)


def _lit_step(model, batch, max_epochs):
    """Lightning's loop body for one batch."""
    model.trainer = types.SimpleNamespace(max_epochs=max_epochs, estimated_stepping_batches=None)
    conf = model.configure_optimizers()
    if isinstance(conf, dict):
        opts = [conf["optimizer"]]
    elif isinstance(conf, (list, tuple)):
        first = conf[0]
        opts = list(first) if isinstance(first, (list, tuple)) else [o for o in conf if isinstance(o, torch.optim.Optimizer)]
    else:
        opts = [conf]
    model.__dict__["_opts"] = opts
    manual = getattr(model, "automatic_optimization", True) is False

    def step():
        if manual:
            model.training_step(batch) if len(inspect.signature(model.training_step).parameters) == 1 \
                else model.training_step(batch, 0)
            return
        out = model.training_step(batch, 0)
        loss = out["loss"] if isinstance(out, dict) else out
        opts[0].zero_grad()
        loss.backward()
        opts[0].step()
    return step


# UvA notebooks (.py): only the imports, class and function definitions and upper-case constants run (the module-level
# cells download pretrained checkpoints, plot and train); a driver names any other module-level table its classes read.
def _uva_defs(ctx, keep=r"(?!)", globals_=None):
    with _lightning():
        return ctx.load(skip=r"^(?!(import |from |class |def |@|[A-Z][A-Z0-9_]* = (?!\(?[a-z_]+[.\[(])|" + keep + r"))"
                             r"|^(import|from) (matplotlib|seaborn)", globals_=globals_)


# =============================================================================================
# Lightning-AI/tutorials: lightning_examples

@driver("g-lt-mnist-hello")
def _(ctx):
    # (its Config dataclass is left out: dataclasses need the module registered; batch_size is 64 without a GPU)
    g = _lit_load(ctx, r"^mnist_model = MNISTModel", r"^(class Config|config = )")
    model = g["MNISTModel"]()
    B = 256  # Config.batch_size: 256 if torch.cuda.is_available() else 64
    step = _lit_step(model, (images(B, (1, 28, 28)), labels(B, 10)), 3)
    first, second = 3 * ceil_div(60000, B), 3 * ceil_div(55000, B)
    return _train({"mnist_model": model}, step, B, first + second,
                  f"3 epochs x ceil(60000 MNIST / {B}) (MNISTModel) + 3 epochs x ceil(55000 split / {B}) (LitMNIST) = "
                  f"{first} + {second}; the third trainer.fit(model) finds max_epochs reached",
                  "per-step figures of the first training, also the busiest: MNISTModel (Linear(784, 10)) on MNIST, "
                  "batch 256 (GPU), Adam")


@driver("g-lt-basic-gan")
def _(ctx):
    g = _lit_load(ctx, r"^dm = MNISTDataModule")
    dm = g["MNISTDataModule"]()
    model = g["GAN"](*dm.dims)
    B = 256  # BATCH_SIZE = 256 if torch.cuda.is_available() else 64
    step = _lit_step(model, (images(B, (1, 28, 28)), labels(B, 10)), 5)
    per = ceil_div(55000, B)
    return _train({"generator": model.generator, "discriminator": model.discriminator}, step, B, 5 * per,
                  f"max_epochs 5 x ceil(55000 MNIST train split / {B}) = 5 x {per} iterations (each steps both "
                  f"optimizers once, manual optimization)",
                  "MLP GAN (latent 100) on MNIST 1x28x28, batch 256 (GPU); generator step then discriminator step "
                  "per batch; sampled images at validation epoch end are not in the step")


@driver("g-lt-cifar10-baseline")
def _(ctx):
    g = _lit_load(ctx, r"^model = LitResnet")
    model = g["LitResnet"](lr=0.05)
    B = 256  # BATCH_SIZE = 256 if torch.cuda.is_available() else 64
    step = _lit_step(model, (images(B, (3, 32, 32)), labels(B, 10)), 5)
    per = ceil_div(40000, B)
    return _train({"model": model}, step, B, 2 * 5 * per,
                  f"LitResnet max_epochs 5 x ceil(40000 (CIFAR10 train minus 20% val split) / {B}) + the SWAResnet fit, "
                  f"5 more epochs on the same loader = 2 x 5 x {per}",
                  "torchvision resnet18(num_classes=10) with a 3x3 stem conv and no maxpool, on CIFAR10 32x32, batch "
                  "256 (GPU), SGD + OneCycle; per-step figures of the first fit (the SWA fit is as long: a tie)")


# =============================================================================================
# Lightning-AI/tutorials: UvA deep learning course notebooks (as .py)

@driver("g-uva-xor")
def _(ctx):
    g = _uva_defs(ctx)
    model = g["SimpleClassifier"](num_inputs=2, num_hidden=4, num_outputs=1)
    B = 128
    step = _supervised(model, torch.optim.SGD(model.parameters(), lr=0.1), nn.BCEWithLogitsLoss(), torch.rand(B, 2), torch.rand(B, 1))
    return _train({"model": model}, step, B, 100 * ceil_div(1000, B),
                  f"num_epochs 100 x ceil(1000 XOR samples / {B}) = 100 x 8",
                  "SimpleClassifier(2, 4, 1) on XORDataset(size=1000), batch 128, BCEWithLogits; SGD. The notebook's "
                  "earlier tensor demos (a 5000x5000 matmul timing) are not the training")


@driver("g-uva-init-optim")
def _(ctx):
    g = _uva_defs(ctx, r"act_fn_by_name = ", {"cm": M._Anything()})  # a plot helper's default colormap
    net = g["BaseNetwork"](act_fn=nn.ReLU(), hidden_sizes=[512, 256, 256, 128])
    g["kaiming_init"](net)
    B = 256
    opt = torch.optim.SGD(net.parameters(), lr=1e-1)
    step = _supervised(net, opt, nn.CrossEntropyLoss(), images(B, (1, 28, 28)), labels(B, 10))
    return _train({"SGD_model": net}, step, B, 3 * 40 * (50000 // B),
                  f"3 train_model calls (SGD, SGD momentum, Adam) x max_epochs 40 x floor(50000 FashionMNIST split / {B})"
                  f" (drop_last) = 3 x 40 x 195 (the toy 2-D curve optimisations later train no model)",
                  "BaseNetwork(784 -> 512-256-256-128 -> 10, ReLU) on FashionMNIST, batch 256, SGD; the notebook then "
                  "trains two copies more (SGD momentum, Adam): separate trainings")


@driver("g-uva-googlenet")
def _(ctx):
    g = _uva_defs(ctx, r"act_fn_by_name = |model_dict = |model_dict\[")
    model = g["CIFARModule"](model_name="GoogleNet", model_hparams={"num_classes": 10, "act_fn_name": "relu"},
                             optimizer_name="Adam", optimizer_hparams={"lr": 1e-3, "weight_decay": 1e-4})
    B = 128
    step = _lit_step(model, (images(B, (3, 32, 32)), labels(B, 10)), 180)
    return _train({"model": model}, step, B, 4 * 180 * (45000 // B),
                  f"4 train_model calls (GoogleNet, ResNet, PreAct-ResNet, DenseNet) x max_epochs 180 x floor(45000 "
                  f"CIFAR10 split / {B}) (drop_last) = 4 x 180 x 351",
                  "the notebook's GoogleNet (Inception blocks) on CIFAR10 32x32, batch 128, Adam; the training branch "
                  "(no pretrained checkpoint present); ResNet, PreAct-ResNet and DenseNet follow as separate trainings")


@driver("g-uva-reverse")
def _(ctx):
    g = _uva_defs(ctx)
    reverse = 10 * (50000 // 128)
    # the busiest training: the set anomaly task (70,300 optimizer steps against the reverse task's 3,900)
    B, S, F_ = 64, 10, 512  # batch_size 64, SET_SIZE 10 (9 of one class + the anomaly), ResNet34 features of 512
    per = 45000 // B
    model = g["AnomalyPredictor"](max_iters=100 * per, input_dim=F_, model_dim=256, num_heads=4, num_classes=1,
                                  num_layers=4, dropout=0.1, input_dropout=0.1, lr=5e-4, warmup=100)
    batch = (torch.randn(B, S, F_), torch.randint(0, 45000, (B, S)), torch.full((B,), S - 1))
    step = _lit_step(model, batch, 100)
    return _train({"model": model}, step, B, reverse + 100 * per,
                  f"reverse task: max_epochs 10 x floor(50000 ReverseDataset / 128) (drop_last) = {reverse}, + the set "
                  f"anomaly task: 100 epochs x floor(45000 CIFAR100 feature sets / {B}) (drop_last) = {100 * per}",
                  "the busiest training, the set anomaly task: AnomalyPredictor (TransformerPredictor: Linear(512, 256) "
                  "input net, 4 encoder blocks, d 256, 4 heads, FFN 512, 1 output per element) on sets [64, 10, 512] of "
                  "precomputed ResNet34 CIFAR100 features, no positional encoding; training branch (no pretrained "
                  "checkpoint); the ResNet34 feature extraction (inference, once) is not in the step. (Measured before "
                  "on the first training, the reverse task's 1-block d-32 ReversePredictor: 10,346 params.)",
                  seq=S)


@driver("g-uva-autoencoder")
def _(ctx):
    g = _uva_defs(ctx)
    model = g["Autoencoder"](base_channel_size=32, latent_dim=64)
    B = 256
    step = _lit_step(model, (images(B, (3, 32, 32)), labels(B, 10)), 500)
    return _train({"model": model}, step, B, 4 * 500 * (45000 // B),
                  f"train_cifar for latent 64, 128, 256, 384: 4 x max_epochs 500 x floor(45000 CIFAR10 split / {B}) "
                  f"(drop_last) = 4 x 500 x 175",
                  "conv Autoencoder(base 32, latent 64) on CIFAR10, batch 256, MSE; the loop then trains latent 128, "
                  "256, 384 as separate trainings")


@driver("g-uva-pixelcnn")
def _(ctx):
    g = _uva_defs(ctx, globals_={"train_set": [(torch.zeros(1, 28, 28, dtype=torch.long), 0)]})  # example_input_array
    model = g["PixelCNN"](c_in=1, c_hidden=64)
    B = 128
    x = torch.randint(0, 256, (B, 1, 28, 28))
    step = _lit_step(model, (x, labels(B, 10)), 150)
    return _train({"model": model}, step, B, 150 * (50000 // B),
                  f"max_epochs 150 x floor(50000 MNIST split / {B}) (drop_last) = 150 x 390",
                  "PixelCNN (masked/gated convolutions, c_hidden 64) on discretised MNIST [128, 1, 28, 28]")


@driver("g-uva-vit")
def _(ctx):
    g = _uva_defs(ctx, globals_={"train_loader": [(images(128, (3, 32, 32)), labels(128, 10))]})  # example_input_array
    mk = {"embed_dim": 256, "hidden_dim": 512, "num_heads": 8, "num_layers": 6, "patch_size": 4, "num_channels": 3,
          "num_patches": 64, "num_classes": 10, "dropout": 0.2}
    model = g["ViT"](model_kwargs=mk, lr=3e-4)
    B = 128
    step = _lit_step(model, (images(B, (3, 32, 32)), labels(B, 10)), 180)
    return _train({"model": model}, step, B, 180 * (45000 // B),
                  f"max_epochs 180 x floor(45000 CIFAR10 split / {B}) (drop_last) = 180 x 351",
                  "the notebook's ViT (6 blocks, d 256, 8 heads, patch 4: 64 patches + CLS) on CIFAR10, batch 128",
                  seq=65)


@driver("g-uva-simclr")
def _(ctx):
    g = _uva_defs(ctx)
    model = g["SimCLR"](hidden_dim=128, lr=5e-4, temperature=0.07, weight_decay=1e-4, max_epochs=500)
    B = 256
    # two augmented views per image: the batch is ([2 x 256 views], labels)
    views = [images(B, (3, 96, 96)), images(B, (3, 96, 96))]
    step = _lit_step(model, (views, labels(B, 10)), 500)
    n = 100000  # STL10(split="unlabeled"): the SimCLR loader's dataset (the train split is its validation set)
    simclr = 500 * (n // B)
    logreg = 100 * sum(ceil_div(10 * k, 64) for k in (10, 20, 50, 100, 200, 500))
    resnet = 100 * (5000 // 64)
    # the batch is the samples of one model call: the convnet runs on torch.cat(imgs) = 2 views x 256 = 512 images
    return _train({"model": model}, step, 2 * B, simclr + logreg + resnet,
                  f"SimCLR: max_epochs 500 x floor({n} STL10 unlabeled images / {B}) (drop_last) = {simclr}; "
                  f"6 logistic regressions (10..500 images per class, batch 64, 100 epochs) = {logreg}; the ResNet-18 "
                  f"baseline (5000 STL10 train / 64, drop_last, 100 epochs) = {resnet}",
                  "SimCLR: torchvision resnet18 (fc -> 4*128 MLP head) on 2 views of [256, 3, 96, 96] STL10 crops, "
                  "InfoNCE; the logistic-regression and ResNet baselines later are separate trainings")


# =============================================================================================
# tkipf/pygcn and Diego999/pyGAT: full-batch node classification on Cora (2,708 nodes, 1,433 features, 7 classes;
# 140 training nodes). scipy is not installed here, so the adjacency is built directly (Cora has 5,429 edges:
# symmetric 10,556 + 2,708 self loops = 13,264 non-zeros, row-normalised in pygcn).

_CORA_N, _CORA_F, _CORA_C = 2708, 1433, 7
_CORA_ABSENT = ("data/cora/cora.content (2,708 nodes x 1,433 features and their labels) is absent from the repository "
                "snapshot: the node count, feature width and class count the model is built from are in that file")


def _cora_adj(sparse):
    g = torch.Generator().manual_seed(0)
    rows = torch.randint(0, _CORA_N, (10556,), generator=g)
    cols = torch.randint(0, _CORA_N, (10556,), generator=g)
    idx = torch.cat([torch.stack([rows, cols]), torch.arange(_CORA_N).repeat(2, 1)], dim=1)
    vals = torch.full((idx.shape[1],), 0.2)
    a = torch.sparse_coo_tensor(idx, vals, (_CORA_N, _CORA_N)).coalesce()
    return a if sparse else a.to_dense()


def _cora_step(model, opt, sparse):
    """One full-batch step: the whole graph forward, the loss on the 140 training nodes."""
    x, adj, y = torch.rand(_CORA_N, _CORA_F), _cora_adj(sparse), labels(_CORA_N, _CORA_C)
    idx = torch.arange(140)

    def step():
        model.train()
        opt.zero_grad()
        out = model(x, adj)
        F.nll_loss(out[idx], y[idx]).backward()
        opt.step()
    return step


@driver("g-gcn-train")
def _(ctx):
    GCN = ctx.module("pygcn.models").GCN
    model = GCN(nfeat=_CORA_F, nhid=16, nclass=_CORA_C, dropout=0.5)
    opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
    step = _cora_step(model, opt, sparse=True)
    # torch.spmm(adj, support) is a sparse x dense product: 2 x nnz x width FLOPs, not the dense 2 x N x N x width the
    # dispatch counter reads from the shapes (its figure is kept as the cross-check)
    nnz = 10556 + _CORA_N
    fwd = 2 * _CORA_N * _CORA_F * 16 + 2 * nnz * 16 + 2 * _CORA_N * 16 * _CORA_C + 2 * nnz * _CORA_C
    params = sum(p.numel() for p in model.parameters())
    return dict(mode="train", models={"model": model}, step=step, batch=_CORA_N, seqLen=None, steps=200,
                unknowable={"params": _CORA_ABSENT, "forwardFlops": _CORA_ABSENT, "batch": _CORA_ABSENT},
                stepsFormula="--epochs 200: one full-batch step each",
                closed={"params": params, "forwardFlops": fwd,
                        "formula": "x @ W1 (2*2708*1433*16) + spmm(adj, .) (2*13264*16) + h @ W2 (2*2708*16*7) + "
                                   "spmm(adj, .) (2*13264*7); 13,264 = Cora's 10,556 directed edges + 2,708 self loops"},
                crossCheckWhat="the dispatch counter on the same step (sparse products counted as dense)",
                notes="GCN(1433, 16, 7) on the whole Cora graph each step (x [2708, 1433], sparse adj via torch.spmm); "
                      "the evaluation forward after every step (model.eval(); model(features, adj)) is evaluation, not "
                      "in the step")


@driver("g-gat-train")
def _(ctx):
    GAT = ctx.module("models").GAT
    model = GAT(nfeat=_CORA_F, nhid=8, nclass=_CORA_C, dropout=0.6, nheads=8, alpha=0.2)
    opt = torch.optim.Adam(model.parameters(), lr=0.005, weight_decay=5e-4)
    step = _cora_step(model, opt, sparse=False)
    return dict(mode="train", models={"model": model}, step=step, batch=_CORA_N, seqLen=None, steps=None,
                unknowable={"params": _CORA_ABSENT, "forwardFlops": _CORA_ABSENT, "batch": _CORA_ABSENT},
                stepsFormula="up to --epochs 10000 with early stopping (patience 100 on the validation loss): "
                             "data-dependent",
                notes="GAT(1433, 8 hidden x 8 heads, 7) dense attention over the whole Cora graph (adj [2708, 2708]); "
                      "validation forward after every step is evaluation, not in the step")


# =============================================================================================
# musikalkemist/pytorchforaudio

@driver("g-audio-ffn")
def _(ctx):
    g = ctx.load()
    model = g["FeedForwardNet"]()
    B = g["BATCH_SIZE"]
    opt = torch.optim.Adam(model.parameters(), lr=g["LEARNING_RATE"])
    step = _supervised(model, opt, nn.CrossEntropyLoss(), images(B, (1, 28, 28)), labels(B, 10))
    per = ceil_div(60000, B)
    return _train({"feed_forward_net": model}, step, B, g["EPOCHS"] * per,
                  f"EPOCHS 10 x ceil(60000 MNIST / {B}) = 10 x {per}", "Flatten + Linear(784, 256) + Linear(256, 10)")


@driver("g-audio-cnn")
def _(ctx):
    g = ctx.load()
    model = ctx.module("cnn").CNNNetwork()
    B = g["BATCH_SIZE"]
    opt = torch.optim.Adam(model.parameters(), lr=g["LEARNING_RATE"])
    # MelSpectrogram(sr 22050, n_fft 1024, hop 512, n_mels 64) of NUM_SAMPLES 22050 (centred): [1, 64, 44]
    frames = g["NUM_SAMPLES"] // 512 + 1
    step = _supervised(model, opt, nn.CrossEntropyLoss(), torch.randn(B, 1, 64, frames), labels(B, 10))
    per = ceil_div(8732, B)
    return _train({"cnn": model}, step, B, g["EPOCHS"] * per,
                  f"EPOCHS 10 x ceil(8732 UrbanSound8K clips / {B}) = 10 x {per}",
                  "CNNNetwork (4 conv blocks, Linear(128*5*4, 10)) on mel spectrograms [128, 1, 64, 44]")


@driver("g-audio-inference")
def _(ctx):
    model = ctx.module("cnn").CNNNetwork()
    model.eval()
    x = torch.randn(1, 1, 64, 22050 // 512 + 1)

    def step():
        with torch.no_grad():
            model(x)
    return dict(mode="infer", models={"cnn": model}, step=step, batch=1, seqLen=None, steps=1,
                stepsFormula="one prediction of one clip (usd[0])",
                notes="CNNNetwork on one mel spectrogram [1, 1, 64, 44], under no_grad")


# =============================================================================================
# facebookresearch/dino main_dino.py: ViT-S/16 student and teacher (EMA) with DINO heads (out_dim 65536), multi-crop
# 2 x 224 global + 8 x 96 local views per image, batch 64 per GPU (one GPU), 100 epochs on ImageNet (1,281,167 images).

@driver("g-dino-main")
def _(ctx):
    g = ctx.load(stop_at=r"^if __name__")
    hub_list, torch.hub.list = torch.hub.list, lambda *a, **k: []  # the parser lists xcit models from the network
    try:
        args = ctx.args("get_args_parser", g)
    finally:
        torch.hub.list = hub_list
    vits, utils = ctx.module("vision_transformer"), ctx.module("utils")

    def build(drop_path):
        kw = {"drop_path_rate": drop_path} if drop_path else {}
        m = vits.__dict__[args.arch](patch_size=args.patch_size, **kw)
        return utils.MultiCropWrapper(m, vits.DINOHead(m.embed_dim, args.out_dim, use_bn=args.use_bn_in_head,
                                                       norm_last_layer=args.norm_last_layer))
    student, teacher = build(args.drop_path_rate), build(0)
    teacher.load_state_dict(student.state_dict())
    # one process: the loss's all_reduce of the teacher centre is the identity
    g["DINOLoss"].forward.__globals__["dist"] = types.SimpleNamespace(all_reduce=lambda t: t,
                                                                             get_world_size=lambda: 1)
    for p in teacher.parameters():
        p.requires_grad = False
    opt = torch.optim.AdamW(utils.get_params_groups(student))
    dino_loss = g["DINOLoss"](args.out_dim, args.local_crops_number + 2, args.warmup_teacher_temp, args.teacher_temp,
                              args.warmup_teacher_temp_epochs, args.epochs)

    def one_iteration(b):
        crops = [torch.randn(b, 3, 224, 224) for _ in range(2)] + \
                [torch.randn(b, 3, 96, 96) for _ in range(args.local_crops_number)]

        def step():
            with torch.no_grad():
                t_out = teacher(crops[:2])
            loss = dino_loss(student(crops), t_out, 0)
            opt.zero_grad()
            loss.backward()
            opt.step()
        return step
    # The forward work is linear in the batch (every op is per image); counting at batch 64 with 10 crops would take
    # tens of minutes here, so it is counted at batch 2 and scaled to 64 (exact, no term independent of the batch).
    B, b = args.batch_size_per_gpu, 2
    c, _ = M.count({"models": {"student": student, "teacher": teacher}, "step": one_iteration(b)})
    fwd = c.total("fwd") * (B // b)
    params = M.unique_params({"student": student, "teacher": teacher}, trainable_only=False)
    per = 1281167 // B
    return dict(mode="train", closed={"params": params, "forwardFlops": fwd,
                                      "trainableParams": M.unique_params({"student": student}, trainable_only=True),
                                      "formula": f"the script's student and teacher counted at batch {b} (2 global + "
                                                 f"{args.local_crops_number} local crops) x {B // b}"},
                batch=B, seqLen=None, steps=args.epochs * per,
                stepsFormula=f"--epochs 100 x floor(1281167 ImageNet train images / {B}) (drop_last) = 100 x {per}",
                notes="student (trained) + teacher (EMA, no_grad) ViT-S/16 with DINOHead(384 -> 2048 -> 2048 -> 256 -> "
                      "65536); teacher on the 2 global crops, student on all 10")


# =============================================================================================
# spdin/time-series-prediction-lstm-pytorch: LSTM(1 -> 2) on airline-passengers windows of 4, whole training split
# (int(139 windows * 0.67) = 93) each step, 2000 epochs.

@driver("g-ts-lstm")
def _(ctx):
    seq, n = 4, int((144 - 4 - 1) * 0.67)
    # only the imports, the class and the functions run (the data cells read the downloaded CSV); the class reads the
    # notebook's global seq_length (4)
    g = ctx.load(skip=r"^(?!(import |from |class |def ))|^(import|from) (matplotlib|pandas|sklearn)",
                 globals_={"seq_length": seq})
    lstm = g["LSTM"](1, 1, 2, 1)
    opt = torch.optim.Adam(lstm.parameters(), lr=0.01)
    step = _supervised(lstm, opt, nn.MSELoss(), torch.rand(n, seq, 1), torch.rand(n, 1))
    spec = _train({"lstm": lstm}, step, n, 2000, "num_epochs 2000: one full-batch step each",
                  "LSTM(input 1, hidden 2) + Linear(2, 1) on trainX [93, 4, 1] (airline-passengers.csv: 144 months, "
                  "windows of 4 -> 139, 67% train; the CSV is downloaded by the notebook's !wget, not in the repo)",
                  seq=seq)
    why = "trainX's 93 windows come from airline-passengers.csv, which the notebook downloads (!wget); not in the repository"
    return dict(spec, unknowable={"batch": why, "forwardFlops": why})
