import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { authCall } from '../api/client';
import { ApiError } from '../api/errors';
import { homeFor, ROLE_NAMES, type Role } from '../shell/navigation';
import { useSession, type SessionInfo } from '../shell/session';

interface DemoUser {
  key: string;
  displayName: string;
  description: string;
  roles: Role[];
}

/** Same-origin paths only, as the edge also insists. */
function safeReturnTo(value: string | null): string | undefined {
  return value && /^\/(?![/\\])/.test(value) && !value.startsWith('/sign-in') ? value : undefined;
}

/**
 * Local stack: pick one demo user per role (the edge signs them in with a session cookie).
 * Production: one button to the organisation's OpenID Connect provider.
 */
export function SignInPage() {
  const { session, reload } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [users, setUsers] = useState<DemoUser[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const returnTo = safeReturnTo(params.get('returnTo'));

  useEffect(() => {
    if (session?.mode === 'demo') authCall<DemoUser[]>('demo-users').then(setUsers, (e: ApiError) => setError(e.message));
  }, [session?.mode]);

  if (!session) return <p className="page-status" role="status">正在加载…</p>;
  if (session.user && !busy) return <Navigate to={returnTo ?? homeFor(session.user.roles)} replace />;

  async function signIn(key: string) {
    setBusy(key);
    setError(undefined);
    try {
      const info = await authCall<SessionInfo>('demo-sign-in', { user: key });
      await reload();
      navigate(returnTo ?? homeFor(info.user?.roles ?? []), { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '登录失败，请重试');
      setBusy(undefined);
    }
  }

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">登录</h1>
      {session.mode === 'oidc' ? (
        <p>
          <a className="button primary" href={`/auth/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`}>
            使用统一身份认证登录
          </a>
        </p>
      ) : (
        <>
          <p className="hint">本地演示环境：选择一个演示用户登录（每个角色一位）。</p>
          {error && <p role="alert" className="error">{error}</p>}
          <ul className="demo-users">
            {users?.map((u) => (
              <li key={u.key}>
                <button type="button" className="demo-user" data-user={u.key} disabled={!!busy} onClick={() => void signIn(u.key)}>
                  <strong>{u.displayName}</strong>
                  <span className="role-tag">{u.roles.map((r) => ROLE_NAMES[r] ?? r).join('、')}</span>
                  <span className="description">{u.description}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
