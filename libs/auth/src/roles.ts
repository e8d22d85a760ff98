export const ROLES = [
  'researcher',
  'dac_member',
  'output_checker',
  'data_custodian',
  'admin',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
