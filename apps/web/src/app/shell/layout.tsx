import { NavLink, Outlet, useNavigate } from 'react-router';
import { CartLink } from '../hall/cart-link';
import { navigationFor, ROLE_NAMES } from './navigation';
import { useSession } from './session';

/** Header with the per-role navigation, the signed-in user, and the page below. */
export function Layout() {
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  const user = session?.user;
  const links = navigationFor(user?.roles ?? []);
  return (
    <>
      <a className="skip-link" href="#main">跳到主要内容</a>
      <header className="site-header">
        <NavLink to="/hall" className="brand" aria-label="开平优品 品牌馆首页">
          <span className="brand-mark" aria-hidden="true">特</span>
          <span>开平优品</span>
        </NavLink>
        <nav aria-label="主导航" className="site-nav">
          {links.map((l) => (
            <NavLink key={l.to} to={l.to} end={l.to === '/hall'}>
              {l.label}
            </NavLink>
          ))}
        </nav>
        <div className="site-user">
          <CartLink />
          {user ? (
            <>
              <span className="user-name" data-testid="user-name">
                {user.displayName}
                <small>（{user.roles.map((r) => ROLE_NAMES[r]).join('、')}）</small>
              </span>
              <button
                type="button"
                className="link-button"
                onClick={() => void signOut().then(() => navigate('/hall'))}
              >
                退出
              </button>
            </>
          ) : session ? (
            <NavLink to="/sign-in">登录</NavLink>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>开平优品 · 只售认证有效的特产 · 假一赔廿</p>
      </footer>
    </>
  );
}
