/**
 * Generation loops written by hand (nanoGPT `GPT.generate`, LLMs-from-scratch `generate_text_simple`):
 *
 *     for _ in range(max_new_tokens):
 *         logits = model(idx[:, -block_size:])
 *         idx = torch.cat((idx, idx_next), dim=1)
 *
 * One pass per new token on a context that grows by one each pass, without a KV cache. The whole loop is one request
 * (the corpus convention: "for generate, one call with max_new_tokens: prefill + decode as executed"), so its passes are
 * not run steps, and its cost is the sum over the context lengths, not n times the prompt's length. Pure functions over
 * the loop's statements; the evaluator walks the body once at the mean length (see Interpreter.walkGeneration).
 */
import type { Expr, Stmt } from '../parse/ast';

/** Training work in a loop body: a loop that trains is not a generation loop. */
const TRAINS = /\.(backward|step|zero_grad)\s*\(/;
const CAT = /^(?:torch\.)?(?:cat|concat|concatenate)$/;

function dotted(e: Expr): string | undefined {
  if (e.t === 'name') return e.id;
  if (e.t === 'attr') { const o = dotted(e.obj); return o && `${o}.${e.name}`; }
  return undefined;
}

/**
 * The variable a loop body grows with `v = torch.cat((v, new), dim=d)`, and the expression of `d` (absent: dim 0).
 * Looked for in the body and its `with` / `if` blocks; undefined when the body trains or grows nothing.
 */
export function grownTensor(body: Stmt[], text: (s: Stmt) => string): { name: string; dim?: Expr } | undefined {
  if (body.some((s) => TRAINS.test(text(s)))) return undefined;
  const find = (stmts: Stmt[]): { name: string; dim?: Expr } | undefined => {
    for (const st of stmts) {
      if (st.t === 'with') { const r = find(st.body); if (r) return r; }
      if (st.t === 'if') { for (const b of st.branches) { const r = find(b.body); if (r) return r; } }
      if (st.t !== 'assign' || st.targets.length !== 1 || st.targets[0].t !== 'name' || !st.value || st.value.t !== 'call') continue;
      const name = st.targets[0].id;
      const call = st.value;
      if (!CAT.test(dotted(call.fn) ?? '')) continue;
      const seq = call.args.find((a) => a.kind === 'pos' || a.name === 'tensors')?.value;
      if (!seq || seq.t !== 'seq' || seq.items.length < 2 || seq.items[0].t !== 'name' || seq.items[0].id !== name) continue;
      const dim = call.args.find((a) => a.kind === 'kw' && (a.name === 'dim' || a.name === 'axis'))?.value ?? call.args.filter((a) => a.kind === 'pos')[1]?.value;
      return { name, dim };
    }
    return undefined;
  };
  return find(body);
}

/**
 * The lengths a context of `shape` takes along its grown dim `dim` over `n` passes: the first, their sum, and the length
 * `at` the body is walked at (the mean, rounded down; the passes are then weighted sum / at). Undefined when that dim's
 * length is not a known positive integer.
 */
export function contextLengths(shape: number[], dim: unknown, n: number): { d: number; start: number; sum: number; at: number } | undefined {
  const d = typeof dim === 'number' && Number.isInteger(dim) ? (dim < 0 ? shape.length + dim : dim) : -1;
  const start = shape[d];
  if (start === undefined || !Number.isInteger(start) || start < 1) return undefined;
  const sum = n * start + (n * (n - 1)) / 2;
  return { d, start, sum, at: Math.floor(sum / n) };
}

/**
 * Tokens of a literal prompt for a BPE tokenizer (GPT-2 / tiktoken): one per word, number or run of punctuation,
 * with its leading space, as GPT-2's pre-tokenizer splits text ("Hello, I am" → 4, "\n" → 1). Common English words are
 * one token each; rare words take more, so this is a lower estimate, stated where used.
 */
export function promptTokens(text: string): number {
  // String literals may reach here with their escapes still written out ("\\n").
  const raw = text.replace(/\\([ntr\\'"])/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c] ?? c);
  const pieces = raw.match(/'(?:s|t|re|ve|m|ll|d)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu);
  return Math.max(1, pieces?.length ?? 0);
}
