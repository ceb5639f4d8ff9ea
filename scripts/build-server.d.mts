/** Types of scripts/build-server.mjs, for the tests that import it. */
export declare const SERVER_BUNDLE_DIR: string;
export declare function hashOf(files: string[]): string;
export declare function ensureServerBundle(options?: { force?: boolean }): Promise<string>;
