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
import type { Loc } from '../../types';

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

/** The catalog datasets each analysis (one Library) has linked a script Dataset to, in order. */
const LINKED = new WeakMap<Library, DatasetInfo[]>();

/**
 * The width of a classifier head sized from the data (`num_classes=len(label_to_id)` over a folder listing FlopLens
 * cannot read), for `what` (the model's name): the `classes=` directive, else the class count of the one catalog
 * dataset this run reads (a library dataset, or a script Dataset linked to one), stated; else undefined, and the
 * published head stays, stated with the directive that sets it.
 */
export function dataClasses(lib: Library, what: string, loc?: Loc): number | undefined {
  const d = lib.cx.directives.classes?.value;
  if (d !== undefined) return d;
  const infos = [...(LINKED.get(lib) ?? []), ...lib.flags.datasets.map((ds) => findDataset(String(ds.attrs.get('name') ?? ''))).filter((x): x is DatasetInfo => x !== undefined)];
  const counts = [...new Set(infos.filter((i) => i.classes !== undefined).map((i) => i.classes!))];
  if (counts.length === 1) {
    const info = infos.find((i) => i.classes === counts[0])!;
    lib.cx.problem('info', 'data-dependent', `The classifier head of ${what} is sized from the data (its labels are read from files FlopLens does not list): taken as the ${counts[0]} classes of ${info.name}, the dataset this run reads (dataset catalog). Add \`# floplens: classes=N\` if the data holds another number.`, loc);
    return counts[0];
  }
  lib.cx.problem('warning', 'data-dependent', `The classifier head of ${what} is sized from the data (its labels are read from files FlopLens does not list), which no dataset FlopLens knows decides: its published head is kept. Add \`# floplens: classes=N\` with the number of classes.`, loc);
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
  const linked = LINKED.get(lib) ?? [];
  if (!linked.includes(info)) linked.push(info);
  LINKED.set(lib, linked);
  const said = SAID.get(lib) ?? new Set<string>();
  SAID.set(lib, said);
  if (!said.has(inst.cls.name)) {
    said.add(inst.cls.name);
    const img = info.shape.length === 3 ? ` of ${info.shape[2]}×${info.shape[1]}` : '';
    lib.cx.problem('info', 'dataset-linked', `${inst.cls.name} reads ${info.name} (${why}): ${info.train.toLocaleString('en-US')} training samples${img}, from the dataset catalog (${info.source}). Add \`# floplens: dataset=N\` if the folder holds another number.`, inst.cls.loc);
  }
  return info.train;
}
