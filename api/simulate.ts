// `simulate()` of the library: a model on a board of the catalog (or one's own board file) — does it fit, how long
// does one inference take, what does it cost — exactly as `tinyforge simulate` reports it.
import type { SimulationResult } from '../simulator/simulate.ts';
import type { CompileResult } from './compile-int8.ts';
import { openModel } from './load-model.ts';
import { simulateModel, type SimulateOptions } from './simulate-model.ts';

export type { SimulateOptions } from './simulate-model.ts';

export function simulate(model: string | Uint8Array | CompileResult, options: SimulateOptions): SimulationResult {
  return simulateModel(openModel(model), options);
}
