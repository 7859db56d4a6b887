/**
 * The analysis worker: runs the pure core off the extension host's main thread, so a long analysis never
 * delays typing, other extensions or FlopLens's own views, and a runaway one can be stopped (the host
 * terminates this thread). It keeps the core's parse cache between requests, so re-analysis after an edit
 * stays incremental. It reads nothing and starts nothing: the host sends the text and the modules.
 */
import { parentPort } from 'worker_threads';
import { analyze, localImports } from '../../core/analyze';
import type { WorkerReply, WorkerRequest } from './protocol';

const port = parentPort;
port?.on('message', (req: WorkerRequest) => {
  // The host's time limit counts from here, not from the thread's start (loading the core takes its own time).
  port.postMessage({ id: req.id, ok: true, type: 'started' } satisfies WorkerReply);
  let reply: WorkerReply;
  try {
    reply = req.type === 'analyze'
      ? { id: req.id, ok: true, type: 'analyze', analysis: analyze(req.input) }
      : { id: req.id, ok: true, type: 'imports', names: localImports(req.text, req.cacheKey) };
  } catch (e) {
    // The core returns problems rather than throwing; this is a FlopLens bug, reported to the host's log.
    reply = { id: req.id, ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) };
  }
  port.postMessage(reply);
});
