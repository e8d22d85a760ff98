import { ApiError } from '../../api/api-error';

export type PeriodField = 'from' | 'to';

/**
 * The API's refusal of a period, put on the field it is about. Field messages come from its validation
 * (`{ from: [...] }`); a rule across both fields ("from (…) must not be after to (…)") comes as one message,
 * which belongs on the field it names first.
 */
export function periodErrors(error: unknown): Partial<Record<PeriodField, string>> {
  if (!(error instanceof ApiError) || error.status !== 400) return {};
  const errors: Partial<Record<PeriodField, string>> = {};
  for (const field of ['from', 'to'] as const) {
    const messages = error.fields[field];
    if (messages?.length) errors[field] = messages.join('. ');
  }
  if (Object.keys(errors).length > 0) return errors;
  const named = /^(from|to)\b/.exec(error.message)?.[1] as PeriodField | undefined;
  return { [named ?? 'from']: error.message };
}
