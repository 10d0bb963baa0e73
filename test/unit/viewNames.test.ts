// Texts that send the user to a view ("… in the Requests view") name it as the workbench shows it: the names in
// package.json `contributes.views`, the view container's title, or one of VS Code's own views. A renamed view
// ("Saved Requests" became "Requests") must not leave a notification pointing at a view nobody can find.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'core'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
}

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full, pattern) : pattern.test(name) ? [full] : [];
  });
}

interface Manifest {
  contributes: { views: Record<string, Array<{ name: string }>>; viewsContainers: { activitybar: Array<{ title: string }> } };
}

/** VS Code's own views a text may point at. */
const WORKBENCH_VIEWS = ['Problems', 'Explorer', 'Output', 'Test Explorer', 'Testing', 'Source Control', 'Extensions'];

describe('texts name views as the workbench shows them', () => {
  const root = repoRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
  const known = new Set([
    ...Object.values(pkg.contributes.views).flatMap((views) => views.map((v) => v.name)),
    ...pkg.contributes.viewsContainers.activitybar.map((c) => c.title),
    ...WORKBENCH_VIEWS,
  ]);

  it('every "<Name> view" in the sources, the manifest and the docs is a view that exists', () => {
    const texts = [...files(join(root, 'src'), /\.ts$/), join(root, 'package.json'), join(root, 'README.md'), join(root, 'CHANGELOG.md')];
    const unknown: string[] = [];
    for (const file of texts) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/\b((?:[A-Z][A-Za-z]+ )*[A-Z][A-Za-z]+) view\b/g)) {
            const name = m[1]!.replace(/^(?:The|This|A) ?/, '');
            if (name && !known.has(name)) unknown.push(`${relative(root, file)}:${i + 1}: "${m[0]}"`);
          }
        });
    }
    assert.deepEqual(unknown, [], `views named here: ${[...known].join(', ')}`);
  });

  it('recognises a wrong name (the check can fail)', () => {
    assert.ok(!known.has('Saved Requests'));
    assert.ok(known.has('Requests') && known.has('Events'));
  });
});
