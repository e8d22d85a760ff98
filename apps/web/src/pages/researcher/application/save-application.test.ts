import { afterEach, describe, expect, it, vi } from 'vitest';

// openapi-fetch takes the global fetch when the client is made: stand it in before the client's module loads.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<(request: Request) => Promise<Response>>();
  globalThis.fetch = mock as unknown as typeof fetch;
  return mock;
});

import { ApiError } from '../../../api/api-error';
import { emptyApplication } from './application-model';
import { RefusedAfterSave, saveAndSubmit, saveDraft } from './save-application';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const tooShort = () =>
  json(400, {
    statusCode: 400,
    code: 'validation_failed',
    message: 'Invalid request: laySummary',
    details: { fields: { laySummary: ['laySummary must be longer than or equal to 20 characters'] } },
  });
const sent = async (call: number) => {
  const request = fetchMock.mock.calls[call][0];
  return {
    method: request.method,
    url: request.url,
    body: (await request.clone().json()) as Record<string, unknown>,
  };
};

afterEach(() => fetchMock.mockReset());

describe('saving an application', () => {
  const form = { ...emptyApplication(), title: 'Asthma and air', laySummary: 'Too short.' };

  it('saves the rest of an existing draft when the API refuses some answers, and returns them as warnings', async () => {
    fetchMock.mockResolvedValueOnce(tooShort()).mockResolvedValueOnce(new Response(null, { status: 204 }));
    const saved = await saveDraft('p1', form);
    expect(saved.id).toBe('p1');
    expect(saved.warnings).toBeInstanceOf(ApiError);
    expect(saved.warnings!.fields.laySummary).toEqual([
      'laySummary must be longer than or equal to 20 characters',
    ]);
    const second = await sent(1);
    expect(second.method).toBe('PATCH');
    expect(second.body.title).toBe('Asthma and air');
    expect('laySummary' in second.body).toBe(false);
  });

  it('refuses a new application whole: nothing is kept by halves, the refusal comes back', async () => {
    fetchMock.mockResolvedValueOnce(tooShort());
    await expect(saveDraft(null, form)).rejects.toMatchObject({ status: 400 });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect((await sent(0)).method).toBe('POST');
  });

  it('does not submit a draft saved with warnings, and a refused submission still names the saved draft', async () => {
    fetchMock.mockResolvedValueOnce(tooShort()).mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(saveAndSubmit('p1', form)).rejects.toBeInstanceOf(RefusedAfterSave);
    expect(fetchMock).toHaveBeenCalledTimes(2);

    fetchMock.mockReset();
    fetchMock.mockResolvedValueOnce(json(201, { id: 'p2' })).mockResolvedValueOnce(
      json(409, {
        statusCode: 409,
        code: 'illegal_transition',
        message: 'Cannot submit a project that is in_review',
      }),
    );
    const refused = await saveAndSubmit(null, form).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RefusedAfterSave);
    expect((refused as RefusedAfterSave).savedId).toBe('p2');
    expect((refused as RefusedAfterSave).message).toBe('Cannot submit a project that is in_review');
  });
});
