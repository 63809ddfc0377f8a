// The playground page: pick or drop a model, pick a board, and everything below follows — graph, int8 compile,
// simulation, a run, the downloads — computed here by tinyforge's own code (browser.ts). With
// `?model=URL&board=ID` it does the same for that model and board and leaves the automation JSON in #result.
import './style.css';
import { loadAllBoards, loadFrontendModule, loadKernelModules, parseBattery, PROFILE_IDS, type Battery, type ProfileId } from '../../browser.ts';
import { byId, el } from './dom.ts';
import { EXAMPLES, exampleUrl } from './examples.ts';
import { analyse, boardById, contractJson, type Analysis } from './pipeline.ts';
import { renderDownloads } from './views/downloads.ts';
import { wireFlashPanel } from './views/flash-panel.ts';
import { renderCompileSummary, renderGraph } from './views/graph-table.ts';
import { setListenModel, wireListen } from './views/listen.ts';
import { setRunModel, wireRunPanel } from './views/run-panel.ts';
import { renderSimulation } from './views/sim-view.ts';

const DEFAULT_BOARD = 'nucleo-l4r5zi';
const status = byId('status');
const result = byId('result');
const modelState: { bytes?: Uint8Array; name?: string } = {};

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
    status.dataset.timings = JSON.stringify(t);
    status.textContent = `${a.name} on ${a.board.id}: compiled in ${t.compileMs.toFixed(1)} ms, simulated in ${t.simulateMs.toFixed(1)} ms, one inference in ${t.runMs.toFixed(1)} ms (in this page)`;
  } catch (err) {
    showError(err);
  }
}

async function loadUrl(url: string): Promise<void> {
  status.textContent = `loading ${url}…`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the model ${url}: HTTP ${response.status} ${response.statusText}`);
  modelState.bytes = new Uint8Array(await response.arrayBuffer());
  modelState.name = decodeURIComponent(new URL(url, document.baseURI).pathname.split('/').pop() ?? 'model').replace(/\.(tflite|tfb)$/i, '') || 'model';
}

async function loadFile(file: File): Promise<void> {
  modelState.bytes = new Uint8Array(await file.arrayBuffer());
  modelState.name = file.name.replace(/\.(tflite|tfb)$/i, '') || 'model';
  byId<HTMLSelectElement>('example').value = '';
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
    if (id) await loadUrl(exampleUrl(id));
  }));
  byId<HTMLInputElement>('model-file').addEventListener('change', guarded(async () => {
    const file = byId<HTMLInputElement>('model-file').files?.[0];
    if (file) await loadFile(file);
  }));
  for (const id of ['board', 'kernels', 'rate', 'battery']) byId(id).addEventListener('change', guarded(() => {}));
  const drop = byId('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void guarded(() => loadFile(file))();
  });
  wireRunPanel(showError);
  wireListen(showError);
  wireFlashPanel(() => {});
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
    byId<HTMLSelectElement>('example').value = EXAMPLES.find((e) => exampleUrl(e.id) === model)?.id ?? '';
    await loadUrl(model);
  } else {
    byId<HTMLSelectElement>('example').value = EXAMPLES[0]!.id;
    await loadUrl(exampleUrl(EXAMPLES[0]!.id));
  }
  refresh();
}

start().catch(showError);
