/**
 * A VS Code notebook's saved outputs as the core reads them from an .ipynb file (`CellOutputs`, src/core/notebook.ts):
 * the text/plain of a cell's execute_result and its stdout, decoded as UTF-8. Pure (structural types, no `vscode`
 * import) so that it is unit-tested; analysisStore.ts hands it `vscode.NotebookCell`s.
 */
import type { CellOutputs } from '../core/notebook';
import { MAX_OUTPUT_CHARS } from '../core/notebook';

/** What this reads of a `vscode.NotebookCell`. */
export interface OutputCell {
  /** 0-based position in the notebook (markdown cells counted). */
  readonly index: number;
  readonly outputs: readonly {
    readonly items: readonly { readonly mime: string; readonly data: Uint8Array }[];
    /** VS Code's ipynb serializer and the Jupyter extension keep the nbformat output type as `outputType`. */
    readonly metadata?: { readonly [key: string]: unknown };
  }[];
}

const STDOUT = 'application/vnd.code.notebook.stdout';
/** Most output entries of one cell read, as for .ipynb files. */
const MAX_OUTPUTS = 256;

/**
 * The saved outputs of one code cell: an output whose `outputType` is `execute_result` gives its text/plain as the
 * result (an output without an `outputType`, from another serializer, counts as one); stdout items are joined in
 * order. Each text is cut at MAX_OUTPUT_CHARS; an item that does not decode is skipped.
 */
export function cellOutputs(cell: OutputCell): CellOutputs {
  const o: CellOutputs = { cell: cell.index + 1 };
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const text = (data: Uint8Array): string | undefined => {
    try { return decoder.decode(data.subarray(0, MAX_OUTPUT_CHARS * 4)); } catch { return undefined; }
  };
  let stdout = '';
  for (const output of (cell.outputs ?? []).slice(0, MAX_OUTPUTS)) {
    const kind = output.metadata?.outputType;
    for (const item of output.items ?? []) {
      if (!(item?.data instanceof Uint8Array)) continue;
      if (item.mime === STDOUT && stdout.length < MAX_OUTPUT_CHARS) stdout += text(item.data) ?? '';
      else if (item.mime === 'text/plain' && (kind === 'execute_result' || kind === undefined)) {
        const t = text(item.data);
        if (t !== undefined) o.result = t.slice(0, MAX_OUTPUT_CHARS);
      }
    }
  }
  if (stdout) o.stdout = stdout.slice(0, MAX_OUTPUT_CHARS);
  return o;
}
