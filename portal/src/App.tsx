import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { ChangePasswordPage } from './account/ChangePasswordPage';
import { TotpPage } from './account/TotpPage';
import { authProvider } from './auth/authProvider';
import { LoginPage } from './auth/LoginPage';
import { Dashboard } from './dashboard/Dashboard';
import { dataProvider } from './api/dataProvider';
import { i18nProvider } from './i18n';
import { NoAccess, PageGuard } from './layout/NoAccess';
import { PortalLayout } from './layout/PortalLayout';
import { InboxPage } from './notifications/InboxPage';
import { PAGES } from './pages';
import { RESOURCE_VIEWS } from './resources';
import { store } from './store';
import { theme } from './theme';
import transcripts from './transcripts';
import { PublicLookupPage, PUBLIC_LOOKUP_PATH } from './verify/PublicLookupPage';
import { PrintedCheckPage, PRINTED_CHECK_PATH } from './verify/PrintedCheckPage';

export const App = () => (
  <Admin
    title="app.title"
    dataProvider={dataProvider}
    authProvider={authProvider}
    i18nProvider={i18nProvider}
    loginPage={LoginPage}
    dashboard={Dashboard}
    layout={PortalLayout}
    theme={theme}
    store={store}
    accessDenied={NoAccess}
    requireAuth
    disableTelemetry
  >
    {RESOURCE_VIEWS.map(({ name, list, show, edit, create, icon, recordRepresentation }) => (
      <Resource
        key={name}
        name={name}
        list={list}
        show={show}
        edit={edit}
        create={create}
        icon={icon}
        recordRepresentation={recordRepresentation as string | ((record: unknown) => string)}
      />
    ))}
    <Resource
      name={transcripts.name}
      list={transcripts.list}
      show={transcripts.show}
      icon={transcripts.icon}
      recordRepresentation={transcripts.recordRepresentation as (record: unknown) => string}
    />
    {/* The QR code's page: outside the layout and rendered whatever the auth state (no sign-in needed). */}
    <CustomRoutes noLayout>
      <Route path={PUBLIC_LOOKUP_PATH} element={<PublicLookupPage />} />
      <Route path={`${PUBLIC_LOOKUP_PATH}/:code`} element={<PublicLookupPage />} />
      <Route path={`${PRINTED_CHECK_PATH}/:code`} element={<PrintedCheckPage />} />
    </CustomRoutes>
    <CustomRoutes>
      <Route path="/account/password" element={<ChangePasswordPage />} />
      <Route path="/account/totp" element={<TotpPage />} />
      <Route path="/notifications" element={<InboxPage />} />
      {PAGES.filter((p) => p.element).map((p) => (
        <Route key={p.path} path={p.path} element={<PageGuard visible={p.visible}>{p.element!}</PageGuard>} />
      ))}
    </CustomRoutes>
  </Admin>
);
