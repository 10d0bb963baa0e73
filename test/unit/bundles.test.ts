// The BUILT bundles (dist/, from `npm run build`): dist/extension.js loads node-fetch from dist/nodeFetch.js on
// the first request and jsonc-parser from dist/jsoncParser.js on the first call instead of carrying them, no bundle carries node-fetch's multipart parser (Body.formData() is
// unused and throws a clear error instead), node-fetch from dist/nodeFetch.js still fetches from a real server
// on 127.0.0.1, dist/jsoncParser.js has what src/core/jsonLocation.ts calls, and the .vsix ships every bundle the extension loads.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';

function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scripts', 'build.mjs'))) return dir;
  throw new Error('repository root not found');
}
const ROOT = repoRoot();
const DIST = join(ROOT, 'dist');
const read = (file: string): string => readFileSync(join(DIST, file), 'utf8');

// Strings only node-fetch's src/utils/multipart-parser.js holds (its error messages survive minification).
const PARSER_MARKS = ['no or bad content-type header, no multipart boundary', 'MultipartParser.end(): stream ended unexpectedly'];
const FORM_DATA_ERROR = "formData() is not supported by StudyTeam's bundle";

interface NodeFetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  formData(): Promise<unknown>;
}
type NodeFetch = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<NodeFetchResponse>;

describe('built bundles (dist/)', () => {
  let server: Server;
  let base: string;

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/form') {
          res.writeHead(200, { 'content-type': 'multipart/form-data; boundary=xyz' });
          res.end('--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'x-seen-method': req.method ?? '' });
        res.end(JSON.stringify({ method: req.method, url: req.url, body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('dist/extension.js loads node-fetch from dist/nodeFetch.js instead of carrying it', () => {
    const extension = read('extension.js');
    assert.match(extension, /nodeFetch\.js/);
    assert.ok(!extension.includes('node-fetch cannot load'), 'node-fetch itself is bundled into dist/extension.js');
    assert.ok(read('nodeFetch.js').includes('node-fetch cannot load'), 'dist/nodeFetch.js is not node-fetch');
  });

  it('dist/extension.js loads jsonc-parser from dist/jsoncParser.js instead of carrying it', () => {
    const extension = read('extension.js');
    assert.match(extension, /jsoncParser\.js/);
    // jsonc-parser's SyntaxKind names (src has no use for them; its own ParseErrorCode names are in src too).
    for (const mark of ['OpenBracketToken', 'LineCommentTrivia']) {
      assert.ok(!extension.includes(mark), `jsonc-parser is bundled into dist/extension.js ("${mark}")`);
      assert.ok(read('jsoncParser.js').includes(mark), 'dist/jsoncParser.js is not jsonc-parser');
    }
  });

  it('dist/jsoncParser.js locates JSON syntax errors and paths as src/core/jsonLocation.ts needs', () => {
    type Node = { offset: number; length: number };
    const jsonc = require(join(DIST, 'jsoncParser.js')) as {
      parse(text: string, errors: Array<{ error: number; offset: number }>, options: object): unknown;
      parseTree(text: string): Node | undefined;
      findNodeAtLocation(root: Node, path: Array<string | number>): Node | undefined;
      printParseErrorCode(code: number): string;
      visit(text: string, visitor: { onComment?(offset: number, length: number): void }): void;
    };
    const errors: Array<{ error: number; offset: number }> = [];
    jsonc.parse('{"a": 1,, "b": 2}', errors, { disallowComments: true, allowTrailingComma: false });
    assert.equal(errors[0]?.offset, 8);
    assert.equal(jsonc.printParseErrorCode(errors[0].error), 'PropertyNameExpected');
    const text = '{"items": [{"id": "x"}, {"id": "yz"}]}';
    const root = jsonc.parseTree(text);
    assert.ok(root);
    const at = jsonc.findNodeAtLocation(root, ['items', 1, 'id']);
    assert.equal(at && text.slice(at.offset, at.offset + at.length), '"yz"');
    const comments: number[] = [];
    jsonc.visit('{\n// c\n"a": 1}', { onComment: (offset) => comments.push(offset) });
    assert.deepEqual(comments, [2]);
  });

  it('no bundle carries node-fetch’s multipart parser; the ones with node-fetch carry the clear error instead', () => {
    const bundles = readdirSync(DIST).filter((f) => f.endsWith('.js'));
    assert.ok(bundles.includes('extension.js') && bundles.includes('nodeFetch.js') && bundles.includes('studyteam-run.js'), bundles.join(', '));
    for (const file of bundles) {
      const text = read(file);
      for (const mark of PARSER_MARKS) assert.ok(!text.includes(mark), `${file} contains the multipart parser ("${mark}")`);
    }
    for (const file of ['nodeFetch.js', 'studyteam-run.js']) assert.ok(read(file).includes(FORM_DATA_ERROR), `${file} lacks the formData() error`);
  });

  it('node-fetch from dist/nodeFetch.js fetches from a real server; formData() fails with the clear error', async () => {
    const fetch = (require(join(DIST, 'nodeFetch.js')) as { default: NodeFetch }).default;
    assert.equal(typeof fetch, 'function');
    const get = await fetch(`${base}/referrals?x=1`);
    assert.equal(get.status, 200);
    assert.deepEqual(JSON.parse(await get.text()), { method: 'GET', url: '/referrals?x=1', body: '' });
    const post = await fetch(`${base}/referrals`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    assert.equal(post.headers.get('x-seen-method'), 'POST');
    assert.deepEqual(JSON.parse(await post.text()), { method: 'POST', url: '/referrals', body: '{"a":1}' });
    const form = await fetch(`${base}/form`);
    await assert.rejects(form.formData(), (e: Error) => e.message === FORM_DATA_ERROR);
  });

  it('.vscodeignore ships every dist bundle the extension may load (all but the sandbox CLI and the runner)', () => {
    const shipped = readFileSync(join(ROOT, '.vscodeignore'), 'utf8')
      .split(/\r?\n/)
      .filter((line) => line.startsWith('!'))
      .map((line) => new RegExp(`^${line.slice(1).trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`));
    const loaded = [
      ...readdirSync(DIST).filter((f) => f.endsWith('.js') && f !== 'sandbox.js' && f !== 'studyteam-run.js'),
      ...readdirSync(join(DIST, 'converters')).filter((f) => f.endsWith('.js')).map((f) => `converters/${f}`),
    ].map((f) => `dist/${f}`);
    assert.ok(loaded.includes('dist/nodeFetch.js') && loaded.includes('dist/jsoncParser.js'), loaded.join(', '));
    for (const file of loaded) assert.ok(shipped.some((re) => re.test(file)), `${file} is not shipped (.vscodeignore)`);
  });
});
