import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sign } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { loadSigningKey, type SigningKey } from './signing-key';
import { publicKeyId, treeHeadMessage, type SignedTreeHead } from './tree-head';
import { TransparencyTreeService } from './transparency-tree.service';

interface HeadRow {
  id: string;
  tree_size: string;
  root_hash: string;
  signed_at: Date;
  key_id: string;
  signature: string;
}

const toHead = (row: HeadRow): SignedTreeHead => ({
  id: Number(row.id),
  treeSize: Number(row.tree_size),
  rootHash: row.root_hash,
  signedAt: row.signed_at.toISOString(),
  keyId: row.key_id,
  signature: row.signature,
});

export interface PublishedKey {
  readonly keyId: string;
  /** SPKI PEM. */
  readonly publicKey: string;
  readonly createdAt: string;
}

/**
 * Signed tree heads: the worker signs one (checkpoint) on a schedule and after approvals and releases; anyone
 * reads them. The private key is read only when signing, so the API, which only publishes, never needs it.
 */
@Injectable()
export class TransparencyHeadsService {
  private readonly logger = new Logger(TransparencyHeadsService.name);
  private key?: Promise<SigningKey>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tree: TransparencyTreeService,
  ) {}

  /** Brings the tree up to date and signs its head, unless the latest head already states it. */
  async checkpoint(): Promise<{ head: SignedTreeHead; signed: boolean; rewoundTo: number | null }> {
    const state = await this.tree.sync();
    const rootHash = state.root.toString('hex');
    const latest = await this.latest();
    if (latest && latest.treeSize === state.size && latest.rootHash === rootHash) {
      return { head: latest, signed: false, rewoundTo: state.rewoundTo };
    }
    const key = await this.signingKey();
    const keyId = publicKeyId(key.publicKey);
    const publicKey = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await this.dataSource.query(
      'INSERT INTO transparency_keys (key_id, public_key) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING',
      [keyId, publicKey],
    );
    // Whole milliseconds, so the time read back from Postgres is the one that was signed.
    const signedAt = new Date().toISOString();
    const signature = sign(
      null,
      treeHeadMessage({ treeSize: state.size, rootHash, signedAt }),
      key.privateKey,
    );
    const [row] = await this.dataSource.query<HeadRow[]>(
      `INSERT INTO transparency_heads (tree_size, root_hash, signed_at, key_id, signature)
       VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [state.size, rootHash, signedAt, keyId, signature.toString('base64')],
    );
    const head = toHead(row);
    this.logger.log({ id: head.id, treeSize: head.treeSize, rootHash }, 'Transparency log head signed');
    return { head, signed: true, rewoundTo: state.rewoundTo };
  }

  async latest(): Promise<SignedTreeHead | null> {
    const [row] = await this.dataSource.query<HeadRow[]>(
      'SELECT * FROM transparency_heads ORDER BY id DESC LIMIT 1',
    );
    return row ? toHead(row) : null;
  }

  /** Heads with an id above `after`, oldest first. */
  async list(after: number, limit: number): Promise<SignedTreeHead[]> {
    const rows = await this.dataSource.query<HeadRow[]>(
      'SELECT * FROM transparency_heads WHERE id > $1 ORDER BY id LIMIT $2',
      [after, limit],
    );
    return rows.map(toHead);
  }

  async keys(): Promise<PublishedKey[]> {
    const rows = await this.dataSource.query<{ key_id: string; public_key: string; created_at: Date }[]>(
      'SELECT key_id, public_key, created_at FROM transparency_keys ORDER BY created_at',
    );
    return rows.map((r) => ({
      keyId: r.key_id,
      publicKey: r.public_key,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /** The worker calls this at start-up, so a missing key in production stops it before any job, naming the setting. */
  async prepareSigningKey(): Promise<void> {
    await this.signingKey();
  }

  private signingKey(): Promise<SigningKey> {
    this.key ??= loadSigningKey(this.config.transparencyKeyFile, this.config.nodeEnv !== 'production');
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }
}
