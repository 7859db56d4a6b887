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

/** Minimum contrast of a chart graphic (bar, line, dot) against the view's background: WCAG 2.1 SC 1.4.11. */
export const GRAPHIC_CONTRAST = 3;
/** Minimum contrast of chart text (device labels on the roofline): WCAG 2.1 SC 1.4.3. */
export const TEXT_CONTRAST = 4.5;

/** An sRGB colour with 0–255 channels and alpha 0–1. */
export interface Rgba { r: number; g: number; b: number; a: number }

/** Parses `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(…)` and `rgba(…)`; undefined for anything else. */
export function parseColor(css: string): Rgba | undefined {
  const s = css.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(s)?.[1];
  if (hex && [3, 4, 6, 8].includes(hex.length)) {
    const short = hex.length <= 4;
    const parts = short ? [...hex].map((c) => parseInt(c + c, 16)) : (hex.match(/../g) ?? []).map((c) => parseInt(c, 16));
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] / 255 : 1 };
  }
  const fn = /^rgba?\(([^)]*)\)$/.exec(s)?.[1];
  if (!fn) return undefined;
  const n = fn.split(/[\s,/]+/).filter(Boolean).map((v) => (v.endsWith('%') ? parseFloat(v) / 100 : parseFloat(v)));
  if (n.length < 3 || n.some((v) => !Number.isFinite(v))) return undefined;
  return { r: n[0], g: n[1], b: n[2], a: n.length > 3 ? Math.min(1, Math.max(0, n[3])) : 1 };
}

const hex2 = (v: number) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0');
const toHex = (c: Rgba) => `#${hex2(c.r)}${hex2(c.g)}${hex2(c.b)}`;

/** `top` painted with its alpha (times `opacity`) over an opaque `bottom`. */
export function composite(top: Rgba, bottom: Rgba, opacity = 1): Rgba {
  const a = top.a * opacity;
  return { r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a), b: top.b * a + bottom.b * (1 - a), a: 1 };
}

/** WCAG relative luminance of an opaque colour. */
function luminance(c: Rgba): number {
  const lin = (v: number) => {
    const x = v / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** WCAG contrast ratio (1–21) of `fg` (composited with `opacity` over `bg`) against the opaque `bg`. */
export function contrastRatio(fg: string, bg: string, opacity = 1): number {
  const b = parseColor(bg);
  const f = parseColor(fg);
  if (!b || !f) return NaN;
  const back = composite(b, { r: 0, g: 0, b: 0, a: 1 });
  const la = luminance(composite(f, back, opacity));
  const lb = luminance(back);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * `color`, or the nearest shade of it (mixed towards black on a light background, white on a dark one, in 5% steps)
 * whose contrast against `background` is at least `min`. Colours that cannot be read are returned unchanged.
 */
export function ensureContrast(color: string, background: string, min: number): string {
  const c = parseColor(color);
  const bg = parseColor(background);
  if (!c || !bg || contrastRatio(color, background) >= min) return color;
  const back = composite(bg, { r: 0, g: 0, b: 0, a: 1 });
  const target = luminance(back) > 0.18 ? 0 : 255;
  const base = composite(c, back);
  for (let t = 0.05; t <= 1.0001; t += 0.05) {
    const mixed = toHex({ r: base.r + (target - base.r) * t, g: base.g + (target - base.g) * t, b: base.b + (target - base.b) * t, a: 1 });
    if (contrastRatio(mixed, background) >= min) return mixed;
  }
  return target === 0 ? '#000000' : '#ffffff';
}

/** Reads one `--vscode-*` variable of the view ('' when unset). */
export type ThemeLookup = (name: string) => string;

/**
 * The chart theme from the view's variables and background. Every colour a chart draws as a graphic is brought to
 * {@link GRAPHIC_CONTRAST} against the background, whatever the theme's own palette (VS Code's light theme draws
 * `charts.orange` at 2.6:1 on white).
 */
export function themeFrom(lookup: ThemeLookup, opts: { highContrast: boolean; background?: string; fontFamily?: string }): ChartTheme {
  const v = (name: string, fallback: string) => lookup(name).trim() || fallback;
  const fg = v('--vscode-foreground', '#cccccc');
  const background = opts.background && parseColor(opts.background)?.a === 1
    ? opts.background
    : v('--vscode-editor-background', v('--vscode-sideBar-background', '#1e1e1e'));
  const graphic = (c: string) => ensureContrast(c, background, GRAPHIC_CONTRAST);
  return {
    foreground: fg,
    muted: v('--vscode-descriptionForeground', fg),
    grid: v('--vscode-charts-lines', v('--vscode-widget-border', '#8884')),
    background,
    series: [
      v('--vscode-charts-blue', '#3794ff'),
      v('--vscode-charts-orange', '#d18616'),
      v('--vscode-charts-green', '#89d185'),
      v('--vscode-charts-purple', '#b180d7'),
      v('--vscode-charts-yellow', '#cca700'),
      v('--vscode-charts-red', '#f14c4c'),
      v('--vscode-terminal-ansiCyan', '#29b8db'),
      v('--vscode-terminal-ansiMagenta', '#bc3fbc'),
    ].map(graphic),
    warning: graphic(v('--vscode-editorWarning-foreground', '#cca700')),
    error: graphic(v('--vscode-errorForeground', '#f48771')),
    ok: graphic(v('--vscode-charts-green', '#89d185')),
    fontFamily: opts.fontFamily ?? v('--vscode-font-family', 'system-ui, sans-serif'),
    highContrast: opts.highContrast,
  };
}

/** A device colour as text on the chart: at least {@link TEXT_CONTRAST} against the background. */
export function textColor(color: string, theme: ChartTheme): string {
  return ensureContrast(color, theme.background, TEXT_CONTRAST);
}

export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const kind = document.body.getAttribute('data-vscode-theme-kind') ?? '';
  const highContrast = kind.includes('high-contrast') || document.body.classList.contains('vscode-high-contrast');
  // The body's own background is the one charts sit on (the sidebar's differs from the editor's).
  return themeFrom((name) => style.getPropertyValue(name), { highContrast, background: style.backgroundColor });
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
