/* Empty functions the firmware calls around an inference and after each kernel call when built with
 * TF_PROFILE. The QEMU instruction-count plugin snapshots its counter when each one executes. */
#ifndef TF_PROFILE_MARKERS_H
#define TF_PROFILE_MARKERS_H

void tf_mark_invoke_begin(void);
void tf_mark_op_end(void);
void tf_mark_invoke_end(void);

#ifdef TF_PROFILE
#define TF_MARK_INVOKE_BEGIN() tf_mark_invoke_begin()
#define TF_MARK_OP_END() tf_mark_op_end()
#define TF_MARK_INVOKE_END() tf_mark_invoke_end()
#else
#define TF_MARK_INVOKE_BEGIN() ((void)0)
#define TF_MARK_OP_END() ((void)0)
#define TF_MARK_INVOKE_END() ((void)0)
#endif

#endif
