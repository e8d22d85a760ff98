export * from './manifests';
export * from './cluster';
export * from './loading';
