import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every relative link in README.md and docs/ names a file or folder that exists, relative to the
 * page that holds it. Web and mail links are not checked; a `#anchor` is cut off before checking.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function markdownFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** Link targets in a markdown text: inline `[text](target)` and reference `[id]: target`, code left out. */
function linkTargets(markdown: string): string[] {
  const prose = markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gmu, '')
    .replace(/`[^`\n]*`/gu, '');
  const targets: string[] = [];
  for (const match of prose.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+["'(][^)]*)?\)/gu)) targets.push(match[1]!);
  for (const match of prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gmu)) targets.push(match[1]!);
  return targets.map((target) => target.replace(/^<|>$/gu, ''));
}

/** The path a target points to, or undefined for links that are not to this repository's files. */
function localPath(target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/iu.test(target) || target.startsWith('//')) return undefined;
  const path = target.split('#')[0]!.split('?')[0]!;
  return path === '' ? undefined : decodeURIComponent(path);
}

const pages = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];

describe('relative links in README.md and docs/', () => {
  it('finds the pages', () => {
    expect(pages.length).toBeGreaterThan(1);
  });

  it.each(pages.map((page) => [relative(root, page), page] as const))('%s: every relative link exists', (name, page) => {
    const broken = linkTargets(readFileSync(page, 'utf8')).filter((target) => {
      const path = localPath(target);
      return path !== undefined && !existsSync(resolve(dirname(page), path));
    });
    expect(broken, `${name} has broken links: ${broken.join(', ')}`).toEqual([]);
  });

  it('reads links as intended', () => {
    const text = [
      'See [the CLI](docs/cli.md#start) and [site](https://example.org) or [mail](mailto:a@b.c).',
      '[top](#quick-start) `[not](code.md)` [ref]: ./other.md',
      '```', '[fenced](fenced.md)', '```',
    ].join('\n');
    expect(linkTargets(text).map(localPath).filter(Boolean)).toEqual(['docs/cli.md']);
    expect(linkTargets('[ref]: ./other.md "title"').map(localPath)).toEqual(['./other.md']);
  });
});
