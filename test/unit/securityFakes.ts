/**
 * A small stand-in for the `vscode` module, for the security unit tests of host code that is not pure
 * (module reader, webview message handling, assumption writer, HTML renderer). Only what those modules touch
 * is here, and it behaves as VS Code documents it: `Uri.joinPath` normalises `..`, `workspace.fs.stat` reports a
 * symbolic link as `File | SymbolicLink`, `getWorkspaceFolder` matches by path prefix. Use it with
 * `vi.mock('vscode', async () => (await import('./securityFakes')).vscode)` and reset `fake` between tests.
 */
import * as fs from 'fs';
import * as path from 'path';

export class Uri {
  constructor(readonly scheme: string, readonly authority: string, readonly path: string, readonly query = '', readonly fragment = '') {}
  static file(p: string): Uri {
    return new Uri('file', '', path.posix.normalize(p));
  }
  static parse(s: string): Uri {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(s);
    if (!m) throw new Error(`not a URI: ${s}`);
    return new Uri(m[1], m[2] ?? '', decodeURIComponent(m[3] || '/'), m[4] ?? '', m[5] ?? '');
  }
  /** As VS Code: the segments are joined and the path normalised (`..` resolved, never above `/`). */
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return base.with({ path: path.posix.join(base.path, ...segments) });
  }
  with(change: { scheme?: string; authority?: string; path?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path, this.query, this.fragment);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
}

export class Position {
  constructor(readonly line: number, readonly character: number) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c as number, d as number) : (b as Position);
  }
}

export class Selection extends Range {}

export class WorkspaceEdit {
  readonly edits: { uri: Uri; range: Range; text: string }[] = [];
  replace(uri: Uri, range: Range, text: string): void {
    this.edits.push({ uri, range, text });
  }
  insert(uri: Uri, position: Position, text: string): void {
    this.edits.push({ uri, range: new Range(position, position), text });
  }
}

export class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  readonly event = (fn: (e: T) => void) => {
    this.listeners.push(fn);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== fn)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 } as const;

/** A text document as the host sees it. */
export interface FakeDocument {
  uri: Uri;
  languageId: string;
  version: number;
  isUntitled: boolean;
  isClosed: boolean;
  getText(): string;
  positionAt(offset: number): Position;
}

export function document(uri: Uri, text: string, languageId = 'python', version = 1): FakeDocument {
  return {
    uri, languageId, version, isUntitled: uri.scheme === 'untitled', isClosed: false,
    getText: () => text,
    positionAt(offset: number) {
      const before = text.slice(0, offset).split('\n');
      return new Position(before.length - 1, before[before.length - 1].length);
    },
  };
}

/** The state the fake reads and records; tests set it up and inspect it. */
export const fake = {
  folders: [] as { uri: Uri; name: string; index: number }[],
  documents: [] as FakeDocument[],
  /** In-memory files by URI string, for non-`file` schemes (a virtual workspace); `file` URIs read the disk. */
  memory: new Map<string, string>(),
  /** Every URI the host stat-ed or read, in order. */
  touched: [] as string[],
  applied: [] as WorkspaceEdit[],
  shown: [] as { uri: string; options?: unknown }[],
  commands: [] as { id: string; args: unknown[] }[],
  messages: [] as string[],
  reset(): void {
    this.folders = [];
    this.documents = [];
    this.memory = new Map();
    this.touched = [];
    this.applied = [];
    this.shown = [];
    this.commands = [];
    this.messages = [];
  },
};

function statOf(uri: Uri): { type: number; size: number; mtime: number; ctime: number } {
  fake.touched.push(uri.toString());
  if (uri.scheme !== 'file') {
    const text = fake.memory.get(uri.toString());
    if (text === undefined) throw new Error(`EntryNotFound: ${uri.toString()}`);
    return { type: FileType.File, size: Buffer.byteLength(text), mtime: 1, ctime: 1 };
  }
  const l = fs.lstatSync(uri.path);
  const s = l.isSymbolicLink() ? fs.statSync(uri.path) : l;
  const type = (s.isFile() ? FileType.File : s.isDirectory() ? FileType.Directory : FileType.Unknown) | (l.isSymbolicLink() ? FileType.SymbolicLink : 0);
  return { type, size: s.size, mtime: s.mtimeMs, ctime: s.ctimeMs };
}

function folderOf(uri: Uri) {
  return fake.folders.find((f) => f.uri.scheme === uri.scheme && f.uri.authority === uri.authority && (uri.path === f.uri.path || uri.path.startsWith(`${f.uri.path.replace(/\/$/, '')}/`)));
}

export const vscode = {
  Uri, Position, Range, Selection, WorkspaceEdit, EventEmitter, FileType,
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
  NotebookCellKind: { Markup: 1, Code: 2 },
  workspace: {
    get workspaceFolders() {
      return fake.folders;
    },
    get textDocuments() {
      return fake.documents;
    },
    notebookDocuments: [] as unknown[],
    getWorkspaceFolder: (uri: Uri) => folderOf(uri),
    asRelativePath(uri: Uri | string) {
      const u = typeof uri === 'string' ? Uri.file(uri) : uri;
      const f = folderOf(u);
      return f ? path.posix.relative(f.uri.path, u.path) : u.path;
    },
    fs: {
      stat: async (uri: Uri) => statOf(uri),
      readFile: async (uri: Uri) => {
        fake.touched.push(uri.toString());
        if (uri.scheme !== 'file') {
          const text = fake.memory.get(uri.toString());
          if (text === undefined) throw new Error(`EntryNotFound: ${uri.toString()}`);
          return new TextEncoder().encode(text);
        }
        return new Uint8Array(fs.readFileSync(uri.path));
      },
      readDirectory: async (uri: Uri): Promise<[string, number][]> => {
        fake.touched.push(uri.toString());
        if (uri.scheme !== 'file') throw new Error(`EntryNotFound: ${uri.toString()}`);
        return fs.readdirSync(uri.path, { withFileTypes: true }).map((d) => [d.name, d.isDirectory() ? FileType.Directory : FileType.File]);
      },
    },
    async openTextDocument(uri: Uri) {
      const open = fake.documents.find((d) => d.uri.toString() === uri.toString());
      if (open) return open;
      if (uri.scheme !== 'file' || !fs.existsSync(uri.path)) throw new Error(`cannot open ${uri.toString()}`);
      const doc = document(uri, fs.readFileSync(uri.path, 'utf8'), uri.path.endsWith('.py') ? 'python' : 'plaintext');
      fake.documents.push(doc);
      return doc;
    },
    async applyEdit(edit: WorkspaceEdit) {
      fake.applied.push(edit);
      return true;
    },
  },
  window: {
    visibleTextEditors: [] as unknown[],
    async showTextDocument(uri: Uri | FakeDocument, options?: unknown) {
      fake.shown.push({ uri: ('uri' in uri ? uri.uri : uri).toString(), options });
      return {};
    },
    setStatusBarMessage(message: string) {
      fake.messages.push(message);
      return { dispose() {} };
    },
    async showWarningMessage(message: string) {
      fake.messages.push(message);
      return undefined;
    },
    async showInformationMessage(message: string) {
      fake.messages.push(message);
      return undefined;
    },
  },
  commands: {
    async executeCommand(id: string, ...args: unknown[]) {
      fake.commands.push({ id, args });
      return undefined;
    },
  },
};
