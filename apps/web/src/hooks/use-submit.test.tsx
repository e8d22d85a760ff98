import { fireEvent, render, screen } from '@testing-library/react';
import { Button, TextInput } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error';
import { RefusalSummary } from '../components/refusal';
import { withQueryClient } from '../test-support';
import { useSubmit } from './use-submit';

/** A form as the researcher's and part 2's pages build them: values in state, the refusal in place. */
function TitleForm({ send }: { send: (input: { title: string; summary: string }) => Promise<void> }) {
  const [values, setValues] = useState({ title: '', summary: '' });
  const { submit, refusal, errorFor } = useSubmit({ send });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(values);
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      {refusal && <RefusalSummary error={refusal} fieldIds={{ title: 'title' }} />}
      <TextInput
        id="title"
        label="Title"
        value={values.title}
        error={errorFor('title')}
        onChange={(event) => setValues({ ...values, title: event.target.value })}
      />
      <TextInput
        id="summary"
        label="Lay summary"
        value={values.summary}
        error={errorFor('summary')}
        onChange={(event) => setValues({ ...values, summary: event.target.value })}
      />
      <Button type="submit">Save</Button>
    </form>
  );
}

const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('useSubmit', () => {
  it('shows a 400 on the field it is about and in the summary, and keeps everything typed', async () => {
    const send = async () => {
      throw ApiError.fromBody(400, {
        code: 'validation_failed',
        message: 'Invalid request: title',
        details: { fields: { title: ['title must be shorter than or equal to 200 characters'] } },
      });
    };
    render(withQueryClient(<TitleForm send={send} />));
    type('Title', 'x'.repeat(201));
    type('Lay summary', 'What we will do, in plain words');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByRole('link', { name: 'title must be shorter than or equal to 200 characters' });
    // On the field itself (nhsuk's error message, tied to the input).
    const title = screen.getByRole('textbox', { name: 'Title' });
    expect(title.getAttribute('aria-describedby')).toContain('title--error-message');
    expect(document.getElementById('title--error-message')?.textContent).toContain('title must be shorter');
    // Nothing lost.
    expect((title as HTMLInputElement).value).toBe('x'.repeat(201));
    expect(screen.getByLabelText<HTMLInputElement>('Lay summary').value).toBe(
      'What we will do, in plain words',
    );
  });

  it("shows a 409's reason as the summary, the form still filled in", async () => {
    const send = async () => {
      throw ApiError.fromBody(409, {
        code: 'illegal_transition',
        message: 'Cannot edit a project that is in_review',
      });
    };
    render(withQueryClient(<TitleForm send={send} />));
    type('Title', 'Asthma and air quality');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Cannot edit a project that is in_review');
    expect(screen.getByRole('heading', { name: 'This cannot be done now' })).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('Title').value).toBe('Asthma and air quality');
  });
});
