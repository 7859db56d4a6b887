/**
 * Data: DataLoader, datasets (torchvision/torchtext/torchaudio/Hugging Face, TensorDataset, the script's own
 * Dataset classes), samplers and splits, padding/packing of sequences, and transforms that size the samples.
 */
import type { Loc } from '../../types';
import { prod } from '../../ops/primitives';
import { datasetFromPath, findDataset, findDatasetConfig } from '../../data/datasets';
import type { DatasetInfo } from '../../data/datasets';
import { UNKNOWN, isKind, isNum, isSeq, isUnknown, isTensorV, tensor, tuple, list, unknown } from '../values';
import { isUnsized, rowsTotal } from '../unsized';
import type { Value, ObjValue, InstValue, DictValue, ListValue } from '../values';
import type { TensorArg } from '../../ops/registry';
import { maxOf } from '../../arrays';
import { NOT_MINE } from './dispatch';
import type { MethodTable, ObjCallTable, Route } from './dispatch';
import type { IterResult } from './builtins';
import type { Library } from './library';
import { dictOf, fmt } from './util';
import { samplerSize } from './crossval';
import { isPilImage, pilChannels, withCatalogImages } from './pil';
import { linkedDataset } from './datasetLink';
import { lengthNamedIn, sampleOfMapped, stackingCollator, tokenSample, tokenizedLength, withTokenizedLength } from './tokenizers';
import type { SeqEvidence } from './hfTrainers';
import { collateUnseen, idRow, padUnseen } from './paddedBatches';
import { resetObservation } from './rl';

/** The stated length of a flat data file (np.memmap) whose size a static reader cannot know: a token file's order of size. */
export const DATA_FILE_ITEMS = 100_000_000;

/** A torchvision dataset sample of a square image of side `tsize` and a class label. */
const imageSample = (tsize: number): Value => tuple([tensor([3, tsize, tsize], 'fp32'), tensor([], 'int8')]);

/** Element type of the legacy typed constructors (`torch.LongTensor`, `torch.cuda.FloatTensor`). */
const TYPED_TENSOR = /^torch\.(?:cuda\.)?(Long|Int|Short|Byte|Char|Bool|Float|Double|Half|BFloat16)Tensor$/;
const TYPED_DTYPE: Record<string, string> = { Long: 'int64', Int: 'int32', Short: 'int16', Byte: 'uint8', Char: 'int8', Bool: 'bool', Float: 'float32', Double: 'float64', Half: 'float16', BFloat16: 'bfloat16' };

export const ROUTES: Route[] = [
  {
    // torch.LongTensor([[a, b] for a, b in pairs]) is torch.tensor(data, dtype=…); torch.FloatTensor(3, 4) an empty tensor of that size.
    pattern: TYPED_TENSOR,
    handler: (lib, { path, pos, loc }) => {
      const dtype: Value = { kind: 'ext', path: `torch.${TYPED_DTYPE[TYPED_TENSOR.exec(path)?.[1] ?? 'Float']}` };
      const kw = new Map<string, Value>([['dtype', dtype]]);
      if (pos.length === 1 && (isSeq(pos[0]) || isTensorV(pos[0]))) return lib.callExternal('torch.tensor', [pos[0]], kw, loc);
      if (pos.length > 0 && pos.every(isNum)) return lib.callExternal('torch.empty', pos, kw, loc);
      return pos.length === 0 ? lib.callExternal('torch.empty', [0], kw, loc) : NOT_MINE;
    },
  },
  {
    // np.memmap / np.fromfile: a flat array of the file's items (nanoGPT's token files). Its length is data; only the
    // index ranges drawn from it depend on it (`torch.randint(len(data) - block_size, …)`), so a stated length stands in.
    exact: ['numpy.memmap', 'np.memmap', 'numpy.fromfile', 'np.fromfile'],
    handler: (lib, { path, pos, kw, loc }) => {
      const file = pos[0] ?? kw.get('filename') ?? kw.get('file');
      const shape = kw.get('shape');
      const dims = isSeq(shape) && shape.items.every(isNum) ? shape.items as number[] : isNum(shape) ? [shape] : undefined;
      const n = DATA_FILE_ITEMS;
      if (!dims) {
        lib.cx.problem('info', 'data-file', `${path}(${typeof file === 'string' ? `'${file}'` : '…'}): FlopLens reads no files, so the array's length is not known; it is taken as a flat array of ${fmt(n)} items. Only index ranges drawn from its length depend on that; slices of a fixed width keep their width.`, loc);
      }
      return lib.callExternal('torch.empty', dims ?? [n], new Map<string, Value>([['dtype', { kind: 'ext', path: 'torch.int64' }]]), loc);
    },
  },
  {
    // torch.cat(idss) of per-line token tensors appended in a loop over a file (word_language_model's Corpus): a flat
    // token stream whose length is data, stated like a token file's. Anything else concatenated from data-many pieces
    // is unknown, never the one piece the loop walked.
    exact: ['torch.cat', 'torch.concat', 'torch.concatenate', 'numpy.concatenate', 'np.concatenate'],
    handler: (lib, { path, pos, kw, loc }) => {
      const seq = pos[0] ?? kw.get('tensors');
      if (!isSeq(seq) || !isUnsized(seq)) return NOT_MINE;
      const item = seq.items[0];
      if (!isTensorV(item) || item.shape.length !== 1) return unknown(`${path} of a list filled in a loop over data (its length is data)`);
      const known = rowsTotal(seq as ListValue); // the lines of a catalog corpus (catalogTexts.ts): its tokens, said there
      if (known !== undefined) return tensor([known], item.dtype);
      lib.cx.problem('info', 'data-file', `${path}(…) of pieces read in a loop over data: FlopLens reads no files, so its length is not known; it is taken as a flat array of ${fmt(DATA_FILE_ITEMS)} items. Only index ranges drawn from its length depend on that.`, loc);
      return tensor([DATA_FILE_ITEMS], item.dtype);
    },
  },
  // torch.autograd.Variable(x, requires_grad=…): the tensor itself since torch 0.4 (`Variable(imgs.type(Tensor))`).
  { exact: ['torch.autograd.Variable', 'torch.autograd.variable.Variable'], handler: (_lib, { pos, kw }) => pos[0] ?? kw.get('data') ?? NOT_MINE },
  // torch.from_numpy(a) / torch.as_tensor(a) of an array the evaluator traced: the same shape.
  { exact: ['torch.from_numpy'], handler: (_lib, { pos }) => { const a = pos[0] && (resetObservation(pos[0]) ?? pos[0]); return isTensorV(a) ? a : NOT_MINE; } },
  // np.eye(n): the identity as a tensor (np.eye(n)[labels] is a one-hot batch).
  { exact: ['numpy.eye', 'np.eye', 'numpy.identity', 'np.identity'], handler: (lib, { pos, kw, loc }) => lib.callExternal('torch.eye', pos, kw, loc) },
  {
    exact: ['torch.utils.data.DataLoader', 'torch.utils.data.dataloader.DataLoader', 'DataLoader'],
    handler: (lib, { pos, kw, loc }) => {
      const given = pos[0] ?? kw.get('dataset') ?? UNKNOWN;
      const ds = isKind(given, 'inst') ? userDataset(lib, given, loc) : listDataset(lib, given, loc) ?? given;
      const bsRaw = kw.has('batch_size') ? kw.get('batch_size') : pos[1];
      const bs = lib.cx.directives.batch?.value ?? (bsRaw === undefined ? 1 : sizeArg(lib, bsRaw, 'DataLoader batch_size', loc));
      const l = lib.obj('loader', [['dataset', ds], ['batch_size', bs ?? UNKNOWN], ['drop_last', kw.get('drop_last') ?? false], ['collate', kw.has('collate_fn') && kw.get('collate_fn') !== null && !stackingCollator(kw.get('collate_fn'))]], loc);
      const collate = kw.get('collate_fn');
      if (isKind(collate, 'func')) l.attrs.set('collateFn', collate);
      if (kw.get('pin_memory') === true) lib.flags.pinMemory = true;
      const workers = kw.get('num_workers') ?? 0;
      if (isNum(workers) && workers >= 0) lib.flags.loaderWorkers = Math.max(lib.flags.loaderWorkers ?? 0, Math.floor(workers));
      if (kw.has('batch_sampler')) l.attrs.set('batch_size', UNKNOWN);
      if (kw.has('sampler')) l.attrs.set('sampler', kw.get('sampler')!);
      lib.flags.loaders.push(l);
      return l;
    },
  },
  {
    exact: ['torch.utils.data.TensorDataset'],
    handler: (lib, { pos, loc }) => {
      const ts = pos.filter(isTensorV);
      if (ts.length === 0) return lib.obj('dataset', [['name', 'TensorDataset'], ['size', UNKNOWN]], loc);
      const ds = lib.obj('dataset', [['name', 'TensorDataset'], ['size', ts[0].shape[0] ?? UNKNOWN], ['sample', tuple(ts.map((t) => tensor(t.shape.slice(1), t.dtype)))]], loc);
      if (ts.length === pos.length) ds.attrs.set('tensors', tuple(ts)); // `ds.tensors[0].shape[1]`, `t.unflatten(0, …) for t in ds.tensors`
      lib.flags.datasets.push(ds);
      return ds;
    },
  },
  { exact: ['torch.utils.data.DistributedSampler', 'torch.utils.data.distributed.DistributedSampler'], handler: (lib, { pos, kw, loc }) => lib.obj('distSampler', [['dataset', pos[0] ?? kw.get('dataset') ?? UNKNOWN]], loc) },
  {
    exact: ['torch.utils.data.random_split'],
    handler: (lib, { pos, loc }) => {
      const ds = isKind(pos[0], 'inst') ? userDataset(lib, pos[0], loc) : pos[0]; // a script Dataset: its __len__ and sample
      const parts = lib.iterate(pos[1]).items ?? [];
      return list(parts.map((n) => {
        if (!isKind(ds, 'obj')) return UNKNOWN;
        const size = ds.attrs.get('size');
        const count = isNum(n) ? (n < 1 && isNum(size) ? Math.floor(n * size) : n) : UNKNOWN;
        return { ...ds, id: lib.cx.id(), attrs: new Map([...ds.attrs, ['size', count]]) } as ObjValue;
      }));
    },
  },
  {
    exact: ['torch.utils.data.Subset'],
    handler: (lib, { pos, loc }) => {
      const ds = isKind(pos[0], 'inst') ? userDataset(lib, pos[0], loc) : pos[0];
      const n = lib.len(pos[1]);
      if (isKind(ds, 'obj')) return { ...ds, id: lib.cx.id(), attrs: new Map([...ds.attrs, ['size', n]]) } as ObjValue;
      return UNKNOWN;
    },
  },
  {
    exact: ['torchvision.datasets.ImageFolder', 'torchvision.datasets.DatasetFolder'],
    handler: (lib, { pos, kw, loc }) => {
      // A folder of image files: every sample is decoded (JPEG/PNG) before its transforms.
      lib.flags.inputDecode = true;
      const tsize = transformSize(lib, kw.get('transform') ?? pos[1]);
      const root = pos[0] ?? kw.get('root');
      const known = typeof root === 'string' ? datasetFromPath(root) : undefined;
      if (known) {
        // A folder of a well-known dataset ('/data/imagenet/train'): its split size from the catalog, said.
        const size = known.train ? known.info.train : known.info.test ?? known.info.train;
        lib.cx.problem('info', 'dataset', `ImageFolder('${root as string}'): the folder '${known.folder}' is read as ${known.info.name}, ${known.train ? 'training' : 'evaluation'} split of ${fmt(size)} images (${known.info.source}). Add \`# floplens: dataset_size=N\` if this copy differs.`, loc);
        const ds = lib.obj('dataset', [['name', known.info.name], ['size', size]], loc);
        ds.attrs.set('sample', imageSample(tsize ?? known.info.shape[1] ?? 224));
        lib.flags.datasets.push(ds);
        return ds;
      }
      const ds = lib.obj('dataset', [['name', 'ImageFolder'], ['size', UNKNOWN]], loc);
      if (tsize) ds.attrs.set('sample', imageSample(tsize));
      lib.cx.problem('info', 'dataset', 'ImageFolder: the number of images is only known at run time. Add `# floplens: dataset_size=N` (or `steps=N`).', loc);
      lib.flags.datasets.push(ds);
      return ds;
    },
  },
  { pattern: /(^|\.)to_map_style_dataset$/, handler: (_lib, { pos }) => pos[0] ?? UNKNOWN },
  {
    exact: ['torch.nn.utils.rnn.pad_sequence'],
    handler: (lib, { pos, kw, loc }) => {
      // [L_i, *] tensors → [B, max L, *] (batch_first) or [max L, B, *]; a copy of the padded batch.
      const items = lib.iterate(pos[0] ?? kw.get('sequences')).items;
      const unseen = items && padUnseen(lib, items, (kw.get('batch_first') ?? pos[1]) === true, loc);
      if (unseen) return unseen;
      if (!items?.length || !items.every(isTensorV)) return UNKNOWN;
      const ts = items as TensorArg[];
      const rest = ts[0].shape.slice(1);
      if (!ts.every((t) => t.shape.length === rest.length + 1 && t.shape.slice(1).every((d, i) => d === rest[i]))) return UNKNOWN;
      const maxLen = maxOf(ts.map((t) => t.shape[0]));
      const bf = (kw.get('batch_first') ?? pos[1]) === true;
      return tensor(bf ? [ts.length, maxLen, ...rest] : [maxLen, ts.length, ...rest], ts[0].dtype, ts.some((t) => t.guessed));
    },
  },
  {
    exact: ['torch.nn.utils.rnn.pack_padded_sequence'],
    handler: (lib, { pos, kw, loc }) => {
      // A PackedSequence holds the real tokens only; their count is data. Costed as the padded batch (an upper bound).
      const x = pos[0] ?? kw.get('input');
      if (!isTensorV(x)) return UNKNOWN;
      lib.cx.problem('info', 'data-dependent', `pack_padded_sequence: the RNN runs over the real lengths only, which are data; costed at the padded length [${x.shape.join(', ')}] (an upper bound).`, loc);
      return x;
    },
  },
  {
    exact: ['torch.nn.utils.rnn.pad_packed_sequence'],
    handler: (_lib, { pos, kw }) => {
      // (padded output, lengths): the time dimension is total_length when given.
      const x = pos[0] ?? kw.get('sequence');
      if (!isTensorV(x) || x.shape.length < 2) return tuple([UNKNOWN, UNKNOWN]);
      const bf = (kw.get('batch_first') ?? pos[1]) === true;
      const total = kw.get('total_length') ?? pos[3];
      const shape = [...x.shape];
      if (isNum(total)) shape[bf ? 1 : 0] = total;
      return tuple([tensor(shape, x.dtype, x.guessed), tensor([shape[bf ? 0 : 1]], 'int8')]);
    },
  },
  {
    exact: ['torchaudio.transforms.Resample'],
    handler: (lib, { pos, kw, loc }) => lib.obj('resample', [['orig', kw.get('orig_freq') ?? pos[0] ?? 16_000], ['new', kw.get('new_freq') ?? pos[1] ?? 16_000]], loc),
  },
  {
    exact: ['datasets.load_dataset'],
    handler: (lib, c) => {
      // `load_dataset('glue', 'sst2')`: the configuration names the dataset when the id is a benchmark suite.
      const given = c.pos[0] ?? c.kw.get('path');
      const config = c.pos[1] ?? c.kw.get('name');
      // `load_dataset("parquet", data_files="hf://datasets/<owner>/<name>@<rev>/<config>/train/…")`: the hub dataset the files are of.
      const hub = typeof given === 'string' && FILE_BUILDERS.test(given) ? hubDataFiles(c.kw.get('data_files')) : undefined;
      const id = hub?.id ?? (typeof given === 'string' ? given : '');
      const info = findDatasetConfig(id, hub?.config ?? (typeof config === 'string' ? config : undefined));
      return knownDataset(lib, c.path, info?.name ?? id, c.kw, c.loc);
    },
  },
  { pattern: /^(torchvision|torchtext|torchaudio)\.datasets\.(\w+)$/, handler: (lib, c) => knownDataset(lib, c.path, c.last, c.kw, c.loc) },
  // torchtext's legacy API: `Multi30k.splits(exts=…, fields=…)` gives (train, validation, test); `BucketIterator.splits(
  // (train, valid, test), batch_size=B)` one batch iterator over each (len = ceil(rows / B)), as DataLoaders are.
  {
    pattern: /^torchtext\.(?:legacy\.)?datasets\.(?:\w+\.)?(\w+)\.splits$/,
    handler: (lib, c) => tuple(['train', 'validation', 'test'].map((split) => knownDataset(lib, c.path.replace(/\.splits$/, ''), /(\w+)\.splits$/.exec(c.path)?.[1] ?? '', new Map([['split', split]]), c.loc))),
  },
  {
    pattern: /^torchtext\.(?:legacy\.)?data\.(?:\w+\.)?(?:Bucket)?Iterator\.splits$/,
    handler: (lib, c) => {
      const sets = c.pos[0] ?? c.kw.get('datasets');
      const sizes = c.kw.get('batch_sizes');
      if (!isSeq(sets)) return NOT_MINE;
      return tuple(sets.items.map((ds, i) => lib.callExternal('torch.utils.data.DataLoader', [ds], new Map([['batch_size', isSeq(sizes) ? sizes.items[i] ?? UNKNOWN : c.kw.get('batch_size') ?? 1]]), c.loc)));
    },
  },
  {
    exact: ['torchvision.transforms.Compose', 'torchvision.transforms.v2.Compose'],
    handler: (lib, { pos, loc }) => {
      const parts = lib.iterate(pos[0]).items ?? [];
      let size: Value = UNKNOWN;
      for (const t of parts) if (isKind(t, 'obj') && t.type === 'transform' && isNum(t.attrs.get('size'))) size = t.attrs.get('size') as Value;
      // The transform classes in order (`?` for a lambda or a script's own callable): the input pipeline's cost.
      const kinds = parts.map((t) => (isKind(t, 'obj') && t.type === 'transform' ? String(t.attrs.get('kinds') ?? '?') : '?')).join(',');
      return lib.obj('transform', [['size', size], ['kinds', kinds]], loc);
    },
  },
  {
    exact: ['Resize', 'CenterCrop', 'RandomResizedCrop', 'RandomCrop'].flatMap((n) => [`torchvision.transforms.${n}`, `torchvision.transforms.v2.${n}`]),
    handler: (lib, { path: p, pos, kw, loc }) => {
      const s = pos[0] ?? kw.get('size');
      const size = isNum(s) ? s : isSeq(s) && isNum(s.items[0]) ? s.items[0] : UNKNOWN;
      return lib.obj('transform', [['size', sizeArg(lib, size, p.replace(/^torchvision\./, ''), loc)], ['kinds', p.split('.').pop()!]], loc);
    },
  },
  { pattern: /^torchvision\.transforms\.(?!(?:v2\.)?functional\.(?:to_tensor|pil_to_tensor|to_image)$)/, handler: (lib, c) => lib.obj('transform', [['kinds', c.last]], c.loc) },
];

/** `datasets` builders that read files rather than naming a dataset. */
const FILE_BUILDERS = /^(parquet|json|csv|text|arrow|imagefolder|audiofolder)$/;

/** The hub dataset (`owner/name`) and configuration folder that `hf://datasets/…` data files belong to, when they say. */
function hubDataFiles(v: Value | undefined): { id: string; config?: string } | undefined {
  const files = typeof v === 'string' ? [v] : isKind(v, 'dict') ? [...v.map.values()] : isSeq(v) ? v.items : [];
  for (const f of files) {
    const m = typeof f === 'string' ? /^hf:\/\/datasets\/([\w.-]+\/[\w.-]+)(?:@(?:refs\/convert\/parquet|refs\/pr\/\d+|[^/]+))?\/(.*)$/.exec(f) : null;
    if (!m) continue;
    const first = m[2].split('/')[0];
    return { id: m[1], config: first && !/[.*]/.test(first) && !/^(data|train|test|validation)$/.test(first) ? first : undefined };
  }
  return undefined;
}

/** A dataset by name: from the dataset table when it is known, else of unknown size (said). */
function knownDataset(lib: Library, p: string, nm: string, kw: Map<string, Value>, loc?: Loc): Value {
  // `load_dataset("imdb", split=["train", "test"])`: one dataset per split named, in order.
  const splitList = kw.get('split');
  if (isSeq(splitList) && splitList.items.length > 0 && splitList.items.every((x) => typeof x === 'string')) {
    return list(splitList.items.map((x) => knownDataset(lib, p, nm, new Map([...kw, ['split', x]]), loc)));
  }
  const info = findDataset(nm);
  if (FILE_IMAGE_DATASETS.test(p)) lib.flags.inputDecode = true;
  const tsize = transformSize(lib, kw.get('transform'));
  if (!info) {
    lib.cx.problem('info', 'dataset', nm ? `Dataset '${nm}' is not in FlopLens's dataset table: its size is unknown. Add \`# floplens: dataset_size=N\` (or \`steps=N\`).`
      : `${p}(…): the dataset's name is not visible statically (a command-line argument?), so its size is unknown. Add \`# floplens: dataset=<hub id>\` or \`dataset_size=N\`.`, loc);
    const ds = lib.obj('dataset', [['name', nm], ['size', UNKNOWN]], loc);
    if (tsize) ds.attrs.set('sample', imageSample(tsize));
    // Still a DatasetDict: `ds["train"]` is a split (of unknown size), not a column.
    if (p === 'datasets.load_dataset' && kw.get('split') === undefined) ds.attrs.set('splits', dictOf([['train', UNKNOWN], ['test', UNKNOWN]]));
    lib.flags.datasets.push(ds);
    return ds;
  }
  const split = kw.get('split');
  const train = kw.get('train') !== false && split !== 'test' && split !== 'val' && split !== 'validation';
  const ds = makeDataset(lib, info, train, loc, tsize);
  // A split the catalog sizes by name (`split='all'`, STL-10's `'unlabeled'`, SVHN's `'extra'`).
  const named = split === 'all' ? info.all : typeof split === 'string' ? info.splits?.[split] : undefined;
  if (named) ds.attrs.set('size', named);
  applyCustomTransform(lib, ds, kw.get('transform'), loc);
  // Hugging Face `load_dataset(name)` without a split is a DatasetDict: `ds["train"]` picks a split's size.
  if (p === 'datasets.load_dataset' && split === undefined) ds.attrs.set('splits', dictOf([['train', info.train], ['test', info.test ?? UNKNOWN]]));
  return ds;
}

/** Moving a transform between devices or modes returns the same transform. */
const sameTransform = (_lib: Library, self: ObjValue, name: string): Value | typeof NOT_MINE => (/^(to|cuda|cpu|eval|train|float|half)$/.test(name) ? self : NOT_MINE);

export const METHODS: MethodTable = {
  resample: sameTransform,
  transform: sameTransform,
  dataset: (lib, self, name, pos, kw, loc) => datasetMethod(lib, self, name, pos, kw, loc),
  // `train_data["label"].unique()`: the catalog's class ids (its length is the class count a classifier head takes).
  labelColumn: (lib, self, name) => (name === 'unique' ? labelIds(lib, self) : NOT_MINE),
  loader: () => UNKNOWN,
};

/** The libraries (one per analysis) that have said how an image read from a file is sized. */
const WARNED_IMAGE_FILE = new WeakSet<Library>();
/** How deep each library is in a script Dataset's `__getitem__` (where an untraced value is one sample, not a batch). */
const IN_GETITEM = new WeakMap<Library, number>();

export const OBJ_CALLS: ObjCallTable = {
  resample: (lib, m, pos) => resample(lib, m, pos[0]),
  transform: (lib, m, pos, _kw, loc) => {
    // A torchvision transform on an image tensor [C, H, W]: resized/cropped to its size when it has one.
    const x = pos[0];
    const size = m.attrs.get('size');
    if (!isTensorV(x)) {
      // An image read from a file (`Image.open(path)`) through sized transforms in the script's own Dataset's
      // __getitem__ (elsewhere an untraced value may be a whole batch): an RGB
      // image of the transforms' size (the channels are assumed, and said once).
      if (!(isUnknown(x) || isPilImage(x)) || !isNum(size) || !(size > 0) || !IN_GETITEM.get(lib)) return UNKNOWN;
      const channels = pilChannels(x); // an image whose mode the script fixed (`.convert('L')`, a band of `.split()`)
      if (channels !== undefined) return tensor([channels, size, size], 'fp32');
      if (!WARNED_IMAGE_FILE.has(lib)) lib.cx.problem('info', 'image-file', `An image read from a file goes through transforms that size it to ${size}×${size}: taken as an RGB image [3, ${size}, ${size}] (a grayscale or RGBA file would have 1 or 4 channels).`, loc);
      WARNED_IMAGE_FILE.add(lib);
      return tensor([3, size, size], 'fp32');
    }
    return isNum(size) && x.shape.length >= 2 ? tensor([...x.shape.slice(0, -2), size, size], x.dtype, x.guessed) : x;
  },
  loader: () => UNKNOWN,
  dataset: () => UNKNOWN,
};

/**
 * A transform that is an instance of a script class (`TwoViews(augment)` returning two crops) runs on the
 * sample image, so the loader yields what its `__call__` returns.
 */
function applyCustomTransform(lib: Library, ds: ObjValue, tf: Value | undefined, loc?: Loc): void {
  const sample = ds.attrs.get('sample');
  if (!isKind(tf, 'inst') || !isSeq(sample) || sample.items.length !== 2) return;
  const call = lib.cx.lookupClass(tf.cls, '__call__');
  if (!call || !isKind(call.value, 'func')) return;
  try {
    const x = lib.cx.callFunction({ ...call.value, self: tf }, [sample.items[0]], new Map(), loc);
    if (!isUnknown(x)) ds.attrs.set('sample', tuple([x, sample.items[1]]));
  } catch (e) { if (!(e instanceof Error) || e.name === 'BudgetExceeded') throw e; }
}

/** The distinct ids of a label column whose classes the catalog knows (0…k-1); unknown for any other value. */
function labelIds(_lib: Library, col: Value): Value {
  const k = isKind(col, 'obj') && col.type === 'labelColumn' ? col.attrs.get('classes') : undefined;
  return isNum(k) && k > 0 && k <= 100_000 ? list(Array.from({ length: k }, (_, i) => i)) : unknown('the distinct values of a column (data)');
}

/** Column names that hold a classification dataset's labels. */
const LABEL_COLUMN = /^(label|labels|label_ids|target|targets|coarse_label|fine_label)$/;

/** `dataset_dict["train"]`: the split with its size (unknown when the split or the dataset is not in the table). */
export function datasetSplit(lib: Library, ds: ObjValue, key: string, loc?: Loc): Value {
  const splits = ds.attrs.get('splits');
  if (!isKind(splits, 'dict')) {
    // A column of a Dataset (ds["text"]); its label column knows the catalog's classes (`len(ds["label"].unique())`).
    const classes = ds.attrs.get('classes');
    return LABEL_COLUMN.test(key) && isNum(classes) ? lib.obj('labelColumn', [['classes', classes], ['size', ds.attrs.get('size') ?? UNKNOWN]], loc) : UNKNOWN;
  }
  const size = splits.map.get(key);
  if (!isNum(size) && isNum(ds.attrs.get('size'))) lib.cx.problem('info', 'dataset', `Split '${key}' of ${String(ds.attrs.get('name') ?? 'the dataset')} has no known size. Add \`# floplens: dataset_size=N\`.`, loc);
  const attrs = new Map([...ds.attrs, ['size', isNum(size) ? size : UNKNOWN] as [string, Value]]);
  attrs.delete('splits');
  return { ...ds, id: lib.cx.id(), attrs };
}

/** One sample of a dataset: (input, target) tensors or an unknown. */
export function sample(lib: Library, ds: ObjValue, _i: number): Value {
  const s = ds.attrs.get('sample');
  // A fresh sample each time, as indexing a dataset gives: an in-place change to one (`x.unsqueeze_(0)`) is not the dataset's.
  return s === undefined ? UNKNOWN : isSeq(s) ? { ...s, items: s.items.map((x) => (isTensorV(x) ? { ...x, shape: [...x.shape] } : x)) } : isTensorV(s) ? { ...s, shape: [...s.shape] } : s;
}

export function loaderTrips(lib: Library, l: ObjValue): number | undefined {
  const ds = l.attrs.get('dataset');
  const bs = l.attrs.get('batch_size');
  const size = isKind(ds, 'obj') ? ds.attrs.get('size') : undefined;
  const n = samplerSize(l.attrs.get('sampler')) ?? (isNum(size) ? perRankSize(lib, l, size) : undefined);
  if (n === undefined || !isNum(bs) || bs <= 0) return undefined;
  return l.attrs.get('drop_last') === true ? Math.floor(n / bs) : Math.ceil(n / bs);
}

/** torchaudio Resample(orig, new) on [..., time]: ceil(time · new / orig) samples (its sinc filter is not matrix work). */
export function resample(lib: Library, m: ObjValue, x: Value | undefined): Value {
  const [o, n] = [m.attrs.get('orig'), m.attrs.get('new')];
  if (!isTensorV(x) || !isNum(o) || !isNum(n) || o <= 0 || x.shape.length === 0) return UNKNOWN;
  const shape = [...x.shape];
  shape[shape.length - 1] = Math.ceil((shape[shape.length - 1] * n) / o);
  return tensor(shape, x.dtype, x.guessed);
}

/** The arguments a script class without an `__init__` of its own passed to its library base's (instantiate). */
const BASE_INIT = new WeakMap<InstValue, { pos: Value[]; kw: Map<string, Value> }>();
export function rememberBaseInit(inst: InstValue, pos: Value[], kw: Map<string, Value>): void { BASE_INIT.set(inst, { pos, kw }); }

/**
 * A map-style Dataset class of the script's own: its size is what `__len__` returns and one sample is what
 * `__getitem__(0)` returns, evaluated like any other code (so a dataset built from tensors of known shape
 * batches into known model inputs).
 */
function userDataset(lib: Library, inst: InstValue, loc?: Loc): Value {
  const has = (m: string) => isKind(lib.cx.lookupClass(inst.cls, m)?.value, 'func');
  if (!has('__len__') && !has('__getitem__')) {
    // A subclass of a library dataset (class SubsetSC(SPEECHCOMMANDS), class MyCelebA(CelebA)) that keeps its
    // __len__/__getitem__ and __init__: the library dataset of the arguments it was made with (split, transform).
    const base = inst.cls.bases.find((b) => isKind(b, 'ext') && findDataset(b.path.split('.').pop() ?? ''));
    if (!base || !isKind(base, 'ext')) return inst;
    const name = base.path.split('.').pop() ?? '';
    return knownDataset(lib, base.path, name, BASE_INIT.get(inst)?.kw ?? new Map(), loc);
  }
  const link = linkedDataset(inst);
  const size = has('__len__') ? lib.len(inst) : UNKNOWN;
  let sample: Value = UNKNOWN;
  if (has('__getitem__')) {
    IN_GETITEM.set(lib, (IN_GETITEM.get(lib) ?? 0) + 1);
    try { sample = withCatalogImages(lib, link?.info, () => lib.getItem(inst, [0], false, loc)); } finally { IN_GETITEM.set(lib, (IN_GETITEM.get(lib) ?? 1) - 1); }
  }
  const ds: ObjValue = { kind: 'obj', type: 'dataset', id: lib.cx.id(), loc, attrs: new Map<string, Value>([['name', inst.cls.name], ['size', isNum(size) ? size : UNKNOWN], ['instance', inst]]) }; // loader.dataset.x reads the instance's own attributes
  if (isTensorV(sample) || (isSeq(sample) && sample.items.some(isTensorV)) || (isKind(sample, 'dict') && [...sample.map.values()].some((x) => isTensorV(x) || idRow(x) !== undefined))) ds.attrs.set('sample', sample);
  lib.flags.datasets.push(ds);
  return ds;
}

/** A DistributedSampler gives each of the job's ranks ceil(size / ranks) samples (it pads the last ones). */
function perRankSize(lib: Library, l: ObjValue, size: number): number {
  const s = l.attrs.get('sampler');
  if (!isKind(s, 'obj') || s.type !== 'distSampler') return size;
  const ranks = lib.cx.directives.devices?.value;
  if (!isNum(ranks) || ranks <= 1) {
    if (!lib.warnedRanks) lib.cx.problem('info', 'ranks-unknown', 'DistributedSampler splits the dataset across the job\'s processes, whose number is only known at launch: steps are for a single process. Add `# floplens: devices=N` for one rank\'s share.', s.loc);
    lib.warnedRanks = true;
    return size;
  }
  return Math.ceil(size / ranks);
}

export function iterateLoader(lib: Library, l: ObjValue): IterResult {
  const ds = l.attrs.get('dataset');
  const bs = l.attrs.get('batch_size');
  const trips = loaderTrips(lib, l);
  let elem: Value = UNKNOWN;
  // A dataset tokenized to a known length (lib/tokenizers.ts) batches into token ids, mask and labels of that length.
  const tokenized = tokenizedLength(ds);
  const sample = (isKind(ds, 'obj') ? ds.attrs.get('sample') : undefined) ?? (tokenized ? tokenSample(tokenized.value) : undefined);
  // A custom collate_fn decides the batch layout (padding, packing): evaluate the script's function on a batch
  // of samples when it is one; otherwise leave it to the model-input guess.
  if (isNum(bs) && sample !== undefined && l.attrs.get('collate') !== true) elem = batchOf(sample, bs);
  const collate = l.attrs.get('collateFn');
  if (isNum(bs) && sample !== undefined && isKind(collate, 'func')) elem = lib.cx.call(collate, [list(Array<Value>(bs).fill(sample))], new Map());
  else if (sample === undefined) elem = collateUnseen(lib, l) ?? elem;
  const name = isKind(ds, 'obj') ? String(ds.attrs.get('name') ?? 'dataset') : 'dataset';
  const size = samplerSize(l.attrs.get('sampler')) ?? (isKind(ds, 'obj') ? ds.attrs.get('size') : undefined);
  // Without drop_last the last batch holds the rest: the batches together are the dataset's samples, not trips × batch.
  const rows = isNum(size) && isNum(bs) && trips !== undefined && l.attrs.get('drop_last') !== true && perRankSize(lib, l, size) === size ? { total: size, batch: bs } : undefined;
  return {
    trips, elem, label: `DataLoader over ${name}`, ...(rows ? { rows } : {}),
    tripSource: { note: isNum(size) && isNum(bs) ? `${fmt(size)} samples${perRankSize(lib, l, size) !== size ? ` / ${fmt(lib.cx.directives.devices?.value ?? 1)} ranks` : ''} / batch ${bs} = ${fmt(trips ?? 0)} batches per epoch` : `DataLoader over ${name} (size unknown)`, loc: l.loc },
  };
}

function makeDataset(lib: Library, info: DatasetInfo, train: boolean, loc?: Loc, transformSize?: number): ObjValue {
  const size = train ? info.train : info.test ?? info.train;
  let shape = info.shape;
  if (transformSize && shape.length === 3) shape = [shape[0], transformSize, transformSize];
  if (info.target === 'tokens' || (info.bytesPerElement === 8)) {
    // Token datasets: the sequence length comes from the tokenizer settings, not the dataset.
    const ds: ObjValue = { kind: 'obj', type: 'dataset', id: lib.cx.id(), loc, attrs: new Map<string, Value>([['name', info.name], ['size', size], ['classes', info.classes ?? UNKNOWN]]) };
    lib.flags.datasets.push(ds);
    return ds;
  }
  const x = tensor(shape, 'fp32');
  const y = info.target === 'class' ? tensor([], 'int8') : tensor(info.targetShape ?? shape);
  const ds: ObjValue = {
    kind: 'obj', type: 'dataset', id: lib.cx.id(), loc,
    attrs: new Map<string, Value>([['name', info.name], ['size', size], ['sample', tuple([x, y])], ['classes', info.classes ?? UNKNOWN], ['sampleBytes', prod(shape) * (info.bytesPerElement ?? 1)]]),
  };
  for (const [k, v] of rawArrays(info, size)) ds.attrs.set(k, v);
  lib.flags.datasets.push(ds);
  return ds;
}

/**
 * A torchvision image dataset's raw arrays, as scripts read them (`test_data.test_data.type(torch.FloatTensor)[:2000]`):
 * `.data` is the stored images before any transform (uint8 [N, H, W] for one channel, [N, H, W, C] for CIFAR's
 * numpy arrays, [N, C, H, W] otherwise) and `.targets` the labels [N]; `.train_data`/`.test_data` and
 * `.train_labels`/`.test_labels` are their old names.
 */
function rawArrays(info: DatasetInfo, n: number): [string, Value][] {
  if (info.target !== 'class' || info.shape.length !== 3) return [];
  const [c, h, w] = info.shape;
  const data = tensor(c === 1 ? [n, h, w] : /^CIFAR/i.test(info.name) ? [n, h, w, c] : [n, c, h, w], 'int8');
  const targets = tensor([n], 'int8');
  if (info.classes) targets.indexRange = info.classes; // its values: the class ids (`targets.max() + 1` is the class count)
  return [['data', data], ['targets', targets], ['train_data', data], ['test_data', data], ['train_labels', targets], ['test_labels', targets]];
}

function transformSize(lib: Library, t: Value | undefined): number | undefined {
  if (isKind(t, 'obj') && t.type === 'transform') {
    // The longest transform list is the training pipeline's (evaluation pipelines are subsets of it).
    const kinds = String(t.attrs.get('kinds') ?? '').split(',').filter(Boolean);
    if (kinds.length > (lib.flags.inputTransforms?.length ?? 0)) lib.flags.inputTransforms = kinds;
    const s = t.attrs.get('size');
    return isNum(s) ? s : undefined;
  }
  return undefined;
}

/** torchvision datasets that read image files (JPEG/PNG) per sample, rather than arrays held in memory. */
const FILE_IMAGE_DATASETS = /^torchvision\.datasets\.(ImageNet|Places365|Food101|Flowers102|OxfordIIITPet|Caltech101|Caltech256|CelebA|SUN397|StanfordCars|DTD|CocoDetection|CocoCaptions|VOCDetection|VOCSegmentation|LSUN)$/;

/**
 * Hugging Face `datasets` and torch dataset methods keep the sample count (map, filter, shuffle…),
 * pick a subset (select, take, Subset-like) or split it (train_test_split). A mapped function runs
 * once on an unknown batch so that tokenizer settings inside it (max_length, padding) are seen.
 */
function datasetMethod(lib: Library, ds: ObjValue, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  const size = ds.attrs.get('size');
  const withSize = (n: Value): ObjValue => ({ ...ds, id: lib.cx.id(), attrs: new Map([...ds.attrs, ['size', n]]) });
  switch (name) {
    case 'map': case 'filter': {
      const fn = pos[0] ?? kw.get('function');
      let tokenized: SeqEvidence | undefined;
      let mapped: Value = UNKNOWN;
      if (fn && (isKind(fn, 'func') || isKind(fn, 'builtin'))) {
        const batch: ObjValue = { kind: 'obj', type: 'namespace', attrs: new Map(), id: 0 };
        const seen = lib.zoo.watchTokenizer(() => {
          try { mapped = lib.cx.call(fn, [batch], new Map(), loc); } catch (e) { if (!(e instanceof Error) || e.name === 'BudgetExceeded') throw e; }
        });
        tokenized = seen.length ?? (seen.calls > 0 && isKind(fn, 'func') ? lengthNamedIn(fn) : undefined);
      }
      if (name === 'map') {
        if (!tokenized) return ds;
        // The fields the function returns (token ids, labels of their own length) are the samples, when it shows them.
        const out = withTokenizedLength(ds, tokenized, lib.cx.id());
        const fields = ds.attrs.has('sample') ? undefined : sampleOfMapped(mapped);
        if (fields) out.attrs.set('sample', fields);
        return out;
      }
      const what = isNum(size) ? `the ${fmt(size)} samples` : 'the samples';
      lib.cx.problem('info', 'dataset', `${String(ds.attrs.get('name') ?? 'dataset')}.filter(...) keeps an unknown fraction of ${what} (decided by the data): the dataset size after it is unknown. Add \`# floplens: dataset_size=N\`.`, loc);
      const out = withSize(UNKNOWN);
      const splits = ds.attrs.get('splits');
      if (isKind(splits, 'dict')) out.attrs.set('splits', dictOf([...splits.map.keys()].map((k) => [String(k), UNKNOWN])));
      return out;
    }
    case 'shuffle': case 'with_format': case 'set_format': case 'remove_columns': case 'rename_column': case 'rename_columns': case 'cast': case 'flatten': case 'sort': case 'to_iterable_dataset':
      return ds;
    case 'select': case 'take': {
      const n = name === 'take' ? pos[0] : lib.len(pos[0]);
      return withSize(isNum(n) ? (isNum(size) ? Math.min(n, size) : n) : UNKNOWN);
    }
    case 'unique': {
      // `ds.unique("label")` (Hugging Face): the class ids of a classification dataset the catalog knows.
      const column = pos[0] ?? kw.get('column');
      return typeof column === 'string' ? labelIds(lib, datasetSplit(lib, { ...ds, attrs: new Map([...ds.attrs].filter(([k]) => k !== 'splits')) }, column, loc)) : UNKNOWN;
    }
    case 'skip': return withSize(isNum(size) && isNum(pos[0]) ? Math.max(0, size - pos[0]) : UNKNOWN);
    case 'train_test_split': {
      const t = kw.get('test_size') ?? pos[0];
      const test = isNum(size) && isNum(t) ? (t < 1 ? Math.ceil(size * t) : t) : undefined;
      // A DatasetDict: `split["train"]` is a split of its size, and `.map(fn)` maps every split.
      const out = withSize(size ?? UNKNOWN);
      out.attrs.set('splits', dictOf([['train', test !== undefined && isNum(size) ? size - test : UNKNOWN], ['test', test ?? UNKNOWN]]));
      return out;
    }
    default: return UNKNOWN;
  }
}

/**
 * A size argument (a batch size, a crop size): a number that is not a positive integer below 2^53 (`-1`, `0`,
 * `1e308`, `2**64`, `nan`) is out of range: said once, and the size is unknown rather than a NaN/Infinity figure.
 */
function sizeArg(lib: Library, v: Value, what: string, loc?: Loc): Value {
  if (!isNum(v) || Number.isSafeInteger(v) && v > 0) return v;
  lib.cx.problem('warning', 'shape', `${what}=${String(v)}: size out of range (expected a positive integer below 2^53); treated as unknown.`, loc);
  return UNKNOWN;
}

/** A batch of `bs` samples: stack each tensor in a sample tuple along a new leading dim. */
/**
 * A Python list of samples as a DataLoader's dataset (`DataLoader(cifar2, batch_size=64)` of `[(img, label), ...]`):
 * its first item is each sample, its length the dataset's size (unknown for a list of data-many items, unsized.ts).
 * Only a list whose samples hold a tensor: lists of texts or ids are left to the loader's collate.
 */
function listDataset(lib: Library, v: Value, loc?: Loc): ObjValue | undefined {
  if (!isSeq(v) || v.kind !== 'list' || v.items.length === 0) return undefined;
  const first = v.items[0];
  if (!isTensorV(first) && !(isSeq(first) && first.items.some(isTensorV))) return undefined;
  const size = lib.len(v);
  return lib.obj('dataset', [['name', 'a list of samples'], ['size', isNum(size) ? size : UNKNOWN], ['sample', first]], loc);
}

function batchOf(sample: Value, bs: number): Value {
  if (isTensorV(sample)) return tensor([bs, ...sample.shape], sample.dtype, sample.guessed);
  if (typeof sample === 'number') return tensor([bs], Number.isInteger(sample) ? 'int8' : 'fp32'); // default_collate: a tensor of the numbers
  if (isSeq(sample)) return tuple(sample.items.map((x) => batchOf(x, bs)));
  if (isKind(sample, 'dict')) {
    const d: DictValue = { kind: 'dict', map: new Map() };
    // A field of token ids as a Python list (packed or tokenized rows): stacked to [bs, L] as transformers' collators do.
    for (const [k, v] of sample.map) { const row = idRow(v); d.map.set(k, row !== undefined ? tensor([bs, row], 'int8') : batchOf(v, bs)); }
    return d;
  }
  return sample;
}
