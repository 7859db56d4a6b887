/**
 * A script's own Dataset class linked to a well-known dataset of the catalog: by its name (`CarvanaDataset`,
 * `CelebADataset`, `class Cityscapes(Dataset)`) or by a folder path it was given that names one
 * (`ImageDataset('data/celeba/train')`). Images it opens in `__getitem__` then have the catalog's image size (lib/pil.ts)
 * and, when its `__len__` counts files FlopLens cannot list, its size is the catalog's training split, stated.
 */
import { datasetFromPath, findDataset } from '../../data/datasets';
import type { DatasetInfo } from '../../data/datasets';
import { isKind } from '../values';
import type { ClassValue, InstValue } from '../values';
import type { Library } from './library';

/** Words that name a kind of dataset, not a dataset (`ImageDataset`, `TextDataset`): never linked by name. */
const GENERIC = /^(image|images|img|text|custom|basic|base|my|train|test|val|seg|segmentation|paired|pair|folder|audio|video|simple|generic|data|default|abstract|)$/i;

function byName(cls: ClassValue, seen = new Set<ClassValue>()): DatasetInfo | undefined {
  if (seen.has(cls)) return undefined;
  seen.add(cls);
  const stem = cls.name.replace(/_?(dataset|data|loader)$/i, '');
  const own = GENERIC.test(stem) ? undefined : findDataset(stem);
  if (own) return own;
  for (const b of cls.bases) if (isKind(b, 'class')) { const r = byName(b, seen); if (r) return r; }
  return undefined;
}

/** The catalog dataset a script Dataset instance reads, and how that was decided. */
export function linkedDataset(inst: InstValue): { info: DatasetInfo; why: string } | undefined {
  const named = byName(inst.cls);
  if (named) return { info: named, why: `its class name ${inst.cls.name}` };
  for (const [k, v] of inst.attrs) {
    const found = typeof v === 'string' ? datasetFromPath(v) : undefined;
    if (found) return { info: found.info, why: `its folder ${JSON.stringify(v)} (self.${k})` };
  }
  return undefined;
}

/** The analyses (one Library each) that have stated each linked dataset's size, by class name. */
const SAID = new WeakMap<Library, Set<string>>();

/**
 * `len(ds)` of a script Dataset whose `__len__` counts files FlopLens cannot list, linked to a catalog dataset: its
 * training split, stated once per class.
 */
export function linkedLen(lib: Library, inst: InstValue): number | undefined {
  const link = linkedDataset(inst);
  if (!link) return undefined;
  const { info, why } = link;
  const said = SAID.get(lib) ?? new Set<string>();
  SAID.set(lib, said);
  if (!said.has(inst.cls.name)) {
    said.add(inst.cls.name);
    const img = info.shape.length === 3 ? ` of ${info.shape[2]}×${info.shape[1]}` : '';
    lib.cx.problem('info', 'dataset-linked', `${inst.cls.name} reads ${info.name} (${why}): ${info.train.toLocaleString('en-US')} training samples${img}, from the dataset catalog (${info.source}). Add \`# floplens: dataset=N\` if the folder holds another number.`, inst.cls.loc);
  }
  return info.train;
}
