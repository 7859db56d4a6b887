/**
 * Subclasses of torch layers: `class TokenEmbedding(nn.Embedding)` calling `super().__init__(vocab, d, padding_idx=1)`,
 * `class NoisyLinear(nn.Linear)` with a forward of its own, `class CastedLinear(nn.Linear): pass`. The instance is a
 * module whose base layer is built from the arguments the base's __init__ receives (through super().__init__ or, with
 * no __init__ of its own, the class call): the layer's parameters are the instance's (`self.weight`, `self.bias`), its
 * constructor arguments its attributes (`self.in_features`), and without a forward of its own a call runs the layer.
 */
import { LAYERS } from '../../ops';
import { isKind } from '../values';
import type { Value, InstValue, LayerValue, ClassValue } from '../values';
import type { Library } from './library';

const LAYER_PATH = /^torch\.nn\.(?:modules\.\w+\.)?([A-Z]\w*)$/;
const NOT_LAYERS = new Set(['Module', 'Sequential', 'ModuleList', 'ModuleDict', 'ParameterList', 'ParameterDict', 'Parameter', 'Buffer']);

/** The op-table layer a torch path names (`torch.nn.Embedding` -> 'Embedding'), or undefined. */
export function torchLayerName(path: string): string | undefined {
  const m = LAYER_PATH.exec(path);
  return m && !NOT_LAYERS.has(m[1]) && LAYERS[m[1]] ? m[1] : undefined;
}

/** The torch layer a class derives from (directly or through its bases), or undefined. */
export function layerBase(cls: Value, depth = 0): string | undefined {
  if (isKind(cls, 'ext')) return torchLayerName(cls.path);
  if (!isKind(cls, 'class') || depth > 20) return undefined;
  for (const b of cls.bases) { const r = layerBase(b, depth + 1); if (r) return r; }
  return undefined;
}

const BASE_LAYER = '__base_layer__';

/** The base layer built for an instance of a layer subclass, if any. */
export function baseLayerOf(inst: Value): LayerValue | undefined {
  const l = isKind(inst, 'inst') ? inst.attrs.get(BASE_LAYER) : undefined;
  return isKind(l, 'layer') ? l : undefined;
}

/**
 * The base layer's __init__ with these arguments: builds the layer (a child of the instance, so its parameters are
 * counted once) and gives the instance its parameters and constructor arguments as attributes. False when `cls` does
 * not derive from a torch layer.
 */
export function initLayerBase(lib: Library, cls: ClassValue, inst: InstValue, build: (name: string) => Value): boolean {
  const name = layerBase(cls);
  if (!name) return false;
  const n = lib.cx.constructed.length;
  const layer = build(name);
  lib.cx.constructed.length = n; // the instance is the constructed module; the layer is its part
  if (!isKind(layer, 'layer')) return false;
  inst.attrs.set(BASE_LAYER, layer);
  for (const [k, v] of Object.entries(layer.rawArgs)) if (!inst.attrs.has(k)) inst.attrs.set(k, v);
  for (const p of layer.module.params) if (p.name && p.name !== '*' && !inst.attrs.has(p.name)) inst.attrs.set(p.name, p);
  return true;
}
