// In-memory, realistic but entirely fake StudyTeam data for the sandbox. Deterministic: every
// sandbox starts with the same sites, trials and seeded event history, so tests can name them.
// Shapes follow ../shared/STUDYTEAM_API.md (string ids; sites carry their trials' sponsorSiteIds).
import { SUBJECT_STATUSES } from '../core/studyTeamVocabulary';

export interface SandboxTrial {
  readonly id: string;
  readonly name: string;
  /** The study website (microsite) of the trial; microsite ids are not RPI ids. */
  readonly micrositeId: string;
}

export interface SandboxSiteTrial {
  readonly id: string;
  readonly sponsorSiteId: string;
}

/** A referral site: the public fields of `GET /rpi/sites` plus what the microsites call shows. */
export interface SandboxSite {
  readonly id: string;
  readonly siteName: string;
  readonly postalCode: string;
  readonly country: string;
  readonly trials: readonly SandboxSiteTrial[];
  readonly street: string;
  readonly city: string;
  readonly state: string;
  readonly latitude: number;
  readonly longitude: number;
}

export const SANDBOX_TRIALS: readonly SandboxTrial[] = [
  { id: 'TR-1001', name: 'Heart Failure Outcomes Study (HFO-3)', micrositeId: 'hfo3-study' },
  { id: 'TR-1002', name: 'Adult Asthma Biologic Trial', micrositeId: 'breathe-easy' },
  { id: 'TR-1003', name: 'Type 2 Diabetes Once-Weekly Therapy', micrositeId: 'glucose-weekly' },
  { id: 'TR-1004', name: 'Early Alzheimer’s Prevention Study', micrositeId: 'memory-first' },
];

const SITE_NAMES = [
  'Northfield Clinical Research Center', 'Lakeside Medical Group', 'Riverbend Cardiology Associates', 'Summit Pulmonary Clinic',
  'Harborview Research Institute', 'Pinecrest Family Medicine', 'Meridian Endocrinology Partners', 'Oak Valley Neurology',
  'Westgate Clinical Trials Unit', 'Cedar Hills Health Research', 'Bayfront Memory Center', 'Stonebridge Internal Medicine',
  'Fairview Heart & Vascular', 'Maple Grove Allergy & Asthma', 'Silver Lake Diabetes Center', 'Granite Peak Research',
  'Brookside Neuroscience', 'Eastwood Medical Research', 'Juniper Clinical Partners', 'Redwood Cardiometabolic Clinic',
];
const CITIES: ReadonlyArray<readonly [string, string, string, number, number]> = [
  ['Springfield', 'IL', '62704', 39.78, -89.65], ['Madison', 'WI', '53703', 43.07, -89.38],
  ['Portland', 'OR', '97205', 45.52, -122.68], ['Denver', 'CO', '80203', 39.73, -104.98],
  ['Raleigh', 'NC', '27601', 35.78, -78.64], ['Columbus', 'OH', '43215', 39.96, -83.0],
  ['Austin', 'TX', '78701', 30.27, -97.74], ['Tampa', 'FL', '33602', 27.95, -82.46],
  ['Boise', 'ID', '83702', 43.62, -116.2], ['Albany', 'NY', '12207', 42.65, -73.75],
];
const STREETS = ['Main St', 'Oak Ave', 'Lakeshore Dr', 'Medical Pkwy', 'Elm St', 'Hospital Way', 'Park Blvd', 'Cedar Ln'];

/** Base instant of the seeded event history; events are spaced 37 minutes apart from here (closer for long histories). */
export const EVENTS_START = Date.UTC(2025, 0, 6, 9, 0, 0);
export const EVENT_SPACING_MS = 37 * 60 * 1000;

export function makeSite(index: number): SandboxSite {
  const [city, state, postalCode, latitude, longitude] = CITIES[index % CITIES.length]!;
  const siteNumber = 101 + index;
  // Every site runs one trial; every third site a second one too.
  const trialIndexes = index % 3 === 2 ? [index % 4, (index + 1) % 4] : [index % 4];
  return {
    id: String(1001 + index),
    siteName: SITE_NAMES[index % SITE_NAMES.length]! + (index >= SITE_NAMES.length ? ` #${Math.floor(index / SITE_NAMES.length) + 1}` : ''),
    postalCode,
    country: 'US',
    trials: trialIndexes.map((t) => {
      const trial = SANDBOX_TRIALS[t]!;
      return { id: trial.id, sponsorSiteId: `SS-${trial.id.slice(3)}-${siteNumber}` };
    }),
    street: `${100 + ((index * 37) % 900)} ${STREETS[index % STREETS.length]!}`,
    city,
    state,
    latitude: Math.round((latitude + (index % 7) * 0.01) * 1e4) / 1e4,
    longitude: Math.round((longitude - (index % 5) * 0.01) * 1e4) / 1e4,
  };
}

export function makeSites(count = 24): SandboxSite[] {
  return Array.from({ length: count }, (_, i) => makeSite(i));
}

/** The public `GET /rpi/sites` shape of a site. */
export function publicSite(site: SandboxSite): { id: string; siteName: string; postalCode: string; country: string; trials: SandboxSiteTrial[] } {
  return { id: site.id, siteName: site.siteName, postalCode: site.postalCode, country: site.country, trials: site.trials.map((t) => ({ ...t })) };
}

/** One step of the seeded history: a referral created, or an earlier one acknowledged by the site. */
export interface SeedStep {
  readonly kind: 'created' | 'acknowledged';
  readonly site: SandboxSite;
  readonly trial: SandboxSiteTrial;
  readonly subjectId: string;
  readonly status: string;
  readonly publishedTime: string;
}

/** The subject id of the n-th (0-based) seeded referral: SUBJ-0001, SUBJ-0002, … */
export function seededSubjectId(n: number): string {
  return `SUBJ-${String(n + 1).padStart(4, '0')}`;
}

/**
 * `count` steps of fake history over every site and trial: two referrals created, then the second of
 * them acknowledged, repeated. The first referral (SUBJ-0001, first site, first trial) is never
 * acknowledged, so it can still be edited freely.
 */
export function* seedHistory(sites: readonly SandboxSite[], count: number): Generator<SeedStep> {
  let created = 0;
  let lastCreated: { site: SandboxSite; trial: SandboxSiteTrial; subjectId: string } | undefined;
  // A long history is packed closer together so that it still ends before now.
  const spacing = Math.max(1, Math.min(EVENT_SPACING_MS, Math.floor((Date.now() - EVENTS_START) / Math.max(1, count))));
  for (let i = 0; i < count; i++) {
    const publishedTime = new Date(EVENTS_START + i * spacing).toISOString();
    if (i % 3 === 2 && lastCreated) {
      const status = SUBJECT_STATUSES[1 + (i % (SUBJECT_STATUSES.length - 1))]!;
      yield { kind: 'acknowledged', ...lastCreated, status, publishedTime };
      continue;
    }
    const site = sites[(created * 7) % sites.length]!;
    const trial = site.trials[created % site.trials.length]!;
    lastCreated = { site, trial, subjectId: seededSubjectId(created++) };
    yield { kind: 'created', ...lastCreated, status: 'potentialCandidate', publishedTime };
  }
}

/**
 * Ids that exist in the sandbox's data, so the StudyTeam examples run without asking for values: the
 * first site, its first trial (and that trial's microsite), and SUBJ-0001 — a seeded subject of that
 * site that is never acknowledged, so every field of it can still be updated.
 */
export function exampleVariables(sites: readonly SandboxSite[], trials: readonly SandboxTrial[]): Record<string, string> {
  const site = sites[0]!;
  const siteTrial = site.trials[0]!;
  return {
    siteId: site.id,
    trialId: siteTrial.id,
    sponsorSiteId: siteTrial.sponsorSiteId,
    micrositeId: trials.find((t) => t.id === siteTrial.id)?.micrositeId ?? '',
    subjectId: seededSubjectId(0),
  };
}

const bigCache = new Map<number, Buffer>();

/**
 * A JSON array of site-shaped records of at least `mb` MiB (cached per size; immutable once built).
 * Sizes are clamped to 0..512 MiB.
 */
export function bigJsonArray(mb: number): Buffer {
  const target = Math.round(Math.max(0, Math.min(512, mb)) * 1024 * 1024);
  const cached = bigCache.get(target);
  if (cached) return cached;
  // Distinct records come from a few hundred templates whose id is rewritten, written straight into
  // one buffer: fast even for 100+ MiB.
  const templates = Array.from({ length: 240 }, (_, i) => JSON.stringify(publicSite(makeSite(i))).slice(`{"id":"${1001 + i}"`.length));
  const longest = Math.max(...templates.map((t) => Buffer.byteLength(t))) + 32;
  const out = Buffer.allocUnsafe(target + longest + 2);
  let offset = out.write('[', 0, 'utf8');
  for (let i = 0; offset < target; i++) {
    if (i > 0) offset += out.write(',', offset, 'utf8');
    offset += out.write(`{"id":"${1001 + i}"`, offset, 'latin1');
    offset += out.write(templates[i % templates.length]!, offset, 'utf8');
  }
  offset += out.write(']', offset, 'utf8');
  const buffer = out.subarray(0, offset);
  if (bigCache.size > 8) bigCache.clear();
  bigCache.set(target, buffer);
  return buffer;
}
