import { Select } from 'nhsuk-react-components';
import type { Role } from '../auth/session';
import { useSession } from '../auth/session';

const ROLE_NAMES: Record<Role, string> = {
  researcher: 'Researcher',
  dac_member: 'Data access committee member',
  output_checker: 'Output checker',
  data_custodian: 'Data custodian',
  admin: 'Administrator',
  auditor: 'Auditor',
};

export const roleName = (role: Role): string => ROLE_NAMES[role];

/**
 * For people holding several roles: the role the pages act in. Changing it changes what the pages offer,
 * not what the API allows (the token carries every role; the API checks each call).
 */
export function RoleSwitch() {
  const session = useSession();
  if (!session.me) return null;
  return (
    <div className="app-account-bar">
      <Select
        label="Acting as"
        id="active-role"
        value={session.activeRole ?? undefined}
        onChange={(event) => session.switchRole(event.target.value as Role)}
        formGroupProps={{ className: 'nhsuk-u-margin-bottom-0' }}
      >
        {session.me.roles.map((role) => (
          <Select.Option key={role} value={role}>
            {roleName(role)}
          </Select.Option>
        ))}
      </Select>
    </div>
  );
}
