import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { loadAllYaml } from '@kubernetes/client-node';

export const K8S_DIR = join(__dirname, '..', '..', 'k8s');

export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; resourceVersion?: string };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

/** What `kubectl apply -k` would send: the kustomization rendered by kubectl's own kustomize. */
export function render(kustomization: string): RenderedObject[] {
  const yaml = execFileSync('kubectl', ['kustomize', join(K8S_DIR, kustomization)], { encoding: 'utf8' });
  return (loadAllYaml(yaml) as RenderedObject[]).filter((object) => object !== null);
}

export const find = (objects: RenderedObject[], kind: string, name: string): RenderedObject => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered manifests`);
  return found;
};
