import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ValidationError } from '@tre/core';
import type { ChainRow } from '../audit-verifier.service';
import { canonicalJson } from '../canonical-json';
import {
  consistencyRanges,
  foldNodes,
  Frontier,
  inclusionRanges,
  leafHash,
  rangeNodes,
  type LeafRange,
  type NodeKey,
  type TreeNode,
} from './merkle';

/** Only one process extends the stored tree at a time (the audit append lock's neighbour). */
const SYNC_LOCK_KEY = 0x7472_6500_0002;
const BATCH = 5000;

type EventRow = ChainRow;

const EVENT_COLUMNS =
  'seq, occurred_at, actor_id, action, subject_type, subject_id, details, request_id, prev_hash, hash';

/** The bytes of an event's leaf: the canonical JSON of the whole event, its chain hashes included. */
export function eventLeafData(row: EventRow): Buffer {
  return Buffer.from(
    canonicalJson({
      seq: Number(row.seq),
      occurredAt: row.occurred_at.toISOString(),
      actorId: row.actor_id,
      action: row.action,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      details: row.details,
      requestId: row.request_id,
      prevHash: row.prev_hash,
      hash: row.hash,
    }),
    'utf8',
  );
}

export interface TreeState {
  readonly size: number;
  readonly root: Buffer;
  /** Set when the stored tree no longer matched audit_events and was cut back to this many leaves. */
  readonly rewoundTo: number | null;
}

/**
 * The Merkle tree over audit_events, stored as its complete subtrees (level, index) so that a root or proof
 * for any size reads O(log n) rows. The table is derived data: `sync` extends it from audit_events, and if
 * the events it was built from have since been rewritten or deleted it cuts the tree back to the first
 * changed leaf and rebuilds, so the next signed head states what the database now holds, and the public
 * verifier then sees that head fail to extend the last one.
 */
@Injectable()
export class TransparencyTreeService {
  private readonly logger = new Logger(TransparencyTreeService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async sync(): Promise<TreeState> {
    let rewoundTo: number | null = null;
    let first = true;
    for (;;) {
      const step = await this.dataSource.transaction(async (m) => {
        await m.query('SELECT pg_advisory_xact_lock($1)', [SYNC_LOCK_KEY]);
        let size = await this.storedSize(m);
        if (first) {
          const changed = await this.firstChangedLeaf(m, size);
          if (changed !== null) {
            await m.query('DELETE FROM transparency_nodes WHERE idx >= ($1::bigint >> level)', [changed]);
            this.logger.error(
              { treeSize: size, firstChangedLeaf: changed },
              'AUDIT EVENTS ALREADY IN THE TRANSPARENCY LOG WERE REWRITTEN OR DELETED: tree cut back and rebuilt',
            );
            rewoundTo = changed;
            size = changed;
          }
        }
        const frontier = await this.frontierAt(m, size);
        const rows = await m.query<EventRow[]>(
          `SELECT ${EVENT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`,
          [size, BATCH],
        );
        const created: TreeNode[] = [];
        for (const row of rows) {
          if (Number(row.seq) !== frontier.size + 1) {
            throw new Error(
              `audit event ${frontier.size + 1} is missing (next is ${row.seq}); the log stops here`,
            );
          }
          created.push(...frontier.append(leafHash(eventLeafData(row))));
        }
        await insertNodes(m, created);
        return { size: frontier.size, root: frontier.root(), more: rows.length === BATCH };
      });
      first = false;
      if (!step.more) return { size: step.size, root: step.root, rewoundTo };
    }
  }

  /** Leaves in the stored tree. */
  async size(): Promise<number> {
    return this.storedSize(this.dataSource.manager);
  }

  async rootAt(size: number): Promise<Buffer> {
    await this.requireStored(size);
    const [hash] = await this.rangeHashes([{ start: 0, size }]);
    return hash;
  }

  /** RFC 9162 consistency proof between two sizes of the stored tree. */
  async consistencyProof(first: number, second: number): Promise<Buffer[]> {
    if (!(first >= 1 && first <= second)) {
      throw new ValidationError(
        `a consistency proof needs 1 <= first <= second (got ${first} and ${second})`,
      );
    }
    await this.requireStored(second);
    return this.rangeHashes(consistencyRanges(first, second));
  }

  /** RFC 9162 inclusion proof of the leaf at `index` in the tree of `size` leaves, with the leaf's hash. */
  async inclusionProof(index: number, size: number): Promise<{ leafHash: Buffer; proof: Buffer[] }> {
    if (!(index >= 0 && index < size)) {
      throw new ValidationError(`leaf ${index} is not in a tree of ${size} leaves`);
    }
    await this.requireStored(size);
    const [leaf, ...proof] = await this.rangeHashes([
      { start: index, size: 1 },
      ...inclusionRanges(index, size),
    ]);
    return { leafHash: leaf, proof };
  }

  private async requireStored(size: number): Promise<void> {
    const stored = await this.size();
    if (size > stored)
      throw new ValidationError(`the log holds ${stored} events; there is no tree of ${size}`);
  }

  /** Each range's hash, from one read of all the nodes they need. */
  private async rangeHashes(
    ranges: LeafRange[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<Buffer[]> {
    const keys = ranges.map(rangeNodes);
    const found = await readNodes(m, keys.flat());
    return keys.map((nodes) => foldNodes(nodes.map((node) => required(found, node))));
  }

  private async storedSize(m: EntityManager): Promise<number> {
    const [row] = await m.query<{ size: string }[]>(
      'SELECT COALESCE(MAX(idx) + 1, 0) AS size FROM transparency_nodes WHERE level = 0',
    );
    return Number(row.size);
  }

  private async frontierAt(m: EntityManager, size: number): Promise<Frontier> {
    const keys = rangeNodes({ start: 0, size });
    const found = await readNodes(m, keys);
    return new Frontier(
      keys.map((key) => ({ ...key, hash: required(found, key) })),
      size,
    );
  }

  /**
   * The first leaf whose stored hash no longer matches its event, or null. Checks the newest leaf first (one
   * read): each event's hash covers its predecessor's, so rewriting any event and re-linking the chain changes
   * the newest one too; then a binary search finds where the change begins.
   */
  private async firstChangedLeaf(m: EntityManager, size: number): Promise<number | null> {
    if (size === 0) return null;
    const intact = async (index: number): Promise<boolean> => {
      const [row] = await m.query<EventRow[]>(`SELECT ${EVENT_COLUMNS} FROM audit_events WHERE seq = $1`, [
        index + 1,
      ]);
      const [stored] = await m.query<{ hash: Buffer }[]>(
        'SELECT hash FROM transparency_nodes WHERE level = 0 AND idx = $1',
        [index],
      );
      return row !== undefined && stored !== undefined && leafHash(eventLeafData(row)).equals(stored.hash);
    };
    if (await intact(size - 1)) return null;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (await intact(mid)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const nodeKey = (node: NodeKey): string => `${node.level}:${node.index}`;

function required(found: Map<string, Buffer>, node: NodeKey): Buffer {
  const hash = found.get(nodeKey(node));
  if (!hash) throw new Error(`transparency node ${nodeKey(node)} is missing`);
  return hash;
}

async function readNodes(m: EntityManager, keys: NodeKey[]): Promise<Map<string, Buffer>> {
  if (keys.length === 0) return new Map();
  const rows = await m.query<{ level: number; idx: string; hash: Buffer }[]>(
    `SELECT n.level, n.idx, n.hash FROM transparency_nodes n
       JOIN unnest($1::smallint[], $2::bigint[]) AS k(level, idx) ON n.level = k.level AND n.idx = k.idx`,
    [keys.map((k) => k.level), keys.map((k) => k.index)],
  );
  return new Map(rows.map((row) => [`${row.level}:${Number(row.idx)}`, row.hash]));
}

async function insertNodes(m: EntityManager, nodes: TreeNode[]): Promise<void> {
  if (nodes.length === 0) return;
  await m.query(
    `INSERT INTO transparency_nodes (level, idx, hash)
     SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
    [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash)],
  );
}
