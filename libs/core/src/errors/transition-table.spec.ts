import { IllegalTransitionError } from './domain-error';
import { lifecycle } from './transition-table';

describe('lifecycle', () => {
  const door = lifecycle<'open' | 'shut' | 'gone', 'shut_it' | 'open_it' | 'remove'>('door', {
    open: { shut_it: 'shut' },
    shut: { open_it: 'open', remove: 'gone' },
    gone: {},
  });

  it('follows the table', () => {
    expect(door.next('open', 'shut_it')).toBe('shut');
    expect(door.next('shut', 'remove')).toBe('gone');
    expect(door.allowed('shut')).toEqual(['open_it', 'remove']);
  });

  it('refuses what the table does not list, saying what is allowed instead', () => {
    expect(() => door.next('open', 'remove')).toThrow(IllegalTransitionError);
    expect(() => door.next('open', 'remove')).toThrow(
      'Cannot remove a door that is open: from open it can only shut it',
    );
  });

  it('says when a state is final', () => {
    expect(() => door.next('gone', 'open_it')).toThrow('Cannot open it a door that is gone: gone is final');
  });
});
