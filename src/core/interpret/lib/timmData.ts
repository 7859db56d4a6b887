/**
 * timm's data and schedule factories, as its train.py / validate.py call them (pytorch-image-models, timm/data and
 * timm/scheduler):
 * - `create_dataset(name, root, split)`: a torchvision/HF dataset named `torch/<name>` / `hfds/<name>`, else an image
 *   folder at `root` (a folder named after a catalog dataset gives its split size). With neither a known name nor a
 *   known folder, ImageNet-1k is assumed, as timm's defaults are ImageNet's (1,000 classes, 224×224): stated.
 * - `create_loader(dataset, input_size, batch_size, is_training)`: a DataLoader over it; the training loader drops the
 *   last partial batch (timm loader.py: `drop_last=is_training`), samples are `input_size` images.
 * - `scheduler_kwargs(args)` / `create_scheduler_v2(optimizer, num_epochs, cooldown_epochs, …)`: the scheduler and the
 *   epochs it runs, `num_epochs + cooldown_epochs` (timm scheduler_factory.py), which train.py's epoch loop ranges over.
 */
import type { Loc } from '../../types';
import { datasetFromPath, findDataset } from '../../data/datasets';
import { UNKNOWN, isKind, isNum, isSeq, tensor, tuple } from '../values';
import type { Value, ObjValue } from '../values';
import type { Route } from './dispatch';
import type { Library } from './library';
import { dictOf, fmt } from './util';

const IMAGENET = 'imagenet';
/** timm's default input size (timm/data/constants.py DEFAULT_CROP_SIZE: 224). */
const DEFAULT_INPUT: [number, number, number] = [3, 224, 224];

const isEvalSplit = (split: Value | undefined): boolean => typeof split === 'string' && /^(val|valid|validation|test|eval)/i.test(split);

function createDataset(lib: Library, name: Value | undefined, root: Value | undefined, split: Value | undefined, loc?: Loc): ObjValue {
  const evalSplit = isEvalSplit(split);
  const named = typeof name === 'string' && name ? findDataset(name.replace(/^(torch|hfds|hfids|tfds|wds)\//i, '')) : undefined;
  const folder = !named && typeof root === 'string' ? datasetFromPath(root) : undefined;
  const info = named ?? folder?.info ?? findDataset(IMAGENET)!;
  const train = folder ? folder.train && !evalSplit : !evalSplit;
  const size = train ? info.train : info.test ?? info.train;
  if (!named && !folder) {
    lib.cx.problem('info', 'dataset', `timm create_dataset(${typeof name === 'string' && name ? `'${name}'` : 'no dataset name'}, root=${typeof root === 'string' ? `'${root}'` : 'a folder given at run time'}): the dataset is not visible statically; ${info.name} is assumed, as timm's defaults are ImageNet's (1,000 classes, 224×224), ${train ? 'training' : 'evaluation'} split of ${fmt(size)} images (${info.source}). Add \`# floplens: dataset=<name>\` or \`dataset_size=N\`.`, loc);
  }
  const ds = lib.obj('dataset', [['name', info.name], ['size', size], ['classes', info.classes ?? UNKNOWN]], loc);
  lib.flags.datasets.push(ds);
  return ds;
}

function createLoader(lib: Library, ds: Value | undefined, kw: Map<string, Value>, loc?: Loc): ObjValue {
  const given = kw.get('input_size');
  const input = isSeq(given) && given.items.length === 3 && given.items.every(isNum) ? given.items as number[] : DEFAULT_INPUT;
  const bs = lib.cx.directives.batch?.value ?? kw.get('batch_size') ?? 1;
  const training = kw.get('is_training') === true;
  let dataset = ds ?? UNKNOWN;
  if (isKind(dataset, 'obj') && dataset.type === 'dataset' && !dataset.attrs.has('sample')) {
    dataset = { ...dataset, id: lib.cx.id(), attrs: new Map([...dataset.attrs, ['sample', tuple([tensor(input, 'fp32'), tensor([], 'int8')])]]) };
  }
  const l = lib.obj('loader', [['dataset', dataset], ['batch_size', isNum(bs) ? bs : UNKNOWN], ['drop_last', training], ['collate', false]], loc);
  lib.flags.loaders.push(l);
  return l;
}

export const ROUTES: Route[] = [
  {
    exact: ['timm.data.create_dataset', 'timm.data.dataset_factory.create_dataset'],
    handler: (lib, { pos, kw, loc }) => createDataset(lib, kw.get('name') ?? pos[0], kw.get('root') ?? pos[1], kw.get('split') ?? pos[2], loc),
  },
  {
    exact: ['timm.data.create_loader', 'timm.data.loader.create_loader'],
    handler: (lib, { pos, kw, loc }) => createLoader(lib, pos[0] ?? kw.get('dataset'), kw, loc),
  },
  {
    // The schedule settings train.py passes on: the epochs and the cooldown after them (argparse --epochs, --cooldown-epochs).
    exact: ['timm.scheduler.scheduler_kwargs', 'timm.scheduler.scheduler_factory.scheduler_kwargs'],
    handler: (lib, { pos, kw }) => {
      const cfg = pos[0] ?? kw.get('cfg');
      const get = (k: string): Value => lib.getAttr(cfg ?? UNKNOWN, k);
      return dictOf([['num_epochs', get('epochs')], ['cooldown_epochs', isNum(get('cooldown_epochs')) ? get('cooldown_epochs') : 0]]);
    },
  },
  {
    exact: ['timm.scheduler.create_scheduler_v2', 'timm.scheduler.scheduler_factory.create_scheduler_v2'],
    handler: (lib, { kw, loc }) => {
      const n = kw.get('num_epochs') ?? 300;
      const cool = kw.get('cooldown_epochs') ?? 0;
      return tuple([lib.obj('namespace', [], loc), isNum(n) && isNum(cool) ? n + cool : UNKNOWN]);
    },
  },
];
