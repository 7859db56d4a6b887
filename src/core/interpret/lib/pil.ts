/**
 * PIL images as datasets read them: `Image.open(path)` is an image of unknown mode; `.convert(mode)`, `Image.new(mode,
 * size)` and `Image.fromarray(a, mode)` fix its channels by the mode (L: 1, LA: 2, RGB/YCbCr/HSV/LAB: 3, RGBA/CMYK: 4);
 * `.split()` gives one single-channel image per channel (`y, cb, cr = img.convert('YCbCr').split()`, the super-resolution
 * examples' luma channel); crops, resizes and flips keep the channels. A sized torchvision transform then makes a
 * tensor of those channels (lib/data.ts), rather than the RGB it assumes for an image of unknown mode.
 *
 * Sizes: an image opened inside a script Dataset linked to a catalog dataset (lib/data.ts `withCatalogImages`), or from
 * a path naming one, has the catalog's image size; `.size`/`.width`/`.height` read it, `resize((w, h))` and
 * `crop(box)` set it, and `np.asarray(img)` is the array [h, w, c] ([h, w] for one channel) that preprocessing code
 * (`w, h = img.size; img.resize((int(scale * w), int(scale * h)))`) then follows.
 */
import type { Loc } from '../../types';
import { isNum, isSeq, tensor, tuple, unknown } from '../values';
import type { Value, ObjValue } from '../values';
import { datasetFromPath } from '../../data/datasets';
import type { DatasetInfo } from '../../data/datasets';
import { NOT_MINE } from './dispatch';
import type { MethodTable, Route } from './dispatch';
import type { Library } from './library';
import { knownDifference } from '../offsets';

/** Channels of a PIL mode (https://pillow.readthedocs.io/en/stable/handbook/concepts.html#modes). */
const MODE_CHANNELS: Record<string, number> = { '1': 1, L: 1, P: 1, I: 1, F: 1, 'I;16': 1, LA: 2, La: 2, PA: 2, RGB: 3, YCbCr: 3, LAB: 3, HSV: 3, RGBA: 4, RGBa: 4, RGBX: 4, CMYK: 4 };

/** The catalog dataset whose images a script Dataset's `__getitem__` is reading, per analysis (set by lib/data.ts). */
const CATALOG_IMAGES = new WeakMap<Library, DatasetInfo>();
export function withCatalogImages<T>(lib: Library, info: DatasetInfo | undefined, f: () => T): T {
  const before = CATALOG_IMAGES.get(lib);
  if (info) CATALOG_IMAGES.set(lib, info);
  try { return f(); } finally { if (before) CATALOG_IMAGES.set(lib, before); else CATALOG_IMAGES.delete(lib); }
}
/** The catalog dataset the script Dataset whose `__getitem__` is running reads, if any (its audio files, lib/audio.ts). */
export const catalogOfGetItem = (lib: Library): DatasetInfo | undefined => CATALOG_IMAGES.get(lib);

/** Width and height of a catalog image dataset's samples ([c, h, w]), when it has images. */
function catalogImage(info: DatasetInfo | undefined): { size: [number, number]; channels: number } | undefined {
  const s = info?.shape;
  return s && s.length === 3 && s[0] <= 4 ? { size: [s[2], s[1]], channels: s[0] } : undefined;
}

function image(lib: Library, mode: Value | undefined, loc?: Loc, size?: [number, number], fileChannels?: number): ObjValue {
  const channels = typeof mode === 'string' ? MODE_CHANNELS[mode] : undefined;
  const img = lib.obj('pilImage', [['mode', typeof mode === 'string' ? mode : unknown('image mode')], ['channels', channels ?? unknown('image channels')]], loc);
  if (size) for (const [k, v] of [['size', tuple(size)], ['width', size[0]], ['height', size[1]]] as const) img.attrs.set(k, v);
  // The channels of the catalog's files, for an image whose mode the script has not fixed (np.asarray of it).
  if (fileChannels !== undefined) img.attrs.set('fileChannels', fileChannels);
  return img;
}

/** The (width, height) of a PIL image, when known. */
function sizeOf(v: Value | undefined): [number, number] | undefined {
  if (!isPilImage(v)) return undefined;
  const s = (v as ObjValue).attrs.get('size');
  return isSeq(s) && isNum(s.items[0]) && isNum(s.items[1]) ? [s.items[0], s.items[1]] : undefined;
}

/** `np.asarray(img)` of an image of known size: [h, w, c], or [h, w] for a single channel. */
function arrayOf(v: ObjValue): Value | typeof NOT_MINE {
  const size = sizeOf(v);
  const known = pilChannels(v) ?? v.attrs.get('fileChannels');
  if (!size || !isNum(known)) return NOT_MINE;
  return tensor(known === 1 ? [size[1], size[0]] : [size[1], size[0], known], 'int8');
}

/** A size argument `(w, h)` of two known numbers. */
function sizeArg(v: Value | undefined): [number, number] | undefined {
  return isSeq(v) && v.items.length === 2 && isNum(v.items[0]) && isNum(v.items[1]) && v.items[0] > 0 && v.items[1] > 0 ? [Math.floor(v.items[0]), Math.floor(v.items[1])] : undefined;
}

/** Channels of a PIL image value, when known. */
export function pilChannels(v: Value | undefined): number | undefined {
  if (typeof v !== 'object' || v === null || v.kind !== 'obj' || v.type !== 'pilImage') return undefined;
  const c = v.attrs.get('channels');
  return isNum(c) ? c : undefined;
}

export const isPilImage = (v: Value | undefined): boolean => typeof v === 'object' && v !== null && v.kind === 'obj' && v.type === 'pilImage';

export const ROUTES: Route[] = [
  {
    exact: ['PIL.Image.open'],
    handler: (lib, { pos, loc }) => {
      const cat = catalogImage((typeof pos[0] === 'string' ? datasetFromPath(pos[0])?.info : undefined) ?? CATALOG_IMAGES.get(lib));
      return image(lib, undefined, loc, cat?.size, cat?.channels);
    },
  },
  { pattern: /^(?:numpy|np)\.(?:asarray|array)$/, handler: (_lib, { pos }) => (isPilImage(pos[0]) ? arrayOf(pos[0] as ObjValue) : NOT_MINE) },
  {
    // torchvision's functional to_tensor(img) / pil_to_tensor(img) of an image of known size and mode: [c, h, w].
    pattern: /^torchvision\.transforms\.(?:v2\.)?functional\.(?:to_tensor|pil_to_tensor|to_image)$/,
    handler: (_lib, { pos }) => {
      const img = pos[0];
      const size = sizeOf(img);
      const c = pilChannels(img) ?? (isPilImage(img) ? (img as ObjValue).attrs.get('fileChannels') : undefined);
      return size && isNum(c) ? tensor([c, size[1], size[0]], 'fp32') : NOT_MINE;
    },
  },
  { exact: ['PIL.Image.new'], handler: (lib, { pos, kw, loc }) => image(lib, pos[0] ?? kw.get('mode'), loc) },
  { exact: ['PIL.Image.fromarray'], handler: (lib, { pos, kw, loc }) => image(lib, pos[1] ?? kw.get('mode'), loc) },
];

export const METHODS: MethodTable = {
  pilImage: (lib, self, name, pos, kw, loc) => {
    switch (name) {
      case 'convert': return image(lib, pos[0] ?? kw.get('mode'), loc, sizeOf(self));
      case 'resize': case 'crop': {
        const a = pos[0] ?? kw.get(name === 'resize' ? 'size' : 'box');
        // A crop box (left, top, right, bottom) whose corners are unknown but a known distance apart
        // (`right = left + crop_size` after a random left) still has a known size.
        const box = isSeq(a) && a.items.length === 4 ? a.items : undefined;
        const boxSize = box ? [knownDifference(box[0], box[2]), knownDifference(box[1], box[3])] : undefined;
        const size = name === 'resize' ? sizeArg(a) : boxSize && boxSize.every((x) => x !== undefined) ? sizeArg(tuple(boxSize as number[])) : undefined;
        if (!size) return self;
        const fileChannels = self.attrs.get('fileChannels');
        return image(lib, self.attrs.get('mode'), loc, size, isNum(fileChannels) ? fileChannels : undefined);
      }
      case 'split': {
        const c = pilChannels(self);
        return c === undefined ? unknown('bands of an image of unknown mode') : tuple(Array.from({ length: c }, () => image(lib, 'L', loc)));
      }
      case 'rotate': case 'transpose': case 'copy': case 'filter': case 'thumbnail': case 'reduce':
        return name === 'thumbnail' ? null : self;
      case 'getbands': {
        const c = pilChannels(self);
        return c === undefined ? unknown('bands') : tuple(Array.from({ length: c }, () => unknown('band name')));
      }
      default: return NOT_MINE;
    }
  },
};
