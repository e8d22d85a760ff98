import { describe, expect, it } from 'vitest';
import {
  accreditationActions,
  accreditationWords,
  bytesWords,
  emailWords,
  isoFromDateParts,
  notSignedInWords,
  stepSummary,
  workspaceActions,
  workspaceStateLine,
} from './admin-words';

type Accreditation = NonNullable<Parameters<typeof accreditationWords>[0]>;
const record = (over: Partial<Accreditation> = {}): Accreditation => ({
  state: 'current',
  expiresOn: '2027-06-30',
  expired: false,
  reference: 'AR-1',
  lapsedReason: null,
  updatedBy: 'u1',
  updatedAt: '2026-12-05T10:00:00Z',
  ...over,
});

describe('admin words', () => {
  it('turns the three date boxes into YYYY-MM-DD, padded, and leaves judging to the API', () => {
    expect(isoFromDateParts({ day: '3', month: '7', year: '2027' })).toBe('2027-07-03');
    expect(isoFromDateParts({ day: ' 30', month: '02', year: '2027 ' })).toBe('2027-02-30');
    expect(isoFromDateParts({ day: '', month: '', year: '' })).toBe('');
    expect(isoFromDateParts({ day: '1', month: '', year: '2027' })).toBe('2027-00-01');
  });

  it('says what the register holds and offers only the moves it allows', () => {
    expect(accreditationWords(null)).toMatch(/^Not on the register/);
    expect(accreditationActions(null)).toEqual(['set']);
    expect(accreditationWords(record())).toBe('Current until 30 June 2027');
    expect(accreditationActions(record())).toEqual(['renew', 'lapse']);
    expect(accreditationWords(record({ expired: true }))).toBe('Expired on 30 June 2027');
    const lapsed = record({ state: 'lapsed', lapsedReason: 'Left' });
    expect(accreditationWords(lapsed)).toBe('Lapsed: Left');
    expect(accreditationActions(lapsed)).toEqual(['set']);
  });

  it('offers the workspace actions its state allows', () => {
    expect(workspaceActions({ state: 'ready' })).toEqual(['suspend', 'delete']);
    expect(workspaceActions({ state: 'suspended' })).toEqual(['resume', 'delete']);
    expect(workspaceActions({ state: 'failed' })).toEqual(['delete']);
    expect(workspaceActions({ state: 'deprovisioning' })).toEqual([]);
    expect(workspaceActions({ state: 'deleted' })).toEqual([]);
  });

  it('says when a workspace follows its ended project, until it is being removed', () => {
    const words = (state: string) => state.toUpperCase();
    expect(workspaceStateLine({ state: 'ready', teardownDueAt: null }, words)).toBe('READY');
    expect(workspaceStateLine({ state: 'suspended', teardownDueAt: '2026-12-05T15:30:00Z' }, words)).toBe(
      'SUSPENDED: access ended with the project, removed at 2026-12-05 15:30 UTC',
    );
    expect(
      workspaceStateLine({ state: 'deprovisioning', teardownDueAt: '2026-12-05T15:30:00Z' }, words),
    ).toBe('DEPROVISIONING');
  });

  it('sums the steps up with retries, errors and the next try', () => {
    const step = (name: string, attempts: number, error: string | null, nextRetryAt: string | null) => ({
      name,
      state: error ? 'failed' : 'done',
      attempts,
      startedAt: null,
      finishedAt: null,
      error,
      nextRetryAt,
      note: null,
    });
    expect(
      stepSummary({
        progress: { done: 2, total: 5 },
        steps: [
          step('namespace', 1, null, null),
          step('data_volume', 3, 'quota exceeded', '2026-12-05T14:07:00Z'),
        ] as never,
      }),
    ).toBe('2 of 5 steps done; data volume: 3 attempts, error: quota exceeded, next try 14:07 UTC');
  });

  it('writes byte counts as a person reads them', () => {
    expect(bytesWords(0)).toBe('0 bytes');
    expect(bytesWords(999)).toBe('999 bytes');
    expect(bytesWords(1500)).toBe('1.5 KB');
    expect(bytesWords(25_000_000)).toBe('25 MB');
  });

  it("says whether a person's messages can be emailed, and how many waited in the inbox only", () => {
    expect(emailWords({ emailAddressKnown: true, messagesNotEmailed: 0 })).toBe('Address from sign-in');
    expect(emailWords({ emailAddressKnown: false, messagesNotEmailed: 0 })).toBe(
      'No address from the identity provider',
    );
    expect(emailWords({ emailAddressKnown: false, messagesNotEmailed: 1 })).toBe(
      'No address from the identity provider: 1 message in the inbox only',
    );
    expect(notSignedInWords({ people: 2, messages: 3 })).toMatch(
      /^2 people named on projects have not signed in yet: 3 messages wait in their inboxes, not emailed/,
    );
    expect(notSignedInWords({ people: 1, messages: 1 })).toMatch(
      /^1 person named on a project has .* 1 message waits/,
    );
  });
});
