/**
 * Messages between the extension host and the analysis worker (a `worker_threads` thread in the extension host
 * process that runs the pure core). One request at a time; every reply carries the request's id. The worker first
 * answers `started`, then the result.
 */
import type { AnalyzeInput } from '../../core/api';
import type { Analysis } from '../../core/types';

export type WorkerRequest =
  | { id: number; type: 'analyze'; input: AnalyzeInput }
  | { id: number; type: 'imports'; text: string; cacheKey?: string };

export type WorkerReply =
  /** Sent as the worker picks a request up, before it works on it: the host's time limit counts from here. */
  | { id: number; ok: true; type: 'started' }
  | { id: number; ok: true; type: 'analyze'; analysis: Analysis }
  | { id: number; ok: true; type: 'imports'; names: string[] }
  | { id: number; ok: false; error: string };
