export * from './cluster-driver';
export * from './cluster-error';
export * from './kubernetes-driver';
export * from './manifests-driver';
