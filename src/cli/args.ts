/**
 * Strict argument parsing for every `floplens` subcommand (node:util `parseArgs`): a misspelt option, an option
 * without its value, a value given to a switch or a positional too many is a usage error, never ignored.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line FlopLens cannot use: `message` is one line naming what is wrong (exit status 2, with the usage). */
export class UsageError extends Error {}

/** Parses `args` against `options`, allowing at most `maxPositionals` positionals; throws `UsageError`. */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, maxPositionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (e) {
    // Node's messages name the option ("Unknown option '--jsno'. To specify…"): keep their first sentence.
    const message = e instanceof Error ? e.message.split(/\.(?:\s|$)/)[0] : String(e);
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1));
  }
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`unexpected argument '${parsed.positionals[maxPositionals]}'`);
  return { values: parsed.values, positional: parsed.positionals[0] as string | undefined };
}
