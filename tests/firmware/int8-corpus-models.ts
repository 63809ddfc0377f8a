// The corpus models tinyforge compiles (full int8), with their golden cases concatenated for batch runs.
import { compileTflite, type CompiledModel } from '../../compiler/compile-model.ts';
import { corpusModelNames, goldenCases, readMeta, readModel, type GoldenCase } from '../conformance-corpus.ts';

/** Float and hybrid corpus models (no int8 goldens) are not firmware material: the compiler rejects them. */
export function int8CorpusModels(): string[] {
  return corpusModelNames().filter((name) => {
    const meta = readMeta(name);
    return meta.inputs.length > 0 && [...meta.inputs, ...meta.outputs].every((t) => t.type === 'INT8');
  });
}

export interface CorpusModel {
  name: string;
  compiled: CompiledModel;
  cases: GoldenCase[];
}

export function loadCorpusModel(name: string): CorpusModel {
  return { name, compiled: compileTflite(readModel(name), name), cases: goldenCases(name) };
}
