/**
 * "No network, no code execution", checked on what esbuild actually bundles (its metafile), not on what the
 * sources seem to import: the pure core and the shared protocol reach no Node module that could touch the
 * network, the disk or another process; the extension host reaches none that could open a socket or run a
 * program; no bundle can evaluate a string as code. And the manifest's trust declarations match what the
 * extension does: it reads files only through `vscode.workspace.fs` and the open documents (so virtual
 * workspaces work), and the one setting that names a file is restricted in untrusted workspaces.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  browser?: string;
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] }; virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string } };
  contributes: { configuration: { properties: Record<string, { type?: string | string[]; markdownDescription?: string; description?: string }> } };
};

const NETWORK = ['net', 'http', 'https', 'http2', 'dgram', 'tls', 'dns'];
const PROCESS = ['child_process', 'worker_threads', 'cluster', 'vm', 'inspector'];
const DISK = ['fs', 'fs/promises'];
const bare = (p: string) => p.replace(/^node:/, '');

interface Bundle { entry: string; inputs: string[]; builtins: string[]; text: string }

async function bundle(entry: string, platform: 'node' | 'browser', external: string[] = []): Promise<Bundle> {
  const r = await esbuild.build({
    entryPoints: [path.join(ROOT, entry)], bundle: true, write: false, metafile: true, platform, format: platform === 'node' ? 'cjs' : 'iife',
    target: platform === 'node' ? 'node20' : 'es2022', minify: true, external, logLevel: 'silent', absWorkingDir: ROOT, outdir: '/tmp/floplens-security-bundle',
  });
  const builtins = new Set<string>();
  for (const input of Object.values(r.metafile.inputs)) for (const imp of input.imports) if (imp.external) builtins.add(bare(imp.path));
  const js = r.outputFiles.find((f) => f.path.endsWith('.js'));
  return { entry, inputs: Object.keys(r.metafile.inputs), builtins: [...builtins].sort(), text: js?.text ?? '' };
}

/**
 * References to `eval` or `Function` in JavaScript or TypeScript source (direct or aliased, as zod's
 * `const F = Function` probe), found by parsing it: names in strings, property names (`this.eval(…)`) and
 * `x instanceof Function` are not references.
 */
function codeEvaluation(text: string, kind = ts.ScriptKind.JS): string[] {
  const sf = ts.createSourceFile(`input.${kind === ts.ScriptKind.TS ? 'ts' : 'js'}`, text, ts.ScriptTarget.Latest, true, kind);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && (node.text === 'eval' || node.text === 'Function')) {
      const parent = node.parent as ts.Node & { name?: ts.Node };
      const isName = parent.name === node;
      const isInstanceof = ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && parent.right === node;
      if (!isName && !isInstanceof) found.push(text.slice(Math.max(0, node.pos - 60), node.end + 40).trim());
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The inputs of a bundle (paths relative to the repository) whose source refers to eval or Function. */
function evaluatingInputs(b: Bundle): string[] {
  return b.inputs.filter((p) => /\.(m?js|cjs|ts)$/.test(p) && codeEvaluation(fs.readFileSync(path.join(ROOT, p), 'utf8'), p.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS).length > 0);
}

describe('no network, no code execution', () => {
  let core: Bundle, protocol: Bundle, extension: Bundle, worker: Bundle, webview: Bundle, cli: Bundle;
  beforeAll(async () => {
    [core, protocol, extension, worker, webview, cli] = await Promise.all([
      bundle('src/core/analyze.ts', 'node'),
      bundle('src/shared/protocol.ts', 'node'),
      bundle('src/extension/extension.ts', 'node', ['vscode']),
      bundle('src/extension/worker/analysisWorker.ts', 'node'),
      bundle('src/webview/main.ts', 'browser'),
      bundle('src/cli/main.ts', 'node', ['gl']),
    ]);
  }, 60_000);

  it('the pure core and the shared protocol reach no Node built-in at all (no network, process, disk)', () => {
    for (const b of [core, protocol]) {
      expect(b.inputs.length, b.entry).toBeGreaterThan(5);
      expect(b.builtins, `${b.entry} imports Node built-ins`).toEqual([]);
      for (const m of [...NETWORK, ...PROCESS, ...DISK]) expect(b.builtins, b.entry).not.toContain(m);
      expect(b.inputs.filter((p) => /node_modules\/(node-fetch|axios|undici|got|ws)\//.test(p)), b.entry).toEqual([]);
    }
  });

  it('the extension host bundle opens no socket and starts no process, and reads no file except through vscode.workspace.fs', () => {
    expect(extension.builtins).toContain('vscode');
    // worker_threads: the one thread it starts runs its own bundled core (next test), never a user's file.
    for (const m of [...NETWORK, ...PROCESS.filter((p) => p !== 'worker_threads'), ...DISK]) expect(extension.builtins, `extension imports ${m}`).not.toContain(m);
  });

  it('the analysis worker is the pure core plus its message port, and the host starts nothing else as a thread', () => {
    expect(worker.builtins).toEqual(['worker_threads']);
    expect(worker.inputs.filter((p) => p.startsWith('src/') && !p.startsWith('src/core/') && !p.startsWith('src/extension/worker/')), 'worker inputs').toEqual([]);
    expect(codeEvaluation(worker.text), 'the worker bundle').toEqual([]);
    // The only thread: `new Worker(` in analysisEngine.ts, on a script path the extension gives it; services.ts
    // passes the bundled worker inside the extension, never a path from settings or the workspace; no `eval: true`.
    const spawning = extension.inputs.filter((p) => /\.(m?js|cjs|ts)$/.test(p) && /new Worker\(/.test(fs.readFileSync(path.join(ROOT, p), 'utf8')));
    expect(spawning).toEqual(['src/extension/analysisEngine.ts']);
    const engine = fs.readFileSync(path.join(ROOT, 'src/extension/analysisEngine.ts'), 'utf8');
    expect(engine).toMatch(/new Worker\(this\.script, \{/);
    expect(engine).not.toMatch(/eval\s*:\s*true/);
    expect(fs.readFileSync(path.join(ROOT, 'src/extension/services.ts'), 'utf8')).toMatch(/new AnalysisEngine\(context\.asAbsolutePath\('dist\/analysisWorker\.js'\)/);
  });

  it('the webview bundle imports nothing and has no way to reach the network (its CSP forbids it too)', () => {
    expect(webview.builtins).toEqual([]);
    expect(webview.text).not.toMatch(/\bfetch\s*\(|XMLHttpRequest|new\s+WebSocket|EventSource|sendBeacon|importScripts/);
  });

  it('the CLI reads files but reaches no network or process module (its benchmark is in-process)', () => {
    for (const m of [...NETWORK, 'child_process', 'cluster', 'vm']) expect(cli.builtins, `cli imports ${m}`).not.toContain(m);
  });

  it('no code evaluates a string: none in FlopLens, and none in any bundle after tree-shaking', () => {
    for (const b of [core, extension, worker]) {
      expect(evaluatingInputs(b).filter((p) => !p.startsWith('node_modules/')), `${b.entry}: FlopLens sources that evaluate strings`).toEqual([]);
      // Every schema is zod/mini, whose parsers never JIT: zod's `new Function` probe and compiler are shaken out.
      expect(codeEvaluation(b.text), `${b.entry}: the bundle`).toEqual([]);
    }
    // What ships to the webview (and the protocol it shares) after tree-shaking: zod/mini leaves no JIT behind,
    // nor does d3-dsv's CSV row compiler, which Plot imports but the charts never reach.
    expect(codeEvaluation(webview.text), 'the minified webview bundle').toEqual([]);
    expect(codeEvaluation(protocol.text), 'the minified protocol bundle').toEqual([]);
    // The detector itself: these would be caught, and these would not.
    expect(codeEvaluation('const F = Function; new F("")').length).toBe(1);
    expect(codeEvaluation('(0, eval)("1"); this.eval(x); y instanceof Function; ({ eval: 1 }); "eval() is never run"').length).toBe(1);
  });

  it('the core never reads the network or the disk by name either (fetch, require, import())', () => {
    expect(core.text).not.toMatch(/\bfetch\s*\(|XMLHttpRequest|WebSocket|\brequire\s*\(|\bimport\s*\(/);
  });
});

describe('manifest: workspace trust and virtual workspaces', () => {
  const caps = pkg.capabilities;

  it('declares limited support in untrusted workspaces, restricting every setting that names a file or folder', () => {
    const u = caps?.untrustedWorkspaces;
    expect(u?.supported).toBe('limited');
    expect(u?.description?.length ?? 0).toBeGreaterThan(20);
    const settings = Object.keys(pkg.contributes.configuration.properties);
    const restricted = u?.restrictedConfigurations ?? [];
    expect(restricted.length).toBeGreaterThan(0);
    for (const key of restricted) expect(settings, `restricted ${key} is not a contributed setting`).toContain(key);
    const pathLike = settings.filter((k) => /(file|path|dir|directory|folder|command|executable)$/i.test(k.split('.').pop() ?? ''));
    expect(pathLike).toEqual(['floplens.hardware.customFile']);
    for (const key of pathLike) expect(restricted).toContain(key);
  });

  it('declares virtual workspaces supported, which holds because every read goes through the workspace file system', () => {
    expect(caps?.virtualWorkspaces === true || (typeof caps?.virtualWorkspaces === 'object' && caps.virtualWorkspaces.supported !== false)).toBe(true);
    // The host reads files only through vscode.workspace.fs (and open documents); never a Node disk API or a
    // `file:` URI built from a workspace path, which a virtual file system provider could not serve.
    const sources = fs.readdirSync(path.join(ROOT, 'src/extension'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(10);
    for (const f of sources) {
      const text = fs.readFileSync(path.join(ROOT, 'src/extension', f), 'utf8');
      expect(text, f).not.toMatch(/from '(node:)?fs(\/promises)?'|require\('(node:)?fs'\)/);
      expect(text, f).not.toMatch(/\.fsPath\b/);
    }
    const reader = fs.readFileSync(path.join(ROOT, 'src/extension/moduleReader.ts'), 'utf8');
    expect(reader).toMatch(/vscode\.workspace\.fs\.readFile\(/);
    expect(reader).toMatch(/vscode\.workspace\.fs\.stat\(/);
    expect(reader).not.toMatch(/Uri\.file\(/);
  });

  it('runs only in the Node extension host (no browser entry a web-only host would load without its reader)', () => {
    expect(pkg.main).toBe('./dist/extension.js');
    expect(pkg.browser).toBeUndefined();
  });
});
