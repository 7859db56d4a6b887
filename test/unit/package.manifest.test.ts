/**
 * The Marketplace package: `vsce ls` (what `npm run package` ships, from the `.vscodeignore` allow-list) holds the
 * user README, every image and file it links to, the 128×128 icon, the CHANGELOG and the licence, and nothing of the
 * source, tests or developer guide; the manifest's gallery fields point nowhere false.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The bundles `npm run package` builds before packaging; built here when missing (a fresh clone runs the unit tests first). */
const BUNDLES = ['dist/extension.js', 'dist/analysisWorker.js', 'dist/webview/main.js'];

function vsceLs(): string[] {
  if (BUNDLES.some((f) => !fs.existsSync(path.join(ROOT, f)))) {
    execFileSync(process.execPath, ['esbuild.js', '--production'], { cwd: ROOT, stdio: 'ignore', timeout: 300_000 });
  }
  const bin = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const out = execFileSync(process.execPath, [bin, 'ls'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return out.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Relative targets of Markdown links and images (`[t](p)`, `![a](p)`), without anchors. */
function relativeLinks(md: string): string[] {
  const out: string[] = [];
  for (const m of md.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const target = m[1].split('#')[0];
    if (target && !/^[a-z]+:/i.test(target)) out.push(target);
  }
  return out;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('the .vsix contents (vsce ls)', () => {
  const shipped = vsceLs();

  it('ships the user README, CHANGELOG, licence, icon, bundles and webview assets', () => {
    for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media/icon.png', ...BUNDLES, 'media/webview.css']) {
      expect(shipped, f).toContain(f);
    }
  });

  it('ships no source, tests, dependencies, developer guide or icon source', () => {
    const leaked = shipped.filter((f) => /^(src|test|node_modules|bench|corpus|scripts|examples)\//.test(f)
      || f === 'docs/DEVELOPMENT.md' || f === 'docs/DESIGN.md' || f.endsWith('.map') || f === 'docs/icon.svg');
    expect(leaked).toEqual([]);
  });

  it('every image in the README is a file in the package (vsce keeps the links relative)', () => {
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    expect(images.length).toBeGreaterThan(3);
    for (const img of images) expect(shipped, img).toContain(img);
    expect(String((manifest.scripts as Record<string, string>).package)).toContain('--no-rewrite-relative-links');
  });

  it('every relative link in the README and CHANGELOG names a file that exists in the repository', () => {
    const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    for (const link of [...relativeLinks(readme), ...relativeLinks(changelog)]) {
      expect(fs.existsSync(path.join(ROOT, link)), link).toBe(true);
    }
  });
});

describe('the manifest and the READMEs', () => {
  it('the icon is a 128×128 PNG named by the manifest', () => {
    expect(manifest.icon).toBe('media/icon.png');
    expect(pngSize(path.join(ROOT, 'media/icon.png'))).toEqual({ width: 128, height: 128 });
  });

  it('has a gallery banner and no invented repository, bugs or Q&A address', () => {
    const banner = manifest.galleryBanner as { color: string; theme: string };
    expect(banner.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(['dark', 'light']).toContain(banner.theme);
    // The project has no public repository: the Marketplace's own Q&A is switched off and no URL is made up.
    expect(manifest.qna).toBe(false);
    expect(manifest.repository).toBeUndefined();
    expect(manifest.bugs).toBeUndefined();
    expect(readme).not.toMatch(/github\.com\/floplens/i);
  });

  it('the user README covers settings, directives and privacy; the repository README keeps the two entry commands', () => {
    for (const heading of ['## Settings', '## Directives', '## Privacy and safety']) expect(readme).toContain(heading);
    expect(readme).toMatch(/never runs Python/);
    expect(readme).toMatch(/no network requests/);
    for (const key of Object.keys((manifest.contributes as { configuration: { properties: object } }).configuration.properties)) {
      const short = key.replace(/^floplens\./, '').split('.')[0];
      expect(readme, key).toContain(`floplens.${short}`);
    }
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
    expect(readme).toContain('docs/DEVELOPMENT.md');
  });
});
