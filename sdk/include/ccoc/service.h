/*
 * CCOC service extension "ccoc.service/1" (C): a service is the logic between screens and
 * hardware that must be one for the whole site (the alarm service, a PTZ arbiter, lighting
 * programs, the operator service). It is a bus peer with no screen and no hardware: it
 * subscribes, keeps state and a journal, publishes, and serves commands.
 *
 * `ccoc-serviced` loads ONE service shared object in its own process, so a service that crashes
 * or hangs never takes the wall with it. The host runs one ccoc-serviced per [[service]] entry of
 * the site file with run = "local", supervises it and restarts it exactly as it does drivers;
 * run = "remote" services run on another machine (their own ccoc-serviced) and this host only
 * watches for them on the bus.
 *
 * A service is an ordinary plugin (ccoc/plugin.h): it exports `ccoc_plugin_entry`, its
 * descriptor has imgui_version NULL and imgui_layout_* 0, and its
 * get_extension(CCOC_EXTENSION_SERVICE) returns a `const ccoc_service_v1*`. ccoc-serviced offers
 * it these services through ccoc_host.get_service:
 *   "ccoc.log/1"      one line per call to ccoc-serviced's standard error, tagged with the service id
 *   "ccoc.settings/1" the `settings` table of the service's [[service]] entry in the site file
 *   "ccoc.bus/1"      (ccoc/bus.h) a bus client of the runner, connected as the service id; made
 *                     when the service first asks for it, so a service that brings its own client
 *                     (a first-party C++ service using ccoc/bus/client.hpp with the endpoint and
 *                     keys of ccoc_service_context_v1) does not join the bus twice
 *
 * Life cycle, all on ccoc-serviced's main thread, the "service thread":
 *   entry() -> init(host) -> get_extension("ccoc.service/1") -> [check(context) and exit, for
 *   --check] -> start(context)
 *   -> [runs on its own threads until SIGTERM/SIGINT] -> stop -> shutdown
 * stop drains: the service finishes what it accepted (writes its journal) before it returns; the
 * host's supervisor allows it a few seconds before SIGKILL. A service must expect SIGKILL at any
 * time (a crash, a hung process killed): what it acknowledged must already be in its journal.
 *
 * Threads:
 *   [service-thread] ccoc-serviced's main thread only; never two calls at once
 *   [any-thread]     any thread, and it is thread-safe
 * Ownership: everything ccoc-serviced passes is owned by ccoc-serviced; the context is valid
 * from start until stop returns, its strings as long.
 *
 * This header compiles as C11 and as C++20 with -Wall -Wextra -pedantic -Werror.
 */
#ifndef CCOC_SERVICE_H
#define CCOC_SERVICE_H

#include "ccoc/plugin.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What ccoc-serviced gives the service at start. Strings are never NULL ("" when not set). */
typedef struct ccoc_service_context_v1 {
    uint32_t struct_size;      /* sizeof(ccoc_service_context_v1) as ccoc-serviced was built */
    const char* service_id;    /* the [[service]] id, also its bus source id ("alarms") */
    const char* site_file;     /* absolute path of the site file the service reads its sections from */
    const char* state_dir;     /* absolute path of its own folder for state and journal; it exists */
    const char* bus_frontend;  /* the broker's ROUTER endpoint ("tcp://127.0.0.1:5570") */
    const char* bus_publisher; /* the broker's PUB endpoint */
    /* On a bus with security = "curve": the service's own key pair (its [[bus.allow]] entry named
     * service_id) and the broker's public key; all "" on a bus without security. The secret key
     * is only named by its file, never passed as text. */
    const char* secret_key_file;
    const char* public_key;
    const char* server_public_key;
    const ccoc_host* host;     /* the same host the service's init received */
    void* runner_data;         /* opaque, for ccoc-serviced */
} ccoc_service_context_v1;

/* "ccoc.service/1": returned by get_extension. Owned by the service, valid until shutdown. */
typedef struct ccoc_service_v1 {
    uint32_t struct_size; /* sizeof(ccoc_service_v1) as the service was built */

    /* [service-thread] Opens the service's journal in context->state_dir (or where its site
     * section says), joins the bus and starts serving on threads of its own; returns once it
     * runs. Returns false on failure, after logging the reason through "ccoc.log/1":
     * ccoc-serviced then exits with status 3 and the host restarts it with backoff, as a driver. */
    bool (*start)(void* plugin_data, const ccoc_service_context_v1* context);

    /* [service-thread] Stops serving and drains: what was accepted is written before it
     * returns. Called once, before shutdown, when start succeeded. */
    void (*stop)(void* plugin_data);

    /* [service-thread] Checks what start would use (its sections of the site file, that its
     * journal opens) without joining the bus, for `ccoc-serviced --check`. Returns false after
     * logging every problem found through "ccoc.log/1". May be NULL: nothing to check beyond the
     * site file, which ccoc-serviced has read already. */
    bool (*check)(void* plugin_data, const ccoc_service_context_v1* context);
} ccoc_service_v1;

#ifdef __cplusplus
}
#endif

#endif /* CCOC_SERVICE_H */
