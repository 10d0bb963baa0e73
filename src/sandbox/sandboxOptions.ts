// Options of a SandboxServer (also what the sandbox CLI parses into) and its record of the last API request.
import type { SandboxClient } from './sandboxAuth';

export interface SandboxOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Serve https with this key and certificate (PEM) instead of plain http. */
  tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Host name in `url` instead of the listening address (e.g. a name a test proxy resolves). */
  publicHost?: string;
  /** A label such as "Staging sandbox". */
  name?: string;
  /** Allowed clients; the first is the default. Default: one random client for `audience`. */
  clients?: SandboxClient[];
  /** Lifetime of issued tokens (expires_in). Default 900. */
  tokenLifetimeSeconds?: number;
  /** HS256 key. Default: 32 random bytes, so two sandboxes never accept each other's tokens. */
  signingKey?: string;
  /** Audience the API accepts besides the clients' audiences. Default: the sandbox url. */
  audience?: string;
  /** `scope` claim of issued tokens. */
  scope?: string;
  /** Events of seeded history (referrals created and acknowledged over every trial). Default 300. */
  seedEvents?: number;
  /** Most events kept (the oldest go first). Default 50,000, and at least seedEvents. */
  maxEvents?: number;
}

export interface SandboxApiRequest {
  readonly method: string;
  /** Path plus query string, as received. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[]>>;
}
