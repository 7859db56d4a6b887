/**
 * Analysis stage: an inference workload costed as a service. Reads the traffic directives (`rate=`,
 * `requests=`, `items=`, `latency=`, `ttft=`, `tpot=`, `quant=`, `kv_dtype=`) by the one rule, lists them as
 * assumptions, and runs the serving model on the devices the projection compared.
 */
import type { Analysis, Dtype, Projection, Workload } from '../types';
import type { HardwareProfile } from '../hardware/types';
import { getHardware } from '../hardware';
import { assume, resolve, type Ctx } from '../analyze/resolve';
import { DEFAULT_RATE, serveWorkload, servingKindOf, type ServeTraffic } from './index';
import { parseDuration, parseRate, SECONDS_PER_MONTH } from './traffic';
import type { ServingTarget } from './types';

/** Stored bytes per weight: int4 (GPTQ/AWQ/bnb) and fp4 (NVFP4: 4 bits + an fp8 scale per 16 values) ≈ 4.5 bits. */
const QUANT_BYTES: Record<string, number | undefined> = { int8: 1, fp8: 1, int4: 0.5625, fp4: 0.5625, none: undefined };

/** The serving figures for `workload`, or undefined for training (and then the traffic keys stay unapplied). */
export function servingStage(ctx: Ctx, workload: Workload, projections: readonly Projection[]): Analysis['serving'] {
  const kind = servingKindOf(workload);
  if (!kind) return undefined;
  const hardware = projections.map((p) => profileOf(ctx, p.hardwareId)).filter((h): h is HardwareProfile => !!h);
  if (hardware.length === 0) return undefined;
  const use = ctx.directives;
  const bad = (key: string, raw: string, what: string) => {
    ctx.problems.push({ severity: 'warning', code: 'directive', message: `${key}=${raw}: expected ${what}; the default is used.`, loc: use.all[key as 'rate']?.loc });
    return undefined;
  };
  const rateEntry = use.all.rate;
  const rate = resolve<'rate', number>(use, 'rate', {
    fromDirective: (v) => parseRate(v) ?? bad('rate', v, 'a request rate such as 20, 20/s, 1200/min or 50k/day'),
    note: 'request rate', loc: rateEntry?.loc,
    derived: [{ value: use.all.requests ? Number(use.all.requests.value) / SECONDS_PER_MONTH : undefined, source: use.all.requests?.source ?? 'directive', key: 'requests', note: `requests=${use.all.requests?.raw ?? ''} per month`, loc: use.all.requests?.loc }],
    fallback: { value: DEFAULT_RATE, source: 'default', note: 'no rate given: add # floplens: rate=20/s (or requests=N per month)' },
  })!;
  assume(ctx, 'rate', rate, 'req/s');
  const items = kind === 'llm' ? { value: 1 } : resolve(use, 'items', { fallback: { value: 1, source: 'default', note: kind === 'diffusion' ? 'images per request' : 'items per request' } })!;
  if ('source' in items) assume(ctx, 'items', items, kind === 'diffusion' ? 'images/request' : 'items/request');
  const target: ServingTarget = {};
  const dur = (key: 'latency' | 'ttft' | 'tpot', field: keyof ServingTarget) => {
    const r = resolve<typeof key, number>(use, key, { fromDirective: (v) => parseDuration(v) ?? bad(key, v, 'a duration such as 1s or 200ms') });
    if (r) {
      target[field] = r.value;
      assume(ctx, key, r, 's');
    }
  };
  dur('latency', 'requestSeconds');
  if (kind === 'llm') {
    dur('ttft', 'firstTokenSeconds');
    dur('tpot', 'perTokenSeconds');
  }
  const quant = resolve(use, 'quant', {});
  const kv = kind === 'llm' ? resolve(use, 'kv_dtype', {}) : undefined;
  const traffic: ServeTraffic = {
    rate: { value: rate.value, unit: 'req/s', source: rate.source, ...(rate.note ? { note: rate.note } : {}) },
    itemsPerRequest: Math.max(1, Math.round(items.value)),
    target,
    runtime: workload.run.runtime ?? 'eager',
  };
  const qb = quant ? QUANT_BYTES[quant.value] : undefined;
  if (qb !== undefined && quant) {
    traffic.weightBytesPerParam = qb;
    traffic.quantDtype = quant.value as Dtype;
  }
  if (kv) traffic.kvDtype = kv.value as Dtype;
  try {
    const batch = Math.max(1, kind === 'diffusion' ? workload.run.itemsPerStep || workload.run.batch : workload.run.batch);
    const anchors = new Map(projections.map((p) => [p.hardwareId, { seconds: p.stepSeconds.mid, devices: p.devicesUsed, batch }]));
    return serveWorkload(workload, hardware, traffic, { anchors, computeEfficiency: ctx.settings.computeEfficiency, memoryEfficiency: ctx.settings.memoryEfficiency });
  } catch (e) {
    ctx.problems.push({ severity: 'warning', code: 'internal', message: `Serving figures failed: ${(e as Error).message}` });
    return undefined;
  }
}

function profileOf(ctx: Ctx, id: string): HardwareProfile | undefined {
  const given = Array.isArray(ctx.input.hardware) ? (ctx.input.hardware as HardwareProfile[]) : [];
  return getHardware(id) ?? given.find((h) => h?.id === id);
}
