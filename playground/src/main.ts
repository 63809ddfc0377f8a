// The playground page: pick or drop a model, pick a board, and everything below follows — graph, int8 compile,
// simulation, a run, the downloads — computed here by tinyforge's own code (browser.ts). With
// `?model=URL&board=ID` it does the same for that model and board and leaves the automation JSON in #result.
import './style.css';
import { loadAllBoards, SLOT_REGIONS, loadFrontendModule, loadKernelModules, parseBattery, PROFILE_IDS, type Battery, type ProfileId } from '../../browser.ts';
import { byId, el } from './dom.ts';
import { EXAMPLES } from './examples.ts';
import { fetchModelFiles, sortFiles, toInt8, type ModelFiles } from './model-files.ts';
import { analyse, boardById, contractJson, type Analysis } from './pipeline.ts';
import { renderDownloads } from './views/downloads.ts';
import { setFirmwareModel, wireFirmwarePanel } from './views/firmware-panel.ts';
import { wireFlashPanel } from './views/flash-panel.ts';
import { wireUpdatePanel } from './views/update-panel.ts';
import { renderCompileSummary, renderGraph } from './views/graph-table.ts';
import { setListenModel, wireListen } from './views/listen.ts';
import { setRunModel, wireRunPanel } from './views/run-panel.ts';
import { renderSimulation } from './views/sim-view.ts';

const DEFAULT_BOARD = 'nucleo-l4r5zi';
const status = byId('status');
const result = byId('result');
const modelState: { bytes?: Uint8Array; name?: string; quantizedMs?: number | undefined } = {};

function showError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  status.textContent = message;
  status.className = 'error';
  result.textContent = message;
  result.dataset.status = 'error';
}

function options(): { kernels: ProfileId; rateHz?: number; battery?: Battery } {
  const rate = Number(byId<HTMLInputElement>('rate').value);
  const batteryText = byId<HTMLInputElement>('battery').value.trim();
  return {
    kernels: byId<HTMLSelectElement>('kernels').value as ProfileId,
    ...(rate > 0 ? { rateHz: rate } : {}),
    ...(batteryText && rate > 0 ? { battery: parseBattery(batteryText) } : {}),
  };
}

function render(a: Analysis, opts: ReturnType<typeof options>): void {
  renderGraph(byId('graph'), a.summary);
  renderCompileSummary(byId('compile-summary'), a);
  renderSimulation(a, opts.battery, opts.rateHz);
  setRunModel(a);
  setListenModel(a);
  renderDownloads(a);
  setFirmwareModel(a);
}

/** Compile, simulate and run the current model on the chosen board; the JSON goes to #result. */
function refresh(): void {
  if (!modelState.bytes || !modelState.name) return;
  result.dataset.status = 'pending';
  try {
    const opts = options();
    const a = analyse(modelState.bytes, modelState.name, boardById(byId<HTMLSelectElement>('board').value), opts);
    render(a, opts);
    result.textContent = JSON.stringify(contractJson(a));
    result.dataset.status = 'done';
    const t = a.timings;
    status.className = '';
    status.dataset.timings = JSON.stringify({ ...t, ...(modelState.quantizedMs !== undefined ? { quantizeMs: modelState.quantizedMs } : {}) });
    status.textContent = `${a.name} on ${a.board.id}: ${modelState.quantizedMs !== undefined ? `quantized to int8 in ${modelState.quantizedMs.toFixed(0)} ms, ` : ''}compiled in ${t.compileMs.toFixed(1)} ms, simulated in ${t.simulateMs.toFixed(1)} ms, one inference in ${t.runMs.toFixed(1)} ms (in this page)`;
  } catch (err) {
    showError(err);
  }
}

async function useFiles(files: ModelFiles): Promise<void> {
  status.className = '';
  status.textContent = /\.json$/i.test(files.model.name) || files.calibration.length ? `quantizing ${files.model.name} on ${files.calibration.map((f) => f.name).join(', ') || 'no calibration data'}…` : `loading ${files.model.name}…`;
  const m = await toInt8(files);
  modelState.bytes = m.tflite;
  modelState.name = m.name;
  modelState.quantizedMs = m.quantizedMs;
}

async function loadExample(id: string): Promise<void> {
  const e = EXAMPLES.find((x) => x.id === id)!;
  await useFiles(await fetchModelFiles(e.model.url, (e.calibration ?? []).map((f) => f.url)));
}

async function loadDropped(list: FileList | File[]): Promise<void> {
  const files = await Promise.all([...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  byId<HTMLSelectElement>('example').value = '';
  await useFiles(sortFiles(files));
}

function fillControls(boardId: string): void {
  const boards = loadAllBoards();
  byId('board').replaceChildren(...boards.map((b) => el('option', { value: b.id, ...(b.id === boardId ? { selected: '' } : {}) }, `${b.id} — ${b.name}`)));
  byId('kernels').replaceChildren(...PROFILE_IDS.map((p) => el('option', { value: p }, p)));
  byId('example').replaceChildren(el('option', { value: '' }, '(your own file)'), ...EXAMPLES.map((e) => el('option', { value: e.id }, e.title)));
}

function wire(): void {
  const guarded = (f: () => Promise<void> | void) => async () => {
    try { await f(); refresh(); } catch (err) { showError(err); }
  };
  byId('example').addEventListener('change', guarded(async () => {
    const id = byId<HTMLSelectElement>('example').value;
    if (id) await loadExample(id);
  }));
  byId<HTMLInputElement>('model-file').addEventListener('change', guarded(async () => {
    const files = byId<HTMLInputElement>('model-file').files;
    if (files?.length) await loadDropped(files);
  }));
  for (const id of ['board', 'kernels', 'rate', 'battery']) byId(id).addEventListener('change', guarded(() => {}));
  const drop = byId('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const files = e.dataTransfer?.files;
    if (files?.length) void guarded(() => loadDropped(files))();
  });
  wireRunPanel(showError);
  wireListen(showError);
  wireFlashPanel(() => {});
  wireUpdatePanel();
  wireFirmwarePanel(Object.keys(SLOT_REGIONS), () => {});
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const boardId = params.get('board') ?? DEFAULT_BOARD;
  fillControls(boardId);
  wire();
  await Promise.all([loadKernelModules(), loadFrontendModule()]);
  if (params.has('board')) boardById(boardId); // an unknown board is the page's error, not a silently kept default
  const model = params.get('model');
  if (model) {
    byId<HTMLSelectElement>('example').value = EXAMPLES.find((e) => e.model.url === model)?.id ?? '';
    await useFiles(await fetchModelFiles(model, params.getAll('calibration')));
  } else {
    byId<HTMLSelectElement>('example').value = EXAMPLES[0]!.id;
    await loadExample(EXAMPLES[0]!.id);
  }
  refresh();
}

start().catch(showError);
