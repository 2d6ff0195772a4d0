/*
 * CCOC settings declarations (C): what settings a panel type, a driver, the devices of a driver, a
 * service or a plugin accepts, declared once as plain data in the shared object.
 *
 * From that one declaration come (sdk/docs/plugin-guide.md, "Settings that declare themselves"):
 *  - validation of the site file at load, every mistake at once, each with FILE:LINE:COL
 *    (ccoc/settings_check.hpp, used by ccoc-host, ccoc-driverd and the service runner);
 *  - `ccoc-host --check`, which dlopens the shared object and reads only this declaration: it never
 *    calls ccoc_plugin_entry, init or anything else of the plugin;
 *  - the settings tables of the documentation (`ccoc-settings-doc`).
 *
 * A shared object declares by exporting one more C function beside ccoc_plugin_entry:
 *     const ccoc_settings_declarations_v1* ccoc_settings_declarations(void);
 * (CCOC_SETTINGS_DECLARATIONS_SYMBOL). A plugin that does not export it still loads; its settings
 * are then "not checked (no declaration)", a warning of --check.
 *
 * Rules, as in ccoc/plugin.h: every struct starts with struct_size; arrays of structs carry the
 * element size the plugin was built with (the stride), so a newer host reads an older plugin's
 * arrays and never reads past what the plugin wrote. All strings are UTF-8, NUL-terminated, owned
 * by the plugin and valid while its shared object is loaded (static data). Nothing is freed by the
 * host.
 *
 * Keys are dotted paths inside the settings table ("stream.fps"). A segment "*" stands for any key
 * of a table keyed by the integrator ("accounts.*.key_env": every account's key_env) or for every
 * element of an array of tables ("tours.*.tile"). The table or array itself is declared too, with
 * type CCOC_SETTING_TABLE or CCOC_SETTING_TABLE_ARRAY ("accounts", "tours").
 *
 * This header compiles as C11 and as C++20 with -Wall -Wextra -pedantic -Werror.
 */
#ifndef CCOC_SETTINGS_H
#define CCOC_SETTINGS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the declaration structs. Same rule as CCOC_ABI_*: MINOR grows when a field is added
 * at the end of a struct; a reader checks struct_size before reading a later field. */
#define CCOC_SETTINGS_ABI_MAJOR 1u
#define CCOC_SETTINGS_ABI_MINOR 0u

/* The exported function that returns a shared object's declarations. */
#define CCOC_SETTINGS_DECLARATIONS_SYMBOL "ccoc_settings_declarations"

/* What a value must be. Each type names the TOML it accepts; the validator says so in messages. */
typedef enum ccoc_setting_type {
    CCOC_SETTING_STRING = 1,         /* a string */
    CCOC_SETTING_INTEGER = 2,        /* an integer (min/max apply) */
    CCOC_SETTING_NUMBER = 3,         /* an integer or a floating-point number (min/max apply) */
    CCOC_SETTING_BOOLEAN = 4,        /* true or false */
    CCOC_SETTING_CHOICE = 5,         /* a string, one of `choices` */
    CCOC_SETTING_STRING_ARRAY = 6,   /* an array of strings */
    CCOC_SETTING_INTEGER_ARRAY = 7,  /* an array of integers (min/max apply to each element) */
    CCOC_SETTING_TABLE = 8,          /* a table; its keys are declared as "KEY.NAME" or "KEY.*.NAME" */
    CCOC_SETTING_TABLE_ARRAY = 9,    /* an array of tables; their keys are declared as "KEY.*.NAME" */
    CCOC_SETTING_DURATION = 10,      /* a number >= 0 in the unit the key ends with: "_ms" or "_s" */
    CCOC_SETTING_URL = 11,           /* "SCHEME://HOST[:PORT][/PATH]"; `choices`: allowed schemes */
    CCOC_SETTING_ENV_NAME = 12,      /* the name of an environment variable, [A-Z_][A-Z0-9_]*; its
                                        value is never echoed in a message (it may be a secret) */
    CCOC_SETTING_LISTEN_ADDRESS = 13, /* "HOST:PORT", "[IPV6]:PORT" or ":PORT", PORT 0..65535 */
    CCOC_SETTING_SCALAR = 14,         /* a string, an integer, a number or a boolean: a value the
                                         plugin compares with what a device sends ("open", 1, true) */
    CCOC_SETTING_IP_ADDRESS = 15      /* a numeric IPv4 or IPv6 address, no port: "0.0.0.0", "::1" */
} ccoc_setting_type;

/* Site ids a string (or each element of a string array) must name. An empty string names nothing
 * and is accepted (it leaves a tile empty, a link unset) unless the setting has
 * CCOC_SETTING_NOT_EMPTY. */
typedef enum ccoc_setting_reference {
    CCOC_SETTING_REF_NONE = 0,
    CCOC_SETTING_REF_CAMERA = 1,  /* the id of a [[camera]] */
    CCOC_SETTING_REF_DEVICE = 2,  /* the id of a [[device]] */
    CCOC_SETTING_REF_DRIVER = 3,  /* the id of a [[driver]] */
    CCOC_SETTING_REF_SCREEN = 4,  /* the id of a [[screen]] */
    CCOC_SETTING_REF_PANEL = 5,   /* the id of a [[panel]] */
    CCOC_SETTING_REF_WALL = 6     /* the bus device of a camera wall: "wall." + the id of a [[panel]]
                                     of type camera.wall */
} ccoc_setting_reference;

/* Flags of a setting. */
#define CCOC_SETTING_REQUIRED 0x1u  /* the key must be written (default_text is then NULL) */
#define CCOC_SETTING_HAS_MIN 0x2u   /* `min` applies */
#define CCOC_SETTING_HAS_MAX 0x4u   /* `max` applies */
#define CCOC_SETTING_SECRET 0x8u    /* the value is never echoed in a message (a password, a key) */
#define CCOC_SETTING_NOT_EMPTY 0x10u /* a string (or array element) may not be "" */
/* A string is accepted too, unchecked: the old packed form of this array or table
 * ("door-1,door-2", "1234=panel-bank,AAA=panel-shop") that the plugin still reads for one release,
 * warning with the new form to paste. */
#define CCOC_SETTING_LEGACY_STRING 0x20u

/* One setting. */
typedef struct ccoc_setting_v1 {
    uint32_t struct_size;      /* sizeof(ccoc_setting_v1) as the plugin was built */
    const char* key;           /* dotted, with "*" segments: "port", "accounts.*.key_env" */
    uint32_t type;             /* a ccoc_setting_type */
    uint32_t flags;            /* CCOC_SETTING_* flags */
    double min;                /* with CCOC_SETTING_HAS_MIN: smallest value (or element) */
    double max;                /* with CCOC_SETTING_HAS_MAX: largest value (or element) */
    const char* const* choices; /* NULL-terminated: the values of a CHOICE, the schemes of a URL
                                  ("rtsp", "http"); NULL: none (a URL then takes any scheme) */
    const char* default_text;  /* the default as TOML text ("\"2x2\"", "3", "false", "[]"), shown in
                                  the docs and applied by typed access; NULL: no default */
    uint32_t reference;        /* a ccoc_setting_reference */
    const char* help;          /* one line, English: what the setting does */
} ccoc_setting_v1;

/* Whose settings a declaration describes. */
typedef enum ccoc_settings_subject {
    CCOC_SETTINGS_PANEL = 1,   /* the `settings` of a [[panel]] whose type is `id` */
    CCOC_SETTINGS_DRIVER = 2,  /* the `settings` of a [[driver]] that runs this shared object */
    CCOC_SETTINGS_DEVICE = 3,  /* the `settings` of a [[device]] whose driver runs this shared object */
    CCOC_SETTINGS_SERVICE = 4, /* the `settings` of a [[service]] that runs this shared object */
    CCOC_SETTINGS_PLUGIN = 5   /* the `settings` of the [[plugin]] entry that loads this shared object */
} ccoc_settings_subject;

/* The settings of one subject. */
typedef struct ccoc_settings_declaration_v1 {
    uint32_t struct_size;     /* sizeof(ccoc_settings_declaration_v1) as the plugin was built */
    uint32_t subject;         /* a ccoc_settings_subject */
    const char* id;           /* PANEL: the panel type id ("camera.wall"); others: a name for the
                                 docs ("sia"), may be NULL */
    const char* help;         /* one line, English: what the subject is; may be NULL */
    uint32_t setting_count;
    uint32_t setting_size;    /* sizeof(ccoc_setting_v1) as the plugin was built: the stride */
    const ccoc_setting_v1* settings; /* setting_count elements, setting_size bytes apart */
} ccoc_settings_declaration_v1;

/* Everything one shared object declares. */
typedef struct ccoc_settings_declarations_v1 {
    uint32_t struct_size;     /* sizeof(ccoc_settings_declarations_v1) as the plugin was built */
    uint16_t abi_major;       /* CCOC_SETTINGS_ABI_MAJOR as the plugin was built */
    uint16_t abi_minor;       /* CCOC_SETTINGS_ABI_MINOR as the plugin was built */
    uint32_t count;
    uint32_t declaration_size; /* sizeof(ccoc_settings_declaration_v1) as built: the stride */
    const ccoc_settings_declaration_v1* declarations;
} ccoc_settings_declarations_v1;

/* The signature of the exported function. [any-thread] Callable right after dlopen, before (and
 * without) ccoc_plugin_entry and init, any number of times; it must not depend on the plugin's
 * state, log, or allocate per call. Returns static data owned by the shared object, valid while
 * it is loaded; never NULL. */
typedef const ccoc_settings_declarations_v1* (*ccoc_settings_declarations_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* CCOC_SETTINGS_H */
