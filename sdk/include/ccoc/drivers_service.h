/* "ccoc.drivers/1": the drivers and services this host runs (it supervises both alike), for
 * panels that show them and let an operator restart one that is down (the system panel's
 * "Drivers").
 *
 * A host offers it only when it supervises drivers (a bus is configured). C ABI, like plugin.h:
 * a plugin checks struct_size before using a field added later.
 *
 * Threads: every function is [main-thread] (call it from draw). Strings in ccoc_driver_info are
 * owned by the host and valid until the next call of driver_count on the main thread. */
#ifndef CCOC_DRIVERS_SERVICE_H
#define CCOC_DRIVERS_SERVICE_H

#include "ccoc/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CCOC_SERVICE_DRIVERS "ccoc.drivers/1" /* -> const ccoc_drivers_service_v1* */

typedef struct ccoc_driver_info {
    uint32_t struct_size;  /* set by the caller to sizeof(ccoc_driver_info) before the call */
    const char* id;        /* the [[driver]] or [[service]] id */
    const char* state;     /* "starting", "running", "backoff", "crash-loop", "stopped", "failed" */
    const char* last_exit; /* "exit 3", "signal 11 (Segmentation fault)"; empty before any */
    int32_t pid;           /* 0 while not running */
    uint32_t starts;       /* processes started so far */
    int64_t retry_in_ms;   /* backoff, crash-loop, failed: when the host tries it again; else 0 */
    bool down;             /* crash-loop or failed: a device-fault alarm is raised for it */
    /* Added later: check the caller's struct_size covers it. "driver" or "service". */
    const char* kind;
} ccoc_driver_info;

typedef struct ccoc_drivers_service_v1 {
    uint32_t struct_size;
    /* Takes a fresh copy of the supervisor's view and returns how many drivers it has. */
    uint32_t (*driver_count)(const ccoc_host* host);
    /* Fills *out for index of that copy; false when index >= driver_count. */
    bool (*driver_at)(const ccoc_host* host, uint32_t index, ccoc_driver_info* out);
    /* Starts a driver that is not running now, instead of after its delay or cool-down; the host
     * logs it with the operator's name. False for an unknown id or one that is running. */
    bool (*restart_now)(const ccoc_host* host, const char* id);
} ccoc_drivers_service_v1;

#ifdef __cplusplus
}
#endif

#endif /* CCOC_DRIVERS_SERVICE_H */
