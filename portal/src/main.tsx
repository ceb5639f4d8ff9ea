import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applySavedLocale, SignInScreen } from './auth/SignInScreen';
import { authApi } from './auth/session';

/**
 * The portal boots in two parts (issue 11). The sign-in screen — React, a few MUI components, the form and the
 * messages — is part of the first script (its chunks are preloaded with it, and the app needs them too), so a
 * visitor without a session sees the form without waiting for anything else; react-admin with every resource (the
 * app, several times larger) loads once they are signed in. A signed-in visitor, or the public lookup page of a
 * QR code, goes straight to the app.
 */
const root = createRoot(document.getElementById('root')!);

async function showApp(): Promise<void> {
  const { App } = await import('./App');
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

async function showSignIn(): Promise<void> {
  await applySavedLocale();
  const signedIn = () => {
    // Where the visitor was going stays in the address; react-admin's own login route would show the form again.
    if (/^#\/login\b/.test(window.location.hash)) window.location.hash = '#/';
    void showApp();
  };
  root.render(
    <StrictMode>
      <SignInScreen onSignedIn={signedIn} />
    </StrictMode>,
  );
}

async function boot(): Promise<void> {
  if (window.location.hash.startsWith('#/tra-cuu')) return showApp();
  const session = await authApi.me().catch(() => null);
  return session?.stage === 'ok' ? showApp() : showSignIn();
}

void boot();
