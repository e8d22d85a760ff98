import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { fieldError } from '../components/refusal';

export interface SubmitOptions<TInput, TResult> {
  readonly send: (input: TInput) => Promise<TResult>;
  /** Queries the change makes stale (refetched after a success). */
  readonly invalidates?: readonly QueryKey[];
  readonly onSuccess?: (result: TResult) => void;
}

/**
 * A form's submit: the call, its refusal kept for the page to show in place (the summary at the top and each
 * field's message on the field), and nothing typed lost, since the form's values stay in the form's own state,
 * which a refusal does not touch.
 */
export function useSubmit<TInput, TResult>({
  send,
  invalidates = [],
  onSuccess,
}: SubmitOptions<TInput, TResult>) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: send,
    onSuccess: async (result) => {
      await Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      onSuccess?.(result);
    },
  });
  return {
    submit: (input: TInput) => mutation.mutate(input),
    pending: mutation.isPending,
    /** The refusal of the last submit, or null. */
    refusal: mutation.error,
    /** The API's message for one field of the last refused submit, for the field's own error line. */
    errorFor: (field: string) => fieldError(mutation.error, field),
    reset: mutation.reset,
  };
}
