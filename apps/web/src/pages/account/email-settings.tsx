import { useQuery } from '@tanstack/react-query';
import { Button, Radios } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { useSubmit } from '../../hooks/use-submit';

const SETTINGS_KEY = ['me', 'notification-settings'] as const;

/** Email on or off for the person's messages; the inbox gets them either way. */
export function EmailSettings() {
  const settings = useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: () => unwrap(api.GET('/me/notification-settings')),
  });
  return (
    <section aria-labelledby="email-heading">
      <h2 id="email-heading">Emails about your messages</h2>
      <QueryState query={settings} what="Loading your email settings">
        {(data) => <EmailForm {...data} />}
      </QueryState>
    </section>
  );
}

/** The choice starts from the saved setting and stays the person's own while they change it. */
function EmailForm(props: {
  emailNotifications: boolean;
  emailAddress: string | null;
  emailAvailable: boolean;
}) {
  const [choice, setChoice] = useState(props.emailNotifications ? 'on' : 'off');
  const [saved, setSaved] = useState(false);
  const save = useSubmit({
    send: (emailNotifications: boolean) =>
      unwrap(api.PUT('/me/notification-settings', { body: { emailNotifications } })),
    invalidates: [SETTINGS_KEY],
    onSuccess: () => setSaved(true),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.submit(choice === 'on');
  };
  return (
    <>
      {!props.emailAvailable && (
        <p>This service does not send emails at the moment. Your messages are all here.</p>
      )}
      {props.emailAvailable && !props.emailAddress && (
        <p>We do not have an email address for you, so your messages are only here.</p>
      )}
      {props.emailAddress && (
        <p>
          We email <strong>{props.emailAddress}</strong>, the address your sign-in gives us. Emails only say
          that there is a message and link to it.
        </p>
      )}
      {save.refusal && <RefusalSummary error={save.refusal} />}
      <form onSubmit={onSubmit} noValidate>
        <Radios legend="Email me when I get a message" id="email-notifications" name="email-notifications">
          <Radios.Item value="on" checked={choice === 'on'} onChange={() => setChoice('on')}>
            Yes, email me
          </Radios.Item>
          <Radios.Item value="off" checked={choice === 'off'} onChange={() => setChoice('off')}>
            No, only show them here
          </Radios.Item>
        </Radios>
        <Button type="submit" disabled={save.pending}>
          Save email setting
        </Button>
        {saved && <p role="status">Your email setting is saved.</p>}
      </form>
    </>
  );
}
