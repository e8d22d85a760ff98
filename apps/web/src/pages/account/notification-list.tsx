import { Link } from 'react-router';
import type { Schemas } from '../../api/client';

export type InboxItem = Schemas['InboxNotificationDto'];

/** The web app's routes sit under /app; a message's link is a path there, given to the router without it. */
export const inAppPath = (link: string): string => link.replace(/^\/app(?=\/|$)/, '') || '/';

const when = (iso: string): string =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export interface NotificationListProps {
  readonly items: readonly InboxItem[];
  /** Called when a message is opened or marked as read (only for unread ones). */
  readonly onRead: (id: string) => void;
}

/**
 * The inbox's messages, newest first: each says what happened in a fixed sentence and links to the page it is
 * about. Unread ones are marked in words (not by colour alone) and can be marked read without opening them.
 */
export function NotificationList({ items, onRead }: NotificationListProps) {
  if (items.length === 0) return <p>You have no messages.</p>;
  return (
    <ul className="nhsuk-list nhsuk-list--border">
      {items.map((item) => {
        const unread = item.readAt === null;
        return (
          <li key={item.id}>
            <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
              {unread && <strong className="nhsuk-tag nhsuk-tag--blue nhsuk-u-margin-right-2">Unread</strong>}
              <Link to={inAppPath(item.link)} onClick={() => unread && onRead(item.id)}>
                {item.subject}
              </Link>
            </h2>
            <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">{item.line}</p>
            <p className="nhsuk-body-s nhsuk-u-secondary-text-color nhsuk-u-margin-bottom-1">
              {when(item.createdAt)}
            </p>
            {unread && (
              <button
                type="button"
                className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-2"
                onClick={() => onRead(item.id)}
              >
                Mark as read<span className="nhsuk-u-visually-hidden">: {item.subject}</span>
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
