// The shipped body schemas through the core validator: valid minimal and maximal bodies, each kind of
// problem at the right JSON path and line, {{variables}} tolerated, request matching by method and path,
// and JSON path → line mapping (also of a server's errors[].path).
import { strict as assert } from 'node:assert';
import { bodySchemaRouteFor, requestPath } from '../../src/core/bodySchemaRoutes';
import { bodySchema, schemaCheckOf, validateAgainstSchemaFor, validateBody } from '../../src/core/bodySchemas';
import { SUBJECT_STATUSES } from '../../src/core/studyTeamVocabulary';
import { formatJsonPath, locateJsonPath } from '../../src/core/jsonLocation';
import type { SavedRequestNode } from '../../src/core/savedRequests';
import { mapServerErrorsOntoBody, serverValidationErrors } from '../../src/core/serverErrors';
import { studyTeamExamples } from '../../src/core/studyTeamExamples';

const minimal = { referral: [{ subjectId: 'S-1', primaryTrial: { id: 'T', sponsorSiteId: 'SS' } }] };
const maximal = {
  referral: [
    {
      subjectId: 'S-2',
      subjectCreatedAt: '2019-10-30T02:08:18Z',
      campaignCode: 'FB123456',
      primaryTrial: { id: 'T', sponsorSiteId: 'SS' },
      alternateTrials: [{ id: 'T2', sponsorSiteId: 'SS2' }],
      consent: { verification: { verificationDate: '2019-10-30T02:08:18.000Z', verified: true, verifiedWith: { name: 'self', relationship: 'ONESELF' } }, text: 'Agrees.' },
      birthDate: '1980-04-12',
      gender: 'woman',
      sex: 'female',
      name: [{ use: 'official', text: 'Jane Q Test', given: ['Jane', 'Q'], family: 'Test', prefix: [], suffix: [] }],
      address: [{ use: 'home', type: 'both', line: ['1 Main St'], city: 'Boston', district: 'Suffolk', state: 'MA', postalCode: '02140', country: 'us', text: '1 Main St, Boston' }],
      telecom: [
        { system: 'email', value: 'jane@example.com', use: 'home', rank: 1, period: { start: '2019-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z' } },
        { system: 'phone', value: '+1 555 0100', use: 'mobile', rank: 2 },
      ],
      races: [{ anything: true }],
      ethnicities: [],
      recruitmentSource: { utmSource: 'x' },
      encounter: [{ source: 'web', response: { item: [
        { linkId: '1', definition: 'q1', text: 'Age?', answer: [{ valueInteger: 42 }] },
        { linkId: '2', text: 'Smoker?', answer: [{ valueBoolean: false }, { valueCoding: { code: 'x' } }, { valueDecimal: 1.5 }, { valueDate: '2020-01-01' }] },
      ] } }],
      somethingNew: 'extra fields are allowed',
    },
  ],
};
const pretty = (v: unknown): string => JSON.stringify(v, null, 2);
function withReferral(patch: Record<string, unknown>): string {
  return pretty({ referral: [{ ...minimal.referral[0], ...patch }] });
}

describe('body schemas', () => {
  describe('matching requests', () => {
    const cases: Array<[string, string, string | undefined]> = [
      ['POST', '/rpi/sites/{{siteId}}/referrals', 'createReferral.v1'],
      ['post', 'https://staging.api.studyteamapp.com/rpi/sites/1001/referrals?x=1', 'createReferral.v1'],
      ['POST', '{{baseUrl}}/rpi/sites/1001/referrals/', 'createReferral.v1'],
      ['PUT', '/rpi/sites/1001/referrals/subjects/{{subjectId}}', 'updateReferralSubject.v1'],
      ['GET', '/rpi/sites/1001/referrals', undefined],
      ['PUT', '/rpi/sites/1001/referrals', undefined],
      ['POST', '/rpi/sites/1001/referralsX', undefined],
    ];
    for (const [method, url, id] of cases) {
      it(`${method} ${url} → ${id ?? 'none'}`, () => assert.equal(bodySchemaRouteFor(method, url)?.id, id));
    }
    it('schemaCheckOf (the "schema" check of checks): unknown route, no body, problems as lines', () => {
      assert.deepEqual(schemaCheckOf({ method: 'GET', url: '/rpi/sites' }), { known: false });
      assert.deepEqual(schemaCheckOf({ method: 'POST', url: '/rpi/sites/1/referrals' }), { known: true, errors: ['the request has no body'] });
      assert.deepEqual(schemaCheckOf({ method: 'POST', url: '/rpi/sites/1/referrals', body: pretty(minimal) }), { known: true, errors: [] });
      assert.deepEqual(schemaCheckOf({ method: 'PUT', url: '/rpi/sites/1/referrals/subjects/S', body: '{\n  "status": "x"\n}' }).known && schemaCheckOf({ method: 'PUT', url: '/rpi/sites/1/referrals/subjects/S', body: '{\n  "status": "x"\n}' }), {
        known: true,
        errors: ['status (line 2): Must be one of potentialCandidate, preScreening, firstVisitScheduled, inScreening, enrolled, preScreenFailure, screenFailure, discontinued, completed'],
      });
    });
    it('requestPath drops scheme, host, query and fragment', () => {
      assert.equal(requestPath('http://127.0.0.1:3000/a/b?c#d'), '/a/b');
      assert.equal(requestPath('rpi/sites'), '/rpi/sites');
    });
    it('validateAgainstSchemaFor: undefined without a schema or a body', () => {
      assert.equal(validateAgainstSchemaFor('GET', '/rpi/sites', '{}'), undefined);
      assert.equal(validateAgainstSchemaFor('POST', '/rpi/sites/1/referrals', '  '), undefined);
      const check = validateAgainstSchemaFor('POST', '/rpi/sites/1/referrals', pretty(minimal));
      assert.deepEqual(check, { schemaId: 'createReferral.v1', schemaTitle: 'Create referral v1', problems: [] });
    });
  });

  describe('valid bodies', () => {
    it('minimal and maximal referrals pass', () => {
      assert.deepEqual(validateBody('createReferral.v1', pretty(minimal)), []);
      assert.deepEqual(validateBody('createReferral.v1', pretty(maximal)), []);
    });
    it('the "Create referral" and "Update referral subject" examples pass (variables tolerated)', () => {
      const examples = studyTeamExamples().children.filter((c): c is SavedRequestNode => c.kind === 'request');
      const create = examples.find((e) => e.name === 'Create referral')!;
      const update = examples.find((e) => e.name === 'Update referral subject')!;
      assert.deepEqual(validateAgainstSchemaFor(create.method, create.url, create.body)?.problems, []);
      assert.deepEqual(validateAgainstSchemaFor(update.method, update.url, update.body)?.problems, []);
    });
    it('the update schema lists exactly the subject statuses', () => {
      const properties = bodySchema('updateReferralSubject.v1')['properties'] as Record<string, { enum?: string[] }>;
      assert.deepEqual(properties['status']?.enum, [...SUBJECT_STATUSES]);
    });
    it('subject updates: status, ixrsSubjectId null, encounter', () => {
      assert.deepEqual(validateBody('updateReferralSubject.v1', '{"status":"enrolled","ixrsSubjectId":null}'), []);
      assert.deepEqual(validateBody('updateReferralSubject.v1', '{"encounter":[{"response":{"item":[{"linkId":"1","answer":[{"valueString":"x"}]}]}}]}'), []);
    });
    it('{{variables}} in strings and unquoted are not judged', () => {
      assert.deepEqual(validateBody('createReferral.v1', withReferral({ sex: '{{sex}}', telecom: [{ system: 'email', value: '{{email}}' }] })), []);
      assert.deepEqual(validateBody('updateReferralSubject.v1', '{\n  "status": "{{status}}",\n  "telecom": [{ "system": "phone", "value": "1", "rank": {{rank}} }]\n}'), []);
    });
  });

  describe('each kind of problem → its path and line', () => {
    const cases: Array<{ name: string; schema?: 'createReferral.v1' | 'updateReferralSubject.v1'; text: string; path: Array<string | number>; message: RegExp }> = [
      { name: 'referral missing', text: '{}', path: [], message: /Required property "referral"/ },
      { name: 'empty referral array', text: '{"referral": []}', path: ['referral'], message: /Must not be empty/ },
      { name: 'empty name[].given', text: withReferral({ name: [{ given: [] }] }), path: ['referral', 0, 'name', 0, 'given'], message: /Must not be empty/ },
      { name: 'empty telecom', text: withReferral({ telecom: [] }), path: ['referral', 0, 'telecom'], message: /Must not be empty/ },
      { name: 'bad email', text: withReferral({ telecom: [{ system: 'email', value: 'nope' }] }), path: ['referral', 0, 'telecom', 0, 'value'], message: /valid email/ },
      { name: 'unknown enum value', text: withReferral({ sex: 'x' }), path: ['referral', 0, 'sex'], message: /Must be one of male, female, intersex/ },
      { name: 'wrong type', text: withReferral({ birthDate: 19800412 }), path: ['referral', 0, 'birthDate'], message: /Must be a string/ },
      { name: 'bad date', text: withReferral({ birthDate: '12/04/1980' }), path: ['referral', 0, 'birthDate'], message: /YYYY-MM-DD/ },
      { name: 'missing sponsorSiteId', text: withReferral({ primaryTrial: { id: 'T' } }), path: ['referral', 0, 'primaryTrial'], message: /Required property "sponsorSiteId"/ },
      { name: 'empty answer', text: withReferral({ encounter: [{ response: { item: [{ linkId: '1', answer: [] }] } }] }), path: ['referral', 0, 'encounter', 0, 'response', 'item', 0, 'answer'], message: /Must not be empty/ },
      {
        name: 'two value[x] in one answer',
        text: withReferral({ encounter: [{ response: { item: [{ linkId: '1', answer: [{ valueString: 'a', valueInteger: 1 }] }] } }] }),
        path: ['referral', 0, 'encounter', 0, 'response', 'item', 0, 'answer', 0],
        message: /exactly one of valueString, .*\(found valueString, valueInteger\)/,
      },
      { name: 'update: {}', schema: 'updateReferralSubject.v1', text: '{}', path: [], message: /Must not be empty/ },
      { name: 'update: unknown status', schema: 'updateReferralSubject.v1', text: '{\n  "status": "happy"\n}', path: ['status'], message: /Must be one of potentialCandidate/ },
      { name: 'not JSON', text: '{\n  "referral": [\n}', path: [], message: /Not valid JSON: .*line 3|Not valid JSON/ },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const problems = validateBody(c.schema ?? 'createReferral.v1', c.text);
        assert.equal(problems.length, 1, JSON.stringify(problems));
        const [p] = problems;
        assert.deepEqual(p!.path, c.path);
        assert.match(p!.message, c.message);
        const at = locateJsonPath(c.text, c.path)!;
        if (!c.name.startsWith('not JSON')) assert.deepEqual([p!.line, p!.column], [at.line, at.column]);
      });
    }
    it('several problems at once, in body order, each on its own line', () => {
      const text = pretty({ referral: [{ subjectId: '', primaryTrial: { id: 'T', sponsorSiteId: 'SS' }, sex: 'x', telecom: [] }] });
      const problems = validateBody('createReferral.v1', text);
      assert.deepEqual(problems.map((p) => p.pathText), ['referral[0].subjectId', 'referral[0].sex', 'referral[0].telecom']);
      const lines = text.split('\n');
      assert.match(lines[problems[0]!.line - 1]!, /"subjectId": ""/);
      assert.match(lines[problems[1]!.line - 1]!, /"sex": "x"/);
      assert.match(lines[problems[2]!.line - 1]!, /"telecom": \[\]/);
    });
  });

  describe('JSON path ↔ line', () => {
    const text = '{\n  "referral": [\n    {\n      "name": [ { "given": [] } ],\n      "telecom": []\n    }\n  ]\n}';
    const cases: Array<[Array<string | number>, number, number]> = [
      [[], 1, 1],
      [['referral'], 2, 15],
      [['referral', 0], 3, 5],
      [['referral', 0, 'name', 0, 'given'], 4, 28],
      [['referral', 0, 'telecom'], 5, 18],
      [['referral', 0, 'missing', 'deeper'], 3, 5],
    ];
    for (const [path, line, column] of cases) {
      it(`${formatJsonPath(path)} → ${line}:${column}`, () => {
        const at = locateJsonPath(text, path)!;
        assert.deepEqual([at.line, at.column], [line, column]);
      });
    }
    it('formats paths for people', () => {
      assert.equal(formatJsonPath(['referral', 0, 'name', 0, 'given']), 'referral[0].name[0].given');
      assert.equal(formatJsonPath(['a b', 1]), '["a b"][1]');
    });
  });

  describe('server errors mapped onto the sent body', () => {
    const sent = '{\n  "referral": [\n    {\n      "subjectId": "S",\n      "telecom": []\n    }\n  ]\n}';
    it('maps StudyTeam\'s {message, errors:[{reason, path}]} to lines', () => {
      const answer = JSON.stringify({ message: 'Invalid Payload', errors: [{ reason: 'Must not be empty', path: ['referral', 0, 'telecom'] }, { reason: 'Required attribute primaryTrial', path: ['referral', 0, 'primaryTrial'] }] });
      const mapped = mapServerErrorsOntoBody(sent, answer)!;
      assert.deepEqual(mapped.map((m) => [m.pathText, m.message, m.line]), [
        ['referral[0].telecom', 'Must not be empty', 5],
        ['referral[0].primaryTrial', 'Required attribute primaryTrial', 3],
      ]);
    });
    it('accepts dotted and pointer paths; ignores other shapes', () => {
      assert.deepEqual(serverValidationErrors('{"errors":[{"message":"bad","path":"referral.0.telecom"},{"reason":"x","path":"/referral/0"}]}'), [
        { reason: 'bad', path: ['referral', 0, 'telecom'] },
        { reason: 'x', path: ['referral', 0] },
      ]);
      assert.equal(serverValidationErrors('{"error":"invalid_request","error_description":"x"}'), undefined);
      assert.equal(serverValidationErrors('not json'), undefined);
      assert.equal(mapServerErrorsOntoBody(sent, '{"errors":[]}'), undefined);
    });
  });
});
