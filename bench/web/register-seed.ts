import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

const TOPICS = [
  'Asthma',
  'Diabetes',
  'Stroke',
  'Heart failure',
  'Sepsis',
  'Dementia',
  'Hip fracture',
  'Cancer',
];
const ORGANISATIONS = ['University of Exampleshire', 'Northtown NHS Trust', 'Public Health Southshire'];
const STATUSES = ['approved', 'approved', 'approved', 'suspended', 'expired', 'closed', 'revoked'] as const;
const DATASETS = ['GP_REGISTRATIONS', 'HES_APC'];

export interface SeededProject {
  readonly id: string;
  readonly title: string;
  readonly organisation: string;
  readonly status: (typeof STATUSES)[number];
  readonly datasets: string[];
}

/**
 * Projects on the public register (and one draft that must never appear there), written straight to the
 * database in one statement each for projects and approvals: the browser tests and the web benchmark need a
 * register of some size, not the review flow that fills it (tested elsewhere).
 */
export async function seedRegister(dataSource: DataSource, count: number): Promise<SeededProject[]> {
  // The datasets the approvals name, in the catalogue (the register shows their titles), held by a custodian.
  const [custodian] = await dataSource.query<{ id: string }[]>(
    `INSERT INTO users (issuer, subject, display_name, roles, last_seen_at)
     VALUES ('seed', 'seed-custodian-' || gen_random_uuid(), 'Seed custodian', '{data_custodian}', now()) RETURNING id`,
  );
  await dataSource.query(
    `INSERT INTO datasets (code, title, custodian_id, source_table, person_id_column)
     VALUES ('GP_REGISTRATIONS', 'GP registrations', $1, 'gp_registrations', 'nhs_number'),
            ('HES_APC', 'Hospital episodes (admitted care)', $1, 'hes_apc', 'nhs_number')
     ON CONFLICT DO NOTHING`,
    [custodian.id],
  );
  const projects: SeededProject[] = Array.from({ length: count }, (_, n) => ({
    id: randomUUID(),
    title: `${TOPICS[n % TOPICS.length]} outcomes study ${n + 1}`,
    organisation: ORGANISATIONS[n % ORGANISATIONS.length],
    status: STATUSES[n % STATUSES.length],
    datasets: n % 2 === 0 ? [DATASETS[0]] : [...DATASETS],
  }));
  const approvedAt = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString();
  await dataSource.query(
    `INSERT INTO projects (id, title, lay_summary, scientific_purpose, public_benefit, organisation, lead_id, status,
                           requested_end_date, end_date, approved_at)
     SELECT p.id::uuid, p.title, 'We will study ' || lower(p.title) || ' to improve care.', 'purpose', 'benefit',
            p.organisation, gen_random_uuid(), p.status, '2099-01-01', '2099-01-01', p.approved_at::timestamptz
       FROM jsonb_to_recordset($1::jsonb) AS p(id text, title text, organisation text, status text, approved_at text)`,
    [JSON.stringify(projects.map((project, n) => ({ ...project, approved_at: approvedAt(n) })))],
  );
  await dataSource.query(
    `INSERT INTO project_approvals (id, project_id, approval_version, application_version, datasets, conditions,
                                    end_date, approver_ids, approved_at, workspace)
     SELECT gen_random_uuid(), a.project_id::uuid, 1, 1, a.datasets, '{}', '2099-01-01', '{}', now(),
            '{"size":"small","tool":"jupyterlab"}'
       FROM jsonb_to_recordset($1::jsonb) AS a(project_id text, datasets jsonb)`,
    [
      JSON.stringify(
        projects.map((project) => ({
          project_id: project.id,
          datasets: project.datasets.map((code) => ({ code, fields: ['nhs_number'], legalBasis: 's251' })),
        })),
      ),
    ],
  );
  await dataSource.query(
    `INSERT INTO projects (id, title, lay_summary, scientific_purpose, public_benefit, organisation, lead_id, status,
                           requested_end_date)
     VALUES (gen_random_uuid(), 'Unpublished draft application', 'lay', 'purpose', 'benefit', 'Secret Org',
             gen_random_uuid(), 'draft', '2099-01-01')`,
  );
  return projects;
}
