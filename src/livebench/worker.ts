/**
 * The multi-threaded CPU kernel: the rows of C split across workers, each running `matmulTile`.
 * One worker source serves both hosts: a Web Worker from a blob URL in the webview (the page's CSP
 * carries `worker-src blob:`), and a `worker_threads` Worker with `eval: true` in Node. It is built
 * from the kernel's own source text, so there is one kernel, not a copy.
 */
import { CPU_J_BLOCK, CPU_K_BLOCK, matmulTile } from './matmul';

/** Host → worker. */
export type WorkerRequest =
  | { type: 'inputs'; n: number; a: Float32Array; b: Float32Array }
  | { type: 'run'; id: number; row0: number; row1: number; kBlock: number; jBlock: number };

/** Worker → host. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'done'; id: number; c: Float32Array }
  | { type: 'error'; message: string };

type Post = (r: WorkerReply, transfer?: ArrayBuffer[]) => void;
type Connect = (handle: (m: WorkerRequest, post: Post) => void) => void;

/** Runs inside the worker. Self-contained like `matmulTile` (its source text is shipped, not its closure); `tile` may be any kernel with matmulTile's signature (simdKernel.ts). */
export function workerBody(tile: typeof matmulTile, connect: Connect): void {
  let a: Float32Array | undefined, b: Float32Array | undefined, n = 0;
  connect((m, post) => {
    try {
      if (m.type === 'inputs') {
        a = m.a; b = m.b; n = m.n;
        post({ type: 'ready' });
      } else if (a && b) {
        const c = new Float32Array((m.row1 - m.row0) * n);
        tile(a, b, c, n, m.row0, m.row1, m.kBlock, m.jBlock);
        post({ type: 'done', id: m.id, c }, [c.buffer as ArrayBuffer]);
      } else {
        post({ type: 'error', message: 'run before inputs' });
      }
    } catch (e) {
      post({ type: 'error', message: String(e) });
    }
  });
}

/*
 * How each host wires messages. Kept as text: a literal require('worker_threads') in bundled code would
 * make the browser build try to resolve a Node built-in.
 */
export const WORKER_CONNECT = {
  browser: 'const connect = (handle) => { self.onmessage = (e) => handle(e.data, (r, t) => self.postMessage(r, t || [])); };',
  node: "const connect = (handle) => { const { parentPort } = require('worker_threads'); parentPort.on('message', (m) => handle(m, (r, t) => parentPort.postMessage(r, t || []))); };",
} as const;

/** JavaScript source of the matmul worker: a classic Web Worker script, or a Node `eval: true` worker. */
export function matmulWorkerSource(host: 'browser' | 'node'): string {
  return `"use strict";\nconst tile = ${matmulTile.toString()};\n${WORKER_CONNECT[host]}\n(${workerBody.toString()})(tile, connect);\n`;
}

/** The minimal worker handle both hosts provide. */
export interface WorkerPort {
  post(message: WorkerRequest): void;
  /** Registers the single reply handler. */
  listen(onReply: (reply: WorkerReply) => void, onError: (message: string) => void): void;
  terminate(): void;
}

/**
 * A fixed set of workers that multiply the current inputs, each computing a contiguous band of rows
 * (a multiple of 4 so the register tile stays full). Inputs are copied to every worker once per size;
 * a run posts only row ranges and receives the bands back as transferred buffers.
 */
export class RowPool {
  private nextId = 1;
  private n = 0;
  private readonly pending = new Map<number, { resolve: (c: Float32Array) => void; reject: (e: Error) => void }>();
  private readyWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private failure: string | undefined;

  constructor(private readonly ports: WorkerPort[]) {
    for (const p of ports) {
      p.listen(
        (r) => this.onReply(r),
        (message) => this.fail(message),
      );
    }
  }

  get threads(): number {
    return this.ports.length;
  }

  private onReply(r: WorkerReply): void {
    if (r.type === 'ready') {
      this.readyWaiters.shift()?.resolve();
    } else if (r.type === 'done') {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      p?.resolve(r.c);
    } else {
      this.fail(r.message);
    }
  }

  private fail(message: string): void {
    this.failure = message;
    const error = new Error(`worker failed: ${message}`);
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    for (const w of this.readyWaiters.splice(0)) w.reject(error);
  }

  /** Copies A and B (n×n) to every worker. */
  async setInputs(a: Float32Array, b: Float32Array, n: number): Promise<void> {
    if (this.failure) throw new Error(`worker failed: ${this.failure}`);
    this.n = n;
    const ready = this.ports.map(() => new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject })));
    for (const p of this.ports) p.post({ type: 'inputs', n, a, b });
    await Promise.all(ready);
  }

  /** C = A · B across the workers. */
  async multiply(): Promise<Float32Array> {
    if (this.failure) throw new Error(`worker failed: ${this.failure}`);
    const n = this.n;
    const bands = splitRows(n, this.ports.length);
    const c = new Float32Array(n * n);
    await Promise.all(bands.map(([row0, row1], w) => {
      if (row1 <= row0) return Promise.resolve();
      const id = this.nextId++;
      const done = new Promise<Float32Array>((resolve, reject) => this.pending.set(id, { resolve, reject }));
      this.ports[w].post({ type: 'run', id, row0, row1, kBlock: CPU_K_BLOCK, jBlock: CPU_J_BLOCK });
      return done.then((band) => c.set(band, row0 * n));
    }));
    return c;
  }

  dispose(): void {
    for (const p of this.ports) p.terminate();
    this.fail('disposed');
  }
}

/** Splits n rows into `parts` contiguous bands whose boundaries are multiples of 4. */
export function splitRows(n: number, parts: number): [number, number][] {
  const quads = Math.ceil(n / 4);
  const out: [number, number][] = [];
  for (let p = 0; p < parts; p++) {
    const q0 = Math.floor((quads * p) / parts), q1 = Math.floor((quads * (p + 1)) / parts);
    out.push([Math.min(n, q0 * 4), Math.min(n, q1 * 4)]);
  }
  return out;
}
