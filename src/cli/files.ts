/**
 * How the CLI reads what the user names (the script or notebook, `--hardware-file`, the files of `demo`'s folder)
 * and writes what it prints. Only regular files are read (after following links), never over the size cap the
 * editor has; a refusal is an `InputError` with a one-line message. Everything printed goes through
 * `stripControls` (no terminal escape sequences from a script), and a closed pipe ends the process quietly.
 */
import * as fs from 'fs';
import { MAX_INPUT_FILE_BYTES } from '../core/api';
import { formatBytes } from '../core/format';
import { stripControls } from '../core/report/escape';

/** A file the CLI will not read, or an input it cannot use; `message` is one line for the user. */
export class InputError extends Error {}

/** One line: the first line of a message, control characters removed. */
export function oneLine(s: string): string {
  return stripControls(String(s)).split('\n')[0].trim();
}

/**
 * The text of `file`, when it is a regular file (a link counts where it leads) of at most `maxBytes`. FIFOs,
 * devices, sockets and directories are refused before anything is opened, so nothing blocks or grows without
 * bound. The file is read through one descriptor checked again after opening (it cannot be swapped in between).
 */
export function readInputFile(file: string, what = 'file', maxBytes = MAX_INPUT_FILE_BYTES): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `no such ${what}: ${file}` : `cannot read ${what} ${file}: ${code ?? oneLine((e as Error).message)}`);
  }
  checkStat(st, file, what, maxBytes);
  let fd: number | undefined;
  try {
    // O_NONBLOCK: should the path have become a FIFO since the check, opening does not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const st2 = fs.fstatSync(fd);
    checkStat(st2, file, what, maxBytes);
    // Read to the end, never past the cap (a file that grows, or reports size 0 as /proc files do, is bounded too).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1 << 20, maxBytes + 1 - total));
      const r = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (r === 0) break;
      chunks.push(chunk.subarray(0, r));
      total += r;
      if (total > maxBytes) throw new InputError(`${what} ${file} is over the ${formatBytes(maxBytes)} limit; FlopLens did not read it`);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what} ${file}: ${code ?? oneLine((e as Error).message)}`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function checkStat(st: fs.Stats, file: string, what: string, maxBytes: number): void {
  const kind = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a named pipe (FIFO)' : st.isSocket() ? 'a socket'
    : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isFile() ? undefined : 'not a regular file';
  if (kind) throw new InputError(`${file} is ${kind}; FlopLens reads only regular files`);
  if (st.size > maxBytes) throw new InputError(`${what} ${file} is ${formatBytes(st.size)}, over the ${formatBytes(maxBytes)} limit; FlopLens did not read it`);
}


/** JSON for a terminal: JSON.stringify escapes C0 controls; C1 controls (8-bit CSI …) are escaped the same way. */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes user-derived text to stdout or stderr with control characters removed. */
export function print(stream: NodeJS.WritableStream, text: string): void {
  stream.write(stripControls(text));
}

/**
 * A reader that closes the pipe (`floplens analyze f.py | head`) makes the next write fail with EPIPE: exit
 * quietly (status 0, as `yes | head` does) instead of printing a stack trace.
 */
export function exitQuietlyOnEpipe(streams: NodeJS.WritableStream[] = [process.stdout, process.stderr]): void {
  for (const s of streams) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') process.exit(0);
      // Any other write error: nothing sensible can be printed to a broken stream.
      process.exit(1);
    });
  }
}
