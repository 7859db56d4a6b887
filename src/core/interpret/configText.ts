/**
 * Configs written as text inside the script: `json.loads("""{…}""")`, `yaml.safe_load("""…""")`,
 * `OmegaConf.create("""…""")`. The text is a literal the evaluator already knows, so it is parsed here
 * (never executed) into plain values: JSON with JSON.parse, YAML with a block/flow subset parser that
 * covers what configs use (nested mappings, lists, scalars, comments). Anything else is `undefined`.
 */

export type Plain = number | string | boolean | null | Plain[] | { [k: string]: Plain };

export function parseJsonText(text: string): Plain | undefined {
  try {
    return JSON.parse(text) as Plain;
  } catch {
    return undefined;
  }
}

/** A YAML 1.1 scalar as PyYAML's safe loader reads it (numbers, bools, null, quoted or plain strings). */
function scalar(raw: string): Plain {
  const t = raw.trim();
  if (t === '' || t === '~' || /^(null|Null|NULL)$/.test(t)) return null;
  if (/^(true|True|TRUE|yes|Yes|YES|on|On|ON)$/.test(t)) return true;
  if (/^(false|False|FALSE|no|No|NO|off|Off|OFF)$/.test(t)) return false;
  if (/^'.*'$/.test(t)) return t.slice(1, -1).replace(/''/g, "'");
  if (/^".*"$/.test(t)) return parseJsonText(t) as string ?? t.slice(1, -1);
  if (/^[-+]?(\d[\d_]*)$/.test(t)) return Number(t.replace(/_/g, ''));
  if (/^[-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?$/.test(t) && /\d/.test(t)) return Number(t.replace(/_/g, ''));
  if (/^[-+]?\.(inf|Inf|INF)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  return t;
}

/** Strip a trailing `# comment` that is not inside quotes. */
function stripComment(line: string): string {
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) { if (c === q) q = undefined; continue; }
    if (c === '"' || c === "'") q = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

/** Flow collections: `[1, 2, {a: b}]`, `{lr: 0.1, betas: [0.9, 0.95]}`. */
function flow(text: string): Plain | undefined {
  let i = 0;
  const ws = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const item = (): Plain => {
    ws();
    if (text[i] === '[') {
      i++;
      const out: Plain[] = [];
      for (ws(); text[i] !== ']'; ws()) {
        if (i >= text.length) throw new Error('unterminated');
        out.push(item());
        ws();
        if (text[i] === ',') i++;
      }
      i++;
      return out;
    }
    if (text[i] === '{') {
      i++;
      const out: { [k: string]: Plain } = {};
      for (ws(); text[i] !== '}'; ws()) {
        if (i >= text.length) throw new Error('unterminated');
        const k = atom(':');
        if (text[i] === ':') i++;
        out[String(k)] = item();
        ws();
        if (text[i] === ',') i++;
      }
      i++;
      return out;
    }
    return atom('');
  };
  const atom = (stop: string): Plain => {
    ws();
    const start = i;
    if (text[i] === '"' || text[i] === "'") {
      const q = text[i++];
      while (i < text.length && text[i] !== q) i++;
      i++;
      return scalar(text.slice(start, i));
    }
    while (i < text.length && !',]}'.includes(text[i]) && !(stop && text[i] === stop && /\s|,|}/.test(text[i + 1] ?? ' '))) i++;
    return scalar(text.slice(start, i));
  };
  try {
    const v = item();
    ws();
    return i === text.length ? v : undefined;
  } catch {
    return undefined;
  }
}

interface Line { indent: number; text: string }

export function parseYamlText(text: string): Plain | undefined {
  if (text.length > 200_000) return undefined;
  const lines: Line[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (/^(---|\.\.\.)\s*$/.test(raw)) continue;
    const s = stripComment(raw).replace(/\s+$/, '');
    if (!s.trim()) continue;
    if (/\t/.test(s.slice(0, s.length - s.trimStart().length))) return undefined;
    lines.push({ indent: s.length - s.trimStart().length, text: s.trim() });
  }
  if (lines.length === 0) return null;
  let pos = 0;
  const value = (inline: string, indent: number): Plain => {
    const v = inline.trim();
    if (v === '' || v === '|' || v === '>') {
      if (pos < lines.length && lines[pos].indent > indent) return block(lines[pos].indent);
      if (pos < lines.length && lines[pos].indent === indent && lines[pos].text.startsWith('- ')) return block(indent);
      return null;
    }
    if (v.startsWith('[') || v.startsWith('{')) return flow(v) ?? v;
    return scalar(v);
  };
  const keyOf = (t: string): [string, string] | undefined => {
    const m = /^("[^"]*"|'[^']*'|[^:#'"[{][^:]*?)\s*:(?:\s+(.*)|$)/.exec(t);
    return m ? [String(scalar(m[1])), m[2] ?? ''] : undefined;
  };
  const block = (indent: number): Plain => {
    if (lines[pos].text === '-' || lines[pos].text.startsWith('- ')) {
      const out: Plain[] = [];
      while (pos < lines.length && lines[pos].indent === indent && (lines[pos].text === '-' || lines[pos].text.startsWith('- '))) {
        const rest = lines[pos].text.slice(1).trim();
        const kv = keyOf(rest);
        if (kv && !rest.startsWith('{') && !rest.startsWith('[')) {
          // `- key: v` opens a mapping whose other keys sit at the column after '- '
          const inner = indent + (lines[pos].text.length - rest.length);
          lines[pos] = { indent: inner, text: rest };
          out.push(block(inner));
        } else {
          pos++;
          out.push(value(rest, indent));
        }
      }
      return out;
    }
    const out: { [k: string]: Plain } = {};
    while (pos < lines.length && lines[pos].indent === indent) {
      const kv = keyOf(lines[pos].text);
      if (!kv) throw new Error('not a mapping line');
      pos++;
      out[kv[0]] = value(kv[1], indent);
    }
    return out;
  };
  try {
    if (lines.length === 1 && !keyOf(lines[0].text)) return value(lines[0].text, -1);
    const v = block(lines[0].indent);
    return pos === lines.length ? v : undefined;
  } catch {
    return undefined;
  }
}
