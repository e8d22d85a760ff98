import { Logger } from '@nestjs/common';
import type { AppConfig } from '@tre/core';
import { Mailer } from './mailer';

const mailer = (smtpUrl: string) =>
  new Mailer({ smtpUrl, mailFrom: 'TRE <no-reply@example.test>' } as unknown as AppConfig);

describe('Mailer', () => {
  let said: string[];
  beforeEach(() => {
    said = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      said.push(String(message));
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('says at start that email is off when SMTP_URL is not set, and sends nothing', async () => {
    const off = mailer('');
    off.onModuleInit();
    expect(off.enabled).toBe(false);
    expect(said).toEqual([
      'Email notifications are off (SMTP_URL is not set): the in-app inbox gets them all',
    ]);
    await expect(off.send('a@example.test', { subject: 's', text: 't' })).rejects.toThrow(/off/);
  });

  it("names the server it sends through, never the URL's password", () => {
    mailer('smtp://tre:s3cret@mail.example.test:587').onModuleInit();
    expect(said).toEqual(['Email notifications go through smtp://mail.example.test:587']);
  });
});
