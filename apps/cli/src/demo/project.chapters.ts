import { loadConfig } from '@tre/core';
import { samplePopulation, seedDatasets, seedSources } from '@tre/datasets';
import { DemoFailure, expectStatus, type DemoChapter } from './demo-context';

/** Enough synthetic people for the approved fields to be k-anonymous, few enough to seed in a second or two. */
const DEMO_PEOPLE = 20_000;

const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Shared between chapters: the project the story follows. */
export const story: { projectId?: string } = {};

/** From catalogue to approval. */
export const projectChapters: DemoChapter[] = [
  {
    title: 'A data custodian registers three linked sources; a direct identifier can never be released as is',
    async run({ call, people, say }) {
      const seeded = await seedSources(loadConfig().databaseUrl, { people: DEMO_PEOPLE, truncate: true });
      say(
        `seeded synthetic sources: ${Object.entries(seeded.rows)
          .map(([table, rows]) => `${table} ${rows} rows`)
          .join(', ')}`,
      );
      const datasets = seedDatasets();
      for (const dataset of datasets) {
        const response = await call(people.custodian, 'POST', '/datasets', dataset);
        if (response.status === 409) {
          // Registered by an earlier run: bring it in line with this run's sources, field by field.
          const patched = await call(people.custodian, 'PATCH', `/datasets/${dataset.code}`, {
            origin: dataset.origin,
            source: dataset.source,
          });
          expectStatus(patched.status, 200, `updating ${dataset.code}`);
          for (const { name, ...field } of dataset.fields) {
            const put = await call(
              people.custodian,
              'PUT',
              `/datasets/${dataset.code}/fields/${name}`,
              field,
            );
            expectStatus(put.status, 200, `updating ${dataset.code}.${name}`);
          }
          say(`${dataset.code} was already in the catalogue; its fields are up to date`);
        } else {
          expectStatus(response.status, 201, `registering ${dataset.code}`);
          say(
            `registered ${dataset.code}: ${dataset.fields.length} fields with their classification and release form`,
          );
        }
      }
      const sample = samplePopulation({ people: DEMO_PEOPLE }, 60).map((person) => person.nhsNumber);
      for (const [list, numbers] of [
        ['national', sample.slice(0, 40)],
        ['type1', sample.slice(40)],
      ] as const) {
        const loaded = await call(
          people.custodian,
          'PUT',
          `/optouts/${list}`,
          `nhs_number\n${numbers.join('\n')}\n`,
          'text/csv',
        );
        expectStatus(loaded.status, 200, `loading the ${list} opt-out list`);
        say(
          `loaded the ${list} opt-out list: ${numbers.length} people (the numbers never appear in logs or the audit trail)`,
        );
      }
      const unsafe = await call(people.custodian, 'POST', '/datasets', {
        ...datasets[0],
        code: 'UNSAFE_DEMO',
        fields: datasets[0].fields.map((f) => (f.name === 'nhs_number' ? { ...f, releaseForm: 'keep' } : f)),
      });
      expectStatus(unsafe.status, 400, 'registering a direct identifier as keep');
      say(
        `a direct identifier as "keep" -> ${unsafe.status}: ${(unsafe.body as { message: string }).message}`,
      );
    },
  },
  {
    title: 'A researcher applies for a project and submits it',
    async run({ call, people, say }) {
      const created = await call(people.researcher, 'POST', '/projects', {
        title: 'Asthma admissions and air quality',
        laySummary:
          'We will look at whether children in areas with dirtier air are admitted to hospital with asthma more often.',
        scientificPurpose:
          'Estimate the association between district-level NO2 exposure and asthma admissions in children.',
        publicBenefit: 'Evidence for clean-air policy near schools and for targeting asthma support.',
        organisation: 'University of Exampleshire',
        requestedEndDate: inDays(365),
        accreditationExpiresOn: inDays(400),
        members: [],
        datasets: [
          {
            datasetCode: 'GP_REGISTRATIONS',
            fields: ['nhs_number', 'date_of_birth', 'postcode', 'sex', 'practice_code', 'registration_date'],
            legalBasis: 's251',
          },
          {
            datasetCode: 'HES_APC',
            fields: ['nhs_number', 'admission_date', 'diagnosis'],
            legalBasis: 's251',
          },
        ],
      });
      expectStatus(created.status, 201, 'drafting the application');
      story.projectId = (created.body as { id: string }).id;
      say(`drafted project ${story.projectId}`);
      expectStatus(
        (await call(people.researcher, 'POST', `/projects/${story.projectId}/submit`)).status,
        204,
        'submitting',
      );
      say('submitted: the application is frozen as version 1');
    },
  },
  {
    title: 'Two DAC members vote blind; the second approval approves it, narrowed',
    async run({ call, people, say }) {
      const id = story.projectId!;
      const first = await call(people.reviewer, 'POST', `/projects/${id}/votes`, {
        decision: 'approve',
        comment:
          'Proportionate. Date of birth and postcode district are not needed and would make people stand out.',
        fields: [
          {
            datasetCode: 'GP_REGISTRATIONS',
            fields: ['nhs_number', 'sex', 'practice_code', 'registration_date'],
          },
        ],
        conditions: ['No attempt to re-identify anyone'],
      });
      expectStatus(first.status, 200, 'first vote');
      say(
        `${people.reviewer.name} approves, without date of birth and postcode -> ${JSON.stringify(first.body)}`,
      );
      const own = await call(people.researcher, 'GET', `/projects/${id}/votes`);
      say(`the researcher sees the votes? ${JSON.stringify(own.body)}`);
      const selfVote = await call(people.researcher, 'POST', `/projects/${id}/votes`, {
        decision: 'approve',
        comment: 'mine',
      });
      say(
        `the researcher tries to vote (only DAC members vote, and never on their own project) -> ${selfVote.status}`,
      );
      const second = await call(people.secondReviewer, 'POST', `/projects/${id}/votes`, {
        decision: 'approve',
        comment: 'Agreed.',
        conditions: ['Annual progress report'],
      });
      expectStatus(second.status, 200, 'second vote');
      say(`${people.secondReviewer.name} approves -> ${JSON.stringify(second.body)}`);
      const project = await call(people.researcher, 'GET', `/projects/${id}`);
      const approval = (
        project.body as {
          approval: { datasets: { code: string; fields: string[] }[]; conditions: string[]; endDate: string };
        }
      ).approval;
      for (const dataset of approval.datasets) say(`approved ${dataset.code}: ${dataset.fields.join(', ')}`);
      say(`conditions: ${approval.conditions.join('; ')}; until ${approval.endDate}`);
    },
  },
];

/** After the extract: what the public and the project see. */
export const publicRecordChapters: DemoChapter[] = [
  {
    title: 'The public register shows it to anyone, with no token',
    async run({ call, say }) {
      const register = await call(undefined, 'GET', '/register?pageSize=100');
      expectStatus(register.status, 200, 'reading the register');
      const entry = (
        register.body as {
          items: {
            id: string;
            title: string;
            organisation: string;
            datasets: { code: string; legalBasis: string }[];
          }[];
        }
      ).items.find((item) => item.id === story.projectId);
      if (!entry) throw new DemoFailure('the approved project is missing from the register');
      say(
        `"${entry.title}" by ${entry.organisation}: ${entry.datasets.map((d) => `${d.code} (${d.legalBasis})`).join(', ')}`,
      );
      const timeline = await call(undefined, 'GET', '/register/csv');
      say(`also as CSV: ${timeline.status === 200 ? 'GET /register/csv' : `failed (${timeline.status})`}`);
    },
  },
  {
    title: "The project's timeline, from the audit trail",
    async run({ call, people, say }) {
      const timeline = await call(people.researcher, 'GET', `/projects/${story.projectId}/timeline`);
      expectStatus(timeline.status, 200, 'reading the timeline');
      for (const event of (timeline.body as { items: { seq: number; action: string; occurredAt: string }[] })
        .items) {
        say(`#${event.seq} ${event.occurredAt} ${event.action}`);
      }
    },
  },
];
