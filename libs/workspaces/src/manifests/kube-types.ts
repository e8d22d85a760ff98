/**
 * The subset of the Kubernetes object model the workspace manifests use, as plain JSON shapes.
 *
 * Why not the typed classes of @kubernetes/client-node: these objects are sent as they are (server-side apply
 * or create), so they must carry the real API field names. The client's typed models rename some fields
 * (LimitRange's `default` is `_default` there) and its serialiser drops keys it does not know; a plain object
 * written with the wire names avoids both traps. Field names below are the API's, exactly.
 */

export type Labels = Record<string, string>;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels: Labels;
  annotations?: Record<string, string>;
}

/** What every manifest has: enough for the provisioner to route it to the right REST path. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export interface LabelSelector {
  matchLabels?: Labels;
}

export interface Namespace extends KubeObject {
  apiVersion: 'v1';
  kind: 'Namespace';
}

export interface NetworkPolicyPort {
  protocol: 'TCP' | 'UDP';
  port: number;
}

export interface NetworkPolicyPeer {
  ipBlock?: { cidr: string; except?: string[] };
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
}

export interface NetworkPolicyIngressRule {
  from: NetworkPolicyPeer[];
  ports: NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  to: NetworkPolicyPeer[];
  ports: NetworkPolicyPort[];
}

export interface NetworkPolicy extends KubeObject {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'NetworkPolicy';
  spec: {
    podSelector: LabelSelector;
    policyTypes: ('Ingress' | 'Egress')[];
    ingress?: NetworkPolicyIngressRule[];
    egress?: NetworkPolicyEgressRule[];
  };
}

/** Quantities keyed by resource name (`cpu`, `memory`, `requests.storage`, `pods`, ...). */
export type ResourceList = Record<string, string>;

export interface ResourceQuota extends KubeObject {
  apiVersion: 'v1';
  kind: 'ResourceQuota';
  spec: { hard: ResourceList };
}

export interface LimitRangeItem {
  type: 'Container' | 'Pod' | 'PersistentVolumeClaim';
  /** The wire name. In @kubernetes/client-node's typed model this field is `_default`. */
  default?: ResourceList;
  defaultRequest?: ResourceList;
  max?: ResourceList;
  min?: ResourceList;
}

export interface LimitRange extends KubeObject {
  apiVersion: 'v1';
  kind: 'LimitRange';
  spec: { limits: LimitRangeItem[] };
}

export interface ServiceAccount extends KubeObject {
  apiVersion: 'v1';
  kind: 'ServiceAccount';
  automountServiceAccountToken: boolean;
}

export interface Secret extends KubeObject {
  apiVersion: 'v1';
  kind: 'Secret';
  type: 'Opaque';
  immutable?: boolean;
  stringData: Record<string, string>;
}

export interface PersistentVolumeClaim extends KubeObject {
  apiVersion: 'v1';
  kind: 'PersistentVolumeClaim';
  spec: {
    accessModes: ('ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany')[];
    storageClassName?: string;
    resources: { requests: { storage: string } };
  };
}

export interface SeccompProfile {
  type: 'RuntimeDefault' | 'Localhost' | 'Unconfined';
  localhostProfile?: string;
}

export interface SeLinuxOptions {
  type?: string;
  user?: string;
  role?: string;
  level?: string;
}

export interface PodSecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  fsGroupChangePolicy?: 'OnRootMismatch' | 'Always';
  seccompProfile?: SeccompProfile;
  seLinuxOptions?: SeLinuxOptions;
  appArmorProfile?: { type: string; localhostProfile?: string };
  sysctls?: { name: string; value: string }[];
  windowsOptions?: { hostProcess?: boolean };
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: SeccompProfile;
  seLinuxOptions?: SeLinuxOptions;
  appArmorProfile?: { type: string; localhostProfile?: string };
  procMount?: 'Default' | 'Unmasked';
  windowsOptions?: { hostProcess?: boolean };
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string; optional?: boolean } };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: 'TCP' | 'UDP';
  hostPort?: number;
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  ports?: ContainerPort[];
  volumeMounts?: VolumeMount[];
  resources?: { requests?: ResourceList; limits?: ResourceList };
  securityContext?: SecurityContext;
  readinessProbe?: { tcpSocket: { port: number }; periodSeconds?: number };
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
}

/**
 * A volume. Only the sources the workspace uses are typed; the index signature lets the restricted-profile
 * checker read volumes of any other type (hostPath, nfs, ...) from specs it is asked to judge.
 */
export interface Volume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  [source: string]: unknown;
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostAliases?: { ip: string; hostnames: string[] }[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  securityContext?: PodSecurityContext;
  initContainers?: Container[];
  containers: Container[];
  ephemeralContainers?: Container[];
  volumes?: Volume[];
}

export interface PodTemplateSpec {
  metadata: { labels: Labels; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface Deployment extends KubeObject {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  spec: {
    replicas: number;
    revisionHistoryLimit?: number;
    selector: { matchLabels: Labels };
    strategy: { type: 'Recreate' | 'RollingUpdate' };
    template: PodTemplateSpec;
  };
}

export interface Service extends KubeObject {
  apiVersion: 'v1';
  kind: 'Service';
  spec: {
    type: 'ClusterIP';
    selector: Labels;
    ports: { name: string; protocol: 'TCP'; port: number; targetPort: number }[];
  };
}

export interface Job extends KubeObject {
  apiVersion: 'batch/v1';
  kind: 'Job';
  spec: {
    backoffLimit: number;
    activeDeadlineSeconds: number;
    ttlSecondsAfterFinished: number;
    template: PodTemplateSpec;
  };
}

export type WorkspaceObject =
  | Namespace
  | NetworkPolicy
  | ResourceQuota
  | LimitRange
  | ServiceAccount
  | Secret
  | PersistentVolumeClaim
  | Deployment
  | Service
  | Job;
