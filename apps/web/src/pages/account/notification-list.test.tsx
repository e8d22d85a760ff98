import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { inAppPath, NotificationList, type InboxItem } from './notification-list';

const item = (overrides: Partial<InboxItem>): InboxItem => ({
  id: '11111111-1111-4111-8111-111111111111',
  kind: 'application_decided',
  subject: 'A decision has been made on an application',
  line: 'The data access committee has made a decision on an application you are part of.',
  link: '/app/researcher/projects/22222222-2222-4222-8222-222222222222',
  createdAt: '2026-12-05T10:00:00.000Z',
  readAt: null,
  ...overrides,
});

const inRouter = (ui: React.ReactNode) => render(<MemoryRouter>{ui}</MemoryRouter>);

describe('NotificationList', () => {
  it('links each message to its page in the app and marks unread ones in words', () => {
    inRouter(
      <NotificationList
        items={[
          item({}),
          item({
            id: '33333333-3333-4333-8333-333333333333',
            kind: 'output_released',
            subject: 'Outputs have been released',
            line: 'Outputs from a project you are part of have been released.',
            link: '/app/researcher/outputs/44444444-4444-4444-8444-444444444444',
            readAt: '2026-12-05T11:00:00.000Z',
          }),
        ]}
        onRead={() => undefined}
      />,
    );
    const decision = screen.getByRole('link', { name: 'A decision has been made on an application' });
    expect(decision.getAttribute('href')).toBe('/researcher/projects/22222222-2222-4222-8222-222222222222');
    expect(screen.getByRole('link', { name: 'Outputs have been released' }).getAttribute('href')).toBe(
      '/researcher/outputs/44444444-4444-4444-8444-444444444444',
    );
    // One unread: one tag and one "mark as read", named for its message.
    expect(screen.getAllByText('Unread')).toHaveLength(1);
    expect(screen.getAllByRole('button', { name: /Mark as read/ }).map((b) => b.textContent)).toEqual([
      'Mark as read: A decision has been made on an application',
    ]);
  });

  it('marks a message read when it is opened or marked, and not a read one', () => {
    const onRead = vi.fn();
    inRouter(<NotificationList items={[item({})]} onRead={onRead} />);
    fireEvent.click(screen.getByRole('button', { name: /Mark as read/ }));
    expect(onRead).toHaveBeenCalledWith('11111111-1111-4111-8111-111111111111');
    fireEvent.click(screen.getByRole('link', { name: 'A decision has been made on an application' }));
    expect(onRead).toHaveBeenCalledTimes(2);

    const read = vi.fn();
    inRouter(
      <NotificationList
        items={[item({ id: 'x', readAt: '2026-12-05T11:00:00.000Z', subject: 'Read one' })]}
        onRead={read}
      />,
    );
    fireEvent.click(screen.getByRole('link', { name: 'Read one' }));
    expect(read).not.toHaveBeenCalled();
  });

  it('says so when there are no messages', () => {
    inRouter(<NotificationList items={[]} onRead={() => undefined} />);
    expect(screen.getByText('You have no messages.')).toBeTruthy();
  });

  it('takes the /app prefix off links, and only that', () => {
    expect(inAppPath('/app/checker/requests/1')).toBe('/checker/requests/1');
    expect(inAppPath('/app')).toBe('/');
    expect(inAppPath('/apple/x')).toBe('/apple/x');
  });
});
