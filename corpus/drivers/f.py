"""Group f drivers: the HELD-OUT group measured at the END of a session (issue 14) — course scripts, classic tutorial
scripts, course notebooks (sentiment analysis, seq2seq translation) and a super-resolution training script from five
repositories that were never used to develop FlopLens, measured after that session's analyser changes.

Each driver mirrors ONE iteration of the script's loop body with the script's own classes, configs and constants on
random tensors of the script's default shapes (corpus/README.md). No public code is copied here.
"""

from corpus_driver import driver, images, labels, ceil_div
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------------------------------------
# helpers

def _train(models, step, batch, steps, formula, notes, seq=None):
    return dict(mode="train", models=models, step=step, batch=batch, seqLen=seq, steps=steps, stepsFormula=formula,
                notes=notes)


def _per_epoch(epochs, n, batch, what):
    per = ceil_div(n, batch)
    return epochs * per, f"{epochs} epochs x ceil({n} {what} / {batch}) = {epochs} x {per}"


def _supervised(model, optimizer, criterion, x, y, *extra):
    def step():
        optimizer.zero_grad()
        loss = criterion(model(x, *extra), y)
        loss.backward()
        optimizer.step()
    return step


def _definitions(ctx):
    """Runs only the imports, class and function definitions of a notebook (its data preparation downloads datasets,
    tokenizes with spaCy and builds vocabularies, none of which exists here); the sizes those steps produce are taken
    from the notebook's own printed outputs by each driver."""
    return ctx.load(skip=r"^(?!(import |from |class |def |@))|^(import|from) matplotlib")


# =============================================================================================
# hunkim/PyTorchZeroToAll: module-level course scripts

def _hk_fixed(ctx, epochs, notes):
    """Scripts that train at module level on one fixed tensor (x_data, y_data) for `epochs` steps."""
    g = ctx.load(stop_at=r"^for epoch in range")
    model, x, y = g["model"], g["x_data"], g["y_data"]
    step = _supervised(model, g["optimizer"], g["criterion"], x, y)
    return _train({"model": model}, step, int(x.shape[0]), epochs, f"for epoch in range({epochs}): one step each",
                  notes)


@driver("f-hk-linear-regression")
def _(ctx):
    return _hk_fixed(ctx, 500, "Linear(1, 1) on x_data [3, 1]; SGD")


@driver("f-hk-diabetes-logistic")
def _(ctx):
    return _hk_fixed(ctx, 100, "3 Linear layers on the whole diabetes.csv.gz (759 x 8) each step; SGD")


@driver("f-hk-dataset-loader-logistic")
def _(ctx):
    g = ctx.load(stop_at=r"^for epoch in range")
    n = len(g["dataset"])
    B = 32
    model = g["model"]
    step = _supervised(model, g["optimizer"], g["criterion"], torch.randn(B, 8), torch.rand(B, 1))
    steps, formula = _per_epoch(2, n, B, "diabetes rows (local Dataset over data/diabetes.csv.gz)")
    return _train({"model": model}, step, B, steps, formula, "DiabetesDataset, DataLoader batch 32, 2 epochs")


def _hk_mnist(ctx, criterion, notes):
    g = ctx.load(stop_at=r"^(def train|if __name__)")
    model, B = g["model"], g["batch_size"]
    step = _supervised(model, g["optimizer"], criterion or g["criterion"], images(B, (1, 28, 28)), labels(B, 10))
    steps, formula = _per_epoch(9, 60000, B, "MNIST train images")
    return _train({"model": model}, step, B, steps, formula.replace("9 epochs", "range(1, 10) = 9 epochs"),
                  notes + "; test() after every epoch is evaluation, not in the step")


@driver("f-hk-softmax-mnist")
def _(ctx):
    return _hk_mnist(ctx, None, "5-layer MLP (x.view(-1, 784)) on MNIST, batch 64")


@driver("f-hk-cnn-mnist")
def _(ctx):
    return _hk_mnist(ctx, F.nll_loss, "2 conv + fc(320) on MNIST, batch 64, log_softmax + nll_loss")


@driver("f-hk-inception-mnist")
def _(ctx):
    return _hk_mnist(ctx, F.nll_loss, "toy Inception (2 InceptionA blocks, fc 1408) on MNIST, batch 64")


@driver("f-hk-hello-rnn-emb")
def _(ctx):
    g = ctx.load(stop_at=r"^for epoch in range")
    model = g["model"]
    step = _supervised(model, g["optimizer"], g["criterion"], g["inputs"], g["labels"])
    return _train({"model": model}, step, 1, 100, "for epoch in range(100): one step each",
                  "Embedding(5, 10) + RNN(10, 5) + Linear on one sentence [1, 6]; Adam", seq=6)


# =============================================================================================
# sgrvinod/a-PyTorch-Tutorial-to-Super-Resolution

@driver("f-sr-srresnet")
def _(ctx):
    g = ctx.load(stop_at=r"^def main")
    model = ctx.module("models").SRResNet(large_kernel_size=g["large_kernel_size"],
                                          small_kernel_size=g["small_kernel_size"], n_channels=g["n_channels"],
                                          n_blocks=g["n_blocks"], scaling_factor=g["scaling_factor"])
    B, crop, s = g["batch_size"], g["crop_size"], g["scaling_factor"]
    optimizer = torch.optim.Adam(params=filter(lambda p: p.requires_grad, model.parameters()), lr=g["lr"])
    step = _supervised(model, optimizer, nn.MSELoss(), torch.randn(B, 3, crop // s, crop // s),
                       torch.randn(B, 3, crop, crop))
    n = 123287  # COCO 2014 train + val images (the README's "about 120k"); min_size=100 drops few
    per = ceil_div(n, B)
    epochs = int(g["iterations"] // per + 1)
    return _train({"model": model}, step, B, epochs * per,
                  f"epochs = int(1e6 // len(loader) + 1) = {epochs} with len(loader) = ceil({n} COCO'14 images / {B})"
                  f" = {per}: {epochs * per} steps (~1e6 whatever the exact image count)",
                  "SRResNet(9, 3, 64 channels, 16 blocks, x4) on LR crops [16, 3, 24, 24] -> [16, 3, 96, 96]; Adam")


# =============================================================================================
# bentrevett/pytorch-sentiment-analysis (notebooks 1-3): IMDB, 18,750 train reviews after a 25% validation split,
# tokens truncated at max_length 256, vocabulary of 21,635 (min_freq 5; the notebook prints len(vocab)), batch 512,
# padding to the longest review of the batch: measured at seq 256 (most IMDB reviews exceed 256 tokens).

_SA_VOCAB, _SA_PAD, _SA_B, _SA_T = 21635, 1, 512, 256


def _sa(ctx, build, notes):
    g = _definitions(ctx)
    model = build(g)
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-4)
    ids = torch.randint(2, _SA_VOCAB, (_SA_B, _SA_T))
    step = _supervised(model, optimizer, nn.CrossEntropyLoss(), ids, labels(_SA_B, 2))
    steps, formula = _per_epoch(10, 18750, _SA_B, "IMDB train reviews")
    return _train({"model": model}, step, _SA_B, steps, formula, notes, seq=_SA_T)


@driver("f-sa-nbow")
def _(ctx):
    return _sa(ctx, lambda g: g["NBoW"](_SA_VOCAB, 300, 2, _SA_PAD),
               "NBoW(21635, 300, 2): embedding mean + Linear (the notebook prints 6,491,102 parameters)")


@driver("f-sa-lstm")
def _(ctx):
    # Under the dispatch-mode counter torch 1.13 runs the packed LSTM one time step at a time; at [512, 256] that did
    # not finish in 20 minutes here, so the truth is the counter's own convention in closed form (test/fixtures'
    # lstm_text_classifier: per layer & direction 2*B*T*in*4H + 2*B*T*H*4H), checked against the counter on the
    # notebook's own class at [8, 16] and [16, 32] (equal to the FLOP).
    g = _definitions(ctx)
    model = g["LSTM"](_SA_VOCAB, 300, 300, 2, 2, True, 0.5, _SA_PAD)
    params = sum(p.numel() for p in model.parameters())
    B, T, H = _SA_B, _SA_T, 300
    fwd = sum(2 * (2 * B * T * i * 4 * H + 2 * B * T * H * 4 * H) for i in (300, 2 * H)) + 2 * B * 2 * H * 2
    steps, formula = _per_epoch(10, 18750, B, "IMDB train reviews")
    return dict(mode="train", closed={"params": params, "forwardFlops": fwd,
                                      "formula": "2 layers x 2 directions x (2*B*T*in*4H + 2*B*T*H*4H) + fc 2*B*600*2 "
                                                 "at B 512, T 256, in 300/600, H 300 (the counter's convention, "
                                                 "checked on the notebook's class at [8,16] and [16,32])"},
                batch=B, seqLen=T, steps=steps, stepsFormula=formula,
                notes="LSTM(21635, 300, 300, 2 layers, bidirectional) over packed sequences, all lengths 256 (the "
                      "notebook prints 10,101,302 parameters)")


@driver("f-sa-cnn")
def _(ctx):
    return _sa(ctx, lambda g: g["CNN"](_SA_VOCAB, 300, 100, [3, 5, 7], 2, 0.25, _SA_PAD),
               "CNN(21635, 300, 100 filters of 3/5/7) (the notebook prints 6,941,402 parameters)")


# =============================================================================================
# bentrevett/pytorch-seq2seq (notebooks 1-3): Multi30k de->en, 29,000 train pairs, vocabularies de 7,853 / en 5,893
# (min_freq 2; printed by the notebook), batch 128, padding to the longest sentence of the batch: measured at
# src = trg = 32 tokens. Teacher forcing is random per step; it changes the next input token, not the work.

_S2S_DE, _S2S_EN, _S2S_B, _S2S_T = 7853, 5893, 128, 32


def _s2s(ctx, build, notes):
    g = _definitions(ctx)
    model = build(g)
    optimizer = torch.optim.Adam(model.parameters())
    criterion = nn.CrossEntropyLoss(ignore_index=1)
    src = torch.randint(4, _S2S_DE, (_S2S_T, _S2S_B))
    trg = torch.randint(4, _S2S_EN, (_S2S_T, _S2S_B))

    def step():
        optimizer.zero_grad()
        out = model(src, trg, 0.5)
        loss = criterion(out[1:].view(-1, out.shape[-1]), trg[1:].view(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    steps, formula = _per_epoch(10, 29000, _S2S_B, "Multi30k train pairs")
    return _train({"model": model}, step, _S2S_B, steps, formula, notes, seq=_S2S_T)


def _s2s_model(enc_args, dec_args, attention=False):
    def build(g):
        extra = (g["Attention"](512, 512),) if attention else ()
        enc, dec = g["Encoder"](_S2S_DE, *enc_args), g["Decoder"](_S2S_EN, *dec_args, *extra)
        return g["Seq2Seq"](enc, dec, torch.device("cpu"))
    return build


@driver("f-s2s-lstm")
def _(ctx):
    return _s2s(ctx, _s2s_model((256, 512, 2, 0.5), (256, 512, 2, 0.5)),
                "2-layer LSTM encoder/decoder, emb 256, hidden 512; the decoder runs 31 steps "
                "(the notebook prints 13,898,501 parameters)")


@driver("f-s2s-gru")
def _(ctx):
    return _s2s(ctx, _s2s_model((256, 512, 0.5), (256, 512, 0.5)),
                "GRU encoder/decoder with the context fed at every decoder step "
                "(the notebook prints 14,219,781 parameters)")


@driver("f-s2s-attention")
def _(ctx):
    return _s2s(ctx, _s2s_model((256, 512, 512, 0.5), (256, 512, 512, 0.5), attention=True),
                "bidirectional GRU encoder, additive attention over 32 source positions at each of 31 decoder steps "
                "(the notebook prints 20,518,405 parameters)")


# =============================================================================================
# L1aoXingyu/pytorch-beginner: module-level training scripts on MNIST (the scripts call .cuda(); the drivers build
# the same classes on the CPU)

def _lx(ctx, cls_stop, build, x, y, criterion, opt, B, epochs, notes):
    g = ctx.load(stop_at=cls_stop)
    model = build(g)
    optimizer = opt(model.parameters(), g["learning_rate"])
    step = _supervised(model, optimizer, criterion, x, y)
    steps, formula = _per_epoch(epochs, 60000, B, "MNIST train images")
    return _train({"model": model}, step, B, steps, formula, notes)


@driver("f-lx-cnn")
def _(ctx):
    B = 128
    return _lx(ctx, r"^model = ", lambda g: g["Cnn"](1, 10), images(B, (1, 28, 28)), labels(B, 10),
               nn.CrossEntropyLoss(), lambda p, lr: torch.optim.SGD(p, lr=lr), B, 20,
               "Cnn(1, 10): 2 conv + 3 Linear; SGD; tensorboard logging each step (no FLOPs)")


@driver("f-lx-rnn")
def _(ctx):
    B = 100
    return _lx(ctx, r"^model = ", lambda g: g["Rnn"](28, 128, 2, 10), torch.randn(B, 28, 28), labels(B, 10),
               nn.CrossEntropyLoss(), lambda p, lr: torch.optim.Adam(p, lr=lr), B, 20,
               "Rnn(28, 128, 2 layers, 10): MNIST rows as a 28-step sequence (img.squeeze(1)); Adam; per-epoch test "
               "not in the step")


def _lx_ae(ctx, x, notes):
    B = x.shape[0]
    return _lx(ctx, r"^model = ", lambda g: g["autoencoder"](), x, x, nn.MSELoss(),
               lambda p, lr: torch.optim.Adam(p, lr=lr, weight_decay=1e-5), B, 100, notes)


@driver("f-lx-simple-ae")
def _(ctx):
    return _lx_ae(ctx, torch.randn(128, 784), "MLP autoencoder 784-128-64-12-3 and back on img.view(B, -1); Adam")


@driver("f-lx-conv-ae")
def _(ctx):
    return _lx_ae(ctx, images(128, (1, 28, 28)),
                  "conv autoencoder (Conv2d stride 3/2 + ConvTranspose2d x3) on MNIST; Adam")
