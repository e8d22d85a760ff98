export * from './load-token-issuer';
