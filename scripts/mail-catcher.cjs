// A local SMTP server for development that prints every email it receives instead of delivering it, so the
// notification emails can be read without a real mail server:
//   npm run mail:catch                 listen on 127.0.0.1:1025 (MAIL_CATCHER_PORT to change it)
//   SMTP_URL=smtp://127.0.0.1:1025 npm run start:worker    (or npm run demo -- --serve)
// It is the `smtp-server` package the tests use (a development dependency): no TLS, no login, local only.
'use strict';
const { SMTPServer } = require('smtp-server');

const port = Number(process.env.MAIL_CATCHER_PORT || 1025);
const unfold = (text) =>
  text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      const raw = unfold(Buffer.concat(chunks).toString('utf8'));
      const [head, ...body] = raw.split(/\r?\n\r?\n/);
      const subject = /^Subject: (.*)$/m.exec(head)?.[1] ?? '';
      const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
      process.stdout.write(
        `\n--- ${new Date().toISOString()} to ${to}: ${subject}\n${body.join('\n\n').trim()}\n`,
      );
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () =>
  process.stdout.write(`Catching email on smtp://127.0.0.1:${port} (Ctrl-C to stop)\n`),
);
