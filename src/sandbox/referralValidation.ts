// What the sandbox's referral calls reject, as the API's `{reason, path}` problems [obs]: every problem
// of a body at once. Known fields are checked; unknown extra fields pass (the API's full rules are not
// public, so the sandbox is lenient where STUDYTEAM_API.md is silent).
import { SUBJECT_STATUSES } from '../core/studyTeamVocabulary';
import type { PayloadError } from './sandboxHttp';

type Path = ReadonlyArray<string | number>;
type Problems = PayloadError[];

const NAME_USES = ['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden'];
const ADDRESS_USES = ['home', 'work', 'temp', 'old', 'billing'];
const ADDRESS_TYPES = ['postal', 'physical', 'both'];
const TELECOM_SYSTEMS = ['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other'];
const TELECOM_USES = ['home', 'work', 'temp', 'old', 'mobile'];
const SEXES = ['male', 'female', 'intersex'];
/** FHIR QuestionnaireResponse answer value[x] keys; exactly one per answer. */
export const ANSWER_VALUE_KEYS = ['valueString', 'valueInteger', 'valueBoolean', 'valueCoding', 'valueDecimal', 'valueTime', 'valueDateTime', 'valueDate', 'valueUri'];
/** Fields `PUT …/subjects/{id}` accepts [doc]. */
export const SUBJECT_UPDATE_FIELDS = ['name', 'address', 'birthDate', 'telecom', 'sex', 'races', 'ethnicities', 'encounter', 'ixrsSubjectId', 'status'];
/** Fields still accepted once a site user has reviewed the subject (`encounter` always is [doc]). */
export const FIELDS_OPEN_AFTER_REVIEW = ['encounter', 'status', 'ixrsSubjectId'];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(path: Path, key: string | number): Path {
  return [...path, key];
}

const required = (name: string, path: Path): PayloadError => ({ reason: `Required attribute ${name} is missing`, path: at(path, name) });

function checkString(value: unknown, path: Path, problems: Problems, opts: { nonEmpty?: boolean; pattern?: RegExp; what?: string; oneOf?: readonly string[] } = {}): void {
  if (typeof value !== 'string') {
    problems.push({ reason: 'Must be a string', path });
  } else if (opts.oneOf && !opts.oneOf.includes(value)) {
    problems.push({ reason: `Must be one of ${opts.oneOf.join(', ')}`, path });
  } else if (opts.nonEmpty && value.trim() === '') {
    problems.push({ reason: 'Must not be empty', path });
  } else if (opts.pattern && !opts.pattern.test(value)) {
    problems.push({ reason: `Must be ${opts.what ?? 'well formed'}`, path });
  }
}

/** An array (non-empty unless `allowEmpty`) whose items are checked by `item`. */
function checkArray(value: unknown, path: Path, problems: Problems, item: (v: unknown, p: Path) => void, allowEmpty = false): void {
  if (!Array.isArray(value)) {
    problems.push({ reason: 'Must be an array', path });
    return;
  }
  if (value.length === 0 && !allowEmpty) problems.push({ reason: 'Must not be empty', path });
  value.forEach((v, i) => item(v, at(path, i)));
}

function checkObject(value: unknown, path: Path, problems: Problems, fields: (v: Record<string, unknown>) => void): void {
  if (!isRecord(value)) problems.push({ reason: 'Must be an object', path });
  else fields(value);
}

function optional(record: Record<string, unknown>, key: string, path: Path, check: (v: unknown, p: Path) => void): void {
  if (record[key] !== undefined) check(record[key], at(path, key));
}

function checkStringList(value: unknown, path: Path, problems: Problems, allowEmpty: boolean): void {
  checkArray(value, path, problems, (v, p) => checkString(v, p, problems, { nonEmpty: true }), allowEmpty);
}

function checkName(value: unknown, path: Path, problems: Problems): void {
  checkObject(value, path, problems, (n) => {
    optional(n, 'use', path, (v, p) => checkString(v, p, problems, { oneOf: NAME_USES }));
    optional(n, 'text', path, (v, p) => checkString(v, p, problems));
    optional(n, 'family', path, (v, p) => checkString(v, p, problems));
    optional(n, 'given', path, (v, p) => checkStringList(v, p, problems, false));
    optional(n, 'prefix', path, (v, p) => checkStringList(v, p, problems, true));
    optional(n, 'suffix', path, (v, p) => checkStringList(v, p, problems, true));
  });
}

function checkAddress(value: unknown, path: Path, problems: Problems): void {
  checkObject(value, path, problems, (a) => {
    optional(a, 'use', path, (v, p) => checkString(v, p, problems, { oneOf: ADDRESS_USES }));
    optional(a, 'type', path, (v, p) => checkString(v, p, problems, { oneOf: ADDRESS_TYPES }));
    optional(a, 'line', path, (v, p) => checkStringList(v, p, problems, true));
    for (const key of ['city', 'district', 'state', 'postalCode', 'country', 'text']) optional(a, key, path, (v, p) => checkString(v, p, problems));
  });
}

function checkTelecom(value: unknown, path: Path, problems: Problems): void {
  checkObject(value, path, problems, (t) => {
    if (t['system'] === undefined) problems.push(required('system', path));
    else checkString(t['system'], at(path, 'system'), problems, { oneOf: TELECOM_SYSTEMS });
    if (t['value'] === undefined) problems.push(required('value', path));
    else if (t['system'] === 'email' && typeof t['value'] === 'string' && !EMAIL.test(t['value'])) {
      problems.push({ reason: 'The value must be a valid email address', path: at(path, 'value') });
    } else checkString(t['value'], at(path, 'value'), problems, { nonEmpty: true });
    optional(t, 'use', path, (v, p) => checkString(v, p, problems, { oneOf: TELECOM_USES }));
    optional(t, 'rank', path, (v, p) => {
      if (!Number.isInteger(v) || (v as number) < 1) problems.push({ reason: 'Must be a whole number of at least 1', path: p });
    });
    optional(t, 'period', path, (v, p) =>
      checkObject(v, p, problems, (period) => {
        for (const key of ['start', 'end']) optional(period, key, p, (x, q) => checkString(x, q, problems, { pattern: DATE_TIME, what: 'an ISO-8601 date-time' }));
      }),
    );
  });
}

function checkAnswer(value: unknown, path: Path, problems: Problems): void {
  checkObject(value, path, problems, (a) => {
    const present = ANSWER_VALUE_KEYS.filter((k) => a[k] !== undefined);
    if (present.length === 0) problems.push({ reason: `Required attribute value[x] is missing: one of ${ANSWER_VALUE_KEYS.join(', ')}`, path });
    else if (present.length > 1) problems.push({ reason: `Must have exactly one value[x], found ${present.join(', ')}`, path });
  });
}

function checkEncounter(value: unknown, path: Path, problems: Problems): void {
  checkObject(value, path, problems, (e) => {
    optional(e, 'source', path, (v, p) => checkString(v, p, problems));
    if (e['response'] === undefined) {
      problems.push(required('response', path));
      return;
    }
    checkObject(e['response'], at(path, 'response'), problems, (r) => {
      const rp = at(path, 'response');
      if (r['item'] === undefined) problems.push(required('item', rp));
      else
        checkArray(r['item'], at(rp, 'item'), problems, (item, ip) =>
          checkObject(item, ip, problems, (q) => {
            if (q['linkId'] === undefined) problems.push(required('linkId', ip));
            else checkString(q['linkId'], at(ip, 'linkId'), problems, { nonEmpty: true });
            optional(q, 'text', ip, (v, p) => checkString(v, p, problems));
            optional(q, 'definition', ip, (v, p) => checkString(v, p, problems));
            if (q['answer'] === undefined) problems.push(required('answer', ip));
            else checkArray(q['answer'], at(ip, 'answer'), problems, (a, ap) => checkAnswer(a, ap, problems));
          }),
        );
    });
  });
}

/** The subject fields shared by a referral item and a subject update. */
function checkSubjectFields(r: Record<string, unknown>, path: Path, problems: Problems): void {
  optional(r, 'name', path, (v, p) => checkArray(v, p, problems, (n, np) => checkName(n, np, problems)));
  optional(r, 'address', path, (v, p) => checkArray(v, p, problems, (a, ap) => checkAddress(a, ap, problems)));
  optional(r, 'telecom', path, (v, p) => checkArray(v, p, problems, (t, tp) => checkTelecom(t, tp, problems)));
  optional(r, 'birthDate', path, (v, p) => checkString(v, p, problems, { pattern: DATE, what: 'a date (YYYY-MM-DD)' }));
  optional(r, 'sex', path, (v, p) => checkString(v, p, problems, { oneOf: SEXES }));
  optional(r, 'gender', path, (v, p) => checkString(v, p, problems));
  optional(r, 'races', path, (v, p) => checkArray(v, p, problems, () => undefined, true));
  optional(r, 'ethnicities', path, (v, p) => checkArray(v, p, problems, () => undefined, true));
  optional(r, 'encounter', path, (v, p) => checkArray(v, p, problems, (e, ep) => checkEncounter(e, ep, problems)));
}

function checkTrialRef(value: unknown, path: Path, problems: Problems): void {
  checkObject(value, path, problems, (t) => {
    for (const key of ['id', 'sponsorSiteId']) {
      if (t[key] === undefined) problems.push(required(key, path));
      else checkString(t[key], at(path, key), problems, { nonEmpty: true });
    }
  });
}

function checkReferralItem(value: unknown, path: Path, problems: Problems): void {
  checkObject(value, path, problems, (r) => {
    if (r['subjectId'] === undefined) problems.push(required('subjectId', path));
    else checkString(r['subjectId'], at(path, 'subjectId'), problems, { nonEmpty: true });
    if (r['primaryTrial'] === undefined) problems.push(required('primaryTrial', path));
    else checkTrialRef(r['primaryTrial'], at(path, 'primaryTrial'), problems);
    optional(r, 'alternateTrials', path, (v, p) => checkArray(v, p, problems, (t, tp) => checkTrialRef(t, tp, problems), true));
    optional(r, 'subjectCreatedAt', path, (v, p) => checkString(v, p, problems, { pattern: DATE_TIME, what: 'an ISO-8601 date-time' }));
    optional(r, 'campaignCode', path, (v, p) => checkString(v, p, problems));
    optional(r, 'consent', path, (v, p) =>
      checkObject(v, p, problems, (c) => {
        optional(c, 'text', p, (x, q) => checkString(x, q, problems));
        optional(c, 'verification', p, (x, q) =>
          checkObject(x, q, problems, (ver) => {
            optional(ver, 'verified', q, (y, yp) => typeof y !== 'boolean' && problems.push({ reason: 'Must be a boolean', path: yp }));
            optional(ver, 'verificationDate', q, (y, yp) => checkString(y, yp, problems, { pattern: DATE_TIME, what: 'an ISO-8601 date-time' }));
          }),
        );
      }),
    );
    optional(r, 'recruitmentSource', path, (v, p) => checkObject(v, p, problems, () => undefined));
    checkSubjectFields(r, path, problems);
  });
}

/** Problems of a `POST …/referrals` body (`{referral:[…]}`), all at once; [] when it is acceptable. */
export function referralPayloadProblems(body: unknown): PayloadError[] {
  const problems: Problems = [];
  checkObject(body, [], problems, (b) => {
    if (b['referral'] === undefined) problems.push(required('referral', []));
    else checkArray(b['referral'], ['referral'], problems, (item, p) => checkReferralItem(item, p, problems));
  });
  return problems;
}

/** Problems of a `PUT …/subjects/{id}` body, all at once; [] when it is acceptable. */
export function subjectUpdateProblems(body: unknown): PayloadError[] {
  const problems: Problems = [];
  checkObject(body, [], problems, (b) => {
    if (Object.keys(b).length === 0) problems.push({ reason: 'Must not be empty', path: [] });
    checkSubjectFields(b, [], problems);
    optional(b, 'ixrsSubjectId', [], (v, p) => v !== null && checkString(v, p, problems, { nonEmpty: true }));
    optional(b, 'status', [], (v, p) => checkString(v, p, problems, { oneOf: SUBJECT_STATUSES }));
  });
  return problems;
}
