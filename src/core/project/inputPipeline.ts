/**
 * Host CPU cost of one image through a torchvision input pipeline, by the script's own transform list.
 *
 * MEASURED by `bench/input_pipeline.py` (torch 1.13, torchvision 0.14, PIL 9.4, one thread of the development Xeon VM,
 * process CPU time, synthetic images): per transform, a fixed part plus a part per element, fitted from a 3×32×32
 * (CIFAR) and a 3×224×224 (ImageNet crop) image where both were timed:
 *
 *   transform                          32×32      224×224 (from a 500×375 JPEG)
 *   PIL image from a uint8 array       5 µs       —
 *   JPEG decode (68 kB, 500×375)       —          1.10 ms
 *   RandomCrop(32, padding=4)          28 µs      —
 *   RandomResizedCrop(224)             —          0.68 ms   (resampling reads the source)
 *   Resize(256)                        —          1.32 ms   (CenterCrop after it ≈ 0)
 *   RandomHorizontalFlip               12 µs      45 µs
 *   ColorJitter(0.4, 0.4, 0.4)         —          1.02 ms
 *   ToTensor                           21 µs      181 µs
 *   Normalize                          23 µs      137 µs
 *   indexing + collate per sample      32 µs
 *   the CIFAR training pipeline through a DataLoader: 143 µs per image (≈ 7,000 images/s per worker)
 *
 * Resizing transforms and the decode scale with the SOURCE image (the stored sample for arrays; for decoded files the
 * ImageNet mean of 500×375, as the analysis only sees the tensor after the transforms); the others with the sample
 * the transform writes. Transforms not measured (AutoAugment, RandAugment, a lambda, the script's own callable) are
 * costed like ColorJitter, said in the note. Real hosts differ (clock, PIL-SIMD, contention): the band is ×0.5–×2.
 */
import type { Band, RunSpec } from '../types';

/** Fixed seconds and seconds per element of one transform kind; `source`: scales with the source image. */
interface TransformCost { fixed: number; perElement: number; source?: boolean }

const COSTS: Record<string, TransformCost> = {
  // Crops without resampling: padding and a copy of the window (RandomCrop(32, padding=4) 28 µs at 3×32×32).
  RandomCrop: { fixed: 25e-6, perElement: 1e-9 },
  CenterCrop: { fixed: 5e-6, perElement: 0.2e-9 },
  FiveCrop: { fixed: 25e-6, perElement: 1e-9 },
  // Resampling crops and resizes read the source image: Resize(256) of 500×375×3 in 1.32 ms = 2.35 ns per source
  // element; RandomResizedCrop(224) crops ≈ half the area first, 0.68 ms = 1.2 ns per source element.
  Resize: { fixed: 10e-6, perElement: 2.35e-9, source: true },
  RandomResizedCrop: { fixed: 10e-6, perElement: 1.2e-9, source: true },
  // Flip: 12 µs at 3,072 elements, 45 µs at 150,528: 11 µs + 0.22 ns per element.
  RandomHorizontalFlip: { fixed: 11e-6, perElement: 0.22e-9 },
  RandomVerticalFlip: { fixed: 11e-6, perElement: 0.22e-9 },
  // ToTensor 21 / 181 µs; PILToTensor skips the float division (taken at half the per-element part).
  ToTensor: { fixed: 17e-6, perElement: 1.09e-9 },
  PILToTensor: { fixed: 10e-6, perElement: 0.5e-9 },
  ConvertImageDtype: { fixed: 10e-6, perElement: 0.6e-9 },
  // Normalize 23 / 137 µs.
  Normalize: { fixed: 20e-6, perElement: 0.78e-9 },
  // ColorJitter(0.4, 0.4, 0.4) at 3×224×224: 1.02 ms (three PIL enhancement passes).
  ColorJitter: { fixed: 20e-6, perElement: 6.6e-9 },
  Grayscale: { fixed: 10e-6, perElement: 0.5e-9 },
  RandomGrayscale: { fixed: 10e-6, perElement: 0.3e-9 },
  // Lambda/ToPILImage-style glue: a Python call and a copy.
  ToPILImage: { fixed: 10e-6, perElement: 0.5e-9 },
  Lambda: { fixed: 5e-6, perElement: 0.5e-9 },
};
/** Not measured (AutoAugment, RandAugment, GaussianBlur, the script's own callable): costed like ColorJitter. */
const UNKNOWN_COST: TransformCost = COSTS.ColorJitter;
/** Dataset step per sample: indexing and collate (32 µs), the PIL image from an array (5 µs). */
const INDEX_COLLATE_SECONDS = 32e-6;
const FROM_ARRAY_SECONDS = 5e-6;
/** JPEG decode: 1.10 ms for the ImageNet mean image (500×375×3 = 562,500 elements), ≈ 1.95 ns per element. */
const DECODE_SECONDS_PER_ELEMENT = 1.1e-3 / 562_500;
/** Elements of a decoded photo when only the transformed tensor is known: the ImageNet mean, 500×375×3. */
const PHOTO_SOURCE_ELEMENTS = 562_500;
const BAND: Band = { low: 0.5, mid: 1, high: 2 };

/** Per-image host seconds by band for `run`'s transform list and a sample of `elements` (C·H·W after the transforms). */
export function transformSeconds(run: Pick<RunSpec, 'inputTransforms' | 'inputDecode'>, elements: number): { perSample: Band; unmeasured: string[] } | undefined {
  const kinds = run.inputTransforms;
  if (!kinds || kinds.length === 0 || !(elements > 0)) return undefined;
  const source = run.inputDecode ? Math.max(elements, PHOTO_SOURCE_ELEMENTS) : elements;
  let t = INDEX_COLLATE_SECONDS + (run.inputDecode ? source * DECODE_SECONDS_PER_ELEMENT : FROM_ARRAY_SECONDS);
  const unmeasured: string[] = [];
  for (const k of kinds) {
    const c = COSTS[k];
    if (!c && !unmeasured.includes(k)) unmeasured.push(k);
    const cost = c ?? UNKNOWN_COST;
    t += cost.fixed + cost.perElement * (cost.source ? source : elements);
  }
  return { perSample: { low: t * BAND.low, mid: t, high: t * BAND.high }, unmeasured };
}

/** The transform list as the note shows it (`decode → RandomResizedCrop → … → Normalize`). */
export function pipelineText(run: Pick<RunSpec, 'inputTransforms' | 'inputDecode'>): string {
  const kinds = (run.inputTransforms ?? []).map((k) => (k === '?' ? 'a custom transform' : k));
  return [...(run.inputDecode ? ['decode'] : []), ...kinds].join(' → ');
}
