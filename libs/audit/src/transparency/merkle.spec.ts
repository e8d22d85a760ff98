import { createHash } from 'node:crypto';
import {
  consistencyRanges,
  foldNodes,
  Frontier,
  inclusionRanges,
  leafHash,
  rangeNodes,
  verifyConsistency,
  verifyInclusion,
  type LeafRange,
} from './merkle';

/**
 * Test vectors of the Certificate Transparency projects (transparency-dev/merkle proof/verify_test.go,
 * the RFC 6962 8-leaf tree), kept here as data: leaves, the root of each prefix, and known proofs.
 * Leaf numbers in the vectors are 1-based, as there.
 */
const VECTORS = {
  leaves: [
    '',
    '00',
    '10',
    '2021',
    '3031',
    '40414243',
    '5051525354555657',
    '606162636465666768696a6b6c6d6e6f',
  ],
  roots: [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ],
  inclusion: [
    {
      leaf: 1,
      size: 8,
      proof: [
        '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
      ],
    },
    {
      leaf: 6,
      size: 8,
      proof: [
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    },
    { leaf: 3, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
    {
      leaf: 2,
      size: 5,
      proof: [
        '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      ],
    },
  ],
  consistency: [
    {
      first: 1,
      second: 8,
      proof: [
        '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
      ],
    },
    {
      first: 6,
      second: 8,
      proof: [
        '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    },
    {
      first: 2,
      second: 5,
      proof: [
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      ],
    },
    {
      first: 6,
      second: 7,
      proof: [
        '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
        'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    },
  ],
};

// An independent implementation, straight from the definitions of RFC 6962 section 2.1, over whole lists.
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const k2 = (n: number) => 2 ** Math.ceil(Math.log2(n)) / 2;
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Buffer.of(0), d[0]);
  const k = k2(d.length);
  return sha(Buffer.of(1), mth(d.slice(0, k)), mth(d.slice(k)));
}
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const k = k2(d.length);
  return m < k
    ? [...path(m, d.slice(0, k)), mth(d.slice(k))]
    : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = k2(d.length);
  return m <= k
    ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))]
    : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

/** A tree built with the Frontier, answering ranges from its stored complete subtrees only. */
function storedTree(leaves: Buffer[]) {
  const frontier = new Frontier();
  const nodes = new Map<string, Buffer>();
  for (const leaf of leaves) {
    for (const node of frontier.append(leafHash(leaf))) nodes.set(`${node.level}:${node.index}`, node.hash);
  }
  const hashOf = (r: LeafRange) =>
    foldNodes(rangeNodes(r).map((n) => nodes.get(`${n.level}:${n.index}`) as Buffer));
  return { frontier, hashOf };
}

const hex = (b: Buffer) => b.toString('hex');
const vectorLeaves = VECTORS.leaves.map((h) => Buffer.from(h, 'hex'));

describe('RFC 9162 Merkle tree', () => {
  it('reproduces the published roots of every prefix of the 8-leaf tree', () => {
    for (let n = 1; n <= 8; n += 1) {
      const { frontier, hashOf } = storedTree(vectorLeaves.slice(0, n));
      expect(hex(frontier.root())).toBe(VECTORS.roots[n - 1]);
      expect(hex(hashOf({ start: 0, size: n }))).toBe(VECTORS.roots[n - 1]);
    }
  });

  it('gives the published inclusion proofs, and verifies them', () => {
    const { hashOf } = storedTree(vectorLeaves);
    for (const v of VECTORS.inclusion) {
      const proof = inclusionRanges(v.leaf - 1, v.size).map(hashOf);
      expect(proof.map(hex)).toEqual(v.proof);
      const root = Buffer.from(VECTORS.roots[v.size - 1], 'hex');
      expect(verifyInclusion(v.leaf - 1, v.size, leafHash(vectorLeaves[v.leaf - 1]), proof, root)).toBe(true);
      expect(verifyInclusion(v.leaf - 1, v.size, leafHash(Buffer.from('x')), proof, root)).toBe(false);
    }
  });

  it('gives the published consistency proofs, and verifies them', () => {
    const { hashOf } = storedTree(vectorLeaves);
    for (const v of VECTORS.consistency) {
      const proof = consistencyRanges(v.first, v.second).map(hashOf);
      expect(proof.map(hex)).toEqual(v.proof);
      const [r1, r2] = [v.first, v.second].map((n) => Buffer.from(VECTORS.roots[n - 1], 'hex'));
      expect(verifyConsistency(v.first, v.second, r1, r2, proof)).toBe(true);
      expect(verifyConsistency(v.first, v.second, r2, r1, proof)).toBe(false);
      expect(verifyConsistency(v.first, v.second, r1, r2, proof.slice(0, -1))).toBe(false);
      const flipped = proof.map((p, i) =>
        i === 0 ? Buffer.from(p.map((b, j) => (j === 0 ? b ^ 16 : b))) : p,
      );
      expect(verifyConsistency(v.first, v.second, r1, r2, flipped)).toBe(false);
    }
  });

  it('agrees with the naive recursive definitions for every size up to 24', () => {
    const leaves = Array.from({ length: 24 }, (_, i) => Buffer.from(`event ${i}`));
    const { hashOf } = storedTree(leaves);
    for (let n = 1; n <= 24; n += 1) {
      const d = leaves.slice(0, n);
      const root = mth(d);
      expect(hashOf({ start: 0, size: n })).toEqual(root);
      for (let m = 0; m < n; m += 1) {
        const proof = inclusionRanges(m, n).map(hashOf);
        expect(proof).toEqual(path(m, d));
        expect(verifyInclusion(m, n, leafHash(d[m]), proof, root)).toBe(true);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, leafHash(d[m]), proof, root)).toBe(false);
      }
      for (let m = 1; m <= n; m += 1) {
        const proof = consistencyRanges(m, n).map(hashOf);
        expect(proof).toEqual(subproof(m, d, true));
        const first = mth(leaves.slice(0, m));
        expect(verifyConsistency(m, n, first, root, proof)).toBe(true);
        if (m < n) {
          const forged = mth([...leaves.slice(0, m - 1), Buffer.from('rewritten')]);
          expect(verifyConsistency(m, n, forged, root, proof)).toBe(false);
        }
      }
    }
  });

  it('refuses ranges outside the tree', () => {
    expect(() => inclusionRanges(5, 5)).toThrow(RangeError);
    expect(() => consistencyRanges(0, 5)).toThrow(RangeError);
    expect(() => consistencyRanges(6, 5)).toThrow(RangeError);
  });
});
