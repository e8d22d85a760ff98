import { readFile, writeFile } from 'node:fs/promises';
import { verifyConsistency, verifyTreeHead, type SignedTreeHead } from '@tre/audit';

/** What the verifier remembers between runs: the key it trusts and the last head it proved. */
export interface VerifierState {
  readonly api: string;
  readonly keyId: string;
  readonly publicKey: string;
  readonly head: SignedTreeHead;
}

export type VerifyOutcome =
  | { readonly ok: true; readonly checked: number; readonly head: SignedTreeHead | null }
  | {
      readonly ok: false;
      readonly checked: number;
      readonly failedHead: number | null;
      readonly reason: string;
    };

interface PublishedKey {
  keyId: string;
  publicKey: string;
}

class Refusal extends Error {
  constructor(
    readonly failedHead: number | null,
    reason: string,
  ) {
    super(reason);
  }
}

const PAGE = 1000;

const describe = (head: SignedTreeHead): string =>
  `head #${head.id} (${head.treeSize} events, root ${head.rootHash.slice(0, 16)}…, signed ${head.signedAt})`;

/**
 * The public check of the transparency log, using only what the API publishes without a token: each signed
 * head must carry a valid signature of the trusted key and be proved (RFC 9162 consistency proof) to extend
 * the head before it, starting from the head remembered in the state file. A head that does not is named.
 * The state is written only when everything held, so a failure is reported again on the next run.
 */
export async function verifyTransparencyLog(api: string, stateFile?: string): Promise<VerifyOutcome> {
  const base = api.replace(/\/+$/, '');
  const state = stateFile ? await readState(stateFile) : null;
  let checked = 0;
  try {
    const { keys } = await getJson<{ keys: PublishedKey[] }>(`${base}/transparency/key`);
    const trustedKey = state ? { keyId: state.keyId, publicKey: state.publicKey } : keys[0];
    if (state && !keys.some((k) => k.keyId === state.keyId && k.publicKey === state.publicKey)) {
      throw new Refusal(null, `the log no longer publishes the key it was trusted with (${state.keyId})`);
    }
    let trusted: SignedTreeHead | null = state?.head ?? null;
    const latest = await getJson<SignedTreeHead>(`${base}/transparency/heads/latest`, true);
    if (trusted && (!latest || latest.id < trusted.id || latest.treeSize < trusted.treeSize)) {
      throw new Refusal(
        latest?.id ?? null,
        latest
          ? `the latest ${describe(latest)} goes back behind the trusted ${describe(trusted)}`
          : `the log publishes no head, but ${describe(trusted)} was trusted`,
      );
    }
    for (let after = trusted?.id ?? 0; ;) {
      const { items } = await getJson<{ items: SignedTreeHead[] }>(
        `${base}/transparency/heads?after=${after}&limit=${PAGE}`,
      );
      for (const head of items) {
        if (!trustedKey || head.keyId !== trustedKey.keyId || !verifyTreeHead(head, trustedKey.publicKey)) {
          throw new Refusal(head.id, `${describe(head)} is not signed by the trusted key`);
        }
        if (trusted && !(await extendsHead(base, trusted, head))) {
          throw new Refusal(head.id, `${describe(head)} does not extend the trusted ${describe(trusted)}`);
        }
        trusted = head;
        checked += 1;
      }
      if (items.length < PAGE) break;
      after = items[items.length - 1].id;
    }
    if (stateFile && trusted && trustedKey) {
      const next: VerifierState = { api: base, ...pick(trustedKey), head: trusted };
      await writeFile(stateFile, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    }
    return { ok: true, checked, head: trusted };
  } catch (error: unknown) {
    if (error instanceof Refusal)
      return { ok: false, checked, failedHead: error.failedHead, reason: error.message };
    throw error;
  }
}

const pick = (key: PublishedKey) => ({ keyId: key.keyId, publicKey: key.publicKey });

/** Proves `next` extends `prev`: same tree at the same size, or a consistency proof from the log. */
async function extendsHead(base: string, prev: SignedTreeHead, next: SignedTreeHead): Promise<boolean> {
  if (next.treeSize < prev.treeSize) return false;
  if (next.treeSize === prev.treeSize) return next.rootHash === prev.rootHash;
  if (prev.treeSize === 0) return true;
  const body = await getJson<{ proof: string[] }>(
    `${base}/transparency/consistency?first=${prev.treeSize}&second=${next.treeSize}`,
    true,
  );
  if (!body || !Array.isArray(body.proof)) return false;
  return verifyConsistency(
    prev.treeSize,
    next.treeSize,
    Buffer.from(prev.rootHash, 'hex'),
    Buffer.from(next.rootHash, 'hex'),
    body.proof.map((h) => Buffer.from(h, 'hex')),
  );
}

/** GETs JSON; with `absentIsNull` an answer of 4xx (no such head, no such proof) is null, not an error. */
async function getJson<T>(url: string, absentIsNull: true): Promise<T | null>;
async function getJson<T>(url: string): Promise<T>;
async function getJson<T>(url: string, absentIsNull = false): Promise<T | null> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (absentIsNull && response.status >= 400 && response.status < 500) return null;
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

async function readState(path: string): Promise<VerifierState | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
  const state = JSON.parse(text) as VerifierState;
  if (!state.head || typeof state.keyId !== 'string' || typeof state.publicKey !== 'string') {
    throw new Error(`${path} is not a transparency verifier state file`);
  }
  return state;
}
