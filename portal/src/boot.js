// Runs before the page is first drawn (inlined into index.html's <head> at build time, vite.config.ts):
// decides whether index.html's sign-in form is shown at once or the page waits for the app with "Đang tải…".
// The form is for a visitor who is not signed in and reads Vietnamese; someone signed in, one who chose another
// language, and the public pages a QR code opens go straight to the app (main.tsx). The hints are what main.tsx
// keeps in the portal's store (ra-core's localStorageStore: key "RaStore<app key>.<name>", value as JSON).
(function () {
  var app = /^#\/(tra-cuu|kiem-tra-ban-in)/.test(location.hash);
  try {
    var signedIn = localStorage.getItem('RaStoreso-diem-hoc-ba.signedIn');
    var locale = localStorage.getItem('RaStoreso-diem-hoc-ba.locale');
    app = app || signedIn === 'true' || (locale !== null && locale !== '"vi"');
  } catch (e) {
    // No storage (a locked-down browser): the form, as for a first visit.
  }
  if (app) document.documentElement.className += ' hb-boot-app';
})();
