/**
 * HELD-OUT published runs (issue 15, "Done when": judged on published runs FlopLens has not seen, ≥ 80% within 1.5×
 * and ≥ 70% inside the band). Each script in test/validation/heldout is a published figure that is NOT in the
 * validation table (validation.md Table 2 as scored by validate.ts, cases.ts and serving.ts), written in the same
 * shape as test/validation/scripts (a source header and `# validate:` lines; format in checks.ts).
 *
 * Rules of this set, so its figure stays an honest estimate:
 * - The fit (fit.ts) NEVER reads these rows, and no efficiency, overhead or band may be tuned to move them: they
 *   measure what the calibrated model does on runs it was not calibrated on. A row that misses is reported as it is.
 * - Every row names its source URL, its date and what is assumed beyond it (marked u).
 * - A row whose figure later becomes calibration evidence (fitted, or a bound of a fitted parameter) leaves this set,
 *   with a note in its script saying where it went and what it read before.
 * - `npm run validate` prints this table after the serving one; it never changes the exit code.
 *
 * Usage: tsx test/validation/heldout.ts [--json] [<filter>]
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printResults, runScripts, summarise, type Result } from './checks';

const HERE = dirname(fileURLToPath(import.meta.url));
export const HELDOUT_SCRIPTS = join(HERE, 'heldout');

/** Runs the rows of one held-out set (its scripts in `dir`), prints their table and summary, and returns the results. */
export function validateHeldOutSet(dir: string, title: string, label: string, jsonKey: string, filter?: string, json = false): Result[] {
  const { results, errors } = runScripts(dir, filter);
  if (json) {
    process.stdout.write(JSON.stringify({ [jsonKey]: results, errors }, null, 2) + '\n');
    return results;
  }
  console.log(`\n${title} (never fitted; issue 15 target: ≥ 80% within 1.5×, ≥ 70% inside the band)`);
  printResults(results, errors, false);
  console.log(`\n${label}: ${summarise(results).text}`);
  return results;
}

/** Runs the first held-out set (test/validation/heldout). */
export function validateHeldOut(filter?: string, json = false): Result[] {
  return validateHeldOutSet(HELDOUT_SCRIPTS, 'Held-out published runs', 'Held-out', 'heldOut', filter, json);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  validateHeldOut(args.find((a) => !a.startsWith('--')), args.includes('--json'));
}
