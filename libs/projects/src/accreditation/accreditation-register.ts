import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import { ConflictError, IllegalTransitionError, NotFoundError } from '@tre/core';
import { today } from '../domain/application';
import { AccreditationEntity, type AccreditationState } from './accreditation.entity';
import type { RegisterRecord } from './accreditation-standing';

export interface AccreditationView {
  readonly state: AccreditationState;
  readonly expiresOn: string;
  /** True when past its expiry though never lapsed by an admin: it denies all the same. */
  readonly expired: boolean;
  readonly reference: string;
  readonly lapsedReason: string | null;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export interface PersonView {
  readonly subject: string;
  readonly name: string;
  readonly roles: string[];
  readonly lastSeenAt: string;
  /** Null: nothing on the register, so the expiry declared on each project membership applies. */
  readonly accreditation: AccreditationView | null;
  /** Whether their latest sign-in's token gave an email address (the only address notifications use). */
  readonly emailAddressKnown: boolean;
  /** Their messages that went to the inbox only for want of an address. */
  readonly messagesNotEmailed: number;
}

/** People named on projects the service has never seen sign in, and the messages waiting in their inboxes. */
export interface NotSignedIn {
  readonly people: number;
  readonly messages: number;
}

export interface PeoplePage {
  readonly items: PersonView[];
  readonly notSignedIn: NotSignedIn;
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

const view = (row: AccreditationEntity): AccreditationView => ({
  state: row.state,
  expiresOn: row.expiresOn,
  expired: row.state === 'current' && row.expiresOn < today(),
  reference: row.reference,
  lapsedReason: row.lapsedReason,
  updatedBy: row.updatedBy,
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * The admin-kept accreditation register: who is accredited until when, on whose word. Set (first time, or
 * again after a lapse), renew (a later expiry) and lapse (with a reason) are each one audited transaction;
 * every other move is refused with a 409 saying why.
 */
@Injectable()
export class AccreditationRegister {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The register's records of these people, by subject (absent: no record, the declared dates apply). */
  async recordsOf(
    subjects: readonly string[],
    manager?: EntityManager,
  ): Promise<Map<string, RegisterRecord>> {
    if (subjects.length === 0) return new Map();
    const rows = await (manager ?? this.dataSource.manager).find(AccreditationEntity, {
      where: { subject: In([...new Set(subjects)]) },
      select: { subject: true, state: true, expiresOn: true },
    });
    return new Map(rows.map((row) => [row.subject, { state: row.state, expiresOn: row.expiresOn }]));
  }

  /** People known from sign-in (one line per subject, whichever issuer), with their roles and register record. */
  async people(paging: { page: number; pageSize: number }): Promise<PeoplePage> {
    const manager = this.dataSource.manager;
    const [{ total }] = await manager.query<{ total: string }[]>(
      `SELECT count(DISTINCT "subject")::text AS "total" FROM "users"`,
    );
    const rows = await manager.query<
      { subject: string; display_name: string; roles: string[]; last_seen_at: Date; email: string | null }[]
    >(
      `SELECT * FROM (
         SELECT DISTINCT ON ("subject") "subject", "display_name", "roles", "last_seen_at", "email"
         FROM "users" ORDER BY "subject", "last_seen_at" DESC
       ) AS people ORDER BY "display_name", "subject" LIMIT $1 OFFSET $2`,
      [paging.pageSize, (paging.page - 1) * paging.pageSize],
    );
    const records = await manager.find(AccreditationEntity, {
      where: { subject: In(rows.length ? rows.map((r) => r.subject) : ['']) },
    });
    const bySubject = new Map(records.map((r) => [r.subject, r]));
    const notEmailed = await this.messagesNotEmailed(rows.map((r) => r.subject));
    return {
      items: rows.map((row) => {
        const record = bySubject.get(row.subject);
        return {
          subject: row.subject,
          name: row.display_name,
          roles: row.roles,
          lastSeenAt: row.last_seen_at.toISOString(),
          accreditation: record ? view(record) : null,
          emailAddressKnown: row.email !== null,
          messagesNotEmailed: notEmailed.get(row.subject) ?? 0,
        };
      }),
      notSignedIn: await this.notSignedIn(),
      total: Number(total),
      page: paging.page,
      pageSize: paging.pageSize,
    };
  }

  /** Per subject, the messages (notifications) that were not emailed because no address was known. */
  private async messagesNotEmailed(subjects: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ subject: string; n: number }[]>(
      `SELECT recipient_subject AS subject, count(*)::int AS n FROM notifications
        WHERE recipient_subject = ANY ($1::text[]) AND email_not_sent_reason = 'no_address'
        GROUP BY recipient_subject`,
      [subjects],
    );
    return new Map(rows.map((r) => [r.subject, r.n]));
  }

  /**
   * Members named on a project (by subject) who have never signed in: the service knows no address for them
   * until their identity provider gives one, so their messages wait in the inbox.
   */
  private async notSignedIn(): Promise<NotSignedIn> {
    const [row] = await this.dataSource.query<NotSignedIn[]>(
      `SELECT
         (SELECT count(DISTINCT m.subject)::int FROM project_members m
           WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.subject = m.subject)) AS people,
         -- Only members can be sent a message unseen (the roles of others come from their tokens), so the
         -- messages are counted by their subjects, on the recipient index, not by a scan of every message.
         (SELECT count(*)::int FROM notifications n
           WHERE n.recipient_subject IN (SELECT m.subject FROM project_members m
             WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.subject = m.subject))) AS messages`,
    );
    return row;
  }

  /** Puts a person on the register (no record yet, or one lapsed): current until `expiresOn`. */
  set(
    user: AuthenticatedUser,
    subject: string,
    expiresOn: string,
    reference: string,
  ): Promise<AccreditationView> {
    return this.change(user, subject, 'set', async (manager, row) => {
      if (row?.state === 'current')
        throw new IllegalTransitionError('accreditation', 'current', 'set', 'renew it or lapse it instead');
      const saved = await manager.save(
        manager.create(AccreditationEntity, {
          ...(row ?? {}),
          subject,
          expiresOn,
          reference,
          state: 'current',
          lapsedReason: null,
          updatedBy: user.id,
        }),
      );
      return { saved, details: { expiresOn, previousState: row?.state ?? null } };
    });
  }

  /** A current accreditation renewed to a later expiry (past its old expiry too: that is what renewal is for). */
  renew(
    user: AuthenticatedUser,
    subject: string,
    expiresOn: string,
    reference: string | undefined,
  ): Promise<AccreditationView> {
    return this.change(user, subject, 'renew', async (manager, row) => {
      if (!row)
        throw new IllegalTransitionError('accreditation', 'not on the register', 'renew', 'set one first');
      if (row.state === 'lapsed')
        throw new IllegalTransitionError('accreditation', 'lapsed', 'renew', 'set a new one instead');
      if (expiresOn <= row.expiresOn)
        throw new ConflictError(
          `A renewal must move the expiry later than ${row.expiresOn}; ${expiresOn} does not`,
          { expiresOn: row.expiresOn },
        );
      const previous = row.expiresOn;
      row.expiresOn = expiresOn;
      if (reference) row.reference = reference;
      row.updatedBy = user.id;
      const saved = await manager.save(row);
      return { saved, details: { expiresOn, previousExpiresOn: previous } };
    });
  }

  /** An admin lapses a current accreditation, with a reason: from now on it denies wherever it is checked. */
  lapse(user: AuthenticatedUser, subject: string, reason: string): Promise<AccreditationView> {
    return this.change(user, subject, 'lapse', async (manager, row) => {
      if (!row)
        throw new IllegalTransitionError('accreditation', 'not on the register', 'lapse', 'set one first');
      if (row.state === 'lapsed') throw new IllegalTransitionError('accreditation', 'lapsed', 'lapse');
      row.state = 'lapsed';
      row.lapsedReason = reason;
      row.updatedBy = user.id;
      const saved = await manager.save(row);
      return { saved, details: { reason, expiresOn: row.expiresOn } };
    });
  }

  private async change(
    user: AuthenticatedUser,
    subject: string,
    action: 'set' | 'renew' | 'lapse',
    apply: (
      manager: EntityManager,
      row: AccreditationEntity | null,
    ) => Promise<{ saved: AccreditationEntity; details: Record<string, unknown> }>,
  ): Promise<AccreditationView> {
    return this.dataSource.transaction(async (manager) => {
      const known = await manager.query<unknown[]>(`SELECT 1 FROM "users" WHERE "subject" = $1 LIMIT 1`, [
        subject,
      ]);
      if (known.length === 0) throw new NotFoundError('Person', subject);
      const row = await manager.findOne(AccreditationEntity, {
        where: { subject },
        lock: { mode: 'pessimistic_write' },
      });
      const { saved, details } = await apply(manager, row);
      await this.audit.append(manager, {
        action: `accreditation.${action === 'set' ? 'set' : action === 'renew' ? 'renewed' : 'lapsed'}`,
        subjectType: 'accreditation',
        subjectId: subject,
        actorId: user.id,
        details,
      });
      return view(saved);
    });
  }
}
