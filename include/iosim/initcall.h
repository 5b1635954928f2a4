/* PLACEHOLDER */
#ifndef _IOSIM_INITCALL_H
#define _IOSIM_INITCALL_H
int iosim_initcalls_run(void);
#endif
