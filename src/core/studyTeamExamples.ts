// The documented StudyTeam calls as a ready-made folder ("Add StudyTeam Examples"), written to be
// accepted by the real API (../shared/STUDYTEAM_API.md). Paths are relative to the environment's
// baseUrl; ids come from {{variables}} (siteId, trialId, sponsorSiteId, subjectId, micrositeId: define
// them per environment — the local sandbox defines working ones — or enter them when a request runs).
// The bodies hold made-up test data.
import { newId } from './savedRequests';
import type { SavedFolderNode } from './savedRequests';
import { jsonBodyText } from './savedRequestBody';
import { requestBuilder, sampleReferralBody, type IdFactory } from './sampleRequests';

const STUDYTEAM_EXAMPLES_FOLDER = 'StudyTeam examples';

const CREATE_REFERRAL_BODY = sampleReferralBody({
  subjectId: '{{subjectId}}',
  campaignCode: 'VSCODE-TEST',
  moreTelecom: [{ system: 'phone', value: '+1-555-010-0199', use: 'mobile', rank: 2 }],
  question: 'Have you been diagnosed with type 2 diabetes?',
  answer: 'Yes',
});

// Only fields a partner can still send after the site has reviewed the subject: a status, the IxRS id
// and an encounter (added to the subject's timeline).
const UPDATE_SUBJECT_BODY = jsonBodyText({
  status: 'inScreening',
  ixrsSubjectId: 'IXRS-0001',
  encounter: [{ source: 'web', response: { item: [{ linkId: '2', text: 'Best time to call?', answer: [{ valueString: 'Mornings' }] }] } }],
});

/** A fresh copy (new ids each time) of the documented calls, in one folder. */
export function studyTeamExamples(idFactory: IdFactory = newId): SavedFolderNode {
  const { request, jsonRequest } = requestBuilder(idFactory);
  return {
    kind: 'folder',
    id: idFactory('folder'),
    name: STUDYTEAM_EXAMPLES_FOLDER,
    children: [
      request({
        name: 'List sites',
        description: 'The referral sites this client may send referrals to (their siteIds).',
        method: 'GET',
        url: '/rpi/sites',
        auth: 'bearer',
      }),
      request({
        name: 'Get site',
        description: 'One referral site with its trials and their sponsorSiteIds (404 for an unknown siteId).',
        method: 'GET',
        url: '/rpi/sites/{{siteId}}',
        auth: 'bearer',
      }),
      jsonRequest({
        name: 'Create referral',
        description: 'Sends referrals ({"referral": [ … ]}, v1 payload) to a site; 202 Accepted. subjectId is your own id, unique per referral partner.',
        method: 'POST',
        url: '/rpi/sites/{{siteId}}/referrals',
        body: CREATE_REFERRAL_BODY,
      }),
      jsonRequest({
        name: 'Update referral subject',
        description: 'Updates a referral subject (202). Once the site has reviewed it, only encounter (and status, ixrsSubjectId) are accepted; ixrsSubjectId null clears it.',
        method: 'PUT',
        url: '/rpi/sites/{{siteId}}/referrals/subjects/{{subjectId}}',
        body: UPDATE_SUBJECT_BODY,
      }),
      request({
        name: 'Read events',
        description: 'The reporting events feed, oldest first: {pagination, events}. Page on by following pagination.nextPage (an absolute URL).',
        method: 'GET',
        url: '/rpi/events',
        auth: 'bearer',
        query: [
          { name: 'eventTypes', value: 'v1.patient.created,v1.patient.referralAcknowledged' },
          { name: 'since', value: '2024-01-01T00:00:00.000Z' },
          { name: 'limit', value: '50' },
          { name: 'trialIds', value: '{{trialId}}' },
        ],
      }),
      request({
        name: 'Microsite sites',
        description: 'Study Websites (microsites) site list. Sent WITHOUT an Authorization header (the endpoint rejects one) and with the Origin of your study website. Its site ids are not RPI ids.',
        method: 'GET',
        url: '/microsites-api/v1/{{micrositeId}}/sites/{{trialId}}',
        auth: 'none',
        headers: [{ name: 'Origin', value: 'https://example.com' }],
      }),
    ],
  };
}
