import { settings, SettingParseError, type AppConfig, type SettingSpec } from './settings';

/** Thrown when configuration is missing or malformed; the message names every bad setting and why. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function defaultOf(spec: SettingSpec<unknown>, env: NodeJS.ProcessEnv): string | undefined {
  return typeof spec.default === 'function' ? spec.default(env) : spec.default;
}

/** Cross-setting rules that no single parser can see. */
function crossCheck(config: AppConfig, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (config.authMode === 'oidc') {
    for (const key of ['oidcIssuer', 'oidcAudience', 'oidcJwksUrl'] as const) {
      if (!config[key]) problems.push(`${settings[key].name} is required when AUTH_MODE=oidc`);
    }
  }
  if (config.nodeEnv === 'production' && config.authMode === 'dev') {
    problems.push(
      'AUTH_MODE=dev is refused when NODE_ENV=production: locally signed tokens are for development',
    );
  }
  // A kubeconfig with the manifests driver would leave workspaces unprovisioned while the operator believes
  // a cluster is attached: refuse the contradiction rather than guess.
  if (config.workspaceDriver === 'manifests' && config.kubeconfigPath) {
    problems.push(
      'KUBECONFIG_PATH is set but WORKSPACE_DRIVER=manifests: set WORKSPACE_DRIVER=kubernetes, or unset KUBECONFIG_PATH',
    );
  }
  if (config.workspaceDriver === 'kubernetes' && !config.kubeconfigPath && !env.KUBERNETES_SERVICE_HOST) {
    problems.push(
      'WORKSPACE_DRIVER=kubernetes needs KUBECONFIG_PATH outside a cluster (KUBERNETES_SERVICE_HOST is unset, so in-cluster configuration is unavailable)',
    );
  }
  return problems;
}

/** Reads and validates every setting at once, so one start-up reports all problems together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(settings) as [string, SettingSpec<unknown>][]) {
    const raw = env[spec.name] ?? defaultOf(spec, env);
    if (raw === undefined) {
      problems.push(`${spec.name} is required: ${spec.description}`);
      continue;
    }
    try {
      config[key] = spec.parse(raw);
    } catch (error: unknown) {
      if (!(error instanceof SettingParseError)) throw error;
      problems.push(`${spec.name} ${error.message}`);
    }
  }
  if (problems.length === 0) problems.push(...crossCheck(config as AppConfig, env));
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config) as AppConfig;
}
