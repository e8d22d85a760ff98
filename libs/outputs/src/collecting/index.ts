export * from './collect-grant.entity';
export * from './collect-token';
export * from './collect-grants.service';
export * from './collect-token-auth';
export * from './output-intake.service';
