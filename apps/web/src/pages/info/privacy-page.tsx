import { Link } from 'react-router';
import { usePageTitle } from '../../hooks/use-page-title';

/** The privacy notice: what this service holds about its visitors and users, and about patients. */
export function PrivacyPage() {
  usePageTitle('Privacy notice');
  return (
    <>
      <h1>Privacy notice</h1>
      <h2>If you visit these pages</h2>
      <p>
        The public pages and the data uses register need no sign-in and set no cookies. The service records
        the address of each request for up to a short time to protect itself from abuse, and loads nothing
        from other websites: no analytics, no fonts, no trackers.
      </p>
      <h2>If you sign in</h2>
      <p>
        We hold your name, the identifier your organisation&apos;s sign-in service gives us and your roles.
        Everything you do with data (applications, votes, workspace sessions, output requests, downloads) is
        written to a tamper-evident audit trail, kept for as long as the law requires. Your sign-in is held in
        the browser&apos;s memory only and ends when you close the tab or sign out.
      </p>
      <p>
        If your sign-in service gives us your email address, we use it only to tell you that you have a new
        message here. The email says what kind of message it is and links to it; it never includes project
        details, other people&apos;s names or data. You can turn these emails off in your account.
      </p>
      <h2>Patients&apos; data</h2>
      <p>
        Researchers see only the data an approved project needs, with direct identifiers replaced by codes.
        People who have registered a national data opt-out are removed from every extract. The{' '}
        <Link to="/register">data uses register</Link> lists every project, its legal basis and its datasets.
      </p>
      <h2>Your rights</h2>
      <p>
        You can ask to see the information held about you, to have it corrected, or to object to its use. You
        can also complain to the Information Commissioner&apos;s Office (ICO).
      </p>
    </>
  );
}
