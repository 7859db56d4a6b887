/**
 * Lightning's litdata streaming datasets (the pretraining data of litgpt and Lightning recipes): a
 * `StreamingDataset(input_dir, item_loader=TokensLoader(block_size=n))` yields token blocks of n ids from optimized
 * chunks FlopLens does not read (its size is unknown); `CombinedStreamingDataset(datasets=[…])` mixes such datasets
 * (the first one's blocks); `StreamingDataLoader(ds, batch_size=b)` batches like torch's DataLoader.
 */
import { UNKNOWN, isKind, isNum, isSeq, tensor } from '../values';
import type { Value } from '../values';
import type { Route } from './dispatch';

const at = (names: string[]): string[] => names.flatMap((n) => [`litdata.${n}`, `litdata.streaming.${n}`]);

export const ROUTES: Route[] = [
  { exact: at(['TokensLoader']), handler: (lib, { pos, kw, loc }) => lib.obj('namespace', [['block_size', kw.get('block_size') ?? pos[0] ?? UNKNOWN]], loc) },
  {
    exact: at(['StreamingDataset']),
    handler: (lib, { kw, loc }) => {
      const items = kw.get('item_loader');
      const block = isKind(items, 'obj') ? items.attrs.get('block_size') : undefined;
      const ds = lib.obj('dataset', [['name', 'StreamingDataset'], ['size', UNKNOWN]], loc);
      if (isNum(block)) ds.attrs.set('sample', tensor([block]));
      lib.flags.datasets.push(ds);
      return ds;
    },
  },
  {
    exact: at(['CombinedStreamingDataset']),
    handler: (lib, { pos, kw, loc }) => {
      const parts = kw.get('datasets') ?? pos[0];
      const first: Value | undefined = isSeq(parts) ? parts.items[0] : undefined;
      const ds = lib.obj('dataset', [['name', 'CombinedStreamingDataset'], ['size', UNKNOWN]], loc);
      const sample = isKind(first, 'obj') ? first.attrs.get('sample') : undefined;
      if (sample !== undefined) ds.attrs.set('sample', sample);
      return ds;
    },
  },
  { exact: at(['StreamingDataLoader']), handler: (lib, { pos, kw, loc }) => lib.callExternal('torch.utils.data.DataLoader', pos, kw, loc) },
];
