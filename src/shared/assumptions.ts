/**
 * The assumptions a user can edit from the sidebar (or `FlopLens: Set Assumption…`), shared by the host
 * and the webview so both validate a value the same way before it becomes a `# floplens:` directive.
 * Which keys are editable, their labels, units, choices, bounds and the assumption names they edit all come
 * from the directive key table (src/core/directiveKeys.ts).
 */
import { DIRECTIVE_KEYS, DIRECTIVE_KEY_NAMES, type EditableKey } from '../core/directiveKeys';
import { parseRate } from '../core/serve/traffic';

export { VALUE_RANGES, valueRange, describeRange, type ValueRange } from '../core/ranges';
export type { EditableKey };

/** Keys of editable assumptions, in the table's order; each is also the `# floplens: key=value` directive key. */
export const EDITABLE_KEYS = DIRECTIVE_KEY_NAMES.filter((k) => DIRECTIVE_KEYS[k].edit) as unknown as readonly [EditableKey, ...EditableKey[]];

export interface EditableSpec {
  key: EditableKey;
  /** Label in the sidebar and QuickPick. */
  label: string;
  /** What the number counts, for the input placeholder. */
  unit?: string;
  kind: 'integer' | 'choice';
  choices?: readonly string[];
  /** Largest accepted integer (sanity bound, not a physical limit). */
  max?: number;
  /** Assumption names in `Analysis.assumptions` this key edits: the key, its directive aliases, other spellings. */
  aliases: readonly string[];
  help: string;
}

function editableSpec(key: EditableKey): EditableSpec {
  const k = DIRECTIVE_KEYS[key];
  const edit = k.edit!;
  const spec: EditableSpec = {
    key, label: edit.label, kind: k.kind === 'enum' ? 'choice' : 'integer',
    aliases: [key, ...(k.aliases ?? []), ...(edit.names ?? [])], help: edit.help,
  };
  if (k.unit) spec.unit = k.unit;
  if (spec.kind === 'choice') spec.choices = edit.choices ?? k.values;
  else if (k.range) spec.max = k.range.max;
  return spec;
}

export const EDITABLE = Object.fromEntries(EDITABLE_KEYS.map((k) => [k, editableSpec(k)])) as Record<EditableKey, EditableSpec>;

/** Dtypes a user may pick for the compute dtype. */
export const EDITABLE_DTYPES = EDITABLE.dtype.choices!;

export function isEditableKey(key: string): key is EditableKey {
  return typeof key === 'string' && (EDITABLE_KEYS as readonly string[]).includes(key);
}

/** The editable key an assumption name maps to, if any. */
export function editableKeyFor(assumptionName: string): EditableKey | undefined {
  for (const key of EDITABLE_KEYS) if (EDITABLE[key].aliases.includes(assumptionName)) return key;
  return undefined;
}

/**
 * Checks and normalises a typed value ("1,024" → "1024", "1e6" → "1000000", "BF16" → "bf16").
 * Returns the directive value or a message saying what is accepted.
 */
export function normalizeAssumptionValue(key: EditableKey, raw: string): { value: string } | { error: string } {
  const spec = EDITABLE[key];
  const text = raw.trim();
  if (spec.kind === 'choice') {
    const v = text.toLowerCase();
    return spec.choices?.includes(v) ? { value: v } : { error: `${spec.label} must be one of ${spec.choices?.join(', ')}.` };
  }
  // A request rate takes a unit (`20/s`, `50k/day`): what the directive accepts.
  if (key === 'rate') return parseRate(text) !== undefined && text.length <= 32 ? { value: text.replace(/\s+/g, '') } : { error: `${spec.label} must be a rate such as 20, 20/s, 1200/min or 50k/day.` };
  const cleaned = text.replace(/[,_\s]/g, '');
  if (!/^\d+(\.\d+)?(e\d+)?$/i.test(cleaned)) return { error: `${spec.label} must be a whole number.` };
  const n = Number(cleaned);
  if (!Number.isSafeInteger(n) || n < 1) return { error: `${spec.label} must be a whole number of at least 1.` };
  if (spec.max !== undefined && n > spec.max) return { error: `${spec.label} must be at most ${spec.max.toLocaleString('en-US')}.` };
  return { value: String(n) };
}
