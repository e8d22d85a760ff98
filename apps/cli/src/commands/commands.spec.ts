import { Command } from 'commander';
import { chosenCommand, COMMANDS } from '.';

describe('the command registry', () => {
  it.each(COMMANDS.map((entry) => [entry.name, entry] as const))(
    '%s: its module registers that command with the summary `tre --help` shows',
    async (name, entry) => {
      const program = new Command('tre');
      (await entry.load())(program);
      expect(program.commands.map((command) => [command.name(), command.description()])).toEqual([
        [name, entry.summary],
      ]);
    },
    // The demo's module loads the whole application; under jest that alone can take half a minute.
    120_000,
  );

  it('picks the command an argument list runs', () => {
    expect(chosenCommand(['sdc', 'table', '--json'])).toBe('sdc');
    expect(chosenCommand(['--help'])).toBeUndefined();
    expect(chosenCommand([])).toBeUndefined();
    expect(chosenCommand(['help', 'audit'])).toBe('audit');
  });
});
