import { useEffect, useState } from 'react';

export type Route = { page: 'library' } | { page: 'project'; id: string } | { page: 'settings' } | { page: 'queue' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const project = /^\/project\/([A-Za-z0-9_-]+)$/.exec(path);
  if (project?.[1]) return { page: 'project', id: project[1] };
  if (path === '/settings') return { page: 'settings' };
  if (path === '/queue') return { page: 'queue' };
  return { page: 'library' };
}

export const hrefFor = (route: Route): string =>
  route.page === 'project' ? `#/project/${route.id}` : route.page === 'settings' ? '#/settings' : route.page === 'queue' ? '#/queue' : '#/';

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
