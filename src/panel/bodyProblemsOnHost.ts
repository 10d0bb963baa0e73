// The panel's body problems, worked out on the host (the validator and the schemas live there): the schema check
// of the body as it is typed (the webview reports edits debounced, see requestForm.ts), and a server's 400
// `errors[].path` mapped onto the body that was sent. Each list goes to the webview as one `bodyProblems` message.
import type { BodyProblem } from '../core/jsonLocation';
import { mapServerErrorsOntoBody } from '../core/serverErrors';
import { checkRequestBody } from '../host/bodyValidation';
import { bodyFingerprint } from './bodyFingerprint';
import type { BodyProblemInfo, DraftRequest, HostToWebview } from './protocol';

/** Bodies larger than this are not checked as you type (Run still checks what it sends). */
const LIVE_CHECK_LIMIT = 1024 * 1024;

export class BodyProblemsReporter {
  private lastSchema = '';
  private lastServer = '';

  constructor(private readonly post: (message: HostToWebview) => void) {}

  /** The draft changed (typed, adopted, sent): re-checks its body against its endpoint's schema, if any. */
  draftChanged(draft: DraftRequest): void {
    const check =
      draft.bodyMode === 'json' && draft.body.length <= LIVE_CHECK_LIMIT ? checkRequestBody({ method: draft.method, url: draft.url, body: draft.body }) : undefined;
    const problems = check ? check.problems.map(info) : [];
    this.send('schema', draft.body, check?.schemaTitle ?? '', problems);
  }

  /** A response arrived for `sentBody`: a 400 in the `{errors: [{reason, path}]}` shape is mapped onto it. */
  answered(sentBody: string, status: number, responseText: string | undefined): void {
    const mapped = status === 400 && sentBody.trim() !== '' && responseText !== undefined ? mapServerErrorsOntoBody(sentBody, responseText) : undefined;
    this.send('server', sentBody, mapped ? `The server answered ${status}` : '', mapped?.map(info) ?? []);
  }

  /** Whatever the webview shows is stale (e.g. after a reload of the webview): send both lists again. */
  resend(draft: DraftRequest): void {
    this.lastSchema = '';
    this.draftChanged(draft);
  }

  private send(kind: 'schema' | 'server', body: string, title: string, problems: BodyProblemInfo[]): void {
    const fingerprint = bodyFingerprint(body);
    // Unchanged lists are not sent again; an empty one is sent once (it clears the webview's).
    const key = problems.length === 0 ? 'none' : `${fingerprint}\u0000${title}\u0000${JSON.stringify(problems)}`;
    if (kind === 'schema' ? key === this.lastSchema : key === this.lastServer) return;
    if (kind === 'schema') this.lastSchema = key;
    else this.lastServer = key;
    this.post({ type: 'bodyProblems', kind, bodyFingerprint: fingerprint, title, problems });
  }
}

function info(p: Pick<BodyProblem, 'pathText' | 'message' | 'line' | 'column' | 'offset'>): BodyProblemInfo {
  return { pathText: p.pathText, message: p.message, line: p.line, column: p.column, offset: p.offset };
}
