/*
 * CCOC bus service "ccoc.bus/1" (C): how a plugin (panel or driver) reads state and events and
 * sends or serves commands, through the host's bus client. Protocol: sdk/docs/bus-protocol.md.
 *
 * Get it with host->get_service(host, CCOC_SERVICE_BUS) and cast to const ccoc_bus_service_v1*.
 * Check struct_size (CCOC_STRUCT_HAS_FIELD) before calling a function added after revision 1.
 *
 * Threads: every function is [any-thread]. Callbacks run on the host's main thread in ccoc-host
 * (delivered through a bounded queue, so the render thread never waits on a socket) and on the
 * driver's thread in ccoc-driverd; never two at once for one plugin.
 * Ownership: strings passed in are copied before the call returns; pointers passed to callbacks
 * are valid only during the callback.
 *
 * This header compiles as C11 and as C++20 with -Wall -Wextra -pedantic -Werror.
 */
#ifndef CCOC_BUS_H
#define CCOC_BUS_H

#include "ccoc/plugin.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes of the functions below. */
#define CCOC_BUS_OK 0
#define CCOC_BUS_BAD_PATH 1      /* path or prefix breaks the topic grammar */
#define CCOC_BUS_BAD_JSON 2      /* payload is not valid JSON / UTF-8, or too deep */
#define CCOC_BUS_TOO_BIG 3       /* payload beyond the message size limit */
#define CCOC_BUS_NOT_RUNNING 4   /* the bus client is stopped */
#define CCOC_BUS_BAD_ARGUMENT 5  /* NULL where a value is needed, unknown token, ... */
#define CCOC_BUS_TIMEOUT 7       /* publish_event_acked: not acknowledged in time; still pending, still resent */
#define CCOC_BUS_QUEUE_FULL 6    /* the host's outgoing queue is full (broker unreachable): not sent
                                    now, never waited for; state is republished and a reliable event
                                    resent once the broker is back, telemetry is dropped */

typedef enum ccoc_bus_kind {
    CCOC_BUS_STATE = 0,
    CCOC_BUS_EVENT = 1,
    CCOC_BUS_TELEMETRY = 2
} ccoc_bus_kind;

/* Flags of publish. */
#define CCOC_BUS_RELIABLE 1u     /* events: at-least-once, journalled by the broker */

typedef enum ccoc_bus_status {
    CCOC_BUS_STATUS_OK = 0,
    CCOC_BUS_STATUS_ERROR = 1,
    CCOC_BUS_STATUS_BUSY = 2,
    CCOC_BUS_STATUS_REJECTED = 3,
    CCOC_BUS_STATUS_TIMEOUT = 4,
    CCOC_BUS_STATUS_UNAVAILABLE = 5
} ccoc_bus_status;

/* A received state update, event or telemetry sample. */
typedef struct ccoc_bus_message {
    uint32_t struct_size;
    ccoc_bus_kind kind;
    const char* path;         /* "cam-1/ptz/position" */
    const char* device;       /* "cam-1" */
    const char* payload_json; /* NUL-terminated JSON text */
    const char* source;       /* sender's id */
    const char* message_id;
    uint64_t seq;             /* sender's sequence number */
    int64_t acquired_us;      /* microseconds since 1970 UTC */
    int64_t received_us;      /* when the broker received it */
    uint64_t broker_seq;      /* state only */
    bool stale;               /* state only: its driver went silent */
    bool reliable;            /* events only */
    /* Added in 1.1 (check struct_size before reading): */
    bool removed;             /* state only: the key was removed (remove_state) */
} ccoc_bus_message;

/* One retained state entry. */
typedef struct ccoc_bus_state_entry {
    uint32_t struct_size;
    const char* path;
    const char* value_json;
    const char* source;
    int64_t acquired_us;
    uint64_t broker_seq;
    bool stale;
} ccoc_bus_state_entry;

typedef struct ccoc_bus_command {
    uint32_t struct_size;
    const char* device;     /* "cam-1" */
    const char* action;     /* "ptz.move" */
    const char* args_json;  /* NULL means "null" */
    int32_t ttl_ms;         /* 1..600000 */
    int32_t deadman_ms;     /* > 0 for a continuous action; repeat it within this interval */
} ccoc_bus_command;

typedef struct ccoc_bus_reply {
    uint32_t struct_size;
    ccoc_bus_status status;
    const char* message;     /* may be NULL */
    const char* result_json; /* may be NULL ("null") */
} ccoc_bus_reply;

/* A command for a device this plugin serves. Answer it exactly once with answer(token). */
typedef struct ccoc_bus_incoming_command {
    uint32_t struct_size;
    uint64_t token;
    const char* device;
    const char* action;
    const char* args_json;
    const char* source;
    int32_t remaining_ms;   /* time to live left; do not act when <= 0 */
    int32_t deadman_ms;
} ccoc_bus_incoming_command;

typedef void (*ccoc_bus_message_fn)(void* user, const ccoc_bus_message* message);
typedef void (*ccoc_bus_state_fn)(void* user, const ccoc_bus_state_entry* entry);
typedef void (*ccoc_bus_reply_fn)(void* user, const ccoc_bus_reply* reply);
typedef void (*ccoc_bus_command_fn)(void* user, const ccoc_bus_incoming_command* command);
typedef void (*ccoc_bus_deadman_fn)(void* user, const char* device, const char* action);

/* "ccoc.bus/1" */
typedef struct ccoc_bus_service_v1 {
    uint32_t struct_size;

    /* [any-thread] Publishes `json` at `path` ("DEVICE/KEY...") as state, event or telemetry.
     * flags: CCOC_BUS_RELIABLE for events. Returns CCOC_BUS_OK or an error code. */
    int (*publish)(const ccoc_host* host, ccoc_bus_kind kind, const char* path, const char* json,
                   uint32_t flags);

    /* [any-thread] Calls fn for every message under prefix ("event/cam-1", "state", "" for
     * all; whole segments only). Returns a subscription id (> 0), or 0 on a bad prefix. */
    uint64_t (*subscribe)(const ccoc_host* host, const char* prefix, ccoc_bus_message_fn fn, void* user);
    /* [any-thread] Ends a subscription; fn is not called after this returns on the callback thread. */
    void (*unsubscribe)(const ccoc_host* host, uint64_t subscription);

    /* [any-thread] Calls fn once for each retained state entry under prefix ("cam-1", "" for
     * all), sorted by path, before it returns. Returns the number of entries. */
    size_t (*read_state)(const ccoc_host* host, const char* prefix, ccoc_bus_state_fn fn, void* user);

    /* [any-thread] Sends a command. fn is called exactly once, later, with the answer (timeout
     * when none comes in time). Returns CCOC_BUS_OK, or an error code and fn is never called. */
    int (*send_command)(const ccoc_host* host, const ccoc_bus_command* command, ccoc_bus_reply_fn fn,
                        void* user);

    /* [any-thread] Serves commands for the devices the plugin owns (drivers). on_deadman may be
     * NULL; it is called when a continuous action was not repeated in time: stop the action. */
    int (*serve_commands)(const ccoc_host* host, ccoc_bus_command_fn on_command,
                          ccoc_bus_deadman_fn on_deadman, void* user);
    /* [any-thread] Answers the command with this token. Returns CCOC_BUS_BAD_ARGUMENT for an
     * unknown or already answered token. */
    int (*answer)(const ccoc_host* host, uint64_t token, const ccoc_bus_reply* reply);

    /* Added in 1.1: check CCOC_STRUCT_HAS_FIELD(service, ccoc_bus_service_v1, remove_state)
     * before calling these. */

    /* [any-thread, blocks up to timeout_ms] Publishes a reliable event and returns CCOC_BUS_OK
     * only once the broker has journalled it, so a receiver of alarms (a SIA DC-09 receiver) can
     * acknowledge its sender then. CCOC_BUS_TIMEOUT: not yet acknowledged; the event stays
     * pending and is resent until it is. Other codes as publish. Not on the host's main thread. */
    int (*publish_event_acked)(const ccoc_host* host, const char* path, const char* json, int timeout_ms);
    /* [any-thread] Removes the retained state key at path: it leaves every mirror and snapshot;
     * subscribers get a state message with `removed` set. Returns CCOC_BUS_OK or an error code. */
    int (*remove_state)(const ccoc_host* host, const char* path);
} ccoc_bus_service_v1;

#ifdef __cplusplus
}
#endif

#endif /* CCOC_BUS_H */
