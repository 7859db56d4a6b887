/**
 * Validation of user-supplied hardware profiles (the `floplens.hardware.custom` setting or a JSON file).
 * Invalid entries are reported and dropped; nothing invalid reaches the projection. Never throws.
 */
import * as z from 'zod/mini';
import type { Dtype } from '../types';
import type { HardwareProfile } from './types';
import { HARDWARE } from './catalog';

const DTYPES: readonly Dtype[] = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'fp4', 'int8', 'int4'];
const TIERS = ['laptop', 'desktop', 'server', 'consumer-gpu', 'datacenter-gpu', 'apple-gpu', 'this-machine', 'custom'] as const;

/** Most custom profiles taken from one source, and most errors listed for it. */
export const MAX_CUSTOM_PROFILES = 64;
export const MAX_PROFILE_ERRORS = 20;

/**
 * Physical range of every numeric field of a profile (inclusive), in the profile's units. Wide enough for a
 * phone-class CPU and a rack-scale accelerator; a value outside is a typo or a unit slip, and would project
 * "≈ 0 ms" or "×∞". Peaks are per dtype, per device.
 */
export const HARDWARE_RANGES = {
  peakFlops: { min: 1e9, max: 1e17, unit: 'FLOP/s', label: '1 GFLOP/s to 100 PFLOP/s' },
  memoryBandwidth: { min: 1e9, max: 1e14, unit: 'bytes/s', label: '1 GB/s to 100 TB/s' },
  memoryBytes: { min: 1e9, max: 1e14, unit: 'bytes', label: '1 GB to 100 TB' },
  hostLinkBandwidth: { min: 1e8, max: 1e14, unit: 'bytes/s', label: '0.1 GB/s to 100 TB/s' },
  scaleUpBandwidth: { min: 1e9, max: 1e14, unit: 'bytes/s', label: '1 GB/s to 100 TB/s' },
  scaleOutBandwidth: { min: 1e8, max: 1e14, unit: 'bytes/s', label: '0.1 GB/s to 100 TB/s' },
  cacheBytes: { min: 0, max: 1e12, unit: 'bytes', label: '0 to 1 TB' },
  tdpWatts: { min: 1, max: 1e5, unit: 'W', label: '1 W to 100 kW' },
  usdPerHour: { min: 0, max: 1e4, unit: 'USD/h', label: '$0 to $10,000 per hour' },
  launchOverheadSeconds: { min: 0, max: 1, unit: 's', label: '0 to 1 s' },
  cores: { min: 1, max: 1e5, unit: 'cores', label: '1 to 100,000' },
  devicesPerNode: { min: 1, max: 1024, unit: 'devices', label: '1 to 1,024' },
} as const;

type RangedField = keyof typeof HARDWARE_RANGES;

/** A finite number inside the field's range; the message names the range. */
function ranged(field: RangedField, integer = false) {
  const r = HARDWARE_RANGES[field];
  const msg = `must be a ${integer ? 'whole ' : ''}number from ${r.label} (${r.unit})`;
  return (integer ? z.int({ error: msg }) : z.number({ error: msg })).check(z.minimum(r.min, { error: msg }), z.maximum(r.max, { error: msg }));
}
const text = z.string({ error: 'must be a string' }).check(z.maxLength(2000, { error: 'must be at most 2,000 characters' }));

const priceSchema = z.object({
  usdPerHour: ranged('usdPerHour'),
  date: z.optional(text),
  source: z.optional(text),
}, { error: 'must be an object { usdPerHour, date, source }' });

const isPeak = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= HARDWARE_RANGES.peakFlops.min && v <= HARDWARE_RANGES.peakFlops.max;

const peakSchema = z.record(z.string(), z.unknown(), { error: 'must be an object of dense FLOP/s per dtype, e.g. { "fp32": 19.5e12 }' })
  .check(z.superRefine((rec, ctx) => {
    const keys = Object.keys(rec);
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one dtype peak, e.g. { "fp32": 19.5e12 }' });
    for (const k of keys.slice(0, DTYPES.length + 1)) {
      if (!(DTYPES as readonly string[]).includes(k)) {
        ctx.addIssue({ code: 'custom', path: [k], message: `unknown dtype (use ${DTYPES.join(', ')})` });
      } else if (!isPeak(rec[k])) {
        ctx.addIssue({ code: 'custom', path: [k], message: `must be a number from ${HARDWARE_RANGES.peakFlops.label} (dense FLOP/s)` });
      }
    }
  }));

const profileSchema = z.object({
  id: text.check(z.maxLength(64, { error: 'must be at most 64 characters' }), z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'must be a non-empty id of letters, digits, ".", "_" or "-"' })),
  name: z.optional(text.check(z.minLength(1, { error: 'must be a non-empty string' }), z.maxLength(200, { error: 'must be at most 200 characters' }))),
  kind: z.enum(['cpu', 'gpu'], { error: 'must be "cpu" or "gpu"' }),
  tier: z.optional(z.enum(TIERS, { error: `must be one of ${TIERS.join(', ')}` })),
  peakFlops: peakSchema,
  memoryBandwidth: ranged('memoryBandwidth'),
  memoryBytes: ranged('memoryBytes'),
  hostLinkBandwidth: z.optional(ranged('hostLinkBandwidth')),
  scaleUpBandwidth: z.optional(ranged('scaleUpBandwidth')),
  scaleOutBandwidth: z.optional(ranged('scaleOutBandwidth')),
  cacheBytes: z.optional(ranged('cacheBytes')),
  devicesPerNode: z.optional(ranged('devicesPerNode', true)),
  tdpWatts: z.optional(ranged('tdpWatts')),
  /** Shorthand accepted from settings: USD per device-hour. */
  pricePerHour: z.optional(ranged('usdPerHour')),
  price: z.optional(priceSchema),
  launchOverheadSeconds: z.optional(ranged('launchOverheadSeconds')),
  cores: z.optional(ranged('cores', true)),
  sources: z.optional(z.array(text, { error: 'must be an array of strings' }).check(z.maxLength(32, { error: 'must list at most 32 sources' }))),
  notes: z.optional(z.array(text, { error: 'must be an array of strings' }).check(z.maxLength(32, { error: 'must list at most 32 notes' }))),
}, { error: 'must be an object' });

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, p)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}


/** Ids a custom profile may not take: the catalog's and the measured profile's. */
const RESERVED_IDS: ReadonlySet<string> = new Set([...HARDWARE.map((h) => h.id), 'this-machine']);

/**
 * Problems of one profile that is about to be projected on (catalog, custom, this-machine or one a host
 * hands to `analyze`): one message per bad field, naming it and its allowed range. Empty when usable.
 */
export function hardwareProfileErrors(p: unknown, label = 'hardware'): string[] {
  const r = profileSchema.safeParse(p);
  if (r.success) return [];
  const out: string[] = [];
  for (const issue of r.error.issues.slice(0, MAX_PROFILE_ERRORS)) {
    const missing = issue.path.length > 0 && valueAt(p, issue.path) === undefined;
    let s = label;
    for (const k of issue.path) s += typeof k === 'number' ? `[${k}]` : `.${String(k)}`;
    const line = `${s}: ${missing ? 'is required' : issue.message}`;
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

/**
 * Validates custom hardware profiles. `input` should be an array of profile objects (a single object is
 * accepted as a one-element array). Returns the valid profiles (with defaults filled in: name = id,
 * tier = `custom`, sources = [`<label>`]) and one error per problem, naming the entry and field:
 * `custom[1].memoryBandwidth: must be a number from 1 GB/s to 100 TB/s`. An entry with any error is dropped
 * whole. Duplicate ids keep the first entry; a catalog id (or `this-machine`) is refused. At most
 * MAX_CUSTOM_PROFILES entries are read and MAX_PROFILE_ERRORS errors listed (plus one line counting the rest).
 */
export function validateHardwareProfiles(input: unknown, label = 'custom', opts: { allowReservedIds?: boolean } = {}): { profiles: HardwareProfile[]; errors: string[] } {
  const profiles: HardwareProfile[] = [];
  const errors: string[] = [];
  let unlisted = 0;
  const fail = (msg: string) => { if (errors.length < MAX_PROFILE_ERRORS) errors.push(msg); else unlisted++; };
  if (input === undefined || input === null) return { profiles, errors };
  if (!Array.isArray(input) && typeof input !== 'object') {
    errors.push(`${label}: must be an array of hardware profiles`);
    return { profiles, errors };
  }
  const all: unknown[] = Array.isArray(input) ? input : [input];
  if (all.length > MAX_CUSTOM_PROFILES) {
    errors.push(`${label}: ${all.length.toLocaleString('en-US')} profiles; only the first ${MAX_CUSTOM_PROFILES} are read`);
  }
  const entries = all.slice(0, MAX_CUSTOM_PROFILES);
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const r = profileSchema.safeParse(entry);
    if (!r.success) {
      for (const m of hardwareProfileErrors(entry, `${label}[${i}]`)) fail(m);
      return;
    }
    const v = r.data;
    if (!opts.allowReservedIds && RESERVED_IDS.has(v.id)) {
      fail(`${label}[${i}].id: "${v.id}" is a built-in hardware id; give the custom profile its own id (e.g. "${v.id}-custom")`);
      return;
    }
    if (seen.has(v.id)) {
      fail(`${label}[${i}].id: duplicate id "${v.id}" (the first entry is kept)`);
      return;
    }
    seen.add(v.id);
    const peakFlops: HardwareProfile['peakFlops'] = {};
    for (const [k, val] of Object.entries(v.peakFlops)) if (isPeak(val)) peakFlops[k as Dtype] = val;
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
    if (v.cacheBytes !== undefined) p.cacheBytes = v.cacheBytes;
    if (v.devicesPerNode !== undefined) p.devicesPerNode = v.devicesPerNode;
    if (v.tdpWatts !== undefined) p.tdpWatts = v.tdpWatts;
    if (price) p.price = price;
    if (v.launchOverheadSeconds !== undefined) p.launchOverheadSeconds = v.launchOverheadSeconds;
    if (v.cores !== undefined) p.cores = v.cores;
    if (v.notes) p.notes = v.notes;
    profiles.push(p);
  });
  if (unlisted > 0) errors.push(`${label}: ${unlisted.toLocaleString('en-US')} more errors not listed`);
  return { profiles, errors };
}
