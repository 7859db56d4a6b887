/**
 * PIL images as datasets read them: `Image.open(path)` is an image of unknown mode; `.convert(mode)`, `Image.new(mode,
 * size)` and `Image.fromarray(a, mode)` fix its channels by the mode (L: 1, LA: 2, RGB/YCbCr/HSV/LAB: 3, RGBA/CMYK: 4);
 * `.split()` gives one single-channel image per channel (`y, cb, cr = img.convert('YCbCr').split()`, the super-resolution
 * examples' luma channel); crops, resizes and flips keep the channels. A sized torchvision transform then makes a
 * tensor of those channels (lib/data.ts), rather than the RGB it assumes for an image of unknown mode.
 */
import type { Loc } from '../../types';
import { isNum, tuple, unknown } from '../values';
import type { Value, ObjValue } from '../values';
import { NOT_MINE } from './dispatch';
import type { MethodTable, Route } from './dispatch';
import type { Library } from './library';

/** Channels of a PIL mode (https://pillow.readthedocs.io/en/stable/handbook/concepts.html#modes). */
const MODE_CHANNELS: Record<string, number> = { '1': 1, L: 1, P: 1, I: 1, F: 1, 'I;16': 1, LA: 2, La: 2, PA: 2, RGB: 3, YCbCr: 3, LAB: 3, HSV: 3, RGBA: 4, RGBa: 4, RGBX: 4, CMYK: 4 };

function image(lib: Library, mode: Value | undefined, loc?: Loc): ObjValue {
  const channels = typeof mode === 'string' ? MODE_CHANNELS[mode] : undefined;
  return lib.obj('pilImage', [['mode', typeof mode === 'string' ? mode : unknown('image mode')], ['channels', channels ?? unknown('image channels')]], loc);
}

/** Channels of a PIL image value, when known. */
export function pilChannels(v: Value | undefined): number | undefined {
  if (typeof v !== 'object' || v === null || v.kind !== 'obj' || v.type !== 'pilImage') return undefined;
  const c = v.attrs.get('channels');
  return isNum(c) ? c : undefined;
}

export const isPilImage = (v: Value | undefined): boolean => typeof v === 'object' && v !== null && v.kind === 'obj' && v.type === 'pilImage';

export const ROUTES: Route[] = [
  { exact: ['PIL.Image.open'], handler: (lib, { loc }) => image(lib, undefined, loc) },
  { exact: ['PIL.Image.new'], handler: (lib, { pos, kw, loc }) => image(lib, pos[0] ?? kw.get('mode'), loc) },
  { exact: ['PIL.Image.fromarray'], handler: (lib, { pos, kw, loc }) => image(lib, pos[1] ?? kw.get('mode'), loc) },
];

export const METHODS: MethodTable = {
  pilImage: (lib, self, name, pos, kw, loc) => {
    switch (name) {
      case 'convert': return image(lib, pos[0] ?? kw.get('mode'), loc);
      case 'split': {
        const c = pilChannels(self);
        return c === undefined ? unknown('bands of an image of unknown mode') : tuple(Array.from({ length: c }, () => image(lib, 'L', loc)));
      }
      case 'crop': case 'resize': case 'rotate': case 'transpose': case 'copy': case 'filter': case 'thumbnail': case 'reduce':
        return name === 'thumbnail' ? null : self;
      case 'getbands': {
        const c = pilChannels(self);
        return c === undefined ? unknown('bands') : tuple(Array.from({ length: c }, () => unknown('band name')));
      }
      default: return NOT_MINE;
    }
  },
};
