import * as assert from 'node:assert/strict';
import { firstPageUrl, parseFeedPage, parseSince, restoreFeedState, validateFilter, type FeedEvent } from '../../src/core/eventFeed';
import { formatPublished, groupBySubject, shortEventType } from '../../src/core/eventGroups';
import { isStudyTeamError } from '../../src/core/errors';
import type { Environment } from '../../src/core/model';

const env: Environment = { id: 'sbx', name: 'Sandbox', baseUrl: 'http://127.0.0.1:4010', production: false };

function event(id: string, subject: string | undefined, status?: string, type = 'v1.patient.created'): FeedEvent {
  return { id, publishedTime: '2024-05-01T09:30:00.000Z', eventType: type, message: { ...(subject ? { referralSubjectId: subject } : {}), ...(status ? { patientStatus: status } : {}) } };
}

describe('eventFeed values', () => {
  const filterCases: Array<[string, unknown, RegExp | undefined]> = [
    ['valid', { eventTypes: ['v1.patient.created', ' v1.patient.created '], trialIds: ['t1'], start: { kind: 'now' } }, undefined],
    ['no types', { eventTypes: [], start: { kind: 'now' } }, /at least one event type/],
    ['bad type', { eventTypes: ['a b'], start: { kind: 'now' } }, /"a b" is not an event type/],
    ['bad trial', { eventTypes: ['x'], trialIds: ['a,b'], start: { kind: 'beginning' } }, /not a trial id/],
    ['bad since', { eventTypes: ['x'], start: { kind: 'since', time: 'yesterday' } }, /"yesterday" is not a date\/time/],
    ['no start', { eventTypes: ['x'] }, /from now/],
    ['not an object', 'x', /must be an object/],
  ];
  for (const [name, input, error] of filterCases) {
    it(`validateFilter: ${name}`, () => {
      const result = validateFilter(input);
      if (!error) {
        assert.ok(result.ok);
        assert.deepEqual(result.value, { eventTypes: ['v1.patient.created'], trialIds: ['t1'], start: { kind: 'now' } });
      } else {
        assert.ok(!result.ok);
        assert.match(result.errors.join(' '), error);
      }
    });
  }

  it('parseSince: UTC as is, local without a zone, dates at local midnight, junk refused', () => {
    assert.equal(parseSince('2024-05-01T09:30:00Z'), '2024-05-01T09:30:00.000Z');
    assert.equal(parseSince('2024-05-01T09:30+02:00'), '2024-05-01T07:30:00.000Z');
    assert.equal(parseSince('2024-05-01 09:30'), new Date(2024, 4, 1, 9, 30).toISOString());
    assert.equal(parseSince('2024-05-01'), new Date(2024, 4, 1).toISOString());
    assert.equal(parseSince('May 1st'), undefined);
    assert.equal(parseSince('2024-13-45'), undefined);
  });

  it('firstPageUrl carries eventTypes, since, trialIds and limit', () => {
    const url = new URL(firstPageUrl(env, { eventTypes: ['a', 'b'], trialIds: ['t'], start: { kind: 'now' } }, Date.UTC(2024, 0, 2), 50));
    assert.equal(url.origin + url.pathname, 'http://127.0.0.1:4010/rpi/events');
    assert.equal(url.searchParams.get('eventTypes'), 'a,b');
    assert.equal(url.searchParams.get('since'), '2024-01-02T00:00:00.000Z');
    assert.equal(url.searchParams.get('trialIds'), 't');
    assert.equal(url.searchParams.get('limit'), '50');
  });

  it('restoreFeedState: round-trips through JSON, drops a position on another origin, refuses junk', () => {
    const state = { version: 1, filter: { eventTypes: ['x'], trialIds: [], start: { kind: 'beginning' } }, position: { pageUrl: 'http://127.0.0.1:4010/rpi/events?after=e1', lastEventId: 'e1' } };
    assert.deepEqual(restoreFeedState(env, JSON.parse(JSON.stringify(state))), state);
    assert.deepEqual(restoreFeedState(env, { ...state, position: { pageUrl: 'https://evil.example/rpi/events' } }), { version: 1, filter: state.filter });
    assert.equal(restoreFeedState(env, { version: 2 }), undefined);
    assert.equal(restoreFeedState(env, { version: 1, filter: { eventTypes: [] } }), undefined);
    assert.equal(restoreFeedState(env, null), undefined);
  });

  it('parseFeedPage: non-JSON and non-objects are clear errors', () => {
    for (const body of ['<html>', '[1]', 'null']) {
      assert.throws(() => parseFeedPage(env, body), (e: unknown) => isStudyTeamError(e, 'bad-response') && /^Sandbox: the events feed answered/.test(e.message));
    }
    const page = parseFeedPage(env, JSON.stringify({ events: [{ id: 7, eventType: 'v9.thing' }] }));
    assert.deepEqual(page.events, [{ id: '7', publishedTime: '', eventType: 'v9.thing', message: undefined }]);
    assert.equal(page.missingPagination, true);
    assert.equal(page.hasNextPage, false);
  });

  it('groupBySubject: newest activity first, latest status, timeline in feed order, events without subject together', () => {
    const groups = groupBySubject([
      event('1', 'A', 'new'),
      event('2', 'B', 'new'),
      event('3', undefined),
      event('4', 'A', 'contacted', 'v1.patient.referralAcknowledged'),
      event('5', 'C'),
    ]);
    assert.deepEqual(
      groups.map((g) => [g.subjectId, g.latestStatus, g.events.map((e) => e.id).join(',')]),
      [
        ['C', undefined, '5'],
        ['A', 'contacted', '1,4'],
        [undefined, undefined, '3'],
        ['B', 'new', '2'],
      ],
    );
  });

  it('formatPublished: local time with GMT; shortEventType', () => {
    const text = formatPublished('2024-05-01T09:30:05.000Z');
    const d = new Date(Date.UTC(2024, 4, 1, 9, 30, 5));
    assert.ok(text.startsWith(`${d.getFullYear()}-05-0${d.getDate()} ${String(d.getHours()).padStart(2, '0')}:30:05 (`), text);
    assert.ok(text.endsWith('09:30:05 GMT)'), text);
    assert.equal(formatPublished('junk'), 'junk');
    assert.equal(shortEventType('v1.patient.referralAcknowledged'), 'referralAcknowledged');
    assert.equal(shortEventType('custom'), 'custom');
  });
});
