// TensorFlow Lite Micro + CMSIS-NN (DSP) on the same emulated board, qemu-mps2-an386, counted with the same QEMU
// plugin: the outside reference for tinyforge's Cortex-M4 kernels (shared/notes/platform.md, "Reference figures").
// Per-MAC figures are by layer kind, measured on kws_ref_model (a DS-CNN); for another model they are the nearest
// CMSIS-NN figure for that kind of layer, not a measurement of that model under TFLM.

/** Instructions per MAC of TFLM + CMSIS-NN, by layer kind. FC: the stand-alone 64→12 kernel (2.83), stricter
 * than the 3.2 it takes inside the whole model. */
export const CMSIS_NN_PER_MAC = { conv: 3.5, depthwise: 7.79, conv1x1: 2.09, fullyConnected: 2.83 } as const;

/** Instructions of one kws_ref_model inference under TFLM + CMSIS-NN. */
export const CMSIS_NN_KWS_INSTRUCTIONS = 7_700_000;

/** The layer kind of a kernel call, for CMSIS_NN_PER_MAC (null: no MAC figure). */
export function cmsisNnKind(kernel: string): keyof typeof CMSIS_NN_PER_MAC | null {
  switch (kernel) {
    case 'conv2d_s8':
      return 'conv';
    case 'depthwise_conv2d_s8':
      return 'depthwise';
    case 'conv2d_1x1_s8':
      return 'conv1x1';
    case 'fully_connected_s8':
      return 'fullyConnected';
    default:
      return null;
  }
}
