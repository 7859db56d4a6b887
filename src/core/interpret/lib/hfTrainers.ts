/**
 * What Hugging Face and TRL trainers do that a script does not spell out: which trainers run chosen/rejected pairs
 * through the model together, which also run a frozen reference model, and the sequence length their config caps
 * samples at when the script does not set it. Sources: TRL's trainer configs (trl/trainer/*_config.py at
 * f2cd577, 2025: `max_length=1024` for SFTConfig, DPOConfig, RewardConfig, KTO/ORPO/CPO/BCO/PRM configs) and
 * its trainers (DPOTrainer copies the policy as the reference model unless it trains a PEFT adapter, in which
 * case the reference is the same model with the adapter disabled).
 */
import type { Value } from '../values';
import { isNum } from '../values';

/** Hugging Face and TRL trainers (`Trainer`, `SFTTrainer`, `DPOTrainer`, …); group 2 is the class name. */
export const TRAINER = /(^|\.)(Trainer|Seq2SeqTrainer|(SFT|DPO|Reward|KTO|ORPO|CPO|GRPO|RLOO|GKD|BCO|PRM|Nash\w*|XPO)Trainer)$/;
/** Trainers whose every sample is a pair (chosen and rejected) run through the model in one batch. */
export const PAIRWISE = /^(DPO|Reward|CPO|ORPO)Trainer$/;
/** Trainers that also run a frozen reference model forward once per micro-batch. */
export const WITH_REFERENCE = /^DPOTrainer$/;
/** TRL trainers whose config caps every sample at `max_length` (default 1024) tokens. */
const TRL_MAX_LENGTH = /^(SFT|DPO|Reward|KTO|ORPO|CPO|BCO|PRM)Trainer$/;
/** TRL's default `max_length` of those configs (trl/trainer/sft_config.py, dpo_config.py, reward_config.py). */
export const TRL_DEFAULT_MAX_LENGTH = 1024;

/** A sequence length and where it came from, in the words an assumption shows. */
export interface SeqEvidence { value: number; note: string; source: 'literal' | 'catalog' }

/**
 * The tokens per training sample of a trainer run, from the best evidence: the trainer's own `max_seq_length=` /
 * `max_length=`, the same fields of its arguments, the length the dataset was tokenized to (a `dataset.map(fn)`
 * whose `fn` calls the tokenizer with `max_length`), then TRL's config default. Undefined when none applies.
 */
export function trainerSeq(cls: string, trainerMax: Value | undefined, arg: (k: string) => Value | undefined, tokenized: SeqEvidence | undefined): SeqEvidence | undefined {
  const given = positive(trainerMax) ?? positive(arg('max_seq_length')) ?? positive(arg('max_length'));
  if (given !== undefined) {
    const packed = arg('packing') === true;
    return { value: given, source: 'literal', note: packed ? `max_length=${given} with packing: every row is full` : `max_length=${given} (a cap: batches padded to their longest sample can be shorter)` };
  }
  if (tokenized) return tokenized;
  if (TRL_MAX_LENGTH.test(cls)) {
    const pairs = PAIRWISE.test(cls) ? ' (prompt and completion together)' : '';
    return { value: TRL_DEFAULT_MAX_LENGTH, source: 'catalog', note: `TRL's ${cls.replace(/Trainer$/, 'Config')} default max_length=${TRL_DEFAULT_MAX_LENGTH}${pairs}, a cap: batches padded to their longest sample can be shorter` };
  }
  return undefined;
}

function positive(v: Value | undefined): number | undefined {
  return isNum(v) && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

/** Sequences per sample the trainer runs through the model: 2 for chosen/rejected pairs, else 1. */
export function sequencesPerSample(cls: string): number {
  return PAIRWISE.test(cls) ? 2 : 1;
}
