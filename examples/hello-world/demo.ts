// npm run demo: the hello-world sine model, built and committed by this project
// (examples/hello-world/build-model.ts), inspected, run in the WASM runtime and simulated on the default board.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../cli/main.ts';
import { quantizeFloat32ToInt8 } from '../../compiler/input-data/quantize-input.ts';
import { loadModelFile } from '../../api/load-model.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';

const here = dirname(fileURLToPath(import.meta.url));
const model = relative(process.cwd(), join(here, 'compiled', 'model_int8.tflite'));
const outDir = join(process.cwd(), 'out', 'demo');
mkdirSync(outDir, { recursive: true });

async function step(title: string, args: string[]): Promise<void> {
  console.log(`\n$ tinyforge ${args.join(' ')}    # ${title}`);
  const code = await main(args);
  if (code !== 0) {
    console.error(`demo: 'tinyforge ${args[0]}' failed with exit code ${code}`);
    process.exit(code);
  }
}

console.log('tinyforge demo — a sine model trained by this project, int8, on a simulated microcontroller');
await step('what is in the model', ['inspect', model]);

// One inference through the CLI, raw bytes in and out.
const x = Math.PI / 2;
const loaded = loadModelFile(model);
const runtime = Runtime.create(loaded.blob);
const [input] = runtime.inputs;
const [output] = runtime.outputs;
const inputPath = join(outDir, 'x.bin');
writeFileSync(inputPath, quantizeFloat32ToInt8(Float32Array.of(x), input.scale!, input.zeroPoint!));
await step(`one inference of sin(π/2), bytes in and out`, ['run', model, '--input', relative(process.cwd(), inputPath), '--output', relative(process.cwd(), join(outDir, 'y.bin')), '--repeat', '1000']);
const y = (readFileSync(join(outDir, 'y.bin')).readInt8(0) - output.zeroPoint!) * output.scale!;
console.log(`sin(${x.toFixed(4)}) = ${Math.sin(x).toFixed(4)}, the int8 model says ${y.toFixed(4)}`);

// A sweep over one period, in process.
console.log('\n   x      sin(x)   int8 model');
let worst = 0;
for (let i = 0; i <= 8; i++) {
  const xi = (i / 8) * 2 * Math.PI * 0.999;
  const q = runtime.invoke(quantizeFloat32ToInt8(Float32Array.of(xi), input.scale!, input.zeroPoint!))[0];
  const yi = (((q[0] << 24) >> 24) - output.zeroPoint!) * output.scale!;
  worst = Math.max(worst, Math.abs(yi - Math.sin(xi)));
  console.log(`${xi.toFixed(3).padStart(6)}  ${Math.sin(xi).toFixed(4).padStart(7)}  ${yi.toFixed(4).padStart(10)}`);
}
console.log(`largest error over the sweep: ${worst.toFixed(4)}`);

await step('will it fit, how fast, how much energy', [
  'simulate', model, '--board', 'nucleo-l4r5zi', '--rate', '1', '--battery', '2500@3',
  '--report', relative(process.cwd(), join(outDir, 'report.html')),
]);
console.log(`\nreport: ${relative(process.cwd(), join(outDir, 'report.html'))} (open it in a browser)`);
