import { Footer, Header, SkipLink } from 'nhsuk-react-components';
import { useEffect, useRef } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';
import { RoleSwitch, roleName } from './role-switch';
import { useUnreadCount } from './unread-count';

export const SERVICE_NAME = 'Trusted Research Environment';

/**
 * Every page's frame: skip link, the NHS header with the service's name, navigation and the account (who is
 * signed in, in which role, sign out), the page, and the footer with the accessibility statement and privacy
 * notice. On each navigation the focus moves to the page's heading, so a screen reader announces the new page.
 * `pending`: the first page's code is still on its way (the router's fallback while it loads).
 */
export function Layout({ pending = false }: { pending?: boolean }) {
  const session = useSession();
  const unread = useUnreadCount();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    const heading = main.current?.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  }, [location.pathname]);

  return (
    <>
      <SkipLink href="#maincontent">Skip to main content</SkipLink>
      <Header service={{ text: SERVICE_NAME, href: '/app/' }}>
        <Header.Account aria-label="Account">
          {session.me ? (
            <>
              {/* href as well as to: the account item renders a link only when it is given an href. */}
              <Header.AccountItem asElement={Link} to="/account" href="/app/account" icon>
                {session.me.name}
                {session.activeRole ? ` (${roleName(session.activeRole)})` : ''}
              </Header.AccountItem>
              <Header.AccountItem as="button" onClick={() => void session.signOut()} type="button">
                Sign out
              </Header.AccountItem>
            </>
          ) : (
            <Header.AccountItem asElement={Link} to="/sign-in" href="/app/sign-in" icon>
              Sign in
            </Header.AccountItem>
          )}
        </Header.Account>
        <Header.Navigation aria-label="Menu">
          <Header.NavigationItem asElement={Link} to="/">
            Home
          </Header.NavigationItem>
          <Header.NavigationItem asElement={Link} to="/register">
            Data uses register
          </Header.NavigationItem>
          {session.activeRole === 'researcher' && (
            <Header.NavigationItem asElement={Link} to="/researcher">
              Your research
            </Header.NavigationItem>
          )}
          {session.activeRole === 'admin' && (
            <>
              <Header.NavigationItem asElement={Link} to="/admin">
                Projects
              </Header.NavigationItem>
              <Header.NavigationItem asElement={Link} to="/admin/workspaces">
                Workspaces
              </Header.NavigationItem>
              <Header.NavigationItem asElement={Link} to="/admin/sessions">
                Live sessions
              </Header.NavigationItem>
              <Header.NavigationItem asElement={Link} to="/admin/people">
                People
              </Header.NavigationItem>
              <Header.NavigationItem asElement={Link} to="/admin/audit">
                Audit trail
              </Header.NavigationItem>
            </>
          )}
          {session.activeRole === 'data_custodian' && (
            <>
              <Header.NavigationItem asElement={Link} to="/custodian">
                Dataset catalogue
              </Header.NavigationItem>
              <Header.NavigationItem asElement={Link} to="/custodian/opt-outs">
                Opt-out lists
              </Header.NavigationItem>
            </>
          )}
          {session.activeRole === 'dac_member' && (
            <Header.NavigationItem asElement={Link} to="/committee">
              Applications to review
            </Header.NavigationItem>
          )}
          {session.activeRole === 'output_checker' && (
            <Header.NavigationItem asElement={Link} to="/checker">
              Outputs to check
            </Header.NavigationItem>
          )}
          {session.me && (
            <Header.NavigationItem asElement={Link} to="/account/notifications">
              Messages
              {unread ? ` (${unread} unread)` : ''}
            </Header.NavigationItem>
          )}
          {session.me && (
            <Header.NavigationItem asElement={Link} to="/account">
              Your account
            </Header.NavigationItem>
          )}
        </Header.Navigation>
      </Header>
      <div className="nhsuk-width-container">
        <main className="nhsuk-main-wrapper" id="maincontent" ref={main}>
          {session.me && session.me.roles.length > 1 && <RoleSwitch />}
          {pending ? <p role="status">Loading the page…</p> : <Outlet />}
        </main>
      </div>
      <Footer>
        <Footer.List>
          <Footer.ListItem asElement={Link} to="/accessibility">
            Accessibility statement
          </Footer.ListItem>
          <Footer.ListItem asElement={Link} to="/privacy">
            Privacy notice
          </Footer.ListItem>
          <Footer.ListItem asElement={Link} to="/register">
            Data uses register
          </Footer.ListItem>
          <Footer.ListItem asElement={Link} to="/transparency-statement">
            Transparency statement
          </Footer.ListItem>
        </Footer.List>
      </Footer>
    </>
  );
}
