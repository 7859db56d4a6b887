/**
 * A model's printout in a notebook's saved output (`model`, `model.apply(init_weights)`, `print(model)`) as evidence:
 * PyTorch's `Module.__repr__` lists every submodule by name with its constructor arguments
 * (`(embedding): Embedding(7853, 256)`). Where a layer of the script's model has an argument FlopLens could not
 * evaluate (a vocabulary counted from data), the printout at the same path, of the same layer type, gives it, and the
 * layer's parameters are sized again. Arguments the script determines are never replaced: a layer whose known
 * arguments disagree with its printout is left as it is (the output is from another version of the code).
 */
import type { Arg, OpOutcome } from '../ops/registry';
import { isOpError } from '../ops/registry';
import { bindArgs } from '../ops';
import type { LayerValue, Value } from './values';
import { isKind } from './values';
import { layerParams } from './lib/modules';

/** One module of a printout: its type, its one-line arguments (a leaf) and its named children. */
export interface ReprNode { type: string; args?: string; children: Map<string, ReprNode> }

const LEAF = /^\(([\w.-]+)\): (?:(\d+) x )?([A-Za-z_]\w*)\((.*)\)$/;
const OPEN = /^\(([\w.-]+)\): (?:(\d+) x )?([A-Za-z_]\w*)\($/;

/** The module tree of a `Module.__repr__` text; undefined when the text is not one. */
export function parseModuleRepr(text: string): ReprNode | undefined {
  const lines = text.replace(/\r/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
  const head = /^([A-Za-z_]\w*)\($/.exec(lines[0] ?? '');
  if (!head || lines.length < 3 || lines.length > 5000 || lines[lines.length - 1] !== ')') return undefined;
  const root: ReprNode = { type: head[1], children: new Map() };
  const stack: ReprNode[] = [root];
  const add = (parent: ReprNode, name: string, node: ReprNode) => {
    // `(0-2): 3 x Linear(...)`: identical modules under consecutive indices.
    const range = /^(\d+)-(\d+)$/.exec(name);
    if (!range) { parent.children.set(name, node); return; }
    for (let i = Number(range[1]); i <= Number(range[2]) && i - Number(range[1]) < 1024; i++) parent.children.set(String(i), node);
  };
  for (const line of lines.slice(1)) {
    const top = stack[stack.length - 1];
    if (!top) return undefined;
    if (line === ')') { stack.pop(); continue; }
    const leaf = LEAF.exec(line);
    if (leaf) { add(top, leaf[1], { type: leaf[3], args: leaf[4], children: new Map() }); continue; }
    const open = OPEN.exec(line);
    if (open) {
      const node: ReprNode = { type: open[3], children: new Map() };
      add(top, open[1], node);
      stack.push(node);
    }
    // Any other line is a parent's own extra_repr: not needed.
  }
  return stack.length === 0 ? root : undefined;
}

/** A Python literal of a printout's arguments as an op argument; undefined when it is not one. */
function literal(s: string): Arg {
  const t = s.trim();
  if (/^-?\d+$/.test(t)) return Number(t);
  if (/^-?(\d+\.\d*|\.\d+)(e[+-]?\d+)?$|^-?\d+e[+-]?\d+$/i.test(t)) return Number(t);
  if (t === 'True' || t === 'False') return t === 'True';
  if (t === 'None') return null;
  const q = /^(['"])(.*)\1$/.exec(t);
  if (q) return q[2];
  if (t.startsWith('(') && t.endsWith(')')) {
    const inner = t.slice(1, -1).trim();
    if (!inner) return [];
    const items = splitTop(inner).filter((x) => x.trim() !== '').map(literal);
    return items.every((x) => x !== undefined) ? items : undefined;
  }
  return undefined;
}

/** Top-level comma-separated pieces of `s` (brackets and quotes respected). */
export function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0, quote = '', start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) { out.push(s.slice(start, i)); start = i + 1; }
  }
  out.push(s.slice(start));
  return out;
}

/** Equal as PyTorch prints them: `kernel_size=3` is printed `(3, 3)`. */
const same = (a: Arg, b: Arg): boolean => {
  const flat = (x: Arg, n: number): Arg => (typeof x === 'number' && n > 0 ? Array<number>(n).fill(x) : x);
  const n = Math.max(Array.isArray(a) ? a.length : 0, Array.isArray(b) ? b.length : 0);
  return JSON.stringify(flat(a, n)) === JSON.stringify(flat(b, n));
};
const show = (a: Arg): string => (Array.isArray(a) ? `(${a.map(show).join(', ')})` : typeof a === 'number' ? a.toLocaleString('en-US') : String(a));

/**
 * What a printout filled in: `path arg=value` per argument, the paths whose known arguments disagreed, and the stated
 * data defaults it replaced.
 */
export interface ReprFill { filled: string[]; disagreed: string[]; replaced: Set<number> }

/**
 * Fills the unknown constructor arguments of the layers below `model` from the printout `node` (same names, same
 * layer types), and sizes their parameters again. An argument equal to one of `defaults` (sizes FlopLens stated for
 * data it does not read: a vocabulary's 256 bytes) is not the script's own value: the printout replaces it too.
 * Never throws.
 */
export function fillFromRepr(model: Value, node: ReprNode, id: () => number, defaults: ReadonlySet<number> = new Set()): ReprFill {
  const out: ReprFill = { filled: [], disagreed: [], replaced: new Set() };
  const seen = new Set<object>();
  const walk = (v: Value | undefined, n: ReprNode, path: string): void => {
    if (!v || typeof v !== 'object' || seen.has(v) || seen.size > 10_000) return;
    seen.add(v);
    if (isKind(v, 'layer')) { fillLayer(v, n, path, id, defaults, out); return; }
    if (isKind(v, 'inst') && v.module) {
      if (v.cls.name !== n.type) return;
      for (const [name, child] of n.children) walk(v.attrs.get(name), child, path ? `${path}.${name}` : name);
    } else if (isKind(v, 'container')) {
      for (const [name, child] of n.children) {
        const i = v.keys ? v.keys.indexOf(name) : /^\d+$/.test(name) ? Number(name) : -1;
        walk(i >= 0 ? v.items[i] : undefined, child, path ? `${path}.${name}` : name);
      }
    }
  };
  walk(model, node, '');
  return out;
}

function fillLayer(v: LayerValue, n: ReprNode, path: string, id: () => number, defaults: ReadonlySet<number>, out: ReprFill): void {
  if (!v.def || v.name !== n.type || n.args === undefined) return;
  const pos: Arg[] = [];
  const kw: Record<string, Arg> = {};
  for (const piece of splitTop(n.args)) {
    if (!piece.trim()) continue;
    const k = /^\s*([A-Za-z_]\w*)=(.*)$/s.exec(piece);
    if (k) kw[k[1]] = literal(k[2]); else pos.push(literal(piece));
  }
  let bound: ReturnType<typeof bindArgs>;
  try { bound = bindArgs(v.def, pos, kw); } catch { return; }
  if (isOpError(bound as OpOutcome)) return;
  const fills: [string, Arg][] = [];
  const replaced: number[] = [];
  for (const [k, a] of Object.entries(bound)) {
    const own = v.args[k];
    if (a === undefined) continue;
    if (own === undefined) fills.push([k, a]);
    else if (typeof own === 'number' && defaults.has(own) && typeof a === 'number' && own !== a) { fills.push([k, a]); replaced.push(own); }
    else if ((typeof own === 'number' || typeof own === 'boolean' || Array.isArray(own)) && !same(own, a)) { out.disagreed.push(`${path} ${k} ${show(own)} (printed ${show(a)})`); return; }
  }
  if (!fills.length) return;
  const args = { ...v.args };
  for (const [k, a] of fills) args[k] = a;
  const params = layerParams(v.def, args, id);
  if (params.some((p) => !Number.isFinite(p.numel))) return;
  const trainable = v.module.params.every((p) => p.trainable);
  v.args = args;
  for (const [k, a] of fills) if (typeof a === 'number' || typeof a === 'boolean') v.rawArgs[k] = a;
  v.module.params.splice(0, v.module.params.length, ...params.map((p) => ({ ...p, trainable })));
  for (const r of replaced) out.replaced.add(r);
  for (const [k, a] of fills) out.filled.push(`${path} ${k}=${show(a)}`);
}
