// The project systems `tinyforge export` writes, and for each the boards it knows how to name: the CMake project
// is tinyforge's own firmware (startup, linker script, board.c) so it takes the Cortex-M firmware targets; the
// others run on a vendor's core or RTOS, which knows the board by its own name.
import { FIRMWARE_TARGETS } from '../firmware/firmware-targets.ts';

export const EXPORT_SYSTEMS = ['cmake', 'platformio', 'arduino', 'zephyr'] as const;
export type ExportSystem = (typeof EXPORT_SYSTEMS)[number];

/** PlatformIO's board id and development platform (`pio boards`), built with its Arduino framework. */
export const PLATFORMIO_BOARDS: Readonly<Record<string, { board: string; platform: string }>> = {
  'nucleo-l4r5zi': { board: 'nucleo_l4r5zi', platform: 'ststm32' },
  'stm32f746g-disco': { board: 'disco_f746ng', platform: 'ststm32' },
  bluepill: { board: 'bluepill_f103c8', platform: 'ststm32' },
  'nrf52840-dk': { board: 'nrf52840_dk', platform: 'nordicnrf52' },
  'rpi-pico': { board: 'pico', platform: 'raspberrypi' },
  'esp32-devkitc': { board: 'esp32dev', platform: 'espressif32' },
  'esp32-s3-devkitc': { board: 'esp32-s3-devkitc-1', platform: 'espressif32' },
  'esp32-c3-devkitm': { board: 'esp32-c3-devkitm-1', platform: 'espressif32' },
};

/** The Arduino core's architecture (library.properties `architectures`) and the board's FQBN for arduino-cli. */
export const ARDUINO_BOARDS: Readonly<Record<string, { architecture: string; fqbn: string }>> = {
  'nucleo-l4r5zi': { architecture: 'stm32', fqbn: 'STMicroelectronics:stm32:Nucleo_144:pnum=NUCLEO_L4R5ZI' },
  'stm32f746g-disco': { architecture: 'stm32', fqbn: 'STMicroelectronics:stm32:Disco:pnum=DISCO_F746NG' },
  bluepill: { architecture: 'stm32', fqbn: 'STMicroelectronics:stm32:GenF1:pnum=BLUEPILL_F103C8' },
  'rpi-pico': { architecture: 'mbed_rp2040', fqbn: 'arduino:mbed_rp2040:pico' },
  'esp32-devkitc': { architecture: 'esp32', fqbn: 'esp32:esp32:esp32' },
  'esp32-s3-devkitc': { architecture: 'esp32', fqbn: 'esp32:esp32:esp32s3' },
  'esp32-c3-devkitm': { architecture: 'esp32', fqbn: 'esp32:esp32:esp32c3' },
};

/** Zephyr's board target (`west build -b …`, hardware model v2 names). */
export const ZEPHYR_BOARDS: Readonly<Record<string, string>> = {
  'nucleo-l4r5zi': 'nucleo_l4r5zi',
  'stm32f746g-disco': 'stm32f746g_disco',
  'nrf52840-dk': 'nrf52840dk/nrf52840',
  'rpi-pico': 'rpi_pico',
  'esp32-devkitc': 'esp32_devkitc_wroom/esp32/procpu',
  'esp32-s3-devkitc': 'esp32s3_devkitc/esp32s3/procpu',
  'esp32-c3-devkitm': 'esp32c3_devkitm',
};

/** Cortex-M firmware targets: the CMake project links tinyforge's own startup code and linker script. */
const CMAKE_BOARDS = FIRMWARE_TARGETS.filter((t) => t.arch === 'arm').map((t) => t.id);

export function exportBoards(system: ExportSystem): string[] {
  switch (system) {
    case 'cmake': return [...CMAKE_BOARDS];
    case 'platformio': return Object.keys(PLATFORMIO_BOARDS);
    case 'arduino': return Object.keys(ARDUINO_BOARDS);
    case 'zephyr': return Object.keys(ZEPHYR_BOARDS);
  }
}

/** The systems a board can be exported for (empty: the board cannot be exported). */
export function exportSystemsFor(boardId: string): ExportSystem[] {
  return EXPORT_SYSTEMS.filter((s) => exportBoards(s).includes(boardId));
}
