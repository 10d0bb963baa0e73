import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

function repoRoot(): string {
  for (const start of [process.cwd(), __dirname]) {
    let dir = start;
    for (;;) {
      if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'core'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('repository root not found');
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.(ts|tsx|js|mjs|cjs)$/.test(name) ? [full] : [];
  });
}

const VSCODE_IMPORT = /(?:\bfrom\s*['"]vscode['"]|\bimport\s*['"]vscode['"]|\brequire\s*\(\s*['"]vscode['"]\s*\)|\bimport\s*\(\s*['"]vscode['"]\s*\))/;

describe('core, sandbox and the headless runner are vscode-free', () => {
  const root = repoRoot();
  for (const folder of ['src/core', 'src/sandbox', 'src/cli']) {
    it(`no file under ${folder} imports or requires 'vscode'`, () => {
      const files = sourceFiles(join(root, folder));
      if (folder === 'src/core') assert.ok(files.length > 0, 'src/core has files');
      const offenders = files.filter((f) => VSCODE_IMPORT.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
      assert.deepEqual(offenders, []);
    });
  }

  it('the detector catches the forms it should', () => {
    for (const line of ["import * as vscode from 'vscode';", 'import type { Uri } from "vscode";', "const v = require('vscode');", "import 'vscode';", "await import('vscode')"]) {
      assert.ok(VSCODE_IMPORT.test(line), line);
    }
    assert.ok(!VSCODE_IMPORT.test("import { x } from './vscodeLike';"));
  });
});
