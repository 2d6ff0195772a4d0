/*
 * CCOC driver extension "ccoc.driver/1" (C): a driver is a plugin that talks to hardware and
 * speaks only the bus. `ccoc-driverd` loads ONE driver shared object in its own process, so a
 * driver that crashes or hangs never takes the control room with it; the host supervises
 * ccoc-driverd and restarts it.
 *
 * A driver is an ordinary plugin (ccoc/plugin.h): it exports `ccoc_plugin_entry`, its descriptor
 * has imgui_version NULL and imgui_layout_* 0, and its get_extension(CCOC_EXTENSION_DRIVER)
 * returns a `const ccoc_driver_v1*`. ccoc-driverd offers it these services through
 * ccoc_host.get_service:
 *   "ccoc.bus/1"      (ccoc/bus.h)  publish state, events, telemetry; read state; send commands
 *   "ccoc.log/1"      one line per call to ccoc-driverd's standard error, tagged with the driver id
 *   "ccoc.settings/1" the `settings` table of the driver's [[driver]] entry in the site file
 *
 * Life cycle, all on one thread of ccoc-driverd, the "driver thread":
 *   entry() -> init(host) -> get_extension("ccoc.driver/1") -> device_count/device_at
 *   -> start(context) -> { tick | on_command | on_deadman }* -> stop -> shutdown
 * The driver's devices are fixed between init and shutdown: ccoc-driverd announces them to the
 * broker (hello) before start and routes their commands to on_command. The driver's state is
 * republished by ccoc-driverd's bus client after every broker restart, so a driver publishes a
 * value once and only again when it changes.
 *
 * Threads:
 *   [driver-thread]  ccoc-driverd's driver thread only; never two calls at once
 *   [any-thread]     any thread, and it is thread-safe
 * Ownership: strings passed to the driver are owned by ccoc-driverd and valid during the call
 * only; strings the driver returns are owned by the driver and valid until shutdown.
 *
 * This header compiles as C11 and as C++20 with -Wall -Wextra -pedantic -Werror.
 */
#ifndef CCOC_DRIVER_H
#define CCOC_DRIVER_H

#include "ccoc/bus.h"
#include "ccoc/plugin.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What ccoc-driverd gives the driver at start. Owned by ccoc-driverd, valid until stop returns. */
typedef struct ccoc_driver_context_v1 {
    uint32_t struct_size;       /* sizeof(ccoc_driver_context_v1) as ccoc-driverd was built */
    const char* driver_id;      /* the [[driver]] id, also the bus source id ("sim-1") */
    const char* session;        /* the bus session of this run (new at every start) */
    const ccoc_host* host;      /* the same host the driver's init received */
    void* driverd_data;         /* opaque, for ccoc-driverd */

    /* [any-thread] Answers the command with this token (from on_command) exactly once. `reply`
     * and its strings are copied. Returns CCOC_BUS_OK, or CCOC_BUS_BAD_ARGUMENT for an unknown
     * or already answered token or a NULL reply. A command left unanswered is answered `timeout`
     * by the broker when its time to live runs out. */
    int (*answer)(const struct ccoc_driver_context_v1* context, uint64_t token, const ccoc_bus_reply* reply);
} ccoc_driver_context_v1;

/* "ccoc.driver/1": returned by get_extension. Owned by the driver, valid until shutdown. */
typedef struct ccoc_driver_v1 {
    uint32_t struct_size; /* sizeof(ccoc_driver_v1) as the driver was built */

    /* [driver-thread] Number of devices the driver owns (may be 0). Called after init, before
     * start. */
    uint32_t (*device_count)(void* plugin_data);
    /* [driver-thread] Id of device `index` (< device_count): a bus topic segment ("door-1").
     * Owned by the driver, valid until shutdown. */
    const char* (*device_at)(void* plugin_data, uint32_t index);

    /* [driver-thread] Starts talking to the hardware and publishes the full initial state
     * through "ccoc.bus/1". Called once, after the bus client was started (the broker may come
     * up later; publishing before that is fine). Returns false on failure, after logging the
     * reason through "ccoc.log/1": ccoc-driverd then exits with status 3 and the host restarts
     * it with backoff. */
    bool (*start)(void* plugin_data, const ccoc_driver_context_v1* context);

    /* [driver-thread] Periodic work (polling hardware, simulated changes). `now_sec` is a
     * monotonic clock. Returns the number of milliseconds after which it wants the next tick
     * (clamped to 1..1000; a command may arrive earlier). May be NULL: ticks every 1000 ms. */
    int32_t (*tick)(void* plugin_data, double now_sec);

    /* [driver-thread] A command for one of the driver's devices. Answer it exactly once, now or
     * later (from any thread), with context->answer(context, command->token, &reply). Do not act
     * on a command whose remaining_ms <= 0: answer CCOC_BUS_STATUS_TIMEOUT. */
    void (*on_command)(void* plugin_data, const ccoc_bus_incoming_command* command);

    /* [driver-thread] A continuous action (sent with deadman_ms > 0) was not repeated within its
     * dead-man interval: stop it now. May be NULL when the driver has no continuous actions. */
    void (*on_deadman)(void* plugin_data, const char* device, const char* action);

    /* [driver-thread] Stops talking to the hardware; called once before shutdown when start
     * succeeded. Publishing here is allowed but may not reach the broker. */
    void (*stop)(void* plugin_data);
} ccoc_driver_v1;

#ifdef __cplusplus
}
#endif

#endif /* CCOC_DRIVER_H */
