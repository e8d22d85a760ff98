import {
  MAX_NAMESPACE_PREFIX_LENGTH,
  canonicalUuid,
  isDns1123Label,
  loaderJobName,
  workspaceNamespaceName,
} from './names';
import { EXTRACT_ID, WORKSPACE_ID } from './workspace-fixtures.spec-helper';

describe('isDns1123Label', () => {
  it.each([
    ['tre-ws-abc', true],
    ['a', true],
    ['0abc', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['Tre-ws', false],
    ['-abc', false],
    ['abc-', false],
    ['a.b', false],
    ['a_b', false],
    ['', false],
  ])('%s -> %s', (value, valid) => {
    expect(isDns1123Label(value)).toBe(valid);
  });
});

describe('workspaceNamespaceName', () => {
  it('is the prefix followed by the full workspace id, a valid label of at most 63 characters', () => {
    const name = workspaceNamespaceName('tre-ws-', WORKSPACE_ID);
    expect(name).toBe(`tre-ws-${WORKSPACE_ID}`);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(isDns1123Label(name)).toBe(true);
  });

  it('lower-cases an upper-case id, so one workspace never maps to two namespaces', () => {
    expect(workspaceNamespaceName('tre-ws-', WORKSPACE_ID.toUpperCase())).toBe(`tre-ws-${WORKSPACE_ID}`);
  });

  it('fits exactly with the longest prefix allowed and refuses one character more', () => {
    const longest = 'p'.repeat(MAX_NAMESPACE_PREFIX_LENGTH);
    expect(workspaceNamespaceName(longest, WORKSPACE_ID)).toHaveLength(63);
    expect(() => workspaceNamespaceName(`${longest}p`, WORKSPACE_ID)).toThrow(RangeError);
  });

  it.each(['not-a-uuid', '../kube-system', `${WORKSPACE_ID}x`, ''])('refuses the id %j', (id) => {
    expect(() => workspaceNamespaceName('tre-ws-', id)).toThrow(RangeError);
  });
});

describe('canonicalUuid and loaderJobName', () => {
  it('names one Job per extract, within a label', () => {
    const name = loaderJobName(EXTRACT_ID.toUpperCase());
    expect(name).toBe(`load-extract-${EXTRACT_ID}`);
    expect(isDns1123Label(name)).toBe(true);
  });

  it('refuses what is not a UUID', () => {
    expect(canonicalUuid('123')).toBeUndefined();
    expect(() => loaderJobName('123')).toThrow(RangeError);
  });
});
