/**
 * Reinforcement-learning scripts (corpus group b: minimalRL, cleanrl): tyro configs, sizes from gym envs, the image
 * size a conv stack implies, warm-up thresholds on the step counter, and the batch of the call that is trained.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { envSizes, convSideForLinear } from '../../src/core/interpret/lib/rl';
import { check } from './snippetCheck';

const run = (text: string) => analyze({ text, file: 'snippet.py' });
const messages = (text: string) => run(text).problems.map((p) => p.message).join('\n');

const ARGS = `
from dataclasses import dataclass
import tyro
@dataclass
class Args:
    total_timesteps: int = 500000
    num_envs: int = 4
    num_steps: int = 128
args = tyro.cli(Args)
batch_size = args.num_envs * args.num_steps
`;

describe('tyro', () => {
  it('tyro.cli(Args) is the dataclass with its defaults', () => {
    check(`${ARGS}iterations = args.total_timesteps // batch_size
`, `
batch_size = 512
iterations = 976
`);
  });

  it('tyro.cli(main) runs main with its defaults', () => {
    check(`
import tyro
out = []
def main(lr: float = 0.001, epochs: int = 7):
    out.append(epochs * 2)
tyro.cli(main)
`, 'out = [14]');
  });

  it('batch and steps of a cleanrl-style loop come from the dataclass', () => {
    const r = run(`${ARGS}import torch, torch.nn as nn
net = nn.Linear(4, 2); opt = torch.optim.Adam(net.parameters())
for iteration in range(1, args.total_timesteps // batch_size + 1):
    loss = net(torch.randn(batch_size, 4)).mean(); opt.zero_grad(); loss.backward(); opt.step()
`);
    expect([r.step.batch, r.run.steps]).toEqual([512, 976]);
  });
});

describe('sizes from gym envs', () => {
  it('knows classic control, MuJoCo and Atari ids', () => {
    expect(envSizes('CartPole-v1')).toMatchObject({ obs: [4], actions: 2 });
    expect(envSizes('Pendulum-v1')).toMatchObject({ obs: [3], actions: [1] });
    expect(envSizes('LunarLander-v2')).toMatchObject({ obs: [8], actions: 4 });
    expect(envSizes('HalfCheetah-v4')).toMatchObject({ obs: [17], actions: [6] });
    expect(envSizes('BreakoutNoFrameskip-v4')).toMatchObject({ obs: [4, 84, 84], actions: 4 });
    expect(envSizes('ALE/Solaris-v5')).toMatchObject({ obs: [4, 84, 84], actions: 18 });
    expect(envSizes('MyCustomEnv-v0')).toBeUndefined();
  });

  it('env.observation_space.shape and env.action_space.n size the layers, and the sizes are stated', () => {
    const text = `
import gym, torch.nn as nn
env = gym.make('CartPole-v1')
obs_dim = env.observation_space.shape[0]
n_act = env.action_space.n
net = nn.Sequential(nn.Linear(obs_dim, 64), nn.ReLU(), nn.Linear(64, n_act))
`;
    check(text, `
obs_dim = 4
n_act = 2
params(net) = 450
`);
    expect(messages(text)).toMatch(/CartPole-v1: observation \[4\], 2 actions/);
  });

  it('a vector env of factories: single spaces from the env the factory makes, num_envs from the list', () => {
    check(`
import gymnasium as gym
import numpy as np
def make_env(env_id):
    def thunk():
        env = gym.make(env_id)
        return gym.wrappers.RecordEpisodeStatistics(env)
    return thunk
envs = gym.vector.SyncVectorEnv([make_env("Acrobot-v1") for i in range(3)])
obs = envs.single_observation_space.shape
n = envs.single_action_space.n
k = envs.num_envs
flat = np.array(envs.single_observation_space.shape).prod()
`, `
obs = (6)
n = 3
k = 3
flat = 6
`);
  });

  it('an unknown env id gets a stated default, never a silent unknown', () => {
    const text = `
import gym, torch.nn as nn
env = gym.make(ENV_NAME)
net = nn.Linear(env.observation_space.shape[0], env.action_space.n)
`;
    check(text, 'params(net) = 10');
    expect(messages(text)).toMatch(/env id is not known here: assumed observation \[4\], 2 actions/);
  });
});

describe('image size from the network', () => {
  const NATURE = `
import torch.nn as nn
net = nn.Sequential(nn.Conv2d(4, 32, 8, stride=4), nn.ReLU(), nn.Conv2d(32, 64, 4, stride=2), nn.ReLU(),
                    nn.Conv2d(64, 64, 3, stride=1), nn.ReLU(), nn.Flatten(), nn.Linear(64 * 7 * 7, 512))
def act(obs): return net(obs / 255.0)
act(get_obs())
`;
  it('the Nature DQN stack before Linear(3136) is fed 84x84, not the 224 default', () => {
    const r = run(NATURE);
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/\[32, 4, 84, 84\].*spatial 84×84 from the conv stack/);
    // conv1 2*32*4*64*20*20 + conv2 2*64*32*16*9*9 + conv3 2*64*64*9*7*7 + fc 2*3136*512, per sample (with biases: MACs only)
    const perSample = 2 * (32 * 4 * 64 * 400 + 64 * 32 * 16 * 81 + 64 * 64 * 9 * 49 + 3136 * 512);
    expect(r.step.forwardFlops / 32 / perSample).toBeGreaterThan(0.99);
    expect(r.step.forwardFlops / 32 / perSample).toBeLessThan(1.02);
  });

  it('solves the geometry for pools and paddings, and gives up when no side fits', () => {
    const layer = (name: string, args: Record<string, unknown>) => ({ kind: 'layer', name, args, rawArgs: {}, id: 0, module: {} }) as never;
    const conv = (i: number, o: number, k: number, s: number, p = 0) => layer('Conv2d', { in_channels: i, out_channels: o, kernel_size: k, stride: s, padding: p, dilation: 1 });
    expect(convSideForLinear([conv(3, 16, 3, 1, 1), layer('MaxPool2d', { kernel_size: 2, stride: null, padding: 0, dilation: 1 }), layer('Flatten', {}), layer('Linear', { in_features: 16 * 16 * 16 })])?.value).toBe(32);
    expect(convSideForLinear([conv(3, 16, 3, 1), layer('Flatten', {}), layer('Linear', { in_features: 17 })])).toBeUndefined();
  });
});

describe('RL loops', () => {
  const DQN = `
from dataclasses import dataclass
import gymnasium as gym, numpy as np, torch, torch.nn as nn, torch.nn.functional as F, tyro
@dataclass
class Args:
    env_id: str = "CartPole-v1"
    total_timesteps: int = 500000
    batch_size: int = 128
    learning_starts: int = 10000
    train_frequency: int = 10
class QNetwork(nn.Module):
    def __init__(self, env):
        super().__init__()
        self.network = nn.Sequential(nn.Linear(np.array(env.single_observation_space.shape).prod(), 120), nn.ReLU(), nn.Linear(120, env.single_action_space.n))
    def forward(self, x):
        return self.network(x)
if __name__ == "__main__":
    args = tyro.cli(Args)
    envs = gym.vector.SyncVectorEnv([lambda: gym.make(args.env_id)])
    q_network = QNetwork(envs)
    optimizer = torch.optim.Adam(q_network.parameters())
    target_network = QNetwork(envs)
    target_network.load_state_dict(q_network.state_dict())
    obs, _ = envs.reset(seed=1)
    for global_step in range(args.total_timesteps):
        q_values = q_network(torch.Tensor(obs))
        if global_step > args.learning_starts:
            if global_step % args.train_frequency == 0:
                data = torch.randn(args.batch_size, 4)
                with torch.no_grad():
                    target_max, _ = target_network(data).max(dim=1)
                old_val = q_network(data).max(dim=1)[0]
                loss = F.mse_loss(target_max, old_val)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
`;
  it('a warm-up threshold on the step counter gates the updates: steps are the passes past it, every train_frequency', () => {
    const r = run(DQN);
    // global_step in (10000, 500000) with global_step % 10 == 0: 10010 … 499990 = 48,999 updates
    expect(r.run.mode).toBe('train');
    expect(r.run.steps).toBe(48999);
  });

  it('counts the target network that runs in the iteration, sized from the env (np.array(shape).prod())', () => {
    // q_network and target_network, 2 x (4*120+120 + 120*2+2)
    expect(run(DQN).model.params).toBe(2 * (600 + 242));
  });

  it('the batch is the trained minibatch, not the no_grad rollout call on the envs that comes first', () => {
    const r = run(`
import torch, torch.nn as nn
agent = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 2)); opt = torch.optim.Adam(agent.parameters())
for iteration in range(100):
    with torch.no_grad():
        for step in range(128):
            logits = agent(torch.randn(4, 4))
    for epoch in range(4):
        for start in range(0, 512, 128):
            loss = agent(torch.randn(128, 4)).logsumexp(-1).mean(); opt.zero_grad(); loss.backward(); opt.step()
`);
    expect([r.step.batch, r.run.steps, r.run.mode]).toEqual([128, 1600, 'train']);
  });
});
