import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { QuickSignIn, type NextStep } from './auth/QuickSignIn';
import { authApi } from './auth/session';
import { applySavedLocale } from './locale';
import { store } from './store';

/**
 * The portal boots in parts (issue 11). A visitor without a session gets the quick sign-in screen — React, the form
 * in plain CSS and the messages — from the first script alone; the app's MUI form takes over only if the server
 * asks for another step (TOTP, enrolment, a new password), and react-admin with every resource (the app, several
 * times larger) loads once they are signed in. A signed-in visitor, or the public lookup page of a QR code, goes
 * straight to the app.
 */
const root = createRoot(document.getElementById('root')!);
const show = (node: ReactNode) => root.render(<StrictMode>{node}</StrictMode>);

async function showApp(): Promise<void> {
  const { App } = await import('./App');
  show(<App />);
}

/**
 * Whether to draw index.html's sign-in form at the first paint next time (src/boot.js, inlined there, reads it):
 * not for someone signed in, whose page goes straight to the app.
 */
const rememberSignedIn = (yes: boolean) => (yes ? store.setItem('signedIn', true) : store.removeItem('signedIn'));

function signedIn(): void {
  rememberSignedIn(true);
  // Where the visitor was going stays in the address; react-admin's own login route would show the form again.
  if (/^#\/login\b/.test(window.location.hash)) window.location.hash = '#/';
  void showApp();
}

async function showNextStep(next: NextStep): Promise<void> {
  const { SignInScreen } = await import('./auth/SignInScreen');
  show(<SignInScreen initial={next} onSignedIn={signedIn} />);
}

async function boot(): Promise<void> {
  // The public pages the QR codes open (a transcript, a printed grade book): no sign-in.
  if (window.location.hash.startsWith('#/tra-cuu') || window.location.hash.startsWith('#/kiem-tra-ban-in')) return showApp();
  const session = await authApi.me().catch(() => null);
  rememberSignedIn(session?.stage === 'ok');
  if (session?.stage === 'ok') return showApp();
  await applySavedLocale();
  show(<QuickSignIn onSignedIn={signedIn} onNextStep={(next) => void showNextStep(next)} />);
}

void boot();
