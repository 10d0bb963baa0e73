// The sandbox against ../shared/STUDYTEAM_API.md: every documented shape, status and error, over real
// HTTP on 127.0.0.1. Table-driven where cases repeat.
import { strict as assert } from 'node:assert';
import { KNOWN_EVENT_TYPES as EVENT_TYPES } from '../../src/core/eventFeed';
import { CURSOR_PARAM } from '../../src/sandbox/sandboxEvents';
import { SandboxServer } from '../../src/sandbox/sandboxServer';

interface PayloadProblem {
  reason: string;
  path: Array<string | number>;
}
interface EventsPage {
  pagination: { hasNextPage: boolean; nextPage: string };
  events: Array<{ id: string; publishedTime: string; eventType: string; message: Record<string, unknown> }>;
}

describe('sandbox conformance (STUDYTEAM_API.md)', () => {
  let sandbox: SandboxServer;
  let token: string;

  before(async () => {
    sandbox = await SandboxServer.start({ name: 'Conformance sandbox' });
    token = sandbox.mintToken();
  });
  after(() => sandbox.stop());

  function call(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; auth?: boolean } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.auth !== false) headers['authorization'] = `Bearer ${token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    }
    return fetch(path.startsWith('http') ? path : `${sandbox.url}${path}`, { method: init.method ?? 'GET', headers, body });
  }
  const site = () => sandbox.data.sites[0]!;
  const trial = () => site().trials[0]!;
  const referral = (overrides: Record<string, unknown> = {}) => ({
    subjectId: `SUBJ-C-${Math.random().toString(36).slice(2, 10)}`,
    primaryTrial: { id: trial().id, sponsorSiteId: trial().sponsorSiteId },
    name: [{ use: 'official', given: ['Ada'], family: 'Testpatient' }],
    telecom: [{ system: 'email', value: 'ada@example.com', use: 'home' }],
    ...overrides,
  });
  const createUrl = () => `/rpi/sites/${site().id}/referrals`;

  describe('sites', () => {
    it('GET /rpi/sites: string ids, siteName, postalCode, country, trials[{id, sponsorSiteId}] and nothing else', async () => {
      const res = await call('/rpi/sites');
      assert.equal(res.status, 200);
      const sites = (await res.json()) as Array<Record<string, unknown>>;
      for (const s of sites) {
        assert.deepEqual(Object.keys(s).sort(), ['country', 'id', 'postalCode', 'siteName', 'trials']);
        assert.equal(typeof s['id'], 'string');
        for (const t of s['trials'] as Array<Record<string, unknown>>) {
          assert.deepEqual(Object.keys(t).sort(), ['id', 'sponsorSiteId']);
          assert.equal(typeof t['id'], 'string');
          assert.equal(typeof t['sponsorSiteId'], 'string');
        }
      }
      assert.ok(new Set(sites.flatMap((s) => (s['trials'] as Array<{ id: string }>).map((t) => t.id))).size >= 3, 'several trials');
    });

    it('GET /rpi/sites/{siteId}: one site; 404 for an unknown id; 401 without a token', async () => {
      const one = await call(`/rpi/sites/${site().id}`);
      assert.equal(one.status, 200);
      assert.equal(((await one.json()) as { id: string }).id, site().id);
      assert.equal((await call('/rpi/sites/999999')).status, 404);
      assert.equal((await call(`/rpi/sites/${site().id}`, { auth: false })).status, 401);
    });
  });

  describe('create referrals', () => {
    it('202 {id, payload} for {referral:[…]}, and the feed gets v1.patient.created', async () => {
      const body = { referral: [referral()] };
      const res = await call(createUrl(), { method: 'POST', body });
      assert.equal(res.status, 202);
      const answer = (await res.json()) as { id: string; payload: unknown };
      assert.equal(typeof answer.id, 'string');
      assert.deepEqual(answer.payload, body);
      const last = sandbox.allEvents().at(-1)!;
      assert.equal(last.eventType, 'v1.patient.created');
      assert.deepEqual(last.message, {
        siteId: site().id,
        trialId: trial().id,
        sponsorSiteId: trial().sponsorSiteId,
        referralSubjectId: body.referral[0]!.subjectId,
        patientStatus: 'potentialCandidate',
        referralReceivedTime: last.message['referralReceivedTime'],
      });
    });

    const notFoundCases: ReadonlyArray<{ name: string; url?: string; item: () => Record<string, unknown> }> = [
      { name: 'an unknown site', url: '/rpi/sites/999999/referrals', item: () => referral() },
      { name: 'an unknown trial', item: () => referral({ primaryTrial: { id: 'TR-9999', sponsorSiteId: trial().sponsorSiteId } }) },
      { name: 'an unknown sponsorSiteId', item: () => referral({ primaryTrial: { id: trial().id, sponsorSiteId: 'SS-NOPE' } }) },
      { name: 'an unknown alternate trial', item: () => referral({ alternateTrials: [{ id: 'TR-9999', sponsorSiteId: 'SS-1' }] }) },
      { name: 'an alternate trial with an unknown sponsorSiteId', item: () => referral({ alternateTrials: [{ id: 'TR-1002', sponsorSiteId: 'SS-NOPE' }] }) },
    ];
    for (const c of notFoundCases) {
      it(`404 for ${c.name}`, async () => {
        const res = await call(c.url ?? createUrl(), { method: 'POST', body: { referral: [c.item()] } });
        assert.equal(res.status, 404);
        assert.equal(typeof ((await res.json()) as { message: string }).message, 'string');
      });
    }

    const invalidCases: ReadonlyArray<{ name: string; body: () => unknown; problems: Array<[string, Array<string | number>]> }> = [
      { name: 'an empty referral array', body: () => ({ referral: [] }), problems: [['Must not be empty', ['referral']]] },
      { name: 'no referral attribute', body: () => ({}), problems: [['Required attribute', ['referral']]] },
      { name: 'a flat (pre-v1) body', body: () => ({ subjectId: 'x', trialId: 'y' }), problems: [['Required attribute', ['referral']]] },
      { name: 'an empty name[].given', body: () => ({ referral: [referral({ name: [{ given: [] }] })] }), problems: [['Must not be empty', ['referral', 0, 'name', 0, 'given']]] },
      { name: 'an empty telecom', body: () => ({ referral: [referral({ telecom: [] })] }), problems: [['Must not be empty', ['referral', 0, 'telecom']]] },
      { name: 'a bad email', body: () => ({ referral: [referral({ telecom: [{ system: 'email', value: 'not-an-email' }] })] }), problems: [['valid email', ['referral', 0, 'telecom', 0, 'value']]] },
      { name: 'an unknown enum value', body: () => ({ referral: [referral({ sex: 'unknown-sex' })] }), problems: [['Must be one of', ['referral', 0, 'sex']]] },
      { name: 'a missing subjectId and primaryTrial', body: () => ({ referral: [{ name: [{ given: ['A'] }] }] }), problems: [['Required attribute', ['referral', 0, 'subjectId']], ['Required attribute', ['referral', 0, 'primaryTrial']]] },
      {
        name: 'an empty answer',
        body: () => ({ referral: [referral({ encounter: [{ response: { item: [{ linkId: '1', answer: [] }] } }] })] }),
        problems: [['Must not be empty', ['referral', 0, 'encounter', 0, 'response', 'item', 0, 'answer']]],
      },
      {
        name: 'two value[x] in one answer',
        body: () => ({ referral: [referral({ encounter: [{ response: { item: [{ linkId: '1', answer: [{ valueString: 'a', valueInteger: 1 }] }] } }] })] }),
        problems: [['exactly one value[x]', ['referral', 0, 'encounter', 0, 'response', 'item', 0, 'answer', 0]]],
      },
      {
        name: 'several problems at once',
        body: () => ({ referral: [referral({ birthDate: '12/04/1980', telecom: [{ system: 'pigeon', value: 'x' }] }), { subjectId: '' }] }),
        problems: [
          ['Must be one of', ['referral', 0, 'telecom', 0, 'system']],
          ['Must be a date', ['referral', 0, 'birthDate']],
          ['Must not be empty', ['referral', 1, 'subjectId']],
          ['Required attribute', ['referral', 1, 'primaryTrial']],
        ],
      },
      { name: 'malformed JSON', body: () => '{"referral": [', problems: [['not valid JSON', []]] },
    ];
    for (const c of invalidCases) {
      it(`400 Invalid Payload listing every problem for ${c.name}`, async () => {
        const before = sandbox.allEvents().length;
        const res = await call(createUrl(), { method: 'POST', body: c.body() });
        assert.equal(res.status, 400);
        const answer = (await res.json()) as { message: string; errors: PayloadProblem[] };
        assert.equal(answer.message, 'Invalid Payload');
        assert.deepEqual(answer.errors.map((e) => e.path), c.problems.map(([, path]) => path), JSON.stringify(answer.errors));
        c.problems.forEach(([reason], i) => assert.ok(answer.errors[i]!.reason.includes(reason), `${answer.errors[i]!.reason} ∌ ${reason}`));
        assert.equal(sandbox.allEvents().length, before, 'nothing published');
      });
    }

    it('accepts unknown extra fields (lenient where the API is silent)', async () => {
      const res = await call(createUrl(), { method: 'POST', body: { referral: [referral({ somethingNew: { a: 1 } })], extra: true } });
      assert.equal(res.status, 202);
    });
  });

  describe('update a referral subject', () => {
    const subjectUrl = (id: string) => `/rpi/sites/${site().id}/referrals/subjects/${encodeURIComponent(id)}`;
    async function newSubject(): Promise<string> {
      const item = referral();
      assert.equal((await call(createUrl(), { method: 'POST', body: { referral: [item] } })).status, 202);
      return item.subjectId as string;
    }

    it('202 {id, subjectId}; status and ixrsSubjectId are stored; ixrsSubjectId null clears it', async () => {
      const id = await newSubject();
      const res = await call(subjectUrl(id), { method: 'PUT', body: { status: 'inScreening', ixrsSubjectId: 'IXRS-1' } });
      assert.equal(res.status, 202);
      const answer = (await res.json()) as { id: string; subjectId: string };
      assert.equal(typeof answer.id, 'string');
      assert.equal(answer.subjectId, id);
      assert.equal(sandbox.subject(site().id, id)?.status, 'inScreening');
      assert.equal(sandbox.subject(site().id, id)?.ixrsSubjectId, 'IXRS-1');
      assert.equal((await call(subjectUrl(id), { method: 'PUT', body: { ixrsSubjectId: null } })).status, 202);
      assert.equal(sandbox.subject(site().id, id)?.ixrsSubjectId, undefined);
    });

    const rejected: ReadonlyArray<{ name: string; body: unknown; status: number; path?: Array<string | number> }> = [
      { name: '{}', body: {}, status: 400, path: [] },
      { name: 'an unknown status', body: { status: 'happy' }, status: 400, path: ['status'] },
      { name: 'an empty encounter', body: { encounter: [] }, status: 400, path: ['encounter'] },
    ];
    for (const c of rejected) {
      it(`${c.status} for ${c.name}`, async () => {
        const id = await newSubject();
        const res = await call(subjectUrl(id), { method: 'PUT', body: c.body });
        assert.equal(res.status, c.status);
        const answer = (await res.json()) as { message: string; errors: PayloadProblem[] };
        assert.equal(answer.message, 'Invalid Payload');
        assert.deepEqual(answer.errors[0]!.path, c.path);
      });
    }

    it('404 for an unknown subject or site', async () => {
      assert.equal((await call(subjectUrl('SUBJ-NOBODY'), { method: 'PUT', body: { status: 'enrolled' } })).status, 404);
      assert.equal((await call('/rpi/sites/999999/referrals/subjects/SUBJ-0001', { method: 'PUT', body: { status: 'enrolled' } })).status, 404);
    });

    it('after the site reviewed it, locked fields are refused while encounter (and status) are accepted', async () => {
      const id = await newSubject();
      const ack = await call(`/sandbox/sites/${site().id}/subjects/${encodeURIComponent(id)}/acknowledge`, { method: 'POST', body: { status: 'firstVisitScheduled' }, auth: false });
      assert.equal(ack.status, 200);
      const locked = await call(subjectUrl(id), { method: 'PUT', body: { name: [{ given: ['Other'] }], birthDate: '1990-01-01' } });
      assert.equal(locked.status, 400);
      assert.deepEqual(((await locked.json()) as { errors: PayloadProblem[] }).errors.map((e) => e.path), [['name'], ['birthDate']]);
      const encounter = { encounter: [{ source: 'web', response: { item: [{ linkId: '9', text: 'Still interested?', answer: [{ valueBoolean: true }] }] } }], status: 'inScreening' };
      assert.equal((await call(subjectUrl(id), { method: 'PUT', body: encounter })).status, 202);
      assert.equal(sandbox.subject(site().id, id)?.encounters, 1);
    });
  });

  describe('events feed', () => {
    const all = EVENT_TYPES.join(',');

    it('seeded with a few hundred events over several trials, {pagination, events} with absolute nextPage carrying the last id', async () => {
      const res = await call(`/rpi/events?eventTypes=${all}&limit=50`);
      assert.equal(res.status, 200);
      const page = (await res.json()) as EventsPage;
      assert.deepEqual(Object.keys(page).sort(), ['events', 'pagination']);
      assert.equal(page.events.length, 50);
      assert.equal(page.pagination.hasNextPage, true);
      const next = new URL(page.pagination.nextPage);
      assert.equal(next.origin, sandbox.url);
      assert.equal(next.searchParams.get(CURSOR_PARAM), page.events.at(-1)!.id);
      for (const e of page.events) assert.deepEqual(Object.keys(e).sort(), ['eventType', 'id', 'message', 'publishedTime']);
      const trials = new Set(sandbox.allEvents().map((e) => e.message['trialId']));
      assert.ok(sandbox.allEvents().length >= 300 && trials.size >= 3);
    });

    it('following nextPage visits every event exactly once, in order, then stops', async () => {
      const ids: string[] = [];
      let url = `/rpi/events?eventTypes=${all}&limit=97`;
      for (let guard = 0; guard < 100; guard++) {
        const page = (await (await call(url)).json()) as EventsPage;
        ids.push(...page.events.map((e) => e.id));
        if (!page.pagination.hasNextPage) break;
        url = page.pagination.nextPage;
      }
      assert.deepEqual(ids, sandbox.allEvents().map((e) => e.id));
    });

    it('a watched feed changes: a new referral and an acknowledgement appear on the nextPage of the last page', async () => {
      let url = `/rpi/events?eventTypes=${all}&limit=1000`;
      let page = (await (await call(url)).json()) as EventsPage;
      while (page.pagination.hasNextPage) page = (await (await call((url = page.pagination.nextPage))).json()) as EventsPage;
      const item = referral();
      await call(createUrl(), { method: 'POST', body: { referral: [item] } });
      const acked = sandbox.acknowledgeReferral(site().id, item.subjectId as string, 'preScreening');
      assert.ok(!('message' in acked));
      const after = (await (await call(page.pagination.nextPage)).json()) as EventsPage;
      assert.deepEqual(after.events.map((e) => [e.eventType, e.message['referralSubjectId'], e.message['patientStatus']]), [
        ['v1.patient.created', item.subjectId, 'potentialCandidate'],
        ['v1.patient.referralAcknowledged', item.subjectId, 'preScreening'],
      ]);
      assert.equal(typeof after.events[1]!.message['referralAcknowledgedTime'], 'string');
    });

    it('filters by eventTypes, trialIds and since', async () => {
      const since = sandbox.allEvents()[100]!.publishedTime;
      const res = await call(`/rpi/events?eventTypes=v1.patient.referralAcknowledged&trialIds=TR-1002&since=${encodeURIComponent(since)}&limit=1000`);
      const page = (await res.json()) as EventsPage;
      assert.ok(page.events.length > 0);
      for (const e of page.events) {
        assert.equal(e.eventType, 'v1.patient.referralAcknowledged');
        assert.equal(e.message['trialId'], 'TR-1002');
        assert.ok(Date.parse(e.publishedTime) >= Date.parse(since));
      }
    });

    const badQueries: ReadonlyArray<{ name: string; query: string; status: number; path?: Array<string | number> }> = [
      { name: 'eventTypes missing', query: 'limit=5', status: 400, path: ['eventTypes'] },
      { name: 'an unknown event type', query: 'eventTypes=v1.patient.created,referral.created', status: 400, path: ['eventTypes', 1] },
      { name: 'a bad since', query: 'eventTypes=v1.patient.created&since=yesterday', status: 400, path: ['since'] },
      { name: 'a bad limit', query: 'eventTypes=v1.patient.created&limit=abc', status: 400, path: ['limit'] },
      { name: 'an unknown trial', query: 'eventTypes=v1.patient.created&trialIds=TR-9999', status: 404 },
    ];
    for (const c of badQueries) {
      it(`${c.status} for ${c.name}`, async () => {
        const res = await call(`/rpi/events?${c.query}`);
        assert.equal(res.status, c.status);
        const answer = (await res.json()) as { message: string; errors?: PayloadProblem[] };
        assert.equal(typeof answer.message, 'string');
        if (c.path) assert.deepEqual(answer.errors?.[0]?.path, c.path);
      });
    }

    it('seeds 10,000 events on request and keeps the list bounded', async () => {
      const big = await SandboxServer.start({ seedEvents: 10_000, maxEvents: 12_000 });
      try {
        assert.equal(big.allEvents().length, 10_000);
        const t = big.mintToken();
        let url = `${big.url}/rpi/events?eventTypes=${all}&limit=1000`;
        let seen = 0;
        for (let guard = 0; guard < 20 && url; guard++) {
          const page = (await (await fetch(url, { headers: { authorization: `Bearer ${t}` } })).json()) as EventsPage;
          seen += page.events.length;
          url = page.pagination.hasNextPage ? page.pagination.nextPage : '';
        }
        assert.equal(seen, 10_000);
        for (let i = 0; i < 3000; i++) big.events.append('v1.patient.created', { trialId: 'TR-1001' });
        assert.ok(big.allEvents().length <= 12_000);
      } finally {
        await big.stop();
      }
    });
  });

  describe('microsites', () => {
    const path = () => `/microsites-api/v1/${sandbox.data.trials[0]!.micrositeId}/sites/${sandbox.data.trials[0]!.id}`;

    it('200 without Authorization and with an Origin: an array of microsite sites (not RPI ids)', async () => {
      const res = await call(path(), { auth: false, headers: { origin: 'https://example.com' } });
      assert.equal(res.status, 200);
      const sites = (await res.json()) as Array<Record<string, unknown>>;
      assert.ok(sites.length > 0);
      for (const key of ['siteId', 'displayName', 'siteName', 'sponsorSiteId', 'street', 'address1', 'address2', 'city', 'state', 'postalCode', 'longitude']) {
        assert.ok(key in sites[0]!, key);
      }
      const rpiIds = new Set(sandbox.data.sites.map((s) => s.id));
      assert.ok(sites.every((s) => !rpiIds.has(s['siteId'] as string)));
    });

    it('refuses an Authorization header (400), a missing Origin (403) and an unknown microsite (404)', async () => {
      assert.equal((await call(path(), { headers: { origin: 'https://example.com' } })).status, 400);
      assert.equal((await call(path(), { auth: false })).status, 403);
      assert.equal((await call(`/microsites-api/v1/nope/sites/TR-1001`, { auth: false, headers: { origin: 'https://example.com' } })).status, 404);
    });
  });
});
