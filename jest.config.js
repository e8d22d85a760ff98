// One jest config for unit specs (beside the code) and end-to-end specs (test/).
// SWC compiles TypeScript with decorator metadata, which Nest's dependency injection needs.
// ESM-only packages (the Kubernetes client and its dependencies, a dependency of @fastify/static) are compiled to CommonJS here, once,
// instead of being worked around in each test.
const esmPackages = [
  '@kubernetes/client-node',
  'openid-client',
  'oauth4webapi',
  'jose',
  'hpagent',
  // @fastify/static's content-disposition (3.x) is ESM-only; Node 20 loads it with require(esm), jest does not.
  '@fastify/static',
  'content-disposition',
];

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      // Rewrites @tre/<lib> imports at compile time, so code jest loads outside its module system
      // (the global setup) resolves them too.
      baseUrl: __dirname,
      paths: { '@tre/*': ['libs/*/src'] },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const shared = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: { '^@tre/([a-z-]+)(/.*)?$': '<rootDir>/libs/$1/src$2' },
  // Node, plus a temporary folder of each file's own that is removed when the file ends.
  testEnvironment: '<rootDir>/libs/testing/src/jest-environment.ts',
  // Notes each Redis client a file opens, so the environment can close (and name) one left open.
  setupFiles: ['<rootDir>/libs/testing/src/track-redis-clients.ts'],
};

// `npm run test:k8s` sets TRE_TEST_K8S=1: the tier against a real API server (local-kube), which `npm test`
// leaves out because it starts a control plane.
const k8sTier = process.env.TRE_TEST_K8S === '1';
// `npm run test:browser` sets TRE_TEST_BROWSER=1: a real Jupyter server behind the gateway, driven by headless
// Chromium (Debian's packages, which .ci/run installs); `npm test` leaves it out.
const browserTier = process.env.TRE_TEST_BROWSER === '1';

module.exports = {
  transform: shared.transform,
  transformIgnorePatterns: shared.transformIgnorePatterns,
  moduleNameMapper: shared.moduleNameMapper,
  // Once per run (not per project): the migrated template database every test file copies (the k8s tier
  // needs it too: the provisioner runs in the worker, against Postgres and Redis).
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  maxWorkers: process.env.CI ? 2 : '50%',
  testTimeout: 30000,
  projects: k8sTier
    ? [{ ...shared, displayName: 'k8s', testMatch: ['<rootDir>/test/k8s/**/*.k8s-spec.ts'] }]
    : browserTier
      ? [{ ...shared, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] }]
      : [
          { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
          { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
        ],
};
