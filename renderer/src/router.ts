import { useEffect, useState } from 'react';

export const projectTabs = ['editor', 'renders', 'media'] as const;
export type ProjectTab = (typeof projectTabs)[number];

/** A project route may name the tab and the selected output, so a reload returns to them. */
export type Route = { page: 'library' } | { page: 'project'; id: string; tab?: ProjectTab; output?: string } | { page: 'settings' } | { page: 'queue' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const project = /^\/project\/([A-Za-z0-9_-]+)(?:\/(editor|renders|media)(?:\/([A-Za-z0-9_-]+))?)?$/.exec(path);
  if (project?.[1]) {
    const tab = project[2] as ProjectTab | undefined;
    return { page: 'project', id: project[1], ...(tab ? { tab } : {}), ...(project[3] ? { output: project[3] } : {}) };
  }
  if (path === '/settings') return { page: 'settings' };
  if (path === '/queue') return { page: 'queue' };
  return { page: 'library' };
}

export const hrefFor = (route: Route): string =>
  route.page === 'project'
    ? `#/project/${route.id}${route.tab ? `/${route.tab}${route.output ? `/${route.output}` : ''}` : ''}`
    : route.page === 'settings'
      ? '#/settings'
      : route.page === 'queue'
        ? '#/queue'
        : '#/';

/** Records where a person is without a new history entry (switching tabs is not a page visit). */
export const replaceRoute = (route: Route): void => {
  history.replaceState(history.state, '', hrefFor(route));
};

/** Hash routing: works the same from studio://app and from the headless server, with no server routes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const navigate = (route: Route): void => {
  location.hash = hrefFor(route);
};
