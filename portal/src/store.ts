import { localStorageStore } from 'ra-core';

/** The portal's persisted preferences (language, list settings): one store for the app and the sign-in screen. */
export const store = localStorageStore('1', 'so-diem-hoc-ba');
