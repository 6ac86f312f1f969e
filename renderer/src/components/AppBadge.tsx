import type { StudioApp } from '../../../main/core/contract/types';

export const appLabel: Record<StudioApp, string> = { s2v: 'Speech-to-video', animate: 'Animate' };

export function AppBadge({ app }: { app: StudioApp }) {
  return <span className={`badge badge-${app}`}>{appLabel[app]}</span>;
}
