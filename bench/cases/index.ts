// The benchmark cases in run order, each loaded only when it runs (a case that fails to load does not stop the others).
import type { BenchCase } from '../context';

type Loader = () => Promise<{ run: BenchCase }>;

export const CASES: Record<string, Loader> = {
  'vector-search': () => import('./vector-search'),
  persistence: () => import('./persistence'),
  lexical: () => import('./lexical'),
  questions: () => import('./questions'),
  ingest: () => import('./ingest'),
  embedding: () => import('./embedding'),
  'embedding-browser': () => import('./embedding-browser'),
  'dataset-build': () => import('./dataset-build'),
  generation: () => import('./generation'),
  'generation-browser': () => import('./generation-browser'),
  training: () => import('./training'),
  'app-shell': () => import('./app-shell'),
  'real-shape-node': () => import('./real-shape-node'),
  'real-shape-browser': () => import('./real-shape-browser'),
  'real-shape-training': () => import('./real-shape-training'),
};

/** Cases on real-shape models (minutes, hundreds of MB): only with `--real-shape` or `--only`. */
export const REAL_SHAPE_CASES = ['real-shape-node', 'real-shape-browser', 'real-shape-training'];
