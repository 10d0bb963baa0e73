// Constants that scripts/build.mjs replaces at build time (esbuild `define`), in every bundle.

/**
 * true in development and test builds, false in production builds (`--production`): code behind it (the webview's
 * window.__studyteam* hooks, the panel's paint metrics) is dropped from the shipped extension.
 */
declare const __STUDYTEAM_TEST_HOOKS__: boolean;
