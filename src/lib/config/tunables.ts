// The app's tunables in one place: sizes, limits, pauses and ranges that trade speed, memory or responsiveness,
// read by state classes, workers and the store. Ranges a user types into a form are here too, so a form and the
// state that clamps it agree.
// NOTE: ranges that pure code in core checks stay in core beside their check, since core imports nothing outside
// itself: EVAL_LIMITS (core/eval/plan.ts, checkSettings), COT_LIMITS (core/raft/cot.ts, checkCotSettings),
// MAX_FILE_BYTES (core/corpus/files.ts). Measured thresholds of an algorithm stay beside it too, with their
// measurement: the distractor check's (core/raft/distractor-check.ts) and RRF_K (core/retrieval/fusion.ts).

// --- Corpus worker: indexing and search ---

/** Chunks per embedding call and per stored vector batch. Integer, 1..512: larger batches embed faster but report progress and see Cancel less often. */
export const INDEX_BATCH = 32;

/** voy (HNSW) is the default vector engine up to this many vectors; above it the exact flat scan takes over. Integer, 1..10^6. */
export const VOY_LIMIT = 50_000;

/** Extra neighbours voy is asked for, re-ranked by exact score, so near-ties at the k-th place resolve as in the flat scan. Integer, 0..64. */
export const VOY_TIE_MARGIN = 8;

/**
 * Vectors per IndexedDB record after compaction. Integer, 64..8192. Reading 100k × 384 back is about 2× faster
 * from records of this size than from indexing's per-article batches (bench/cases/persistence.ts), and a record
 * (1.5 MB at 384 dims) stays small enough to rewrite when one of its articles changes.
 */
export const COMPACT_ROWS = 1024;

/** Indexing passes per run: chunks added while a pass runs are embedded by the next one. Integer, 1..10. */
export const MAX_PASSES = 3;

// --- Model workers ---

/** Longest run of decoding steps between two yields: a Stop waits at most this plus one step. Milliseconds, 1..100. */
export const STEP_YIELD_MS = 10;

/** Shortest gap between two download-progress reports a model worker posts while a file streams in (start, sizes and each file's end are always posted). Milliseconds, 0..1000. */
export const LOAD_PROGRESS_EVERY_MS = 100;

/** Range requests a URL folder gets for reading the graph's inputs before the post-load check takes over. Integer, 1..256. */
export const URL_MAX_READS = 48;

/**
 * Largest ONNX file of a URL folder whose graph inputs are read with Range requests before loading; a larger graph
 * has more weights ahead of its inputs than URL_MAX_READS requests can step past (a 135M-parameter q8 model needs
 * ~2,000, a 23 MB MiniLM ~200), so it goes straight to the post-load check. Bytes, 0..256 MiB.
 */
export const URL_MAX_WALK_BYTES = 8 * 1024 * 1024;

// --- Pages: typing, saving, live figures ---

/** Pause after the last keystroke before the Search page searches. Milliseconds, 0..2000. */
export const SEARCH_DEBOUNCE_MS = 200;

/** Results per search on the Search page. */
export const SEARCH_K = { min: 1, max: 50 } as const;

/** Pause after the last keystroke before the chunk picker suggests chunks. Milliseconds, 0..2000. */
export const PICKER_DEBOUNCE_MS = 200;

/** Chunks the picker suggests. Integer, 1..20. */
export const PICKER_RESULTS = 6;

/** How often an arena answer still streaming is saved. Milliseconds, 250..60000. */
export const SAVE_WHILE_STREAMING_MS = 2000;

/** How often the evaluation's live summary is recomputed while answers arrive. Milliseconds, 100..10000. */
export const SUMMARY_EVERY_MS = 1000;

/**
 * Bootstrap resamples of the live evaluation summary while answers arrive (the full count once the run stops):
 * 1,000 questions × 4 arms take ~0.1 s instead of ~1 s. Integer, 50..2000.
 */
export const LIVE_RESAMPLES = 200;

// --- Questions ---

/** Pairs the question writer asks for per chunk. */
export const PER_CHUNK = { min: 1, max: 5 } as const;

/** Rejected pairs kept with a generation plan (the count covers them all). Integer, 0..10000. */
export const MAX_KEPT_REJECTIONS = 200;

/** Largest test share of the train/test split. 0..1. */
export const TEST_FRACTION_MAX = 0.9;

// --- Forms: ranges of the numeric fields (integers unless noted) ---

/** The dataset recipe's numeric fields (as documented on RaftParams). */
export const RECIPE_LIMITS = {
  distractors: { min: 0, max: 20 },
  /** Not an integer. */
  pOracle: { min: 0, max: 1 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  contextBudget: { min: 64, max: 1_000_000 },
} as const;

/** The arena's form. */
export const ARENA_LIMITS = {
  k: { min: 0, max: 50 },
  extraDistractors: { min: 0, max: 20 },
  maxNewTokens: { min: 1, max: 4096 },
  /** Not an integer. */
  temperature: { min: 0, max: 2 },
  /** Not an integer; above 0, or nothing could be sampled. */
  topP: { min: 0.01, max: 1 },
} as const;

/** Chain-of-thought requests in flight at once to an endpoint (the tab's own model answers one at a time). */
export const ENDPOINT_CONCURRENCY = { min: 1, max: 16, default: 2 } as const;
