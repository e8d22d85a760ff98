export * from './test-database';
export * from './test-env';
export * from './fake-kube';
export * from './run-ts';
export * from './test-redis';
export * from './tcp-proxy';
export * from './private-redis';
