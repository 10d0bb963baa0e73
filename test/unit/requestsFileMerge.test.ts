// requests.json format 3 merges with git: two people adding requests to different folders, editing different
// fields of one body, or one editing a body while the other renames another request — git's three-way merge
// (`git merge-file`, and a real `git merge` of two branches) is clean, and the merged file loads. Format 2, with
// the body in one string, conflicts on the same edit (the contrast the format change is for).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRequest, requestNode, type SavedCollection, type SavedNode } from '../../src/core/savedRequests';
import { parseCollection, serializeCollection } from '../../src/core/savedRequestsFile';
import type { SavedRequest } from '../../src/core/model';
import { referralBody } from './support/referralBody';

const request = (id: string, name: string, extra: Partial<SavedRequest> = {}): SavedNode =>
  requestNode({ id, name, method: 'GET', url: `/rpi/${id}`, auth: 'bearer', ...extra });

/** The shared file everyone starts from: two folders, a referral with a JSON body. */
function base(edit: { createBody?: string; sitesName?: string; referrals?: SavedNode[]; sites?: SavedNode[] } = {}): SavedCollection {
  return {
    version: 3,
    items: [
      {
        kind: 'folder',
        id: 'fld_referrals',
        name: 'Referrals',
        children: [
          request('req_create', 'Create referral', { method: 'POST', url: '/rpi/sites/{{siteId}}/referrals', body: edit.createBody ?? referralBody() }),
          request('req_update', 'Update subject', { method: 'PATCH', url: '/rpi/referrals/{{referralId}}', body: '{\n  "status": "inScreening"\n}' }),
          ...(edit.referrals ?? []),
        ],
      },
      {
        kind: 'folder',
        id: 'fld_sites',
        name: 'Sites',
        children: [request('req_sites', edit.sitesName ?? 'List sites'), request('req_site', 'Get site'), ...(edit.sites ?? [])],
      },
    ],
  };
}

/** Writes base/ours/theirs as real files and runs `git merge-file`; exit code 0 means a clean merge. */
function mergeFile(dir: string, baseText: string, ours: string, theirs: string): { code: number | null; merged: string } {
  const at = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const result = spawnSync('git', ['merge-file', '-p', '-L', 'ours', '-L', 'base', '-L', 'theirs', at('ours.json', ours), at('base.json', baseText), at('theirs.json', theirs)], {
    encoding: 'utf8',
  });
  assert.equal(result.error, undefined, 'git runs');
  return { code: result.status, merged: result.stdout };
}

function loads(text: string): SavedCollection {
  const parsed = parseCollection(text);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.join('\n'));
  assert.equal(parsed.fileVersion, 3);
  return parsed.value;
}

interface Case {
  readonly name: string;
  readonly ours: SavedCollection;
  readonly theirs: SavedCollection;
  readonly check: (merged: SavedCollection) => void;
}

const CASES: readonly Case[] = [
  {
    name: 'two people add requests to different folders',
    ours: base({ referrals: [request('req_new_referral', 'Create referral (minor)', { method: 'POST', body: referralBody((r) => (r.birthDate = '2010-01-01')) })] }),
    theirs: base({ sites: [request('req_new_site', 'Site by country', { query: [{ name: 'country', value: 'us' }] })] }),
    check: (merged) => {
      const referrals = merged.items[0];
      const sites = merged.items[1];
      assert.ok(referrals.kind === 'folder' && sites.kind === 'folder');
      assert.deepEqual(referrals.children.map((n) => n.id), ['req_create', 'req_update', 'req_new_referral']);
      assert.deepEqual(sites.children.map((n) => n.id), ['req_sites', 'req_site', 'req_new_site']);
      assert.match(findRequest(merged, 'req_new_referral')?.body ?? '', /"birthDate": "2010-01-01"/);
    },
  },
  {
    name: 'two people edit different fields of the same body',
    ours: base({ createBody: referralBody((r) => (r.campaignCode = 'SPRING-2026')) }),
    theirs: base({ createBody: referralBody((r) => (r.birthDate = '1981-05-13')) }),
    check: (merged) => {
      assert.equal(
        findRequest(merged, 'req_create')?.body,
        referralBody((r) => {
          r.campaignCode = 'SPRING-2026';
          r.birthDate = '1981-05-13';
        }),
      );
    },
  },
  {
    name: 'one edits a body field while the other renames a different request',
    ours: base({ createBody: referralBody((r) => (r.name[0].family = 'Otherpatient')) }),
    theirs: base({ sitesName: 'List all sites' }),
    check: (merged) => {
      assert.match(findRequest(merged, 'req_create')?.body ?? '', /"family": "Otherpatient"/);
      assert.equal(findRequest(merged, 'req_sites')?.name, 'List all sites');
      assert.equal(findRequest(merged, 'req_sites')?.id, 'req_sites');
    },
  },
];

describe('requests.json format 3: three-way merges with git', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'studyteam-merge-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of CASES) {
    it(`git merge-file: ${c.name} → a clean merge that loads`, () => {
      const { code, merged } = mergeFile(dir, serializeCollection(base()), serializeCollection(c.ours), serializeCollection(c.theirs));
      assert.equal(code, 0, `expected a clean merge, got:\n${merged}`);
      const collection = loads(merged);
      c.check(collection);
      assert.equal(serializeCollection(collection), merged, 'the merged file is already in the stable form');
    });
  }

  it('git merge of two branches (a real repository): both body edits and a rename arrive, the file loads', () => {
    const git = (...args: string[]): string => {
      const r = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    const file = join(dir, 'requests.json');
    git('init', '-q');
    writeFileSync(file, serializeCollection(base()));
    git('add', 'requests.json');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'theirs');
    writeFileSync(file, serializeCollection(base({ createBody: referralBody((r) => (r.birthDate = '1981-05-13')), sitesName: 'List all sites' })));
    git('commit', '-qam', 'theirs');
    git('checkout', '-q', 'main');
    writeFileSync(file, serializeCollection(base({ createBody: referralBody((r) => (r.campaignCode = 'SPRING-2026')) })));
    git('commit', '-qam', 'ours');
    git('merge', '-q', '--no-edit', 'theirs');
    const merged = loads(readFileSync(file, 'utf8'));
    assert.match(findRequest(merged, 'req_create')?.body ?? '', /"campaignCode": "SPRING-2026",[\s\S]*"birthDate": "1981-05-13"/);
    assert.equal(findRequest(merged, 'req_sites')?.name, 'List all sites');
  });

  it('contrast — format 2 (the body in one string): the same two field edits conflict', () => {
    const v2 = (c: SavedCollection): string => serializeCollection(c).replace(/^\{\n {2}"version": 3/, '{\n  "version": 2');
    const asV2 = (c: SavedCollection): string => {
      // What the old extension wrote: every body one JSON string.
      const file = JSON.parse(v2(c)) as { items: Array<{ children?: Array<Record<string, unknown>> }> };
      for (const folder of file.items) for (const item of folder.children ?? []) if (typeof item.body === 'object') item.body = JSON.stringify(item.body, null, 2);
      return `${JSON.stringify(file, null, 2)}\n`;
    };
    const [, fieldEdits] = CASES;
    const baseText = asV2(base());
    assert.match(baseText, /"body": "\{\\n {2}\\"referral\\": \[/, 'the body is one string in format 2');
    const { code, merged } = mergeFile(dir, baseText, asV2(fieldEdits.ours), asV2(fieldEdits.theirs));
    assert.equal(code, 1, 'one conflict');
    assert.match(merged, /<<<<<<< ours/);
  });

  it('edits to neighbouring lines of one body conflict, as in any text file (the documented limit)', () => {
    const { code } = mergeFile(
      dir,
      serializeCollection(base()),
      serializeCollection(base({ createBody: referralBody((r) => (r.subjectCreatedAt = '2026-01-01T00:00:00Z')) })),
      serializeCollection(base({ createBody: referralBody((r) => (r.campaignCode = 'SPRING-2026')) })),
    );
    assert.equal(code, 1);
  });
});
