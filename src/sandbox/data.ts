// In-memory, realistic but entirely fake StudyTeam data for the sandbox. Deterministic: every
// sandbox starts with the same sites and events, so tests can name them.

export interface SandboxSite {
  readonly id: number;
  readonly siteNumber: string;
  readonly name: string;
  readonly trialId: string;
  readonly trialName: string;
  readonly status: 'active' | 'enrolling' | 'paused';
  readonly principalInvestigator: string;
  readonly phone: string;
  readonly timezone: string;
  readonly address: { readonly line1: string; readonly city: string; readonly state: string; readonly postalCode: string; readonly country: 'US' };
  readonly acceptsReferrals: boolean;
  readonly updatedAt: string;
}

export interface SandboxEvent {
  readonly id: string;
  readonly eventType: string;
  readonly occurredAt: string;
  readonly trialId: string;
  readonly siteId: number;
  readonly subjectId: string;
  readonly data: Readonly<Record<string, string | number | boolean>>;
}

export interface SandboxTrial {
  readonly id: string;
  readonly name: string;
  readonly micrositeId: string;
}

export const SANDBOX_TRIALS: readonly SandboxTrial[] = [
  { id: 'TR-1001', name: 'Heart Failure Outcomes Study (HFO-3)', micrositeId: 'hfo3-study' },
  { id: 'TR-1002', name: 'Adult Asthma Biologic Trial', micrositeId: 'breathe-easy' },
  { id: 'TR-1003', name: 'Type 2 Diabetes Once-Weekly Therapy', micrositeId: 'glucose-weekly' },
  { id: 'TR-1004', name: 'Early Alzheimer’s Prevention Study', micrositeId: 'memory-first' },
];

export const SANDBOX_EVENT_TYPES: readonly string[] = [
  'referral.created',
  'referral.updated',
  'subject.status_changed',
  'appointment.scheduled',
  'appointment.completed',
  'subject.screen_failed',
  'subject.enrolled',
];

const SITE_NAMES = [
  'Northfield Clinical Research Center', 'Lakeside Medical Group', 'Riverbend Cardiology Associates', 'Summit Pulmonary Clinic',
  'Harborview Research Institute', 'Pinecrest Family Medicine', 'Meridian Endocrinology Partners', 'Oak Valley Neurology',
  'Westgate Clinical Trials Unit', 'Cedar Hills Health Research', 'Bayfront Memory Center', 'Stonebridge Internal Medicine',
  'Fairview Heart & Vascular', 'Maple Grove Allergy & Asthma', 'Silver Lake Diabetes Center', 'Granite Peak Research',
  'Brookside Neuroscience', 'Eastwood Medical Research', 'Juniper Clinical Partners', 'Redwood Cardiometabolic Clinic',
];
const CITIES: ReadonlyArray<readonly [string, string, string, string]> = [
  ['Springfield', 'IL', '62704', 'America/Chicago'], ['Madison', 'WI', '53703', 'America/Chicago'],
  ['Portland', 'OR', '97205', 'America/Los_Angeles'], ['Denver', 'CO', '80203', 'America/Denver'],
  ['Raleigh', 'NC', '27601', 'America/New_York'], ['Columbus', 'OH', '43215', 'America/New_York'],
  ['Austin', 'TX', '78701', 'America/Chicago'], ['Tampa', 'FL', '33602', 'America/New_York'],
  ['Boise', 'ID', '83702', 'America/Boise'], ['Albany', 'NY', '12207', 'America/New_York'],
];
const INVESTIGATORS = [
  'Dr. Maya Castillo', 'Dr. Owen Whitaker', 'Dr. Priya Raman', 'Dr. Samuel Okafor', 'Dr. Elena Novak',
  'Dr. Marcus Lindqvist', 'Dr. Hannah Brooks', 'Dr. Tomasz Wójcik', 'Dr. Aisha Karim', 'Dr. Daniel Reyes',
];
const STREETS = ['Main St', 'Oak Ave', 'Lakeshore Dr', 'Medical Pkwy', 'Elm St', 'Hospital Way', 'Park Blvd', 'Cedar Ln'];
const STATUSES: readonly SandboxSite['status'][] = ['active', 'enrolling', 'enrolling', 'active', 'paused'];

/** Base instant of the fake event stream; events are spaced 37 minutes apart from here. */
export const EVENTS_START = Date.UTC(2025, 0, 6, 9, 0, 0);
export const EVENT_SPACING_MS = 37 * 60 * 1000;

export function makeSite(index: number): SandboxSite {
  const [city, state, postalCode, timezone] = CITIES[index % CITIES.length]!;
  const trial = SANDBOX_TRIALS[index % SANDBOX_TRIALS.length]!;
  return {
    id: 1001 + index,
    siteNumber: String(101 + index).padStart(3, '0'),
    name: SITE_NAMES[index % SITE_NAMES.length]! + (index >= SITE_NAMES.length ? ` #${Math.floor(index / SITE_NAMES.length) + 1}` : ''),
    trialId: trial.id,
    trialName: trial.name,
    status: STATUSES[index % STATUSES.length]!,
    principalInvestigator: INVESTIGATORS[index % INVESTIGATORS.length]!,
    phone: `+1-555-01${String(index % 100).padStart(2, '0')}`,
    timezone,
    address: { line1: `${100 + ((index * 37) % 900)} ${STREETS[index % STREETS.length]!}`, city, state, postalCode, country: 'US' },
    acceptsReferrals: index % 5 !== 4,
    updatedAt: new Date(EVENTS_START - (index + 1) * 86_400_000).toISOString(),
  };
}

export function makeSites(count = 24): SandboxSite[] {
  return Array.from({ length: count }, (_, i) => makeSite(i));
}

export function makeEvents(sites: readonly SandboxSite[], count = 240): SandboxEvent[] {
  const events: SandboxEvent[] = [];
  for (let i = 0; i < count; i++) {
    const site = sites[(i * 7) % sites.length]!;
    const eventType = SANDBOX_EVENT_TYPES[i % SANDBOX_EVENT_TYPES.length]!;
    events.push({
      id: `evt_${String(50000 + i)}`,
      eventType,
      occurredAt: new Date(EVENTS_START + i * EVENT_SPACING_MS).toISOString(),
      trialId: site.trialId,
      siteId: site.id,
      subjectId: `SUBJ-${String(7000 + (i % 60)).padStart(5, '0')}`,
      data: eventData(eventType, i),
    });
  }
  return events;
}

function eventData(eventType: string, i: number): Record<string, string | number | boolean> {
  switch (eventType) {
    case 'subject.status_changed':
      return { from: 'prescreening', to: i % 2 ? 'screening' : 'contacted' };
    case 'appointment.scheduled':
    case 'appointment.completed':
      return { visit: i % 3 ? 'Screening Visit' : 'Baseline Visit', durationMinutes: 45 + (i % 4) * 15 };
    case 'subject.screen_failed':
      return { reason: 'Inclusion criterion not met' };
    default:
      return { source: i % 2 ? 'microsite' : 'partner', priority: i % 4 === 0 };
  }
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
  const templates = Array.from({ length: 240 }, (_, i) => JSON.stringify(makeSite(i)).slice(`{"id":${1001 + i}`.length));
  const longest = Math.max(...templates.map((t) => Buffer.byteLength(t))) + 32;
  const out = Buffer.allocUnsafe(target + longest + 2);
  let offset = out.write('[', 0, 'utf8');
  for (let i = 0; offset < target; i++) {
    if (i > 0) offset += out.write(',', offset, 'utf8');
    offset += out.write(`{"id":${1001 + i}`, offset, 'latin1');
    offset += out.write(templates[i % templates.length]!, offset, 'utf8');
  }
  offset += out.write(']', offset, 'utf8');
  const buffer = out.subarray(0, offset);
  if (bigCache.size > 8) bigCache.clear();
  bigCache.set(target, buffer);
  return buffer;
}
