// Enumerations of the StudyTeam API that several parts share (the sandbox, the examples, the acknowledge
// command; event types are in eventFeed.ts): from ../shared/STUDYTEAM_API.md. The body schemas in schemas/ list the
// subject statuses too (keep them in step; a unit test compares them).

/** Subject statuses a referral partner may set with `PUT …/subjects/{id}` [doc/changelog]. */
export const SUBJECT_STATUSES: readonly string[] = [
  'potentialCandidate',
  'preScreening',
  'firstVisitScheduled',
  'inScreening',
  'enrolled',
  'preScreenFailure',
  'screenFailure',
  'discontinued',
  'completed',
];
