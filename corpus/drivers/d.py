"""Group d drivers: the HELD-OUT group (issue 14) — tutorials, course notebooks, segmentation, diffusion, VAE,
GAN and char-RNN scripts from repositories that were never used to develop FlopLens.

Each driver mirrors ONE iteration of the script's loop body with the script's own classes, configs and constants on
random tensors of the script's default shapes (corpus/README.md). No public code is copied here.
"""
import ast
import contextlib
import os
import re

from corpus_driver import driver, images, labels, epochs_steps, ceil_div
import torch
import torch.nn as nn


# ---------------------------------------------------------------------------------------------
# helpers

# Statements a course notebook runs that are not part of building the model: training and evaluation loops, plots,
# peeks at a batch (`dataiter.next()` is gone from torch's loader iterators), downloads, prints.
_NB_SKIP = r"^\s*(for |while |with |plt\.|fig|ax|helper\.|print\(|dataiter|images, labels = |img = |train\(|" \
           r"lrs, losses|plot_|opener|urllib)"


def _load_tolerant(ctx, skip=_NB_SKIP, stop_at=None):
    """Runs the notebook's (or script's) top-level statements one by one in one namespace, leaving out those matching
    `skip` and those that fail here (statements that read files absent from the mirror or attributes the synthetic
    datasets lack; a failed statement only ever computes display values in these notebooks). Returns the namespace."""
    src = ctx.source()
    lines = src.splitlines()
    g = {"__name__": "__floplens_corpus__", "__file__": str(ctx.script), "__builtins__": __builtins__}
    with ctx._env(), contextlib.redirect_stdout(open(os.devnull, "w")):
        for stmt in ast.parse(src).body:
            first = lines[stmt.lineno - 1]
            if stop_at and re.search(stop_at, first):
                break
            if skip and re.search(skip, first):
                continue
            try:
                exec(compile(ast.Module(body=[stmt], type_ignores=[]), str(ctx.script), "exec"), g)  # noqa: S102
            except Exception as ex:  # noqa: BLE001 — reported in the truth's notes
                ctx.note(f"skipped line {stmt.lineno} ({type(ex).__name__})")
    return g


def _supervised(model, optimizer, criterion, x, y, pick=None):
    def step():
        optimizer.zero_grad()
        out = model(x)
        loss = criterion(out if pick is None else out[pick], y)
        loss.backward()
        optimizer.step()
    return step


def _train(models, step, batch, steps, formula, notes):
    return dict(mode="train", models=models, step=step, batch=batch, steps=steps, stepsFormula=formula, notes=notes)


def _per_epoch(epochs, n, batch, what):
    per = ceil_div(n, batch)
    return epochs * per, f"{epochs} epochs x ceil({n} {what} / {batch}) = {epochs} x {per}"


# =============================================================================================
# jcjohnson/pytorch-examples: module-level loops over one fixed random batch

def _jcj(ctx, notes):
    g = _load_tolerant(ctx, skip=None, stop_at=r"^for t in range")
    model, x, y, loss_fn, optimizer = g["model"], g["x"], g["y"], g["loss_fn"], g["optimizer"]
    return _train({"model": model}, _supervised(model, optimizer, loss_fn, x, y), int(x.shape[0]), 500,
                  "for t in range(500): one optimizer step each", notes)


@driver("d-jcj-two-layer-module")
def _(ctx):
    return _jcj(ctx, "TwoLayerNet(1000, 100, 10) on x [64, 1000]; SGD")


@driver("d-jcj-two-layer-optim")
def _(ctx):
    return _jcj(ctx, "nn.Sequential(Linear(1000,100), ReLU, Linear(100,10)) on x [64, 1000]; Adam")


@driver("d-jcj-two-layer-nn")
def _(ctx):
    g = _load_tolerant(ctx, skip=None, stop_at=r"^for t in range")
    model, x, y, loss_fn, lr = g["model"], g["x"], g["y"], g["loss_fn"], g["learning_rate"]

    def step():
        loss = loss_fn(model(x), y)
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param.data -= lr * param.grad

    return _train({"model": model}, step, int(x.shape[0]), 500, "for t in range(500): one manual SGD update each",
                  "nn.Sequential on x [64, 1000]; no optimizer object: parameters updated by hand under no_grad")


# =============================================================================================
# milesial/Pytorch-UNet

@driver("d-unet-train")
def _(ctx):
    mod = ctx.module("unet")
    model = mod.UNet(n_channels=3, n_classes=2, bilinear=False)  # argparse defaults: --classes 2, no --bilinear
    B = 1  # --batch-size default
    # Carvana (the dataset the README trains on): 5088 images of 1918x1280; --scale 0.5 -> int(0.5*w), int(0.5*h)
    h, w = int(0.5 * 1280), int(0.5 * 1918)
    x = torch.randn(B, 3, h, w)
    masks = torch.randint(0, 2, (B, h, w))
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-5, weight_decay=1e-8, momentum=0.999)
    criterion = nn.CrossEntropyLoss()
    dice_loss = ctx.module("utils.dice_score").dice_loss
    import torch.nn.functional as F

    def step():
        pred = model(x)
        loss = criterion(pred, masks)
        loss = loss + dice_loss(F.softmax(pred, dim=1).float(),
                                F.one_hot(masks, 2).permute(0, 3, 1, 2).float(), multiclass=True)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    n = 5088
    n_train = n - int(n * 0.1)
    return _train({"model": model}, step, B, 5 * n_train,
                  f"5 epochs x {n_train} train images (Carvana 5088 - 10% validation) / batch 1",
                  "Carvana images 1918x1280 at --scale 0.5 -> [1, 3, 640, 959]; 2 classes; in-loop evaluation "
                  "(5 per epoch over the 508 validation images) not in the step")


# =============================================================================================
# dome272/Diffusion-Models-pytorch (launch() sets args; train(args) loops over an ImageFolder)

def _ddpm(ctx, conditional):
    ns = ctx.load(stop_at=r"^if __name__")
    modules = ctx.module("modules")
    B = 14 if conditional else 12
    if conditional:
        model = modules.UNet_conditional(num_classes=10, device="cpu")
    else:
        model = modules.UNet(device="cpu")
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    mse = nn.MSELoss()
    diffusion = ns.Diffusion(img_size=64, device="cpu")
    imgs = torch.randn(B, 3, 64, 64)
    ys = labels(B, 10)

    def step():
        t = diffusion.sample_timesteps(B)
        x_t, noise = diffusion.noise_images(imgs, t)
        pred = model(x_t, t, ys) if conditional else model(x_t, t)
        loss = mse(noise, pred)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return model, step, B


@driver("d-ddpm-uncond")
def _(ctx):
    model, step, B = _ddpm(ctx, False)
    return _train({"model": model}, step, B, None,
                  "500 epochs x ceil(len(landscape ImageFolder) / 12): the folder is the author's own, its size unknown",
                  "launch(): batch 12, image_size 64 (RandomResizedCrop 64), 500 epochs; per epoch also 999 sampling "
                  "calls of the UNet (diffusion.sample), not in the step")


@driver("d-ddpm-cond")
def _(ctx):
    model, step, B = _ddpm(ctx, True)
    steps, formula = _per_epoch(300, 50000, B, "CIFAR-10 64x64 ImageFolder train images")
    return _train({"model": model}, step, B, steps, formula,
                  "launch(): batch 14, image_size 64, 300 epochs on cifar10-64/train (50,000 images); labels dropped "
                  "10% of the time (no FLOPs either way); EMA copy is updated, not called; sampling every 10 epochs "
                  "not in the step")


# =============================================================================================
# udacity/deep-learning-v2-pytorch (course notebooks)

def _nb_classifier(ctx, model_name, B, shape, classes, epochs, n_train, what, notes, pick=None, stop_at=None):
    g = _load_tolerant(ctx, stop_at=stop_at)
    model, criterion, optimizer = g[model_name], g["criterion"], g["optimizer"]
    step = _supervised(model, optimizer, criterion, images(B, shape), labels(B, classes), pick)
    steps, formula = _per_epoch(epochs, n_train, B, what)
    return _train({"model": model}, step, B, steps, formula, notes)


@driver("d-udacity-cifar-cnn")
def _(ctx):
    return _nb_classifier(ctx, "model", 20, (3, 32, 32), 10, 30, 40000, "CIFAR-10 images (SubsetRandomSampler, 80%)",
                          "batch 20, valid_size 0.2 -> the train sampler holds 40,000 indices; 30 epochs; "
                          "validation pass per epoch not in the step")


@driver("d-udacity-mnist-mlp")
def _(ctx):
    return _nb_classifier(ctx, "model", 20, (1, 28, 28), 10, 50, 48000, "MNIST images (SubsetRandomSampler, 80%)",
                          "batch 20, valid_size 0.2 -> 48,000 train indices; 50 epochs")


@driver("d-udacity-fashion-mnist")
def _(ctx):
    return _nb_classifier(ctx, "model", 64, (1, 28, 28), 10, 5, 60000, "FashionMNIST images",
                          "Classifier 784-256-128-64-10, batch 64, 5 epochs")


def _nb_autoencoder(ctx, noisy, epochs, notes):
    g = _load_tolerant(ctx)
    model, criterion, optimizer = g["model"], g["criterion"], g["optimizer"]
    B = 20
    imgs = torch.rand(B, 1, 28, 28)

    def step():
        inp = torch.clamp(imgs + 0.5 * torch.randn(*imgs.shape), 0., 1.) if noisy else imgs
        optimizer.zero_grad()
        loss = criterion(model(inp), imgs)
        loss.backward()
        optimizer.step()

    steps, formula = _per_epoch(epochs, 60000, B, "MNIST images")
    return _train({"model": model}, step, B, steps, formula, notes)


@driver("d-udacity-conv-ae")
def _(ctx):
    return _nb_autoencoder(ctx, False, 30, "ConvAutoencoder on MNIST, batch 20, 30 epochs")


@driver("d-udacity-denoise-ae")
def _(ctx):
    return _nb_autoencoder(ctx, True, 20, "ConvDenoiser on noisy MNIST, batch 20, 20 epochs")


def _gan_step(D, G, d_opt, g_opt, real, z_size, real_loss, fake_loss, smooth, g_no_grad_in_d):
    B = real.shape[0]

    def step():
        d_opt.zero_grad()
        d_real = real_loss(D(real), smooth=True) if smooth else real_loss(D(real))
        z = torch.rand(B, z_size) * 2 - 1
        if g_no_grad_in_d:
            with torch.no_grad():
                fake = G(z)
        else:
            fake = G(z)
        d_loss = d_real + fake_loss(D(fake))
        d_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        z = torch.rand(B, z_size) * 2 - 1
        g_loss = real_loss(D(G(z)))
        g_loss.backward()
        g_opt.step()
    return step


@driver("d-udacity-mnist-gan")
def _(ctx):
    g = _load_tolerant(ctx)
    B = 64
    step = _gan_step(g["D"], g["G"], g["d_optimizer"], g["g_optimizer"], torch.rand(B, 1, 28, 28) * 2 - 1,
                     g["z_size"], g["real_loss"], g["fake_loss"], smooth=True, g_no_grad_in_d=True)
    steps, formula = _per_epoch(100, 60000, B, "MNIST images")
    return _train({"D": g["D"], "G": g["G"]}, step, B, steps, formula,
                  "fully connected D (784-128-64-32-1) and G (100-32-64-128-784); D called 3x, G 2x (once under "
                  "no_grad) per batch; both optimizers step on the same batch: one iteration")


@driver("d-udacity-dcgan-svhn")
def _(ctx):
    g = _load_tolerant(ctx)
    B = 128
    step = _gan_step(g["D"], g["G"], g["d_optimizer"], g["g_optimizer"], torch.rand(B, 3, 32, 32) * 2 - 1,
                     g["z_size"], g["real_loss"], g["fake_loss"], smooth=False, g_no_grad_in_d=False)
    steps, formula = _per_epoch(50, 73257, B, "SVHN train images")
    return _train({"D": g["D"], "G": g["G"]}, step, B, steps, formula,
                  "conv D / deconv G, conv_dim 32, z 100; batch 128, 50 epochs; D 3x, G 2x per batch")


@driver("d-udacity-char-rnn")
def _(ctx):
    g = _load_tolerant(ctx, skip=_NB_SKIP.replace("with |", "") + r"|^(net = CharRNN|batches|x, y = )")
    text = g["text"]
    chars = g["chars"]
    net = g["CharRNN"](chars, 512, 2)
    B, T = 128, 100
    n_chars = len(chars)
    data_len = int(len(g["encoded"]) * (1 - 0.1))  # val_frac 0.1
    per_epoch = data_len // (B * T)
    # the generator walks arr.shape[1] = per_epoch * T columns in steps of T
    opt = torch.optim.Adam(net.parameters(), lr=0.001)
    criterion = nn.CrossEntropyLoss()
    x = torch.zeros(B, T, n_chars)
    x[:, :, 0] = 1.0
    y = torch.randint(0, n_chars, (B * T,))

    def step():
        h = net.init_hidden(B)
        h = tuple(each.data for each in h)
        net.zero_grad()
        out, h = net(x, h)
        loss = criterion(out, y)
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 5)
        opt.step()

    return _train({"net": net}, step, B, 20 * per_epoch,
                  f"20 epochs x floor({data_len} chars / ({B} x {T})) = 20 x {per_epoch}",
                  f"anna.txt: {len(text)} characters, {n_chars} distinct -> one-hot LSTM input; hidden 512, 2 layers; "
                  "batch 128 sequences of 100; validation every 10 steps not in the step")


@driver("d-udacity-simple-rnn")
def _(ctx):
    g = _load_tolerant(ctx)
    rnn, criterion, optimizer, T = g["rnn"], g["criterion"], g["optimizer"], g["seq_length"]
    x = torch.randn(1, T, 1)
    y = torch.randn(T, 1)

    def step():
        prediction, hidden = rnn(x, None)
        loss = criterion(prediction, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return _train({"rnn": rnn}, step, 1, g["n_steps"], "train(rnn, n_steps=75): one optimizer step per sine window",
                  "RNN(1 -> 32, 1 layer) + Linear(32, 1) on one window of 20 points (batch 1); the hidden state is "
                  "carried between steps (no FLOPs); test_rnn (hidden 10, 2 layers) is only called once to show "
                  "shapes")


@driver("d-udacity-intro-part3")
def _(ctx):
    g = _load_tolerant(ctx)
    B = 64
    model, criterion, optimizer = g["model"], g["criterion"], g["optimizer"]
    step = _supervised(model, optimizer, criterion, torch.randn(B, 784), labels(B, 10))
    steps, formula = _per_epoch(5, 60000, B, "MNIST images")
    return _train({"model": model}, step, B, steps, formula + " (+1 demonstration step on an earlier model)",
                  "the notebook redefines model three times; the last, nn.Sequential 784-128-64-10 + LogSoftmax with "
                  "SGD, is trained 5 epochs on flattened images")


# =============================================================================================
# bentrevett/pytorch-image-classification (notebooks; the models return (prediction, hidden))

@driver("d-bt-mlp")
def _(ctx):
    return _nb_classifier(ctx, "model", 64, (1, 28, 28), 10, 10, 54000, "MNIST train images (random_split 90%)",
                          "MLP 784-250-100-10, batch 64, 10 epochs", pick=0)


@driver("d-bt-lenet")
def _(ctx):
    return _nb_classifier(ctx, "model", 64, (1, 28, 28), 10, 20, 54000, "MNIST train images (random_split 90%)",
                          "LeNet, batch 64, 20 epochs", pick=0)


@driver("d-bt-alexnet")
def _(ctx):
    spec = _nb_classifier(ctx, "model", 256, (3, 32, 32), 10, 25, 45000, "CIFAR-10 train images (random_split 90%)",
                          "AlexNet-style CIFAR net, batch 256, 25 epochs, plus the learning-rate finder's "
                          "range_test of 100 optimizer steps on the same batches; the notebook's last cells load a "
                          "pretrained torchvision AlexNet only to plot its filters", pick=0, stop_at=r"^model = models\.")
    spec["steps"] += 100
    spec["stepsFormula"] += " + 100 (LRFinder.range_test NUM_ITER)"
    return spec


# =============================================================================================
# AntixK/PyTorch-VAE (run.py: a YAML config, a Lightning module around the model)

@driver("d-vae-vanilla")
def _(ctx):
    import yaml
    cfg = yaml.safe_load((ctx.root / "configs" / "vae.yaml").read_text())
    models = ctx.module("models")
    mp = cfg["model_params"]
    model = models.vae_models[mp["name"]](**mp)
    B, side = cfg["data_params"]["train_batch_size"], cfg["data_params"]["patch_size"]
    x = torch.randn(B, 3, side, side)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg["exp_params"]["LR"])

    def step():
        optimizer.zero_grad()
        results = model(x)
        loss = model.loss_function(*results, M_N=cfg["exp_params"]["kld_weight"])["loss"]
        loss.backward()
        optimizer.step()

    steps, formula = _per_epoch(cfg["trainer_params"]["max_epochs"], 162770, B, "CelebA train images")
    return _train({"model": model}, step, B, steps, formula,
                  "configs/vae.yaml: VanillaVAE(in_channels 3, latent 128), batch 64, patch 64 (CenterCrop 148, Resize "
                  "64), 100 epochs on CelebA train (162,770); Lightning validation and sampling not in the step")
