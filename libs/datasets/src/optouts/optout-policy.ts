import type { DatasetOrigin } from '../catalogue/catalogue.types';
import type { OptOutList } from './optout.types';

/**
 * Which opt-out lists apply to one dataset flow, from its legal basis and where its data comes from. Kept
 * here (not in projects) because the extract applies it; the names match the projects' LEGAL_BASES.
 *
 * National data opt-out (NHS England's operational policy): it applies to confidential patient information
 * used for research and planning under section 251 support (`s251`). It does not apply where the patient
 * consented, where the data are anonymised, where the law requires the disclosure, or where the Confidentiality
 * Advisory Group's support exempts the flow (`s251_cag_exempt`). It does not apply either to `public_health_reg3`
 * (regulation 3 of the COPI Regulations 2002, communicable disease and other risks to public health): the policy
 * lists that regulation among the exemptions, because a surveillance gap would put others at risk.
 *
 * Type 1 opt-out: an objection registered with the GP to identifiable data leaving the practice for purposes
 * beyond direct care, so it follows data of GP origin whatever the basis, except where the patient consented,
 * the data are anonymised, or the law requires the disclosure (which an objection cannot override).
 */
const NATIONAL_APPLIES = new Set(['s251']);
const NATIONAL_EXEMPT = new Set([
  'consent',
  's251_cag_exempt',
  'public_health_reg3',
  'legal_requirement',
  'anonymised',
]);
const TYPE1_EXEMPT = new Set(['consent', 'legal_requirement', 'anonymised']);

/** Every legal basis the table knows. */
export const OPT_OUT_LEGAL_BASES: readonly string[] = [...NATIONAL_APPLIES, ...NATIONAL_EXEMPT];

/** Throws on a basis it does not know, rather than guessing that no opt-out applies. */
export function optOutListsFor(legalBasis: string, origin: DatasetOrigin): OptOutList[] {
  if (!NATIONAL_APPLIES.has(legalBasis) && !NATIONAL_EXEMPT.has(legalBasis)) {
    throw new RangeError(`Unknown legal basis ${legalBasis}: cannot tell which opt-outs apply`);
  }
  const lists: OptOutList[] = [];
  if (NATIONAL_APPLIES.has(legalBasis)) lists.push('national');
  if (origin === 'gp' && !TYPE1_EXEMPT.has(legalBasis)) lists.push('type1');
  return lists;
}
