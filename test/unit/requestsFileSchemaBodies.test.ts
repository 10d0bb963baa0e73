// schemas/requests.schema.json is generated (scripts/requestsFileSchema.ts) and applies the request-body schemas to
// "body" by method + URL: the committed file is what the generator builds; its URL patterns pick the same routes as
// bodySchemaRouteFor; a bad value in a saved referral body is a problem at that value, a {{variable}} is not; files
// of versions 1, 2 and 3 pass and what each version may not hold fails; it agrees with the panel's validator.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import { buildRequestsFileSchema, requestsFileSchemaText, urlPatternOf } from '../../scripts/requestsFileSchema';
import { BODY_SCHEMA_ROUTES, bodySchemaRouteFor } from '../../src/core/bodySchemaRoutes';
import { validateBody } from '../../src/core/bodySchemas';

const root = join(__dirname, '..', '..', '..');
const committed = readFileSync(join(root, 'schemas', 'requests.schema.json'), 'utf8');
const schema = JSON.parse(committed) as Schema;
const validator = new Validator(schema, '7', false);

/** "instanceLocation keyword" (sorted) of the errors that say what is wrong (not the wrappers that only say "below here"). */
function problems(file: unknown): string[] {
  const wrappers = new Set(['properties', 'items', '$ref', 'allOf', 'anyOf', 'if', 'then', 'else']);
  const keep = (e: OutputUnit): boolean => !wrappers.has(e.keyword) && !/\/anyOf\/1\//.test(e.keywordLocation) && !e.keywordLocation.endsWith('/anyOf/1');
  return [...new Set(validator.validate(file).errors.filter(keep).map((e) => `${e.instanceLocation} ${e.keyword}`))].sort();
}

const referral = {
  referral: [
    {
      subjectId: 'S-1',
      primaryTrial: { id: '{{trialId}}', sponsorSiteId: '{{sponsorSiteId}}' },
      sex: 'female',
      birthDate: '1980-04-12',
      telecom: [{ system: 'email', value: 'jane@example.com', use: 'home', rank: 1 }],
    },
  ],
};
type Body = typeof referral;
const withReferral = (patch: Record<string, unknown>): Body => ({ referral: [{ ...referral.referral[0]!, ...patch }] });
const request = (fields: Record<string, unknown>): Record<string, unknown> => ({ kind: 'request', id: 'r1', name: 'Create referral', method: 'POST', url: '/rpi/sites/{{siteId}}/referrals', auth: 'bearer', ...fields });
const v3 = (...items: unknown[]): unknown => ({ version: 3, items });

describe('requests.json schema: generated, with the body schemas by route', () => {
  it('the committed schema is what the generator builds (run `npm run schemas` after changing a body schema or a route)', () => {
    assert.equal(committed, requestsFileSchemaText());
    assert.deepEqual(JSON.parse(committed), buildRequestsFileSchema());
  });

  describe('URL patterns pick the same route as bodySchemaRouteFor', () => {
    const urls = [
      '/rpi/sites/1001/referrals',
      '/rpi/sites/{{siteId}}/referrals',
      '/rpi/sites/1001/referrals/',
      'rpi/sites/1001/referrals',
      '{{baseUrl}}/rpi/sites/1001/referrals',
      'https://staging.api.studyteamapp.com/rpi/sites/1001/referrals?x=1',
      'HTTP://127.0.0.1:3000/base/rpi/sites/1001/referrals#top',
      '  /rpi/sites/1001/referrals \n',
      '/rpi/sites/1001/referrals?next=/rpi/sites/2/referrals/subjects/9',
      '/rpi/sites/1001/referrals/subjects/{{subjectId}}',
      '{{baseUrl}}/rpi/sites/1/referrals/subjects/S-1/?v=2',
      'https://h/rpi/sites/1/referrals/subjects/S-1',
      // no route
      'https://rpi/sites/1/referrals',
      'https://hrpi/sites/1/referrals',
      '/xrpi/sites/1/referrals',
      '/rpi/sites/1001/referralsX',
      '/rpi/sites//referrals',
      '/rpi/sites/1001/referrals/subjects',
      '/rpi/sites/1001/referrals/subjects/S/extra',
      '/rpi/sites?x=/rpi/sites/1/referrals',
      '/rpi/sites/1#/rpi/sites/1/referrals',
      '/rpi/sites/a?b/referrals',
      '',
    ];
    const patterns = BODY_SCHEMA_ROUTES.map((route) => ({ route, pattern: new RegExp(urlPatternOf(route), 'u') }));
    for (const url of urls) {
      it(JSON.stringify(url), () => {
        for (const { route, pattern } of patterns) {
          const ts = bodySchemaRouteFor(route.method, url)?.id === route.id;
          assert.equal(pattern.test(url), ts, `${route.id}: the JSON pattern says ${!ts}, bodySchemaRouteFor says ${ts}`);
        }
      });
    }
    it('the table has URLs for every route and for none', () => {
      for (const route of BODY_SCHEMA_ROUTES) assert.ok(urls.some((u) => bodySchemaRouteFor(route.method, u)?.id === route.id), route.id);
      assert.ok(urls.some((u) => BODY_SCHEMA_ROUTES.every((r) => !bodySchemaRouteFor(r.method, u))));
    });
    it('the schema uses those patterns, with the route\'s method', () => {
      const rules = (buildRequestsFileSchema().definitions as Record<string, { allOf: Array<{ if?: { properties?: Record<string, { const?: string; pattern?: string }> } }> }>).request!.allOf;
      for (const route of BODY_SCHEMA_ROUTES) {
        assert.ok(
          rules.some((r) => r.if?.properties?.['method']?.const === route.method && r.if.properties['url']?.pattern === urlPatternOf(route)),
          route.id,
        );
      }
    });
  });

  describe('a version 3 file', () => {
    it('a valid referral body passes (JSON body, text body as lines, empty body, folders)', () => {
      const file = v3(
        { kind: 'folder', id: 'f1', name: 'Referrals', children: [request({ body: referral })] },
        request({ id: 'r2', method: 'POST', url: '/rpi/sites/1/other', bodyLines: ['a=1', 'b=2'] }),
        request({ id: 'r3', method: 'GET', url: '/rpi/sites' }),
      );
      assert.deepEqual(problems(file), []);
    });

    it('a wrong enum value in a referral body is a problem at that value (also in a folder)', () => {
      assert.deepEqual(problems(v3(request({ body: withReferral({ sex: 'mail' }) }))), ['#/items/0/body/referral/0/sex enum']);
      const nested = v3({ kind: 'folder', id: 'f1', name: 'F', children: [request({ url: 'https://x.example/rpi/sites/1/referrals', body: withReferral({ telecom: [{ system: 'pigeon', value: 'x' }] }) })] });
      assert.deepEqual(problems(nested), ['#/items/0/children/0/body/referral/0/telecom/0/system enum']);
    });

    it('{{variables}} are not judged: in an enum, a pattern, a number or an array position', () => {
      const body = withReferral({ sex: '{{sex}}', birthDate: '{{birthDate}}', telecom: [{ system: 'email', value: '{{email}}', rank: '{{rank}}' }], name: '{{names}}' });
      assert.deepEqual(problems(v3(request({ body }))), []);
    });

    it('a placeholder does not switch on a condition (system "{{s}}" does not make the value an e-mail)', () => {
      const body = withReferral({ telecom: [{ system: '{{s}}', value: 'not an address' }] });
      assert.deepEqual(problems(v3(request({ body }))), []);
      const email = withReferral({ telecom: [{ system: 'email', value: 'not an address' }] });
      assert.deepEqual(problems(v3(request({ body: email }))), ['#/items/0/body/referral/0/telecom/0/value pattern']);
    });

    it('other problems of the body schema: a missing required field, an empty list, a wrong type', () => {
      const body = { referral: [{ primaryTrial: { id: 'T', sponsorSiteId: 'S' }, name: [], telecom: [{ system: 'phone', value: 'x', rank: 0 }] }] };
      assert.deepEqual(problems(v3(request({ body }))), [
        '#/items/0/body/referral/0 required',
        '#/items/0/body/referral/0/name minItems',
        '#/items/0/body/referral/0/telecom/0/rank minimum',
      ]);
    });

    it('the update-subject body is checked on PUT …/referrals/subjects/{id}', () => {
      const put = request({ method: 'PUT', url: '{{baseUrl}}/rpi/sites/1/referrals/subjects/{{subjectId}}', body: { status: 'enroled' } });
      assert.deepEqual(problems(v3(put)), ['#/items/0/body/status enum']);
      assert.deepEqual(problems(v3({ ...put, body: { status: 'enrolled', sex: 'other' } })), ['#/items/0/body/sex enum']);
    });

    it('no route, no body check: another method or path', () => {
      assert.deepEqual(problems(v3(request({ method: 'PUT', body: withReferral({ sex: 'mail' }) }))), []);
      assert.deepEqual(problems(v3(request({ url: '/rpi/sites/1/referralsX', body: withReferral({ sex: 'mail' }) }))), []);
    });

    it('a hand-written string body is raw text (not checked); bodyLines are not checked', () => {
      assert.deepEqual(problems(v3(request({ body: '{"referral": [{"sex": "mail"}]}' }))), []);
      assert.deepEqual(problems(v3(request({ bodyLines: ['{', '  "referral": [{"sex": "mail"}]', '}'] }))), []);
    });

    it('"body" and "bodyLines" together, a number body, a non-string line', () => {
      assert.deepEqual(problems(v3(request({ body: referral, bodyLines: ['x'] }))), ['#/items/0/body not']);
      assert.deepEqual(problems(v3(request({ body: 42 }))), ['#/items/0/body type']);
      assert.deepEqual(problems(v3(request({ bodyLines: ['a', 1] }))), ['#/items/0/bodyLines/1 type']);
    });
  });

  describe('versions 1 and 2', () => {
    const textBody = JSON.stringify(withReferral({ sex: '{{sex}}' }), null, 2);
    const checks = { expect: [{ kind: 'status', op: 'equals', value: 202 }], capture: [{ name: 'id', from: 'json', path: '$.id' }] };
    it('pass with string bodies (version 2 with checks and captures), in folders too', () => {
      assert.deepEqual(problems({ version: 1, items: [{ kind: 'folder', id: 'f', name: 'F', children: [request({ body: textBody })] }] }), []);
      assert.deepEqual(problems({ version: 2, items: [{ kind: 'folder', id: 'f', name: 'F', children: [request({ body: textBody, ...checks })] }] }), []);
    });
    it('a JSON body or bodyLines need version 3; checks and captures need version 2', () => {
      assert.deepEqual(problems({ version: 2, items: [{ kind: 'folder', id: 'f', name: 'F', children: [request({ body: referral })] }] }), ['#/items/0/children/0/body type']);
      assert.deepEqual(problems({ version: 2, items: [request({ bodyLines: ['x'] })] }), ['#/items/0/bodyLines not']);
      assert.deepEqual(problems({ version: 1, items: [request(checks)] }), ['#/items/0/capture not', '#/items/0/expect not']);
      assert.deepEqual(problems({ version: 4, items: [] }), ['#/version enum']);
    });
  });

  describe('agrees with the panel\'s validator (bodySchemas.validateBody) on referral bodies', () => {
    const bodies: Array<[string, unknown]> = [
      ['valid', referral],
      ['variables everywhere', withReferral({ subjectId: '{{subjectId}}', sex: '{{sex}}', telecom: [{ system: 'email', value: '{{email}}' }] })],
      ['a wrong enum', withReferral({ sex: 'mail' })],
      ['a bad date', withReferral({ birthDate: '12/04/1980' })],
      ['an empty given name list', withReferral({ name: [{ given: [] }] })],
      ['two answer values', withReferral({ encounter: [{ response: { item: [{ linkId: '1', answer: [{ valueString: 'a', valueInteger: 1 }] }] } }] })],
      ['an extra field', withReferral({ somethingNew: 1 })],
    ];
    for (const [name, body] of bodies) {
      it(name, () => {
        const panel = validateBody('createReferral.v1', JSON.stringify(body, null, 2)).map((p) => `#/items/0/body/${p.path.join('/')}`);
        const file = [...new Set(problems(v3(request({ body }))).map((p) => p.replace(/ \w+$/, '')))];
        assert.deepEqual(file, [...panel].sort());
      });
    }
  });
});
