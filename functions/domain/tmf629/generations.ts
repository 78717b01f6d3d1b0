/** The three generations of TMF629 Rapport serves over one store, by name. */
import type { GenerationName, TmfGeneration } from './generation.ts';
import { v3 } from './v3.ts';
import { v4 } from './v4.ts';
import { v5 } from './v5.ts';

export const GENERATIONS: Record<GenerationName, TmfGeneration> = { v3, v4, v5 };
export { v3, v4, v5 };
