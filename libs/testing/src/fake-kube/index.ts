export * from './fake-kube';
export * from './faults';
export { RESOURCES, type ResourceType } from './resources';
export type { JobPodReport } from './job-pods';
