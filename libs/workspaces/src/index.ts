export * from './manifests';
export * from './cluster';
