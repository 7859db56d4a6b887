"""Group h drivers: the HELD-OUT group measured at the START of a session (issue 14), before any analyser change made
for it — course and book code as people learn from it: the d2l book's PyTorch ports (dsgiitr/d2l-pytorch notebooks with
their `d2l` package, ShusenTang/Dive-into-DL-PyTorch notebooks with `d2lzh_pytorch`), the Deep Learning with PyTorch
book's notebooks (deep-learning-with-pytorch/dlwpt-code), NYU's deep learning course notebooks (Atcold/NYU-DLSP20), a
video-course's flat scripts (patrickloeber/pytorchTutorial) and a course's notebooks and modular scripts
(mrdbourke/pytorch-deep-learning), from six repositories that were never used to develop FlopLens.

Each driver mirrors ONE iteration of the script's loop body with the script's own classes, configs and constants on
random tensors of the script's default shapes (corpus/README.md). No public code is copied here.

Conventions of this group (those of group g):
- A notebook that trains several models in turn (a book chapter comparing architectures, re-running a training with
  another loss): params, forward FLOPs and batch are those of the training that runs most often (the most optimizer
  steps, the first on a tie: corpus/README.md, point 7); steps are the optimizer steps of the whole run, every
  training the notebook runs by default summed. (This group was first measured on each notebook's FIRST training;
  h-dl-nn and h-mb-classif, whose later trainings run longer, were re-measured on the busiest.)
- Forward calls that run on every pass of the training loop (a validation forward beside the training forward, with or
  without no_grad) are part of the iteration; evaluation after each epoch is not.
- A dataset the workspace does not hold and nothing in the script sizes (an ImageFolder of a downloaded archive) leaves
  the steps unknowable (null); the model is measured at the shapes the script's transforms give.
"""

import torch
import torch.nn as nn

from corpus_driver import driver, images, labels, ceil_div, M


# ---------------------------------------------------------------------------------------------
# helpers

def _train(models, step, batch, steps, formula, notes, seq=None):
    return dict(mode="train", models=models, step=step, batch=batch, seqLen=seq, steps=steps, stepsFormula=formula,
                notes=notes)


def _supervised(model, optimizer, criterion, x, y, extra=()):
    """One pass: forward, loss, backward, step; `extra` are further forward inputs of the same pass (validation)."""
    def step():
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        for e in extra:
            with torch.no_grad():
                model(e)
        loss.backward()
        optimizer.step()
    return step


# The definitions of a notebook or script: imports, classes, functions, upper-case constants, and the top-level
# statements a driver names (`keep`, a regex on the statement's first line); never the training, plots or downloads.
def _defs(ctx, keep=r"(?!)", globals_=None, drop=r"(?!)"):
    return ctx.load(skip=r"^(?!(import |from |class |def |@|[A-Z][A-Z0-9_]* = (?!\(?[a-z_]+[.\[(])|" + keep + r"))"
                         r"|^(import|from) (matplotlib|seaborn|sklearn|requests)|" + drop, globals_=globals_)


FMNIST = 60000


# =============================================================================================
# patrickloeber/pytorchTutorial: flat scripts of a video course

@driver("h-pl-feedforward")
def _(ctx):
    g = _defs(ctx, r"(input_size|hidden_size|num_classes|num_epochs|batch_size|learning_rate) = ")
    model = g["NeuralNet"](g["input_size"], g["hidden_size"], g["num_classes"])
    B = g["batch_size"]
    step = _supervised(model, torch.optim.Adam(model.parameters(), lr=1e-3), nn.CrossEntropyLoss(),
                       images(B, (784,)), labels(B, 10))
    n = g["num_epochs"] * ceil_div(60000, B)
    return _train({"model": model}, step, B, n, f"num_epochs 2 x ceil(60000 MNIST / {B}) = {n}",
                  "NeuralNet(784, 500, 10) on MNIST images reshaped to [100, 784], Adam")


@driver("h-pl-cnn")
def _(ctx):
    g = _defs(ctx, r"(num_epochs|batch_size|learning_rate) = ")
    model = g["ConvNet"]()
    B = g["batch_size"]
    step = _supervised(model, torch.optim.SGD(model.parameters(), lr=1e-3), nn.CrossEntropyLoss(),
                       images(B, (3, 32, 32)), labels(B, 10))
    n = g["num_epochs"] * ceil_div(50000, B)
    return _train({"model": model}, step, B, n, f"num_epochs 5 x ceil(50000 CIFAR10 / {B}) = {n}",
                  "LeNet-style ConvNet on CIFAR10 32x32, batch 4, SGD")


@driver("h-pl-transfer")
def _(ctx):
    import torchvision
    _defs(ctx)  # the script's imports; the model is torchvision's resnet18 with a new head, as the script builds it
    model = torchvision.models.resnet18()  # pretrained=True: the weights do not change what is counted
    model.fc = nn.Linear(model.fc.in_features, 2)
    B = 4
    step = _supervised(model, torch.optim.SGD(model.parameters(), lr=1e-3), nn.CrossEntropyLoss(),
                       images(B, (3, 224, 224)), labels(B, 2))
    return _train({"model": model}, step, B, None,
                  "25 epochs x ceil(len(ImageFolder('data/hymenoptera_data/train')) / 4) for each of two trainings: "
                  "the image folder is not in the repository (a downloaded archive), so nothing decides the steps",
                  "torchvision resnet18 with fc = Linear(512, 2), RandomResizedCrop(224), batch 4, SGD; per-step figures "
                  "of the first training (whole network); the second, as long (a tie), trains only the head of a frozen "
                  "copy")


# =============================================================================================
# ShusenTang/Dive-into-DL-PyTorch: the d2l book's notebooks with the d2lzh_pytorch package

@driver("h-sd-mlp")
def _(ctx):
    g = _defs(ctx, r"num_inputs, |net = |batch_size = |num_epochs = ")
    net = g["net"]
    B = g["batch_size"]
    step = _supervised(net, torch.optim.SGD(net.parameters(), lr=0.5), nn.CrossEntropyLoss(),
                       images(B, (1, 28, 28)), labels(B, 10))
    n = 5 * ceil_div(FMNIST, B)
    return _train({"net": net}, step, B, n, f"num_epochs 5 x ceil(60000 FashionMNIST / {B}) = {n}",
                  "nn.Sequential(FlattenLayer, Linear(784, 256), ReLU, Linear(256, 10)) on FashionMNIST, batch 256")


@driver("h-sd-lenet")
def _(ctx):
    g = _defs(ctx, r"net = |batch_size = ")
    net = g["net"]
    B = g["batch_size"]
    step = _supervised(net, torch.optim.Adam(net.parameters(), lr=1e-3), nn.CrossEntropyLoss(),
                       images(B, (1, 28, 28)), labels(B, 10))
    n = 5 * ceil_div(FMNIST, B)
    return _train({"net": net}, step, B, n, f"num_epochs 5 x ceil(60000 FashionMNIST / {B}) = {n}",
                  "LeNet (sigmoid, max pooling) on FashionMNIST 28x28, batch 256, Adam (train_ch5)")


@driver("h-sd-resnet")
def _(ctx):
    g = _defs(ctx, r"net = |net\.add_module|batch_size = ")
    net = g["net"]
    B = g["batch_size"]
    step = _supervised(net, torch.optim.Adam(net.parameters(), lr=1e-3), nn.CrossEntropyLoss(),
                       images(B, (1, 96, 96)), labels(B, 10))
    n = 5 * ceil_div(FMNIST, B)
    return _train({"net": net}, step, B, n, f"num_epochs 5 x ceil(60000 FashionMNIST / {B}) = {n}",
                  "ResNet-18-style net (Residual blocks added with add_module) on FashionMNIST resized to 96x96, batch "
                  "256, Adam; the shape probes on [4, 3, 6, 6] and [1, 1, 224, 224] are not the training")


# =============================================================================================
# dsgiitr/d2l-pytorch: the d2l book's notebooks with the d2l package

@driver("h-dd-softmax")
def _(ctx):
    g = _defs(ctx, r"sys\.path|batch_size = |net = |net\.apply")
    net = g["net"]
    B = g["batch_size"]
    step = _supervised(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.CrossEntropyLoss(),
                       images(B, (1, 28, 28)), labels(B, 10))
    n = 10 * ceil_div(FMNIST, B)
    return _train({"net": net}, step, B, n, f"num_epochs 10 x ceil(60000 FashionMNIST / {B}) = {n}",
                  "nn.Sequential(Reshape to [-1, 784], Linear(784, 10)) on FashionMNIST, batch 256, SGD (d2l.train_ch3)")


@driver("h-dd-lenet")
def _(ctx):
    g = _defs(ctx, r"sys\.path|batch_size = |net = |device = ")
    net = g["net"]
    B = g["batch_size"]
    step = _supervised(net, torch.optim.SGD(net.parameters(), lr=0.9), nn.CrossEntropyLoss(),
                       images(B, (1, 28, 28)), labels(B, 10))
    n = 5 * ceil_div(FMNIST, B)
    return _train({"net": net}, step, B, n, f"num_epochs 5 x ceil(60000 FashionMNIST / {B}) = {n}",
                  "LeNet (sigmoid, average pooling, padding 2) on FashionMNIST, batch 256, SGD (the notebook's "
                  "train_ch5); the [1, 1, 28, 28] shape probe is not the training")


@driver("h-dd-alexnet")
def _(ctx):
    g = _defs(ctx, r"sys\.path|batch_size = |net = ")
    net = g["net"]
    for m in net.modules():  # Dropout2d(inplace=True) after ReLU breaks ReLU's backward; the FLOPs are the same
        if isinstance(m, (nn.Dropout, nn.Dropout2d)):
            m.inplace = False
    B = g["batch_size"]
    step = _supervised(net, torch.optim.SGD(net.parameters(), lr=0.01), nn.CrossEntropyLoss(),
                       images(B, (1, 224, 224)), labels(B, 10))
    n = 5 * ceil_div(FMNIST, B)
    return _train({"net": net}, step, B, n, f"num_epochs 5 x ceil(60000 FashionMNIST / {B}) = {n}",
                  "AlexNet (1 input channel, 10 classes) on FashionMNIST resized to 224x224, batch 128 (d2l.train_ch5 "
                  "steps its own SGD); the [1, 1, 224, 224] shape probe is not the training")


# =============================================================================================
# deep-learning-with-pytorch/dlwpt-code: the book's notebooks (each trains several models in turn)

@driver("h-dl-nn")
def _(ctx):
    g = _defs(ctx, r"t_c = |t_u = |n_samples = |n_val = |shuffled_indices = |train_indices = |val_indices = |"
                   r"t_u_train = |t_c_train = |t_u_val = |t_c_val = |t_un_train = |t_un_val = ")
    from collections import OrderedDict
    # the busiest training (5000 epochs; the exercise's 5000 come later): seq_model as the notebook builds it
    model = nn.Sequential(OrderedDict([("hidden_linear", nn.Linear(1, 8)), ("hidden_activation", nn.Tanh()),
                                       ("output_linear", nn.Linear(8, 1))]))
    opt = torch.optim.SGD(model.parameters(), lr=1e-3)
    xt, yt, xv = g["t_un_train"], g["t_c_train"], g["t_un_val"]
    mse = nn.MSELoss()

    def step():
        loss = mse(model(xt), yt)
        model(xv)  # the validation forward of every pass (with gradients, as the notebook's training_loop does)
        opt.zero_grad()
        loss.backward()
        opt.step()
    n = 3000 + 3000 + 5000 + 5000
    return _train({"seq_model": model}, step, xt.shape[0], n,
                  "four training_loop calls: 3000 (Linear, own loss) + 3000 (Linear, MSELoss) + 5000 (Linear(1,8)-Tanh-"
                  f"Linear(8,1)) + 5000 (the exercise's 20 hidden units) full-batch epochs = {n}",
                  "the busiest training: seq_model = Linear(1, 8)-Tanh-Linear(8, 1), MSELoss, SGD, on the 9 training "
                  "temperatures of 11 (n_val = int(0.2 * 11) = 2), full batch; each pass also runs the model on the 2 "
                  "validation points. (Measured before on the first training, nn.Linear(1, 1): 2 params.)")


@driver("h-dl-birds")
def _(ctx):
    _defs(ctx)
    model = nn.Sequential(nn.Linear(3072, 512), nn.Tanh(), nn.Linear(512, 2), nn.LogSoftmax(dim=1))
    opt = torch.optim.SGD(model.parameters(), lr=1e-2)
    step = _supervised(model, opt, nn.NLLLoss(), images(1, (3072,)), labels(1, 2))
    per_sample = 100 * 10000
    batched = 4 * 100 * ceil_div(10000, 64)
    return _train({"model": model}, step, 1, per_sample + batched,
                  f"first training: 100 epochs x 10000 CIFAR-2 images one at a time = {per_sample}; then four trainings "
                  f"of 100 epochs x ceil(10000 / 64) batches = {batched}",
                  "the first training, also the busiest: Linear(3072, 512)-Tanh-Linear(512, 2)-LogSoftmax on one CIFAR-2 "
                  "image per step "
                  "(img.view(-1).unsqueeze(0)), NLLLoss, SGD; CIFAR-2 is the airplanes and birds of CIFAR-10 "
                  "(5000 + 5000 training images)")


@driver("h-dl-conv")
def _(ctx):
    g = _defs(ctx, drop=r"^class (NetWidth|NetDropout|NetBatchNorm|NetDepth|NetRes|NetResDeep|ResBlock)\b")
    model = g["Net"]()  # the last definition of Net before the first training (cell 27, F.max_pool2d / torch.tanh)
    B = 64
    step = _supervised(model, torch.optim.SGD(model.parameters(), lr=1e-2), nn.CrossEntropyLoss(),
                       images(B, (3, 32, 32)), labels(B, 2))
    n = 10 * 100 * ceil_div(10000, B)
    return _train({"model": model}, step, B, n,
                  f"ten training_loop calls (Net twice, NetWidth twice, Net with L2, NetDropout, NetBatchNorm, NetDepth, "
                  f"NetRes, NetResDeep), each 100 epochs x ceil(10000 CIFAR-2 / {B}) = {n}",
                  "the first of ten equally long trainings (a tie): Net (conv 3->16, conv 16->8, fc 512->32->2, tanh) on "
                  "CIFAR-2 32x32, batch 64, SGD")


# =============================================================================================
# Atcold/NYU-DLSP20: NYU deep learning course notebooks

@driver("h-at-spiral")
def _(ctx):
    g = _defs(ctx, r"(seed|N|D|C|H) = ", drop=r"^from res\.")
    N, D, C, H = g["N"], g["D"], g["C"], g["H"]
    model = nn.Sequential(nn.Linear(D, H), nn.Linear(H, C))
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, weight_decay=1e-5)
    step = _supervised(model, opt, nn.CrossEntropyLoss(), torch.rand(N * C, D), labels(N * C, C))
    return _train({"model": model}, step, N * C, 2 * 1000,
                  "two trainings (linear, then with ReLU) of 1000 full-batch steps each = 2000",
                  "nn.Sequential(Linear(2, 100), Linear(100, 3)) on all 3000 spiral points at once (N 1000 x C 3), SGD")


@driver("h-at-convnet")
def _(ctx):
    g = _defs(ctx, r"input_size  = |output_size = ", drop=r"^from res\.")
    model = g["FC2Layer"](g["input_size"], 8, g["output_size"])
    B = 64
    import torch.nn.functional as F
    step = _supervised(model, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5), F.nll_loss,
                       images(B, (1, 28, 28)), labels(B, 10))
    n = 4 * ceil_div(60000, B)
    return _train({"model_fnn": model}, step, B, n,
                  f"four trainings (FC2Layer, CNN, CNN on permuted pixels, FC2Layer on permuted pixels) of one epoch x "
                  f"ceil(60000 MNIST / {B}) = {n}",
                  "the first of four equally long trainings (a tie): FC2Layer(784, 8, 10) on MNIST, batch 64, SGD "
                  "momentum; test() after each epoch is not in the step")


@driver("h-at-vae")
def _(ctx):
    g = _defs(ctx, r"d = |batch_size = ")
    model = g["VAE"]()
    B = g["batch_size"]
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(B, 1, 28, 28)

    def step():
        x_hat, mu, logvar = model(x)
        loss = nn.functional.binary_cross_entropy(x_hat, x.view(-1, 784), reduction="sum") \
            + 0.5 * torch.sum(logvar.exp() - logvar - 1 + mu.pow(2))
        opt.zero_grad()
        loss.backward()
        opt.step()
    n = 10 * ceil_div(60000, B)
    return _train({"model": model}, step, B, n,
                  f"range(0, epochs + 1) with epochs 10, training when epoch > 0: 10 x ceil(60000 MNIST / {B}) = {n}",
                  "VAE (d 20: 784-400-40 encoder, 20-400-784 decoder) on MNIST, batch 256, Adam; the test pass of each "
                  "epoch is not in the step")


# =============================================================================================
# mrdbourke/pytorch-deep-learning: a course's notebooks and its modular scripts

@driver("h-mb-modular")
def _(ctx):
    g = _defs(ctx, r"(NUM_EPOCHS|BATCH_SIZE|HIDDEN_UNITS|LEARNING_RATE) = ")
    model = g["model_builder"].TinyVGG(input_shape=3, hidden_units=g["HIDDEN_UNITS"], output_shape=3)
    B = g["BATCH_SIZE"]
    step = _supervised(model, torch.optim.Adam(model.parameters(), lr=1e-3), nn.CrossEntropyLoss(),
                       images(B, (3, 64, 64)), labels(B, 3))
    return _train({"model": model}, step, B, None,
                  "NUM_EPOCHS 5 x ceil(len(ImageFolder('data/pizza_steak_sushi/train')) / 32): the images are a "
                  "downloaded archive, not in the workspace, so nothing decides the steps",
                  "TinyVGG(3, 10, 3 classes: pizza, steak, sushi) on Resize((64, 64)) images, batch 32, Adam")


@driver("h-mb-cv")
def _(ctx):
    g = _defs(ctx, r"BATCH_SIZE = |device = ", drop=r"^from helper_functions")
    model = g["FashionMNISTModelV0"](input_shape=784, hidden_units=10, output_shape=10)
    B = g["BATCH_SIZE"]
    step = _supervised(model, torch.optim.SGD(model.parameters(), lr=0.1), nn.CrossEntropyLoss(),
                       images(B, (1, 28, 28)), labels(B, 10))
    n = 3 * 3 * ceil_div(60000, B)
    return _train({"model_0": model}, step, B, n,
                  f"three trainings (model_0, model_1, model_2) of 3 epochs x ceil(60000 FashionMNIST / {B}) = {n}",
                  "the first of three equally long trainings (a tie): FashionMNISTModelV0 (Flatten, 784 -> 10 -> 10) on "
                  "FashionMNIST, batch 32, SGD; "
                  "the test loop after each epoch is not in the step")


@driver("h-mb-classif")
def _(ctx):
    g = _defs(ctx)
    model = g["CircleModelV1"]()  # model_1: the first of the three 1000-epoch trainings (the busiest, first on a tie)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    step = _supervised(model, opt, nn.BCEWithLogitsLoss(), torch.rand(800, 2), torch.rand(800, 1),
                       extra=(torch.rand(200, 2),))
    n = 100 + 1000 + 1000 + 1000 + 100
    return _train({"model_1": model}, step, 800, n,
                  f"five full-batch trainings: model_0 100 + model_1 1000 + model_2 (regression) 1000 + model_3 1000 + "
                  f"model_4 (blobs) 100 epochs = {n}",
                  "the busiest training (1000 epochs; model_2 and model_3 tie with it and come later): model_1 = "
                  "CircleModelV1 (Linear(2, 10), Linear(10, 10), Linear(10, 1)) on make_circles(1000) split 80/20: 800 "
                  "training points at once; every epoch also runs the model on the 200 test points (inference_mode). "
                  "(Measured before on the first training, model_0: Linear(2, 5)-Linear(5, 1), 21 params.)")
