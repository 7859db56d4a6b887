/**
 * Surgery on a catalog model's top-level children (`model.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)`,
 * `model.maxpool = nn.Identity()` on torchvision's resnet18, the CIFAR stem): the model runs child by child. A child
 * the script replaced runs as the script's layer on what reaches it (traced like any module call); a dropped one passes
 * its input on; every original child is costed from the catalog build whose input to that child has exactly the shape
 * that reaches it here: the build at the image size that scales the child's catalog input to it (a stem of stride 1
 * without its max-pool feeds layer1 32×32 at a 32×32 input, as the stock model does at 128×128). When no build gives
 * that shape (a child whose input is not an image-like map of the catalog's channels), undefined: the caller keeps the
 * catalog model as it was, and says so.
 */
import type { Op } from '../types';
import { isTensorV } from './values';
import type { Value } from './values';
import type { TensorArg } from '../ops/registry';

export interface SurgeryPlan {
  /** Top-level children in forward order. */
  children: string[];
  /** Children replaced by a script layer (its value) and children dropped (nn.Identity). */
  replaced: Map<string, Value>;
  dropped: Set<string>;
  /** The catalog model's ops at an image size (batch and options fixed by the caller). */
  build: (imageSize: number) => Op[];
  /** Run a script layer on a tensor (records its ops); its output. */
  run: (layer: Value, x: TensorArg) => Value;
}

const top = (o: Op) => o.name.split('.')[0];
const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** The shape that reaches `child` in a build (the previous op's output; the model input for the first child). */
function inputOf(ops: Op[], child: string, imageSize: number, x: TensorArg): number[] | undefined {
  const i = ops.findIndex((o) => top(o) === child);
  if (i < 0) return undefined;
  return i === 0 ? [x.shape[0], x.shape[1], imageSize, imageSize] : ops[i - 1].outputShape;
}

/** The catalog ops to record (original children only) and the output, or undefined when a child's input shape matches no build. */
export function surgeryOps(plan: SurgeryPlan, input: TensorArg): { ops: Op[]; out: TensorArg } | undefined {
  if (input.shape.length !== 4) return undefined;
  const builds = new Map<number, Op[]>();
  const at = (s: number): Op[] => { let b = builds.get(s); if (!b) { b = plan.build(s); builds.set(s, b); } return b; };
  let x = input;
  let size = input.shape[2];
  const ops: Op[] = [];
  for (const child of plan.children) {
    if (plan.dropped.has(child)) continue;
    const layer = plan.replaced.get(child);
    if (layer !== undefined) {
      const y = plan.run(layer, x);
      if (!isTensorV(y)) return undefined;
      x = y;
      continue;
    }
    // The image size whose build feeds this child x's shape: the size used so far, else the one its catalog reduction gives.
    const ref = inputOf(at(size), child, size, x);
    if (!ref) return undefined;
    const scale = ref.length === 4 && x.shape.length === 4 && ref[2] > 0 ? size / ref[2] : 1;
    const guess = Math.round(x.shape.length === 4 ? x.shape[2] * scale : size);
    const tries = [size, guess, ...Array.from({ length: 2 * Math.ceil(scale) + 1 }, (_, k) => guess - Math.ceil(scale) + k)].filter((s) => s >= 1 && s <= 4096);
    const found = tries.find((s) => { const r = inputOf(at(s), child, s, x); return r !== undefined && same(r, x.shape); });
    if (found === undefined) return undefined;
    size = found;
    const mine = at(found).filter((o) => top(o) === child);
    ops.push(...mine);
    const last = mine[mine.length - 1];
    x = { ...x, shape: [...last.outputShape] };
  }
  return { ops, out: x };
}
