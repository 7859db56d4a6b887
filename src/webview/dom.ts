/**
 * A tiny DOM builder. Text is always set with textContent and attributes with setAttribute, so
 * source-derived strings (layer names, paths, notes) can never become markup.
 */

type Child = Node | string | number | false | null | undefined;

export interface Attrs {
  class?: string;
  title?: string;
  /** Any other attribute (aria-*, data-*, role, type, value, …). Event handlers go in `on`. */
  [attr: string]: string | number | boolean | undefined | Record<string, (e: Event) => void>;
}

/** Creates `<tag attrs>children</tag>`; `on` holds event listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs & { on?: Record<string, (e: Event) => void> } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'on') {
      for (const [ev, fn] of Object.entries(v as Record<string, (e: Event) => void>)) el.addEventListener(ev, fn);
    } else if (v === true) {
      el.setAttribute(k, '');
    } else if (v !== undefined && v !== false) {
      el.setAttribute(k, String(v));
    }
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces all children of `el`. */
export function replaceChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

/** A section with a heading. */
export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

/** A small badge (provenance, bound, fit). */
export function badge(text: string, kind: string, title?: string): HTMLElement {
  return h('span', { class: `badge badge-${kind}`, title }, text);
}
