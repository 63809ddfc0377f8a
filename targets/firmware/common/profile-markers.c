/* noipa keeps each marker a distinct, real function (no inlining, no identical-code folding), so each call
 * executes an instruction at the marker's own address for the plugin to watch. */
#include "profile-markers.h"

__attribute__((noipa, used)) void tf_mark_invoke_begin(void) { __asm__ volatile("" ::: "memory"); }
__attribute__((noipa, used)) void tf_mark_op_end(void) { __asm__ volatile("" ::: "memory"); }
__attribute__((noipa, used)) void tf_mark_invoke_end(void) { __asm__ volatile("" ::: "memory"); }
