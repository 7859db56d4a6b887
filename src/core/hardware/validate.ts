/**
 * Validation of user-supplied hardware profiles (the `floplens.hardware.custom` setting or a JSON file).
 * Invalid entries are reported and dropped; nothing invalid reaches the projection. Never throws.
 */
import { z } from 'zod';
import type { Dtype } from '../types';
import type { HardwareProfile } from './types';

const DTYPES: readonly Dtype[] = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'];
const TIERS = ['laptop', 'desktop', 'server', 'consumer-gpu', 'datacenter-gpu', 'apple-gpu', 'this-machine', 'custom'] as const;

const positive = z.number({ error: 'must be a positive number' }).finite({ error: 'must be a positive number' }).positive({ error: 'must be a positive number' });
const nonNegative = z.number({ error: 'must be a number ≥ 0' }).finite({ error: 'must be a number ≥ 0' }).min(0, { error: 'must be a number ≥ 0' });
const positiveInt = z.number({ error: 'must be a positive integer' }).int({ error: 'must be a positive integer' }).positive({ error: 'must be a positive integer' });
const text = z.string({ error: 'must be a string' });

const priceSchema = z.object({
  usdPerHour: positive,
  date: text.optional(),
  source: text.optional(),
}, { error: 'must be an object { usdPerHour, date, source }' });

const isPositiveNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

const peakSchema = z.record(z.string(), z.unknown(), { error: 'must be an object of dense FLOP/s per dtype, e.g. { "fp32": 19.5e12 }' })
  .superRefine((rec, ctx) => {
    const keys = Object.keys(rec);
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one dtype peak, e.g. { "fp32": 19.5e12 }' });
    for (const k of keys) {
      if (!(DTYPES as readonly string[]).includes(k)) {
        ctx.addIssue({ code: 'custom', path: [k], message: `unknown dtype (use ${DTYPES.join(', ')})` });
      } else if (!isPositiveNumber(rec[k])) {
        ctx.addIssue({ code: 'custom', path: [k], message: 'must be a positive number (dense FLOP/s)' });
      }
    }
  });

const profileSchema = z.object({
  id: text.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'must be a non-empty id of letters, digits, ".", "_" or "-"' }),
  name: text.min(1, { error: 'must be a non-empty string' }).optional(),
  kind: z.enum(['cpu', 'gpu'], { error: 'must be "cpu" or "gpu"' }),
  tier: z.enum(TIERS, { error: `must be one of ${TIERS.join(', ')}` }).optional(),
  peakFlops: peakSchema,
  memoryBandwidth: positive,
  memoryBytes: positive,
  hostLinkBandwidth: positive.optional(),
  scaleUpBandwidth: positive.optional(),
  scaleOutBandwidth: positive.optional(),
  devicesPerNode: positiveInt.optional(),
  tdpWatts: positive.optional(),
  /** Shorthand accepted from settings: USD per device-hour. */
  pricePerHour: positive.optional(),
  price: priceSchema.optional(),
  launchOverheadSeconds: nonNegative.optional(),
  cores: positiveInt.optional(),
  sources: z.array(text, { error: 'must be an array of strings' }).optional(),
  notes: z.array(text, { error: 'must be an array of strings' }).optional(),
}, { error: 'must be an object' });

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function formatPath(label: string, index: number, path: readonly PropertyKey[]): string {
  let s = `${label}[${index}]`;
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return s;
}

/**
 * Validates custom hardware profiles. `input` should be an array of profile objects (a single object is
 * accepted as a one-element array). Returns the valid profiles (with defaults filled in: name = id,
 * tier = `custom`, sources = [`<label>`]) and one error per problem, naming the entry and field:
 * `custom[1].memoryBandwidth: must be a positive number`. An entry with any error is dropped whole.
 * Duplicate ids keep the first entry. NaN, ±Infinity, zero and negative peaks/bandwidths are rejected.
 */
export function validateHardwareProfiles(input: unknown, label = 'custom'): { profiles: HardwareProfile[]; errors: string[] } {
  const profiles: HardwareProfile[] = [];
  const errors: string[] = [];
  if (input === undefined || input === null) return { profiles, errors };
  const entries: unknown[] = Array.isArray(input) ? input : typeof input === 'object' ? [input] : [];
  if (!Array.isArray(input) && typeof input !== 'object') {
    errors.push(`${label}: must be an array of hardware profiles`);
    return { profiles, errors };
  }
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const r = profileSchema.safeParse(entry);
    if (!r.success) {
      const msgs = new Set<string>();
      for (const issue of r.error.issues) {
        const missing = issue.path.length > 0 && valueAt(entry, issue.path) === undefined;
        msgs.add(`${formatPath(label, i, issue.path)}: ${missing ? 'is required' : issue.message}`);
      }
      errors.push(...msgs);
      return;
    }
    const v = r.data;
    if (seen.has(v.id)) {
      errors.push(`${label}[${i}].id: duplicate id "${v.id}" (the first entry is kept)`);
      return;
    }
    seen.add(v.id);
    const peakFlops: HardwareProfile['peakFlops'] = {};
    for (const [k, val] of Object.entries(v.peakFlops)) if (isPositiveNumber(val)) peakFlops[k as Dtype] = val;
    const price = v.price
      ? { usdPerHour: v.price.usdPerHour, date: v.price.date ?? 'unknown', source: v.price.source ?? label }
      : v.pricePerHour !== undefined
        ? { usdPerHour: v.pricePerHour, date: 'unknown', source: label }
        : undefined;
    const p: HardwareProfile = {
      id: v.id,
      name: v.name ?? v.id,
      kind: v.kind,
      tier: v.tier ?? 'custom',
      peakFlops,
      memoryBandwidth: v.memoryBandwidth,
      memoryBytes: v.memoryBytes,
      sources: v.sources ?? [label],
    };
    if (v.hostLinkBandwidth !== undefined) p.hostLinkBandwidth = v.hostLinkBandwidth;
    if (v.scaleUpBandwidth !== undefined) p.scaleUpBandwidth = v.scaleUpBandwidth;
    if (v.scaleOutBandwidth !== undefined) p.scaleOutBandwidth = v.scaleOutBandwidth;
    if (v.devicesPerNode !== undefined) p.devicesPerNode = v.devicesPerNode;
    if (v.tdpWatts !== undefined) p.tdpWatts = v.tdpWatts;
    if (price) p.price = price;
    if (v.launchOverheadSeconds !== undefined) p.launchOverheadSeconds = v.launchOverheadSeconds;
    if (v.cores !== undefined) p.cores = v.cores;
    if (v.notes) p.notes = v.notes;
    profiles.push(p);
  });
  return { profiles, errors };
}
