/** How a parameter is shown in a form: the editor builds its controls from these, not by hand. */
export type FieldMeta = (
  | { kind: 'text'; label: string; help: string; multiline?: boolean; advanced?: boolean }
  | { kind: 'int' | 'number'; label: string; help: string; min: number; max: number; step: number; advanced?: boolean }
  | { kind: 'enum'; label: string; help: string; options: ReadonlyArray<{ value: string | number; label: string }>; advanced?: boolean }
  | { kind: 'bool'; label: string; help: string; advanced?: boolean }
  | { kind: 'seed'; label: string; help: string; random: number | null; advanced?: boolean }
) & {
  /**
   * Set for a setting only local renders read; says so (shown as the field's tooltip). The cloud
   * engine never sends such a field and the cloud schema check does not expect it.
   */
  localOnly?: string;
};

/** The fields of a form that only local renders read. */
export function localOnlyFields(fields: Record<string, FieldMeta>): string[] {
  return Object.entries(fields)
    .filter(([, m]) => m.localOnly !== undefined)
    .map(([name]) => name);
}
