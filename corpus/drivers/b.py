"""Corpus group b: LLMs and transformers from scratch, RL, notebooks, vision training recipes.

Our own measuring code (no public code is copied here): every driver loads the public script from its extracted
folder, builds the script's own model(s) with the script's defaults, and mirrors ONE iteration of its loop body.
"""
from __future__ import annotations

import sys
import types
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from corpus_driver import DATASETS, RUN_NAME, M, ceil_div, driver, epochs_steps, images, labels  # noqa: F401

try:  # imported for real before the stub finder is active: inside ctx.load its optional `simplejson` import gets a stub
    import requests  # noqa: F401
except ImportError:
    pass


# ---------------------------------------------------------------------------------------------------------------------
# Helpers (ours).

def _stub_tensorboard() -> None:
    """torch.utils.tensorboard exists in torch but raises ImportError without the tensorboard package: the stub finder
    never sees it, so SummaryWriter gets a permissive stand-in (it only logs)."""
    try:
        import torch.utils.tensorboard  # noqa: F401
    except Exception:
        mod = types.ModuleType("torch.utils.tensorboard")
        mod.SummaryWriter = M._Anything
        sys.modules["torch.utils.tensorboard"] = mod


_stub_tensorboard()

# tiny shakespeare (input.txt of karpathy/char-rnn, 1,115,394 characters) has these 65 distinct characters
TINY_SHAKESPEARE_CHARS = "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
assert len(TINY_SHAKESPEARE_CHARS) == 65


def _ensure_input_txt(folder: Path) -> None:
    """Scripts that read tiny shakespeare's input.txt at module level (the repos do not ship it): a stand-in with the same
    65-character vocabulary, so len(set(text)) is what the real file gives. Its length changes no shape."""
    f = folder / "input.txt"
    if not f.exists():
        f.write_text(TINY_SHAKESPEARE_CHARS * 2000, encoding="utf-8")


def _load(ctx, **kw):
    """ctx.load() with a module registered under the run name while the script executes: @dataclass looks its class's
    module up in sys.modules (harness workaround: without it every script defining a dataclass fails to load)."""
    had = RUN_NAME in sys.modules
    if not had:
        sys.modules[RUN_NAME] = types.ModuleType(RUN_NAME)
    try:
        return ctx.load(**kw)
    finally:
        if not had:
            sys.modules.pop(RUN_NAME, None)


def _load_without_atari_wrappers(ctx):
    """cleanrl_utils.atari_wrappers subclasses gym.Wrapper[...] at import (gymnasium is not installed; a stub is not
    subscriptable). The wrappers are only used inside make_env(), which a driver never calls."""
    name = "cleanrl_utils.atari_wrappers"
    saved = sys.modules.get(name)
    stub = types.ModuleType(name)
    stub.__getattr__ = lambda attr: M._Anything
    sys.modules[name] = stub
    try:
        return _load(ctx)
    finally:
        if saved is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = saved


def _fake_envs(obs_shape, n_actions):
    """What cleanrl's Agent/QNetwork read from a gymnasium vector env: observation shape and number of actions."""
    return SimpleNamespace(single_observation_space=SimpleNamespace(shape=tuple(obs_shape)),
                           single_action_space=SimpleNamespace(n=n_actions, shape=()),
                           num_envs=1)


def _params(*models) -> int:
    return M.unique_params({str(i): m for i, m in enumerate(models)}, trainable_only=False)


def _lm_step(model, optimizer, x, y, clip=None):
    """The loop body shared by the from-scratch LM scripts: `logits, loss = model(x, y)`, zero grads, backward,
    optional gradient clipping, optimizer step (the order of zero_grad and forward changes no count)."""
    def step():
        logits, loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if clip:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
    return step


def _sgd_step(forward, params, y, lr=0.1):
    """The lecture notebooks' loop body: forward, cross-entropy, p.grad = None, backward, p.data += -lr * p.grad."""
    def step():
        loss = F.cross_entropy(forward(), y)
        for p in params:
            p.grad = None
        loss.backward()
        for p in params:
            p.data += -lr * p.grad
    return step


def _nanogpt_forward(B, T, L, D, V, last_only=False) -> int:
    """nanoGPT GPT forward FLOPs (bias-free Linear layers, SDPA is_causal convention):
    per layer c_attn 3D^2 + c_proj D^2 + c_fc 4D^2 + mlp c_proj 4D^2 = 12 D^2 weights -> 24*B*T*D^2;
    attention 4*B*H*T*T*hs / 2 (causal) = 2*B*T*T*D; lm_head 2*B*T*D*V (only the last position without targets)."""
    return L * 24 * B * T * D * D + L * 2 * B * T * T * D + 2 * B * (1 if last_only else T) * D * V


# ---------------------------------------------------------------------------------------------------------------------
# karpathy/nanoGPT

@driver("b-nanogpt-train")
def _nanogpt_train(ctx):
    # module-level script: run the config block, configurator and setup; stop before the data loader / training loop
    ns = _load(ctx, stop_at=r"^data_dir\s*=")
    model_mod = ctx.module("model")
    gas, B, T = ns.gradient_accumulation_steps, ns.batch_size, ns.block_size
    L, H, D = ns.n_layer, ns.n_head, ns.n_embd
    V = 50304  # data/openwebtext/meta.pkl does not exist (prepare.py writes none): meta_vocab_size None -> 50304
    conf = model_mod.GPTConfig(n_layer=L, n_head=H, n_embd=D, block_size=T, bias=ns.bias, vocab_size=V,
                               dropout=ns.dropout)
    model = model_mod.GPT(conf)
    params = _params(model)
    fwd = gas * _nanogpt_forward(B, T, L, D, V)
    # cross-check: the script's own GPT at full size, ONE micro-batch of ONE sequence (forward is linear in B and gas,
    # so crossCheck.forwardFlops x batch_size x gradient_accumulation_steps must equal the closed form)
    optimizer = model.configure_optimizers(ns.weight_decay, ns.learning_rate, (ns.beta1, ns.beta2), "cpu")
    X, Y = torch.randint(0, V, (1, T)), torch.randint(0, V, (1, T))
    model.train()

    def step():
        logits, loss = model(X, Y)
        (loss / gas).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), ns.grad_clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    return dict(mode="train", models={"model": model}, step=step, batch=B, seqLen=T, microBatches=gas,
                steps=ns.max_iters + 1,
                stepsFormula=f"while True: ... iter_num += 1; break when iter_num > max_iters ({ns.max_iters}) -> max_iters + 1",
                closed=dict(params=params, forwardFlops=fwd,
                            formula=f"{gas} micro-batches x [L*24*B*T*D^2 + L*2*B*T^2*D (causal SDPA) + 2*B*T*D*V] "
                                    f"with B={B}, T={T}, L={L}, D={D}, V={V}; params counted on the script's GPT"),
                crossCheckWhat=f"the script's GPT at full size, 1 micro-batch of batch 1 (x {B * gas} = closed form)",
                notes=["closed form: 40 micro-batches of 12 x 1024 tokens through GPT-2 124M is too slow to execute on CPU",
                       "default config: GPT-2 124M on OpenWebText, vocab 50304 (no meta.pkl), bias=False, wte tied to lm_head",
                       "extra forward: estimate_loss() every eval_interval=2000 iterations, 2 splits x eval_iters=200 batches"])


@driver("b-nanogpt-bench")
def _nanogpt_bench(ctx):
    # module-level script: real_data reads data/openwebtext/train.bin (absent), compile/profile branches and
    # model.to(device="cuda") left out
    ns = _load(ctx, skip=r"^(if (real_data|profile|compile)\b|model\.to\()")  # device defaults to cuda
    model, optimizer = ns.model, ns.optimizer
    B, T = ns.batch_size, ns.block_size
    c = model.config
    L, D, V = c.n_layer, c.n_embd, c.vocab_size
    X, Y = torch.randint(0, V, (1, T)), torch.randint(0, V, (1, T))
    model.train()
    return dict(mode="train", models={"model": model}, step=_lm_step(model, optimizer, X, Y), batch=B, seqLen=T,
                steps=10 + 20, stepsFormula="for stage, num_steps in enumerate([10, 20]): burn-in 10 + benchmark 20",
                closed=dict(params=_params(model), forwardFlops=_nanogpt_forward(B, T, L, D, V),
                            formula=f"L*24*B*T*D^2 + L*2*B*T^2*D + 2*B*T*D*V, B={B}, T={T}, L={L}, D={D}, V={V}"),
                crossCheckWhat=f"the script's own model, one step at batch 1 (x {B} = closed form)",
                notes=["GPT-2 124M (n_layer 12, n_head 12, n_embd 768), bias False, vocab 50304; profile=False path"])


@driver("b-nanogpt-sample")
def _nanogpt_sample(ctx):
    ns = _load(ctx, stop_at=r"^torch\.manual_seed")  # the config block + configurator; model comes from out/ckpt.pt
    model_mod = ctx.module("model")
    # init_from='resume' loads out/ckpt.pt, which train.py writes with its defaults: GPT-2 124M, block 1024,
    # bias False, vocab 50304 (no meta.pkl for openwebtext, so the prompt is GPT-2-encoded: "\n" is ONE token)
    L, H, D, T, V = 12, 12, 768, 1024, 50304
    conf = model_mod.GPTConfig(n_layer=L, n_head=H, n_embd=D, block_size=T, bias=False, vocab_size=V, dropout=0.0)
    model = model_mod.GPT(conf).eval()
    n_new, prompt = ns.max_new_tokens, 1
    fwd = sum(_nanogpt_forward(1, t, L, D, V, last_only=True) for t in range(prompt, prompt + n_new))
    small = 8  # cross-check: the script's own generate() on the full-size model for 8 new tokens

    def step():
        with torch.no_grad():
            model.generate(torch.zeros((1, prompt), dtype=torch.long), small, temperature=ns.temperature, top_k=ns.top_k)

    check = sum(_nanogpt_forward(1, t, L, D, V, last_only=True) for t in range(prompt, prompt + small))
    return dict(mode="infer", models={"model": model}, step=step, batch=1, seqLen=prompt + n_new,
                steps=ns.num_samples, stepsFormula=f"for k in range(num_samples={ns.num_samples}): one generate() each",
                closed=dict(params=_params(model), forwardFlops=fwd,
                            formula=f"sum over t=1..{n_new} of [L*24*t*D^2 + L*2*t^2*D + 2*D*V] (no KV cache; logits of "
                                    f"the last position only), L={L}, D={D}, V={V}"),
                crossCheckWhat=f"the script's generate() for {small} new tokens on the full-size model; formula gives {check:,}",
                notes=["one iteration = one generate(x, max_new_tokens=500) call of batch 1; the model is re-run on the "
                       "whole growing sequence each token (no KV cache)",
                       "checkpoint out/ckpt.pt is what train.py's defaults produce (GPT-2 124M)"])


# ---------------------------------------------------------------------------------------------------------------------
# karpathy/minGPT

def _mingpt_project(ctx, config, V, T):
    """A minGPT project's __main__: GPT(config.model) with the dataset's vocab/block size, trained by mingpt.Trainer
    (configure_optimizers, batch config.trainer.batch_size, grad-norm clipping)."""
    config.model.vocab_size, config.model.block_size = V, T
    model = ctx.module("mingpt.model").GPT(config.model)
    tc = config.trainer
    optimizer = model.configure_optimizers(tc)
    B = tc.batch_size
    x, y = torch.randint(0, V, (B, T)), torch.randint(0, V, (B, T))
    model.train()
    return model, B, _lm_step(model, optimizer, x, y, tc.grad_norm_clip)


@driver("b-mingpt-chargpt")
def _mingpt_chargpt(ctx):
    ns = _load(ctx)
    config = ns.get_config()
    T = config.data.block_size
    V = len(TINY_SHAKESPEARE_CHARS)  # input.txt (tiny shakespeare, per the readme) is not in the repo
    model, B, step = _mingpt_project(ctx, config, V, T)
    return dict(mode="train", models={"model": model}, step=step, batch=B, seqLen=T, steps=None,
                stepsFormula="Trainer.run(): while True, C.trainer.max_iters = None -> runs until killed (unknowable)",
                notes=["gpt-mini (6 layers, 6 heads, 192 embd); vocab 65 = len(set(text)) of tiny shakespeare input.txt "
                       "(data-dependent in the script); block_size 128 from CharDataset.get_default_config()",
                       "attention is manual q@k^T / att@v with masked_fill: full T x T counted",
                       "extra forward: every 500 iterations model.generate(500 tokens) from a 13-character context"])


@driver("b-mingpt-adder")
def _mingpt_adder(ctx):
    ns = _load(ctx)
    config = ns.get_config()
    train_dataset = ns.AdditionDataset(config.data, split="train")
    T = train_dataset.get_block_size()
    model, B, step = _mingpt_project(ctx, config, train_dataset.get_vocab_size(), T)
    return dict(mode="train", models={"model": model}, step=step, batch=B, seqLen=T, steps=None,
                stepsFormula="Trainer.run(): while True, max_iters None; the script never stops it (unknowable)",
                notes=[f"gpt-nano, vocab 10 digits, block_size 3*ndigit = {T}; dataset {len(train_dataset)} problems",
                       "extra forward: every 500 iterations eval_split on train (all) and test with greedy generate(3)"])


@driver("b-mingpt-demo-nb")
def _mingpt_demo(ctx):
    # notebook: everything before trainer.run() (the later cells evaluate the trained model)
    ns = _load(ctx, stop_at=r"^trainer\.run\(")
    model, trainer = ns.model, ns.trainer
    tc = trainer.config
    optimizer = model.configure_optimizers(tc)
    B, T, V = tc.batch_size, model.block_size, ns.train_dataset.get_vocab_size()
    x, y = torch.randint(0, V, (B, T)), torch.randint(0, V, (B, T))
    model.train()
    return dict(mode="train", models={"model": model}, step=_lm_step(model, optimizer, x, y, tc.grad_norm_clip),
                batch=B, seqLen=T, steps=tc.max_iters, stepsFormula=f"train_config.max_iters = {tc.max_iters}",
                notes=["SortDataset(length=6, num_digits=3): vocab 3, block 11; gpt-nano; Trainer batch_size default 64",
                       "extra forward after training: eval_split x2 (50 batches of 100, greedy generate of 6 tokens each)"])


# ---------------------------------------------------------------------------------------------------------------------
# karpathy/makemore

@driver("b-makemore")
def _makemore(ctx):
    ns = _load(ctx)
    # the parser is built inside the __main__ block: its defaults are type=transformer, n_layer 4, n_head 4,
    # n_embd 64, n_embd2 64, batch_size 32, max_steps -1, input names.txt (shipped with the repo)
    train_dataset, _test = ns.create_datasets(str(ctx.script.parent / "names.txt"))
    V, T = train_dataset.get_vocab_size(), train_dataset.get_output_length()
    config = ns.ModelConfig(vocab_size=V, block_size=T, n_layer=4, n_head=4, n_embd=64, n_embd2=64)
    model = ns.Transformer(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.01, betas=(0.9, 0.99), eps=1e-8)
    B = 32
    X, Y = torch.randint(0, V, (B, T)), torch.randint(0, V, (B, T))
    model.train()
    return dict(mode="train", models={"model": model}, step=_lm_step(model, optimizer, X, Y), batch=B, seqLen=T,
                steps=None,
                stepsFormula="while True ... break only when max_steps >= 0; default --max-steps -1 = infinite (unknowable)",
                notes=[f"vocab {V} and block_size {T} (= max name length + 1) come from names.txt at run time",
                       "extra forward: evaluate() every 500 steps (2 x 10 batches of 100), print_samples every 200 steps"])


# ---------------------------------------------------------------------------------------------------------------------
# karpathy/ng-video-lecture

@driver("b-ngvl-gpt")
def _ngvl_gpt(ctx):
    _ensure_input_txt(ctx.script.parent)
    ns = _load(ctx, stop_at=r"^for iter in range")
    model, optimizer = ns.model, ns.optimizer
    B, T, V = ns.batch_size, ns.block_size, ns.vocab_size
    xb, yb = torch.randint(0, V, (B, T)), torch.randint(0, V, (B, T))
    model.train()
    return dict(mode="train", models={"model": model}, step=_lm_step(model, optimizer, xb, yb), batch=B, seqLen=T,
                steps=ns.max_iters,
                stepsFormula=f"for iter in range(max_iters={ns.max_iters})",
                notes=["vocab 65 = len(sorted(set(text))) of tiny shakespeare input.txt (wget in a comment; data-dependent)",
                       "per-head attention q@k^T and wei@v with masked_fill: full T x T counted",
                       "extra forward: estimate_loss() every 500 iters (2 x 200 batches) and generate(500) at the end"])


@driver("b-ngvl-bigram")
def _ngvl_bigram(ctx):
    _ensure_input_txt(ctx.script.parent)
    ns = _load(ctx, stop_at=r"^for iter in range")
    model = ns.model
    B, T, V = ns.batch_size, ns.block_size, ns.vocab_size
    xb, yb = torch.randint(0, V, (B, T)), torch.randint(0, V, (B, T))
    model.train()
    return dict(mode="train", models={"model": model}, step=_lm_step(model, ns.optimizer, xb, yb), batch=B, seqLen=T,
                steps=ns.max_iters, stepsFormula=f"for iter in range(max_iters={ns.max_iters})",
                notes=["BigramLanguageModel: one nn.Embedding(65, 65) lookup table; NO matmul/conv work at all, so the "
                       "true forward FLOPs are 0 (a real zero, not a failure)",
                       "vocab 65 = len(sorted(set(text))) of tiny shakespeare input.txt (data-dependent in the script)"])


# ---------------------------------------------------------------------------------------------------------------------
# seungeunrho/minimalRL

@driver("b-minrl-ppo")
def _minrl_ppo(ctx):
    ns = _load(ctx)
    model = ns.PPO()
    Th, K = ns.T_horizon, ns.K_epoch
    # The corpus iteration is one optimizer step: train_net() runs K_epoch=3 of them on each T_horizon chunk, so the
    # step runs train_net with K_epoch=1 (the script's own code) and its share of the chunk's rollout, 20/3 ~ 7 pi calls.
    model.train_net.__func__.__globals__["K_epoch"] = 1
    rollout_calls = round(Th / K)
    states = [np.random.randn(4).astype(np.float32) for _ in range(Th + 1)]

    def step():
        prob = None
        for t in range(Th):
            if t < rollout_calls or prob is None:
                prob = model.pi(torch.from_numpy(states[t]).float())
            a = int(torch.argmax(prob))
            model.put_data((states[t], a, 1.0 / 100.0, states[t + 1], prob[a].item(), False))
        model.train_net()

    return dict(mode="train", models={"model": model}, step=step, batch=Th, steps=None,
                stepsFormula=f"optimizer steps = K_epoch={K} per T_horizon={Th} chunk x ceil(episode length / {Th}) "
                             "chunks x 10000 episodes; CartPole episode length is data-dependent (<= 500): unknowable",
                notes=[f"one iteration = one optimizer step: one of train_net()'s K_epoch={K} epochs (v(s'), v(s), pi(s), "
                       f"v(s) on the batch of {Th}, backward, Adam) + its share of the chunk's rollout: {Th}/{K} pi(state "
                       f"[4]) calls, counted as {rollout_calls} (rounding: < 0.5% of the iteration's FLOPs)",
                       f"batch = the {Th} transitions train_net() trains on (the rollout calls are unbatched)"])


@driver("b-minrl-sac")
def _minrl_sac(ctx):
    ns = _load(ctx)
    q1, q2, q1_target, q2_target = (ns.QNet(ns.lr_q) for _ in range(4))
    q1_target.load_state_dict(q1.state_dict())
    q2_target.load_state_dict(q2.state_dict())
    pi = ns.PolicyNet(ns.lr_pi)
    memory = ns.ReplayBuffer()
    for _ in range(1200):
        memory.put((np.random.randn(3).astype(np.float32), float(np.random.randn()), -0.1,
                    np.random.randn(3).astype(np.float32), False))
    s0 = np.random.randn(3).astype(np.float32)

    def step():
        # one training round (the script's `for i in range(20)` body, where the optimizers step) plus its share of the
        # episode's rollout: 200 env steps per episode / 20 rounds = 10 x pi(state)
        for _ in range(10):
            a, log_prob = pi(torch.from_numpy(s0).float())
        mini_batch = memory.sample(ns.batch_size)
        td_target = ns.calc_target(pi, q1_target, q2_target, mini_batch)
        q1.train_net(td_target, mini_batch)
        q2.train_net(td_target, mini_batch)
        pi.train_net(q1, q2, mini_batch)
        q1.soft_update(q1_target)
        q2.soft_update(q2_target)

    rounds = (10000 - 5) * 20
    return dict(mode="train", models={"pi": pi, "q1": q1, "q2": q2, "q1_target": q1_target, "q2_target": q2_target},
                step=step, batch=ns.batch_size, steps=rounds,
                stepsFormula="optimizer rounds: episodes 5..9999 train (memory.size() > 1000 after 6 episodes of exactly "
                             "200 Pendulum steps) x range(20) = 9995 x 20",
                notes=["one iteration = one training round: calc_target (pi, q1_target, q2_target on 32), q1 and q2 "
                       "train_net, pi.train_net through q1 and q2, plus 10 x pi(state [3]) = the episode's 200 rollout "
                       "calls shared over its 20 rounds (the 5 rollout-only warm-up episodes are left out)",
                       "per episode (the script's outer loop, 10,000 of them): 20 x this iteration",
                       "one iteration = one minibatch update (q1, q2 and pi each take one optimizer step on the same "
                       "minibatch of 32): the corpus convention",
                       "params: pi, q1, q2 and the target networks q1_target, q2_target: every model called in the "
                       "iteration counts (corpus convention), trained or not; the targets are soft-updated copies"])


@driver("b-minrl-ddpg")
def _minrl_ddpg(ctx):
    ns = _load(ctx)
    q, q_target = ns.QNet(), ns.QNet()
    q_target.load_state_dict(q.state_dict())
    mu, mu_target = ns.MuNet(), ns.MuNet()
    mu_target.load_state_dict(mu.state_dict())
    mu_optimizer = torch.optim.Adam(mu.parameters(), lr=ns.lr_mu)
    q_optimizer = torch.optim.Adam(q.parameters(), lr=ns.lr_q)
    memory = ns.ReplayBuffer()
    for _ in range(2200):
        memory.put((np.random.randn(3).astype(np.float32), float(np.random.randn()), -0.01,
                    np.random.randn(3).astype(np.float32), 1.0))
    s0 = np.random.randn(3).astype(np.float32)

    def step():
        # one train() round (the script's `for i in range(10)` body) plus its share of the episode's rollout:
        # 200 env steps per episode / 10 rounds = 20 x mu(state)
        for _ in range(20):
            a = mu(torch.from_numpy(s0).float())
            a = a.item()
        ns.train(mu, mu_target, q, q_target, memory, q_optimizer, mu_optimizer)
        ns.soft_update(mu, mu_target)
        ns.soft_update(q, q_target)

    rounds = (10000 - 10) * 10
    return dict(mode="train", models={"mu": mu, "q": q, "mu_target": mu_target, "q_target": q_target},
                step=step, batch=ns.batch_size, steps=rounds,
                stepsFormula="optimizer rounds: episodes 10..9999 train (memory.size() > 2000 after 11 episodes of 200 "
                             "Pendulum steps, max_episode_steps=200) x range(10) = 9990 x 10",
                notes=["one iteration = one train() round (q_target(s', mu_target(s')), q(s, a), q(s, mu(s)) on batches "
                       "of 32, two Adam steps) plus 20 x mu(state [3]) = the episode's 200 rollout calls shared over "
                       "its 10 rounds (the 10 rollout-only warm-up episodes are left out)",
                       "one iteration = one minibatch update (q and mu each take one optimizer step on the same minibatch): "
                       "the corpus convention",
                       "params: mu, q and mu_target, q_target: every model called in the iteration counts (corpus "
                       "convention); the targets are soft-updated copies, never given to an optimizer"])


@driver("b-minrl-a2c")
def _minrl_a2c(ctx):
    ns = _load(ctx)
    model = ns.ActorCritic()
    optimizer = torch.optim.Adam(model.parameters(), lr=ns.learning_rate)
    P, U = ns.n_train_processes, ns.update_interval
    states = [np.random.randn(P, 4).astype(np.float32) for _ in range(U + 1)]

    def step():
        # one pass of `while step_idx < max_train_steps`: update_interval steps of the P parallel envs, then one update
        s_lst, a_lst, r_lst, mask_lst = [], [], [], []
        for t in range(U):
            prob = model.pi(torch.from_numpy(states[t]).float())
            a = torch.argmax(prob, dim=1).numpy()
            s_lst.append(states[t]); a_lst.append(a)
            r_lst.append(np.full(P, 0.01)); mask_lst.append(np.ones(P))
        v_final = model.v(torch.from_numpy(states[U]).float()).detach().clone().numpy()
        td_target_vec = ns.compute_target(v_final, r_lst, mask_lst).reshape(-1)
        s_vec = torch.tensor(np.array(s_lst)).float().reshape(-1, 4)
        a_vec = torch.tensor(np.array(a_lst)).reshape(-1).unsqueeze(1)
        advantage = td_target_vec - model.v(s_vec).reshape(-1)
        pi_a = model.pi(s_vec, softmax_dim=1).gather(1, a_vec).reshape(-1)
        loss = -(torch.log(pi_a) * advantage.detach()).mean() + \
            F.smooth_l1_loss(model.v(s_vec).reshape(-1), td_target_vec)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    steps = ceil_div(ns.max_train_steps, U)
    return dict(mode="train", models={"model": model}, step=step, batch=P * U, steps=steps,
                stepsFormula=f"step_idx += 1 per env step, update_interval={U} env steps per update, "
                             f"while step_idx < max_train_steps={ns.max_train_steps} -> {steps} updates",
                notes=[f"one iteration = {U} x pi(states [{P}, 4]) on the {P} parallel envs + v(s_final) + v, pi, v on "
                       f"the stacked batch of {P * U} states, backward, Adam",
                       "batch = the update's batch (update_interval x n_train_processes); the rollout calls have batch 3",
                       "extra forward: test() every 500 updates, 10 CartPole episodes of data-dependent length"])


# ---------------------------------------------------------------------------------------------------------------------
# kuangliu/pytorch-cifar

@driver("b-cifar-main")
def _cifar_main(ctx):
    # utils.py runs `stty size` at import, which fails without a terminal; progress_bar only prints
    saved = sys.modules.get("utils")
    sys.modules["utils"] = types.SimpleNamespace(progress_bar=lambda *a, **k: None)
    try:
        ns = _load(ctx, stop_at=r"^for epoch in range")
    finally:
        if saved is None:
            sys.modules.pop("utils", None)
        else:
            sys.modules["utils"] = saved
    net, criterion, optimizer = ns.net, ns.criterion, ns.optimizer
    B = 128
    x, y = images(B, (3, 32, 32)), labels(B, 10)
    net.train()

    def step():
        optimizer.zero_grad()
        outputs = net(x)
        loss = criterion(outputs, y)
        loss.backward()
        optimizer.step()

    steps, formula = epochs_steps(200, "CIFAR10", B)
    return dict(mode="train", models={"net": net}, step=step, batch=B, steps=steps, stepsFormula=formula,
                notes=["net = SimpleDLA() (the only uncommented model line); RandomCrop(32, padding=4) keeps 32x32",
                       "extra forward: test() every epoch, 100 batches of 100; scheduler.step() per epoch"])


# ---------------------------------------------------------------------------------------------------------------------
# rasbt/LLMs-from-scratch

GPT_124M_CH04 = {"vocab_size": 50257, "context_length": 1024, "emb_dim": 768, "n_heads": 12, "n_layers": 12,
                 "drop_rate": 0.1, "qkv_bias": False}  # ch04 gpt.py main()


@driver("b-llmfs-ch04-gpt")
def _llmfs_ch04(ctx):
    ns = _load(ctx)
    model = ns.GPTModel(dict(GPT_124M_CH04)).eval()
    idx = torch.tensor([[15496, 11, 314, 716]])  # tiktoken gpt2 "Hello, I am" (printed by the book)

    def step():
        ns.generate_text_simple(model=model, idx=idx, max_new_tokens=10, context_size=1024)

    return dict(mode="infer", models={"model": model}, step=step, batch=1, seqLen=14, steps=1,
                stepsFormula="main(): one generate_text_simple call",
                notes=["untrained GPTModel (GPT-2 124M shapes, qkv_bias False, out_head NOT tied: 163M params)",
                       "10 forward passes over the growing sequence (4..13 tokens), logits for every position"])


@driver("b-llmfs-ch05-generate")
def _llmfs_ch05_generate(ctx):
    ns = _load(ctx)
    cfg = {"vocab_size": 50257, "context_length": 1024, "drop_rate": 0.0, "qkv_bias": True,
           "emb_dim": 768, "n_layers": 12, "n_heads": 12}  # BASE_CONFIG + model_configs["gpt2-small (124M)"]
    model = ns.GPTModel(cfg).eval()
    idx = torch.tensor([[6109, 3626, 6100, 345]])  # tiktoken gpt2 "Every effort moves you" (printed by the book)

    def step():
        ns.generate(model=model, idx=idx, max_new_tokens=25, context_size=cfg["context_length"], top_k=50,
                    temperature=1.0)

    return dict(mode="infer", models={"model": model}, step=step, batch=1, seqLen=29, steps=1,
                stepsFormula="main(): one generate() call of 25 new tokens",
                notes=["OpenAI GPT-2 small weights are loaded into GPTModel; out_head gets its own Parameter copy of wte "
                       "(not tied by identity): 163M params counted; weights random here (shapes are what count)",
                       "eos_id None: never stops early"])


@driver("b-llmfs-ch05-train")
def _llmfs_ch05_train(ctx):
    ns = _load(ctx)
    cfg = {"vocab_size": 50257, "context_length": 256, "emb_dim": 768, "n_heads": 12, "n_layers": 12,
           "drop_rate": 0.1, "qkv_bias": False}  # GPT_CONFIG_124M of the __main__ block
    settings = {"learning_rate": 5e-4, "num_epochs": 10, "batch_size": 2, "weight_decay": 0.1}
    model = ns.GPTModel(cfg)
    optimizer = torch.optim.AdamW(model.parameters(), lr=settings["learning_rate"], weight_decay=settings["weight_decay"])
    B, T, V = settings["batch_size"], cfg["context_length"], cfg["vocab_size"]
    inp, tgt = torch.randint(0, V, (B, T)), torch.randint(0, V, (B, T))
    model.train()

    def step():
        optimizer.zero_grad()
        loss = ns.calc_loss_batch(inp, tgt, model, torch.device("cpu"))
        loss.backward()
        optimizer.step()

    per_epoch = 9
    return dict(mode="train", models={"model": model}, step=step, batch=B, seqLen=T,
                unknowable={"steps": "the-verdict.txt is downloaded when absent (it is not beside the script, only in "
                                     "ch02/ of the repository): its 5,145 tokens decide the batches"},
                steps=settings["num_epochs"] * per_epoch,
                stepsFormula="10 epochs x 9 batches: the-verdict.txt has 5,145 GPT-2 tokens; the 90% character split "
                             "gives 18 windows of 256 (stride 256), batch 2 with drop_last -> 9 (the book prints 9 "
                             "training batches / 4,608 training tokens)",
                notes=["GPTModel untied out_head: 163M params; attention manual with masked_fill (full T x T)",
                       "extra forward: evaluate_model every 5 steps (1 train + 1 val batch), generate 50 tokens per epoch",
                       "the-verdict.txt is downloaded with requests when absent (it lives in ch02/ of the repo)"])


# ---------------------------------------------------------------------------------------------------------------------
# vwxyzjn/cleanrl

def _ppo_iteration(agent, optimizer, args, obs_shape, n_actions):
    """One corpus iteration of cleanrl's PPO = one minibatch update (the optimizer step) plus its share of the rollout:
    each loop iteration rolls out num_steps x num_envs (no grad) then makes update_epochs x num_minibatches updates, so
    one update carries num_steps / (update_epochs x num_minibatches) rollout calls on num_envs. The bootstrap
    get_value(next_obs), once per rollout (num_envs samples of the critic per 16 updates), is left out (< 0.1%)."""
    N, S = args.num_envs, args.num_steps
    bs = N * S
    mbs = bs // args.num_minibatches
    updates = args.update_epochs * args.num_minibatches
    assert S % updates == 0, "the rollout share per update must be a whole number of calls"
    share = S // updates
    next_obs = torch.rand((N,) + obs_shape) * 255
    b_obs = torch.rand((bs,) + obs_shape) * 255
    b_actions = torch.randint(0, n_actions, (bs,))
    b_logprobs, b_adv, b_ret, b_val = (torch.randn(bs) for _ in range(4))
    inds = np.random.permutation(bs)

    def step():
        with torch.no_grad():
            for _ in range(share):
                action, logprob, _, value = agent.get_action_and_value(next_obs)
        mb = torch.from_numpy(inds[:mbs])
        _, newlogprob, entropy, newvalue = agent.get_action_and_value(b_obs[mb], b_actions[mb])
        ratio = (newlogprob - b_logprobs[mb]).exp()
        adv = b_adv[mb]
        adv = (adv - adv.mean()) / (adv.std() + 1e-8)
        pg_loss = torch.max(-adv * ratio, -adv * torch.clamp(ratio, 1 - args.clip_coef, 1 + args.clip_coef)).mean()
        newvalue = newvalue.view(-1)
        v_clipped = b_val[mb] + torch.clamp(newvalue - b_val[mb], -args.clip_coef, args.clip_coef)
        v_loss = 0.5 * torch.max((newvalue - b_ret[mb]) ** 2, (v_clipped - b_ret[mb]) ** 2).mean()
        loss = pg_loss - args.ent_coef * entropy.mean() + v_loss * args.vf_coef
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(agent.parameters(), args.max_grad_norm)
        optimizer.step()

    return step, mbs, bs, updates, share


def _cleanrl_ppo_spec(agent, args, step, mbs, bs, updates, share, env_note):
    iters = args.total_timesteps // bs
    return dict(mode="train", models={"agent": agent}, step=step, batch=mbs, steps=iters * updates,
                stepsFormula=f"optimizer steps = num_iterations x update_epochs x num_minibatches = (total_timesteps // "
                             f"(num_envs * num_steps)) x {updates} = ({args.total_timesteps} // {bs}) x {updates}",
                notes=[f"one iteration = one minibatch update of {mbs} (get_action_and_value, backward, clip, Adam) + its "
                       f"share of the rollout: {args.num_steps} x get_action_and_value on {args.num_envs} envs (no grad) "
                       f"per {updates} updates = {share} calls on {args.num_envs} envs (corpus convention: rollouts are "
                       f"amortised per optimizer step)", env_note])


@driver("b-cleanrl-ppo")
def _cleanrl_ppo(ctx):
    ns = _load(ctx)
    args = ns.Args()  # tyro.cli(Args) with no flags = the dataclass defaults
    obs_shape, n_actions = (4,), 2  # CartPole-v1
    agent = ns.Agent(_fake_envs(obs_shape, n_actions))
    optimizer = torch.optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)
    return _cleanrl_ppo_spec(agent, args, *_ppo_iteration(agent, optimizer, args, obs_shape, n_actions),
                             "CartPole-v1: observation [4], 2 actions")


@driver("b-cleanrl-ppo-atari")
def _cleanrl_ppo_atari(ctx):
    ns = _load_without_atari_wrappers(ctx)
    args = ns.Args()
    obs_shape, n_actions = (4, 84, 84), 4  # BreakoutNoFrameskip-v4 after the wrappers (FrameStack 4 of 84x84 gray)
    agent = ns.Agent(_fake_envs(obs_shape, n_actions))
    optimizer = torch.optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)
    return _cleanrl_ppo_spec(agent, args, *_ppo_iteration(agent, optimizer, args, obs_shape, n_actions),
                             "Breakout: 4 actions; observation [4, 84, 84] (ResizeObservation 84, GrayScale, FrameStack 4)")


def _cleanrl_dqn(ctx, obs_shape, n_actions, what):
    """cleanrl's DQN loop: per env step one q_network(obs) action (greedy once epsilon has decayed); every
    train_frequency steps after learning_starts one update (target_network no grad, q_network, backward, Adam).
    One iteration = train_frequency env steps + that update."""
    ns = _load_without_atari_wrappers(ctx)
    args = ns.Args()  # tyro.cli(Args) with no flags = the dataclass defaults
    envs = _fake_envs(obs_shape, n_actions)
    q_network, target_network = ns.QNetwork(envs), ns.QNetwork(envs)
    target_network.load_state_dict(q_network.state_dict())
    optimizer = torch.optim.Adam(q_network.parameters(), lr=args.learning_rate)
    B = args.batch_size
    obs1 = torch.rand((1,) + obs_shape) * 255
    obs, next_obs = torch.rand((B,) + obs_shape) * 255, torch.rand((B,) + obs_shape) * 255
    actions, rewards, dones = torch.randint(0, n_actions, (B, 1)), torch.randn(B, 1), torch.zeros(B, 1)

    def step():
        for _ in range(args.train_frequency):
            torch.argmax(q_network(obs1), dim=1)
        with torch.no_grad():
            target_max, _ = target_network(next_obs).max(dim=1)
            td_target = rewards.flatten() + args.gamma * target_max * (1 - dones.flatten())
        old_val = q_network(obs).gather(1, actions).squeeze()
        loss = F.mse_loss(td_target, old_val)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    first = args.learning_starts + 1
    first += (-first) % args.train_frequency
    last = args.total_timesteps - 1
    last -= last % args.train_frequency
    updates = (last - first) // args.train_frequency + 1
    return dict(mode="train", models={"q_network": q_network, "target_network": target_network}, step=step, batch=B,
                steps=updates,
                stepsFormula=f"optimizer steps: global_step in ({args.learning_starts}, {args.total_timesteps}) with "
                             f"global_step % {args.train_frequency} == 0 -> {updates:,}",
                notes=[f"{what}: observation {list(obs_shape)}, {n_actions} actions",
                       f"one iteration = train_frequency={args.train_frequency} loop iterations (greedy q_network on one "
                       f"observation each; epsilon decays to {args.end_e} over the first {args.exploration_fraction:.0%} "
                       f"of the run) + one update on {B}: target_network no grad, q_network, backward, Adam",
                       f"the loop itself runs total_timesteps = {args.total_timesteps:,} env steps; the first "
                       f"{args.learning_starts:,} only act",
                       "params: q_network and target_network: every model called in the iteration counts (corpus "
                       "convention); target_network is a copy, never given to the optimizer",
                       "rollout calls of the first learning_starts steps (acting only, mostly random) are left out"])


@driver("b-cleanrl-dqn-atari")
def _cleanrl_dqn_atari(ctx):
    return _cleanrl_dqn(ctx, (4, 84, 84), 4, "BreakoutNoFrameskip-v4 after the wrappers (FrameStack 4 of 84x84 gray)")


@driver("b-cleanrl-dqn")
def _cleanrl_dqn_cartpole(ctx):
    return _cleanrl_dqn(ctx, (4,), 2, "CartPole-v1")


@driver("b-llmfs-ch06-classify")
def _llmfs_ch06(ctx):
    ns = _load(ctx)
    cfg = {"vocab_size": 50257, "context_length": 1024, "drop_rate": 0.0, "qkv_bias": True,
           "emb_dim": 768, "n_layers": 12, "n_heads": 12}  # BASE_CONFIG + "gpt2-small (124M)" of the __main__ block
    model = ns.GPTModel(cfg)
    for p in model.parameters():
        p.requires_grad = False
    model.out_head = torch.nn.Linear(in_features=cfg["emb_dim"], out_features=2)
    for p in model.trf_blocks[-1].parameters():
        p.requires_grad = True
    for p in model.final_norm.parameters():
        p.requires_grad = True
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.1)
    B, T = 8, 120
    inp, tgt = torch.randint(0, cfg["vocab_size"], (B, T)), labels(B, 2)
    model.train()

    def step():
        optimizer.zero_grad()
        loss = ns.calc_loss_batch(inp, tgt, model, torch.device("cpu"))
        loss.backward()
        optimizer.step()

    return dict(mode="train", models={"model": model}, step=step, batch=B, seqLen=T, steps=5 * 130,
                unknowable={"steps": "the SMS Spam Collection is downloaded at run time (a zip from UCI): its rows "
                                     "decide the batches"},
                stepsFormula="5 epochs x 130 batches: SMS Spam Collection balanced to 747 spam + 747 ham = 1,494, 70% "
                             "train = 1,045 rows, batch 8 with drop_last -> 130 (the book prints 130 training batches)",
                notes=["every text is padded to the longest training text: 120 GPT-2 tokens (the book prints "
                       "train_dataset.max_length = 120); data-dependent in the script",
                       "GPT-2 small with out_head replaced by Linear(768, 2); only the last transformer block, final_norm "
                       "and out_head are trainable (params below count all parameters; trainableParams the trained ones)",
                       "forward runs the whole frozen model; backward stops at the last block",
                       "extra forward: evaluate_model every 50 steps (5 + 5 batches), accuracy on 5 + 5 batches per epoch"])


# ---------------------------------------------------------------------------------------------------------------------
# karpathy/nn-zero-to-hero (lecture notebooks: raw tensors, no nn.Module)

class _Tensors:
    """The notebook's `parameters` list as what the counter needs from a model (parameters(), named_modules())."""

    def __init__(self, tensors):
        self._t = list(tensors)

    def parameters(self):
        return iter(self._t)

    def named_modules(self):
        return iter([("", self)])


def _ensure_names_txt(folder: Path) -> None:
    """makemore's names.txt is not in this repo (the notebooks read it from the working folder): a stand-in with the
    same 26 lowercase letters; the notebooks hard-code vocab 27 and only sample indices from the dataset."""
    f = folder / "names.txt"
    if not f.exists():
        rng = np.random.default_rng(0)
        letters = "abcdefghijklmnopqrstuvwxyz"
        words = [letters] + ["".join(rng.choice(list(letters), size=int(rng.integers(2, 12)))) for _ in range(3000)]
        f.write_text("\n".join(words) + "\n", encoding="utf-8")


@driver("b-zth-mlp-nb")
def _zth_mlp(ctx):
    _ensure_names_txt(ctx.script.parent)
    # cell 19 indexes prob[torch.arange(32), Y]: it only works on the lecture's 5-word toy X (shape error on the full
    # dataset the cell above builds), so it is left out
    ns = _load(ctx, stop_at=r"^for i in range\(200000\)", skip=r"^loss( = -prob\[|\s*$)")
    C, W1, b1, W2, b2 = ns.parameters
    B = 32
    Xb, Yb = torch.randint(0, 27, (B, 3)), torch.randint(0, 27, (B,))

    def forward():
        h = torch.tanh(C[Xb].view(-1, 30) @ W1 + b1)
        return h @ W2 + b2

    return dict(mode="train", models={"parameters": _Tensors(ns.parameters)},
                step=_sgd_step(forward, ns.parameters, Yb), batch=B, seqLen=3,
                steps=200000, stepsFormula="for i in range(200000)",
                notes=["raw tensors C[27,10], W1[30,200], b1, W2[200,27], b2; hand-written SGD",
                       "the earlier exploratory cells (32-example forward with W1[6,100]) run once before the loop"])


@driver("b-zth-wavenet-nb")
def _zth_wavenet(ctx):
    _ensure_names_txt(ctx.script.parent)
    ns = _load(ctx, stop_at=r"^max_steps\s*=")
    model, params = ns.model, ns.parameters
    B, T = 32, ns.block_size
    Xb, Yb = torch.randint(0, ns.vocab_size, (B, T)), torch.randint(0, ns.vocab_size, (B,))

    return dict(mode="train", models={"model": _Tensors(params)}, step=_sgd_step(lambda: model(Xb), params, Yb),
                batch=B, seqLen=T,
                steps=200000, stepsFormula="max_steps = 200000; for i in range(max_steps)",
                notes=["hierarchical (WaveNet-like) MLP of the notebook's own Linear/BatchNorm1d/FlattenConsecutive "
                       "classes (plain Python objects, not nn.Module): n_embd 24, n_hidden 128, block_size 8",
                       "vocab_size = len(itos) = 27 from names.txt (data-dependent in the notebook)"])
