/**
 * The layers of main/, lowest first, and what each may import. The README's architecture table describes the same
 * folders. A layer imports only those listed for it (and itself); everything else is a lint error.
 */

/** Folder layers of main/ and the files beside them. */
export const LAYERS = [
  { type: 'common', pattern: 'common' },
  { type: 'sandbox', pattern: 'sandbox' },
  { type: 'state', pattern: 'main/state' },
  { type: 'workers', pattern: 'main/workers' },
  { type: 'alegion', pattern: 'main/alegion' },
  { type: 'hashing', pattern: 'main/hashing' },
  { type: 'doneness', pattern: 'main/doneness' },
  { type: 'uploads', pattern: 'main/uploads' },
  { type: 'exports', pattern: 'main/exports' },
  { type: 'watch', pattern: 'main/watch' },
  { type: 'engine', pattern: 'main/engine' },
  { type: 'host', pattern: 'main/host' },
  { type: 'app', pattern: 'main/app' },
];

/** What each layer may import besides itself. */
export const ALLOWED: Record<string, readonly string[]> = {
  state: [],
  workers: [],
  alegion: ['common'],
  hashing: ['common', 'workers'],
  doneness: ['common', 'alegion'],
  uploads: ['common', 'state', 'workers', 'alegion', 'hashing'],
  exports: ['common', 'state', 'alegion', 'hashing'],
  watch: ['common', 'uploads'],
  // The engine may start a sandbox for the app's "try it" mode.
  engine: ['common', 'state', 'alegion', 'hashing', 'doneness', 'uploads', 'exports', 'watch', 'sandbox'],
  host: ['common', 'state', 'alegion', 'doneness', 'uploads', 'exports', 'watch', 'engine', 'sandbox'],
  app: ['common', 'engine'],
};

/** The file of a module that is its surface: what the hosts import of it. */
export const SURFACE_FILE = 'index.ts';

/** The modules with a surface (SURFACE_FILE): a layer in THROUGH_SURFACES imports that file of them and no other. */
export const SURFACED: readonly string[] = ['alegion', 'doneness', 'uploads', 'exports', 'watch', 'engine'];

/** The layers that reach the modules of SURFACED only through their surface. */
export const THROUGH_SURFACES: readonly string[] = ['host'];

/** The eslint-plugin-boundaries policies for ALLOWED, with THROUGH_SURFACES kept to the surfaces. */
export function layerPolicies(): object[] {
  return Object.entries(ALLOWED).map(([from, to]) => {
    if (!THROUGH_SURFACES.includes(from))
      return {
        from: { element: { type: from } },
        allow: { to: { element: { types: { anyOf: [from, ...to] } } } },
      };
    const whole = [from, ...to.filter((layer) => !SURFACED.includes(layer))];
    const surfaced = to.filter((layer) => SURFACED.includes(layer));
    return {
      from: { element: { type: from } },
      allow: {
        to: [
          { element: { types: { anyOf: whole } } },
          { element: { types: { anyOf: surfaced }, fileInternalPath: SURFACE_FILE } },
        ],
      },
    };
  });
}
