/**
 * HELD-OUT SET 2 (issue 15): published figures that are in neither the validation table (validate.ts, cases.ts,
 * serving.ts), the fit (fit.ts), nor held-out set 1 (heldout.ts, which was tuned on after its first figure and so no
 * longer measures generalisation). 22 figures: Llama 3 8B/70B pre-training GPU-hours (H100), TinyLlama and OPT-175B
 * training throughput (A100), EfficientNet-B0/B4 training and inference (DeepLearningExamples, A100 and V100),
 * llama.cpp decode on GeForce, A100/H100 PCIe and Apple GPUs (XiongjieDai/GPU-Benchmarks-on-LLM-Inference, TinyLlama),
 * and one fp32 matmul on desktop and Apple CPUs, an Apple GPU, a T4 and an RTX 4090 (chsasank/device-benchmarks).
 * Each script in test/validation/heldout2 names its source URL, its date and what is assumed beyond it (marked u).
 *
 * Rules, as for set 1: the fit NEVER reads these rows, and no efficiency, overhead or band may be tuned to move them.
 * Its first table was measured at the session-start commit and at HEAD before any change (git log of this file).
 * A row whose figure later becomes calibration evidence leaves this set with a note in its script. `npm run validate`
 * prints this table after set 1's; it never changes the exit code.
 *
 * Usage: tsx test/validation/heldout2.ts [--json] [<filter>]
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Result } from './checks';
import { validateHeldOutSet } from './heldout';

const HERE = dirname(fileURLToPath(import.meta.url));
export const HELDOUT2_SCRIPTS = join(HERE, 'heldout2');

/** Runs held-out set 2, prints its table and summary, and returns the results. */
export function validateHeldOut2(filter?: string, json = false): Result[] {
  return validateHeldOutSet(HELDOUT2_SCRIPTS, 'Held-out set 2: published runs new to this session', 'Held-out set 2', 'heldOut2', filter, json);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  validateHeldOut2(args.find((a) => !a.startsWith('--')), args.includes('--json'));
}
