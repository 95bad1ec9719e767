import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { authCall, onSessionExpired, setCsrfToken } from '../api/client';
import type { Role } from './navigation';

export interface SessionUser {
  userId: string;
  displayName: string;
  roles: Role[];
  merchantIds: string[];
  buyerOrgIds: string[];
}

export interface SessionInfo {
  mode: 'demo' | 'oidc';
  user: SessionUser | null;
  csrfToken?: string;
  expiresAt?: string;
}

interface SessionContextValue {
  session: SessionInfo | undefined;
  /** Re-reads the session (after sign-in); `refresh: true` also asks the edge to re-learn the user's enterprises. */
  reload(options?: { refresh?: boolean }): Promise<SessionInfo>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo>();
  const apply = useCallback((info: SessionInfo) => {
    setCsrfToken(info.csrfToken);
    setSession(info);
    return info;
  }, []);
  const reload = useCallback(
    async (options?: { refresh?: boolean }) => apply(await authCall<SessionInfo>(options?.refresh ? 'refresh' : 'session', options?.refresh ? {} : undefined)),
    [apply],
  );
  const signOut = useCallback(async () => {
    await authCall('sign-out', {});
    apply({ mode: session?.mode ?? 'demo', user: null });
  }, [apply, session?.mode]);

  useEffect(() => {
    authCall<SessionInfo>('session').then(apply, () => apply({ mode: 'demo', user: null }));
    return onSessionExpired(() => void reload().catch(() => undefined));
  }, [reload, apply]);

  const value = useMemo(() => ({ session, reload, signOut }), [session, reload, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only for pages behind RequireRole. */
export function useUser(): SessionUser {
  const user = useSession().session?.user;
  if (!user) throw new Error('useUser outside RequireRole');
  return user;
}

/**
 * Guards an area: not signed in → the sign-in page (and back here after); signed in without one
 * of the roles → a clear refusal. The services check roles and ownership again on every call.
 */
export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <p className="page-status" role="status">正在加载…</p>;
  if (!session.user) return <Navigate to={`/sign-in?returnTo=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (!roles.some((r) => session.user?.roles.includes(r))) {
    return (
      <div className="page-status" role="alert">
        <h1>没有权限</h1>
        <p>此页面仅供{roles.length ? '相应角色' : ''}使用，请换用有权限的账号登录。</p>
      </div>
    );
  }
  return <>{children}</>;
}
