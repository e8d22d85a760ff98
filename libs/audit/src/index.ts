export * from './audit.module';
export * from './audit.service';
export * from './audit-query.service';
export * from './audit-seal';
export * from './audit-verifier.service';
export * from './audit-event.entity';
export * from './audit.types';
export { canonicalJson } from './canonical-json';
export { GENESIS_HASH, hashEvent } from './audit-hash';
