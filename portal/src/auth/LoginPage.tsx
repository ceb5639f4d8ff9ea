import { LocalesMenuButton, useLogin } from 'react-admin';
import { LoginForm } from './LoginForm';

/** react-admin's login page (after signing out, or when a session ends inside the app): the shared form. */
export function LoginPage() {
  const login = useLogin();
  return <LoginForm login={login} localeSwitcher={<LocalesMenuButton />} />;
}
