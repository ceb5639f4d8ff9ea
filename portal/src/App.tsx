import { Admin, CustomRoutes, Resource, localStorageStore } from 'react-admin';
import { Route } from 'react-router-dom';
import { ChangePasswordPage } from './account/ChangePasswordPage';
import { TotpPage } from './account/TotpPage';
import { authProvider } from './auth/authProvider';
import { LoginPage } from './auth/LoginPage';
import { Dashboard } from './dashboard/Dashboard';
import { dataProvider } from './api/dataProvider';
import { i18nProvider } from './i18n';
import { PortalLayout } from './layout/PortalLayout';
import { InboxPage } from './notifications/InboxPage';
import { PAGES } from './pages';
import { RESOURCE_VIEWS } from './resources';
import { theme } from './theme';

const store = localStorageStore('1', 'so-diem-hoc-ba');

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
    <CustomRoutes>
      <Route path="/account/password" element={<ChangePasswordPage />} />
      <Route path="/account/totp" element={<TotpPage />} />
      <Route path="/notifications" element={<InboxPage />} />
      {PAGES.map((p) => (
        <Route key={p.path} path={p.path} element={p.element} />
      ))}
    </CustomRoutes>
  </Admin>
);
