// The package version, sent to the server as CLIENT SETINFO LIB-VER.
// tests/version_test.ts checks it matches deno.json.

/** The version of this package. */
export const VERSION = "0.1.0";
