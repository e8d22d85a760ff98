import { composeEmail, LINKS, mailRetryDelayMs, NOTIFICATION_KINDS, WORDING } from './notification-kinds';

describe('notification wording', () => {
  it('gives every kind a short fixed subject and line, with nothing to fill in', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const { subject, line } = WORDING[kind];
      expect(subject.length).toBeLessThanOrEqual(60);
      expect(line.length).toBeLessThanOrEqual(120);
      expect(`${subject} ${line}`).not.toMatch(/[{}$<>]/);
    }
  });

  it("builds an email from the kind's words and the link alone", () => {
    const link = LINKS.checkerRequest('5f0c6d1e-0000-4000-8000-000000000001');
    const email = composeEmail('output_to_check', link, 'https://tre.example.org');
    expect(email.subject).toBe('An output request is waiting to be checked');
    expect(email.text).toContain(
      'https://tre.example.org/app/checker/requests/5f0c6d1e-0000-4000-8000-000000000001',
    );
    expect(email.text).toContain('https://tre.example.org/app/account');
    // The whole text: the line, the link, the way to turn emails off. Nothing else can get in.
    expect(email.text.split('\n').filter(Boolean)).toEqual([
      WORDING.output_to_check.line,
      'Open it in the Trusted Research Environment (you may be asked to sign in):',
      `https://tre.example.org${link}`,
      'You can turn these emails off in your account settings:',
      'https://tre.example.org/app/account',
    ]);
  });

  it('waits longer after each refused email, at most an hour', () => {
    expect(mailRetryDelayMs(1, 60)).toBe(60_000);
    expect(mailRetryDelayMs(3, 60)).toBe(240_000);
    expect(mailRetryDelayMs(30, 60)).toBe(3_600_000);
  });
});
