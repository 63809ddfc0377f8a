/* The kernels the blob interpreter can call, by the name a blob step gives (its kernel id): one table,
 * generated from the compiler's kernel layouts (tf_kernel_table.c), so every kernel is mapped exactly once. */
#ifndef TF_KERNEL_TABLE_H
#define TF_KERNEL_TABLE_H

#include <stdint.h>

/* Upper bounds over every layout (the generated table checks them at compile time). */
#define TF_KERNEL_MAX_POINTERS 8
#define TF_KERNEL_MAX_SCALARS 32

/* Calls the kernel with its parameter struct filled from `ptr` (pointer args) and `s` (int32 scalars). */
typedef void (*tf_kernel_adapter)(void *const *ptr, const int32_t *s);

typedef struct {
  const char *name;
  uint8_t pointers;
  uint8_t scalars;
  tf_kernel_adapter call;
} tf_kernel_entry;

extern const tf_kernel_entry tf_kernel_table[];
extern const uint32_t tf_kernel_table_count;

#endif
