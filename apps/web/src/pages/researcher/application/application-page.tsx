import '../researcher.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { BackLink, Button, WarningCallout } from 'nhsuk-react-components';
import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, unwrap } from '../../../api/api-error';
import { api } from '../../../api/client';
import { QueryState } from '../../../components/query-state';
import { fieldError, RefusalSummary } from '../../../components/refusal';
import { usePageTitle } from '../../../hooks/use-page-title';
import { useSubmit } from '../../../hooks/use-submit';
import { myProjectsKey } from '../dashboard-page';
import { projectKey } from '../project-page';
import { RequireSignIn } from '../require-researcher';
import {
  applicationFromProject,
  emptyApplication,
  inputIdOf,
  STEPS,
  stepOfField,
  type ApplicationForm,
} from './application-model';
import { CheckStep } from './check-step';
import { DataStep } from './data-step';
import { AboutStep, PeopleStep, WorkspaceStep } from './details-steps';
import { RefusedAfterSave, saveAndSubmit, saveDraft, type SavedDraft } from './save-application';

/** Carried across the one navigation a first save makes (/apply → /projects/:id/edit), so nothing is retyped. */
interface CarriedState {
  readonly form: ApplicationForm;
  readonly step: number;
  readonly saved: SavedDraft;
}

/** A new application (/researcher/apply) or a draft or returned one (/researcher/projects/:id/edit). */
export function ApplicationPage() {
  return (
    <RequireSignIn>
      <ApplicationLoader />
    </RequireSignIn>
  );
}

function ApplicationLoader() {
  const { id } = useParams();
  const carried = useLocation().state as CarriedState | null;
  const project = useQuery({
    queryKey: projectKey(id ?? 'new'),
    enabled: id !== undefined,
    queryFn: () => unwrap(api.GET('/projects/{id}', { params: { path: { id: id! } } })),
  });
  usePageTitle(id ? 'Change your application' : 'Apply for a project');
  if (!id) return <ApplicationWizard key="new" projectId={null} initial={emptyApplication()} />;
  return (
    <QueryState query={project} what="Loading your application">
      {(p) =>
        p.status === 'draft' || p.status === 'returned' ? (
          <ApplicationWizard
            key={p.id}
            projectId={p.id}
            returned={p.status === 'returned'}
            initial={carried?.form ?? applicationFromProject(p)}
            initialStep={carried?.step}
            initialSaved={carried?.saved}
          />
        ) : (
          <>
            <h1>Change your application</h1>
            <p>
              This application is {p.status.replace('_', ' ')}: it can no longer be changed.{' '}
              <Link to={`/researcher/projects/${p.id}`}>See the project</Link>
            </p>
          </>
        )
      }
    </QueryState>
  );
}

function ApplicationWizard({
  projectId,
  initial,
  returned = false,
  initialStep = 0,
  initialSaved,
}: {
  projectId: string | null;
  initial: ApplicationForm;
  returned?: boolean;
  initialStep?: number;
  initialSaved?: SavedDraft;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(initial);
  const [step, setStep] = useState(initialStep);
  const [saved, setSaved] = useState<SavedDraft | null>(initialSaved ?? null);
  const [id, setId] = useState(projectId);

  const firstRefusedStep = (error: ApiError): number | undefined => {
    const first = Object.keys(error.fields)[0];
    return first === undefined ? undefined : stepOfField(first);
  };
  const jumpToFirstField = (error: ApiError) => {
    const refused = firstRefusedStep(error);
    if (refused !== undefined) setStep(refused);
  };
  /** After a save: where to go next, and, for a new application, to its own address (carrying the form). */
  const afterSave = async (result: SavedDraft, next: number | null) => {
    const nextStep = (result.warnings && firstRefusedStep(result.warnings)) ?? next ?? step;
    setSaved(result);
    setStep(nextStep);
    await queryClient.invalidateQueries({ queryKey: myProjectsKey });
    if (!id) {
      setId(result.id);
      await navigate(`/researcher/projects/${result.id}/edit`, {
        replace: true,
        state: { form, step: nextStep, saved: result } satisfies CarriedState,
      });
    }
  };
  const save = useSubmit({
    send: async (next: number | null) => {
      const result = await saveDraft(id, form).catch((error: unknown) => {
        if (error instanceof ApiError) jumpToFirstField(error);
        throw error;
      });
      await afterSave(result, next);
      return result;
    },
  });
  const submit = useSubmit({
    send: async () => {
      try {
        return await saveAndSubmit(id, form);
      } catch (error) {
        if (error instanceof RefusedAfterSave && !id) setId(error.savedId);
        if (error instanceof ApiError) jumpToFirstField(error);
        throw error;
      }
    },
    invalidates: [myProjectsKey],
    onSuccess: (result) => void navigate(`/researcher/projects/${result.id}`),
  });

  // The last refusal is shown in place; a save that kept some answers shows the rest as warnings.
  const refusal = submit.refusal ?? save.refusal;
  const warnings = refusal ? null : (saved?.warnings ?? null);
  const problem = refusal ?? warnings;
  const errorFor = (field: string) => fieldError(problem, field);
  const fieldIds = Object.fromEntries(
    Object.keys(problem instanceof ApiError ? problem.fields : {}).map((f) => [f, inputIdOf(f)]),
  );
  const stepProps = {
    form,
    change: (update: (f: ApplicationForm) => ApplicationForm) => setForm(update),
    errorFor,
  };
  const pending = save.pending || submit.pending;

  return (
    <>
      <BackLink asElement={Link} to={id ? `/researcher/projects/${id}` : '/researcher'}>
        {id ? 'Back to the project' : 'Back to your research'}
      </BackLink>
      <h1>
        {id
          ? returned
            ? 'Change and resubmit your application'
            : 'Change your application'
          : 'Apply for a project'}
      </h1>
      {refusal && <RefusalSummary error={refusal} fieldIds={fieldIds} />}
      {warnings && (
        <WarningCallout>
          <WarningCallout.Heading>Your draft is saved, except these answers</WarningCallout.Heading>
          <ul>
            {Object.entries(warnings.fields).flatMap(([field, messages]) =>
              messages.map((message) => (
                <li key={`${field}:${message}`}>
                  <a href={`#${inputIdOf(field)}`}>{message}</a>
                </li>
              )),
            )}
          </ul>
          <p>They are still here in the form: change them and save again.</p>
        </WarningCallout>
      )}
      {saved && !problem && (
        <p role="status">Draft saved. You can come back to it from your research page.</p>
      )}
      <nav aria-label="Application steps">
        <ol className="app-wizard-steps">
          {STEPS.map((s, index) => (
            <li key={s.key}>
              <button
                type="button"
                className="app-link-button"
                aria-current={index === step ? 'step' : undefined}
                onClick={() => setStep(index)}
              >
                {index + 1}. {s.title}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (step === STEPS.length - 1) submit.submit(undefined);
          else save.submit(step + 1);
        }}
      >
        {step === 0 && <DataStep {...stepProps} />}
        {step === 1 && <AboutStep {...stepProps} />}
        {step === 2 && <PeopleStep {...stepProps} />}
        {step === 3 && <WorkspaceStep {...stepProps} />}
        {step === 4 && <CheckStep form={form} goTo={setStep} />}
        <div className="nhsuk-button-group">
          <Button type="submit" disabled={pending}>
            {step === STEPS.length - 1
              ? returned
                ? 'Resubmit the application'
                : 'Submit the application'
              : 'Save and continue'}
          </Button>
          <Button type="button" secondary disabled={pending} onClick={() => save.submit(null)}>
            Save as draft
          </Button>
        </div>
      </form>
    </>
  );
}
