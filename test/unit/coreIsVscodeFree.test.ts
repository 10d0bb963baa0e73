import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

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

// The webview bundle (browser, no Node) and the host (Node, no DOM) share a few modules: src/panel/protocol.ts,
// draft.ts, diskState.ts … and what they import from src/core. Found by following the imports from the webview's
// entry point, so a newly shared file is checked without being listed here.
const NODE_BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));
const IMPORT_FROM = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
/** Globals of one side that the other lacks (comments are stripped before the check). */
const NODE_GLOBALS = /\b(?:Buffer|process|__dirname|__filename|require|setImmediate)\b/;
const DOM_GLOBALS = /(?<![.\w$])(?:(?:window|document|navigator|localStorage|sessionStorage)\s*\.|(?:HTMLElement|acquireVsCodeApi|requestAnimationFrame|customElements|MessageChannel)\b)/;

function specifiers(code: string): string[] {
  return [...code.matchAll(IMPORT_FROM)].map((m) => m[1] ?? '');
}

function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((f) => existsSync(f) && statSync(f).isFile());
}

/** Every src file the webview's entry point reaches that lives outside src/webview. */
function filesSharedWithWebview(root: string): string[] {
  const webview = join(root, 'src', 'webview');
  const seen = new Set<string>();
  const queue = [join(webview, 'main.ts')];
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file) || !file.endsWith('.ts')) continue;
    seen.add(file);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      const target = resolveLocal(file, spec);
      if (target) queue.push(target);
    }
  }
  return [...seen].filter((f) => !f.startsWith(webview + '/')).sort();
}

function isNodeImport(spec: string): boolean {
  return spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0] ?? '');
}

describe('files shared by the webview and the host', () => {
  const root = repoRoot();
  const shared = filesSharedWithWebview(root);
  const rel = shared.map((f) => relative(root, f));

  it('are found by following the webview\'s imports', () => {
    for (const expected of ['src/panel/protocol.ts', 'src/panel/draft.ts', 'src/panel/diskState.ts', 'src/panel/largeBody.ts', 'src/core/model.ts']) assert.ok(rel.includes(expected), `${expected} in ${rel.join(', ')}`);
    assert.ok(!rel.some((f) => f.startsWith('src/host/') || f.startsWith('src/tree/')), `the webview reaches no host code: ${rel.join(', ')}`);
  });

  it('import neither vscode nor Node built-ins, and use no Node or DOM globals', () => {
    const offenders: string[] = [];
    for (const file of shared) {
      const code = readFileSync(file, 'utf8');
      const name = relative(root, file);
      if (VSCODE_IMPORT.test(code)) offenders.push(`${name}: imports vscode`);
      for (const spec of specifiers(code)) if (isNodeImport(spec)) offenders.push(`${name}: imports ${spec}`);
      const bare = withoutComments(code);
      const node = NODE_GLOBALS.exec(bare);
      if (node) offenders.push(`${name}: uses the Node global ${node[0]}`);
      const dom = DOM_GLOBALS.exec(bare);
      if (dom) offenders.push(`${name}: uses the DOM global ${dom[0]}`);
    }
    assert.deepEqual(offenders, []);
  });

  it('the detectors catch the forms they should', () => {
    assert.ok(isNodeImport('node:fs') && isNodeImport('crypto') && isNodeImport('fs/promises'));
    assert.ok(!isNodeImport('../core/model') && !isNodeImport('./protocol'));
    assert.deepEqual(specifiers("import { a } from '../core/model';\nimport type { B } from \"./protocol\";\nconst c = require('node:crypto');\nawait import('vscode');"), ['../core/model', './protocol', 'node:crypto', 'vscode']);
    assert.ok(NODE_GLOBALS.test(withoutComments('const b = Buffer.from(x);')));
    assert.ok(DOM_GLOBALS.test(withoutComments('document.title = x;')));
    assert.ok(!DOM_GLOBALS.test(withoutComments('// the window reload\n/* document */ const x = 1;')));
    assert.ok(!DOM_GLOBALS.test(withoutComments('function select(document: unknown) { return [document]; } x.document.y;')), 'a parameter or a property named document');
  });
});
