/**
 * `floplens` command line: the same core as the extension, for terminals and CI.
 *
 *   floplens analyze <file.py|file.ipynb> [--json|--markdown|--text] [--hardware id,id] [--hardware-file f.json] [--set key=value]…
 *   floplens demo [dir]          analyse every script in a folder (the README's `npm run demo`)
 *   floplens hardware [--json]   list the hardware catalog
 *   floplens bench [--json]      live matmul benchmark of this machine (CPU vs gpu.js)
 *   floplens --version | --help
 *
 * Every subcommand is parsed strictly (./args.ts): an unknown option or a missing value is a usage error (status 2).
 */
import * as fs from 'fs';
import * as path from 'path';
import { version as VERSION } from '../../package.json';
import { analyzeFile } from './analyzeFile';
import { parseCommand, UsageError } from './args';
import { HARDWARE, DEFAULT_COMPARE_IDS, getHardware, validateHardwareProfiles } from '../core/hardware';
import type { HardwareProfile } from '../core/hardware/types';
import { renderMarkdown, renderText } from '../core/report/markdown';
import { renderServingText } from '../core/serve/table';
import { stripBom } from '../core/notebook';
import { exitQuietlyOnEpipe, InputError, oneLine, print, readInputFile, terminalJson } from './files';
import { pushAll } from '../core/arrays';

const USAGE = `FlopLens ${VERSION} — will this PyTorch script need a GPU? (static: your code is never run)

Usage:
  floplens analyze <file.py|file.ipynb> [--json | --markdown | --text] [--hardware id,id]
                   [--hardware-file profiles.json] [--set key=value]...
  floplens demo [folder]            analyse every .py/.ipynb script in a folder (default: examples)
  floplens hardware [--json]        list hardware profiles and their ids
  floplens bench [--json] [--sizes 128,256,512]
                                    live matmul benchmark: this machine's CPU vs GPU (gpu.js)
  floplens --version | --help

--set takes the keys of '# floplens:' directives, e.g. --set batch=64 --set dtype=bf16 --set steps=20000.
Exit status: 0 ok, 1 analysis errors, 2 usage errors.`;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;
/** What `analyze` and `demo` take to choose hardware and assumptions. */
const ANALYSIS = {
  ...HELP,
  hardware: { type: 'string', multiple: true },
  'hardware-file': { type: 'string', multiple: true },
  set: { type: 'string', multiple: true },
} as const;
const ANALYZE = { ...ANALYSIS, json: { type: 'boolean' }, markdown: { type: 'boolean' }, text: { type: 'boolean' } } as const;
const HARDWARE_LIST = { ...HELP, json: { type: 'boolean' } } as const;

/** `--set key=value`… as directive overrides; a value without `=` is a `UsageError`. */
function parseOverrides(sets: string[] = []): Record<string, string> {
  const overrides = Object.create(null) as Record<string, string>;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${s}: expected key=value`);
    overrides[s.slice(0, eq).trim()] = s.slice(eq + 1).trim();
  }
  return overrides;
}

function loadHardware(idLists: string[] = [], files: string[] = []): { hardware?: HardwareProfile[]; errors: string[] } {
  const errors: string[] = [];
  const custom: HardwareProfile[] = [];
  for (const f of files) {
    try {
      const r = validateHardwareProfiles(JSON.parse(stripBom(readInputFile(f, 'hardware file'))), path.basename(f));
      pushAll(custom, r.profiles);
      pushAll(errors, r.errors.map((e) => `${f}: ${e}`));
    } catch (e) {
      errors.push(e instanceof InputError ? e.message : `${f}: ${oneLine((e as Error).message)}`);
    }
  }
  const ids = idLists.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0 && custom.length === 0) return { errors };
  const chosen: HardwareProfile[] = [];
  for (const id of ids.length ? ids : [...DEFAULT_COMPARE_IDS]) {
    const h = custom.find((c) => c.id === id) ?? getHardware(id);
    if (h) chosen.push(h); else errors.push(`unknown hardware id '${id}' (see \`floplens hardware\`)`);
  }
  for (const c of custom) if (!chosen.includes(c)) chosen.push(c);
  return { hardware: chosen, errors };
}

/** The `--hardware`, `--hardware-file` and `--set` of `analyze` and `demo`; hardware problems are printed, not fatal. */
function analysisOptions(values: { hardware?: string[]; 'hardware-file'?: string[]; set?: string[] }): { overrides: Record<string, string>; hardware?: HardwareProfile[] } {
  const overrides = parseOverrides(values.set);
  const hw = loadHardware(values.hardware, values['hardware-file']);
  for (const e of hw.errors) print(process.stderr, `floplens: ${e}\n`);
  return { overrides, hardware: hw.hardware };
}

async function main(argv: string[]): Promise<number> {
  const [cmd = 'help', ...args] = argv;
  try {
    return await dispatch(cmd, args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const who = cmd.startsWith('-') ? 'floplens' : `floplens ${cmd}`;
    print(process.stderr, `${who}: ${oneLine(e.message)}\n\n${USAGE}\n`);
    return 2;
  }
}

async function dispatch(cmd: string, args: string[]): Promise<number> {
  switch (cmd) {
    case 'analyze': case 'analyse': {
      const { values, positional: file } = parseCommand(args, ANALYZE, 1);
      if (values.help) return help();
      if (!file) throw new UsageError('missing <file>');
      if ([values.json, values.markdown, values.text].filter(Boolean).length > 1) throw new UsageError('choose one of --json, --markdown and --text');
      if (!fs.existsSync(file)) { print(process.stderr, `floplens analyze: no such file: ${file}\n`); return 2; }
      const analysis = analyzeFile(file, analysisOptions(values));
      if (values.json) process.stdout.write(terminalJson(analysis) + '\n');
      else if (values.markdown) print(process.stdout, renderMarkdown(analysis) + '\n');
      else print(process.stdout, renderText(analysis) + (analysis.serving ? `\n${renderServingText(analysis.serving)}` : '') + '\n');
      return analysis.problems.some((p) => p.severity === 'error') ? 1 : 0;
    }
    case 'demo': {
      const { values, positional } = parseCommand(args, ANALYSIS, 1);
      if (values.help) return help();
      const dir = positional ?? 'examples';
      if (!fs.existsSync(dir)) { print(process.stderr, `floplens demo: no such folder: ${dir}\n`); return 2; }
      if (!fs.statSync(dir).isDirectory()) { print(process.stderr, `floplens demo: not a folder: ${dir}\n`); return 2; }
      const options = analysisOptions(values);
      const files = fs.readdirSync(dir).filter((f) => /\.(py|ipynb)$/.test(f)).sort();
      print(process.stdout, `FlopLens demo — ${files.length} scripts in ${dir}/ analysed statically (nothing is executed)\n\n`);
      let failed = 0;
      for (const f of files) {
        const t0 = Date.now();
        try {
          const analysis = analyzeFile(path.join(dir, f), options);
          print(process.stdout, renderText(analysis) + `\n  (analysed in ${Date.now() - t0} ms)\n\n`);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          failed++;
          print(process.stderr, `floplens demo: ${e.message}\n\n`);
        }
      }
      return failed ? 1 : 0;
    }
    case 'hardware': {
      const { values } = parseCommand(args, HARDWARE_LIST, 0);
      if (values.help) return help();
      if (values.json) { process.stdout.write(JSON.stringify(HARDWARE, null, 2) + '\n'); return 0; }
      for (const h of HARDWARE) process.stdout.write(`${h.id.padEnd(20)} ${h.kind.padEnd(4)} ${h.name}\n`);
      return 0;
    }
    case 'bench': {
      const { runBenchCli } = await import('./liveBench');
      return runBenchCli(args);
    }
    case '--version': case '-V': case 'version':
      if (args.length) throw new UsageError(`unexpected argument '${args[0]}'`);
      process.stdout.write(VERSION + '\n');
      return 0;
    case 'help': case '--help': case '-h': return help();
    default:
      if (cmd.startsWith('-')) throw new UsageError(`unknown option '${cmd}'`);
      print(process.stderr, `floplens: unknown command '${cmd}'\n\n${USAGE}\n`);
      return 2;
  }
}

function help(): number {
  process.stdout.write(USAGE + '\n');
  return 0;
}

/**
 * `main` for a process: a refused input or any unexpected exception is one line on stderr and status 1, never a
 * stack trace; a closed pipe ends the process quietly.
 */
export async function run(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (e) {
    const message = e instanceof InputError ? e.message : `unexpected error: ${oneLine(e instanceof Error ? e.message : String(e)) || 'unknown'}`;
    print(process.stderr, `floplens: ${oneLine(message)}\n`);
    return 1;
  }
}

if (require.main === module) {
  exitQuietlyOnEpipe();
  void run(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}

export { main };
