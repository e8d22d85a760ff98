import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('works on this machine with no settings at all', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/tre');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.authMode).toBe('dev');
  });

  it('names the setting and the problem when a value is malformed', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(
      /PORT must be a port number between 1 and 65535, got "eighty"/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x/y' })).toThrow(
      /DATABASE_URL must use postgres: or postgresql:/,
    );
  });

  it('takes WORKER_PORT 0 as a port the system picks, and no other port setting so', () => {
    expect(loadConfig({ WORKER_PORT: '0' }).workerPort).toBe(0);
    expect(() => loadConfig({ WORKER_PORT: '-1' })).toThrow(/WORKER_PORT must be a port number/);
    expect(() => loadConfig({ PORT: '0' })).toThrow(/PORT must be a port number between 1 and 65535/);
  });

  it('reads retention periods as whole days from 0 to 36500, refusing anything else at start-up', () => {
    expect(loadConfig({})).toMatchObject({
      extractRetentionDays: 0,
      outputRetentionDays: 30,
      releaseRetentionDays: 3650,
      retentionSweepMinutes: 60,
    });
    expect(loadConfig({ OUTPUT_RETENTION_DAYS: '0', RELEASE_RETENTION_DAYS: '36500' })).toMatchObject({
      outputRetentionDays: 0,
      releaseRetentionDays: 36500,
    });
    for (const bad of ['-1', '1.5', 'ten', '36501', ' '])
      expect(() => loadConfig({ EXTRACT_RETENTION_DAYS: bad })).toThrow(
        /EXTRACT_RETENTION_DAYS must be a whole number of days from 0 to 36500/,
      );
    expect(() => loadConfig({ RETENTION_SWEEP_MINUTES: '0' })).toThrow(/RETENTION_SWEEP_MINUTES/);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ PORT: '0', WORKER_CONCURRENCY: '-1', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.split(' ')[0])).toEqual([
        'PORT',
        'WORKER_CONCURRENCY',
        'LOG_LEVEL',
      ]);
    }
  });

  it('requires the provider settings in OIDC mode', () => {
    expect(() => loadConfig({ AUTH_MODE: 'oidc' })).toThrow(/OIDC_ISSUER is required when AUTH_MODE=oidc/);
    const config = loadConfig({
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: 'https://id.example.org',
      OIDC_AUDIENCE: 'tre',
      OIDC_JWKS_URL: 'https://id.example.org/jwks',
    });
    expect(config.oidcAlgorithms).toEqual(['RS256', 'ES256']);
  });

  it('refuses development tokens in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'dev' })).toThrow(
      /AUTH_MODE=dev is refused when NODE_ENV=production/,
    );
    // production defaults to OIDC, so a production start without provider settings fails loudly too
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/OIDC_ISSUER is required/);
  });

  it('writes workspace manifests to a directory unless a cluster is configured, and refuses contradictions', () => {
    const none = loadConfig({ XDG_DATA_HOME: '/srv/data' });
    expect(none.workspaceDriver).toBe('manifests');
    expect(none.workspaceManifestsDir).toBe('/srv/data/tre/manifests/tre.tre');
    // One folder per deployment: another database or queue prefix on the same machine writes elsewhere.
    expect(
      loadConfig({
        XDG_DATA_HOME: '/srv/data',
        DATABASE_URL: 'postgres://u@db:5432/tre_demo',
        QUEUE_PREFIX: 'demo/1',
      }).workspaceManifestsDir,
    ).toBe('/srv/data/tre/manifests/tre_demo.demo_1');
    expect(
      loadConfig({ XDG_DATA_HOME: '/srv/data', DATABASE_URL: 'postgres://u@db/.hidden' })
        .workspaceManifestsDir,
    ).toBe('/srv/data/tre/manifests/_hidden.tre');
    expect(loadConfig({ KUBECONFIG_PATH: '/etc/tre/kubeconfig' }).workspaceDriver).toBe('kubernetes');
    expect(
      loadConfig({ WORKSPACE_DRIVER: 'kubernetes', KUBERNETES_SERVICE_HOST: '10.0.0.1' }).kubeconfigPath,
    ).toBe('');
    expect(() => loadConfig({ WORKSPACE_DRIVER: 'kubernetes' })).toThrow(
      /needs KUBECONFIG_PATH outside a cluster/,
    );
    expect(() => loadConfig({ WORKSPACE_DRIVER: 'manifests', KUBECONFIG_PATH: '/k' })).toThrow(
      /KUBECONFIG_PATH is set but WORKSPACE_DRIVER=manifests/,
    );
    expect(() => loadConfig({ KUBECONFIG_PATH: 'kube/config' })).toThrow(
      /KUBECONFIG_PATH must be an absolute path/,
    );
    expect(() => loadConfig({ WORKSPACE_DRIVER: 'docker' })).toThrow(
      /WORKSPACE_DRIVER must be one of manifests, kubernetes/,
    );
  });
});
