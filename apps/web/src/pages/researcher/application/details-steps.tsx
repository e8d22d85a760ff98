import { Button, Select, Textarea, TextInput } from 'nhsuk-react-components';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/api-error';
import { RefusalSummary } from '../../../components/refusal';
import { inputIdOf, type ApplicationForm } from './application-model';
import type { StepProps } from './data-step';

type TextKey = 'title' | 'organisation' | 'scientificPurpose' | 'laySummary' | 'publicBenefit';

/** Purpose, lay summary (published in the register), public benefit, title and organisation. */
export function AboutStep({ form, change, errorFor }: StepProps) {
  const text = (key: TextKey) => ({
    id: inputIdOf(key),
    value: form[key],
    error: errorFor(key),
    onChange: (event: { target: { value: string } }) => change((f) => ({ ...f, [key]: event.target.value })),
  });
  return (
    <>
      <h2>About the project</h2>
      <TextInput label="Title" {...text('title')} />
      <TextInput label="Organisation" {...text('organisation')} />
      <Textarea
        label="Scientific purpose"
        hint="What you will study and how."
        rows={6}
        {...text('scientificPurpose')}
      />
      <Textarea
        label="Lay summary"
        hint="In plain words for the public: it is published in the data uses register."
        rows={4}
        {...text('laySummary')}
      />
      <Textarea
        label="Public benefit"
        hint="Who will benefit, and how."
        rows={4}
        {...text('publicBenefit')}
      />
    </>
  );
}

const DATE_HINT = 'Written YYYY-MM-DD, for example 2027-12-31.';

/** The lead's accreditation, the other members (by their sign-in name) and the end date asked for. */
export function PeopleStep({ form, change, errorFor }: StepProps) {
  const setMember = (index: number, update: Partial<ApplicationForm['members'][number]>) =>
    change((f) => ({ ...f, members: f.members.map((m, i) => (i === index ? { ...m, ...update } : m)) }));
  return (
    <>
      <h2>People and dates</h2>
      <TextInput
        id={inputIdOf('requestedEndDate')}
        label="End date you are asking for"
        hint={DATE_HINT}
        inputMode="numeric"
        value={form.requestedEndDate}
        error={errorFor('requestedEndDate')}
        onChange={(event) => change((f) => ({ ...f, requestedEndDate: event.target.value }))}
      />
      <TextInput
        id={inputIdOf('accreditationExpiresOn')}
        label="When your own accreditation expires"
        hint={DATE_HINT}
        inputMode="numeric"
        value={form.accreditationExpiresOn}
        error={errorFor('accreditationExpiresOn')}
        onChange={(event) => change((f) => ({ ...f, accreditationExpiresOn: event.target.value }))}
      />
      <h3>Other members</h3>
      <p>You are the lead. Add the other people who will work in the project&apos;s workspace.</p>
      {form.members.map((member, index) => (
        <fieldset key={index} className="nhsuk-fieldset app-member">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Member {index + 1}</legend>
          <TextInput
            id={inputIdOf(`members.${index}.subject`)}
            label={`Member ${index + 1}: sign-in name`}
            value={member.subject}
            error={errorFor(`members.${index}.subject`)}
            onChange={(event) => setMember(index, { subject: event.target.value })}
          />
          <TextInput
            id={inputIdOf(`members.${index}.accreditationExpiresOn`)}
            label={`Member ${index + 1}: accreditation expires on`}
            hint={DATE_HINT}
            value={member.accreditationExpiresOn}
            error={errorFor(`members.${index}.accreditationExpiresOn`)}
            onChange={(event) => setMember(index, { accreditationExpiresOn: event.target.value })}
          />
          <Button
            type="button"
            secondary
            onClick={() => change((f) => ({ ...f, members: f.members.filter((_, i) => i !== index) }))}
          >
            Remove member {index + 1}
          </Button>
        </fieldset>
      ))}
      <Button
        type="button"
        secondary
        onClick={() =>
          change((f) => ({ ...f, members: [...f.members, { subject: '', accreditationExpiresOn: '' }] }))
        }
      >
        Add a member
      </Button>
    </>
  );
}

/** Kubernetes quantities in words: "8Gi" as "8 GiB", "500m" CPU as "0.5". */
const bytesWords = (quantity: string): string => quantity.replace(/^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti)$/, '$1 $2B');
const cpuWords = (quantity: string): string => {
  const milli = /^(\d+)m$/.exec(quantity);
  const cpus = milli ? Number(milli[1]) / 1000 : Number(quantity);
  return `${cpus} ${cpus === 1 ? 'CPU' : 'CPUs'}`;
};

/**
 * The workspace's size and tool, from what this deployment offers (`/workspace-options`), so the form never
 * offers what the API would refuse; left alone, the service's default (or what the draft already holds).
 */
export function WorkspaceStep({ form, change, errorFor }: StepProps) {
  const options = useQuery({
    queryKey: ['workspace-options'],
    queryFn: () => unwrap(api.GET('/workspace-options')),
    staleTime: Infinity,
  });
  const sizes = options.data?.sizes ?? [];
  const tools = options.data?.tools ?? [];
  const defaultOf = <T extends { name: string; isDefault: boolean }>(
    list: T[],
    words: (item: T) => string,
  ) => {
    const found = list.find((item) => item.isDefault);
    return found ? `The service's default (${words(found)})` : "The service's default";
  };
  const sizeWords = (size: (typeof sizes)[number]) =>
    `${size.name}: ${cpuWords(size.cpu)}, ${bytesWords(size.memory)} memory, ${bytesWords(size.dataStorage)} for data, ${bytesWords(size.outputsStorage)} for outputs`;
  return (
    <>
      <h2>Workspace</h2>
      {options.isError && <RefusalSummary error={options.error} />}
      <Select
        id={inputIdOf('workspace.size')}
        label="Workspace size"
        value={form.workspace.size}
        error={errorFor('workspace.size') ?? errorFor('workspace')}
        onChange={(event) =>
          change((f) => ({ ...f, workspace: { ...f.workspace, size: event.target.value } }))
        }
      >
        <Select.Option value="">{defaultOf(sizes, (size) => size.name)}</Select.Option>
        {sizes.map((size) => (
          <Select.Option key={size.name} value={size.name}>
            {sizeWords(size)}
          </Select.Option>
        ))}
        {/* A draft may hold a choice this deployment no longer offers: kept visible, so it is not lost silently. */}
        {form.workspace.size && !sizes.some((size) => size.name === form.workspace.size) && (
          <Select.Option value={form.workspace.size}>{form.workspace.size} (not offered now)</Select.Option>
        )}
      </Select>
      <Select
        id={inputIdOf('workspace.tool')}
        label="Analysis tool"
        value={form.workspace.tool}
        error={errorFor('workspace.tool')}
        onChange={(event) =>
          change((f) => ({ ...f, workspace: { ...f.workspace, tool: event.target.value } }))
        }
      >
        <Select.Option value="">{defaultOf(tools, (tool) => tool.label)}</Select.Option>
        {tools.map((tool) => (
          <Select.Option key={tool.name} value={tool.name}>
            {tool.label}
          </Select.Option>
        ))}
        {form.workspace.tool && !tools.some((tool) => tool.name === form.workspace.tool) && (
          <Select.Option value={form.workspace.tool}>{form.workspace.tool} (not offered now)</Select.Option>
        )}
      </Select>
    </>
  );
}
