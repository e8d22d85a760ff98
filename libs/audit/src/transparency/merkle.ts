import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0, section 2.1), SHA-256: a leaf hashes as
 * H(0x00 || data), an interior node as H(0x01 || left || right), and a tree of n leaves splits at the
 * largest power of two below n. Proofs are described here as lists of leaf ranges whose subtree hashes
 * the caller supplies, so the same code serves a tree held in memory and one stored as complete subtrees.
 */

/** A run of leaves [start, start + size) whose hash a proof needs. */
export interface LeafRange {
  readonly start: number;
  readonly size: number;
}

/** One complete subtree: the 2^level leaves from index * 2^level. */
export interface NodeKey {
  readonly level: number;
  readonly index: number;
}

export const EMPTY_ROOT = createHash('sha256').digest();

export function leafHash(data: Buffer): Buffer {
  return createHash('sha256').update(Buffer.of(0)).update(data).digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Buffer.of(1)).update(left).update(right).digest();
}

/** The largest power of two strictly below n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 9162 2.1.3.1 PATH(m, D[n]), as the ranges whose hashes make up the path, leaf side first. */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  }
  const out: LeafRange[] = [];
  let start = 0;
  let n = size;
  let m = index;
  const stack: LeafRange[] = [];
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      stack.push({ start: start + k, size: n - k });
      n = k;
    } else {
      stack.push({ start, size: k });
      start += k;
      m -= k;
      n -= k;
    }
  }
  while (stack.length) out.push(stack.pop() as LeafRange);
  return out;
}

/** RFC 9162 2.1.4.1 PROOF(m, D[n]) (SUBPROOF with b = true), as ranges in proof order. */
export function consistencyRanges(first: number, second: number): LeafRange[] {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 1 || first > second) {
    throw new RangeError(`no consistency proof from size ${first} to size ${second}`);
  }
  const stack: LeafRange[] = [];
  let start = 0;
  let m = first;
  let n = second;
  let whole = true;
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      stack.push({ start: start + k, size: n - k });
      n = k;
    } else {
      stack.push({ start, size: k });
      start += k;
      m -= k;
      n -= k;
      whole = false;
    }
  }
  const out: LeafRange[] = whole ? [] : [{ start, size: m }];
  while (stack.length) out.push(stack.pop() as LeafRange);
  return out;
}

/**
 * The complete subtrees that make up a range, left to right. Ranges from the proofs above (and whole trees
 * from 0) start at a multiple of a power of two at least their size, so the range's hash is the right fold
 * of these nodes' hashes.
 */
export function rangeNodes(range: LeafRange): NodeKey[] {
  const nodes: NodeKey[] = [];
  let start = range.start;
  let remaining = range.size;
  while (remaining > 0) {
    let level = 0;
    while (2 ** (level + 1) <= remaining) level += 1;
    nodes.push({ level, index: start / 2 ** level });
    start += 2 ** level;
    remaining -= 2 ** level;
  }
  return nodes;
}

/** Combines a range's node hashes (from `rangeNodes`) into the range's hash. */
export function foldNodes(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  let acc = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i -= 1) acc = nodeHash(hashes[i], acc);
  return acc;
}

const half = (x: number): number => Math.floor(x / 2);
const odd = (x: number): boolean => x % 2 === 1;

/** RFC 9162 2.1.3.2: does `proof` show the leaf at `index` in the tree of `size` with this root? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Buffer,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (p.length !== 32 || sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 2.1.4.2: does `proof` show the tree of `second` leaves extends the tree of `first`? */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0 || proof.some((p) => p.length !== 32)) return false;
  // A power-of-two first tree is a complete subtree of the second: the proof leaves its hash out.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

function isPowerOfTwo(x: number): boolean {
  return x > 0 && 2 ** Math.round(Math.log2(x)) === x;
}

/** A stored node with its hash. */
export interface TreeNode extends NodeKey {
  readonly hash: Buffer;
}

/**
 * The right edge of a tree: its complete subtrees, largest first (one per set bit of the size). Appending a
 * leaf pushes it and merges equal-sized neighbours, so it yields the new leaf and every subtree it completes:
 * amortised two nodes a leaf, and the stored table then answers any range with O(log n) reads.
 */
export class Frontier {
  constructor(
    private readonly nodes: TreeNode[] = [],
    private count = 0,
  ) {}

  get size(): number {
    return this.count;
  }

  append(hash: Buffer): TreeNode[] {
    const created: TreeNode[] = [{ level: 0, index: this.count, hash }];
    this.nodes.push(created[0]);
    this.count += 1;
    while (this.nodes.length >= 2) {
      const right = this.nodes[this.nodes.length - 1];
      const left = this.nodes[this.nodes.length - 2];
      if (left.level !== right.level) break;
      const parent = {
        level: left.level + 1,
        index: half(left.index),
        hash: nodeHash(left.hash, right.hash),
      };
      this.nodes.splice(this.nodes.length - 2, 2, parent);
      created.push(parent);
    }
    return created;
  }

  root(): Buffer {
    return foldNodes(this.nodes.map((node) => node.hash));
  }
}
