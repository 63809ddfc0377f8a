/* The device side of a model update over the framed serial protocol (common/serial-protocol.h): the UPDATE_*
 * commands, STATUS and REBOOT, answered from the slot firmware's slots. The host side is
 * targets/update/update-protocol.ts; the whole exchange is described there. */
#ifndef TF_UPDATE_SERVICE_H
#define TF_UPDATE_SERVICE_H

#include <stdint.h>

#include "model-slots.h"

/* What the service needs from the firmware that runs it (slots/slot-boot.c). */
typedef struct {
  tf_slots *slots;      /* NULL: the board has no flash driver */
  int running;          /* the slot the model runs from, -1 none */
  int on_trial;
  int key_present;      /* 0: built without `build --pub`, every update is refused */
} tf_update_env;

/* Handles `cmd` when it is an update command (sends its response, may reboot); 0 when it is not one. */
int tf_update_handle(uint8_t cmd, const uint8_t *payload, uint32_t len, const tf_update_env *env);

#endif
