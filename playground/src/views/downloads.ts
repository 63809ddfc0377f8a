// Every artifact of the current model as a download: the int8 .tflite, the runtime blob, the C array
// (model_data.c/.h as `tinyforge compile` writes them), the model as interpreter-free C (model.c/.h, as `tinyforge
// build` generates it), the simulation JSON and the self-contained HTML report.
import { emitModelC, htmlReport, simulationJson, writeCArray } from '../../../browser.ts';
import { byId, el } from '../dom.ts';
import { saveFile as save } from '../save-file.ts';
import type { Analysis } from '../pipeline.ts';

export function renderDownloads(a: Analysis): void {
  const c = writeCArray(a.result.tflite, 'model_data');
  // Generated on demand: the interpreter-free C of `tinyforge build` (one kernel call per op), for targets/c/kernels/.
  const modelC = () => emitModelC(a.result.compiled);
  const items: [string, string, () => void][] = [
    [`${a.name}_int8.tflite`, 'int8 .tflite', () => save(`${a.name}_int8.tflite`, a.result.tflite, 'application/octet-stream')],
    ['model.tfb', 'runtime blob', () => save('model.tfb', a.result.blob, 'application/octet-stream')],
    ['model_data.c', 'C array (.c)', () => save('model_data.c', c.source, 'text/x-c')],
    [c.headerName, 'C array (.h)', () => save(c.headerName, c.header, 'text/x-c')],
    ['model.c', 'generated C, no interpreter (.c)', () => save('model.c', modelC().source, 'text/x-c')],
    ['model.h', 'generated C, no interpreter (.h)', () => save('model.h', modelC().header, 'text/x-c')],
    [`${a.name}-${a.board.id}.json`, 'simulation JSON', () => save(`${a.name}-${a.board.id}.json`, `${JSON.stringify(simulationJson(a.sim), null, 2)}\n`, 'application/json')],
    [`${a.name}-${a.board.id}.html`, 'HTML report', () => save(`${a.name}-${a.board.id}.html`, htmlReport(a.sim), 'text/html')],
  ];
  byId('download-list').replaceChildren(...items.map(([file, label, go]) => {
    const b = el('button', { type: 'button', 'data-file': file }, `${label} · ${file}`);
    b.addEventListener('click', go);
    return b;
  }));
}
