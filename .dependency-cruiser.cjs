// The layer rules of /work/shared/STYLE.md ("Who may import whom"), checked by `npm run lint`
// (dependency-cruiser reads .ts and .svelte imports, type-only ones included). Arrows point down:
//   ui -> state, core, config · state -> clients, store, core, config · clients -> workers/*/protocol.ts,
//   workers/rpc.ts, core · workers -> core, store, config, heavy libraries · cli -> clients, workers,
//   core, store, config · core -> itself, markdown-it, yaml · and no import circle anywhere.
// NOTE: only architecture rules live here; style is not linted.

/** A folder of src/lib as a path pattern. */
const lib = (name) => `^src/lib/${name}/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module must not import itself back through others: move the shared part (often types) to the lower module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'core is pure TypeScript: it imports only itself and small pure libraries (markdown-it, yaml); no DOM, worker, idb, transformers.js or Node modules.',
      from: { path: lib('core') },
      to: { pathNot: [lib('core'), '(^|/)node_modules/(markdown-it|yaml|@types/markdown-it)/'] },
    },
    {
      name: 'ui-not-clients-or-workers',
      severity: 'error',
      comment: 'Components talk to state classes, never to clients or workers: add a method to the state class instead.',
      from: { path: [lib('ui'), '^src/App\\.svelte$'] },
      to: { path: [lib('clients'), lib('workers'), lib('store')] },
    },
    {
      name: 'state-not-workers',
      severity: 'error',
      comment: 'State classes reach workers through clients; code both sides need belongs in core, store or config.',
      from: { path: lib('state') },
      to: { path: [lib('workers'), lib('ui')] },
    },
    {
      name: 'cli-not-state-or-ui',
      severity: 'error',
      comment: 'The CLI runs in Node over clients, worker handlers and core: what it shares with the app belongs in core or clients, not state.',
      from: { path: '^src/cli/' },
      to: { path: [lib('state'), lib('ui')] },
    },
    {
      name: 'clients-only-protocols',
      severity: 'error',
      comment: 'A client knows a worker only by its protocol types and rpc.ts: move what it needs from an implementation into protocol.ts or core.',
      from: { path: lib('clients') },
      to: { path: lib('workers'), pathNot: ['^src/lib/workers/[^/]+/protocol\\.ts$', '^src/lib/workers/rpc\\.ts$'] },
    },
    {
      name: 'clients-not-above',
      severity: 'error',
      comment: 'Clients sit below state and ui.',
      from: { path: lib('clients') },
      to: { path: [lib('state'), lib('ui')] },
    },
    {
      name: 'workers-not-above',
      severity: 'error',
      comment: 'Workers import core, store, config and heavy libraries, never main-thread layers.',
      from: { path: lib('workers') },
      to: { path: [lib('clients'), lib('state'), lib('ui'), '^src/cli/'] },
    },
    {
      name: 'store-and-config-low',
      severity: 'error',
      comment: 'store and config sit just above core: they import core (and store its own schema), nothing that runs them.',
      from: { path: [lib('store'), lib('config')] },
      to: { path: [lib('clients'), lib('state'), lib('ui'), lib('workers'), '^src/cli/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a protocol file importing an implementation's types is a breach too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
