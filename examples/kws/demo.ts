// npm run demo: keyword spotting end to end on a simulated board, no hardware. The float DS-CNN trained by this
// project (model/) is quantized to int8 by tinyforge's compiler; each sample WAV (unseen test voices) goes through
// the fixed-point front end (the AssemblyScript twin, what the simulator and the firmware run) and the int8 model
// in the WASM runtime; the float model on float features is shown beside it. Then the board: memory, latency,
// energy, battery life; and an HTML report.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { writeFileAtomically } from '../../cli/write-file-atomically.ts';
import { emitTflite } from '../../compiler/emit/tflite/emit-tflite.ts';
import { dutyCycle, type DutyCycleResult } from '../../simulator/energy.ts';
import { htmlReport } from '../../simulator/report/html-report.ts';
import { escapeXml } from '../../simulator/report/svg-charts.ts';
import { simulate, type SimulationResult } from '../../simulator/simulate.ts';
import { loadBoard } from '../../targets/boards/load-board.ts';
import { readWav } from '../../frontend/wav.ts';
import { frontendCost, type FrontendCost } from '../../simulator/stream/frontend-cost.ts';
import { mfccFloat } from '../../frontend/mfcc-float.ts';
import { KeywordClassifier } from '../../simulator/stream/keyword-classifier.ts';
import { formatStream, streamDetect } from '../../simulator/stream/stream-detect.ts';
import { argmax, compileKwsModel, floatScores, KWS_MODEL_DIR } from './kws-model.ts';
import { LABELS_FILE } from '../../simulator/stream/labels-file.ts';

export const SAMPLES_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'samples');
export const DEFAULT_BOARD = 'nucleo-l4r5zi';
/** Two alkaline AA cells in series: capacity of one cell at twice its voltage. */
export const TWO_AA = { mAh: 2500, volts: 3.0 };

export interface ClipResult {
  file: string;
  truth: string;
  int8: { label: string; probability: number };
  float: { label: string; probability: number };
}

export interface DemoResult {
  clips: ClipResult[];
  int8Correct: number;
  floatCorrect: number;
  simulation: SimulationResult;
  frontend: FrontendCost;
  duty: DutyCycleResult;
  reportPath: string;
  modelDir: string;
}

export interface DemoOptions {
  /** Where the compiled model goes (default out/kws). */
  outDir?: string;
  /** The HTML report (default demo-report.html in the cwd). */
  reportPath?: string;
  log?: (line: string) => void;
  /** Progress bars on stderr (default: when stderr is a terminal). */
  progress?: boolean;
  /** A recording of the user's own (16 kHz mono WAV, any length): keyword spotting over it as a last step. */
  wav?: string;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;

function progressBar(enabled: boolean, format: string): cliProgress.SingleBar | undefined {
  if (!enabled) return undefined;
  return new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: false, clearOnComplete: true }, cliProgress.Presets.shades_classic);
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((l: string) => console.log(l));
  const progress = options.progress ?? Boolean(process.stderr.isTTY);
  const outDir = options.outDir ?? join(process.cwd(), 'out', 'kws');
  const reportPath = options.reportPath ?? join(process.cwd(), 'demo-report.html');
  const board = loadBoard(DEFAULT_BOARD);

  log('tinyforge demo — keyword spotting: a DS-CNN trained by this project, int8, on a simulated microcontroller');
  log(`\n1. compile ${relative(process.cwd(), join(KWS_MODEL_DIR, 'model.json'))} to int8 (calibration: model/calibration-x.npy)`);
  const calBar = progressBar(progress, 'calibrating [{bar}] {value}/{total} samples');
  let started = false;
  const model = await compileKwsModel({
    onProgress: (done, total) => {
      if (!started) { calBar?.start(total, 0); started = true; }
      calBar?.update(done);
    },
  });
  calBar?.stop();
  mkdirSync(outDir, { recursive: true });
  writeFileAtomically(join(outDir, 'model_int8.tflite'), emitTflite(model.int8Graph, { description: 'tinyforge int8 keyword spotting (examples/kws)' }));
  writeFileAtomically(join(outDir, 'model.tfb'), model.blobBytes);
  writeFileAtomically(join(outDir, LABELS_FILE), readFileSync(join(KWS_MODEL_DIR, LABELS_FILE)));
  log(`   ${model.int8Graph.ops.length} int8 ops, ${int(model.blob.constBytes)} B of constants, arena ${int(model.blob.arenaBytes)} B; ` +
    `calibrated on ${model.calibrationSamples} clips; input scale ${model.inputScale.toPrecision(4)}, zero point ${model.inputZeroPoint}`);
  log(`   wrote ${relative(process.cwd(), outDir)}/model_int8.tflite, model.tfb, labels.txt`);

  const files = readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.wav')).sort();
  log(`\n2. ${files.length} sample clips (unseen test voices): fixed-point front end + int8 model in the simulator, float model beside it`);
  const classifier = new KeywordClassifier(model.blob, model.labels);
  const clips: ClipResult[] = [];
  const clipBar = progressBar(progress, 'clips [{bar}] {value}/{total}');
  clipBar?.start(files.length, 0);
  const rows: string[] = [];
  for (const file of files) {
    const audio = readWav(new Uint8Array(readFileSync(join(SAMPLES_DIR, file))), file);
    const truth = file.split('-')[0]!;
    const c = classifier.classify(audio.samples);
    const f = floatScores(model.floatGraph, mfccFloat(audio.samples), 1)[0]!;
    const top = argmax(f);
    const r: ClipResult = { file, truth, int8: { label: c.label, probability: c.probability }, float: { label: model.labels[top]!, probability: f[top]! } };
    clips.push(r);
    rows.push(
      `   ${basename(file, '.wav').padEnd(30)} ${truth.padEnd(8)} ${r.int8.label.padEnd(8)} ${(r.int8.probability * 100).toFixed(1).padStart(5)}% ${r.int8.label === truth ? 'ok  ' : 'MISS'}` +
        `   ${r.float.label.padEnd(8)} ${(r.float.probability * 100).toFixed(1).padStart(5)}%`,
    );
    clipBar?.increment();
  }
  clipBar?.stop();
  log(`   ${'clip'.padEnd(30)} ${'true'.padEnd(8)} ${'int8'.padEnd(8)} ${'conf'.padStart(6)}${''.padEnd(8)}${'float'.padEnd(8)} ${'conf'.padStart(6)}`);
  for (const r of rows) log(r);
  const int8Correct = clips.filter((c) => c.int8.label === c.truth).length;
  const floatCorrect = clips.filter((c) => c.float.label === c.truth).length;
  log(`\n3. accuracy on the samples: float ${floatCorrect}/${clips.length} (${pct(floatCorrect, clips.length)}), int8 ${int8Correct}/${clips.length} (${pct(int8Correct, clips.length)})`);
  log('   (on the whole synthetic test split: npx tsx examples/kws/evaluate.ts)');

  const simulation = simulate(model.blob, model.compiled, { board, execute: true });
  const fe = frontendCost(board);
  const power = board.power!;
  const totalMs = fe.ms + simulation.totals.latencyMs;
  const duty = dutyCycle(totalMs, power, 1, TWO_AA);
  const m = simulation.memory;
  const sramUsed = m.sram.used + fe.sramBytes;
  const flashUsed = m.flash.used + fe.flashBytes;
  log(`\n4. on ${board.id} (${board.name}, ${board.core} @ ${board.clockHz / 1e6} MHz): front end + model per one-second window`);
  const table = [
    ['', 'used', 'budget', ''],
    ['SRAM', `${int(sramUsed)} B`, `${int(m.sram.budget)} B`, `${pct(sramUsed, m.sram.budget)}: model ${int(m.sram.used)} (arena ${int(m.sram.arena)}, stack ${int(m.sram.stack)}) + front end ${int(fe.sramBytes)} (1 s of audio, scratch, features)`],
    ['flash', `${int(flashUsed)} B`, `${int(m.flash.budget)} B`, `${pct(flashUsed, m.flash.budget)}: model ${int(m.flash.used)} (weights ${int(m.flash.weights)}) + front end ${int(fe.flashBytes)}`],
    ['latency', `${totalMs.toFixed(1)} ms`, '', `front end ${fe.ms.toFixed(1)} ms (${(fe.instructions / 1e6).toFixed(1)} M instructions) + model ${simulation.totals.latencyMs.toFixed(1)} ms (${(simulation.totals.macs / 1e6).toFixed(2)} M MACs)`],
    ['energy', `${int(duty.energyPerInferenceUj)} µJ`, '', `per inference: ${power.activeCurrentMa} mA at ${power.supplyVoltage} V while running`],
    ['battery', `${duty.battery!.days.toFixed(0)} days`, '', `2×AA (2 × ${TWO_AA.mAh} mAh alkaline in series, ${TWO_AA.volts.toFixed(1)} V) at 1 inference/s: average ${(duty.averageCurrentMa * 1000).toFixed(0)} µA at ${power.supplyVoltage} V`],
  ];
  const w = [8, 13, 13];
  for (const r of table) log(`   ${r[0]!.padEnd(w[0]!)} ${r[1]!.padStart(w[1]!)} ${r[2]!.padStart(w[2]!)}  ${r[3]}`.trimEnd());
  log(`   battery model: ${power.activeCurrentMa} mA for ${totalMs.toFixed(1)} ms each second, ${power.sleepCurrentUa} µA asleep (${power.sleepMode}) the rest;` +
    ` cells' energy (mAh × 3.0 V) through a lossless converter, no self-discharge (alkaline shelf life, ~5–10 years, caps it in practice)`);

  writeFileAtomically(reportPath, demoReportHtml(simulation, clips, duty, fe));
  log(`\n5. report: ${relative(process.cwd(), reportPath) || reportPath} (open it in a browser)`);
  if (options.wav) {
    log(`\n6. your recording ${options.wav}: the front end and the int8 model every 250 ms on ${board.id}`);
    const audio = readWav(new Uint8Array(readFileSync(options.wav)), options.wav);
    const stream = streamDetect({ blob: model.blob, labels: model.labels, board, samples: audio.samples, sampleRate: audio.sampleRate });
    log(formatStream(stream, { scores: true }).split('\n').map((l) => `   ${l}`).join('\n'));
  } else {
    log(`   next: npm run demo -- --wav <your 16 kHz recording.wav>, or npx tinyforge simulate ${relative(process.cwd(), outDir)} --board ${board.id} --stream <recording.wav>`);
  }
  return { clips, int8Correct, floatCorrect, simulation, frontend: fe, duty, reportPath, modelDir: outDir };
}

/** The simulator's report with the front end's share and the per-clip table added before its end. */
export function demoReportHtml(sim: SimulationResult, clips: ClipResult[], duty: DutyCycleResult, fe: FrontendCost): string {
  const rows = clips.map((c) =>
    `<tr><td>${escapeXml(c.file)}</td><td>${escapeXml(c.truth)}</td><td>${escapeXml(c.int8.label)}</td><td>${(c.int8.probability * 100).toFixed(1)}%</td>` +
      `<td>${escapeXml(c.float.label)}</td><td>${(c.float.probability * 100).toFixed(1)}%</td><td>${c.int8.label === c.truth ? 'ok' : 'miss'}</td></tr>`).join('');
  const correct = clips.filter((c) => c.int8.label === c.truth).length;
  const floatCorrect = clips.filter((c) => c.float.label === c.truth).length;
  const section = `<h2>Keyword spotting: sample clips</h2>
<p>Fixed-point front end (${(fe.instructions / 1e6).toFixed(1)} M instructions, ${fe.ms.toFixed(1)} ms on this board) + int8 model (${sim.totals.latencyMs.toFixed(1)} ms) per one-second window:
${duty.latencyMs.toFixed(1)} ms, ${Math.round(duty.energyPerInferenceUj)} µJ; at one inference per second two AA cells (2500 mAh, 3.0 V) last ${duty.battery!.days.toFixed(0)} days.
Accuracy on these clips: int8 ${correct}/${clips.length}, float ${floatCorrect}/${clips.length}.</p>
<table><tr><th>clip</th><th>true</th><th>int8</th><th>confidence</th><th>float</th><th>confidence</th><th></th></tr>${rows}</table>
`;
  return htmlReport(sim).replace('</body>', `${section}</body>`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const at = process.argv.indexOf('--wav');
    const wav = at >= 0 ? process.argv[at + 1] : undefined;
    if (at >= 0 && !wav) throw new Error('--wav needs a file: npm run demo -- --wav recording.wav');
    await runDemo(wav ? { wav } : {});
    // performance.now() counts from the process start: module loading included.
    console.log(`\ndone in ${(performance.now() / 1000).toFixed(1)} s`);
  } catch (err) {
    console.error(`demo: ${(err as Error).message}`);
    process.exit(1);
  }
}
