import { QueryFailedError, TypeORMError } from 'typeorm';
import { databaseOutage, redisOutage } from './database-outage';

const pgError = (code: string, message = 'pg') => Object.assign(new Error(message), { code });

describe('databaseOutage', () => {
  it('names a database that is away, silent or too slow', () => {
    expect(databaseOutage(new TypeORMError('Driver not Connected'))).toMatch(/not connected/);
    expect(databaseOutage(pgError('ECONNREFUSED', 'connect ECONNREFUSED'))).toMatch(/cannot be reached/);
    expect(databaseOutage(new Error('timeout exceeded when trying to connect'))).toMatch(/connect timeout/);
    expect(databaseOutage(new QueryFailedError('SELECT 1', [], new Error('Query read timeout')))).toMatch(
      /did not answer/,
    );
    expect(databaseOutage(new QueryFailedError('SELECT 1', [], pgError('57014')))).toMatch(
      /statement timeout/,
    );
    expect(databaseOutage(new QueryFailedError('SELECT 1', [], pgError('57P01')))).toMatch(/refused/);
  });

  it('leaves every other failure alone', () => {
    expect(databaseOutage(new QueryFailedError('INSERT', [], pgError('23505')))).toBeUndefined();
    expect(databaseOutage(new Error('something else'))).toBeUndefined();
    expect(databaseOutage('text')).toBeUndefined();
  });
});

describe('redisOutage', () => {
  it('names what ioredis says while Redis is away, and nothing else', () => {
    expect(
      redisOutage(new Error("Stream isn't writeable and enableOfflineQueue options is false")),
    ).toBeDefined();
    expect(redisOutage(new Error('Connection is closed.'))).toBeDefined();
    expect(redisOutage(new Error('Command timed out'))).toBeDefined();
    expect(redisOutage(new Error('Job not found'))).toBeUndefined();
  });
});
