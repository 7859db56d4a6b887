/**
 * Catalog lookup by the names scripts use (HF repo ids, torchvision functions, timm names, diffusers
 * repos), the "not in catalog" directive suggestion, and approximate decoder LMs from directives.
 */
import type { CatalogEntry, DecoderConfig, LookupHint } from './types';
import { LLM_CATALOG } from './catalog/llm';
import { LLM_FAMILIES_CATALOG } from './catalog/llmFamilies';
import { ENCODER_CATALOG } from './catalog/encoders';
import { VISION_CATALOG } from './catalog/vision';
import { DIFFUSION_CATALOG } from './catalog/diffusion';
import { DPN_CATALOG } from './catalog/dpn';
import { minOf } from '../arrays';

/** Every catalog entry, LLMs first. */
export const CATALOG: readonly CatalogEntry[] = [...LLM_CATALOG, ...LLM_FAMILIES_CATALOG, ...ENCODER_CATALOG, ...VISION_CATALOG, ...DPN_CATALOG, ...DIFFUSION_CATALOG];

export function listModels(): readonly CatalogEntry[] { return CATALOG; }

const HINTS: readonly LookupHint[] = ['hf', 'torchvision', 'timm', 'diffusers'];

/** Suffixes that name a variant of the same architecture (instruct/chat tunes, repacks, quantisations). */
const VARIANT_SUFFIXES = [
  '-unsloth-bnb-4bit', '-bnb-4bit', '-bnb-8bit', '-4bit', '-8bit', '-gptq-int4', '-gptq-int8', '-gptq', '-awq', '-gguf', '-exl2',
  '-int4', '-int8', '-fp8', '-fp16', '-bf16', '-hf', '-instruct', '-chat', '-it',
];

const lower = (s: string): string => s.trim().replace(/^['"]+|['"]+$/g, '').toLowerCase();
const tail = (s: string): string => s.slice(s.lastIndexOf('/') + 1);
const compact = (s: string): string => s.replace(/[^a-z0-9]/g, '');

function stripVariants(s: string): string {
  let t = s;
  for (let changed = true; changed;) {
    changed = false;
    for (const suf of VARIANT_SUFFIXES) {
      if (t.endsWith(suf) && t.length > suf.length + 1) { t = t.slice(0, -suf.length); changed = true; }
    }
  }
  return t;
}

/** timm suffixes that name a training recipe or weight set, not a different architecture. */
const TIMM_WEIGHT_SUFFIX = /_(ns|ap|aa|ra|ra2|ra3|ra4|a1h|a1|a2|a3|in1k|in21k|in22k|in12k|in22ft1k|in21k_ft_in1k|in22k_ft_in1k|ft_in1k|miil|miil_in21k)$/;

function stripTimmVariants(s: string): string {
  let t = s;
  while (TIMM_WEIGHT_SUFFIX.test(t) && t.replace(TIMM_WEIGHT_SUFFIX, '').length > 2) t = t.replace(TIMM_WEIGHT_SUFFIX, '');
  return t;
}

/** Keys under which a name is looked up, most specific first. */
function keysOf(raw: string, hint?: LookupHint): string[] {
  let s = lower(raw);
  s = s.replace(/^hf[-_]hub:/, '').replace(/^(torchvision\.)?models\./, '').replace(/^tv\./, '');
  if (s.startsWith('timm/') || hint === 'timm') s = s.replace(/^timm\//, '');
  const keys = [s];
  // timm pretrained tags: vit_base_patch16_224.augreg2_in21k_ft_in1k
  const m = /^([a-z0-9_]+)\.[a-z0-9_]+$/.exec(tail(s));
  if (m) keys.push(m[1]);
  const t = tail(s);
  keys.push(t, stripVariants(t));
  // timm weight variants of one architecture: `tf_` ports of TensorFlow weights (same layers, TF padding) and
  // suffixes naming how the weights were trained (`_ns` noisy student, `_ap` AdvProp, `_in22k`, `_miil`...).
  const base = m ? m[1] : t;
  if (/^[a-z0-9_]+$/.test(base)) {
    const bare = stripTimmVariants(base);
    keys.push(bare, bare.replace(/^tf_/, ''));
  }
  return [...new Set(keys.filter((k) => k.length > 0))];
}

interface Index { exact: Map<string, CatalogEntry>; byNs: Record<LookupHint, Map<string, CatalogEntry>>; compact: Map<string, CatalogEntry> }

let index: Index | undefined;

function getIndex(): Index {
  if (index) return index;
  const exact = new Map<string, CatalogEntry>();
  const compactMap = new Map<string, CatalogEntry>();
  const byNs = { hf: new Map(), torchvision: new Map(), timm: new Map(), diffusers: new Map() } as Record<LookupHint, Map<string, CatalogEntry>>;
  const put = (m: Map<string, CatalogEntry>, k: string, e: CatalogEntry): void => { if (!m.has(k)) m.set(k, e); };
  // Full ids and full aliases first so that the most specific spelling wins over stripped tails.
  for (const e of CATALOG) {
    put(exact, lower(e.id), e);
    for (const ns of HINTS) for (const a of e.aliases[ns] ?? []) { put(exact, lower(a), e); put(byNs[ns], lower(a), e); }
  }
  for (const e of CATALOG) {
    const names = [e.id, ...HINTS.flatMap((ns) => e.aliases[ns] ?? [])];
    for (const n of names) {
      for (const k of keysOf(n)) { put(exact, k, e); put(compactMap, compact(k), e); }
    }
    for (const ns of HINTS) for (const a of e.aliases[ns] ?? []) for (const k of keysOf(a)) put(byNs[ns], k, e);
  }
  index = { exact, byNs, compact: compactMap };
  return index;
}

/**
 * Find a catalog entry by the name a script uses: an HF repo id (case-insensitive, with or without
 * the org, instruct/chat/quantised variants), a torchvision function (`resnet50`, `vit_b_16`,
 * `torchvision.models.resnet50`), a timm name (`vit_base_patch16_224.augreg2_in21k_ft_in1k`), or a
 * diffusers repo id. `hint` prefers one namespace. Returns undefined for unknown names.
 */
export function findModel(name: string, hint?: LookupHint): CatalogEntry | undefined {
  if (typeof name !== 'string' || name.trim() === '') return undefined;
  const ix = getIndex();
  const keys = keysOf(name, hint);
  if (hint && ix.byNs[hint]) {
    for (const k of keys) { const e = ix.byNs[hint].get(k); if (e) return e; }
  }
  for (const k of keys) { const e = ix.exact.get(k); if (e) return e; }
  for (const k of keys) { const e = ix.compact.get(compact(k)); if (e) return e; }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

/** Catalog names closest to `name` (for "did you mean"). */
export function closestModels(name: string, n = 3): string[] {
  const q = compact(stripVariants(tail(lower(name))));
  if (!q) return [];
  const scored: { id: string; d: number }[] = [];
  const seen = new Set<string>();
  for (const e of CATALOG) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    const cands = [e.id, ...HINTS.flatMap((ns) => e.aliases[ns] ?? [])].map((x) => compact(stripVariants(tail(lower(x)))));
    const d = minOf(cands.map((c) => editDistance(q, c) / Math.max(q.length, c.length)));
    scored.push({ id: e.aliases.torchvision?.[0] ?? e.id, d });
  }
  return scored.filter((s) => s.d <= 0.35).sort((a, b) => a.d - b.d).slice(0, n).map((s) => s.id);
}

/** A size read from a model name: `7b`, `1.5B`, `350m`, `8x7b`. */
export function sizeFromName(name: string): number | undefined {
  const s = lower(name);
  const moe = /(\d+)x(\d+(?:\.\d+)?)b(?![a-z])/.exec(s);
  if (moe) return Number(moe[1]) * Number(moe[2]) * 1e9;
  const m = /(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)\s*([bm])(?![a-z])/.exec(s);
  if (!m) return undefined;
  const v = Number(m[1]) * (m[2] === 'b' ? 1e9 : 1e6);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

const fmtNum = (n: number): string => {
  const e = Math.floor(Math.log10(n));
  const m = n / 10 ** e;
  const ms = Number.isInteger(m) ? String(m) : m.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
  return `${ms}e${e}`;
};

/**
 * The message for a model the catalog does not know: what to write so FlopLens can cost it.
 * Suggests a directive sized from the name when it carries a size (`…-7b-…`).
 */
export function suggestDirective(name: string, hint?: LookupHint): string {
  const shown = typeof name === 'string' && name.trim() ? name.trim() : 'this model';
  if (hint === 'timm' || hint === 'torchvision') {
    // The directive model is a decoder LM: no use for an image network. Point at the nearest catalog architecture.
    const near = typeof name === 'string' ? closestModels(name) : [];
    return `"${shown}" is not in the FlopLens model catalog, so its layers are unknown and its calls are not costed.${near.length ? ` Nearest catalog architectures: ${near.map((c) => `"${c}"`).join(', ')}; if it is one of them with other weights, use that name.` : ''} A network written out in the script (or in a local module) is traced layer by layer instead.`;
  }
  const size = typeof name === 'string' ? sizeFromName(name) : undefined;
  let directive = '# floplens: params=7e9 layers=32 hidden=4096';
  let sizeLine = '';
  if (size) {
    const shape = shapeForParams(size, 32000);
    directive = `# floplens: params=${fmtNum(size)} layers=${shape.layers} hidden=${shape.hidden}`;
    sizeLine = ` The name suggests about ${fmtNum(size)} parameters; layers and hidden below are a typical shape for that size — replace them with the model's config.json values (num_hidden_layers, hidden_size).`;
  }
  const close = typeof name === 'string' ? closestModels(name) : [];
  const did = close.length ? ` Did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : '';
  return `"${shown}" is not in the FlopLens model catalog, so its size is unknown.${did}${sizeLine} Add a directive comment above the line that loads it, for example:\n${directive}\nOptional keys: heads=, vocab=, seq=. FlopLens then costs it as a decoder LM of that shape.`;
}

// ---------------------------------------------------------------------------------------------------

/** Numbers a `# floplens:` directive may give for an unknown model. */
export interface DirectiveModelSpec {
  params?: number;
  layers?: number;
  hidden?: number;
  heads?: number;
  kvHeads?: number;
  ffn?: number;
  vocab?: number;
  seq?: number;
  name?: string;
}

const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** Decoder params for a LLaMA-style shape (untied, SwiGLU, MHA unless kvHeads). */
function decoderParams(L: number, h: number, f: number, V: number, heads: number, kv: number): number {
  const hd = h / heads;
  return L * (2 * h * heads * hd + 2 * h * kv * hd + 3 * h * f + 2 * h) + 2 * V * h + h;
}

/** A typical (layers, hidden) for a parameter budget: hidden ≈ 128·layers, 12·L·h² + 2·V·h ≈ N. */
export function shapeForParams(params: number, vocab: number): { layers: number; hidden: number } {
  let L = Math.max(1, Math.round(Math.cbrt(params / (12 * 128 * 128))));
  let h = 128 * L;
  for (let i = 0; i < 4; i++) {
    const nonEmb = Math.max(params * 0.2, params - 2 * vocab * h);
    L = Math.max(1, Math.round(Math.cbrt(nonEmb / (12 * 128 * 128))));
    h = Math.max(128, Math.round(Math.sqrt(nonEmb / (12 * L)) / 128) * 128);
  }
  return { layers: L, hidden: h };
}

/**
 * An approximate decoder LM (LLaMA-style: RMSNorm, rotary, SwiGLU, untied head) from directive
 * numbers. With `params`, the FFN width is solved so the model has that many parameters; missing
 * layers/hidden come from a typical aspect ratio. Returns undefined when nothing usable is given.
 */
export function modelFromDirective(spec: DirectiveModelSpec): CatalogEntry | undefined {
  if (!spec || typeof spec !== 'object') return undefined;
  const notes: string[] = [];
  const params = ok(spec.params) ? spec.params : undefined;
  let layers = ok(spec.layers) ? Math.round(spec.layers) : undefined;
  let hidden = ok(spec.hidden) ? Math.round(spec.hidden) : undefined;
  if (!params && !(layers && hidden)) return undefined;
  const vocab = ok(spec.vocab) ? Math.round(spec.vocab) : 32000;
  if (!ok(spec.vocab)) notes.push('vocab assumed 32000 (LLaMA-2 tokenizer).');
  if (!layers || !hidden) {
    const N = params as number;
    if (!layers && !hidden) {
      ({ layers, hidden } = shapeForParams(N, vocab));
      notes.push(`layers ${layers} and hidden ${hidden} assumed (typical shape for ${fmtNum(N)} parameters).`);
    } else if (!hidden) {
      const L = layers as number;
      // 12·L·h² + 2·V·h = N
      const h = (-2 * vocab + Math.sqrt(4 * vocab * vocab + 48 * L * N)) / (24 * L);
      hidden = Math.max(64, Math.round(h / 64) * 64);
      notes.push(`hidden assumed ${hidden} (solves 12·L·h² + 2·V·h ≈ params).`);
    } else {
      const h = hidden;
      layers = Math.max(1, Math.round((N - 2 * vocab * h) / (12 * h * h)));
      notes.push(`layers assumed ${layers} (solves 12·L·h² + 2·V·h ≈ params).`);
    }
  }
  if (!layers || !hidden) return undefined;
  const heads = ok(spec.heads) ? Math.round(spec.heads) : Math.max(1, Math.round(hidden / 128));
  if (!ok(spec.heads)) notes.push(`heads assumed ${heads} (head_dim ≈ 128).`);
  const kvHeads = ok(spec.kvHeads) ? Math.min(heads, Math.round(spec.kvHeads)) : heads;
  let ffn: number;
  if (ok(spec.ffn)) ffn = Math.round(spec.ffn);
  else if (params) {
    const attn = 2 * hidden * hidden + 2 * hidden * kvHeads * (hidden / heads);
    const f = ((params - 2 * vocab * hidden - hidden) / layers - attn - 2 * hidden) / (3 * hidden);
    if (f >= hidden / 4) { ffn = Math.round(f); notes.push(`FFN width ${ffn} solved so the model has ${fmtNum(params)} parameters (SwiGLU, untied head).`); }
    else { ffn = Math.round((8 * hidden) / 3 / 256) * 256 || 256; notes.push(`params=${fmtNum(params)} is small for layers=${layers}, hidden=${hidden}, vocab=${vocab}; FFN width set to ${ffn} (8h/3).`); }
  } else {
    ffn = Math.round((8 * hidden) / 3 / 256) * 256 || 256;
    notes.push(`FFN width assumed ${ffn} (8h/3, SwiGLU).`);
  }
  const seq = ok(spec.seq) ? Math.round(spec.seq) : undefined;
  const arch: DecoderConfig = {
    kind: 'decoder', style: 'directive', layers, hidden, heads, kvHeads, headDim: hidden / heads, ffn, act: 'silu', gated: true,
    vocab, tiedEmbeddings: false, norm: 'rms', normsPerLayer: 2, qkvBias: false, outBias: false, mlpBias: false,
    positions: 'rope', maxContext: Math.max(seq ?? 0, 131072), dropout: 0,
  };
  const built = decoderParams(layers, hidden, ffn, vocab, heads, kvHeads);
  const name = typeof spec.name === 'string' && spec.name.trim() ? spec.name.trim() : 'directive model';
  return {
    id: `directive:${name}`,
    name,
    family: 'Directive',
    task: 'text-generation',
    arch,
    aliases: {},
    configSource: '# floplens: directive',
    published: { total: params ?? built, exact: false, source: params ? 'directive params=' : 'implied by directive layers/hidden' },
    defaults: { seqLen: seq ?? 2048 },
    loraTargets: ['q_proj', 'v_proj'],
    notes: ['Approximate decoder LM built from a directive (LLaMA-style: RMSNorm, rotary, SwiGLU, untied head).', ...notes],
  };
}
