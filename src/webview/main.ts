/**
 * Webview entry for the sidebar and the comparison panel (`data-view` on <body> says which).
 * Posts `ready`, then renders every validated `state` message; UI state persists via getState/setState.
 */
import { assertNever, parseHostMessage, type ViewKind, type ViewState } from '../shared/protocol';
import { focusOpRow, renderPanel } from './panel';
import { renderSidebar, type RenderContext } from './sidebar';
import { readTheme, watchTheme } from './theme';
import { loadUi, post, saveUi, type UiState } from './vscodeApi';

const view: ViewKind = document.body.dataset.view === 'panel' ? 'panel' : 'sidebar';
const root = document.getElementById('root') ?? document.body;
let state: ViewState | undefined;
let ui: UiState = loadUi();
let theme = readTheme();
let deferred = false;
let lastWidth = 0;

function width(): number {
  return Math.max(200, root.clientWidth || document.documentElement.clientWidth || 300);
}

/** An assumption being edited must not be thrown away by a re-render; render once it is done. */
function editing(): boolean {
  const el = document.activeElement;
  return el instanceof HTMLElement && el.classList.contains('edit');
}

function render(): void {
  if (!state) return;
  if (editing()) {
    deferred = true;
    return;
  }
  deferred = false;
  const scroll = document.scrollingElement?.scrollTop ?? 0;
  lastWidth = width();
  const ctx: RenderContext = {
    state,
    ui,
    theme,
    width: lastWidth,
    update(change) {
      ui = { ...ui, ...change };
      saveUi(ui);
      render();
    },
    persist(change) {
      ui = { ...ui, ...change };
      saveUi(ui);
      ctx.ui = ui;
    },
  };
  try {
    root.replaceChildren(view === 'panel' ? renderPanel(ctx) : renderSidebar(ctx));
  } catch (e) {
    post({ type: 'webviewError', message: `render failed: ${e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e)}` });
  }
  if (document.scrollingElement) document.scrollingElement.scrollTop = scroll;
}

window.addEventListener('message', (event: MessageEvent) => {
  const msg = parseHostMessage(event.data);
  if (!msg) return;
  switch (msg.type) {
    case 'state':
      state = msg.state;
      render();
      break;
    case 'focusOp':
      if (!ui.showAllOps) {
        ui = { ...ui, showAllOps: true };
        saveUi(ui);
        render();
      }
      focusOpRow(root, msg.opIndex);
      break;
    default:
      assertNever(msg);
  }
});

document.addEventListener('focusout', () => {
  if (deferred) setTimeout(() => !editing() && render(), 0);
});

watchTheme(() => {
  theme = readTheme();
  render();
});

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  if (resizeTimer) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (Math.abs(width() - lastWidth) > 16) render();
  }, 80);
}).observe(root);

window.addEventListener('error', (e) => post({ type: 'webviewError', message: `${e.message} at ${e.filename}:${e.lineno}` }));

post({ type: 'ready', view });
