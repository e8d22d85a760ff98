export * from './audit.module';
export * from './audit.service';
export * from './audit-query.service';
export * from './audit-csv';
export * from './audit-seal';
export * from './audit-verifier.service';
export * from './audit-event.entity';
export * from './audit.types';
export { canonicalJson } from './canonical-json';
export { GENESIS_HASH, hashEvent } from './audit-hash';
export * from './transparency/merkle';
export * from './transparency/tree-head';
export { loadSigningKey } from './transparency/signing-key';
export {
  TransparencyTreeService,
  eventLeafData,
  type TreeState,
} from './transparency/transparency-tree.service';
export { TransparencyHeadsService, type PublishedKey } from './transparency/transparency-heads.service';
