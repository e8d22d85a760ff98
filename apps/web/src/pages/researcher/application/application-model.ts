import type { Schemas } from '../../../api/client';

export type LegalBasis = Schemas['DatasetRequestDto']['legalBasis'];
export type ApplicationBody = Schemas['CreateProjectDto'];

/** What the researcher types, kept whole in the page's state: a refusal never touches it. */
export interface ApplicationForm {
  title: string;
  organisation: string;
  scientificPurpose: string;
  laySummary: string;
  publicBenefit: string;
  requestedEndDate: string;
  accreditationExpiresOn: string;
  members: { subject: string; accreditationExpiresOn: string }[];
  datasets: { datasetCode: string; fields: string[]; legalBasis: LegalBasis | '' }[];
  /** Empty: the service's default (a new application) or what the draft already holds (an edit). */
  workspace: { size: string; tool: string };
}

export const LEGAL_BASIS_WORDS: Record<LegalBasis, string> = {
  consent: 'Consent of each patient',
  s251: 'Section 251 support (Confidentiality Advisory Group)',
  s251_cag_exempt: 'Section 251, exempt from CAG review',
  public_health_reg3: 'Regulation 3 of the COPI Regulations (public health)',
  legal_requirement: 'A legal requirement',
  anonymised: 'Anonymised data only',
};

export const emptyApplication = (): ApplicationForm => ({
  title: '',
  organisation: '',
  scientificPurpose: '',
  laySummary: '',
  publicBenefit: '',
  requestedEndDate: '',
  accreditationExpiresOn: '',
  members: [],
  datasets: [],
  workspace: { size: '', tool: '' },
});

/** A draft or returned application as the API holds it, back into the form. */
export function applicationFromProject(project: Schemas['ProjectDto']): ApplicationForm {
  const lead = project.members.find((m) => m.role === 'lead');
  return {
    title: project.title,
    organisation: project.organisation,
    scientificPurpose: project.scientificPurpose,
    laySummary: project.laySummary,
    publicBenefit: project.publicBenefit,
    requestedEndDate: project.requestedEndDate.slice(0, 10),
    accreditationExpiresOn: lead?.accreditationExpiresOn.slice(0, 10) ?? '',
    members: project.members
      .filter((m) => m.role === 'member')
      .map((m) => ({ subject: m.subject, accreditationExpiresOn: m.accreditationExpiresOn.slice(0, 10) })),
    datasets: project.datasets.map((d) => ({
      datasetCode: d.datasetCode,
      fields: [...d.fields],
      legalBasis: d.legalBasis as LegalBasis,
    })),
    workspace: { size: '', tool: '' },
  };
}

/**
 * The body the API takes. An unchosen legal basis goes as '' so the API names it (the page adds no rule of its
 * own); an empty workspace choice is left out (the default, or what the draft holds).
 */
export function applicationBody(form: ApplicationForm): ApplicationBody {
  const workspace = {
    ...(form.workspace.size ? { size: form.workspace.size } : {}),
    ...(form.workspace.tool ? { tool: form.workspace.tool } : {}),
  };
  return {
    title: form.title,
    organisation: form.organisation,
    scientificPurpose: form.scientificPurpose,
    laySummary: form.laySummary,
    publicBenefit: form.publicBenefit,
    requestedEndDate: form.requestedEndDate,
    accreditationExpiresOn: form.accreditationExpiresOn,
    members: form.members.map((m) => ({ ...m })),
    datasets: form.datasets.map((d) => ({
      ...d,
      fields: [...d.fields],
      legalBasis: d.legalBasis as LegalBasis,
    })),
    ...(Object.keys(workspace).length ? { workspace } : {}),
  };
}

/** A patch without the sections the API refused: what can be kept is kept, the rest waits with its warning. */
export function withoutRefused(
  body: ApplicationBody,
  refusedFields: readonly string[],
): Partial<ApplicationBody> | null {
  const refused = new Set(refusedFields.map((field) => field.split('.')[0]));
  const kept = Object.fromEntries(Object.entries(body).filter(([key]) => !refused.has(key)));
  return Object.keys(kept).length > 0 && refused.size > 0 ? kept : null;
}

export const STEPS = [
  { key: 'data', title: 'Data' },
  { key: 'about', title: 'About the project' },
  { key: 'people', title: 'People and dates' },
  { key: 'workspace', title: 'Workspace' },
  { key: 'check', title: 'Check and submit' },
] as const;

const FIELD_STEP: Record<string, number> = {
  datasets: 0,
  title: 1,
  organisation: 1,
  scientificPurpose: 1,
  laySummary: 1,
  publicBenefit: 1,
  requestedEndDate: 2,
  accreditationExpiresOn: 2,
  members: 2,
  workspace: 3,
};

/** The wizard step holding an API field ("datasets.0.legalBasis" is on the data step). */
export const stepOfField = (field: string): number => FIELD_STEP[field.split('.')[0]] ?? STEPS.length - 1;

/** The input id of an API field, so a refusal's summary links to the field itself. */
export const inputIdOf = (field: string): string => `app-${field.replace(/\./g, '-')}`;
