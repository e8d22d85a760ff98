export * from './fake-kube';
export * from './faults';
export { RESOURCES, type ResourceType } from './resources';
