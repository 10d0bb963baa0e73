// proxy-from-env 2.x ships no type declarations; this is its one export.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from *_PROXY / ALL_PROXY, '' when there is none or NO_PROXY matches. */
  export function getProxyForUrl(url: string | URL): string;
}
