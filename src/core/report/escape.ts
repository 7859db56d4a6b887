/**
 * The one place user-controlled text (script names, module paths, class names, hardware names from settings,
 * assumption notes, problem messages) is made safe for where it is shown: Markdown (hovers, the report), a
 * terminal (the CLI), and VS Code labels that render `$(icon)` syntax (CodeLens titles). Pure.
 */

/** C0 and C1 control characters other than tab and newline (ESC starts terminal escape sequences, CR overwrites lines). */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text for a terminal: control characters other than newline and tab removed. */
export function stripControls(s: string): string {
  return s.replace(CONTROLS, '');
}

/**
 * User text as inline Markdown that renders as exactly that text: one line (a line break could start a heading,
 * a list, a table row or a link definition), every ASCII punctuation character that Markdown or GFM read as
 * syntax backslash-escaped (no link, image, `<…>` autolink, `command:` link, emphasis, code span, HTML, entity or
 * table cell can form), and control characters removed. It renders as the original text. (A bare `https://…` may
 * still be linkified by a GFM renderer: a web link, which VS Code confirms before opening, never a command.)
 */
export function escapeMarkdown(s: string): string {
  return stripControls(String(s))
    .replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ')
    .replace(/[\\`*_{}[\]()<>!|~&$]/g, (c) => `\\${c}`)
    // Block syntax counts only where the text starts a line: a heading, a list item (`-`, `+`, `1.`), a setext rule.
    .replace(/^(\s*)([#+\-=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** User text as an inline code span: one line, backticks replaced (they cannot be escaped inside a span), bounded. */
export function markdownCode(s: string, max = 120): string {
  const t = stripControls(String(s)).replace(/`/g, "'").replace(/\s+/g, ' ').slice(0, max);
  return `\`${t}\``;
}

/** User text in a VS Code label that renders `$(icon)` (CodeLens titles, status bar): icons escaped, one line. */
export function escapeLabel(s: string): string {
  return stripControls(String(s)).replace(/\s*[\r\n]+\s*/g, ' ').replace(/\$\(/g, '\\$(');
}
