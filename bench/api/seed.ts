import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { GENESIS_HASH, hashEvent } from '@tre/audit';
import { uuidOf } from './ids';

/**
 * A year's data of a real TRE, written set-wise (generate_series, COPY) in a minute or so: projects in every
 * state with their members, versions, dataset requests, approvals and workspaces; datasets with fields; output
 * requests in every state with two files each; and an audit trail chained exactly as AuditService chains it
 * (hashes computed here, rows sent by COPY), so `GET /audit/verify` holds and new events link onto it.
 * Ids are derived from numbers (md5 of a label), so the load can name rows without reading them back.
 */
export interface SeedVolume {
  projects: number;
  datasets: number;
  outputRequests: number;
  auditEvents: number;
  researchers: number;
}

export const volumeAt = (scale: number): SeedVolume => ({
  projects: Math.max(22, Math.round(1000 * scale)),
  datasets: Math.max(5, Math.round(50 * scale)),
  outputRequests: Math.max(20, Math.round(10_000 * scale)),
  auditEvents: Math.max(1000, Math.round(1_000_000 * scale)),
  researchers: Math.max(20, Math.round(300 * scale)),
});

/** Every project status in turn (approved twice, the commonest state): project n has the (n % 12)th. */
export const PROJECT_STATUSES = [
  'approved',
  'draft',
  'submitted',
  'in_review',
  'returned',
  'approved',
  'rejected',
  'withdrawn',
  'suspended',
  'revoked',
  'expired',
  'closed',
] as const;
const OUTPUT_STATUSES = [
  'draft',
  'submitted',
  'checking',
  'blocked',
  'in_review',
  'in_review',
  'approved',
  'rejected',
  'returned',
  'withdrawn',
  'released',
];
/** Staff besides researchers: role -> how many. */
export const STAFF = { dac_member: 8, output_checker: 6, admin: 2, data_custodian: 2 } as const;

/** The same ids in SQL (`uuidSql('project', 'n')`) and in TypeScript (`uuidOf`). */
const uuidSql = (label: string, n: string) => `md5('${label}-' || ${n})::uuid`;

export const subjectOf = (role: string, n: number): string => `bench-${role}-${n}`;

export async function seed(url: string, issuer: string, volume: SeedVolume): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await seedRows(client, issuer, volume);
    await seedAudit(client, volume);
    // As a database a year old stands: vacuumed (its rows' hint bits and visibility map set, which a fresh bulk
    // load's first reads would otherwise write) and checkpointed (the load's dirty pages written, rather than a
    // checkpoint spread over the next minutes, the measured loads', as seen right after a seed).
    await client.query('VACUUM (ANALYZE)');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

async function seedRows(client: Client, issuer: string, v: SeedVolume): Promise<void> {
  const statuses = `(ARRAY[${PROJECT_STATUSES.map((s) => `'${s}'`).join(',')}])[1 + n % ${PROJECT_STATUSES.length}]`;
  const people: [string, number][] = [['researcher', v.researchers], ...Object.entries(STAFF)];
  for (const [role, count] of people) {
    await client.query(
      `INSERT INTO users (id, issuer, subject, display_name, roles, last_seen_at)
       SELECT ${uuidSql(`user-${role}`, 'n')}, $1, 'bench-${role}-' || n, 'Bench ${role} ' || n, ARRAY['${role}'], now()
       FROM generate_series(0, $2 - 1) n`,
      [issuer, count],
    );
  }
  await client.query(
    `INSERT INTO datasets (id, code, title, description, custodian_id, source_table, person_id_column, origin)
     SELECT ${uuidSql('dataset', 'n')}, 'BENCH_DS_' || n, 'Bench dataset ' || n, 'Synthetic', ${uuidSql('user-data_custodian', '0')},
            'bench_' || n, 'nhs_number', (ARRAY['gp','hospital','registry','other'])[1 + n % 4]
     FROM generate_series(0, $1 - 1) n`,
    [v.datasets],
  );
  await client.query(
    `INSERT INTO dataset_fields (dataset_id, position, name, type, classification, release_form, generalise_level)
     SELECT ${uuidSql('dataset', 'd')}, f, (ARRAY['nhs_number','date_of_birth','postcode','diagnosis','sex','admitted_on'])[f],
            (ARRAY['string','date','string','code','code','date'])[f],
            (ARRAY['direct_identifier','quasi_identifier','quasi_identifier','sensitive','attribute','attribute'])[f],
            (ARRAY['pseudonymise','generalise','generalise','keep','keep','keep'])[f],
            (ARRAY[NULL,'year','district',NULL,NULL,NULL])[f]
     FROM generate_series(0, $1 - 1) d, generate_series(1, 6) f`,
    [v.datasets],
  );
  // Updated over the last year, so the listings' order is realistic rather than one instant.
  await client.query(
    `INSERT INTO projects (id, title, lay_summary, scientific_purpose, public_benefit, organisation, lead_id, status,
                           application_version, requested_end_date, end_date, approved_at, outputs_released, created_at, updated_at)
     SELECT ${uuidSql('project', 'n')}, 'Bench project ' || n, 'What the project is for, in plain words ' || n,
            'Purpose ' || n, 'Benefit ' || n, 'Organisation ' || (n % 40),
            ${uuidSql('user-researcher', `(n % ${v.researchers})`)}, ${statuses}, 1, '2099-01-01',
            CASE WHEN ${statuses} IN ('approved','suspended','revoked','expired','closed') THEN date '2099-01-01' END,
            CASE WHEN ${statuses} IN ('approved','suspended','revoked','expired','closed') THEN now() - (n % 365) * interval '1 day' END,
            n % 5, now() - interval '1 year', now() - (n * 7919 % 525600) * interval '1 minute'
     FROM generate_series(0, $1 - 1) n`,
    [v.projects],
  );
  // The lead and two members: each researcher is on about 3 x projects / researchers projects.
  await client.query(
    `INSERT INTO project_members (project_id, subject, role, accreditation_expires_on)
     SELECT ${uuidSql('project', 'n')}, 'bench-researcher-' || ((n + k * 7) % ${v.researchers}),
            CASE WHEN k = 0 THEN 'lead' ELSE 'member' END, '2099-01-01'
     FROM generate_series(0, $1 - 1) n, generate_series(0, 2) k`,
    [v.projects],
  );
  await client.query(
    `INSERT INTO project_dataset_requests (project_id, dataset_id, dataset_code, fields, legal_basis)
     SELECT ${uuidSql('project', 'n')}, ${uuidSql('dataset', `((n + k) % ${v.datasets})`)}, 'BENCH_DS_' || ((n + k) % ${v.datasets}),
            ARRAY['nhs_number','diagnosis','sex'], 's251'
     FROM generate_series(0, $1 - 1) n, generate_series(0, 1) k`,
    [v.projects],
  );
  await client.query(
    `INSERT INTO project_versions (project_id, version, content, submitted_by, submitted_at)
     SELECT p.id, 1, jsonb_build_object('title', p.title, 'laySummary', p.lay_summary), p.lead_id, p.created_at
     FROM projects p WHERE p.status <> 'draft'`,
  );
  await client.query(
    `INSERT INTO project_approvals (id, project_id, approval_version, application_version, datasets, conditions, end_date, approver_ids, approved_at, workspace)
     SELECT ${uuidSql('approval', 'n')}, p.id, 1, 1,
            jsonb_build_array(jsonb_build_object('datasetId', ${uuidSql('dataset', `(n % ${v.datasets})`)}, 'code', 'BENCH_DS_' || (n % ${v.datasets}),
                                                 'fields', jsonb_build_array('nhs_number','diagnosis'), 'legalBasis', 's251')),
            ARRAY['Outputs through the airlock only'], '2099-01-01', ARRAY[${uuidSql('user-dac_member', '0')}, ${uuidSql('user-dac_member', '1')}],
            p.approved_at, '{"size":"small","tool":"jupyterlab"}'
     FROM generate_series(0, $1 - 1) n JOIN projects p ON p.id = ${uuidSql('project', 'n')} WHERE p.approved_at IS NOT NULL`,
    [v.projects],
  );
  await client.query(
    `INSERT INTO workspaces (id, project_id, approval_id, size, tool, namespace, state)
     SELECT ${uuidSql('workspace', 'n')}, p.id, ${uuidSql('approval', 'n')}, 'small', 'jupyterlab', 'tre-ws-bench-' || n,
            CASE p.status WHEN 'approved' THEN 'ready' WHEN 'suspended' THEN 'suspended' ELSE 'deleted' END
     FROM generate_series(0, $1 - 1) n JOIN projects p ON p.id = ${uuidSql('project', 'n')} WHERE p.approved_at IS NOT NULL`,
    [v.projects],
  );
  // Output requests belong to approved projects, written by their lead.
  await client.query(
    `WITH approved AS (SELECT id, lead_id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS total
                       FROM projects WHERE status = 'approved')
     INSERT INTO output_requests (id, project_id, author_id, title, status, round, submitted_at, created_at, updated_at)
     SELECT ${uuidSql('output', 'n')}, a.id, a.lead_id, 'Bench output ' || n,
            (ARRAY[${OUTPUT_STATUSES.map((s) => `'${s}'`).join(',')}])[1 + n % ${OUTPUT_STATUSES.length}],
            CASE WHEN n % ${OUTPUT_STATUSES.length} = 0 THEN 0 ELSE 1 END,
            CASE WHEN n % ${OUTPUT_STATUSES.length} = 0 THEN NULL ELSE now() - interval '1 day' END,
            now() - interval '1 year', now() - (n * 7919 % 525600) * interval '1 minute'
     FROM generate_series(0, $1 - 1) n JOIN approved a ON a.k = n % a.total`,
    [v.outputRequests],
  );
  await client.query(
    `INSERT INTO output_files (request_id, file_name, media_type, size_bytes, sha256)
     SELECT r.id, 'table-' || k || '.csv', 'text/csv', 2048, encode(sha256((r.id::text || k)::bytea), 'hex')
     FROM output_requests r, generate_series(1, 2) k`,
  );
}

const PROJECT_ACTIONS = [
  'project.created',
  'project.updated',
  'project.submitted',
  'project.vote_cast',
  'project.approved',
  'extract.built',
  'workspace.ready',
];
const OUTPUT_ACTIONS = ['output.created', 'output.file_added', 'output.submitted', 'output.checked'];

/** COPY text of a valid chain, 1,000 lines at a time, spread over the last year. */
function* chainLines(v: SeedVolume): Generator<string> {
  const start = Date.now() - 365 * 86_400_000;
  const step = Math.floor((365 * 86_400_000) / v.auditEvents);
  let prevHash = GENESIS_HASH;
  let lines: string[] = [];
  for (let seq = 1; seq <= v.auditEvents; seq++) {
    // Six in ten events are about a project, three about an output request, one about a user; the subject is
    // taken from seq / 10, so every project (whatever its number) has its share.
    const kind = seq % 10;
    const which = Math.floor(seq / 10);
    const [subjectType, subjectId, action] =
      kind < 6
        ? ['project', uuidOf('project', which % v.projects), PROJECT_ACTIONS[which % PROJECT_ACTIONS.length]]
        : kind < 9
          ? [
              'output_request',
              uuidOf('output', which % v.outputRequests),
              OUTPUT_ACTIONS[which % OUTPUT_ACTIONS.length],
            ]
          : ['user', uuidOf('user-researcher', which % v.researchers), 'user.signed_in'];
    const event = {
      seq,
      occurredAt: new Date(start + seq * step),
      actorId: uuidOf('user-researcher', (seq * 31) % v.researchers),
      action,
      subjectType,
      subjectId,
      details: { n: seq },
      requestId: `bench-${seq}`,
      prevHash,
    };
    const hash = hashEvent(event);
    lines.push(
      [
        seq,
        event.occurredAt.toISOString(),
        event.actorId,
        action,
        subjectType,
        subjectId,
        JSON.stringify(event.details),
        event.requestId,
        prevHash,
        hash,
      ].join('\t'),
    );
    prevHash = hash;
    if (lines.length === 1000) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length) yield `${lines.join('\n')}\n`;
}

async function seedAudit(client: Client, v: SeedVolume): Promise<void> {
  await pipeline(
    Readable.from(chainLines(v)),
    client.query(
      copyFrom(
        `COPY audit_events (seq, occurred_at, actor_id, action, subject_type, subject_id, details, request_id,
           prev_hash, hash) FROM STDIN`,
      ),
    ),
  );
}
