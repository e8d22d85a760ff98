import { Card, InsetText } from 'nhsuk-react-components';
import { Link } from 'react-router';
import { usePageTitle } from '../hooks/use-page-title';

const FIVE_SAFES = [
  [
    'Safe projects',
    'Each use of data is for a clear public benefit, and a data access committee approves it before any data is used.',
  ],
  [
    'Safe people',
    'Only trained, accredited researchers from approved organisations work with the data, and only on the projects they are approved for.',
  ],
  [
    'Safe settings',
    'The data never leaves this service. Researchers work in a sealed workspace with no way to copy data out or reach the internet.',
  ],
  [
    'Safe data',
    'Researchers see only the data their project needs, with names, addresses and NHS numbers replaced by codes that cannot be reversed in the workspace.',
  ],
  [
    'Safe outputs',
    'Nothing leaves a workspace until automatic checks and two trained output checkers agree that no one could be identified from it.',
  ],
] as const;

/** What the service is for, how it keeps data safe, and how to opt out: public, no sign-in. */
export function HomePage() {
  usePageTitle('Health data used safely for research');
  return (
    <>
      <h1>Health data used safely for research</h1>
      <p className="nhsuk-lede-text">
        This Trusted Research Environment lets approved researchers study health data to improve care, without
        the data ever leaving a secure place, and without anyone being identified.
      </p>
      <h2>How your data is kept safe: the Five Safes</h2>
      <p>Every use of data here meets five tests.</p>
      <dl className="nhsuk-summary-list">
        {FIVE_SAFES.map(([name, words]) => (
          <div className="nhsuk-summary-list__row" key={name}>
            <dt className="nhsuk-summary-list__key">{name}</dt>
            <dd className="nhsuk-summary-list__value">{words}</dd>
          </div>
        ))}
      </dl>
      <h2>Choosing not to share your data: the national data opt-out</h2>
      <p>
        You can choose to stop your confidential patient information being used for research and planning. If
        you have registered a national data opt-out, your records are removed from every extract this service
        makes before any researcher sees them.
      </p>
      <InsetText>
        <p>
          To register or change your choice, visit{' '}
          <a href="https://www.nhs.uk/your-nhs-data-matters/">nhs.uk/your-nhs-data-matters</a> or call 0300
          303 5678. Your choice does not affect your care, and you can change it at any time.
        </p>
      </InsetText>
      <p>
        <Link to="/opt-outs">How the national data opt-out and the GP type 1 opt-out apply here</Link>, and
        how many people they have removed.
      </p>
      <h2>See how data is used</h2>
      <Card clickable>
        <Card.Heading headingLevel="h3">
          <Card.Link asElement={Link} to="/register">
            The data uses register
          </Card.Link>
        </Card.Heading>
        <Card.Description>
          Every approved project: what it is for, who runs it and which data it uses.
        </Card.Description>
      </Card>
      <Card clickable>
        <Card.Heading headingLevel="h3">
          <Card.Link asElement={Link} to="/transparency-statement">
            The transparency statement
          </Card.Link>
        </Card.Heading>
        <Card.Description>
          What the service did with data over a period, with the signed audit log you can check it against.
        </Card.Description>
      </Card>
      <p>
        Researchers and staff: <Link to="/sign-in">sign in</Link>.
      </p>
    </>
  );
}
