// Proxy routing of headless runs (the benchmark, the command-line runner): HTTPS_PROXY / HTTP_PROXY /
// ALL_PROXY / NO_PROXY (and their lower-case forms) through proxy-from-env, tunnels through
// https-proxy-agent. The extension never uses this: there VS Code's own proxy support applies
// (see createNodeFetch). No `vscode`.
//
// - Loopback hosts (localhost, *.localhost, 127.0.0.0/8, ::1) are always reached directly.
// - One keep-alive tunnel agent per proxy URL, reused by every request that goes through it.
// - `proxy` (the runner's --proxy URL) replaces the *_PROXY variables; NO_PROXY still applies.
// - Every request, http or https, goes through a CONNECT tunnel, so the proxy sees host and port only.
// - Proxy credentials in the URL become a Proxy-Authorization header; the agent never holds a URL
//   with them, and `describeRoute`/`redactProxyUrl` print the URL with them replaced by ***.
import type * as http from 'node:http';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';
import { isLoopbackHost } from './environment';
import type { AgentChooser } from './http';

const PROXY_VARIABLES = ['https_proxy', 'http_proxy', 'all_proxy', 'no_proxy'] as const;

export interface ProxyAgentsOptions {
  /** A proxy URL for every request instead of the *_PROXY variables (the runner's --proxy). */
  proxy?: string;
  /** Where *_PROXY / NO_PROXY are read. Default: process.env. Read once, in the constructor. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra trusted CA certificates (PEM) for https targets reached through a proxy (tests). */
  ca?: string | readonly string[];
}

/** A proxy URL with any user name and password replaced by ***; anything unparsable is not shown. */
export function redactProxyUrl(proxy: string): string {
  try {
    const url = new URL(proxy);
    const auth = url.username || url.password ? '***@' : '';
    return `${url.protocol}//${auth}${url.host}`;
  } catch {
    return '(an unparsable proxy URL)';
  }
}

/** Adds http:// to a proxy given as host:port (as curl does). */
function withScheme(proxy: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

export class ProxyConfigurationError extends Error {
  override readonly name = 'ProxyConfigurationError';
}

/** Chooses, per request URL, a direct connection or a reused tunnel through the configured proxy. */
export class ProxyAgents {
  /** What proxy-from-env reads (lower-case names), with the override in place of the *_PROXY values. */
  private readonly env: Record<string, string>;
  private readonly agents = new Map<string, http.Agent>();
  private readonly routes = new Map<string, string>();
  private readonly ca: string[] | undefined;

  constructor(options: ProxyAgentsOptions = {}) {
    const source = options.env ?? process.env;
    const env: Record<string, string> = {};
    for (const name of PROXY_VARIABLES) {
      const value = source[name] || source[name.toUpperCase()];
      if (value) env[name] = name === 'no_proxy' ? value : withScheme(value.trim());
    }
    if (options.proxy !== undefined && options.proxy.trim()) {
      const proxy = withScheme(options.proxy.trim());
      env.https_proxy = proxy;
      env.http_proxy = proxy;
      delete env.all_proxy;
    }
    for (const name of ['https_proxy', 'http_proxy', 'all_proxy']) {
      if (env[name]) checkProxyUrl(env[name], name === 'https_proxy' && options.proxy ? '--proxy' : name.toUpperCase());
    }
    this.env = env;
    this.ca = options.ca === undefined ? undefined : typeof options.ca === 'string' ? [options.ca] : [...options.ca];
  }

  /** The proxy URL (credentials included) for `url`, or undefined to connect directly. */
  proxyFor(url: URL | string): string | undefined {
    const target = typeof url === 'string' ? new URL(url) : url;
    const protocol = target.protocol;
    if (protocol !== 'https:' && protocol !== 'http:') return undefined;
    const key = `${protocol}//${target.host}`;
    let route = this.routes.get(key);
    if (route === undefined) {
      // Loopback is decided here once per scheme + host (the host names the hostname), then remembered as "direct".
      route = isLoopbackHost(target.hostname) ? '' : withEnvironment(this.env, () => getProxyForUrl(key));
      if (this.routes.size > 1024) this.routes.clear();
      this.routes.set(key, route);
    }
    return route || undefined;
  }

  /** "direct" or "via http://***@proxy:3128" — safe to print. */
  describeRoute(url: URL | string): string {
    const proxy = this.proxyFor(url);
    return proxy ? `via ${redactProxyUrl(proxy)}` : 'direct';
  }

  /** The agent for `url`: undefined (Node's global keep-alive agent) when direct, else the proxy's tunnel agent. */
  agentFor(url: URL | string): http.Agent | undefined {
    const proxy = this.proxyFor(url);
    if (!proxy) return undefined;
    let agent = this.agents.get(proxy);
    if (!agent) {
      agent = tunnelAgent(proxy, this.ca);
      this.agents.set(proxy, agent);
    }
    return agent;
  }

  /** For createNodeFetch. */
  readonly chooser: AgentChooser = (url) => this.agentFor(url);

  /** Closes every tunnel. */
  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

function checkProxyUrl(proxy: string, source: string): void {
  let url: URL;
  try {
    url = new URL(proxy);
  } catch {
    throw new ProxyConfigurationError(`${source}: ${redactProxyUrl(proxy)} is not a valid proxy URL (expected e.g. http://proxy.example.com:3128).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigurationError(`${source}: ${url.protocol.slice(0, -1)} proxies are not supported; use an http:// or https:// proxy URL.`);
  }
}

/** A keep-alive CONNECT agent for `proxy`; its credentials go into a header, never into the agent's URL. */
function tunnelAgent(proxy: string, ca: string[] | undefined): http.Agent {
  const url = new URL(proxy);
  const headers: Record<string, string> = {};
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    headers['Proxy-Authorization'] = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return ca ? new TrustingTunnelAgent(url.href, { keepAlive: true, headers }, ca) : new HttpsProxyAgent(url.href, { keepAlive: true, headers });
}

/** Trusts `ca` for the https targets behind the tunnel (HttpsProxyAgent passes only request options on). */
class TrustingTunnelAgent extends HttpsProxyAgent<string> {
  constructor(proxy: string, options: ConstructorParameters<typeof HttpsProxyAgent<string>>[1], private readonly ca: string[]) {
    super(proxy, options);
  }

  override connect(req: http.ClientRequest, options: Parameters<HttpsProxyAgent<string>['connect']>[1]): ReturnType<HttpsProxyAgent<string>['connect']> {
    return super.connect(req, options.secureEndpoint ? { ...options, ca: this.ca } : options);
  }
}

/**
 * proxy-from-env reads process.env; this runs it (synchronously) with exactly the variables the
 * ProxyAgents were built with, so a run is not changed by a later change of process.env and tests
 * need not touch the real one.
 */
function withEnvironment<T>(env: Record<string, string>, read: () => T): T {
  const saved = process.env;
  process.env = env;
  try {
    return read();
  } finally {
    process.env = saved;
  }
}
