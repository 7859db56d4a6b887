"""Group a drivers: classic examples, tutorials, GANs, small paper re-implementations.

Each driver mirrors ONE iteration of the script's loop body with the script's own classes, configs and constants
on random tensors of the script's default shapes (see corpus-spec.md). No public code is copied here.
"""
import ast
import re

from corpus_driver import driver, images, labels, epochs_steps, ceil_div, DATASETS
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------------------------------------
# helpers

def _globals_of(obj):
    """The module globals a script-defined class or function sees."""
    fn = obj
    if isinstance(obj, type):
        for v in vars(obj).values():
            if callable(v) and hasattr(v, "__globals__"):
                fn = v
                break
    return fn.__globals__


def _run_main_prefix(ctx, anchor, stop=r"^\s*for epoch\b"):
    """Scripts that keep their hyper-parameters inside `if __name__ == '__main__':` (nlp-tutorial): run the
    script's own statements of that block up to the training loop (the first statement whose line matches
    `stop`) in the script's globals (those `anchor`, a class of the script, sees), and return those globals."""
    g = _globals_of(anchor)
    src = ctx.source()  # .py or the joined code cells of a notebook
    lines = src.splitlines()
    for node in ast.parse(src).body:
        if isinstance(node, ast.If) and "__name__" in ast.dump(node.test):
            body = []
            for stmt in node.body:
                if re.match(stop, lines[stmt.lineno - 1]):
                    break
                body.append(stmt)
            exec(compile(ast.Module(body=body, type_ignores=[]), str(ctx.script), "exec"), g)  # noqa: S102
            return g
    raise RuntimeError(f"no __main__ block in {ctx.script}")


class _NoAccelerator:
    """torch.accelerator (torch >= 2.6) for scripts that probe it at module level; Debian's torch 1.13 lacks it.
    Only present while the script loads; it reports no accelerator, as on this CPU machine."""

    def __enter__(self):
        self.added = not hasattr(torch, "accelerator")
        if self.added:
            import types
            torch.accelerator = types.SimpleNamespace(is_available=lambda: False,
                                                      current_accelerator=lambda: torch.device("cpu"))
        return self

    def __exit__(self, *exc):
        if self.added:
            del torch.accelerator
        return False


# torchvision's deprecated MNIST aliases (.train_data, .test_labels, ...) that the synthetic datasets lack; the
# statements using them only print shapes or build the evaluation tensors, outside the training step
_OLD_MNIST_ATTRS = r"\.(train|test)_(data|labels)\b"
_NO_DATA = r"^(val_|test_)?dataloader = "  # folder datasets absent here: an empty ImageDataset makes DataLoader raise


def _supervised_step(model, optimizer, criterion, inputs, target, pick=None):
    """One optimizer step of `criterion(model(*inputs), target)`; `pick` selects the prediction from a tuple output."""
    def step():
        optimizer.zero_grad()
        out = model(*inputs)
        loss = criterion(out if pick is None else out[pick], target)
        loss.backward()
        optimizer.step()
    return step


def _train(models, step, batch, steps, formula, notes):
    return dict(mode="train", models=models, step=step, batch=batch, steps=steps, stepsFormula=formula, notes=notes)


def _epochs_train(models, step, batch, epochs, dataset, notes):
    steps, formula = epochs_steps(epochs, dataset, batch)
    return _train(models, step, batch, steps, formula, notes)


def _mnist_classifier(ns, x, model, optimizer, criterion, epochs, notes, pick=None):
    """A classifier on MNIST-shaped batches `x` (labels 0..9): one supervised step per loader batch."""
    B = int(x.shape[0])
    step = _supervised_step(model, optimizer, criterion, (x,), labels(B, 10), pick)
    return _epochs_train({"model": model}, step, B, epochs, "MNIST", notes)


# =============================================================================================
# pytorch/examples

@driver("a-examples-dcgan")
def _(ctx):
    ns = ctx.load(stop_at=r"^for epoch")
    opt, netG, netD, criterion = ns.opt, ns.netG, ns.netD, ns.criterion
    optimizerD, optimizerG = ns.optimizerD, ns.optimizerG
    B, nz = opt.batchSize, ns.nz
    real_cpu = images(B, (ns.nc, opt.imageSize, opt.imageSize))

    def step():
        netD.zero_grad()
        b = real_cpu.size(0)
        label = torch.full((b,), ns.real_label, dtype=real_cpu.dtype)
        output = netD(real_cpu)
        criterion(output, label).backward()
        noise = torch.randn(b, nz, 1, 1)
        fake = netG(noise)
        label.fill_(ns.fake_label)
        output = netD(fake.detach())
        criterion(output, label).backward()
        optimizerD.step()
        netG.zero_grad()
        label.fill_(ns.real_label)
        output = netD(fake)
        criterion(output, label).backward()
        optimizerG.step()

    steps, formula = epochs_steps(opt.niter, "CIFAR10", B)
    return dict(mode="train", models={"netG": netG, "netD": netD}, step=step, batch=B, steps=steps,
                stepsFormula=formula,
                notes="argv --dataset cifar10 (required flag; CIFAR10 is the first torchvision dataset in its list); "
                      "imageSize 64 -> real [64,3,64,64], noise [64,100,1,1]; D called 3x, G once; "
                      "extra: netG(fixed_noise) every 100 iterations for save_image")


def _examples_mnist(ctx, lr, notes):
    """pytorch/examples mnist and mnist_rnn: main() parses --batch-size 64 --epochs 14 and trains Net with Adadelta."""
    ns = ctx.load()
    B, epochs = 64, 14  # argparse defaults inside main()
    model = ns.Net()
    model.train()
    return _mnist_classifier(ns, images(B, (1, 28, 28)), model, torch.optim.Adadelta(model.parameters(), lr=lr),
                             F.nll_loss, epochs, notes)


@driver("a-examples-mnist")
def _(ctx):
    return _examples_mnist(ctx, 1.0, "main() builds its parser inside; test pass with batch 1000 per epoch")


@driver("a-examples-mnist-rnn")
def _(ctx):
    return _examples_mnist(ctx, 0.1, "LSTM over 28 rows (input reshaped to [-1, 28, 28] inside forward); "
                                     "test pass batch 1000 per epoch")


@driver("a-examples-vae")
def _(ctx):
    with _NoAccelerator():
        ns = ctx.load()
    args, model, optimizer = ns.args, ns.model, ns.optimizer
    B = args.batch_size
    data = torch.rand(B, 1, 28, 28)  # BCE needs targets in [0,1]

    def step():
        optimizer.zero_grad()
        recon, mu, logvar = model(data)
        loss = ns.loss_function(recon, data, mu, logvar)
        loss.backward()
        optimizer.step()

    steps, formula = epochs_steps(args.epochs, "MNIST", B)
    return dict(mode="train", models={"model": model}, step=step, batch=B, steps=steps, stepsFormula=formula,
                notes="per epoch also a test pass (10000 images, batch 128) and decode of 64 samples")


@driver("a-examples-super-resolution")
def _(ctx):
    ns = ctx.load(stop_at=r"^train_set")  # the next statement downloads BSDS300
    opt = ns.opt
    model = ctx.module("model").Net(upscale_factor=opt.upscale_factor)
    crop = 256 - (256 % opt.upscale_factor)  # data.calculate_valid_crop_size(256, factor)
    B, side = opt.batchSize, crop // opt.upscale_factor
    step = _supervised_step(model, torch.optim.Adam(model.parameters(), lr=opt.lr), nn.MSELoss(),
                            (torch.rand(B, 1, side, side),), torch.rand(B, 1, crop, crop))
    per_epoch = ceil_div(200, B)  # BSDS300 train split: 200 images (BSDS300-images.tgz, images/train)
    return _train({"model": model}, step, B, opt.nEpochs * per_epoch,
                  f"{opt.nEpochs} epochs x ceil(200 BSDS300 train images / {B}) = {opt.nEpochs} x {per_epoch}",
                  "argv --upscale_factor 3 (required, no default); input Y channel 85x85 (CenterCrop 255, Resize 85), "
                  "target 255x255; last batch of each epoch is 8 images (200 = 3x64 + 8), step mirrors a full batch")


@driver("a-examples-word-language-model")
def _(ctx):
    ns = ctx.load(stop_at=r"^corpus = ")  # wikitext-2/train.txt (10.8 MB) is not in the mirror
    args = ns.args
    mod = ctx.module("model")
    ntokens = 33278  # len(corpus.dictionary) for wikitext-2 train+valid+test with <eos> (data.Corpus)
    model = mod.RNNModel(args.model, ntokens, args.emsize, args.nhid, args.nlayers, args.dropout, args.tied)
    criterion = nn.NLLLoss()
    B, T = args.batch_size, args.bptt
    data = torch.randint(0, ntokens, (T, B))
    targets = torch.randint(0, ntokens, (T * B,))
    hidden = [model.init_hidden(B)]
    lr = args.lr
    model.train()

    def step():
        h = tuple(v.detach() for v in hidden[0])
        model.zero_grad()
        output, h = model(data, h)
        loss = criterion(output, targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-lr)
        hidden[0] = h

    train_tokens = 2_088_628  # wikitext-2 train tokens incl. <eos> per line (data.Corpus.tokenize)
    rows = train_tokens // B
    per_epoch = ceil_div(rows - 1, T)
    return dict(mode="train", models={"model": model}, step=step, batch=B, steps=args.epochs * per_epoch,
                stepsFormula=f"{args.epochs} epochs x ceil(({train_tokens} // {B} - 1) / bptt {T}) = {args.epochs} x {per_epoch}",
                notes="LSTM default; input [35, 20] (seq-first); vocab 33278 is data-dependent (wikitext-2); "
                      "manual SGD update (no optimizer by default); per epoch also evaluates valid split with batch 10")


# =============================================================================================
# yunjey/pytorch-tutorial

@driver("a-yunjey-resnet")
def _(ctx):
    ns = ctx.load(stop_at=r"^for epoch")
    B = ns.batch_size
    step = _supervised_step(ns.model, ns.optimizer, ns.criterion, (images(B, (3, 32, 32)),), labels(B, 10))
    return _epochs_train({"model": ns.model}, step, B, ns.num_epochs, "CIFAR10",
                         "ResNet [2,2,2] on CIFAR-10 32x32 (Pad 4 + RandomCrop 32 keep 32)")


@driver("a-yunjey-gan")
def _(ctx):
    ns = ctx.load(stop_at=r"^total_step")
    D, G, criterion = ns.D, ns.G, ns.criterion
    d_opt, g_opt = ns.d_optimizer, ns.g_optimizer
    B = ns.batch_size
    real = torch.rand(B, ns.image_size) * 2 - 1

    def reset():
        d_opt.zero_grad()
        g_opt.zero_grad()

    def step():
        real_labels = torch.ones(B, 1)
        fake_labels = torch.zeros(B, 1)
        d_loss_real = criterion(D(real), real_labels)
        z = torch.randn(B, ns.latent_size)
        fake = G(z)
        d_loss_fake = criterion(D(fake), fake_labels)
        reset()
        (d_loss_real + d_loss_fake).backward()
        d_opt.step()
        z = torch.randn(B, ns.latent_size)
        fake = G(z)
        g_loss = criterion(D(fake), real_labels)
        reset()
        g_loss.backward()
        g_opt.step()

    steps, formula = epochs_steps(ns.num_epochs, "MNIST", B)
    return dict(mode="train", models={"D": D, "G": G}, step=step, batch=B, steps=steps, stepsFormula=formula,
                notes="G called twice, D three times per iteration; two backward passes "
                      "(d_loss backward also runs through G since fake is not detached)")


@driver("a-yunjey-birnn")
def _(ctx):
    ns = ctx.load(stop_at=r"^total_step")
    x = torch.randn(ns.batch_size, ns.sequence_length, ns.input_size)
    return _mnist_classifier(ns, x, ns.model, ns.optimizer, ns.criterion, ns.num_epochs,
                             "2-layer bidirectional LSTM over 28 rows of 28 pixels")


@driver("a-yunjey-vae")
def _(ctx):
    ns = ctx.load(stop_at=r"^for epoch")
    model, optimizer = ns.model, ns.optimizer
    B = ns.batch_size
    x = torch.rand(B, ns.image_size)

    def step():
        x_reconst, mu, log_var = model(x)
        reconst_loss = F.binary_cross_entropy(x_reconst, x, reduction="sum")
        kl_div = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp())
        loss = reconst_loss + kl_div
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    steps, formula = epochs_steps(ns.num_epochs, "MNIST", B)
    return dict(mode="train", models={"model": model}, step=step, batch=B, steps=steps, stepsFormula=formula,
                notes="per epoch also decode of 128 samples and reconstruction of the last batch")


@driver("a-yunjey-language-model")
def _(ctx):
    # data/train.txt (the Penn Treebank training text, 5.1 MB) is not in the mirror; the script reads it at module level
    # to build the vocabulary and the id matrix. Its sizes: ptb.train.txt, 42,068 lines, 887,521 words -> 929,589 tokens
    # with one <eos> per line; 10,000 word types including <unk> and <eos> (data_utils.Corpus.get_data).
    vocab, tokens = 10_000, 929_589
    ns = ctx.load(stop_at=r"^for epoch", skip=r"^(corpus|ids|num_batches) = |^vocab_size = ",
                  globals_={"vocab_size": vocab})
    model, criterion, optimizer = ns.model, ns.criterion, ns.optimizer
    B, T = ns.batch_size, ns.seq_length
    inputs, targets = torch.randint(0, vocab, (B, T)), torch.randint(0, vocab, (B, T))
    H, L = ns.hidden_size, ns.num_layers
    states = [(torch.zeros(L, B, H), torch.zeros(L, B, H))]

    def step():
        st = [s.detach() for s in states[0]]
        outputs, new = model(inputs, st)
        loss = criterion(outputs, targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
        states[0] = new

    cols = tokens // B                        # ids.view(batch_size, -1)
    per_epoch = len(range(0, cols - T, T))    # for i in range(0, ids.size(1) - seq_length, seq_length)
    spec = _train({"model": model}, step, B, ns.num_epochs * per_epoch,
                  f"{ns.num_epochs} epochs x len(range(0, {tokens} // {B} - {T}, {T})) = {ns.num_epochs} x {per_epoch} "
                  f"(PTB train {tokens} tokens incl. <eos>)",
                  "LSTM LM, vocab 10000 read from data/train.txt (PTB); input [20, 30] batch-first; after training "
                  "samples 1000 words one token at a time (extra forward, not in the step)")
    # data/train.txt (PTB, 5 MB) is absent from the repository snapshot and its folder names no dataset: its tokens
    # decide the batches per epoch, which the workspace cannot tell
    return dict(spec, unknowable={"steps": "data/train.txt (PTB's training text) is absent from the repository "
                                           "snapshot and its path names no dataset: its tokens decide the batches"})


# =============================================================================================
# eriklindernoren/PyTorch-GAN

def _ganzoo_gan(ctx, conditional, notes):
    """PyTorch-GAN single-file MNIST GANs: G step on D(G(z)), then D step on D(real) and D(G(z).detach())."""
    ns = ctx.load(stop_at=r"^for epoch")
    opt, G, D, loss_fn = ns.opt, ns.generator, ns.discriminator, ns.adversarial_loss
    oG, oD = ns.optimizer_G, ns.optimizer_D
    B = opt.batch_size
    real = images(B, (opt.channels, opt.img_size, opt.img_size))
    cond = (labels(B, opt.n_classes),) if conditional else ()

    def step():
        valid, fake = torch.ones(B, 1), torch.zeros(B, 1)
        oG.zero_grad()
        gen_cond = (labels(B, opt.n_classes),) if conditional else ()
        gen = G(torch.randn(B, opt.latent_dim), *gen_cond)
        loss_fn(D(gen, *gen_cond), valid).backward()
        oG.step()
        oD.zero_grad()
        ((loss_fn(D(real, *cond), valid) + loss_fn(D(gen.detach(), *gen_cond), fake)) / 2).backward()
        oD.step()

    return _epochs_train({"generator": G, "discriminator": D}, step, B, opt.n_epochs, "MNIST", notes)


@driver("a-ganzoo-dcgan")
def _(ctx):
    return _ganzoo_gan(ctx, False, "MNIST resized to 32; G once, D three times per iteration")


@driver("a-ganzoo-cgan")
def _(ctx):
    return _ganzoo_gan(ctx, True, "conditional MLP GAN, label embeddings; G once, D three times")


@driver("a-ganzoo-acgan")
def _(ctx):
    ns = ctx.load(stop_at=r"^for epoch")
    opt, G, D = ns.opt, ns.generator, ns.discriminator
    adv, aux = ns.adversarial_loss, ns.auxiliary_loss
    oG, oD = ns.optimizer_G, ns.optimizer_D
    B = opt.batch_size
    real, lab = images(B, (opt.channels, opt.img_size, opt.img_size)), labels(B, opt.n_classes)

    def step():
        valid, fake = torch.ones(B, 1), torch.zeros(B, 1)
        oG.zero_grad()
        gen_labels = labels(B, opt.n_classes)
        gen = G(torch.randn(B, opt.latent_dim), gen_labels)
        validity, pred_label = D(gen)
        (0.5 * (adv(validity, valid) + aux(pred_label, gen_labels))).backward()
        oG.step()
        oD.zero_grad()
        real_pred, real_aux = D(real)
        fake_pred, fake_aux = D(gen.detach())
        d_loss = ((adv(real_pred, valid) + aux(real_aux, lab)) / 2 + (adv(fake_pred, fake) + aux(fake_aux, gen_labels)) / 2) / 2
        d_loss.backward()
        oD.step()

    return _epochs_train({"generator": G, "discriminator": D}, step, B, opt.n_epochs, "MNIST",
                         "auxiliary-classifier GAN; D returns (validity, class logits); G once, D three times")


def _ganzoo_folder_gan(ctx):
    """A PyTorch-GAN script on a folder dataset (absent here): its globals, options, G, D and their optimizers."""
    ns = ctx.load(stop_at=r"^for epoch", skip=_NO_DATA)
    return ns, ns.opt, ns.generator, ns.discriminator, ns.optimizer_G, ns.optimizer_D


def _image_pair(opt):
    """PyTorch-GAN image-to-image scripts: one batch of each domain at --img_height x --img_width."""
    shape = (opt.channels, opt.img_height, opt.img_width)
    return images(opt.batch_size, shape), images(opt.batch_size, shape)


@driver("a-ganzoo-pix2pix")
def _(ctx):
    ns, opt, G, D, oG, oD = _ganzoo_folder_gan(ctx)
    crit_gan, crit_pix = ns.criterion_GAN, ns.criterion_pixelwise
    B = opt.batch_size
    real_A, real_B = _image_pair(opt)

    def step():
        valid = torch.ones(B, *ns.patch)
        fake = torch.zeros(B, *ns.patch)
        oG.zero_grad()
        fake_B = G(real_A)
        loss_G = crit_gan(D(fake_B, real_A), valid) + ns.lambda_pixel * crit_pix(fake_B, real_B)
        loss_G.backward()
        oG.step()
        oD.zero_grad()
        loss_D = 0.5 * (crit_gan(D(real_B, real_A), valid) + crit_gan(D(fake_B.detach(), real_A), fake))
        loss_D.backward()
        oD.step()

    n = 400 + 106  # facades (pix2pix release): train 400 + test 106; ImageDataset(mode="train") adds test files
    return _train({"generator": G, "discriminator": D}, step, B, opt.n_epochs * ceil_div(n, B),
                  f"{opt.n_epochs} epochs x ceil((400 train + 106 test facades) / {B}) = {opt.n_epochs} x {ceil_div(n, B)}",
                  "U-Net G on 256x256, PatchGAN D on (img, cond); G once, D three times")


@driver("a-ganzoo-context-encoder")
def _(ctx):
    ns, opt, G, D, oG, oD = _ganzoo_folder_gan(ctx)
    adv, pix = ns.adversarial_loss, ns.pixelwise_loss
    B = opt.batch_size
    masked_imgs = images(B, (opt.channels, opt.img_size, opt.img_size))
    masked_parts = images(B, (opt.channels, opt.mask_size, opt.mask_size))

    def step():
        valid, fake = torch.ones(B, *ns.patch), torch.zeros(B, *ns.patch)
        oG.zero_grad()
        gen_parts = G(masked_imgs)
        (0.001 * adv(D(gen_parts), valid) + 0.999 * pix(gen_parts, masked_parts)).backward()
        oG.step()
        oD.zero_grad()
        (0.5 * (adv(D(masked_parts), valid) + adv(D(gen_parts.detach()), fake))).backward()
        oD.step()

    n = 202_599 - 4_000  # CelebA img_align_celeba: 202,599 jpgs; ImageDataset(mode="train") keeps files[:-4000]
    per_epoch = ceil_div(n, B)
    return _train({"generator": G, "discriminator": D}, step, B, opt.n_epochs * per_epoch,
                  f"{opt.n_epochs} epochs x ceil((202599 CelebA - 4000 held out) / {B}) = {opt.n_epochs} x {per_epoch}",
                  "inpainting: G on the 128x128 masked image outputs the 64x64 patch; D on 64x64 patches; "
                  "G once, D three times")


@driver("a-ganzoo-cyclegan")
def _(ctx):
    ns = ctx.load(stop_at=r"^for epoch", skip=_NO_DATA)
    opt = ns.opt
    G_AB, G_BA, D_A, D_B = ns.G_AB, ns.G_BA, ns.D_A, ns.D_B
    oG, oDA, oDB = ns.optimizer_G, ns.optimizer_D_A, ns.optimizer_D_B
    cg, cc, ci = ns.criterion_GAN, ns.criterion_cycle, ns.criterion_identity
    bufA, bufB = ns.fake_A_buffer, ns.fake_B_buffer
    B = opt.batch_size
    real_A, real_B = _image_pair(opt)

    def step():
        valid = torch.ones(B, *D_A.output_shape)
        fake = torch.zeros(B, *D_A.output_shape)
        G_AB.train()
        G_BA.train()
        oG.zero_grad()
        loss_identity = (ci(G_BA(real_A), real_A) + ci(G_AB(real_B), real_B)) / 2
        fake_B = G_AB(real_A)
        fake_A = G_BA(real_B)
        loss_GAN = (cg(D_B(fake_B), valid) + cg(D_A(fake_A), valid)) / 2
        loss_cycle = (cc(G_BA(fake_B), real_A) + cc(G_AB(fake_A), real_B)) / 2
        loss_G = loss_GAN + opt.lambda_cyc * loss_cycle + opt.lambda_id * loss_identity
        loss_G.backward()
        oG.step()
        oDA.zero_grad()
        fa = bufA.push_and_pop(fake_A)
        ((cg(D_A(real_A), valid) + cg(D_A(fa.detach()), fake)) / 2).backward()
        oDA.step()
        oDB.zero_grad()
        fb = bufB.push_and_pop(fake_B)
        ((cg(D_B(real_B), valid) + cg(D_B(fb.detach()), fake)) / 2).backward()
        oDB.step()

    n = 6287  # monet2photo: trainA 1072 Monet paintings, trainB 6287 photos; __len__ = max(len A, len B)
    return dict(mode="train", models={"G_AB": G_AB, "G_BA": G_BA, "D_A": D_A, "D_B": D_B}, step=step, batch=B,
                steps=opt.n_epochs * ceil_div(n, B),
                stepsFormula=f"{opt.n_epochs} epochs x ceil(max(1072, 6287) monet2photo / {B})",
                notes="each G called 3x (identity, translate, cycle), each D 3x; 256x256 after Resize 286 + RandomCrop 256")


# =============================================================================================
# graykode/nlp-tutorial  (hyper-parameters live inside `if __name__ == '__main__':`)

def _nlp(ctx, cls, inputs, target, epochs, notes, pick=None, squeeze_target=None, skip=None):
    """nlp-tutorial: the __main__ block builds the vocabulary, the model and one full batch; every epoch is one
    optimizer step on that batch. `inputs`/`target` name the script's variables."""
    ns = ctx.load(skip=skip) if skip else ctx.load()
    g = _run_main_prefix(ctx, ns[cls])
    x = tuple(g[n] for n in inputs)
    y = g[target]
    y = y.squeeze(0) if squeeze_target == "squeeze0" else y.contiguous().view(-1) if squeeze_target == "flat" else y
    step = _supervised_step(g["model"], g["optimizer"], g["criterion"], x, y, pick)
    return _train({"model": g["model"]}, step, int(x[0].shape[0]), epochs,
                  f"for epoch in range({epochs}): one full-batch step each", notes)


@driver("a-nlp-nnlm")
def _(ctx):
    return _nlp(ctx, "NNLM", ["input_batch"], "target_batch", 5000,
                "3 sentences, vocab 7, n_step 2, hidden 2; parameters created with nn.Parameter")


@driver("a-nlp-textcnn")
def _(ctx):
    return _nlp(ctx, "TextCNN", ["inputs"], "targets", 5000,
                "6 three-word sentences, vocab 16, embedding 2, 3 filters of width 2")


@driver("a-nlp-seq2seq-attention")
def _(ctx):
    return _nlp(ctx, "Attention", ["input_batch", "hidden", "output_batch"], "target_batch", 2000,
                "RNN encoder/decoder with a Python loop over 5 decoder steps, each attending over 5 encoder steps; "
                "one-hot inputs via np.eye", pick=0, squeeze_target="squeeze0")


@driver("a-nlp-transformer")
def _(ctx):
    return _nlp(ctx, "Transformer", ["enc_inputs", "dec_inputs"], "target_batch", 20,
                "6+6 layer Transformer d_model 512 on 1 sentence of 5 tokens", pick=0, squeeze_target="flat")


@driver("a-nlp-bert")
def _(ctx):
    ns = ctx.load()
    g = _run_main_prefix(ctx, ns.BERT)
    model, criterion, optimizer = g["model"], g["criterion"], g["optimizer"]
    input_ids, segment_ids, masked_tokens, masked_pos, is_next = (
        g["input_ids"], g["segment_ids"], g["masked_tokens"], g["masked_pos"], g["isNext"])

    def step():
        optimizer.zero_grad()
        logits_lm, logits_clsf = model(input_ids, segment_ids, masked_pos)
        loss_lm = criterion(logits_lm.transpose(1, 2), masked_tokens).float().mean()
        (loss_lm + criterion(logits_clsf, is_next)).backward()
        optimizer.step()

    return _train({"model": model}, step, int(input_ids.shape[0]), 100, "for epoch in range(100)",
                  "6-layer BERT d_model 768 on 6 sequences of maxlen 30")


@driver("a-nlp-bilstm-attention-notebook")
def _(ctx):
    # the notebook's one cell: classes, then the __main__ block
    return _nlp(ctx, "BiLSTM_Attention", ["inputs"], "targets", 5000,
                "notebook; BiLSTM(2->5) + dot attention over 3 steps, 6 sentences", pick=0, skip=r"^if __name__")


# =============================================================================================
# MorvanZhou/PyTorch-Tutorial  (module-level scripts)

@driver("a-morvan-cnn")
def _(ctx):
    ns = ctx.load(stop_at=r"^for epoch", skip=_OLD_MNIST_ATTRS)
    d = _mnist_classifier(ns, torch.rand(ns.BATCH_SIZE, 1, 28, 28), ns.cnn, ns.optimizer, ns.loss_func, ns.EPOCH,
                          "every 50 steps also cnn(test_x) on 2000 test images (extra forward, not in the step)", pick=0)
    d["models"] = {"cnn": ns.cnn}
    return d


@driver("a-morvan-rnn")
def _(ctx):
    ns = ctx.load(stop_at=r"^for epoch", skip=_OLD_MNIST_ATTRS)
    d = _mnist_classifier(ns, torch.rand(ns.BATCH_SIZE, ns.TIME_STEP, ns.INPUT_SIZE), ns.rnn, ns.optimizer,
                          ns.loss_func, ns.EPOCH, "LSTM(28->64) over 28 rows; every 50 steps also rnn(test_x) on 2000 "
                          "test images")
    d["models"] = {"rnn": ns.rnn}
    return d


@driver("a-morvan-autoencoder")
def _(ctx):
    ns = ctx.load(stop_at=r"^f, a = plt", skip=_OLD_MNIST_ATTRS)  # the rest draws the 5 preview images
    b_x = torch.rand(ns.BATCH_SIZE, 28 * 28)
    step = _supervised_step(ns.autoencoder, ns.optimizer, ns.loss_func, (b_x,), b_x, pick=1)
    return _epochs_train({"autoencoder": ns.autoencoder}, step, ns.BATCH_SIZE, ns.EPOCH, "MNIST",
                         "MLP autoencoder 784-128-64-12-3; every 100 steps also decodes 5 images")


@driver("a-morvan-gan")
def _(ctx):
    ns = ctx.load(stop_at=r"^for step")
    G, D, opt_G, opt_D = ns.G, ns.D, ns.opt_G, ns.opt_D
    B = ns.BATCH_SIZE

    def step():
        artist = ns.artist_works()
        ideas = torch.randn(B, ns.N_IDEAS, requires_grad=True)
        paintings = G(ideas)
        p1 = D(paintings)
        G_loss = torch.mean(torch.log(1. - p1))
        opt_G.zero_grad()
        G_loss.backward()
        opt_G.step()
        p0 = D(artist)
        p1 = D(paintings.detach())
        D_loss = -torch.mean(torch.log(p0) + torch.log(1. - p1))
        opt_D.zero_grad()
        D_loss.backward(retain_graph=True)
        opt_D.step()

    return dict(mode="train", models={"G": G, "D": D}, step=step, batch=B, steps=10000,
                stepsFormula="for step in range(10000)", notes="synthetic 'paintings' of 15 points; G once, D 3x")


@driver("a-morvan-rnn-regressor")
def _(ctx):
    ns = ctx.load(stop_at=r"^for step")
    rnn, optimizer, loss_func = ns.rnn, ns.optimizer, ns.loss_func
    x, y = torch.rand(1, ns.TIME_STEP, ns.INPUT_SIZE), torch.rand(1, ns.TIME_STEP, ns.INPUT_SIZE)
    h = [None]

    def step():
        prediction, h_state = rnn(x, h[0])
        h[0] = h_state.data
        loss = loss_func(prediction, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return _train({"rnn": rnn}, step, 1, 100, "for step in range(100)",
                  "sin -> cos regression: batch 1 of 10 time steps built with np.newaxis; the forward loops over the "
                  "time steps calling the Linear head once per step")
