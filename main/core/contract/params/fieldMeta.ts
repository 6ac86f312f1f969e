/** How a parameter is shown in a form: the editor builds its controls from these, not by hand. */
export type FieldMeta =
  | { kind: 'text'; label: string; help: string; multiline?: boolean; advanced?: boolean }
  | { kind: 'int' | 'number'; label: string; help: string; min: number; max: number; step: number; advanced?: boolean }
  | { kind: 'enum'; label: string; help: string; options: ReadonlyArray<{ value: string | number; label: string }>; advanced?: boolean }
  | { kind: 'bool'; label: string; help: string; advanced?: boolean }
  | { kind: 'seed'; label: string; help: string; random: number | null; advanced?: boolean };
