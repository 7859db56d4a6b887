/**
 * timm's Dual Path Networks (timm dpn.py: `dpn92`, `dpn98`, `dpn107`, `dpn131`; Chen et al. 2017 Table 1). The
 * dpn92 count is measured: 37,668,392, what timm's own dpn92 gives (corpus c-timm-validate, run under PyTorch); the
 * others are the sums of their layers by the same rules (not separately measured). MACs: the paper's Table 1 GFLOPs
 * (multiply-adds at 224×224).
 */
import type { ArchConfig, CatalogEntry } from '../types';

const DPN = (initFeatures: number, kR: number, groups: number, kSec: number[], incSec: number[]): ArchConfig =>
  ({ kind: 'dpn', initFeatures, kR, groups, kSec, incSec, classes: 1000 });

export const DPN_CATALOG: CatalogEntry[] = ([
  ['dpn92', 'DPN-92', DPN(64, 96, 32, [3, 4, 20, 3], [16, 32, 24, 128]), 37_668_392, 6.5],
  ['dpn98', 'DPN-98', DPN(96, 160, 40, [3, 6, 20, 3], [16, 32, 32, 128]), 61_570_728, 11.7],
  ['dpn107', 'DPN-107', DPN(128, 200, 50, [4, 8, 20, 3], [20, 64, 64, 128]), 86_917_800, 18.3],
  ['dpn131', 'DPN-131', DPN(128, 160, 40, [4, 8, 28, 3], [16, 32, 32, 128]), 79_254_504, 16.0],
] as const).map(([fn, name, arch, total, gmacs]): CatalogEntry => ({
  id: `timm/${fn}`, name, family: 'DPN', task: 'image-classification', arch,
  aliases: { timm: [fn, `${fn}.mx_in1k`], hf: [`timm/${fn}.mx_in1k`] },
  configSource: `timm dpn.py ${fn}: num_init_features, k_r, groups, k_sec, inc_sec as in the DPN paper (arXiv:1707.01629) Table 1`,
  published: { total, exact: fn === 'dpn92', source: fn === 'dpn92' ? 'timm dpn92 measured under PyTorch: 37,668,392 parameters (corpus/manifest/c.json c-timm-validate)' : `timm dpn.py ${fn}: the sum of its layers' parameters at this config (${total.toLocaleString('en-US')})` },
  publishedMacs: { macs: gmacs * 1e9, imageSize: 224, source: `DPN paper (arXiv:1707.01629) Table 1: ${name} ${gmacs} GFLOPs (multiply-adds) at 224×224` },
  defaults: { imageSize: 224 },
}));
