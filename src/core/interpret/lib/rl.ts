/**
 * Reinforcement learning: gym/gymnasium environments as far as a model's sizes depend on them. FlopLens never runs an
 * environment; `gym.make(id)` gives the observation and action spaces the id is known to have (classic control,
 * Box2D, MuJoCo, Atari after the usual wrappers), else a stated default. Every size taken from an env is stated.
 */
import type { Loc } from '../../types';
import { UNKNOWN, isKind, isNum, isSeq, tensor, tuple, unknown } from '../values';
import type { Value, ObjValue, LayerValue } from '../values';
import type { Route } from './dispatch';
import type { Expr } from '../../parse/ast';
import type { Scope } from '../values';
import type { CtxEntry } from '../recorder';
import type { LoopEval } from '../loopBounds';
import type { Library } from './library';

/** What a model reads from an env: the observation shape and either a number of discrete actions or an action shape. */
interface EnvSizes { obs: number[]; actions: number | number[]; what: string }

const CLASSIC: [RegExp, number[], number | number[]][] = [
  [/^CartPole-v\d/, [4], 2],
  [/^Pendulum-v\d/, [3], [1]],
  [/^Acrobot-v\d/, [6], 3],
  [/^MountainCarContinuous-v\d/, [2], [1]],
  [/^MountainCar-v\d/, [2], 3],
  [/^LunarLanderContinuous-v\d/, [8], [2]],
  [/^LunarLander-v\d/, [8], 4],
  [/^BipedalWalker(Hardcore)?-v\d/, [24], [4]],
  [/^HalfCheetah-v\d/, [17], [6]],
  [/^Hopper-v\d/, [11], [3]],
  [/^Walker2d-v\d/, [17], [6]],
  [/^Ant-v\d/, [27], [8]],
  [/^Humanoid-v\d/, [376], [17]],
  [/^InvertedPendulum-v\d/, [4], [1]],
  [/^InvertedDoublePendulum-v\d/, [11], [1]],
  [/^Reacher-v\d/, [11], [2]],
  [/^Swimmer-v\d/, [8], [2]],
  [/^FrozenLake-v\d/, [], 4],
  [/^Taxi-v\d/, [], 6],
];

/** Minimal action sets of common Atari games (ALE); any other game: the full set of 18. */
const ATARI_ACTIONS: Record<string, number> = {
  Breakout: 4, Pong: 6, SpaceInvaders: 6, Seaquest: 18, MsPacman: 9, Qbert: 6, BeamRider: 9, Enduro: 9, Asteroids: 14,
  Freeway: 3, Boxing: 18, Alien: 18, Assault: 7, Asterix: 9, Atlantis: 4, Gravitar: 18, Montezuma: 18, MontezumaRevenge: 18,
  Tennis: 18, Venture: 18, Zaxxon: 18, VideoPinball: 9, DemonAttack: 6, Frostbite: 18, Kangaroo: 18, Riverraid: 18,
};

/** The sizes of env `id` (undefined: not a known id). */
export function envSizes(id: string): EnvSizes | undefined {
  for (const [re, obs, actions] of CLASSIC) if (re.test(id)) return { obs, actions, what: `${id}: observation [${obs.join(', ')}], ${typeof actions === 'number' ? `${actions} actions` : `action shape [${actions.join(', ')}]`}` };
  const atari = /^(?:ALE\/)?([A-Z][A-Za-z]+?)(?:NoFrameskip)?(?:Deterministic)?-v\d$/.exec(id);
  if (atari && (id.startsWith('ALE/') || /NoFrameskip|Deterministic/.test(id) || atari[1] in ATARI_ACTIONS)) {
    const n = ATARI_ACTIONS[atari[1]] ?? 18;
    return { obs: [4, 84, 84], actions: n, what: `${id} (Atari): observation [4, 84, 84] after the usual wrappers (84x84 grayscale, 4 frames stacked), ${n} actions${atari[1] in ATARI_ACTIONS ? '' : ' (the full action set, assumed)'}` };
  }
  return undefined;
}

/** Envs made by the script (the objects, and the last one, for vector envs whose factories cannot be followed). */
const ENVS = new WeakSet<ObjValue>();
const LAST = new WeakMap<Library, ObjValue>();

/** Spaces made here and their gym class (Discrete or Box), for `isinstance(space, spaces.Box)`. */
const SPACES = new WeakMap<ObjValue, 'Discrete' | 'Box'>();

function space(lib: Library, s: number[] | number, loc?: Loc): ObjValue {
  const sp = typeof s === 'number'
    ? lib.obj('namespace', [['n', s], ['shape', tuple([])], ['dtype', { kind: 'ext', path: 'numpy.int64' }]], loc)
    : lib.obj('namespace', [['shape', tuple(s)], ['dtype', { kind: 'ext', path: 'numpy.float32' }]], loc);
  SPACES.set(sp, typeof s === 'number' ? 'Discrete' : 'Box');
  return sp;
}

/**
 * `isinstance(v, gym.spaces.<Class>)` for a space made from an env id (stable-baselines3's get_obs_shape and
 * get_action_dim branch on it); undefined when `v` is not such a space or `path` not a gym space class.
 */
export function spaceInstance(v: Value, path: string): boolean | undefined {
  const m = /^(?:gym|gymnasium)\.spaces\.(?:\w+\.)?(\w+)$/.exec(path);
  const kind = isKind(v, 'obj') ? SPACES.get(v) : undefined;
  if (!m || !kind) return undefined;
  return m[1] === kind || m[1] === 'Space';
}

function makeEnv(lib: Library, id: Value, numEnvs: number, loc?: Loc, vector = false): ObjValue {
  const known = typeof id === 'string' ? envSizes(id) : undefined;
  const sizes: EnvSizes = known ?? { obs: [4], actions: 2, what: `${typeof id === 'string' ? `'${id}' is not an env FlopLens knows` : 'the env id is not known here'}: assumed observation [4], 2 actions (CartPole-v1's)` };
  lib.cx.problem('info', 'rl-env', `Sizes from the environment (never run): ${sizes.what}.`, loc);
  const obs = space(lib, sizes.obs, loc);
  const act = space(lib, sizes.actions, loc);
  const batched = (s: number[] | number): number[] | number => (typeof s === 'number' ? s : [numEnvs, ...s]);
  // `obs, info = env.reset()` (the API of gymnasium and gym >= 0.26): the observation batch of the env's sizes.
  const first = tensor(numEnvs > 1 || vector ? [numEnvs, ...sizes.obs] : sizes.obs, 'fp32');
  // `obs, reward, terminated, truncated, info = env.step(a)` (the same API; an older 4-value unpacking still gets the
  // observation first): never run. It marks the loop it is called in as a rollout (iteration.ts shares its model
  // calls among the updates that follow).
  const stepped = () => tuple([tensor([...first.shape], 'fp32'), unknown('a reward'), unknown('episode end'), unknown('episode end'), unknown('step info')]);
  const step: Value = { kind: 'builtin', name: 'step', fn: () => { markRollout(lib.cx.recorder.ctx); STEPS.set(lib, envSteps(lib) + 1); return stepped(); } };
  const reset: Value = { kind: 'builtin', name: 'reset', fn: () => { const r = tuple([first, { kind: 'dict', map: new Map() }]); RESETS.add(r); return r; } };
  const env = lib.obj('namespace', [
    ['step', step], ['reset', reset], ['observation_space', numEnvs > 1 ? space(lib, batched(sizes.obs), loc) : obs], ['action_space', numEnvs > 1 && typeof sizes.actions !== 'number' ? space(lib, batched(sizes.actions), loc) : act],
    ['single_observation_space', obs], ['single_action_space', act], ['num_envs', numEnvs], ['spec', lib.obj('namespace', [['id', id]], loc)],
  ], loc);
  env.attrs.set('unwrapped', env); // gym.make(id).unwrapped: the same spaces
  for (const m of ['seed', 'render', 'close']) env.attrs.set(m, { kind: 'builtin', name: m, fn: () => null });
  ENVS.add(env);
  LAST.set(lib, env);
  return env;
}

const WRAPPER_BASE = /^(?:gym|gymnasium)\.(?:core\.)?(?:Wrapper|ObservationWrapper|RewardWrapper|ActionWrapper)$/;

/** A class deriving from gym.Wrapper (or an Observation/Reward/ActionWrapper), directly or through its bases. */
function wrapperClass(cls: Value, depth = 0): boolean {
  if (isKind(cls, 'ext')) return WRAPPER_BASE.test(cls.path);
  return isKind(cls, 'class') && depth < 20 && cls.bases.some((b) => wrapperClass(b, depth + 1));
}

/**
 * `gym.Wrapper.__init__(self, env)` / `super().__init__(env)` in a wrapper class of the script's own (the Atari
 * wrappers copied into many RL repositories): the wrapper has the env's spaces until its __init__ sets its own
 * (`self.observation_space = spaces.Box(shape=(84, 84, 1))`). False when `cls` is not such a class.
 */
export function wrapperInit(lib: Library, cls: Value, self: Value | undefined, env: Value | undefined): boolean {
  if (!wrapperClass(cls) || !isKind(self, 'inst')) return false;
  self.attrs.set('env', env ?? UNKNOWN);
  // gym's own reset()/step() of a wrapper (the class does not define them): an observation of the wrapper's space
  // as it is when they are called (an ObservationWrapper's observation() gives that shape).
  const obs = (): Value => { const sh = spaceSizes(self.attrs.get('observation_space')).shape; return sh ? tensor(sh, 'fp32') : unknown('an observation'); };
  const own = (name: string): boolean => lib.cx.lookupClass(self.cls, name) !== undefined;
  if (!own('reset')) self.attrs.set('reset', { kind: 'builtin', name: 'reset', fn: () => { const r = tuple([obs(), { kind: 'dict', map: new Map() }]); RESETS.add(r); return r; } });
  if (!own('step')) self.attrs.set('step', { kind: 'builtin', name: 'step', fn: () => { markRollout(lib.cx.recorder.ctx); STEPS.set(lib, envSteps(lib) + 1); return tuple([obs(), unknown('a reward'), unknown('episode end'), unknown('episode end'), unknown('step info')]); } });
  if (isKind(env, 'obj') || isKind(env, 'inst')) {
    for (const k of ['observation_space', 'action_space', 'unwrapped', 'spec', 'num_envs', 'single_observation_space', 'single_action_space']) {
      const v = env.attrs.get(k);
      if (v !== undefined && !self.attrs.has(k)) self.attrs.set(k, v);
    }
  }
  return true;
}

/** `spaces.Box(low, high, shape=(…), dtype)` (shape from `low` when it is an array) and `spaces.Discrete(n)`. */
function spaceCall(lib: Library, kind: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  if (kind === 'Discrete') { const n = pos[0] ?? kw.get('n'); return isNum(n) ? space(lib, n, loc) : unknown('a Discrete space of unknown size'); }
  const sh = kw.get('shape') ?? pos[2];
  const low = pos[0] ?? kw.get('low');
  const shape = isSeq(sh) && sh.items.every(isNum) ? sh.items as number[] : isNum(sh) ? [sh] : isKind(low, 'tensor') ? low.shape : undefined;
  return shape ? space(lib, shape, loc) : unknown('a Box space of unknown shape');
}

const isEnv = (v: Value | undefined): v is ObjValue => isKind(v, 'obj') && ENVS.has(v);

/** What `env.reset()` returned: the pair (observation, info) of gymnasium and gym >= 0.26. */
const RESETS = new WeakSet<object>();

/**
 * The observation of a reset result used as an array (`torch.from_numpy(env.reset())`, `np.stack([...])` of them):
 * gym < 0.26 returned the observation alone, which is what such a script reads. Undefined for any other value.
 */
export function resetObservation(v: Value): Value | undefined {
  return isSeq(v) && RESETS.has(v) ? v.items[0] : undefined;
}

/** How many `env.step` calls a library has evaluated (a worker process replayed for its reply may step one). */
const STEPS = new WeakMap<Library, number>();
export const envSteps = (lib: Library): number => STEPS.get(lib) ?? 0;

/** The innermost loop of `ctx` steps an environment: a rollout. */
export function markRollout(ctx: readonly CtxEntry[]): void {
  for (let i = ctx.length - 1; i >= 0; i--) {
    const e = ctx[i];
    if (e.type === 'loop') { e.frame.rollout = true; return; }
  }
}

/** A vector env of `fns` (env factories): the first factory's env, or the last env the script made, `n` times. */
function vectorEnv(lib: Library, fns: Value, loc?: Loc): Value {
  const items = isSeq(fns) ? fns.items : [];
  let first: Value | undefined = items[0];
  if (first !== undefined && !isEnv(first)) first = lib.cx.call(first, [], new Map(), loc);
  const base = isEnv(first) ? first : LAST.get(lib);
  const n = items.length || 1;
  const id = base?.attrs.get('spec');
  return makeEnv(lib, isKind(id, 'obj') ? id.attrs.get('id') ?? UNKNOWN : UNKNOWN, n, loc, true);
}

/** Sizes of a gym space value: its shape, and `n` for a Discrete one. */
function spaceSizes(sp: Value | undefined): { shape?: number[]; n?: number } {
  if (!isKind(sp, 'obj')) return {};
  const shape = sp.attrs.get('shape');
  const n = sp.attrs.get('n');
  return { shape: isSeq(shape) && shape.items.every(isNum) ? shape.items as number[] : undefined, n: isNum(n) ? n : undefined };
}

/**
 * stable-baselines3's `ReplayBuffer(buffer_size, observation_space, action_space, …)`: `rb.sample(n)` gives n
 * transitions as tensors (observations and next_observations [n, *obs], actions [n, action dims] with 1 for a
 * Discrete space, rewards and dones [n, 1]), so a model fed from it sees the sampled batch.
 */
function replayBuffer(lib: Library, obsSpace: Value | undefined, actSpace: Value | undefined, loc?: Loc): ObjValue {
  const obs = spaceSizes(obsSpace).shape;
  const act = spaceSizes(actSpace);
  const actDims = act.n !== undefined ? 1 : act.shape?.reduce((a, b) => a * b, 1);
  const sample = (a: Value[], kw: Map<string, Value>): Value => {
    const n = a[0] ?? kw.get('batch_size');
    if (!isNum(n) || n < 1 || !obs) return unknown('a replay buffer sample of unknown size');
    const fields: [string, Value][] = [['observations', tensor([n, ...obs], 'fp32')], ['next_observations', tensor([n, ...obs], 'fp32')], ['rewards', tensor([n, 1], 'fp32')], ['dones', tensor([n, 1], 'fp32')]];
    if (actDims !== undefined) fields.push(['actions', act.n !== undefined ? tensor([n, actDims]) : tensor([n, actDims], 'fp32')]);
    return lib.obj('namespace', fields, loc);
  };
  return lib.obj('namespace', [['sample', { kind: 'builtin', name: 'sample', fn: sample }]], loc);
}

export const ROUTES: Route[] = [
  {
    exact: ['stable_baselines3.common.buffers.ReplayBuffer', 'stable_baselines3.ReplayBuffer'],
    handler: (lib, { pos, kw, loc }) => replayBuffer(lib, pos[1] ?? kw.get('observation_space'), pos[2] ?? kw.get('action_space'), loc),
  },
  { exact: ['gym.make', 'gymnasium.make'], handler: (lib, { pos, kw, loc }) => makeEnv(lib, pos[0] ?? kw.get('id') ?? UNKNOWN, 1, loc) },
  {
    exact: ['gym.make_vec', 'gymnasium.make_vec', 'gym.vector.make', 'gymnasium.vector.make'],
    handler: (lib, { pos, kw, loc }) => makeEnv(lib, pos[0] ?? kw.get('id') ?? UNKNOWN, typeof (kw.get('num_envs') ?? pos[1]) === 'number' ? (kw.get('num_envs') ?? pos[1]) as number : 1, loc, true),
  },
  {
    exact: ['gym.vector.SyncVectorEnv', 'gym.vector.AsyncVectorEnv', 'gymnasium.vector.SyncVectorEnv', 'gymnasium.vector.AsyncVectorEnv'],
    handler: (lib, { pos, kw, loc }) => vectorEnv(lib, pos[0] ?? kw.get('env_fns') ?? UNKNOWN, loc),
  },
  { pattern: /^(?:gym|gymnasium)\.spaces\.(?:box\.|discrete\.)?(Box|Discrete)$/, handler: (lib, { path, pos, kw, loc }) => spaceCall(lib, /Discrete$/.test(path) ? 'Discrete' : 'Box', pos, kw, loc) },
  { pattern: /^(?:gym|gymnasium)\.(?:core\.)?(?:Wrapper|ObservationWrapper|RewardWrapper|ActionWrapper)\.__init__$/, handler: (lib, { pos, kw }) => { const self = pos[0]; if (isKind(self, 'inst')) wrapperInit(lib, self.cls, self, pos[1] ?? kw.get('env')); return null; } },
  // Wrappers keep the env's sizes as stated at gym.make (Atari ids already give the wrapped observation).
  { pattern: /^(?:gym|gymnasium)\.wrappers\./, handler: (lib, { pos, kw }) => { const e = pos[0] ?? kw.get('env'); return isEnv(e) ? e : LAST.get(lib) ?? UNKNOWN; } },
];

const side = (x: unknown, i = 0): number | undefined => (typeof x === 'number' ? x : Array.isArray(x) && typeof x[i] === 'number' ? x[i] as number : undefined);

/**
 * The image side a conv stack must be fed so that its flattened output has the in_features of the Linear after it
 * (`Conv(8, s4) → Conv(4, s2) → Conv(3, s1) → Flatten → Linear(64*7*7)`: 84, the Nature DQN's input). `layers` in
 * registration order; undefined when the stack is not conv/pool layers up to a Linear, or no side from 4 to 1024 fits.
 */
export function convSideForLinear(layers: LayerValue[]): { value: number; note: string } | undefined {
  const at = layers.findIndex((l) => /^Conv2d$/.test(l.name));
  if (at < 0) return undefined;
  const stack: { k: number; s: number; p: number; d: number }[] = [];
  let channels: number | undefined;
  let features: number | undefined;
  for (const l of layers.slice(at)) {
    const a = l.args as Record<string, unknown>;
    if (l.name === 'Linear') { features = side(a.in_features); break; }
    if (l.name === 'Conv2d' || /^(Max|Avg)Pool2d$/.test(l.name)) {
      const k = side(a.kernel_size);
      const s = a.stride === null || a.stride === undefined ? k : side(a.stride);
      const p = side(a.padding ?? 0);
      const d = side(a.dilation ?? 1);
      if (k === undefined || s === undefined || p === undefined || d === undefined) return undefined;
      stack.push({ k, s, p, d });
      if (l.name === 'Conv2d') channels = side(a.out_channels);
      continue;
    }
    if (/^(Flatten|BatchNorm2d|Dropout2?d?)$/.test(l.name) || /ReLU|Tanh|Sigmoid|ELU|GELU|SiLU/.test(l.name)) continue;
    return undefined;
  }
  if (features === undefined || channels === undefined || features % channels !== 0) return undefined;
  for (let n = 4; n <= 1024; n++) {
    let h = n;
    for (const c of stack) h = Math.floor((h + 2 * c.p - c.d * (c.k - 1) - 1) / c.s) + 1;
    if (h > 0 && channels * h * h === features) return { value: n, note: `the conv stack before nn.Linear(in_features=${features}) (${channels}×${h}×${h} after it; ${n} is the smallest side that fits)` };
  }
  return undefined;
}

/**
 * `if global_step > learning_starts:` (an RL warm-up) on the counter of a loop walked once for all its passes (`for global_step in
 * range(T)`, the counter bound to its first value): the branch runs on the passes past the threshold, so it is walked
 * as a gate of weight passes/T, as a modulo gate is. Undefined when the condition is not such a threshold.
 */
export function thresholdGate(cond: Expr, ctx: readonly CtxEntry[], scope: Scope, ev: LoopEval): { n: number; vars: string[] } | undefined {
  if (cond.t !== 'bin' || !['>', '>=', '<', '<='].includes(cond.op)) return undefined;
  const named = cond.l.t === 'name' && (cond.op === '>' || cond.op === '>=') ? cond.l : cond.r.t === 'name' && (cond.op === '<' || cond.op === '<=') ? cond.r : undefined;
  if (!named || named.t !== 'name') return undefined;
  const frame = [...ctx].reverse().find((e) => e.type === 'loop' && e.frame.vars?.includes(named.id));
  const trips = frame?.type === 'loop' ? frame.frame.trips : undefined;
  const start = scope.get(named.id);
  const k = ev.value(named === cond.l ? cond.r : cond.l);
  if (trips === undefined || trips < 2 || !isNum(start) || !isNum(k)) return undefined;
  const passes = Math.min(trips, Math.max(0, start + trips - (cond.op === '>' || cond.op === '<' ? k + 1 : k)));
  return passes > 0 && passes < trips ? { n: trips / passes, vars: [named.id] } : undefined;
}
