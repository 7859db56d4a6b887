import type { WebviewMessage } from '../shared/protocol';

/** UI-only state a webview keeps across hide/show and reloads (never analysis data). */
export interface UiState {
  /** Sidebar headline: time per step or for the whole run. */
  metric: 'step' | 'run';
  /** Panel: device whose op times, bounds and shares the roofline and table use. */
  focusDevice?: string;
  /** Device ids hidden from the charts. */
  hidden: string[];
  sortKey: string;
  sortDesc: boolean;
  /** Per-layer table shows every op rather than the first page. */
  showAllOps: boolean;
  /** Collapsed section ids. */
  collapsed: string[];
}

export const DEFAULT_UI: UiState = { metric: 'run', hidden: [], sortKey: 'share', sortDesc: true, showAllOps: false, collapsed: [] };

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = typeof acquireVsCodeApi === 'function'
  ? acquireVsCodeApi()
  : { postMessage: (m) => console.log('[floplens] post', m), getState: () => undefined, setState: () => undefined };

/** Posts a typed message to the host. */
export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function loadUi(): UiState {
  const s = api.getState();
  if (typeof s !== 'object' || s === null) return { ...DEFAULT_UI };
  const o = s as Partial<UiState>;
  return {
    metric: o.metric === 'step' ? 'step' : 'run',
    focusDevice: typeof o.focusDevice === 'string' ? o.focusDevice : undefined,
    hidden: Array.isArray(o.hidden) ? o.hidden.filter((x): x is string => typeof x === 'string') : [],
    sortKey: typeof o.sortKey === 'string' ? o.sortKey : DEFAULT_UI.sortKey,
    sortDesc: typeof o.sortDesc === 'boolean' ? o.sortDesc : DEFAULT_UI.sortDesc,
    showAllOps: o.showAllOps === true,
    collapsed: Array.isArray(o.collapsed) ? o.collapsed.filter((x): x is string => typeof x === 'string') : [],
  };
}

export function saveUi(ui: UiState): void {
  api.setState(ui);
}
