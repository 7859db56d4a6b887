/**
 * Run-length conventions of training loops (issue 14): how many optimizer steps a loop makes, which forward work one
 * step carries (RL rollouts, replay buffers, periodic evaluation), and the batch of the call that is trained.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { renderMarkdown } from '../../src/core/report/markdown';
import { check } from './snippetCheck';

const run = (text: string) => analyze({ text, file: 'snippet.py' });

describe('while True loops and their exits', () => {
  const loop = (evalOnly: string) => run(`
import torch, torch.nn as nn
max_iters = 5000
eval_only = ${evalOnly}
net = nn.Linear(8, 8); opt = torch.optim.AdamW(net.parameters())
iter_num = 0
while True:
    if iter_num == 0 and eval_only:
        break
    loss = net(torch.randn(4, 8)).sum(); loss.backward(); opt.step()
    iter_num += 1
    if iter_num > max_iters:
        break
`);
  it('an exit gated by a flag that is False never fires; the counter bound decides', () => {
    expect(loop('False').run.steps).toBe(5001);
  });
  it('the same exit with the flag True is the bound (one pass ends the loop)', () => {
    expect(loop('True').run.steps).not.toBe(5001);
  });
});

describe('periodic evaluation inside the training loop', () => {
  const script = (evalLine: string, gate = 'step % 50 == 0') => `
import torch, torch.nn as nn
net = nn.Linear(100, 10); opt = torch.optim.SGD(net.parameters(), lr=0.1)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(6000, 100)), batch_size=60)
test_x = torch.randn(2000, 100)
for epoch in range(2):
    for step, (x,) in enumerate(loader):
        loss = net(x).sum(); opt.zero_grad(); loss.backward(); opt.step()
        if ${gate}:
${evalLine.split('\n').map((l) => `            ${l}`).join('\n')}
`;
  const STEP = 2 * 60 * 100 * 10;
  const EVAL = 2 * 2000 * 100 * 10;
  it('a model call every N passes without no_grad is not in the step; it is reported and added to the run', () => {
    const r = run(script('out = net(test_x)'));
    expect(r.step.forwardFlops).toBe(STEP);
    expect(r.run.steps).toBe(200);
    // 200 steps / 50: evaluated 4 times.
    expect(r.run.periodicForwardFlops).toBe(4 * EVAL);
    expect(r.run.totalFlops).toBe(200 * r.step.trainFlops! + 4 * EVAL);
    expect(r.problems.find((p) => p.code === 'periodic-eval')?.message).toMatch(/once every 50 passes, line 9\): ≈ 4(\.00)? MFLOP forward each time/);
  });
  it('under no_grad the same', () => {
    const r = run(script('with torch.no_grad():\n    out = net(test_x)'));
    expect([r.step.forwardFlops, r.run.periodicForwardFlops]).toEqual([STEP, 4 * EVAL]);
  });
  it('the run time includes the evaluation at the step\'s rate', () => {
    const withEval = run(script('out = net(test_x)'));
    const without = run(script('pass'));
    const p = withEval.projections[0];
    const q = without.projections.find((x) => x.hardwareId === p.hardwareId)!;
    expect(p.stepSeconds.mid).toBeCloseTo(q.stepSeconds.mid, 12);
    expect(p.runSeconds.mid).toBeGreaterThan(q.runSeconds.mid);
  });
  it('a gate that trains (a GAN generator every n_critic passes) stays in the step', () => {
    const r = run(script('g = net(x).sum(); opt.zero_grad(); g.backward(); opt.step()', 'step % 5 == 0'));
    expect(r.step.forwardFlops).toBeCloseTo(STEP * (1 + 1 / 5), 6);
    expect(r.run.periodicForwardFlops).toBeUndefined();
  });
});

describe('periodic evaluation in the report', () => {
  it('the Markdown whole-run row names the periodic evaluation it includes', () => {
    const r = run(`
import torch, torch.nn as nn
net = nn.Linear(100, 10); opt = torch.optim.SGD(net.parameters(), lr=0.1)
for step in range(100):
    loss = net(torch.randn(60, 100)).sum(); opt.zero_grad(); loss.backward(); opt.step()
    if step % 10 == 0:
        out = net(torch.randn(2000, 100))
`);
    expect(renderMarkdown(r)).toMatch(/\| Whole run \| .* \(with 40(\.0)? MFLOP of periodic evaluation, not in the step\) \|/);
  });
});

describe('replay buffers', () => {
  const DQN = (buffer: string) => `
import random
import gymnasium as gym
import torch, torch.nn as nn
${buffer}
envs = gym.vector.SyncVectorEnv([lambda: gym.make("CartPole-v1")])
q = nn.Sequential(nn.Linear(4, 120), nn.ReLU(), nn.Linear(120, 2)); opt = torch.optim.Adam(q.parameters())
rb = ReplayBuffer(10000, envs.single_observation_space, envs.single_action_space, "cpu")
for global_step in range(500000):
    if global_step > 10000:
        if global_step % 10 == 0:
            data = rb.sample(128)
            loss = q(data.observations).gather(1, data.actions).sum()
            opt.zero_grad(); loss.backward(); opt.step()
`;
  it("stable-baselines3 ReplayBuffer.sample(n) gives n transitions of the env's sizes", () => {
    const r = run(DQN('from stable_baselines3.common.buffers import ReplayBuffer'));
    expect(r.step.batch).toBe(128);
    expect(r.step.forwardFlops).toBe(2 * 128 * (4 * 120 + 120 * 2));
  });
  it('an update gated by a step threshold and a train frequency is one step per gate pass, not accumulation', () => {
    const r = run(DQN('from stable_baselines3.common.buffers import ReplayBuffer'));
    expect(r.step.microBatches).toBe(1);
    expect(r.run.steps).toBe(48999);
  });
  it("a hand-written buffer that branches on isinstance(space, spaces.Box) sees the env's space classes", () => {
    check(`
import numpy as np
import gymnasium as gym
from gymnasium import spaces
env = gym.make("CartPole-v1")
def dims(sp):
    if isinstance(sp, spaces.Box):
        return sp.shape
    elif isinstance(sp, spaces.Discrete):
        return (1,)
    raise NotImplementedError
obs = dims(env.observation_space)
act = dims(env.action_space)
buf = np.zeros((1000, 1, *obs), dtype=env.observation_space.dtype)
`, `
obs = (4)
act = (1)
buf = tensor[1000, 1, 4] fp32
`);
  });
});

describe('RL rollouts beside the updates', () => {
  const PPO = `
import numpy as np
import gymnasium as gym
import torch, torch.nn as nn
envs = gym.vector.SyncVectorEnv([lambda: gym.make("CartPole-v1") for _ in range(4)])
agent = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 2)); opt = torch.optim.Adam(agent.parameters())
obs = torch.zeros((128, 4, 4))
next_obs, _ = envs.reset(seed=1)
next_obs = torch.Tensor(next_obs)
for iteration in range(1, 100):
    for step in range(0, 128):
        obs[step] = next_obs
        with torch.no_grad():
            logits = agent(next_obs)
        next_obs, reward, terminations, truncations, infos = envs.step(logits.argmax(1).numpy())
        next_obs = torch.Tensor(next_obs)
    b_obs = obs.reshape((-1, 4))
    b_inds = np.arange(512)
    for epoch in range(4):
        for start in range(0, 512, 128):
            mb_inds = b_inds[start:start + 128]
            loss = agent(b_obs[mb_inds]).sum()
            opt.zero_grad(); loss.backward(); opt.step()
`;
  const CALL = 2 * (4 * 64 + 64 * 2);
  it('a rollout of 128 env steps on 4 envs shared by 4 epochs x 4 minibatches: 8 rollout calls per optimizer step', () => {
    const r = run(PPO);
    expect(r.step.batch).toBe(128);
    expect(r.run.steps).toBe(99 * 16);
    expect(r.step.forwardFlops).toBe(128 * CALL + 8 * 4 * CALL);
  });
  it('gym env.reset() gives the observation batch of the env (vector envs: one row per env)', () => {
    check(`
import gymnasium as gym
envs = gym.vector.SyncVectorEnv([lambda: gym.make("CartPole-v1") for _ in range(4)])
env = gym.make("Pendulum-v1")
vo, _ = envs.reset(seed=1)
so, info = env.reset()
`, `
vo = tensor[4, 4] fp32
so = tensor[3] fp32
`);
  });
  it('episode calls between training rounds (minimalRL DDPG) are shared among the rounds; the batch is the minibatch', () => {
    const r = run(`
import gymnasium as gym
import torch, torch.nn as nn
env = gym.make('Pendulum-v1')
mu = nn.Sequential(nn.Linear(3, 128), nn.ReLU(), nn.Linear(128, 1)); opt = torch.optim.Adam(mu.parameters())
for n_epi in range(100):
    s, _ = env.reset()
    done = False
    count = 0
    while count < 200 and not done:
        a = mu(torch.from_numpy(s).float())
        s_prime, r, done, truncated, info = env.step([a.item()])
        s = s_prime
        count += 1
    for i in range(10):
        loss = mu(torch.randn(32, 3)).mean()
        opt.zero_grad(); loss.backward(); opt.step()
`);
    const call = 2 * (3 * 128 + 128 * 1);
    expect(r.step.batch).toBe(32);
    expect(r.step.forwardFlops).toBe(32 * call + 20 * call);
  });
  it('evaluation beside the training loop (no env step) stays out of the iteration', () => {
    const r = run(`
import torch, torch.nn as nn
net = nn.Linear(10, 10); opt = torch.optim.SGD(net.parameters(), lr=0.1)
for epoch in range(10):
    for i in range(100):
        loss = net(torch.randn(8, 10)).sum(); opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        for j in range(50):
            out = net(torch.randn(8, 10))
`);
    expect(r.step.forwardFlops).toBe(2 * 8 * 10 * 10);
  });
  it("model calls in an inner loop before the update's own calls are not micro-batches (A2C)", () => {
    const r = run(`
import torch, torch.nn as nn
pi = nn.Linear(4, 2); opt = torch.optim.Adam(pi.parameters())
step_idx = 0
while step_idx < 6000:
    s_lst = []
    for _ in range(5):
        prob = pi(torch.randn(3, 4))
        s_lst.append(torch.randn(3, 4))
        step_idx += 1
    s_vec = torch.stack(s_lst).reshape(-1, 4)
    loss = pi(s_vec).sum()
    opt.zero_grad(); loss.backward(); opt.step()
`);
    expect(r.step.microBatches).toBe(1);
    expect(r.run.steps).toBe(1200);
    expect(r.step.forwardFlops).toBe(5 * 2 * 3 * 4 * 2 + 2 * 15 * 4 * 2);
  });
});

describe('lists filled in a loop walked once', () => {
  it('a list appended k times per pass of a loop of known passes holds passes x k items', () => {
    check(`
import torch
s = torch.randn(3, 4)
s_lst, a_lst = [], []
for _ in range(5):
    s_lst.append(s)
    a_lst.append(1)
n = len(s_lst)
v = torch.tensor(s_lst).float().reshape(-1, 4)
a = torch.tensor(a_lst)
`, `
n = 5
v = tensor[15, 4] fp32
a = tensor[5]
`);
  });
});

describe('sizes derived from the data a script reads', () => {
  const NAMES = (file: string) => `
with open('${file}', 'r') as f:
    words = f.read().splitlines()
max_word_length = max(len(w) for w in words)
block_size = max_word_length + 1
`;
  it("a block size computed from a catalog token dataset's lines is that dataset's sample length, stated", () => {
    check(NAMES('names.txt'), 'block_size = 16');
    expect(run(NAMES('names.txt')).problems.some((p) => p.code === 'data-seq' && /seq=N/.test(p.message))).toBe(true);
  });
  it('from a file the catalog does not know it stays unknown (no invented length)', () => {
    check(NAMES('my_corpus.txt'), 'block_size = unknown');
  });
});

describe('batch of a sequence-first recurrent model', () => {
  it('an nn.RNN without batch_first as the first layer reads dim 1 of its input as the batch', () => {
    const r = run(`
import torch, torch.nn as nn
class Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(input_size=11, hidden_size=128)
        self.out = nn.Linear(128, 11)
    def forward(self, x):
        x = x.transpose(0, 1)
        y, h = self.rnn(x)
        return self.out(y[-1])
model = Seq(); opt = torch.optim.Adam(model.parameters())
x = torch.randn(1, 5, 11)
for epoch in range(100):
    loss = model(x).sum(); opt.zero_grad(); loss.backward(); opt.step()
`);
    expect(r.step.batch).toBe(1);
  });
});

describe('rollout data gathered through a method', () => {
  it("transitions stored by model.put_data() over T env steps make a batch of T (minimalRL PPO)", () => {
    const r = run(`
import gymnasium as gym
import torch, torch.nn as nn
class PPO(nn.Module):
    def __init__(self):
        super().__init__()
        self.data = []
        self.fc = nn.Linear(4, 256)
        self.fc_v = nn.Linear(256, 1)
        self.optimizer = torch.optim.Adam(self.parameters())
    def v(self, x):
        return self.fc_v(torch.relu(self.fc(x)))
    def put_data(self, transition):
        self.data.append(transition)
    def train_net(self):
        s_lst = []
        for transition in self.data:
            s, s_prime = transition
            s_lst.append(s_prime)
        s_prime = torch.tensor(s_lst, dtype=torch.float)
        self.data = []
        for i in range(3):
            loss = self.v(s_prime).mean()
            self.optimizer.zero_grad(); loss.backward(); self.optimizer.step()
env = gym.make('CartPole-v1')
model = PPO()
for n_epi in range(100):
    s, _ = env.reset()
    for t in range(20):
        prob = model.v(torch.from_numpy(s).float())
        s_prime, r, done, truncated, info = env.step(0)
        model.put_data((s, s_prime))
        s = s_prime
    model.train_net()
`);
    const call = 2 * (4 * 256 + 256 * 1);
    expect(r.step.batch).toBe(20);
    expect(r.run.steps).toBe(300);
    expect(r.step.forwardFlops).toBeCloseTo(20 * call + (20 / 3) * call, 6);
  });
});
