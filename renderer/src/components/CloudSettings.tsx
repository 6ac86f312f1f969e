import { useState, type FormEvent } from 'react';
import type { CloudCheck, CloudSchemaDiff, CloudStatus, SettingsView } from '../../../main/core/contract/index';
import { errorMessage } from '../errorMessage';
import { LocalOnlyNote } from './LocalOnlyNote';
import { useStudioData } from '../hooks/useStudioData';
import { studio } from '../studio';
import { useToasts } from '../toasts';

const keyText = (s: CloudStatus) =>
  s.keySource === 'env'
    ? 'Set by INFERENCE_API_KEY for this run (it wins over a saved key).'
    : s.keySource === 'stored'
      ? s.keyStore === 'os-encrypted'
        ? 'Saved, encrypted by the operating system.'
        : 'Saved in a file only your user can read.'
      : 'No key yet.';

/**
 * inference.sh account: the key goes in and never comes back out (the page only learns where a
 * key comes from), the service address, and a check that calls the service with the key.
 */
export function CloudSettings({ view, onSaved }: { view: SettingsView; onSaved: (v: SettingsView) => void }) {
  const toasts = useToasts();
  const status = useStudioData(() => studio().cloud.status({}), []);
  const [key, setKey] = useState('');
  const [baseUrl, setBaseUrl] = useState(view.settings.cloudBaseUrl ?? '');
  const [check, setCheck] = useState<CloudCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [diffs, setDiffs] = useState<CloudSchemaDiff[] | null>(null);

  const saveKey = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await studio().cloud.setKey({ key });
      setKey('');
      setError(null);
      status.reload();
      toasts.info('API key saved.');
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const clearKey = async () => {
    await studio().cloud.clearKey({});
    status.reload();
    setCheck(null);
  };
  const saveUrl = async () => {
    try {
      onSaved(await studio().settings.update({ patch: { cloudBaseUrl: baseUrl.trim() === '' ? null : baseUrl.trim() } }));
      setError(null);
      status.reload();
      toasts.info('API address saved.');
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const runCheck = async () => {
    setChecking(true);
    try {
      setCheck(await studio().cloud.check({}));
    } finally {
      setChecking(false);
    }
  };

  const compareSchemas = async () => {
    try {
      setDiffs(await Promise.all([studio().cloud.schemaDiff({ app: 's2v' }), studio().cloud.schemaDiff({ app: 'animate' })]));
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const s = status.data;
  return (
    <div className="settings-form" data-testid="cloud-settings">
      {s && (
        <dl className="facts wide">
          <div className="fact">
            <dt>API key</dt>
            <dd data-testid="cloud-key-status">
              {s.keyProblem ? (
                <span className="error-text" data-testid="cloud-key-problem">
                  {s.keyProblem}
                </span>
              ) : (
                keyText(s)
              )}
            </dd>
          </div>
          <div className="fact">
            <dt>API address</dt>
            <dd data-testid="cloud-base-url">
              {s.baseUrl} {s.baseUrlSource === 'env' && <span className="muted">(from INFERENCE_BASE_URL)</span>}
            </dd>
          </div>
        </dl>
      )}
      <form className="row" onSubmit={(e) => void saveKey(e)}>
        <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} placeholder="inf_…" aria-label="inference.sh API key" data-testid="cloud-key-input" />
        <button type="submit" className="primary" disabled={key.trim() === ''}>
          Save key
        </button>
        {/* Also when the saved key belongs to another address or INFERENCE_API_KEY wins over it: it can still be removed. */}
        {s?.keySaved && (
          <button type="button" className="danger-text" onClick={() => void clearKey()} data-testid="cloud-key-remove">
            Remove saved key
          </button>
        )}
      </form>
      {view.app.transport === 'ws' ? (
        <LocalOnlyNote what="The API address" setting="cloudBaseUrl" why="it decides where your API key is sent" />
      ) : (
        <div className="row">
          <input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://api.inference.sh" aria-label="API address" spellCheck={false} />
          <button type="button" onClick={() => void saveUrl()}>
            Save address
          </button>
        </div>
      )}
      <div className="row">
        <button type="button" onClick={() => void runCheck()} disabled={checking} data-testid="cloud-check">
          {checking ? 'Checking…' : 'Check connection'}
        </button>
        {check && (
          <span className={check.ok ? 'ok-text' : 'error-text'} data-testid="cloud-check-result">
            {check.message}
          </span>
        )}
      </div>
      <div className="row">
        <button type="button" onClick={() => void compareSchemas()} data-testid="cloud-schema">
          Compare app parameters with the live service
        </button>
      </div>
      {diffs && (
        <ul className="schema-diffs" data-testid="cloud-schema-result">
          {diffs.map((d) => (
            <li key={d.app}>
              <strong>{d.app}</strong>:{' '}
              {d.differences.length === 0
                ? 'matches the studio.'
                : d.differences.map((x) => `${x.field} (${x.kind.replace(/_/g, ' ')}: studio ${x.ours ?? '-'}, service ${x.theirs ?? '-'})`).join('; ')}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
