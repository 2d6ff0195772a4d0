/*
 * CCOC plugin ABI (C). This header is the whole contract between the host and a plugin.
 *
 * Rules (see sdk/docs/plugin-guide.md):
 *  - A plugin exports `ccoc_plugin_entry` (CCOC_PLUGIN_ENTRY_SYMBOL), and may export `ccoc_settings_declarations` (ccoc/settings.h).
 *  - Every top-level struct starts with `struct_size` (uint32_t) followed by the ABI version it was
 *    built against. The host reads struct_size first and never reads a field whose end lies beyond it.
 *  - The host accepts a plugin of the same ABI major and an equal or older minor.
 *  - Optional features are found by string id with a revision ("ccoc.panel/1"); a breaking
 *    change is a new id, never a changed struct.
 *  - No C++ type, exception or ownership crosses this boundary. Strings passed in either direction
 *    are UTF-8, NUL-terminated and owned by the side that passes them; lifetimes are stated per field.
 *  - Each function pointer is tagged with the thread it may be called on:
 *      [main-thread]  the host's main (render) thread only
 *      [any-thread]   any thread, and it is thread-safe
 *
 * This header compiles as C11 and as C++20 with -Wall -Wextra -pedantic -Werror.
 */
#ifndef CCOC_PLUGIN_H
#define CCOC_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version of this header. Bump MINOR when adding fields at the end of a struct that the plugin
 * fills and the host must understand (descriptor, factories); bump MAJOR only for a change that an
 * older plugin cannot survive. A host service that grows a trailing function keeps the version: the
 * plugin finds the function with CCOC_STRUCT_HAS_FIELD, so a new plugin still loads in an older host
 * (which refuses any newer minor) and simply goes without it there. */
#define CCOC_ABI_MAJOR 1u
#define CCOC_ABI_MINOR 0u

#if defined(_WIN32)
#define CCOC_EXPORT __declspec(dllexport)
#else
#define CCOC_EXPORT __attribute__((visibility("default")))
#endif

/* The one symbol a plugin exports. */
#define CCOC_PLUGIN_ENTRY_SYMBOL "ccoc_plugin_entry"

/* Well-known ids of host services (ccoc_host.get_service) and plugin extensions (get_extension). */
#define CCOC_SERVICE_LOG "ccoc.log/1"           /* -> const ccoc_log_service_v1*      */
#define CCOC_SERVICE_SETTINGS "ccoc.settings/1" /* -> const ccoc_settings_service_v1* */
#define CCOC_SERVICE_IMGUI "ccoc.imgui/1"       /* -> const ccoc_imgui_service_v1*    */
#define CCOC_SERVICE_BUS "ccoc.bus/1"           /* -> see ccoc/bus.h                  */
#define CCOC_SERVICE_HOST_INFO "ccoc.host-info/1" /* -> const ccoc_host_info_service_v1* */
#define CCOC_EXTENSION_PANEL "ccoc.panel/1"     /* -> const ccoc_panel_factory_v1*    */
#define CCOC_EXTENSION_DRIVER "ccoc.driver/1"   /* -> see ccoc/driver.h               */
#define CCOC_EXTENSION_STATUS_ITEM "ccoc.status-item/1" /* -> const ccoc_status_item_v1* */
#define CCOC_EXTENSION_SERVICE "ccoc.service/1" /* -> see ccoc/service.h              */

/* Reads the size of any CCOC struct, which always comes first. */
#define CCOC_STRUCT_HAS_FIELD(ptr, type, field) \
    ((ptr) != NULL && (ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

typedef enum ccoc_log_level {
    CCOC_LOG_DEBUG = 0,
    CCOC_LOG_INFO = 1,
    CCOC_LOG_WARNING = 2,
    CCOC_LOG_ERROR = 3
} ccoc_log_level;

/* ------------------------------------------------------------------------------------------------
 * The host, as a plugin sees it. One instance per loaded plugin; valid from init until shutdown
 * returns. Owned by the host.
 */
typedef struct ccoc_host {
    uint32_t struct_size; /* sizeof(ccoc_host) as the host was built */
    uint16_t abi_major;
    uint16_t abi_minor;
    const char* host_name;    /* "ccoc-host" */
    const char* host_version; /* "0.1.0" */
    void* host_data;          /* opaque, for the host's own use */

    /* [any-thread] Returns the service with this id ("ccoc.log/1"...), or NULL when the host
     * offers none. The pointer stays valid until the plugin's shutdown returns. */
    const void* (*get_service)(const struct ccoc_host* host, const char* service_id);
} ccoc_host;

/* "ccoc.log/1" */
typedef struct ccoc_log_service_v1 {
    uint32_t struct_size;
    /* [any-thread] Logs one line, tagged with the plugin's id. `message` is copied. */
    void (*log)(const ccoc_host* host, ccoc_log_level level, const char* message);
} ccoc_log_service_v1;

/* "ccoc.settings/1": the plugin's own `settings` table from its [[plugin]] entry in the site
 * file. Keys are dotted paths inside that table ("stream.fps"). Strings returned are owned by the
 * host and valid until the plugin's shutdown returns. */
typedef struct ccoc_settings_service_v1 {
    uint32_t struct_size;
    /* [any-thread] Returns the string at key, or NULL when absent or not a string. */
    const char* (*get_string)(const ccoc_host* host, const char* key);
    /* [any-thread] Writes the integer at key to *out and returns true; false when absent or not an integer. */
    bool (*get_int)(const ccoc_host* host, const char* key, int64_t* out);
    /* [any-thread] As get_int, for floating-point values (integers are converted). */
    bool (*get_double)(const ccoc_host* host, const char* key, double* out);
    /* [any-thread] As get_int, for booleans. */
    bool (*get_bool)(const ccoc_host* host, const char* key, bool* out);
    /* [any-thread] The whole table as JSON text (UTF-8); never NULL ("{}" when empty). */
    const char* (*get_json)(const ccoc_host* host);

    /* Added later than the functions above: check CCOC_STRUCT_HAS_FIELD(service,
     * ccoc_settings_service_v1, where) first, since an older host's service ends at get_json.
     * [any-thread] Where `key` (a dotted path as above; arrays by 0-based index, "sensor.0.device";
     * "" for the table itself) was written, for messages about its value: "FILE:LINE:COL" of the
     * value in the site file. For a key that is absent it gives the nearest enclosing table that is
     * there (a missing key is reported at its table; with no settings table at all, the plugin's
     * entry). A value given on a command line (ccoc-driverd --set KEY=VALUE) gives "--set KEY".
     * NULL when the origin is unknown (settings from --set only, an absent key, key NULL).
     * The string is owned by the host and valid until the plugin's shutdown returns. */
    const char* (*where)(const ccoc_host* host, const char* key);
} ccoc_settings_service_v1;

/* "ccoc.imgui/1": the host's Dear ImGui. There is one copy of ImGui in the process (the SDK's
 * shared library), so a panel only needs the context of the screen it draws on, which the host
 * makes current before calling draw. The version and layout fields let a plugin check itself. */
typedef struct ccoc_imgui_service_v1 {
    uint32_t struct_size;
    const char* imgui_version;   /* IMGUI_VERSION the host was built with */
    uint32_t imgui_version_num;  /* IMGUI_VERSION_NUM */
    /* [main-thread] The ImGui context current now (an ImGuiContext*), or NULL outside a frame. */
    void* (*current_context)(const ccoc_host* host);
    /* [main-thread] The allocator functions the host gave ImGui (ImGui::GetAllocatorFunctions). */
    void (*get_allocator)(const ccoc_host* host, void** alloc_func, void** free_func, void** user_data);
} ccoc_imgui_service_v1;

/* "ccoc.host-info/1": what the host knows about the site and its plugins, for panels that show it
 * (the system panel). Strings are owned by the host and valid until the plugin's shutdown returns. */
typedef enum ccoc_plugin_load_state {
    CCOC_PLUGIN_LOADED = 0,  /* loaded and initialised */
    CCOC_PLUGIN_REFUSED = 1  /* skipped; see reason */
} ccoc_plugin_load_state;

typedef struct ccoc_plugin_info {
    uint32_t struct_size;      /* set by the caller to sizeof(ccoc_plugin_info) before the call */
    ccoc_plugin_load_state state;
    const char* id;            /* descriptor id, or the id/path asked for when refused early */
    const char* name;          /* may be empty */
    const char* version;       /* may be empty */
    const char* path;          /* file that was (or would have been) loaded */
    uint32_t abi_major;        /* ABI the plugin was built for; 0 when unknown */
    uint32_t abi_minor;
    const char* imgui_version; /* may be empty */
    const char* reason;        /* why it was refused; empty when loaded */
} ccoc_plugin_info;

typedef struct ccoc_host_info_service_v1 {
    uint32_t struct_size;
    /* [main-thread] Site name in Thai, in English, the station code, and the site file's path. */
    const char* (*site_name)(const ccoc_host* host);
    const char* (*site_name_en)(const ccoc_host* host);
    const char* (*station_code)(const ccoc_host* host);
    const char* (*site_file)(const ccoc_host* host);
    /* [main-thread] The UI language ("th" or "en") and the operator's name. */
    const char* (*language)(const ccoc_host* host);
    const char* (*operator_name)(const ccoc_host* host);
    /* [main-thread] Number of plugins asked for (loaded and refused). */
    uint32_t (*plugin_count)(const ccoc_host* host);
    /* [main-thread] Fills *out (whose struct_size the caller set) for plugin index; false when
     * index >= plugin_count. Only fields that fit in out->struct_size are written. */
    bool (*plugin_at)(const ccoc_host* host, uint32_t index, ccoc_plugin_info* out);
    /* [main-thread] Number of screens, and frames per second of the host's main loop. */
    uint32_t (*screen_count)(const ccoc_host* host);
    double (*frames_per_second)(const ccoc_host* host);
} ccoc_host_info_service_v1;

/* ------------------------------------------------------------------------------------------------
 * Panels: "ccoc.panel/1". A panel type draws with Dear ImGui inside a region of a screen. The host
 * creates one instance per [[panel]] in the site file that names the type.
 */
typedef struct ccoc_panel_draw_info {
    uint32_t struct_size;
    const char* screen_id;   /* id of the screen being drawn */
    float x, y;              /* region origin, in the screen's pixels */
    float width, height;     /* region size, in pixels */
    double now_sec;          /* monotonic clock, seconds */
    uint64_t frame_index;    /* frames drawn by this screen so far */
} ccoc_panel_draw_info;

typedef struct ccoc_panel_type_v1 {
    uint32_t struct_size;
    const char* id;          /* panel type id, unique in the process: "system.info" */
    const char* title;       /* default title, English */
    const char* title_th;    /* default title, Thai; may be NULL */

    /* [main-thread] Creates an instance. `instance_id` is the [[panel]] id from the site file;
     * `settings_json` its settings table as JSON. Returns NULL on failure (logged by the plugin). */
    void* (*create)(void* plugin_data, const char* instance_id, const char* settings_json);
    /* [main-thread] Destroys an instance made by create. */
    void (*destroy)(void* instance);
    /* [main-thread] Called once per host frame before any screen is drawn. May be NULL. */
    void (*tick)(void* instance, double now_sec);
    /* [main-thread] Draws the instance's contents into the current ImGui window, which the host
     * has placed over the region. The ImGui context of the screen is current. */
    void (*draw)(void* instance, const ccoc_panel_draw_info* info);
} ccoc_panel_type_v1;

typedef struct ccoc_panel_factory_v1 {
    uint32_t struct_size;
    /* [main-thread] Number of panel types this plugin offers. */
    uint32_t (*count)(void* plugin_data);
    /* [main-thread] The panel type at index (< count), owned by the plugin, valid until shutdown. */
    const ccoc_panel_type_v1* (*get)(void* plugin_data, uint32_t index);
} ccoc_panel_factory_v1;

/* ------------------------------------------------------------------------------------------------
 * Status-bar items: "ccoc.status-item/1". The host's status bar shows the site, the operator, the
 * bus and the clock; what else it shows comes from plugins (the alarm chips of the alarms
 * plugin). The host draws each loaded plugin's item after its own, on every screen, in the order
 * the plugins are loaded.
 */
typedef struct ccoc_status_item_draw_info {
    uint32_t struct_size;  /* sizeof(ccoc_status_item_draw_info) as the host was built */
    const char* screen_id; /* id of the screen being drawn */
    float max_width;       /* pixels left on the bar's line for this item (it may use less) */
    float height;          /* height of the bar's line, in pixels */
    double now_sec;        /* monotonic clock, seconds */
} ccoc_status_item_draw_info;

typedef struct ccoc_status_item_v1 {
    uint32_t struct_size;
    /* [main-thread] Draws the plugin's item into the status bar's ImGui window, at the cursor, on
     * one line and within info->max_width; drawing nothing is fine (nothing to say now). The
     * screen's ImGui context is current. It must not block: read what it shows from state the
     * plugin keeps (bus subscriptions, the host's mirror through "ccoc.bus/1" read_state). */
    void (*draw)(void* plugin_data, const ccoc_status_item_draw_info* info);
} ccoc_status_item_v1;

/* ------------------------------------------------------------------------------------------------
 * The plugin, as the host sees it: returned by the one exported function. Owned by the plugin,
 * static, valid while the shared object is loaded.
 */
typedef struct ccoc_plugin_descriptor {
    uint32_t struct_size; /* sizeof(ccoc_plugin_descriptor) as the plugin was built */
    uint16_t abi_major;   /* CCOC_ABI_MAJOR as the plugin was built */
    uint16_t abi_minor;   /* CCOC_ABI_MINOR as the plugin was built */

    const char* id;          /* reverse-dns-ish, unique: "ccoc.system" */
    const char* name;        /* human name */
    const char* version;     /* plugin's own version, "1.2.0" */
    const char* vendor;      /* may be NULL */
    const char* description; /* may be NULL */

    /* ImGui the plugin was compiled against (IMGUI_VERSION), or NULL when it does not use ImGui
     * (drivers). The host refuses a plugin whose version differs from its own. */
    const char* imgui_version;
    /* sizeof(ImGuiIO), sizeof(ImGuiStyle), sizeof(ImDrawVert) the plugin saw; 0 when no ImGui.
     * Catches a plugin built with another imconfig.h even at the same version. */
    uint32_t imgui_layout_io;
    uint32_t imgui_layout_style;
    uint32_t imgui_layout_vert;

    /* [main-thread] Initialises the plugin. Writes its own state to *plugin_data. Returns false on
     * failure, after logging the reason through "ccoc.log/1". The host never calls anything else of
     * a plugin whose init failed, and it does not call shutdown. */
    bool (*init)(const ccoc_host* host, void** plugin_data);
    /* [main-thread] Releases everything. Called once, after every instance was destroyed. */
    void (*shutdown)(void* plugin_data);
    /* [main-thread] Returns the extension with this id ("ccoc.panel/1"), or NULL. Owned by the
     * plugin, valid until shutdown. */
    const void* (*get_extension)(void* plugin_data, const char* extension_id);
} ccoc_plugin_descriptor;

/* The signature of the exported symbol. [main-thread] Called once after dlopen. */
typedef const ccoc_plugin_descriptor* (*ccoc_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* CCOC_PLUGIN_H */
