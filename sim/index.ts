/** The model: re-exports only. */
export * from './params.js';
export * from './rng.js';
export * from './world.js';
export * from './generate.js';
export * from './state.js';
export * from './model.js';
export * from './metrics.js';
export * from './partnership.js';
export * from './errors.js';
