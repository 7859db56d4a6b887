/**
 * Chart colours from the VS Code theme (`--vscode-charts-*`, `--vscode-*`), read as concrete values
 * because SVG presentation attributes do not resolve CSS variables everywhere. Views redraw when the
 * theme changes (VS Code swaps the body class and `data-vscode-theme-kind`).
 */

export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  /** Distinct series colours, in order. */
  series: string[];
  warning: string;
  error: string;
  ok: string;
  fontFamily: string;
  highContrast: boolean;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const kind = document.body.getAttribute('data-vscode-theme-kind') ?? '';
  const highContrast = kind.includes('high-contrast') || document.body.classList.contains('vscode-high-contrast');
  const fg = cssVar(style, '--vscode-foreground', '#cccccc');
  return {
    foreground: fg,
    muted: cssVar(style, '--vscode-descriptionForeground', fg),
    grid: cssVar(style, '--vscode-charts-lines', cssVar(style, '--vscode-widget-border', '#8884')),
    background: cssVar(style, '--vscode-editor-background', cssVar(style, '--vscode-sideBar-background', '#1e1e1e')),
    series: [
      cssVar(style, '--vscode-charts-blue', '#3794ff'),
      cssVar(style, '--vscode-charts-orange', '#d18616'),
      cssVar(style, '--vscode-charts-green', '#89d185'),
      cssVar(style, '--vscode-charts-purple', '#b180d7'),
      cssVar(style, '--vscode-charts-yellow', '#cca700'),
      cssVar(style, '--vscode-charts-red', '#f14c4c'),
      cssVar(style, '--vscode-terminal-ansiCyan', '#29b8db'),
      cssVar(style, '--vscode-terminal-ansiMagenta', '#bc3fbc'),
    ],
    warning: cssVar(style, '--vscode-editorWarning-foreground', '#cca700'),
    error: cssVar(style, '--vscode-errorForeground', '#f48771'),
    ok: cssVar(style, '--vscode-charts-green', '#89d185'),
    fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, sans-serif'),
    highContrast,
  };
}

/** Calls `onChange` when the VS Code theme changes. */
export function watchTheme(onChange: () => void): void {
  let last = themeKey();
  new MutationObserver(() => {
    const now = themeKey();
    if (now !== last) {
      last = now;
      onChange();
    }
  }).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind', 'data-vscode-theme-name'] });
}

function themeKey(): string {
  return `${document.body.className}|${document.body.getAttribute('data-vscode-theme-name') ?? ''}`;
}

/** A stable colour per device id across charts: order of the compared list. */
export function deviceColors(ids: string[], theme: ChartTheme): Map<string, string> {
  return new Map(ids.map((id, i) => [id, theme.series[i % theme.series.length]]));
}
