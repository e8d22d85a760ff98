import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Role } from '@tre/auth';
import type { TestApp } from './test-app';

/** A caller of the API with a token for one made-up person. */
export interface Caller {
  readonly subject: string;
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  patch(path: string, body: object): request.Test;
  put(path: string, body: string | object, contentType?: string): request.Test;
  delete(path: string): request.Test;
}

export function caller(app: INestApplication, subject: string, token: string): Caller {
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
  return {
    subject,
    get: (path) => auth(request(app.getHttpServer()).get(path)),
    post: (path, body = {}) => auth(request(app.getHttpServer()).post(path)).send(body),
    patch: (path, body) => auth(request(app.getHttpServer()).patch(path)).send(body),
    delete: (path) => auth(request(app.getHttpServer()).delete(path)),
    put: (path, body, contentType) => {
      const req = auth(request(app.getHttpServer()).put(path));
      return (contentType ? req.set('Content-Type', contentType) : req).send(body);
    },
  };
}

/** A caller holding a fresh development token for `subject` with these roles. */
export async function callerAs(t: TestApp, subject: string, roles: Role[]): Promise<Caller> {
  return caller(t.app, subject, await t.env.token(subject, roles));
}

const field = (
  name: string,
  type: string,
  classification: string,
  releaseForm: string,
  generaliseLevel?: string,
) => ({
  name,
  type,
  classification,
  releaseForm,
  ...(generaliseLevel ? { generaliseLevel } : {}),
});

/** Two linked sources a custodian registers: GP registrations and hospital episodes. */
export const GP_DATASET = {
  code: 'GP_REGISTRATIONS',
  title: 'GP registrations',
  description: 'Patients registered with general practices',
  source: { table: 'gp_registrations', personIdColumn: 'nhs_number' },
  fields: [
    field('nhs_number', 'string', 'direct_identifier', 'pseudonymise'),
    field('full_name', 'string', 'direct_identifier', 'drop'),
    field('date_of_birth', 'date', 'quasi_identifier', 'generalise', 'year_month'),
    field('postcode', 'string', 'quasi_identifier', 'generalise', 'district'),
    field('sex', 'code', 'quasi_identifier', 'keep'),
    field('practice_code', 'code', 'attribute', 'keep'),
  ],
};

export const HES_DATASET = {
  code: 'HES_APC',
  title: 'Hospital episodes (admitted care)',
  description: 'Admissions to NHS hospitals',
  source: { table: 'hes_apc', personIdColumn: 'nhs_number' },
  fields: [
    field('nhs_number', 'string', 'direct_identifier', 'pseudonymise'),
    field('admission_date', 'date', 'attribute', 'generalise', 'month'),
    field('diagnosis', 'code', 'sensitive', 'keep'),
  ],
};

export const inDays = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export function application(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Asthma admissions and air quality',
    laySummary:
      'We will look at whether children in areas with dirtier air are admitted to hospital with asthma more often.',
    scientificPurpose:
      'Estimate the association between district-level NO2 exposure and asthma admissions in children.',
    publicBenefit: 'Evidence for clean-air policy near schools and for targeting asthma support.',
    organisation: 'University of Exampleshire',
    requestedEndDate: inDays(365),
    accreditationExpiresOn: inDays(400),
    members: [{ subject: 'bob', accreditationExpiresOn: inDays(300) }],
    datasets: [
      {
        datasetCode: 'GP_REGISTRATIONS',
        fields: ['nhs_number', 'date_of_birth', 'postcode', 'sex'],
        legalBasis: 's251',
      },
      { datasetCode: 'HES_APC', fields: ['nhs_number', 'admission_date', 'diagnosis'], legalBasis: 's251' },
    ],
    ...overrides,
  };
}
