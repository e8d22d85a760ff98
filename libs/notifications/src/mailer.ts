import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import type { EmailMessage } from './notification-kinds';

/**
 * Sends email through the SMTP server SMTP_URL names (nodemailer's SMTP transport), from MAIL_FROM. With no
 * SMTP_URL there is no email at all, which the process says once at start; the inbox works either way.
 */
@Injectable()
export class Mailer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(Mailer.name);
  private transport?: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.smtpUrl !== '';
  }

  onModuleInit(): void {
    if (!this.enabled) {
      this.logger.log('Email notifications are off (SMTP_URL is not set): the in-app inbox gets them all');
      return;
    }
    // The server's address only: the URL may hold a password.
    const url = new URL(this.config.smtpUrl);
    this.logger.log(`Email notifications go through ${url.protocol}//${url.host}`);
  }

  async send(to: string, message: EmailMessage): Promise<void> {
    if (!this.enabled) throw new Error('Email is off: SMTP_URL is not set');
    this.transport ??= createTransport({
      url: this.config.smtpUrl,
      // A server that does not answer fails the attempt (and the job retries) rather than holding a worker.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as Parameters<typeof createTransport>[0]);
    await this.transport.sendMail({ from: this.config.mailFrom, to, ...message });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
