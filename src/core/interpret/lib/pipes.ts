/**
 * Worker processes that talk through a multiprocessing Pipe (RL code's subprocess vector envs: baselines'
 * SubprocVecEnv, minimalRL's ParallelEnv). The main process sends a request (`('step', actions)`) on its end and
 * `recv()`s the worker's reply; the worker, a `Process(target=worker, args=(…, worker_end))`, loops on
 * `cmd, data = worker_end.recv()` and answers with `worker_end.send(…)`. FlopLens runs no process: a `recv()`
 * on an end whose peer a worker serves replays that worker with the last request sent to it, up to its first
 * `send`, whose value is the reply (an observation of the env the worker made, sized as lib/rl.ts sizes it).
 */
import type { Loc } from '../../types';
import { GenYield } from '../generators';
import { UNKNOWN, isKind, isSeq, tuple } from '../values';
import type { ObjValue, Value } from '../values';
import { NOT_MINE } from './dispatch';
import type { MethodTable, Route } from './dispatch';
import type { Library } from './library';
import { envSteps, markRollout } from './rl';

/** One end of a Pipe: its peer, the last message sent to it, and the worker call that serves it. */
interface End { peer?: ObjValue; inbox?: Value; worker?: { target: Value; pos: Value[]; kw: Map<string, Value> } }
const ENDS = new WeakMap<ObjValue, End>();

/** Thrown by the served end's `send` during a replay: the reply (passes through the worker's own `try:` as a yield does). */
class Reply extends GenYield {}

/** The ends whose worker is being replayed (a worker that asks its own peer again gets nothing, never a loop). */
const REPLAYING = new WeakSet<ObjValue>();

function pipe(lib: Library, loc?: Loc): Value {
  const a = lib.obj('pipeEnd', [], loc);
  const b = lib.obj('pipeEnd', [], loc);
  ENDS.set(a, { peer: b });
  ENDS.set(b, { peer: a });
  return tuple([a, b]);
}

/** `Process(target=f, args=(…))`: the ends among its arguments are served by `f` called with those arguments. */
function process(lib: Library, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  const target = kw.get('target') ?? pos[1];
  const args = kw.get('args') ?? pos[3];
  const argv = isSeq(args) ? args.items : [];
  const kwargs = kw.get('kwargs');
  const kwv = new Map<string, Value>(isKind(kwargs, 'dict') ? [...kwargs.map].map(([k, v]) => [String(k), v]) : []);
  if (target !== undefined && isKind(target, 'func')) {
    for (const x of [...argv, ...kwv.values()]) {
      const end = isKind(x, 'obj') ? ENDS.get(x) : undefined;
      if (end) end.worker = { target, pos: argv, kw: kwv };
    }
  }
  return lib.obj('namespace', [['start', noop], ['join', noop], ['terminate', noop], ['kill', noop], ['close', noop], ['daemon', false]], loc);
}

const noop: Value = { kind: 'builtin', name: 'process method', fn: () => null };

/** `end.send(x)`, `end.recv()`, `end.close()`, `end.poll()` of a Pipe end. */
function endMethod(lib: Library, self: ObjValue, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value | typeof NOT_MINE {
  const end = ENDS.get(self);
  if (!end) return NOT_MINE;
  switch (name) {
    case 'send': {
      const x = pos[0] ?? kw.get('obj') ?? UNKNOWN;
      if (end.peer && REPLAYING.has(end.peer)) throw new Reply(x, undefined, undefined as never);
      const peer = end.peer && ENDS.get(end.peer);
      if (peer) peer.inbox = x;
      return null;
    }
    case 'recv': {
      // Inside a replay of the worker serving this end's peer, this end reads the request the peer sent it.
      if (end.peer && REPLAYING.has(end.peer)) return end.inbox ?? UNKNOWN;
      const worker = end.worker ?? (end.peer && ENDS.get(end.peer)?.worker);
      return worker && !REPLAYING.has(self) ? replay(lib, self, worker, loc) : end.inbox ?? UNKNOWN;
    }
    case 'close': return null;
    case 'poll': return true;
    default: return NOT_MINE;
  }
}

/** Run the worker that serves `self`'s peer up to its first reply on that peer; UNKNOWN when it sends none. */
function replay(lib: Library, self: ObjValue, worker: NonNullable<End['worker']>, loc?: Loc): Value {
  REPLAYING.add(self);
  const steps = envSteps(lib);
  try {
    lib.cx.call(worker.target, worker.pos, worker.kw, loc);
    return UNKNOWN;
  } catch (e) {
    if (!(e instanceof Reply)) throw e;
    // A worker that stepped its env to answer: the loop asking it is the rollout (as a local env.step's would be).
    if (envSteps(lib) > steps) markRollout(lib.cx.recorder.ctx);
    return e.value;
  } finally {
    REPLAYING.delete(self);
  }
}

export const ROUTES: Route[] = [
  { exact: ['multiprocessing.Pipe', 'torch.multiprocessing.Pipe', 'multiprocessing.connection.Pipe'], handler: (lib, c) => pipe(lib, c.loc) },
  {
    exact: ['multiprocessing.Process', 'torch.multiprocessing.Process', 'multiprocessing.context.Process'],
    handler: (lib, c) => process(lib, c.pos, c.kw, c.loc),
  },
];

export const METHODS: MethodTable = {
  pipeEnd: (lib, self, name, pos, kw, loc) => endMethod(lib, self, name, pos, kw, loc),
};
