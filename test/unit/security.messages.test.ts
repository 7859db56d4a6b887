/**
 * Forged webview messages. A webview is our own code, but whatever it posts is treated as untrusted (a payload
 * that got through, a stale view, a bug): every message is validated, anything unknown or malformed is dropped,
 * and no message can make the host write into, or reveal, a document other than the one the views show.
 * extensionProtocol.test.ts lists the schema's basic cases; this adds mutation of every valid message, the
 * bridge that applies the schema, and the handlers behind it.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', async () => (await import('./securityFakes')).vscode);

import { EDITABLE_KEYS, normalizeAssumptionValue } from '../../src/shared/assumptions';
import { parseWebviewMessage, WEBVIEW_COMMANDS, type WebviewMessage } from '../../src/shared/protocol';
import { directiveEdit } from '../../src/core/directives';
import { AssumptionWriter } from '../../src/extension/assumptionWriter';
import type { AnalysisEntry } from '../../src/extension/analysisStore';
import type { Services } from '../../src/extension/services';
import { WebviewBridge } from '../../src/extension/webviews/webviewBridge';
import { handleWebviewMessage } from '../../src/extension/webviews/webviewMessages';
import { analysis, loc, op } from './extensionFixture';
import { document, EventEmitter, fake, Uri } from './securityFakes';

const CURRENT = 'file:///ws/train.py';
const OTHER = 'file:///ws/other.py';

const VALID: WebviewMessage[] = [
  { type: 'ready', view: 'sidebar' },
  { type: 'setAssumption', documentUri: CURRENT, key: 'batch', value: '64' },
  { type: 'revealOp', documentUri: CURRENT, version: 3, opIndex: 0 },
  { type: 'runCommand', command: 'openPanel' },
  { type: 'webviewError', message: 'boom' },
];

/** Values of every JSON kind and the usual suspects, for replacing one field at a time. */
const HOSTILE_VALUES: unknown[] = [
  undefined, null, true, 0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, '', ' ', 'x'.repeat(5000), '<img src=x onerror=1>',
  'javascript:alert(1)', 'constructor', '__proto__', [], ['batch'], {}, { toString: 'x' }, new Date(0),
];

describe('every mutation of a valid message is dropped', () => {
  it('replacing any one field with a hostile value, or adding a field, never yields a message with other content', () => {
    let tried = 0;
    let accepted = 0;
    for (const msg of VALID) {
      expect(parseWebviewMessage(msg)).toEqual(msg);
      for (const field of Object.keys(msg)) {
        for (const value of HOSTILE_VALUES) {
          const forged = { ...msg, [field]: value };
          const parsed = parseWebviewMessage(forged);
          tried++;
          if (parsed) {
            accepted++;
            // The only mutations that pass are still well-formed messages, unchanged by parsing.
            expect(parsed, JSON.stringify(forged)).toEqual(forged);
          }
        }
      }
      for (const extra of ['path', 'uri', 'command', '__proto__', 'constructor', 'then']) {
        tried++;
        // Through JSON, as a message arrives: a "__proto__" key is then an own property, not the prototype.
        expect(parseWebviewMessage(JSON.parse(JSON.stringify({ ...msg, [extra]: 'x' }))), `${msg.type} + ${extra}`).toBeUndefined();
      }
    }
    console.log(`forged messages: ${tried} mutations tried, ${accepted} still well-formed`);
    expect(accepted).toBeLessThan(tried / 10);
  });

  it('a __proto__ key from JSON is rejected and pollutes nothing', () => {
    const forged = JSON.parse('{"type":"ready","view":"sidebar","__proto__":{"polluted":true}}');
    expect(parseWebviewMessage(forged)).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('only our own commands can be asked for, and setAssumption only for editable keys with bounded values', () => {
    for (const command of ['workbench.action.terminal.new', 'floplens.openPanel', '_workbench.downloadResource', 'openPanel ', 'OPENPANEL']) {
      expect(parseWebviewMessage({ type: 'runCommand', command }), command).toBeUndefined();
    }
    for (const command of WEBVIEW_COMMANDS) expect(parseWebviewMessage({ type: 'runCommand', command })).toBeDefined();
    for (const key of ['hardware', 'mode', 'optimizer', 'params', 'Batch', 'batch ', 'toString']) {
      expect(parseWebviewMessage({ type: 'setAssumption', documentUri: CURRENT, key, value: '1' }), key).toBeUndefined();
    }
    expect(parseWebviewMessage({ type: 'setAssumption', documentUri: CURRENT, key: 'batch', value: '1'.repeat(65) })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'setAssumption', documentUri: 'x'.repeat(4097), key: 'batch', value: '1' })).toBeUndefined();
  });

  it('a schema-valid value that is not a valid assumption never becomes directive text with a line break or markup', () => {
    const values = ['64\nimport os', '64 # floplens: mode=infer', '1e400', '0x40', '6.4e1', '64<x>', '\u0000', 'bf16\r\nhardware=x', '９', '1_0_0'];
    for (const key of EDITABLE_KEYS) {
      for (const raw of values) {
        const r = normalizeAssumptionValue(key, raw);
        if ('error' in r) continue;
        const edit = directiveEdit('import torch\n', key, r.value);
        expect(edit.insert, `${key}=${JSON.stringify(raw)}`).toMatch(/^# floplens: [a-z_]+=[\w.]+\n?$/);
      }
    }
  });
});

describe('WebviewBridge', () => {
  function bridge() {
    const inbound = new EventEmitter<unknown>();
    const posted: unknown[] = [];
    const log = { warn: vi.fn(), debug: vi.fn(), info: vi.fn(), error: vi.fn() };
    const onMessage = vi.fn();
    const onReady = vi.fn();
    const webview = { onDidReceiveMessage: inbound.event, postMessage: async (m: unknown) => (posted.push(m), true) };
    const b = new WebviewBridge(webview as never, 'sidebar', onMessage, log as never, onReady);
    return { b, inbound, posted, log, onMessage, onReady };
  }
  const state = (n: number) => ({ type: 'state' as const, state: { status: 'empty' as const, stale: false, devices: [], settings: { currency: { code: 'USD', perUsd: 1 }, writeTo: 'script' as const, compareIds: [String(n)] } } });

  it('drops every malformed or unknown message before any handler sees it, and logs it', () => {
    const { inbound, onMessage, onReady, log } = bridge();
    const junk = [undefined, null, 'ready', 42, [], {}, { type: 'eval', code: 'x' }, { type: 'ready', view: 'evil' }, { type: 'setAssumption', documentUri: CURRENT, key: 'rm', value: '1' }, { type: 'revealOp', documentUri: CURRENT, version: -1, opIndex: 0 }];
    for (const m of junk) inbound.fire(m);
    expect(onMessage).not.toHaveBeenCalled();
    expect(onReady).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledTimes(junk.length);
  });

  it('posts nothing before ready, then only the newest state; a valid message reaches the handler as parsed', async () => {
    const { b, inbound, posted, onMessage, onReady } = bridge();
    b.post(state(1));
    b.post({ type: 'focusOp', opIndex: 2 });
    b.post(state(2));
    expect(posted).toEqual([]);
    inbound.fire({ type: 'ready', view: 'sidebar' });
    expect(onReady).toHaveBeenCalledOnce();
    expect(posted).toEqual([{ type: 'focusOp', opIndex: 2 }, state(2)]);
    inbound.fire({ type: 'runCommand', command: 'openPanel' });
    expect(onMessage).toHaveBeenCalledWith({ type: 'runCommand', command: 'openPanel' });
    b.dispose();
    b.post(state(3));
    expect(posted).toHaveLength(2);
  });
});

describe('handlers: nothing outside the document the views show', () => {
  const entries = new Map<string, AnalysisEntry>();
  const assumptions = { set: vi.fn(async () => true) };
  const services = {
    store: { get: (key: string) => entries.get(key) },
    tracker: { current: CURRENT as string | undefined },
    assumptions,
    log: { warn: vi.fn(), error: vi.fn(), info: vi.fn(), debug: vi.fn() },
  } as unknown as Services;
  const entry = (key: string, version: number): AnalysisEntry => ({
    key, uri: Uri.parse(key) as never, kind: 'script', version, dependencies: [], totalMs: 1, at: 0,
    analysis: analysis({ ops: [op({ loc: loc(20, 8, 20), declLoc: loc(8, 18, 40) }), op({ name: 'imported', loc: { ...loc(3), file: '../../etc/secret.py' } })] }),
  });

  beforeEach(() => {
    fake.reset();
    assumptions.set.mockClear();
    entries.clear();
    entries.set(CURRENT, entry(CURRENT, 3));
    entries.set(OTHER, entry(OTHER, 1));
    (services.tracker as { current?: string }).current = CURRENT;
  });

  it('setAssumption for the shown document is passed on as validated', async () => {
    await handleWebviewMessage(services, { type: 'setAssumption', documentUri: CURRENT, key: 'batch', value: '64' });
    expect(assumptions.set).toHaveBeenCalledWith(CURRENT, 'batch', '64');
  });

  it.each([OTHER, 'file:///etc/passwd', 'file:///home/user/other_project/train.py', 'untitled:Untitled-9', 'vscode-userdata:/User/settings.json', `${CURRENT}?x=1`, `${CURRENT}#frag`])(
    'setAssumption for %s (not the shown document) writes nothing', async (documentUri) => {
      await handleWebviewMessage(services, { type: 'setAssumption', documentUri, key: 'batch', value: '64' });
      expect(assumptions.set).not.toHaveBeenCalled();
    });

  it('setAssumption with no document shown writes nothing', async () => {
    (services.tracker as { current?: string }).current = undefined;
    await handleWebviewMessage(services, { type: 'setAssumption', documentUri: CURRENT, key: 'batch', value: '64' });
    expect(assumptions.set).not.toHaveBeenCalled();
  });

  it('revealOp reveals the analysed document itself, at the op\'s line', async () => {
    await handleWebviewMessage(services, { type: 'revealOp', documentUri: CURRENT, version: 3, opIndex: 0 });
    expect(fake.shown).toHaveLength(1);
    expect(fake.shown[0].uri).toBe(CURRENT);
    expect((fake.shown[0].options as { selection: { start: { line: number } } }).selection.start.line).toBe(19);
  });

  it.each([
    ['another analysed document', { documentUri: OTHER, version: 1, opIndex: 0 }],
    ['a document never analysed', { documentUri: 'file:///etc/passwd', version: 1, opIndex: 0 }],
    ['a stale version', { documentUri: CURRENT, version: 2, opIndex: 0 }],
    ['a future version', { documentUri: CURRENT, version: 4, opIndex: 0 }],
    ['an op index past the end', { documentUri: CURRENT, version: 3, opIndex: 99 }],
    ['an op located in an imported module', { documentUri: CURRENT, version: 3, opIndex: 1 }],
  ])('revealOp for %s reveals nothing', async (_what, m) => {
    await handleWebviewMessage(services, { type: 'revealOp', ...m });
    expect(fake.shown).toEqual([]);
  });

  it('runCommand runs only the floplens command it names', async () => {
    for (const command of WEBVIEW_COMMANDS) await handleWebviewMessage(services, { type: 'runCommand', command });
    expect(fake.commands.map((c) => c.id)).toEqual(WEBVIEW_COMMANDS.map((c) => `floplens.${c}`));
    expect(fake.commands.every((c) => c.args.length === 0)).toBe(true);
  });
});

describe('AssumptionWriter', () => {
  const log = { warn: vi.fn(), error: vi.fn(), info: vi.fn(), debug: vi.fn() };
  const store = { schedule: vi.fn() };
  const config = { current: { directives: { writeTo: 'script' }, overrides: {} }, update: vi.fn() };
  beforeEach(() => {
    fake.reset();
    fake.folders = [{ uri: Uri.file('/ws'), name: 'ws', index: 0 }];
  });
  const writer = () => new AssumptionWriter(store as never, config as never, log as never);

  it('writes one directive line into the given Python document, and nothing else', async () => {
    const doc = document(Uri.parse(CURRENT), 'import torch\nx = 1\n');
    fake.documents = [doc];
    expect(await writer().set(CURRENT, 'batch', ' 1,024 ')).toBe(true);
    expect(fake.applied).toHaveLength(1);
    const edits = fake.applied[0].edits;
    expect(edits).toHaveLength(1);
    expect(edits[0].uri.toString()).toBe(CURRENT);
    expect(edits[0].text).toMatch(/^# floplens: batch=1024\n?$/);
  });

  it.each([['mode', 'infer'], ['hardware', 't4'], ['batch', '64\nimport os'], ['batch', '-1'], ['dtype', 'fp64'], ['__proto__', '1']])(
    'refuses %s=%j without touching any document', async (key, value) => {
      fake.documents = [document(Uri.parse(CURRENT), 'import torch\n')];
      expect(await writer().set(CURRENT, key, value)).toBe(false);
      expect(fake.applied).toEqual([]);
    });

  it('never writes into a document that is not a Python script', async () => {
    fake.documents = [document(Uri.parse('file:///ws/settings.json'), '{}', 'json'), document(Uri.parse('file:///ws/notes.md'), '# notes', 'markdown')];
    for (const uri of ['file:///ws/settings.json', 'file:///ws/notes.md', 'file:///etc/passwd', 'output:extension-output-floplens']) {
      expect(await writer().set(uri, 'batch', '64'), uri).toBe(false);
    }
    expect(fake.applied).toEqual([]);
  });
});
