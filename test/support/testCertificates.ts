// A throw-away certificate authority and one server certificate for tests of https and proxies, made
// with the openssl command line (node:crypto cannot issue X.509 certificates). Nothing is installed
// anywhere: a client trusts the CA only where a test hands it over (a `ca` option, or
// NODE_EXTRA_CA_CERTS in the environment of a process the test starts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  /** Folder holding ca.crt, server.key and server.crt. */
  readonly dir: string;
  /** PEM of the CA certificate, and its path (for NODE_EXTRA_CA_CERTS). */
  readonly caCert: string;
  readonly caPath: string;
  /** PEM key and certificate of the server, valid for `names` and `addresses`. */
  readonly key: string;
  readonly cert: string;
  remove(): void;
}

export interface TestCertificateOptions {
  /** DNS names of the server certificate. Default: studyteam.test and localhost. */
  names?: readonly string[];
  /** IP addresses of the server certificate. Default: 127.0.0.1, 127.0.0.2, 127.0.0.3. */
  addresses?: readonly string[];
  /** Where to write the files (created). Default: a new temp folder. */
  dir?: string;
}

export const TEST_HTTPS_NAME = 'studyteam.test';

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function createTestCertificates(options: TestCertificateOptions = {}): TestCertificates {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'studyteam-test-ca-'));
  mkdirSync(dir, { recursive: true });
  const names = options.names ?? [TEST_HTTPS_NAME, 'localhost'];
  const addresses = options.addresses ?? ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=StudyTeam test CA (throw-away)',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${names[0] ?? addresses[0]}`], dir);
  const san = [...names.map((n) => `DNS:${n}`), ...addresses.map((a) => `IP:${a}`)].join(',');
  writeFileSync(join(dir, 'server.ext'), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext'], dir);
  rmSync(join(dir, 'ca.key')); // nothing else is ever signed with it
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  return {
    dir,
    caCert: read('ca.crt'),
    caPath: join(dir, 'ca.crt'),
    key: read('server.key'),
    cert: read('server.crt'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Reads certificates another process created with createTestCertificates into `dir`. */
export function readTestCertificates(dir: string): TestCertificates {
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  return { dir, caCert: read('ca.crt'), caPath: join(dir, 'ca.crt'), key: read('server.key'), cert: read('server.crt'), remove: () => undefined };
}
