import { useEffect } from 'react';
import { useBlocker, useTranslate } from 'react-admin';

/**
 * Warns before leaving a page with unsaved work: navigation inside the portal asks for confirmation (react-admin's
 * own "unsaved changes" message), and closing or reloading the tab triggers the browser's prompt. The same
 * behaviour as react-admin forms (useWarnWhenUnsavedChanges), for pages that are not react-hook-form forms.
 */
export function useUnsavedWarning(dirty: boolean): void {
  const translate = useTranslate();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (!dirty || window.confirm(translate('ra.message.unsaved_changes'))) blocker.proceed?.();
    else blocker.reset?.();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the blocker object is not stable across renders
  }, [blocker.state, dirty, translate]);
  useEffect(() => {
    if (!dirty) return;
    const beforeunload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = true;
    };
    window.addEventListener('beforeunload', beforeunload);
    return () => window.removeEventListener('beforeunload', beforeunload);
  }, [dirty]);
}
