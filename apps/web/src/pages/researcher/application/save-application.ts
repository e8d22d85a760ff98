import { ApiError, unwrap } from '../../../api/api-error';
import { api } from '../../../api/client';
import { applicationBody, withoutRefused, type ApplicationForm } from './application-model';

export interface SavedDraft {
  readonly id: string;
  /** The answers the service refused (kept in the form, not in the draft); null when all were kept. */
  readonly warnings: ApiError | null;
}

/**
 * Saves the application as a draft: a new one is created whole (the service keeps no application it cannot
 * check), an existing draft is patched. When the service refuses some answers of an existing draft, the others
 * are saved anyway and the refusal comes back as warnings: nothing typed is lost, and what could be kept is.
 */
export async function saveDraft(projectId: string | null, form: ApplicationForm): Promise<SavedDraft> {
  const body = applicationBody(form);
  if (!projectId) {
    const created = await unwrap(api.POST('/projects', { body }));
    return { id: created.id, warnings: null };
  }
  const patch = (changes: Partial<typeof body>) =>
    unwrap(api.PATCH('/projects/{id}', { params: { path: { id: projectId } }, body: changes }));
  try {
    await patch(body);
    return { id: projectId, warnings: null };
  } catch (error) {
    const rest =
      error instanceof ApiError && error.status === 400
        ? withoutRefused(body, Object.keys(error.fields))
        : null;
    if (!rest) throw error;
    await patch(rest);
    return { id: projectId, warnings: error as ApiError };
  }
}

/** Saves, then submits (a returned application goes in as its next version). Warnings stop the submission. */
export async function saveAndSubmit(projectId: string | null, form: ApplicationForm): Promise<SavedDraft> {
  const saved = await saveDraft(projectId, form);
  if (saved.warnings) throw new RefusedAfterSave(saved.id, saved.warnings);
  try {
    await unwrap(api.POST('/projects/{id}/submit', { params: { path: { id: saved.id } } }));
  } catch (error) {
    throw new RefusedAfterSave(saved.id, error instanceof ApiError ? error : ApiError.unreachable());
  }
  return saved;
}

/** A submission refused after its draft was saved: the page learns the draft's id, so it never makes two. */
export class RefusedAfterSave extends ApiError {
  constructor(
    readonly savedId: string,
    refusal: ApiError,
  ) {
    super(refusal.status, refusal.code, refusal.message, refusal.fields, refusal.requestId);
  }
}
