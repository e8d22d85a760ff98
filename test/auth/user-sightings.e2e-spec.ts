import { Client } from 'pg';
import { UsersService, type VerifiedClaims } from '@tre/auth';
import { captureSql } from '../support/sql-capture';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * A user seen again with the same claims a minute on: answered from memory at once, their last sighting written
 * after, off the request's path (in the request it held every caller first seen together behind a commit each).
 */
describe('a user seen again', () => {
  let t: TestApp;
  let users: UsersService;
  let other: Client;

  const claimsOf = (subject: string): VerifiedClaims => ({
    issuer: 'https://idp.sightings.test',
    subject,
    name: subject,
    roles: ['researcher'],
  });
  const lastSeen = async (id: string): Promise<Date | undefined> =>
    (await other.query<{ last_seen_at: Date }>('SELECT last_seen_at FROM users WHERE id = $1', [id])).rows[0]
      ?.last_seen_at;
  /** The user as a request a minute and a bit from now sees them (the clock moved only for the call's start). */
  const aMinuteOn = (claims: VerifiedClaims) => {
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
    try {
      return users.upsertFromClaims(claims);
    } finally {
      clock.mockRestore();
    }
  };
  const within = async <T>(ms: number, work: Promise<T>): Promise<T | 'still waiting'> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'still waiting'>(
      (resolve) => (timer = setTimeout(() => resolve('still waiting'), ms)),
    );
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
    users = t.app.get(UsersService);
    other = new Client({ connectionString: t.env.database.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await t?.close();
  });

  it('is answered without waiting on their row, and their sighting is written once the row is free', async () => {
    const claims = claimsOf('sam');
    const first = await users.upsertFromClaims(claims);
    const before = (await lastSeen(first.id))!;
    // Another transaction holds the row, as a slow writer would.
    const holder = new Client({ connectionString: t.env.database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [first.id]);
      expect(await within(2_000, aMinuteOn(claims))).toEqual(first);
      expect(await lastSeen(first.id)).toEqual(before);
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    await users.sightingsWritten();
    expect((await lastSeen(first.id))!.getTime()).toBeGreaterThan(before.getTime());
  });

  it('writes the sightings of one moment together, and upserts again a user whose row has gone', async () => {
    const [kept, erased] = [claimsOf('kim'), claimsOf('eve')];
    const keptUser = await users.upsertFromClaims(kept);
    const erasedUser = await users.upsertFromClaims(erased);
    const before = (await lastSeen(keptUser.id))!;
    await other.query('DELETE FROM users WHERE id = $1', [erasedUser.id]);
    const sql = captureSql();
    try {
      await Promise.all([aMinuteOn(kept), aMinuteOn(erased)]);
      await users.sightingsWritten();
    } finally {
      sql.stop();
    }
    expect(sql.all().filter((text) => /^UPDATE "users"/i.test(text.trim()))).toHaveLength(1);
    expect((await lastSeen(keptUser.id))!.getTime()).toBeGreaterThan(before.getTime());
    // Their next request writes them in full, as a first sighting: a new row, audited.
    const back = await users.upsertFromClaims(erased);
    expect(back.id).not.toBe(erasedUser.id);
    expect(await lastSeen(back.id)).toBeDefined();
    const registered = await other.query(
      `SELECT 1 FROM audit_events WHERE action = 'user.registered' AND subject_id = $1`,
      [back.id],
    );
    expect(registered.rowCount).toBe(1);
  });
});
