/**
 * Placement of chart labels that must not collide: each label tries candidate positions in its order of preference
 * and takes the first whose box stays inside the plot and overlaps no label placed before it, no point and no line
 * it does not belong to; when every candidate collides it takes the one with the least overlap. Pure (pixels in,
 * pixels out), so the roofline's label layout is tested without a DOM.
 */

/** An axis-aligned box in px: `x`, `y` top-left. */
export interface Box { x: number; y: number; width: number; height: number }
/** A round mark in px (a chart dot). */
export interface Circle { cx: number; cy: number; r: number }
/** A straight line segment in px; `owner` labels may touch it (their own line). */
export interface Segment { x1: number; y1: number; x2: number; y2: number; owner?: string }

export interface LabelRequest {
  id: string;
  width: number;
  height: number;
  /** Top-left corners to try, best first. */
  candidates: { x: number; y: number }[];
}

export interface PlacedLabel { id: string; box: Box; collides: boolean }

const PAD = 2;

function boxesOverlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function circleHits(b: Box, c: Circle): boolean {
  const nx = Math.max(b.x, Math.min(c.cx, b.x + b.width));
  const ny = Math.max(b.y, Math.min(c.cy, b.y + b.height));
  return (nx - c.cx) ** 2 + (ny - c.cy) ** 2 < (c.r + PAD) ** 2;
}

/** Liang–Barsky: does the segment cross the box? */
export function segmentHits(b: Box, s: Segment): boolean {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [[-dx, s.x1 - b.x], [dx, b.x + b.width - s.x1], [-dy, s.y1 - b.y], [dy, b.y + b.height - s.y1]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

/** Overlap cost of a box: area shared with placed labels, plus a fixed cost per point or foreign line it touches. */
function cost(box: Box, id: string, placed: Box[], circles: Circle[], segments: Segment[], bounds: Box): number {
  const inside = box.x >= bounds.x && box.y >= bounds.y && box.x + box.width <= bounds.x + bounds.width && box.y + box.height <= bounds.y + bounds.height;
  let c = inside ? 0 : 10_000;
  const padded = { x: box.x - PAD, y: box.y - PAD, width: box.width + 2 * PAD, height: box.height + 2 * PAD };
  for (const p of placed) c += boxesOverlap(padded, p) + (boxesOverlap(padded, p) > 0 ? 1000 : 0);
  for (const k of circles) if (circleHits(box, k)) c += 100;
  for (const s of segments) if (s.owner !== id && segmentHits(box, s)) c += 50;
  return c;
}

/** Places `labels` in order (earlier labels win their preferred spot). */
export function placeLabels(labels: LabelRequest[], circles: Circle[], segments: Segment[], bounds: Box): PlacedLabel[] {
  const placed: Box[] = [];
  const out: PlacedLabel[] = [];
  for (const l of labels) {
    let best: { box: Box; cost: number } | undefined;
    for (const c of l.candidates) {
      const box = { x: c.x, y: c.y, width: l.width, height: l.height };
      const k = cost(box, l.id, placed, circles, segments, bounds);
      if (!best || k < best.cost) best = { box, cost: k };
      if (k === 0) break;
    }
    if (!best) continue;
    placed.push(best.box);
    out.push({ id: l.id, box: best.box, collides: best.cost > 0 });
  }
  return out;
}
