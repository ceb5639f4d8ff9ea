import { localStorageStore } from 'ra-core';

/**
 * The portal's persisted preferences (language, list settings): one store for the app and the sign-in screen.
 * src/boot.js, which runs before any module, reads two of its keys by their stored names
 * ('RaStoreso-diem-hoc-ba.locale' and '.signedIn'): change the app key there too (test/portal/e2e.test.ts fails if
 * they part: a signed-in reload would show the sign-in form).
 */
export const store = localStorageStore('1', 'so-diem-hoc-ba');
