/**
 * A tiny router: exact segments and `:param` segments, with a distinction between "no such path" (`404`) and
 * "no such method here" (`405`).
 */
import type { Route } from './app.ts';

interface CompiledRoute {
  route: Route;
  segments: string[];
}

type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

/** Compiles routes once; `match` then runs per request. */
export function createRouter(routes: readonly Route[]): (method: string, pathname: string) => RouteMatch {
  const compiled: CompiledRoute[] = routes.map((route) => ({ route, segments: route.path.split('/') }));
  return (method, pathname) => {
    const parts = pathname.split('/');
    const allowed: string[] = [];
    for (const { route, segments } of compiled) {
      if (segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let matches = true;
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i] as string;
        const part = parts[i] as string;
        if (segment.startsWith(':')) {
          if (part === '') {
            matches = false;
            break;
          }
          params[segment.slice(1)] = safeDecode(part);
        } else if (segment !== part) {
          matches = false;
          break;
        }
      }
      if (!matches) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        return { kind: 'found', route, params };
      }
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
