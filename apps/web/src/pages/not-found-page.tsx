import { Link } from 'react-router';
import { usePageTitle } from '../hooks/use-page-title';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <>
      <h1>Page not found</h1>
      <p>If you typed the web address, check it is correct.</p>
      <p>
        Go to the <Link to="/">home page</Link> or the <Link to="/register">data uses register</Link>.
      </p>
    </>
  );
}
