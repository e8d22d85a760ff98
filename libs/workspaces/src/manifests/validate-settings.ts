import { isIP, isIPv4 } from 'node:net';
import { ConfigError } from '@tre/core';
import type { Labels } from './kube-types';
import {
  DATA_MOUNT_PATH,
  MAX_NAMESPACE_PREFIX_LENGTH,
  OUTPUTS_MOUNT_PATH,
  TOOL_KIT_MOUNT_PATH,
} from './names';
import { compareQuantities, isQuantity } from './quantity';
import {
  WORKSPACE_SIZES,
  WORKSPACE_TOOLS,
  type CidrPeer,
  type PeerSelector,
  type WorkspaceSettings,
} from './workspace-settings';

/**
 * Settings that would weaken a workspace are refused here, before any manifest is built: an empty namespace
 * selector (every namespace), an egress CIDR of the whole internet, a host-named API with DNS egress closed
 * (a loader that can never connect). Every problem is reported at once, as the service's ConfigError does.
 */
export function workspaceSettingsProblems(settings: WorkspaceSettings): string[] {
  return [
    ...prefixProblems(settings.namespacePrefix),
    ...sizeProblems(settings),
    ...toolProblems(settings),
    ...selectorProblems('gateway', settings.gateway),
    ...apiEgressProblems(settings),
    ...loaderProblems(settings),
  ];
}

export function assertValidWorkspaceSettings(settings: WorkspaceSettings): void {
  const problems = workspaceSettingsProblems(settings);
  if (problems.length > 0) throw new ConfigError(problems.map((problem) => `workspaces: ${problem}`));
}

const isPositiveInteger = (value: number): boolean => Number.isInteger(value) && value > 0;
const isPort = (value: number): boolean => Number.isInteger(value) && value >= 1 && value <= 65535;
const isPositiveQuantity = (value: string): boolean => isQuantity(value) && compareQuantities(value, '0') > 0;

function prefixProblems(prefix: string): string[] {
  // A letter first, so every managed namespace starts the same recognisable way and is a valid label.
  if (!/^[a-z][-a-z0-9]*$/.test(prefix) || prefix.length > MAX_NAMESPACE_PREFIX_LENGTH) {
    return [
      `namespacePrefix "${prefix}" must start with a letter, hold only a-z, 0-9 and '-', and be at most ` +
        `${MAX_NAMESPACE_PREFIX_LENGTH} characters (the workspace id adds 36 to a 63-character name)`,
    ];
  }
  return [];
}

function sizeProblems({ sizes }: WorkspaceSettings): string[] {
  return WORKSPACE_SIZES.flatMap((size) => {
    const config = sizes[size];
    if (!config) return [`size "${size}" is not configured`];
    const problems: string[] = [];
    for (const [field, value] of [
      ['cpu', config.cpu],
      ['memory', config.memory],
      ['storage.data', config.storage.data],
      ['storage.outputs', config.storage.outputs],
    ] as const) {
      if (!isPositiveQuantity(value))
        problems.push(`sizes.${size}.${field} "${value}" is not a positive quantity`);
    }
    // The tool and the loader run side by side while an extract loads.
    if (!Number.isInteger(config.pods) || config.pods < 2) {
      problems.push(`sizes.${size}.pods must be an integer of at least 2 (the tool and the loader)`);
    }
    return problems;
  });
}

function toolProblems({ toolImages }: WorkspaceSettings): string[] {
  const entries = Object.entries(toolImages);
  if (entries.length === 0) return ['toolImages allows no tool: at least one is needed'];
  return entries.flatMap(([tool, config]) => {
    if (!(WORKSPACE_TOOLS as readonly string[]).includes(tool)) {
      return [`toolImages names "${tool}", which is not one of ${WORKSPACE_TOOLS.join(', ')}`];
    }
    if (!config) return [];
    const problems: string[] = [];
    if (!/^\S+$/.test(config.image)) problems.push(`toolImages.${tool}.image is empty or holds spaces`);
    if (!isPort(config.port)) problems.push(`toolImages.${tool}.port ${config.port} is not a TCP port`);
    for (const id of ['runAsUser', 'runAsGroup'] as const) {
      const value = config[id];
      if (value !== undefined && !isPositiveInteger(value)) {
        problems.push(`toolImages.${tool}.${id} must be a non-zero id (the restricted profile refuses root)`);
      }
    }
    const reserved = ['/', '/tmp', DATA_MOUNT_PATH, OUTPUTS_MOUNT_PATH, TOOL_KIT_MOUNT_PATH];
    for (const path of config.writablePaths ?? []) {
      if (!path.startsWith('/') || reserved.includes(path.replace(/\/+$/, '') || '/')) {
        problems.push(
          `toolImages.${tool}.writablePaths "${path}" must be absolute and not ${reserved.join(', ')}`,
        );
      }
    }
    return problems;
  });
}

function labelsProblems(field: string, labels: Labels | undefined, mustHaveOne: boolean): string[] {
  const entries = Object.entries(labels ?? {});
  if (mustHaveOne && entries.length === 0) {
    return [`${field} is empty: an empty selector matches everything`];
  }
  return entries
    .filter(([key, value]) => key.length === 0 || !/^[-A-Za-z0-9_.]{0,63}$/.test(value))
    .map(([key, value]) => `${field} has an invalid label ${key}=${value}`);
}

function selectorProblems(field: string, selector: PeerSelector): string[] {
  return [
    ...labelsProblems(`${field}.namespaceLabels`, selector.namespaceLabels, true),
    ...labelsProblems(`${field}.podLabels`, selector.podLabels, false),
  ];
}

function cidrProblems(field: string, { cidr }: CidrPeer): string[] {
  const [address = '', bits = '', ...rest] = cidr.split('/');
  const family = isIP(address);
  const prefixLength = Number(bits);
  const maxBits = family === 6 ? 128 : 32;
  if (family === 0 || rest.length > 0 || !/^\d+$/.test(bits) || prefixLength > maxBits) {
    return [`${field} "${cidr}" is not a CIDR`];
  }
  // /0 is every address: that is egress opened, not an API reached.
  if (prefixLength === 0) return [`${field} "${cidr}" admits every address`];
  return [];
}

function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function ipv4InCidr(address: string, cidr: string): boolean {
  const [network = '', bits = '0'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4ToNumber(address) / size) === Math.floor(ipv4ToNumber(network) / size);
}

function apiEgressProblems({ apiEgress }: WorkspaceSettings): string[] {
  const problems: string[] = [];
  const host = hostOf(apiEgress.url);
  if (host === undefined) problems.push(`apiEgress.url "${apiEgress.url}" is not an http(s) URL`);
  if (!isPort(apiEgress.port)) problems.push(`apiEgress.port ${apiEgress.port} is not a TCP port`);
  if ('cidr' in apiEgress.to) {
    problems.push(...cidrProblems('apiEgress.to.cidr', apiEgress.to));
    const cidr = apiEgress.to.cidr;
    if (host && isIPv4(host) && problems.length === 0 && isIPv4(cidr.split('/')[0] ?? '')) {
      if (!ipv4InCidr(host, cidr))
        problems.push(`apiEgress.url host ${host} is outside apiEgress.to.cidr ${cidr}`);
    }
  } else {
    problems.push(...selectorProblems('apiEgress.to', apiEgress.to));
  }
  if (apiEgress.dns) {
    problems.push(...selectorProblems('apiEgress.dns', apiEgress.dns));
  } else if (host !== undefined && isIP(host) === 0) {
    problems.push(
      `apiEgress.url names host "${host}" but DNS egress is closed: give the API by IP address ` +
        `(e.g. its Service's ClusterIP) or configure apiEgress.dns`,
    );
  }
  return problems;
}

function loaderProblems({ loaderImage, loader, fsGroup }: WorkspaceSettings): string[] {
  const problems: string[] = [];
  if (!/^\S+$/.test(loaderImage)) problems.push('loaderImage is empty or holds spaces');
  if (!isPositiveQuantity(loader.cpu)) problems.push(`loader.cpu "${loader.cpu}" is not a positive quantity`);
  if (!isPositiveQuantity(loader.memory)) {
    problems.push(`loader.memory "${loader.memory}" is not a positive quantity`);
  }
  for (const id of ['runAsUser', 'runAsGroup'] as const) {
    if (!isPositiveInteger(loader[id])) problems.push(`loader.${id} must be a non-zero id`);
  }
  if (!isPositiveInteger(fsGroup)) problems.push('fsGroup must be a non-zero id');
  if (!Number.isInteger(loader.backoffLimit) || loader.backoffLimit < 0) {
    problems.push('loader.backoffLimit must be a whole number');
  }
  for (const field of ['activeDeadlineSeconds', 'ttlSecondsAfterFinished'] as const) {
    if (!isPositiveInteger(loader[field])) problems.push(`loader.${field} must be a positive whole number`);
  }
  return problems;
}
