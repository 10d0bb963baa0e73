// The list of body problems next to the body editor: the schema check of the body as typed ("Create referral v1:
// 2 problems") and the server's 400 mapped onto the body as sent. Each row says the line and the JSON path;
// clicking it puts the cursor there. The host works the lists out (bodyProblemsOnHost.ts).
import { bodyFingerprint } from '../panel/bodyFingerprint';
import type { BodyProblemInfo, BodyProblemsKind } from '../panel/protocol';
import { h, ids } from './dom';

interface ProblemList {
  readonly fingerprint: string;
  readonly title: string;
  readonly problems: readonly BodyProblemInfo[];
}

export class BodyProblemsView {
  readonly element = h('div', { ...ids('body-problems'), class: 'body-problems', 'aria-live': 'polite' });
  private readonly lists: Partial<Record<BodyProblemsKind, ProblemList>> = {};

  /** @param goTo puts the cursor at an offset of the body text. */
  constructor(
    private readonly currentBody: () => string,
    private readonly goTo: (problem: BodyProblemInfo) => void,
  ) {
    this.element.hidden = true;
  }

  set(kind: BodyProblemsKind, fingerprint: string, title: string, problems: readonly BodyProblemInfo[]): void {
    if (problems.length === 0) delete this.lists[kind];
    else this.lists[kind] = { fingerprint, title, problems };
    this.render();
  }

  /** The schema problems of exactly this body text (none when the host has not checked this text yet). */
  schemaProblemsOf(body: string): ProblemList | undefined {
    const list = this.lists.schema;
    return list && list.fingerprint === bodyFingerprint(body) ? list : undefined;
  }

  /** The body text changed: schema rows of an older text are dropped at once (a new check follows), server rows stay marked. */
  bodyChanged(): void {
    this.render();
  }

  private render(): void {
    const body = this.currentBody();
    const fingerprint = bodyFingerprint(body);
    const sections: HTMLElement[] = [];
    const schema = this.lists.schema;
    if (schema && schema.fingerprint === fingerprint) {
      const n = schema.problems.length;
      sections.push(this.section('schema', `${schema.title}: ${n} problem${n === 1 ? '' : 's'} (sending is not blocked)`, schema.problems));
    }
    const server = this.lists.server;
    if (server) {
      const note = server.fingerprint === fingerprint ? 'in the body as sent' : 'in the body as sent (edited since: lines may have moved)';
      sections.push(this.section('server', `${server.title} — ${note}`, server.problems));
    }
    this.element.replaceChildren(...sections);
    this.element.hidden = sections.length === 0;
  }

  private section(kind: BodyProblemsKind, title: string, problems: readonly BodyProblemInfo[]): HTMLElement {
    const rows = problems.map((p, i) => {
      const button = h(
        'button',
        { ...ids(`${kind}-problem-${i}`), type: 'button', class: 'link-button problem-row', 'data-line': p.line, 'data-path': p.pathText, title: `Go to line ${p.line}` },
        h('span', { class: 'problem-line' }, `line ${p.line}`),
        ' · ',
        h('span', { class: 'problem-path' }, p.pathText),
        ' — ',
        p.message,
      );
      button.addEventListener('click', () => this.goTo(p));
      return h('li', {}, button);
    });
    return h('div', { ...ids(`${kind}-problems`), class: `problems-section ${kind}` }, h('div', { class: 'problems-title' }, title), h('ul', {}, ...rows));
  }
}
