import { Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AREAS } from './areas';
import { HallArea } from './hall/hall-area';
import { Layout } from './shell/layout';
import { homeFor } from './shell/navigation';
import { RequireRole, SessionProvider, useSession } from './shell/session';
import { SignInPage } from './sign-in/sign-in-page';

/** `/`: signed-in people go to their role's home, everyone else to the hall. */
function Home() {
  const { session } = useSession();
  if (!session) return <p className="page-status" role="status">正在加载…</p>;
  return <Navigate to={session.user ? homeFor(session.user.roles) : '/hall'} replace />;
}

function NotFound() {
  return (
    <div className="page-status" role="alert">
      <h1>页面不存在</h1>
      <p>
        请检查网址，或 <a href="/hall">返回品牌馆</a>。
      </p>
    </div>
  );
}

const loading = <p className="page-status" role="status">正在加载…</p>;

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<Home />} />
            <Route path="sign-in" element={<SignInPage />} />
            <Route path="hall/*" element={<HallArea />} />
            {AREAS.map(({ path, roles, component: Area }) => (
              <Route
                key={path}
                path={`${path}/*`}
                element={
                  <Suspense fallback={loading}>
                    {roles ? (
                      <RequireRole roles={roles}>
                        <Area />
                      </RequireRole>
                    ) : (
                      <Area />
                    )}
                  </Suspense>
                }
              />
            ))}
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}
