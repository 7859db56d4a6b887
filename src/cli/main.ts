/**
 * `floplens` command line: the same core as the extension, for terminals and CI.
 *
 *   floplens analyze <file.py|file.ipynb> [--json|--markdown] [--hardware id,id] [--hardware-file f.json] [--set key=value]…
 *   floplens demo [dir]          analyse every script in a folder (the README's `npm run demo`)
 *   floplens hardware [--json]   list the hardware catalog
 *   floplens bench [--json]      live matmul benchmark of this machine (CPU vs gpu.js)
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../core/analyze';
import { readLocalModules } from './modules';
import type { Analysis } from '../core/types';
import { HARDWARE, DEFAULT_COMPARE_IDS, getHardware, validateHardwareProfiles } from '../core/hardware';
import type { HardwareProfile } from '../core/hardware/types';
import { renderMarkdown, renderText } from '../core/report/markdown';
import { readNotebook, stripBom } from '../core/notebook';
import { exitQuietlyOnEpipe, InputError, oneLine, print, readInputFile, terminalJson } from './files';
import { pushAll } from '../core/arrays';

const VERSION = '0.1.0';

const USAGE = `FlopLens ${VERSION} — will this PyTorch script need a GPU? (static: your code is never run)

Usage:
  floplens analyze <file.py|file.ipynb> [--json | --markdown] [--hardware id,id]
                   [--hardware-file profiles.json] [--set key=value]...
  floplens demo [folder]            analyse every .py/.ipynb script in a folder (default: examples)
  floplens hardware [--json]        list hardware profiles and their ids
  floplens bench [--json] [--sizes 128,256,512]
                                    live matmul benchmark: this machine's CPU vs GPU (gpu.js)

--set takes the keys of '# floplens:' directives, e.g. --set batch=64 --set dtype=bf16 --set steps=20000.
Exit status: 0 ok, 1 analysis errors, 2 usage errors.`;

interface Args { cmd: string; positional: string[]; flags: Map<string, string[]> }

function parseArgs(argv: string[]): Args {
  const [cmd = 'help', ...rest] = argv;
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      let value = eq > 0 ? a.slice(eq + 1) : 'true';
      if (eq < 0 && ['hardware', 'hardware-file', 'set', 'sizes'].includes(name) && rest[i + 1] !== undefined) value = rest[++i];
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else positional.push(a);
  }
  return { cmd, positional, flags };
}

function loadHardware(flags: Map<string, string[]>): { hardware?: HardwareProfile[]; errors: string[] } {
  const errors: string[] = [];
  const custom: HardwareProfile[] = [];
  for (const f of flags.get('hardware-file') ?? []) {
    try {
      const r = validateHardwareProfiles(JSON.parse(stripBom(readInputFile(f, 'hardware file'))), path.basename(f));
      pushAll(custom, r.profiles);
      pushAll(errors, r.errors.map((e) => `${f}: ${e}`));
    } catch (e) {
      errors.push(e instanceof InputError ? e.message : `${f}: ${oneLine((e as Error).message)}`);
    }
  }
  const ids = (flags.get('hardware') ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0 && custom.length === 0) return { errors };
  const chosen: HardwareProfile[] = [];
  for (const id of ids.length ? ids : [...DEFAULT_COMPARE_IDS]) {
    const h = custom.find((c) => c.id === id) ?? getHardware(id);
    if (h) chosen.push(h); else errors.push(`unknown hardware id '${id}' (see \`floplens hardware\`)`);
  }
  for (const c of custom) if (!chosen.includes(c)) chosen.push(c);
  return { hardware: chosen, errors };
}

/**
 * Analyses one script or notebook. Throws `InputError` (one line) when the file cannot be read as a regular file
 * within the size cap; never for what the file holds.
 */
export function analyzeFile(file: string, flags: Map<string, string[]>, root = process.cwd()): { analysis: Analysis; errors: string[] } {
  const text = stripBom(readInputFile(file, file.endsWith('.ipynb') ? 'notebook' : 'script'));
  const overrides = Object.create(null) as Record<string, string>;
  const errors: string[] = [];
  for (const s of flags.get('set') ?? []) {
    const eq = s.indexOf('=');
    if (eq <= 0) { errors.push(`--set ${s}: expected key=value`); continue; }
    overrides[s.slice(0, eq).trim()] = s.slice(eq + 1).trim();
  }
  const hw = loadHardware(flags);
  pushAll(errors, hw.errors);
  const nb = file.endsWith('.ipynb') ? readNotebook(text) : undefined;
  const cells = nb?.cells;
  const body = cells ? cells.join('\n\n') : text;
  const absRoot = path.resolve(root);
  const rootForImports = path.resolve(file).startsWith(absRoot + path.sep) ? absRoot : path.dirname(path.resolve(file));
  const skipped: string[] = [];
  // The display name keys the core's parse cache: the import scan and the analysis share one parse of the file.
  const display = path.relative(process.cwd(), file) || file;
  const modules = readLocalModules(file, body, rootForImports, 64, skipped, display);
  const analysis = analyze({ text: body, file: display, cells, modules, settings: { overrides }, hardware: hw.hardware });
  pushAll(analysis.problems, skipped.map((message) => ({ severity: 'warning' as const, code: 'module-skipped', message })));
  if (nb) analysis.problems.unshift(...nb.problems.map((p) => ({ severity: p.severity, code: 'notebook', message: `${display}: ${p.message}` })));
  return { analysis, errors };
}

async function main(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  switch (a.cmd) {
    case 'analyze': case 'analyse': {
      const file = a.positional[0];
      if (!file) { process.stderr.write('floplens analyze: missing <file>\n\n' + USAGE + '\n'); return 2; }
      if (!fs.existsSync(file)) { print(process.stderr, `floplens analyze: no such file: ${file}\n`); return 2; }
      const { analysis, errors } = analyzeFile(file, a.flags);
      for (const e of errors) print(process.stderr, `floplens: ${e}\n`);
      if (a.flags.has('json')) process.stdout.write(terminalJson(analysis) + '\n');
      else if (a.flags.has('markdown')) print(process.stdout, renderMarkdown(analysis) + '\n');
      else print(process.stdout, renderText(analysis) + '\n');
      return analysis.problems.some((p) => p.severity === 'error') ? 1 : 0;
    }
    case 'demo': {
      const dir = a.positional[0] ?? 'examples';
      if (!fs.existsSync(dir)) { print(process.stderr, `floplens demo: no such folder: ${dir}\n`); return 2; }
      if (!fs.statSync(dir).isDirectory()) { print(process.stderr, `floplens demo: not a folder: ${dir}\n`); return 2; }
      const files = fs.readdirSync(dir).filter((f) => /\.(py|ipynb)$/.test(f)).sort();
      print(process.stdout, `FlopLens demo — ${files.length} scripts in ${dir}/ analysed statically (nothing is executed)\n\n`);
      let failed = 0;
      for (const f of files) {
        const t0 = Date.now();
        try {
          const { analysis } = analyzeFile(path.join(dir, f), a.flags);
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
      if (a.flags.has('json')) { process.stdout.write(JSON.stringify(HARDWARE, null, 2) + '\n'); return 0; }
      for (const h of HARDWARE) process.stdout.write(`${h.id.padEnd(20)} ${h.kind.padEnd(4)} ${h.name}\n`);
      return 0;
    }
    case 'bench': {
      const { runBenchCli } = await import('./liveBench');
      return runBenchCli(argv.slice(1));
    }
    case '--version': case 'version': process.stdout.write(VERSION + '\n'); return 0;
    case 'help': case '--help': case '-h': process.stdout.write(USAGE + '\n'); return 0;
    default: print(process.stderr, `floplens: unknown command '${a.cmd}'\n\n${USAGE}\n`); return 2;
  }
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
