import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * Every setting the service reads, in one table: name, default, how it is parsed and what it is for.
 * The README's configuration table is generated from this list (`tre config --markdown`), so it cannot drift.
 */
export interface SettingSpec<T> {
  readonly name: string;
  readonly description: string;
  /** Undefined means required. A function computes the default from settings read earlier. */
  readonly default?: string | ((raw: NodeJS.ProcessEnv) => string | undefined);
  readonly parse: (value: string) => T;
  /** Shown instead of the default in docs when the default depends on the machine. */
  readonly defaultLabel?: string;
}

export class SettingParseError extends Error {}

const fail = (reason: string): never => {
  throw new SettingParseError(reason);
};

export const parsers = {
  string: (value: string): string => (value.trim() === '' ? fail('must not be empty') : value.trim()),
  optionalString: (value: string): string => value.trim(),
  /** Absolute, so the meaning does not change with the directory a process starts in. */
  absolutePath: (value: string): string =>
    isAbsolute(value.trim()) ? value.trim() : fail(`must be an absolute path, got "${value}"`),
  port: (value: string): number => {
    const port = Number(value);
    return Number.isInteger(port) && port > 0 && port < 65536
      ? port
      : fail(`must be a port number between 1 and 65535, got "${value}"`);
  },
  /** A port, or 0 for one the system picks when the server starts (its log line says which). */
  portOrAny: (value: string): number => (value.trim() === '0' ? 0 : parsers.port(value)),
  boolean: (value: string): boolean =>
    ['true', '1', 'yes'].includes(value.trim().toLowerCase())
      ? true
      : ['false', '0', 'no', ''].includes(value.trim().toLowerCase())
        ? false
        : fail(`must be true or false, got "${value}"`),
  /** Whole days a retention period lasts: 0 (at once) to 100 years, so a typo cannot mean "never". */
  retentionDays: (value: string): number => {
    const n = Number(value.trim());
    return value.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 36_500
      ? n
      : fail(`must be a whole number of days from 0 to 36500, got "${value}"`);
  },
  positiveInt: (value: string): number => {
    const n = Number(value);
    return Number.isInteger(n) && n > 0 ? n : fail(`must be a positive whole number, got "${value}"`);
  },
  nonNegativeInt: (value: string): number => {
    const n = Number(value);
    return Number.isInteger(n) && n >= 0 ? n : fail(`must be a whole number, 0 or more, got "${value}"`);
  },
  url:
    (protocols: string[]) =>
    (value: string): string => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return fail(`must be a URL, got "${value}"`);
      }
      return protocols.includes(url.protocol)
        ? value
        : fail(`must use ${protocols.join(' or ')}, got "${url.protocol}"`);
    },
  oneOf:
    <T extends string>(choices: readonly T[]) =>
    (value: string): T =>
      (choices as readonly string[]).includes(value)
        ? (value as T)
        : fail(`must be one of ${choices.join(', ')}, got "${value}"`),
  list:
    <T extends string>(choices: readonly T[]) =>
    (value: string): T[] => {
      const items = value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      if (items.length === 0) return fail(`must list at least one of ${choices.join(', ')}`);
      const unknown = items.filter((item) => !(choices as readonly string[]).includes(item));
      return unknown.length > 0
        ? fail(`has unknown value(s) ${unknown.join(', ')}; allowed: ${choices.join(', ')}`)
        : (items as T[]);
    },
};

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const AUTH_MODES = ['dev', 'oidc'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const JWT_ALGORITHMS = ['RS256', 'ES256'] as const;
export const WORKSPACE_DRIVERS = ['manifests', 'kubernetes'] as const;

/** Schemas that hold the service's own tables or the system catalogue: never a source. */
const FORBIDDEN_SOURCE_SCHEMAS = /^(public|optouts|information_schema|pg_.*)$/;

function parseSqlName(what: string, value: string): string {
  const name = value.trim();
  return /^[a-z_][a-z0-9_]{0,62}$/.test(name)
    ? name
    : fail(`must be ${what}: a lower-case SQL identifier, got ${JSON.stringify(name)}`);
}

function parseSourceSchemas(value: string): string[] {
  const names = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (names.length === 0) return fail('must name at least one schema');
  const schemas = names.map((name) => parseSqlName('a schema name', name));
  const forbidden = schemas.filter((name) => FORBIDDEN_SOURCE_SCHEMAS.test(name));
  return forbidden.length
    ? fail(`must not name ${forbidden.join(', ')}: the service's own tables or the system catalogue`)
    : [...new Set(schemas)];
}

const configHome = (env: NodeJS.ProcessEnv): string => env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
const dataHome = (env: NodeJS.ProcessEnv): string => env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');

/**
 * A folder name for one deployment: its database name and queue prefix, the two things that already keep
 * deployments sharing a Postgres and a Redis apart. Characters a path could misread become `_`.
 */
export function deploymentFolder(env: NodeJS.ProcessEnv): string {
  let database = 'tre';
  try {
    database =
      decodeURIComponent(new URL(env.DATABASE_URL?.trim() || 'postgres://x/tre').pathname.slice(1)) || 'tre';
  } catch {
    // An unparseable URL is refused by its own setting; the folder name then does not matter.
  }
  const prefix = env.QUEUE_PREFIX?.trim() || 'tre';
  return `${database}.${prefix}`.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
}

export const settings = {
  nodeEnv: {
    name: 'NODE_ENV',
    description: 'development, test or production; production refuses development auth',
    default: 'development',
    parse: parsers.oneOf(NODE_ENVS),
  },
  port: { name: 'PORT', description: 'HTTP port of the API', default: '3000', parse: parsers.port },
  workerPort: {
    name: 'WORKER_PORT',
    description:
      'Port of the worker health and metrics endpoint (/health, /ready, /metrics); 0 for one the system picks (said in the log)',
    default: '3001',
    parse: parsers.portOrAny,
  },
  databaseUrl: {
    name: 'DATABASE_URL',
    description: 'PostgreSQL connection URL; `tre migrate` creates the database if it is missing',
    default: 'postgres://postgres@127.0.0.1:5432/tre',
    parse: parsers.url(['postgres:', 'postgresql:']),
  },
  redisUrl: {
    name: 'REDIS_URL',
    description: 'Redis connection URL for the job queues',
    default: 'redis://127.0.0.1:6379',
    parse: parsers.url(['redis:', 'rediss:']),
  },
  databaseConnectTimeoutMs: {
    name: 'DATABASE_CONNECT_TIMEOUT_MS',
    description:
      'Longest wait for a database connection (a new one, or a free one from the pool); past it the API answers 503',
    default: '2000',
    parse: parsers.positiveInt,
  },
  databaseStatementTimeoutMs: {
    name: 'DATABASE_STATEMENT_TIMEOUT_MS',
    description:
      'Longest one SQL statement of the API or worker may run (Postgres cancels it); a database that does not answer at all is given up 1 s later. The API answers 503',
    default: '3000',
    parse: parsers.positiveInt,
  },
  redisCommandTimeoutMs: {
    name: 'REDIS_COMMAND_TIMEOUT_MS',
    description:
      'Longest the API waits for Redis (rate limit counts, enqueueing jobs, readiness); past it the rate limit is counted in the process and what needs a queue answers 503',
    default: '1000',
    parse: parsers.positiveInt,
  },
  queuePrefix: {
    name: 'QUEUE_PREFIX',
    description: 'Key prefix of all queues in Redis (lets several deployments or test runs share one Redis)',
    default: 'tre',
    parse: parsers.string,
  },
  workerConcurrency: {
    name: 'WORKER_CONCURRENCY',
    description: 'Jobs one worker process runs at once, per queue',
    default: '4',
    parse: parsers.positiveInt,
  },
  authMode: {
    name: 'AUTH_MODE',
    description:
      '`oidc` verifies tokens of an identity provider; `dev` signs tokens locally (never in production)',
    default: (env) => (env.NODE_ENV === 'production' ? 'oidc' : 'dev'),
    defaultLabel: '`dev`, or `oidc` when NODE_ENV=production',
    parse: parsers.oneOf(AUTH_MODES),
  },
  oidcIssuer: {
    name: 'OIDC_ISSUER',
    description: 'Expected `iss` of tokens (required when AUTH_MODE=oidc)',
    default: '',
    parse: parsers.optionalString,
  },
  oidcAudience: {
    name: 'OIDC_AUDIENCE',
    description: 'Expected `aud` of tokens (required when AUTH_MODE=oidc)',
    default: '',
    parse: parsers.optionalString,
  },
  oidcJwksUrl: {
    name: 'OIDC_JWKS_URL',
    description: 'JWKS endpoint with the provider signing keys (required when AUTH_MODE=oidc)',
    default: '',
    parse: (value: string) => (value.trim() === '' ? '' : parsers.url(['https:', 'http:'])(value)),
  },
  oidcAlgorithms: {
    name: 'OIDC_ALGORITHMS',
    description: 'Accepted token signature algorithms',
    default: 'RS256,ES256',
    parse: parsers.list(JWT_ALGORITHMS),
  },
  oidcRolesClaim: {
    name: 'OIDC_ROLES_CLAIM',
    description: 'Claim holding the role list (dotted path, e.g. `realm_access.roles`)',
    default: 'roles',
    parse: parsers.string,
  },
  webOidcClientId: {
    name: 'WEB_OIDC_CLIENT_ID',
    description:
      "The web app's client id at the identity provider (a public client: authorization code with PKCE, no secret); its tokens' `aud` must be OIDC_AUDIENCE",
    default: 'tre-web',
    parse: parsers.string,
  },
  webOidcScope: {
    name: 'WEB_OIDC_SCOPE',
    description: 'Scopes the web app asks the identity provider for',
    default: 'openid profile',
    parse: parsers.string,
  },
  webAppDir: {
    name: 'WEB_APP_DIR',
    description: 'Folder of the built web app the API serves under /app (what `npm run build` writes)',
    default: '',
    defaultLabel: '`dist/web` of this checkout',
    parse: parsers.optionalString,
  },
  apiMetricsPort: {
    name: 'API_METRICS_PORT',
    description:
      "Port of the API's Prometheus /metrics, a listener apart from PORT so that only the cluster (not the Ingress or Service) reaches it",
    default: '3003',
    parse: parsers.port,
  },
  apiBodyLimitBytes: {
    name: 'API_BODY_LIMIT_BYTES',
    description:
      'Largest JSON or form body the API reads, in bytes, after decompression (larger: 413); output files and opt-out lists have their own limits',
    default: '1048576',
    parse: parsers.positiveInt,
  },
  authMaxTokenAgeSeconds: {
    name: 'AUTH_MAX_TOKEN_AGE_SECONDS',
    description:
      'Oldest bearer token accepted, counted from its `iat`, whatever its `exp` says; tokens must carry both',
    default: '43200',
    parse: parsers.positiveInt,
  },
  devKeyFile: {
    name: 'DEV_KEY_FILE',
    description: 'Development signing key, generated on first use; kept outside the repository',
    default: (env) => join(configHome(env), 'tre', 'dev-signing-key.json'),
    defaultLabel: '`$XDG_CONFIG_HOME/tre/dev-signing-key.json` (`~/.config/...`)',
    parse: parsers.string,
  },
  logLevel: {
    name: 'LOG_LEVEL',
    description: 'Minimum level of the JSON logs',
    default: (env) => (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    defaultLabel: '`info` (`silent` under NODE_ENV=test)',
    parse: parsers.oneOf(LOG_LEVELS),
  },
  rateLimitPerMinute: {
    name: 'RATE_LIMIT_PER_MINUTE',
    description: 'Requests one client address may make per minute to the API',
    default: '600',
    parse: parsers.positiveInt,
  },
  gatewayRateLimitPerMinute: {
    name: 'GATEWAY_RATE_LIMIT_PER_MINUTE',
    description:
      "Requests one access gateway replica may make per minute to the API's /gateway routes (a decision per session starting, a re-check and activity report a second), counted apart from people's budget: a gateway carries many people's sessions from one address",
    default: '60000',
    parse: parsers.positiveInt,
  },
  apiDrainSeconds: {
    name: 'API_DRAIN_SECONDS',
    description:
      'On SIGTERM the API first answers /ready with 503 and closes each keep-alive connection after its next answer for this long (so a load balancer sends new requests elsewhere), then stops taking connections and ends once the requests under way are answered',
    default: '5',
    parse: parsers.nonNegativeInt,
  },
  apiReadCacheSeconds: {
    name: 'API_READ_CACHE_SECONDS',
    description:
      "Longest an answer of a cached GET route is served again to the same caller (it is dropped sooner once a table it read changes, see the README's read cache); 0 turns the cache off",
    default: '5',
    parse: parsers.nonNegativeInt,
  },
  auditVerifyEveryMinutes: {
    name: 'AUDIT_VERIFY_EVERY_MINUTES',
    description: 'How often the worker re-verifies the whole audit chain',
    default: '60',
    parse: parsers.positiveInt,
  },
  dacApprovalsRequired: {
    name: 'DAC_APPROVALS_REQUIRED',
    description: 'Approving votes (with no reject) that approve an application',
    default: '2',
    parse: parsers.positiveInt,
  },
  dacQuorum: {
    name: 'DAC_QUORUM',
    description:
      'Votes needed before a reject rejects an application (any request for changes returns it at once)',
    default: '2',
    parse: parsers.positiveInt,
  },
  projectExpirySweepMinutes: {
    name: 'PROJECT_EXPIRY_SWEEP_MINUTES',
    description: 'How often the worker expires approved projects whose end date has passed',
    default: '15',
    parse: parsers.positiveInt,
  },
  workspaceDriver: {
    name: 'WORKSPACE_DRIVER',
    description:
      '`kubernetes` provisions workspaces in a cluster; `manifests` only writes their manifests to WORKSPACE_MANIFESTS_DIR (no cluster attached)',
    default: (env) => (env.KUBECONFIG_PATH?.trim() ? 'kubernetes' : 'manifests'),
    defaultLabel: '`manifests`, or `kubernetes` when KUBECONFIG_PATH is set',
    parse: parsers.oneOf(WORKSPACE_DRIVERS),
  },
  kubeconfigPath: {
    name: 'KUBECONFIG_PATH',
    description:
      'Kubeconfig file of the cluster workspaces go to; empty means in-cluster (the pod service account) when WORKSPACE_DRIVER=kubernetes',
    default: '',
    parse: (value: string) => (value.trim() === '' ? '' : parsers.absolutePath(value)),
  },
  workspaceManifestsDir: {
    name: 'WORKSPACE_MANIFESTS_DIR',
    description:
      "Where WORKSPACE_DRIVER=manifests writes the manifests of each workspace, one folder a namespace (for GitOps tools). The default is one folder per deployment (its database name and queue prefix), so deployments sharing a machine never see each other's namespaces as their own orphans",
    default: (env) => join(dataHome(env), 'tre', 'manifests', deploymentFolder(env)),
    defaultLabel: '`$XDG_DATA_HOME/tre/manifests/<database>.<queue prefix>` (`~/.local/share/...`)',
    parse: parsers.absolutePath,
  },
  workspaceLocalOutputsDir: {
    name: 'WORKSPACE_LOCAL_OUTPUTS_DIR',
    description:
      "With WORKSPACE_DRIVER=manifests (no cluster attached), the folder whose `<workspace id>` subfolders stand in for each workspace's outputs volume: listing and adding outputs run the collector as a local process over them",
    default: (env) => join(dataHome(env), 'tre', 'outputs', deploymentFolder(env)),
    defaultLabel: '`$XDG_DATA_HOME/tre/outputs/<database>.<queue prefix>` (`~/.local/share/...`)',
    parse: parsers.absolutePath,
  },
  workspaceSettingsFile: {
    name: 'WORKSPACE_SETTINGS_FILE',
    description:
      'JSON file of workspace settings (sizes, tool image allow-list, gateway, API egress, loader); its top-level keys replace the built-in development defaults, and the result is checked at start-up. Empty = the defaults',
    default: '',
    parse: (value: string) => (value.trim() === '' ? '' : parsers.absolutePath(value)),
  },
  workspaceProvisionConcurrency: {
    name: 'WORKSPACE_PROVISION_CONCURRENCY',
    description: 'Workspace jobs (provision, suspend, resume, teardown) one worker runs at once',
    default: '10',
    parse: parsers.positiveInt,
  },
  workspaceTeardownGraceMinutes: {
    name: 'WORKSPACE_TEARDOWN_GRACE_MINUTES',
    description:
      'How long after a project is revoked, expires or closes its workspace is torn down (0 = at once)',
    default: '60',
    parse: (value: string) => (value.trim() === '0' ? 0 : parsers.positiveInt(value)),
  },
  workspaceReconcileMinutes: {
    name: 'WORKSPACE_RECONCILE_MINUTES',
    description:
      'How often the worker compares live workspaces with their desired state, repairs drift and reports unowned namespaces',
    default: '10',
    parse: parsers.positiveInt,
  },
  convergenceSweepSeconds: {
    name: 'CONVERGENCE_SWEEP_SECONDS',
    description:
      'How often the worker compares Postgres with the queues and restarts work Redis lost (approvals without their extract or workspace, extracts and workspace operations left running with no job, notifications never delivered or emailed)',
    default: '60',
    parse: parsers.positiveInt,
  },
  scheduleCheckSeconds: {
    name: 'SCHEDULE_CHECK_SECONDS',
    description:
      'How often the worker checks that its repeating jobs are still registered in Redis, registering again those Redis lost (and sweeping at once)',
    default: '10',
    parse: parsers.positiveInt,
  },
  workspaceLoadTokenTtlSeconds: {
    name: 'WORKSPACE_LOAD_TOKEN_TTL_SECONDS',
    description:
      "Lifetime of the one-time token the loader Job uses to fetch the extract; at least the loader Job's deadline (it dies sooner, when the load ends)",
    default: '2100',
    parse: parsers.positiveInt,
  },
  workspaceStepTimeoutSeconds: {
    name: 'WORKSPACE_STEP_TIMEOUT_SECONDS',
    description:
      'Longest a provisioning step waits in one attempt (quota status, the extract, the loader Job, namespace deletion) before the attempt is retried',
    default: '300',
    parse: parsers.positiveInt,
  },
  workspaceRetryDelaySeconds: {
    name: 'WORKSPACE_RETRY_DELAY_SECONDS',
    description:
      'First delay before a workspace job is retried after a transient cluster error; doubles each attempt, at most 5 minutes',
    default: '5',
    parse: parsers.positiveInt,
  },
  workspaceJobLockSeconds: {
    name: 'WORKSPACE_JOB_LOCK_SECONDS',
    description:
      'Lock of a running workspace job: a worker that dies mid-operation leaves the job to another worker after this long (one only slow to renew it stops at its next step once the job is taken over)',
    default: '30',
    parse: parsers.positiveInt,
  },
  workspaceClearPvcFinalizers: {
    name: 'WORKSPACE_CLEAR_PVC_FINALIZERS',
    description:
      'Teardown clears the finalizers of the workspace volume claims; only for clusters without controllers to do it (a bare API server in tests)',
    default: 'false',
    parse: parsers.boolean,
  },
  pseudonymisationKeyFile: {
    name: 'PSEUDONYMISATION_KEY_FILE',
    description:
      'File holding the pseudonymisation master key (32+ random bytes, base64). Generated on first use outside production; required in production',
    default: (env) => join(configHome(env), 'tre', 'pseudonymisation-master.key'),
    defaultLabel: '`$XDG_CONFIG_HOME/tre/pseudonymisation-master.key`',
    parse: parsers.string,
  },
  transparencyKeyFile: {
    name: 'TRANSPARENCY_KEY_FILE',
    description:
      'File holding the Ed25519 key (PKCS#8 PEM) the worker signs transparency log heads with. Generated on first use outside production; required in production',
    default: (env) => join(configHome(env), 'tre', 'transparency-signing.pem'),
    defaultLabel: '`$XDG_CONFIG_HOME/tre/transparency-signing.pem`',
    parse: parsers.string,
  },
  transparencyCheckpointMinutes: {
    name: 'TRANSPARENCY_CHECKPOINT_MINUTES',
    description:
      'How often the worker signs a transparency log head over the audit trail (it also signs after every approval and release)',
    default: '60',
    parse: parsers.positiveInt,
  },
  pseudonymisationKeyVersion: {
    name: 'PSEUDONYMISATION_KEY_VERSION',
    description:
      'Version of the project keys derived from the master key; raise it to rotate every project key',
    default: '1',
    parse: parsers.positiveInt,
  },
  extractStoreDir: {
    name: 'EXTRACT_STORE_DIR',
    description:
      'Where finished extracts (files and manifest) are stored; only complete, gated extracts appear here',
    default: (env) => join(dataHome(env), 'tre', 'extracts'),
    defaultLabel: '`$XDG_DATA_HOME/tre/extracts` (`~/.local/share/...`)',
    parse: parsers.string,
  },
  extractBuildDir: {
    name: 'EXTRACT_BUILD_DIR',
    description:
      'Where extracts are built before the gate passes (never inside EXTRACT_STORE_DIR); must be on the same filesystem as the store, so delivery is one atomic rename. Builds of dead workers are removed at start-up and by a sweep',
    default: (env) => `${env.EXTRACT_STORE_DIR?.trim() || join(dataHome(env), 'tre', 'extracts')}-building`,
    defaultLabel: 'EXTRACT_STORE_DIR followed by `-building` (a sibling folder)',
    parse: parsers.absolutePath,
  },
  extractSweepMinutes: {
    name: 'EXTRACT_SWEEP_MINUTES',
    description: 'How often the worker removes what dead extract builds left in EXTRACT_BUILD_DIR',
    default: '10',
    parse: parsers.positiveInt,
  },
  sourceSchemas: {
    name: 'SOURCE_SCHEMAS',
    description:
      'Comma-separated Postgres schemas that hold identifiable sources; a dataset may be registered only over a table in one of them (never `public`, `optouts`, `pg_*` or `information_schema`)',
    default: 'source',
    parse: parseSourceSchemas,
  },
  sourceDatabaseUrl: {
    name: 'SOURCE_DATABASE_URL',
    description:
      'Connection the extract reads sources through; in production a login that may read only the source schemas. Empty = DATABASE_URL (then SOURCE_READ_ROLE confines it)',
    default: '',
    parse: (value: string) =>
      value.trim() === '' ? '' : parsers.url(['postgres:', 'postgresql:'])(value.trim()),
  },
  sourceReadRole: {
    name: 'SOURCE_READ_ROLE',
    description:
      'Role the extract switches to (SET ROLE) before reading sources: granted USAGE and SELECT on SOURCE_SCHEMAS only (`tre migrate` creates it, the worker grants). Empty = read as the SOURCE_DATABASE_URL login itself',
    default: 'tre_source_reader',
    parse: (value: string) => (value.trim() === '' ? '' : parseSqlName('a role name', value)),
  },
  extractMinK: {
    name: 'EXTRACT_MIN_K',
    description: 'k-anonymity every extract must reach over its quasi-identifiers, or the gate fails it',
    default: '5',
    parse: parsers.positiveInt,
  },
  outputStoreDir: {
    name: 'OUTPUT_STORE_DIR',
    description:
      'Where output files and release manifests are stored, each under its SHA-256 (written once, never overwritten)',
    default: (env) => join(dataHome(env), 'tre', 'outputs'),
    defaultLabel: '`$XDG_DATA_HOME/tre/outputs` (`~/.local/share/...`)',
    parse: parsers.string,
  },
  outputMaxFileBytes: {
    name: 'OUTPUT_MAX_FILE_BYTES',
    description:
      'Largest output file accepted, in bytes (the collector refuses a larger file, and the intake cuts a larger body off)',
    default: '10485760',
    parse: parsers.positiveInt,
  },
  outputCollectDeadlineSeconds: {
    name: 'OUTPUT_COLLECT_DEADLINE_SECONDS',
    description:
      'Longest a collector Job may run (its activeDeadlineSeconds); its one-time grant lives that long plus a minute, and a Job still running then has failed',
    default: '300',
    parse: parsers.positiveInt,
  },
  outputMaxFiles: {
    name: 'OUTPUT_MAX_FILES',
    description: 'Most files one output request may hold',
    default: '20',
    parse: parsers.positiveInt,
  },
  outputReviewsRequired: {
    name: 'OUTPUT_REVIEWS_REQUIRED',
    description:
      'Independent output checkers who must review a request before it is decided (they vote blind until then)',
    default: '2',
    parse: parsers.positiveInt,
  },
  outputRulesFile: {
    name: 'OUTPUT_RULES_FILE',
    description:
      "The TRE's disclosure-control rule set for the airlock (JSON, `libs/sdc/schema/rule-set.v1.schema.json`), validated at start-up with every problem named; empty: the engine's defaults (`tre-default`)",
    default: '',
    parse: parsers.optionalString,
  },
  outputLinkTtlSeconds: {
    name: 'OUTPUT_LINK_TTL_SECONDS',
    description: 'How long a download link to a released output stays valid (each link works once)',
    default: '300',
    parse: parsers.positiveInt,
  },
  extractRetentionDays: {
    name: 'EXTRACT_RETENTION_DAYS',
    description:
      "Days a project's extracts are kept after it is revoked, expires or closes (0 = at teardown); never before its workspace is torn down",
    default: '0',
    parse: parsers.retentionDays,
  },
  outputRetentionDays: {
    name: 'OUTPUT_RETENTION_DAYS',
    description:
      "Days a project's unreleased output files (never released, or refused) are kept after it is revoked, expires or closes",
    default: '30',
    parse: parsers.retentionDays,
  },
  releaseRetentionDays: {
    name: 'RELEASE_RETENTION_DAYS',
    description:
      "Days a project's released bundles (files and manifest) are kept after it is revoked, expires or closes; the release ledger and register entry stay",
    default: '3650',
    parse: parsers.retentionDays,
  },
  retentionSweepMinutes: {
    name: 'RETENTION_SWEEP_MINUTES',
    description:
      'How often the worker deletes what the retention periods say is due (each deletion audited; a legal hold pauses a project)',
    default: '60',
    parse: parsers.positiveInt,
  },
  smtpUrl: {
    name: 'SMTP_URL',
    description:
      'SMTP server notification emails go through, as `smtp://user:password@host:587` (STARTTLS when offered) or `smtps://host:465`; empty switches email off (the in-app inbox still gets everything, and the worker says so at start)',
    default: '',
    parse: (value: string) => (value.trim() === '' ? '' : parsers.url(['smtp:', 'smtps:'])(value.trim())),
  },
  mailFrom: {
    name: 'MAIL_FROM',
    description: 'Sender of notification emails',
    default: 'Trusted Research Environment <no-reply@localhost>',
    parse: parsers.string,
  },
  appPublicUrl: {
    name: 'APP_PUBLIC_URL',
    description:
      'Address people open the web app at, without `/app`: the links in notification emails start with it',
    default: (env) => `http://localhost:${env.PORT?.trim() || '3000'}`,
    defaultLabel: '`http://localhost:<PORT>`',
    parse: (value: string) => parsers.url(['http:', 'https:'])(value.trim()).replace(/\/+$/, ''),
  },
  mailRetryDelaySeconds: {
    name: 'MAIL_RETRY_DELAY_SECONDS',
    description:
      'First wait before an email the SMTP server refused or did not take is tried again; it doubles each time, at most an hour, 12 tries in all',
    default: '60',
    parse: parsers.positiveInt,
  },
  lapseWarningDays: {
    name: 'LAPSE_WARNING_DAYS',
    description:
      "How many days before a project's end date or a member's accreditation expiry the people concerned are told (once per end date)",
    default: '14',
    parse: parsers.positiveInt,
  },
  lapseWarningSweepMinutes: {
    name: 'LAPSE_WARNING_SWEEP_MINUTES',
    description: 'How often the worker looks for projects and accreditations about to lapse',
    default: '1440',
    parse: parsers.positiveInt,
  },
  gatewayPort: {
    name: 'GATEWAY_PORT',
    description: 'Port of the access gateway (researchers reach their workspace tool through it)',
    default: '3002',
    parse: parsers.port,
  },
  gatewayPublicUrl: {
    name: 'GATEWAY_PUBLIC_URL',
    description:
      'Address researchers open the gateway at; the API hands it out with each ticket. The session cookie is Secure unless its host is localhost or 127.0.0.1',
    default: 'http://localhost:3002',
    parse: parsers.url(['http:', 'https:']),
  },
  gatewayApiUrl: {
    name: 'GATEWAY_API_URL',
    description: 'Where the gateway reaches the API, whose decision it enforces',
    default: 'http://127.0.0.1:3000',
    parse: parsers.url(['http:', 'https:']),
  },
  gatewayApiSecret: {
    name: 'GATEWAY_API_SECRET',
    description:
      "Shared secret (32+ characters) the gateway presents on the API's /gateway routes; empty refuses every gateway call and stops the gateway from starting",
    default: '',
    parse: (value: string) =>
      value.trim() === '' || value.trim().length >= 32
        ? value.trim()
        : fail('must be at least 32 characters (or empty to switch the gateway off)'),
  },
  gatewayTicketTtlSeconds: {
    name: 'GATEWAY_TICKET_TTL_SECONDS',
    description: 'Lifetime of the one-time ticket that opens a workspace session (at most 60)',
    default: '60',
    parse: (value: string) =>
      parsers.positiveInt(value) <= 60 ? Number(value) : fail(`must be at most 60, got "${value}"`),
  },
  gatewayDecisionCacheSeconds: {
    name: 'GATEWAY_DECISION_CACHE_SECONDS',
    description:
      "How long the gateway reuses the API's decision on a session before asking again (at most 10; revocations are pushed sooner); sessions in use are re-checked together, in one call, from half this time on",
    default: '10',
    parse: (value: string) =>
      parsers.positiveInt(value) <= 10 ? Number(value) : fail(`must be at most 10, got "${value}"`),
  },
  gatewaySweepSeconds: {
    name: 'GATEWAY_SWEEP_SECONDS',
    description:
      'How often the gateway re-checks every open session with the API, catching a missed revocation message, a lapsed accreditation or idleness',
    default: '30',
    parse: parsers.positiveInt,
  },
  gatewayIdleMinutes: {
    name: 'GATEWAY_IDLE_MINUTES',
    description: 'A workspace session with no traffic for this long is ended (idle)',
    default: '30',
    parse: parsers.positiveInt,
  },
  gatewayLocalUpstreams: {
    name: 'GATEWAY_LOCAL_UPSTREAMS',
    description:
      'With no cluster attached: `workspace-id=http://host:port` pairs, comma separated (`*=` for every workspace), the tool each workspace is proxied to instead of its Service in the cluster',
    default: '',
    parse: parsers.optionalString,
  },
} satisfies Record<string, SettingSpec<unknown>>;

export type Settings = typeof settings;
export type AppConfig = { readonly [K in keyof Settings]: ReturnType<Settings[K]['parse']> };
