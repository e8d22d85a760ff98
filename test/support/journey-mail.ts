import { DEMO_PEOPLE, type DemoPerson } from '@tre/auth';
import { startLocalSmtp, type LocalSmtp, type ReceivedMail } from './local-smtp';
import { eventually } from './test-worker';

/** Where the journeys' emails say the web app is: their links must start with it. */
export const PUBLIC_URL = 'http://tre.example.test';

const PEOPLE: readonly DemoPerson[] = Object.values(DEMO_PEOPLE);

/** A demo person's address, for their API token's `email` claim (the browser's demo sign-in carries it too). */
export function demoEmail(subject: string): string {
  const person = PEOPLE.find((p) => p.subject === subject);
  if (!person) throw new Error(`${subject} is not one of the demo's people`);
  return person.email;
}

/**
 * The emails of one browser journey: a local SMTP server the test app and worker send to (pass `env` to
 * startTestApp before starting the worker), and what a journey asks of what arrived.
 */
export interface JourneyMail {
  readonly smtp: LocalSmtp;
  readonly env: { SMTP_URL: string; APP_PUBLIC_URL: string };
  /** The emails with this subject line that link to `path`, once `count` of them have arrived. */
  received(subject: string, path: string, count: number): Promise<ReceivedMail[]>;
  /** Who (by address, sorted) has had an email with this subject line linking to `path`. */
  recipients(subject: string, path: string): string[];
  close(): Promise<void>;
}

export async function startJourneyMail(): Promise<JourneyMail> {
  const smtp = await startLocalSmtp();
  const matching = (subject: string, path: string) =>
    smtp.mails.filter((m) => m.subject === subject && linksOf(m).includes(`${PUBLIC_URL}${path}`));
  return {
    smtp,
    env: { SMTP_URL: smtp.url, APP_PUBLIC_URL: PUBLIC_URL },
    received: (subject, path, count) =>
      eventually(
        async () => {
          const found = matching(subject, path);
          return found.length >= count ? found : undefined;
        },
        60_000,
        `${count} email(s) "${subject}" linking to ${path}`,
      ),
    recipients: (subject, path) =>
      matching(subject, path)
        .flatMap((m) => m.to)
        .sort(),
    close: () => smtp.close(),
  };
}

/** The body: what follows the headers. */
const bodyOf = (mail: ReceivedMail): string => mail.raw.slice(mail.raw.search(/\r?\n\r?\n/)).trim();

/** Every web address in the body. */
const linksOf = (mail: ReceivedMail): string[] => bodyOf(mail).match(/https?:\/\/[^\s<>"]+/g) ?? [];

/**
 * What every notification email must be, the one rule for all journeys: to its recipient alone; its links
 * absolute from APP_PUBLIC_URL, to the page it is about and to the account page (to turn email off), and no
 * other; no content (`content`: titles, file names, comments, reasons the journey wrote) and nothing about a
 * person: no demo person's name (the recipient's included), subject or address, but the recipient's own
 * address in the envelope and To header.
 */
export function expectLinkOnly(
  mail: ReceivedMail,
  expected: { to: string; path: string; content: readonly string[] },
): void {
  expect(mail.to).toEqual([expected.to]);
  expect(linksOf(mail)).toEqual([`${PUBLIC_URL}${expected.path}`, `${PUBLIC_URL}/app/account`]);
  const words = `${mail.subject}\n${bodyOf(mail)}`;
  for (const text of expected.content) expect(mail.raw).not.toContain(text);
  for (const person of PEOPLE) {
    expect(words).not.toMatch(new RegExp(`\\b${person.name}\\b`));
    expect(mail.raw).not.toContain(person.subject);
    expect(mail.raw).not.toContain(`Test ${person.subject}`); // the tests' tokens' names
    if (person.email !== expected.to) expect(mail.raw).not.toContain(person.email);
  }
  expect(bodyOf(mail)).not.toContain(expected.to); // the address is the envelope's, not the text's
}
