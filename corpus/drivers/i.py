"""Group i drivers: the HELD-OUT group measured at the START of a session (issue 14), before any analyser change made
for it — plain-PyTorch reinforcement learning notebooks and scripts (higgsfield/RL-Adventure DQN family,
sweetice/Deep-reinforcement-learning-with-pytorch DQN / A2C / DDPG), object detection (eriklindernoren/PyTorch-YOLOv3:
training, detection, evaluation from a Darknet .cfg), semantic segmentation (jfzhang95/pytorch-deeplab-xception),
a transformer written from scratch (hyunwoongko/transformer), contrastive self-supervised learning (sthalles/SimCLR),
a recommender (guoyang9/NCF, NeuMF) and LLM QLoRA/SFT fine-tuning written against transformers/trl/peft
(philschmid/deep-learning-pytorch-huggingface: a TrlParser script with a YAML recipe and two notebooks), from eight
repositories that were never used to develop FlopLens.

Each driver mirrors ONE iteration of the script's loop body with the script's own classes, configs and constants on
random tensors of the script's default shapes (corpus/README.md). No public code is copied here.

Conventions of this group, beyond the README's:
- gym is not installed: while a script loads, `gym` is a small stand-in whose make(id) returns an env with the
  observation and action spaces of the named environment (CartPole-v0: 4 observations, 2 actions; Pendulum-v0: 3
  observations, 1 action in [-2, 2], 200 steps per episode). Nothing steps an env: the driver builds the batches.
- A notebook that trains several models in turn (RL-Adventure: a CartPole MLP for 10,000 frames, then an Atari CNN on
  Pong for 1,000,000+): params, forward FLOPs and batch are those of the training with the most optimizer steps, the
  first on a tie (where the run's time goes: corpus/README.md, point 7); steps are the optimizer steps of the whole
  notebook. (The first measurement of this group, a542b4c, took the CartPole MLP.)
- An epsilon-greedy act() call is counted as one forward per env step (the greedy branch; epsilon decays to 0.01
  within the first quarter of the run).
- Hub models (transformers / trl / peft are not installed) are closed forms from their published config.json, with
  drivers/c.py's plain-PyTorch re-implementation at a reduced size as the cross-check.
"""

import contextlib
import inspect
import sys
import types
from types import SimpleNamespace

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import corpus_driver as D
from corpus_driver import driver, images, ceil_div, M


def _c_closed_forms():
    """drivers/c.py's closed forms and re-implementations, run as a namespace (its drivers register nowhere)."""
    import runpy
    from pathlib import Path
    kept, D.DRIVERS = D.DRIVERS, {}
    try:
        return SimpleNamespace(**runpy.run_path(str(Path(__file__).with_name("c.py")), run_name="corpus_c_shared_i"))
    finally:
        D.DRIVERS = kept


C = _c_closed_forms()


# ---------------------------------------------------------------------------------------------
# helpers

_ENVS = {
    "CartPole-v0": dict(obs=(4,), n=2),
    "PongNoFrameskip-v4": dict(obs=(1, 84, 84), n=6),  # after RL-Adventure's wrappers (84x84 grayscale, channels first)
    "Pendulum-v0": dict(obs=(3,), act=(1,), high=2.0),
}


class _Env:
    def __init__(self, env_id):
        spec = _ENVS[env_id]
        self.observation_space = SimpleNamespace(shape=spec["obs"])
        if "n" in spec:
            self.action_space = SimpleNamespace(n=spec["n"], shape=())
        else:
            hi = np.full(spec["act"], spec["high"], dtype=np.float32)
            self.action_space = SimpleNamespace(shape=spec["act"], high=hi, low=-hi)
        self.unwrapped = self

    def seed(self, *a):
        return None


@contextlib.contextmanager
def _gym():
    saved = sys.modules.get("gym")
    mod = types.ModuleType("gym")
    mod.make = lambda env_id, *a, **k: _Env(env_id)
    sys.modules["gym"] = mod
    try:
        yield
    finally:
        if saved is None:
            sys.modules.pop("gym", None)
        else:
            sys.modules["gym"] = saved


def _train(models, step, batch, steps, formula, notes, seq=None, micro=1):
    return dict(mode="train", models=models, step=step, batch=batch, seqLen=seq, steps=steps, stepsFormula=formula,
                notes=notes, microBatches=micro)


# =============================================================================================
# higgsfield/RL-Adventure: DQN notebooks. Each trains a CartPole MLP (10,000 frames, batch 32, an update every frame
# once the replay buffer holds more than 32 transitions), then an Atari CNN on Pong (updates once the buffer holds
# more than replay_initial = 10,000, or more than 32 in the noisy notebook).

def _rla(ctx, cnn, model_names, buffer, atari_frames, atari_start, noisy=False):
    # the notebook's definitions (imports, classes, functions, lambdas), with env the Pong env after its wrappers
    with _gym():
        g = ctx.load(skip=r"^(?!(import |from (?!common\.wrappers)|class |def |USE_CUDA|Variable|\w+ += lambda))",
                     globals_={"env": _Env("PongNoFrameskip-v4")})
    td = g["compute_td_loss"]
    glb = td.__globals__
    models = {n: g[cnn]((1, 84, 84), 6) for n in model_names}
    current = models[model_names[0]]
    buf_cls, buf_args = buffer
    if buf_cls == "NaivePrioritizedBuffer":
        # NaivePrioritizedBuffer.sample indexes zip(*samples) (Python 2): the notebook fails on Python 3 at its first
        # update; measured with zip as the list it was when the notebook was written
        glb["zip"] = lambda *a: list(zip(*a))
    buf = g[buf_cls](*buf_args)
    for _ in range(64):
        buf.push(np.random.rand(1, 84, 84).astype(np.float32), int(np.random.randint(6)), 1.0,
                 np.random.rand(1, 84, 84).astype(np.float32), False)
    glb.update(model=current, current_model=current, target_model=models.get("target_model"), replay_buffer=buf,
               optimizer=torch.optim.Adam(current.parameters(), lr=1e-4), batch_size=32, gamma=0.99)
    B = 32
    state = np.random.rand(1, 84, 84).astype(np.float32)
    takes_beta = len(inspect.signature(td).parameters) == 2

    def step():
        # one frame: the act() forward on one observation, then one TD update on a sampled minibatch
        if noisy:
            current.act(state)
        else:
            current.act(state, -1.0)  # the greedy branch (random.random() > epsilon)
        td(B, 0.4) if takes_beta else td(B)

    cart = 10000 - 32
    atari = atari_frames - atari_start
    return _train(models, step, B, cart + atari,
                  f"CartPole: frames 33..10000 update (len(buffer) > 32) = {cart}; Pong: {atari_frames} frames, "
                  f"updates once len(buffer) > {atari_start} = {atari}",
                  [f"per-step figures of the Pong training, {cnn} on [32, 1, 84, 84] minibatches ({', '.join(model_names)}"
                   f" called) plus the frame's act() forward on [1, 1, 84, 84]: the training with the most optimizer "
                   f"steps, where the run's time goes (the CartPole MLP trained first has {cart} of the {cart + atari})",
                   "the notebook's Atari wrappers (WarpFrame 84x84x1, ImageToPyTorch, no frame stack) give [1, 84, 84] "
                   "observations; Pong has 6 actions"])


_BOTH = ["current_model", "target_model"]


@driver("i-rla-dqn")
def _(ctx):
    return _rla(ctx, "CnnDQN", ["model"], ("ReplayBuffer", (100000,)), 1400000, 10000)


@driver("i-rla-double-dqn")
def _(ctx):
    return _rla(ctx, "CnnDQN", _BOTH, ("ReplayBuffer", (100000,)), 1000000, 10000)


@driver("i-rla-dueling-dqn")
def _(ctx):
    return _rla(ctx, "DuelingCnnDQN", _BOTH, ("ReplayBuffer", (100000,)), 1000000, 10000)


@driver("i-rla-prioritized-dqn")
def _(ctx):
    return _rla(ctx, "CnnDQN", _BOTH, ("NaivePrioritizedBuffer", (100000,)), 1000000, 10000)


@driver("i-rla-noisy-dqn")
def _(ctx):
    return _rla(ctx, "NoisyCnnDQN", _BOTH, ("PrioritizedReplayBuffer", (10000, 0.6)), 1000000, 32, noisy=True)


# =============================================================================================
# sweetice/Deep-reinforcement-learning-with-pytorch

@driver("i-swt-dqn-cartpole")
def _(ctx):
    # DQN.update(): once the 8,000-transition memory is full, at the end of every episode: target_net on all 8,000
    # next states (no_grad), then for each of ceil(8000 / 256) = 32 BatchSampler minibatches act_net runs on ALL
    # 8,000 states twice (the script indexes the minibatch after the forward) and Adam steps. One iteration = one
    # minibatch step; update()'s forward work is counted whole and shared by its 32 steps.
    with _gym():
        g = ctx.load(stop_at=r"^def main")
    agent = g["DQN"]()
    T = g["Transition"]
    for _ in range(agent.capacity):
        agent.store_transition(T(np.random.randn(4).tolist(), int(np.random.randint(2)), 1.0,
                                 np.random.randn(4).tolist()))
    n = ceil_div(agent.capacity, agent.batch_size)
    models = {"act_net": agent.act_net, "target_net": agent.target_net}
    c, _ = M.count({"models": models, "step": agent.update})
    return dict(mode="train", batch=agent.capacity, seqLen=None, steps=None,
                closed={"params": M.unique_params(models, trainable_only=False),
                        "trainableParams": M.unique_params(models, trainable_only=False),
                        "forwardFlops": c.total("fwd") // n,
                        "formula": f"the script's DQN.update() counted whole (target_net once, act_net twice per "
                                   f"minibatch on all {agent.capacity} states, {n} minibatches) / {n} optimizer steps"},
                stepsFormula="32 steps per episode once 8,000 transitions are stored: the number of episodes after "
                             "that depends on CartPole's episode lengths (2,000 episodes in all)",
                notes=["batch: act_net's calls run on all 8,000 stored states (the minibatch of 256 is indexed "
                       "after the forward)", "the act() forward per env step is left out: episodes are data-dependent"])


@driver("i-swt-a2c")
def _(ctx):
    # module-level training; the 8 SubprocVecEnv workers are not started (the spaces are CartPole's)
    with _gym():
        g = ctx.load(stop_at=r"^state = envs\.reset",
                     skip=r"^(envs = SubprocVecEnv|num_inputs|num_outputs|plt\.)",
                     globals_={"num_inputs": 4, "num_outputs": 2})
    model, optimizer = g["model"], g["optimizer"]
    E, steps_per = 8, g["num_steps"]

    def step():
        state = torch.randn(E, 4)
        log_probs, values, rewards, masks, entropy = [], [], [], [], 0
        for _ in range(steps_per):
            dist, value = model(state)
            action = dist.sample()
            log_probs.append(dist.log_prob(action))
            entropy += dist.entropy().mean()
            values.append(value)
            rewards.append(torch.rand(E, 1))
            masks.append(torch.ones(E, 1))
        _, next_value = model(torch.randn(E, 4))
        returns = g["compute_returns"](next_value, rewards, masks)
        log_probs_ = torch.cat(log_probs)
        returns_ = torch.cat(returns).detach()
        values_ = torch.cat(values)
        advantage = returns_ - values_
        loss = -(log_probs_ * advantage.detach()).mean() + 0.5 * advantage.pow(2).mean() - 0.001 * entropy
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    n = g["max_frames"] // steps_per
    return _train({"model": model}, step, E, n,
                  f"while frame_idx < max_frames 20000: frame_idx += 1 per rollout step, {steps_per} per update = {n}",
                  ["ActorCritic(4, 2, 256) on 8 CartPole envs: 5 rollout calls on [8, 4] + the bootstrap call, one "
                   "Adam step", "test_env() every 100 frames (10 evaluation episodes) is periodic evaluation, not in "
                   "the step"])


@driver("i-swt-ddpg")
def _(ctx):
    with _gym():
        g = ctx.load(stop_at=r"^def main")
    args = g["args"]
    agent = g["DDPG"](g["state_dim"], g["action_dim"], g["max_action"])
    for _ in range(1000):
        agent.replay_buffer.push((np.random.randn(3), np.random.randn(3), np.random.randn(1), -1.0, 0.0))
    args.update_iteration = 1  # one of update()'s 200 iterations per step
    s0 = np.random.randn(3).astype(np.float32)

    def step():
        agent.select_action(s0)  # 200 env steps per episode / 200 update iterations = 1 actor call per step
        agent.update()

    steps = 100000 * 200
    return _train({"actor": agent.actor, "actor_target": agent.actor_target, "critic": agent.critic,
                   "critic_target": agent.critic_target}, step, 100, steps,
                  "max_episode 100000 x update_iteration 200 (update() after every 200-step Pendulum episode)",
                  ["one iteration: critic_target(s', actor_target(s')), critic(s, a), critic(s, actor(s)) on batches "
                   "of 100, two Adam steps, plus one select_action() forward on [1, 3] (the episode's 200 rollout "
                   "calls shared over its 200 updates)", "params: actor, critic and their targets (all run)"])


# =============================================================================================
# eriklindernoren/PyTorch-YOLOv3: Darknet YOLOv3 from config/yolov3.cfg (416 x 416, 80 COCO classes). The forward
# work is per image (convolutions), so it is counted at batch 1 and scaled to the batch (exact).

def _yolo(ctx):
    models = ctx.module("pytorchyolo.models")
    return models.load_model(str(ctx.repo_root / "config" / "yolov3.cfg"))


def _yolo_infer(ctx, B, calls, formula, notes):
    model = _yolo(ctx)
    model.eval()
    x = images(1, (3, 416, 416))

    def step():
        with torch.no_grad():
            model(x)
    c, _ = M.count({"models": {"model": model}, "step": step})
    params = M.unique_params({"model": model}, trainable_only=False)
    return dict(mode="infer", batch=B, seqLen=None, steps=calls, stepsFormula=formula, notes=notes,
                closed={"params": params, "forwardFlops": c.total("fwd") * B,
                        "formula": f"the script's Darknet (yolov3.cfg) counted on one 416x416 image x {B}"})


@driver("i-yolo-train")
def _(ctx):
    model = _yolo(ctx)
    hp = model.hyperparams
    B = hp["batch"] // hp["subdivisions"]
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=hp["learning_rate"],
                           weight_decay=hp["decay"])
    x = images(1, (3, hp["height"], hp["width"]))

    def step():
        outputs = model(x)
        loss = sum(o.float().pow(2).mean() for o in outputs)  # compute_loss: elementwise terms only
        loss.backward()
        opt.step()
        opt.zero_grad()
    c, _ = M.count({"models": {"model": model}, "step": step})
    params = M.unique_params({"model": model}, trainable_only=False)
    n = 117264  # COCO 2014 trainvalno5k.txt (data/get_coco_dataset.sh): 117,264 images
    per = ceil_div(n, B)
    return dict(mode="train", batch=B, seqLen=None, steps=300 * per,
                stepsFormula=f"--epochs 300 x ceil({n} COCO trainvalno5k images / {B}); subdivisions 1: an "
                             f"optimizer step every batch",
                closed={"params": params, "forwardFlops": c.total("fwd") * B,
                        "formula": f"the script's Darknet (yolov3.cfg: batch 16, subdivisions 1, 416x416) counted on "
                                   f"one image x {B}"},
                notes=["evaluation on COCO 5k every epoch (evaluation_interval 1) is periodic, not in the step"])


@driver("i-yolo-detect")
def _(ctx):
    return _yolo_infer(ctx, 1, 9, "data/samples holds 9 images, batch_size 1: 9 forwards",
                       "detect_directory over data/samples at --batch_size 1, --img_size 416")


@driver("i-yolo-test")
def _(ctx):
    return _yolo_infer(ctx, 8, ceil_div(5000, 8), "ceil(5000 COCO 5k.txt images / 8)",
                       "evaluation of config/coco.data's valid list (5k.txt: 5,000 images) at batch 8, 416x416")


# =============================================================================================
# jfzhang95/pytorch-deeplab-xception train.py defaults: DeepLabV3+ ResNet-101 backbone, output stride 16, PASCAL VOC
# + SBD (10,582 training images), crop 513, batch 4 x 1 GPU, 50 epochs, SGD (1x / 10x lr groups), CE loss.

@driver("i-deeplab-train")
def _(ctx):
    resnet = ctx.module("modeling.backbone.resnet")
    resnet.ResNet._load_pretrained_model = lambda self: None  # ImageNet weights from the network: same shapes
    deeplab = ctx.module("modeling.deeplab")
    model = deeplab.DeepLab(num_classes=21, backbone="resnet", output_stride=16, sync_bn=False, freeze_bn=False)
    opt = torch.optim.SGD([{"params": model.get_1x_lr_params(), "lr": 0.007},
                           {"params": model.get_10x_lr_params(), "lr": 0.07}], momentum=0.9, weight_decay=5e-4)
    B, b = 4, 2
    x, y = images(b, (3, 513, 513)), torch.randint(0, 21, (b, 513, 513))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y, ignore_index=255)
        loss.backward()
        opt.step()
    c, _ = M.count({"models": {"model": model}, "step": step})
    params = M.unique_params({"model": model}, trainable_only=False)
    per = ceil_div(10582, B)
    return dict(mode="train", batch=B, seqLen=None, steps=50 * per,
                stepsFormula=f"pascal: 50 epochs x ceil(10582 VOC train + SBD images / {B}) = 50 x {per}",
                closed={"params": params, "forwardFlops": c.total("fwd") * (B // b),
                        "formula": f"the script's DeepLab(resnet, os 16, 21 classes) counted at batch {b} on 513x513 "
                                   f"x {B // b}"},
                notes=["batch_size None -> 4 x len(gpu_ids '0'); validation every epoch is periodic"])


# =============================================================================================
# hyunwoongko/transformer: Transformer base (d_model 512, 6+6 layers, 8 heads, ffn 2048) on Multi30k en->de,
# batch 128, 1000 epochs; vocabularies as torchtext builds them (spacy, lower, min_freq 2): en 5,893 / de 7,853
# (the counts bentrevett/pytorch-seq2seq prints for the same fields). Padded to the longest sentence of the batch:
# measured at 32 source tokens and trg[:, :-1] = 32 decoder tokens (the manifest's seq= directive).

@driver("i-hyu-transformer")
def _(ctx):
    conf = ctx.module("conf")
    Transformer = ctx.module("models.model.transformer").Transformer
    src_v, trg_v, B, S = 5893, 7853, conf.batch_size, ctx.entry["set"]["seq"]
    model = Transformer(src_pad_idx=1, trg_pad_idx=1, trg_sos_idx=2, d_model=conf.d_model, enc_voc_size=src_v,
                        dec_voc_size=trg_v, max_len=conf.max_len, ffn_hidden=conf.ffn_hidden, n_head=conf.n_heads,
                        n_layers=conf.n_layers, drop_prob=conf.drop_prob, device=torch.device("cpu"))
    opt = torch.optim.Adam(model.parameters(), lr=conf.init_lr, weight_decay=conf.weight_decay, eps=conf.adam_eps)
    src = torch.randint(4, src_v, (B, S))
    trg = torch.randint(4, trg_v, (B, S + 1))

    def step():
        opt.zero_grad()
        out = model(src, trg[:, :-1])
        loss = F.cross_entropy(out.contiguous().view(-1, out.shape[-1]), trg[:, 1:].contiguous().view(-1),
                               ignore_index=1)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), conf.clip)
        opt.step()
    per = ceil_div(29000, B)
    return _train({"model": model}, step, B, conf.epoch * per,
                  f"epoch 1000 x ceil(29000 Multi30k train pairs / {B}) = 1000 x {per}",
                  ["evaluate() with BLEU every epoch is periodic, not in the step"], seq=S)


# =============================================================================================
# sthalles/SimCLR run.py defaults: ResNet-18 (fc -> Linear(512, 512), ReLU, Linear(512, 128)) on STL10 unlabeled
# (100,000 images, 96x96), batch 256 x 2 views, 200 epochs, Adam, InfoNCE.

@driver("i-simclr-run")
def _(ctx):
    tb = types.ModuleType("torch.utils.tensorboard")  # tensorboard is not installed: the writer is not counted
    tb.SummaryWriter = lambda *a, **k: M._Anything()
    sys.modules.setdefault("torch.utils.tensorboard", tb)
    model = ctx.module("models.resnet_simclr").ResNetSimCLR(base_model="resnet18", out_dim=128)
    simclr_mod = ctx.module("simclr")
    B = 256
    args = SimpleNamespace(batch_size=B, n_views=2, device=torch.device("cpu"), temperature=0.07)
    this = SimpleNamespace(args=args)
    opt = torch.optim.Adam(model.parameters(), 3e-4, weight_decay=1e-4)
    imgs = [images(B, (3, 96, 96)), images(B, (3, 96, 96))]

    def step():
        x = torch.cat(imgs, dim=0)
        features = model(x)
        logits, labels = simclr_mod.SimCLR.info_nce_loss(this, features)
        loss = F.cross_entropy(logits, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    per = 100000 // B
    return _train({"model": model}, step, 2 * B, 200 * per,
                  f"--epochs 200 x floor(100000 STL10 unlabeled / {B}) (drop_last) = 200 x {per}",
                  ["the convnet runs on torch.cat of the 2 views: 512 images per call",
                   "ResNetSimCLR also builds a resnet50 in a plain dict (never registered, never called): not counted"])


# =============================================================================================
# guoyang9/NCF main.py defaults: NeuMF-end on MovieLens-1M as the NCF data ships it (6,040 users, 3,706 items,
# 994,169 training ratings), factor 32, 3 MLP layers, 4 negatives per positive, batch 256, 20 epochs.

@driver("i-ncf-main")
def _(ctx):
    NCF = ctx.module("model").NCF
    U, I, B = 6040, 3706, 256
    model = NCF(U, I, 32, 3, 0.0, "NeuMF-end", None, None)
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    user, item, label = torch.randint(0, U, (B,)), torch.randint(0, I, (B,)), torch.randint(0, 2, (B,)).float()

    def step():
        model.zero_grad()
        loss = F.binary_cross_entropy_with_logits(model(user, item), label)
        loss.backward()
        opt.step()
    n = 5 * 994169
    per = ceil_div(n, B)
    return _train({"model": model}, step, B, 20 * per,
                  f"20 epochs x ceil((1 + 4 negatives) x 994169 ml-1m training ratings / {B}) = 20 x {per}",
                  ["evaluate.metrics (HR/NDCG@10 over 6,040 x 100 test items) every epoch is periodic"])


# =============================================================================================
# philschmid/deep-learning-pytorch-huggingface: QLoRA / SFT of Llama models with trl (closed forms).

LLAMA31_8B = dict(V=128256, h=4096, L=32, heads=32, kv=8, f=14336, gated=True, norm="rms", tied=False,
                  causal_half=True)  # https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json
ALL_LINEAR = ("q", "k", "v", "o", "gate", "up", "down")


def _llm(name, c, B, S, accum, r, lora, steps_formula, notes, trainable_extra=0):
    closed, models, step, _ = C._lm_closed(c, name, B, S, accum, r, lora, extra=f" (grad accumulation {accum})")
    closed["trainableParams"] += trainable_extra
    return dict(mode="train", models=models, step=step, batch=B, seqLen=S, microBatches=accum, steps=None,
                stepsFormula=steps_formula, closed=closed,
                crossCheckWhat="our plain-PyTorch LLaMA + LoRA at a reduced size (formula exact)", notes=notes)


@driver("i-phil-run-sft")
def _(ctx):
    c = LLAMA31_8B
    return _llm("Meta-Llama/Meta-Llama-3.1-8B", c, 8, 1024, 2, 16, ALL_LINEAR,
                "1 epoch over 10,000 samples packed into 1024-token rows / (8 x 2): the packed row count depends on "
                "the token count",
                ["scripts/run_sft.py --config receipes/llama-3-1-8b-qlora.yaml: 4-bit base, LoRA r 16 on all linear "
                 "layers, per_device_train_batch_size 8, gradient_accumulation_steps 2, max_seq_length 1024, packing",
                 "lora_modules_to_save lm_head and embed_tokens: trainable copies that replace the originals in the "
                 "forward (params counted once)"],
                trainable_extra=2 * c["V"] * c["h"])


@driver("i-phil-trl-2024")
def _(ctx):
    c = dict(LLAMA31_8B, V=128258)  # setup_chat_format adds <|im_start|>, <|im_end|>: embeddings resized to 128,258
    return _llm("meta-llama/Meta-Llama-3.1-8B (+2 ChatML tokens)", c, 1, 2048, 8, 256, ALL_LINEAR,
                "3 epochs over 10,000 text-to-SQL samples packed into 2048-token rows / (1 x 8): the packed row "
                "count depends on the token count",
                ["SFTTrainer: 4-bit base, LoRA r 256 on all linear layers, batch 1, accumulation 8, max_seq_length "
                 "2048, packing; the merge and the evaluation cells after training are not in the step"])


@driver("i-phil-llama2-int4")
def _(ctx):
    return _llm("NousResearch/Llama-2-7b-hf", C.LLAMA_7B, 4, 2048, 2, 64, ("q", "v"),
                "3 epochs over databricks-dolly-15k (15,011) packed into 2048-token rows / (4 x 2): the packed row "
                "count depends on the token count",
                ["SFTTrainer: 4-bit base, LoRA r 64 with PEFT's default targets for LLaMA (q_proj, v_proj), "
                 "per_device_train_batch_size 4 (use_flash_attention False), accumulation 2, max_seq_length 2048, "
                 "packing"])
