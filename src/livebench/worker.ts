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
  | { type: 'run'; id: number; product: number; row0: number; row1: number; kBlock: number; jBlock: number }
  /** Shared memory: take chunks (row0, row1 pairs) from the shared counter `next` until none is left, writing into the shared `c`. */
  | { type: 'runShared'; id: number; product: number; c: Float32Array; next: Int32Array; chunks: Int32Array; kBlock: number; jBlock: number };

/** Worker → host. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'done'; id: number; c?: Float32Array }
  | { type: 'error'; message: string };

type Post = (r: WorkerReply, transfer?: ArrayBuffer[]) => void;
type Connect = (handle: (m: WorkerRequest, post: Post) => void) => void;

/**
 * Runs inside the worker. Self-contained like `matmulTile` (its source text is shipped, not its closure); `tile` may be
 * any kernel with matmulTile's signature (simdKernel.ts), and gets the product's id last: the chunks of one product
 * share it, so a kernel may pack B once per product.
 */
export function workerBody(tile: (...args: [...Parameters<typeof matmulTile>, number]) => void, connect: Connect): void {
  let a: Float32Array | undefined, b: Float32Array | undefined, n = 0;
  connect((m, post) => {
    try {
      if (m.type === 'inputs') {
        a = m.a; b = m.b; n = m.n;
        post({ type: 'ready' });
      } else if (a && b && m.type === 'runShared') {
        for (let i = Atomics.add(m.next, 0, 1); 2 * i < m.chunks.length; i = Atomics.add(m.next, 0, 1)) {
          const row0 = m.chunks[2 * i], row1 = m.chunks[2 * i + 1];
          tile(a, b, m.c.subarray(row0 * n, row1 * n), n, row0, row1, m.kBlock, m.jBlock, m.product);
        }
        post({ type: 'done', id: m.id });
      } else if (a && b && m.type === 'run') {
        const c = new Float32Array((m.row1 - m.row0) * n);
        tile(a, b, c, n, m.row0, m.row1, m.kBlock, m.jBlock, m.product);
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
  private nextProduct = 1;
  private n = 0;
  private readonly pending = new Map<number, { resolve: (c?: Float32Array) => void; reject: (e: Error) => void }>();
  /** The inputs are in shared memory: workers take chunks from a shared counter and write into a shared C. */
  private shared = false;
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
    this.shared = typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer && b.buffer instanceof SharedArrayBuffer;
    const ready = this.ports.map(() => new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject })));
    for (const p of this.ports) p.post({ type: 'inputs', n, a, b });
    await Promise.all(ready);
  }

  /**
   * C = A · B across the workers, in row chunks (`chunkRows`) handed out as workers finish, so a core slowed by other
   * work, or an efficiency core, takes fewer chunks instead of holding the others up at the end. With shared memory
   * the workers take chunks from a shared counter and write into a shared C (one message per worker and product, no
   * copies); otherwise the chunks go by message, two in flight per worker so none waits for its next one.
   */
  async multiply(): Promise<Float32Array> {
    if (this.failure) throw new Error(`worker failed: ${this.failure}`);
    const n = this.n;
    const chunks = chunkRows(n, this.ports.length, this.shared ? MIN_CHUNK_FLOP.shared : MIN_CHUNK_FLOP.message);
    const product = this.nextProduct++;
    if (this.shared) {
      const c = new Float32Array(new SharedArrayBuffer(n * n * 4));
      const next = new Int32Array(new SharedArrayBuffer(4));
      const flat = Int32Array.from(chunks.flat());
      await Promise.all(this.ports.map((port) => {
        const id = this.nextId++;
        const done = new Promise<Float32Array | undefined>((resolve, reject) => this.pending.set(id, { resolve, reject }));
        port.post({ type: 'runShared', id, product, c, next, chunks: flat, kBlock: CPU_K_BLOCK, jBlock: CPU_J_BLOCK });
        return done;
      }));
      return c;
    }
    const c = new Float32Array(n * n);
    let next = 0, outstanding = 0;
    await new Promise<void>((resolve, reject) => {
      const send = (w: number): void => {
        if (next >= chunks.length) {
          if (outstanding === 0) resolve();
          return;
        }
        const [row0, row1] = chunks[next++];
        const id = this.nextId++;
        outstanding++;
        this.pending.set(id, {
          resolve: (band) => {
            if (band) c.set(band, row0 * n);
            outstanding--;
            send(w);
          },
          reject,
        });
        this.ports[w].post({ type: 'run', id, product, row0, row1, kBlock: CPU_K_BLOCK, jBlock: CPU_J_BLOCK });
      };
      for (let w = 0; w < this.ports.length; w++) send(w);
      for (let w = 0; w < this.ports.length; w++) send(w);
    });
    return c;
  }

  dispose(): void {
    for (const p of this.ports) p.terminate();
    this.fail('disposed');
  }
}

/**
 * Work of the smallest chunk worth a message, FLOP (1–2 ms at 25–50 GFLOP/s): each chunk costs a round trip
 * through the page's thread, and on a loaded machine every wake-up of a worker can wait a time slice. Chunks taken
 * from a shared counter cost no message: ~0.1 ms of work is enough.
 */
export const MIN_CHUNK_FLOP = { message: 5e7, shared: 4e6 } as const;

/**
 * The row chunks of one product on `workers` workers: the whole matrix on one; otherwise about 4 per worker of at
 * least `minChunkFlop` each, or one band per worker when the product is too small for that; boundaries at multiples
 * of 4 (the register tiles stay full).
 */
export function chunkRows(n: number, workers: number, minChunkFlop: number = MIN_CHUNK_FLOP.message): [number, number][] {
  if (n <= 0) return [];
  if (workers <= 1) return [[0, n]];
  const round4 = (x: number): number => Math.ceil(x / 4) * 4;
  let rows = round4(Math.max(16, minChunkFlop / (2 * n * n), n / (workers * 4)));
  if (Math.ceil(n / rows) < 2 * workers) rows = round4(n / workers);
  const out: [number, number][] = [];
  for (let r = 0; r < n; r += rows) out.push([r, Math.min(n, r + rows)]);
  return out;
}
