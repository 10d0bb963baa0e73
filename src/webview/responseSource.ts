// Where the response (or error) on screen came from — environment, origin, how long ago — and, when the panel's
// environment is another one now, a "Stale" banner with Clear: a response is never passed off as current.
import type { EnvironmentInfo } from '../panel/protocol';
import { h, ids } from './dom';
import { timeAgo } from './format';

export interface ResponseOrigin {
  readonly environmentId: string;
  readonly environmentName: string;
  /** scheme://host[:port] of what was sent ('' when unknown, e.g. a request that was never sent). */
  readonly origin: string;
  /** Epoch ms. */
  readonly at: number;
  readonly failed: boolean;
  /** Not the panel's own Send: 'Run Folder "Go-live"'. */
  readonly label?: string;
}

export class ResponseSource {
  readonly line = h('div', { ...ids('response-source'), class: 'response-source', hidden: true });
  readonly banner = h('div', { ...ids('response-stale'), class: 'stale-banner', role: 'status', hidden: true });
  private source: ResponseOrigin | undefined;
  private environment: EnvironmentInfo | undefined;

  /** @param onStaleChange the response became (or stopped being) stale; @param onClear the user clicked Clear. */
  constructor(
    private readonly onStaleChange: (stale: boolean) => void,
    private readonly onClear: () => void,
  ) {
    // "2 min ago" stays true while the panel is open.
    window.setInterval(() => this.render(), 15_000);
  }

  set(source: ResponseOrigin | undefined): void {
    this.source = source;
    this.render();
  }

  setEnvironment(env: EnvironmentInfo): void {
    this.environment = env;
    this.render();
  }

  private render(): void {
    const src = this.source;
    const env = this.environment;
    const stale = src !== undefined && env !== undefined && src.environmentId !== env.id;
    this.onStaleChange(stale);
    this.line.hidden = src === undefined;
    this.banner.hidden = !stale;
    if (!src) return;
    const ago = timeAgo(src.at, Date.now());
    const where = src.origin ? `${src.environmentName} (${src.origin})` : src.environmentName;
    this.line.textContent = `${src.failed ? 'Failed on' : 'From'} ${where}, ${ago}${src.label ? ` · ${src.label}` : ''}`;
    this.line.title = new Date(src.at).toLocaleString();
    if (stale && env) {
      const clear = h('button', { ...ids('clear-response'), type: 'button', class: 'link-button' }, 'Clear');
      clear.addEventListener('click', () => this.onClear());
      this.banner.replaceChildren(
        h('strong', {}, 'Stale: '),
        `this ${src.failed ? 'error' : 'response'} is from ${src.environmentName}, ${ago} — not from ${env.name}. Send again for a current answer, or `,
        clear,
      );
    }
  }
}
