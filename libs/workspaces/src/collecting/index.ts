export * from './output-paths';
export * from './output-listing';
export * from './collect-files';
export * from './collector';
export * from './collector-grant-ledger';
