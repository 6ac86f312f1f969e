/**
 * Why some settings are read-only in a browser page: they decide which programs run on the
 * studio's computer and where the API key is sent, so only the app window and the command line
 * on that computer may change them (the server refuses them from a page).
 */
export function LocalOnlyNote({ what, setting, why, value = 'VALUE' }: { what: string; setting: string; why: string; value?: string }) {
  return (
    <p className="muted local-only-note" data-testid={`local-only-${setting}`}>
      {what} can be changed only in the Wan Studio app window, or on the studio's computer with{' '}
      <code>
        wan-studio settings set {setting} {value}
      </code>: {why}.
    </p>
  );
}
