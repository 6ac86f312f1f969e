export interface CloudStatus {
  /** env: INFERENCE_API_KEY (wins); stored: saved in the studio; none: no key. */
  keySource: 'env' | 'stored' | 'none';
  /** How a saved key is kept: OS-encrypted in the app, a 0600 file headless. */
  keyStore: 'os-encrypted' | 'file';
  baseUrl: string;
  baseUrlSource: 'env' | 'setting' | 'default';
  /**
   * Why no key is sent although one exists: the saved key was entered for another API address,
   * INFERENCE_API_KEY does not apply to an address from Settings, or the address breaks the rule.
   */
  keyProblem: string | null;
  /** A key is saved in the studio, whichever address it was entered for (so it can be removed). */
  keySaved: boolean;
}

export interface CloudCheck {
  ok: boolean;
  message: string;
}

export interface CloudSchemaDifference {
  field: string;
  kind: 'missing_in_studio' | 'missing_in_cloud' | 'type' | 'default' | 'minimum' | 'maximum' | 'enum';
  ours: string | null;
  theirs: string | null;
}

export interface CloudSchemaDiff {
  app: string;
  differences: CloudSchemaDifference[];
}
