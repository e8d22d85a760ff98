/**
 * Small vocabularies for synthetic people: common UK forenames and surnames, real postcode districts across
 * the four nations, ICD-10 codes seen often in hospital episodes and death registrations. Realistic enough
 * that the residual-identifier scanner and the release forms meet the shapes they will meet in real sources;
 * every person made from them is fictional. Written as word lists so they stay readable at a glance.
 */

const words = (text: string): readonly string[] => text.trim().split(/\s+/);

export const FEMALE_FORENAMES = words(`
  Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Emily Poppy Ella Evie Charlotte
  Florence Sienna Phoebe Margaret Susan Patricia Elizabeth Sarah Helen Karen Julie Janet Joan Dorothy Jean
  Shirley Pauline Angela Claire Nicola Emma Rebecca Laura Hannah Aisha Fatima Priya Siobhan Niamh Eilidh
  Catrin Bethan Zara`);

export const MALE_FORENAMES = words(`
  Oliver George Arthur Noah Muhammad Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie Thomas James
  William Alfie Joshua Jacob John David Michael Peter Robert Paul Stephen Andrew Mark Richard Christopher Ian
  Gary Kevin Brian Kenneth Ronald Graham Daniel Matthew Ahmed Ravi Sanjay Ciaran Sean Callum Euan Rhys Dylan
  Tomasz`);

export const SURNAMES = words(`
  Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker White
  Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper Hill Ward Hughes Moore
  Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis Parker James Bennett Young Phillips
  Richardson Mitchell Bailey Carter Cook Singh Shaw Bell Collins Morgan Kelly Begum Miller Cox Hussain Marshall
  Simpson Price Anderson Adams Wilkinson Ali Ahmed Foster Ellis Murphy Chapman Mason Gray Richards Webb
  Griffiths Hunt O'Brien MacDonald Campbell Stewart Nowak Okafor Chen`);

/** Outward codes (area + district) that exist; each passes safe-data's UK postcode pattern (a spec checks). */
export const POSTCODE_DISTRICTS = words(`
  LS6 LS11 M14 M20 B15 B29 SW1A SW9 SE15 E14 N7 NW3 W2 W1T EC1V WC1N CR0 BR1 EH3 EH11 G12 G41 AB10 DD1 CF10
  CF24 SA1 LL57 BT7 BT9 BS8 BS5 NE1 NE6 L8 L15 S10 S2 NG7 OX4 CB2 LE1 LE4 PL4 EX4 YO10 HU5 SO17 BN2 CV4 DE22
  ST4 WV1 RG1 MK9 NR2 IP4 CT1 TR1 LA1 PR1 BD7 HD1 WF1 DN1 SR1 TS1 DH1 CA1 BB1 BL1 OL1 WN1 WA1 CH1 TF1`);

/** Letters the inward code's unit may use (never C I K M O V). */
export const INWARD_UNIT_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** Frequent primary diagnoses of admitted patient care, as ICD-10 codes with the dot. */
export const ADMISSION_DIAGNOSES = words(`
  I21.4 I48.9 I50.0 I63.9 I10 J18.9 J44.1 J45.9 J22 K35.8 K80.2 K57.3 K52.9 N39.0 N17.9 E11.9 E86 R07.4
  R10.4 R55 S72.0 S06.0 S52.5 M17.1 M16.1 O80.9 O70.0 C50.9 C34.9 C18.7 C61 F10.0 F32.9 G40.9 L03.1 A41.9
  H25.9 Z51.1 D50.9 T81.4`);

/** Frequent underlying causes of death. */
export const CAUSES_OF_DEATH = words(`
  F03 G30.9 I25.1 I21.9 I64 I50.9 J44.9 J18.9 C34.9 C18.9 C50.9 C61 C25.9 C80.9 E14.9 K70.3 N18.9 A41.9
  U07.1 X59 R54 I48.9 G12.2 J84.1`);

/** ICD-10 shape: a letter, two digits, optionally a dot and one digit. */
export const ICD10_PATTERN = /^[A-Z][0-9]{2}(\.[0-9])?$/;

/** First letters of GP practice codes (an ODS code: a letter and five digits). */
export const PRACTICE_CODE_LETTERS = 'ABCDEFGHJKLMNPY';
