// The model-slot C (A/B slots, install, boot selection) and its host power-cut harness: where the files are.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const UPDATE_C_DIR = dirname(fileURLToPath(import.meta.url));
export const MODEL_SLOT_SOURCES: readonly string[] = [join(UPDATE_C_DIR, 'model-slots.c')];
export const POWER_CUT_HARNESS_SOURCES: readonly string[] = ['sim-nor-flash.c', 'power-cut-harness.c'].map((f) => join(UPDATE_C_DIR, 'host', f));
/** formats/update/tfu-format.h, which model-slots.h includes. */
export const TFU_FORMAT_DIR = join(UPDATE_C_DIR, '..', '..', '..', 'formats', 'update');
