// `tinyforge simulate <model> --board <id> --stream <wav>`: keyword spotting over a recording, with the labels
// stored beside the model (labels.txt in the compiled folder, or next to the model file).
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError, EXIT } from './cli-error.ts';
import type { LoadedModel } from '../api/load-model.ts';
import type { Board } from '../targets/boards/board-schema.ts';
import { readWav } from '../frontend/wav.ts';
import { readLabels } from '../simulator/stream/labels-file.ts';
import { formatStream, streamDetect } from '../simulator/stream/stream-detect.ts';
import { InputStats } from '../simulator/drift/input-stats.ts';
import { modelStatsGeometry } from '../simulator/drift/reference-stats.ts';
import { compareStats, formatDrift } from '../simulator/drift/drift-verdict.ts';
import { statsRecordJson } from '../simulator/drift/stats-json.ts';
import { driftReference, type ReferenceOptions } from './drift-reference.ts';

const BAD_INPUT = new Set(['WavFormatError', 'LabelsFileError', 'KeywordModelError', 'StreamInputError', 'StatsFileError', 'CalibrationDataError', 'DriftCompareError']);

export function streamCommand(
  model: LoadedModel,
  board: Board,
  wavPath: string,
  opts: { strideMs?: number; threshold?: number; averageMs?: number; scores?: boolean; json: boolean; drift?: ReferenceOptions | undefined },
): number {
  try {
    let bytes: Uint8Array;
    try {
      if (!statSync(wavPath).isFile()) throw new Error('not a file');
      bytes = new Uint8Array(readFileSync(wavPath));
    } catch {
      throw new CliError(`--stream ${wavPath}: no such WAV file`, EXIT.badInput);
    }
    const audio = readWav(bytes, wavPath);
    const labels = readLabels(dirname(model.path), model.blob.outputs[0]?.bytes ?? 0);
    // --drift: the firmware's input statistics, kept by their TypeScript twin over every window the model sees.
    const reference = opts.drift ? driftReference('simulate', opts.drift, model) : undefined;
    const stats = reference ? new InputStats(modelStatsGeometry(model.blob)) : undefined;
    const r = streamDetect({
      ...(stats ? { onWindow: (features: Int8Array, scores: Int8Array) => stats.update(features, scores) } : {}),
      blob: model.blob, compiled: model.compiled, labels, board, samples: audio.samples, sampleRate: audio.sampleRate,
      ...(opts.strideMs !== undefined ? { strideMs: opts.strideMs } : {}),
      ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
      ...(opts.averageMs !== undefined ? { averageMs: opts.averageMs } : {}),
    });
    const drift = stats && reference ? compareStats(stats.snapshot(), reference) : undefined;
    if (opts.json) {
      console.log(JSON.stringify({
        detections: r.detections, perWindow: r.perWindow, realTime: r.realTime,
        board: r.board, fits: r.fits, ...(r.refusal ? { refusal: r.refusal } : {}), strideMs: r.strideMs, averageMs: r.averageMs, windows: r.windows, durationMs: r.durationMs,
        frontendMs: r.frontendMs, modelMs: r.modelMs, load: r.load,
        ...(drift ? { drift: { ...drift, reference: reference!.source, stats: statsRecordJson(stats!.snapshot()) } } : {}),
      }, null, 2));
    } else {
      console.log(formatStream(r, { scores: opts.scores ?? false }));
      if (drift) console.log(`\ndrift (the firmware's input statistics over the ${r.windows} window(s), against ${reference!.source}):\n${formatDrift(drift, labels, 'in the simulator')}`);
    }
    if (!r.fits) {
      console.error(`tinyforge simulate: ${r.refusal ?? `the model and front end do not fit ${r.board}`}`);
      return EXIT.doesNotFit;
    }
    return drift?.verdict === 'drifting' ? EXIT.drift : EXIT.ok;
  } catch (err) {
    if (err instanceof Error && BAD_INPUT.has(err.name)) throw new CliError(`tinyforge simulate: ${err.message}`, EXIT.badInput);
    throw err;
  }
}
