import { useState } from 'react';
import { errorMessage } from '../errorMessage';
import { useToasts } from '../toasts';

/**
 * A Settings action that installs or changes something: busy while it runs, its error shown until
 * the next success, a toast saying what was done, and the section's data read again.
 */
export function useSettingsAction(reload: () => void) {
  const toasts = useToasts();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async <T,>(action: () => Promise<T>, done: string | ((result: T) => string)): Promise<void> => {
    setBusy(true);
    try {
      const result = await action();
      toasts.info(typeof done === 'string' ? done : done(result));
      setError(null);
      reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
