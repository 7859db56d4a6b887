/**
 * The assumptions a user can edit from the sidebar (or `FlopLens: Set Assumption…`), shared by the host
 * and the webview so both validate a value the same way before it becomes a `# floplens:` directive.
 */
import { VALUE_RANGES } from '../core/ranges';

export { VALUE_RANGES, valueRange, describeRange, type ValueRange } from '../core/ranges';

/** Keys of editable assumptions; each is also the `# floplens: key=value` directive key. */
export const EDITABLE_KEYS = ['batch', 'seq', 'dtype', 'steps', 'epochs', 'dataset', 'devices'] as const;
export type EditableKey = (typeof EDITABLE_KEYS)[number];

/** Dtypes a user may pick for the compute dtype. */
export const EDITABLE_DTYPES = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8'] as const;

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
  /** Assumption names in `Analysis.assumptions` this key edits (the core may name them differently). */
  aliases: readonly string[];
  help: string;
}

export const EDITABLE: Record<EditableKey, EditableSpec> = {
  batch: { key: 'batch', label: 'Batch size', unit: 'samples', kind: 'integer', max: VALUE_RANGES.get('batch')!.max, aliases: ['batch', 'batch_size', 'batchSize'], help: 'Samples per model call.' },
  seq: { key: 'seq', label: 'Sequence length', unit: 'tokens', kind: 'integer', max: VALUE_RANGES.get('seq')!.max, aliases: ['seq', 'seqLen', 'seq_len', 'sequence'], help: 'Tokens per sample for token models.' },
  dtype: { key: 'dtype', label: 'Compute dtype', kind: 'choice', choices: EDITABLE_DTYPES, aliases: ['dtype'], help: 'Precision of the bulk of the compute.' },
  steps: { key: 'steps', label: 'Steps', unit: 'iterations', kind: 'integer', max: VALUE_RANGES.get('steps')!.max, aliases: ['steps', 'max_steps', 'iterations'], help: 'Iterations in the whole run.' },
  epochs: { key: 'epochs', label: 'Epochs', kind: 'integer', max: VALUE_RANGES.get('epochs')!.max, aliases: ['epochs'], help: 'Passes over the dataset.' },
  dataset: { key: 'dataset', label: 'Dataset size', unit: 'samples', kind: 'integer', max: VALUE_RANGES.get('dataset')!.max, aliases: ['dataset', 'datasetSize', 'dataset_size'], help: 'Samples in one epoch.' },
  devices: { key: 'devices', label: 'Devices', unit: 'GPUs', kind: 'integer', max: VALUE_RANGES.get('devices')!.max, aliases: ['devices', 'gpus', 'world_size'], help: 'GPUs the run uses (data parallel).' },
};

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
  const cleaned = text.replace(/[,_\s]/g, '');
  if (!/^\d+(\.\d+)?(e\d+)?$/i.test(cleaned)) return { error: `${spec.label} must be a whole number.` };
  const n = Number(cleaned);
  if (!Number.isSafeInteger(n) || n < 1) return { error: `${spec.label} must be a whole number of at least 1.` };
  if (spec.max !== undefined && n > spec.max) return { error: `${spec.label} must be at most ${spec.max.toLocaleString('en-US')}.` };
  return { value: String(n) };
}
