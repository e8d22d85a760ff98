import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { withQueryClient } from '../../test-support';

// The typed client keeps the fetch it was made with: stand one in before the page (and the client) load.
const calls = vi.hoisted(() => {
  const sent: { url: string; body: unknown }[] = [];
  globalThis.fetch = (async (input: Request) => {
    sent.push({ url: input.url, body: await input.json() });
    return new Response(
      JSON.stringify({
        statusCode: 400,
        code: 'validation_failed',
        message: 'Validation failed',
        details: { fields: { expiresOn: ['expiresOn must be a date written YYYY-MM-DD that exists'] } },
      }),
      { status: 400, headers: { 'content-type': 'application/json' } },
    );
  }) as typeof fetch;
  return sent;
});

const { ExpiryForm } = await import('./admin-people-page');

const PERSON = {
  subject: 'demo-alice',
  name: 'Alice',
  roles: ['researcher'],
  lastSeenAt: '',
  accreditation: null,
  emailAddressKnown: true,
  messagesNotEmailed: 0,
};

describe('ExpiryForm', () => {
  it('sends the three boxes as one date and shows the refusal at the date input and in the summary', async () => {
    render(withQueryClient(<ExpiryForm person={PERSON} kind="set" />));
    fireEvent.change(screen.getByLabelText('Day'), { target: { value: '30' } });
    fireEvent.change(screen.getByLabelText('Month'), { target: { value: '2' } });
    fireEvent.change(screen.getByLabelText('Year'), { target: { value: '2027' } });
    fireEvent.change(screen.getByLabelText('Accrediting body and reference'), { target: { value: 'AR-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set the accreditation of Alice' }));

    const link = await screen.findByRole('link', {
      name: 'expiresOn must be a date written YYYY-MM-DD that exists',
    });
    expect(link.getAttribute('href')).toBe('#set-expiry-day');
    // The same words on the date input itself, inside its group.
    await waitFor(() =>
      expect(screen.getByRole('group', { name: /Expiry date/ }).textContent).toContain(
        'expiresOn must be a date written YYYY-MM-DD that exists',
      ),
    );
    expect(calls).toHaveLength(1);
    expect(new URL(calls[0].url).pathname).toBe('/people/demo-alice/accreditation');
    expect(calls[0].body).toEqual({ expiresOn: '2027-02-30', reference: 'AR-1' });
    // Nothing typed is lost.
    expect(screen.getByLabelText<HTMLInputElement>('Day').value).toBe('30');
  });
});
