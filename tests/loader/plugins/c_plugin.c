/* A plugin written in plain C11 against ccoc/plugin.h: no ImGui, no panels. Proves the ABI needs
 * nothing of C++. */
#include <string.h>

#include "ccoc/plugin.h"

static bool c_init(const ccoc_host* host, void** plugin_data)
{
    const ccoc_log_service_v1* log = (const ccoc_log_service_v1*)host->get_service(host, CCOC_SERVICE_LOG);
    if (log != NULL && CCOC_STRUCT_HAS_FIELD(log, ccoc_log_service_v1, log)) {
        log->log(host, CCOC_LOG_INFO, "hello from C");
    }
    *plugin_data = NULL;
    return true;
}

static void c_shutdown(void* plugin_data)
{
    (void)plugin_data;
}

static const void* c_get_extension(void* plugin_data, const char* id)
{
    (void)plugin_data;
    (void)id;
    return NULL;
}

static const ccoc_plugin_descriptor descriptor = {
    .struct_size = sizeof(ccoc_plugin_descriptor),
    .abi_major = CCOC_ABI_MAJOR,
    .abi_minor = CCOC_ABI_MINOR,
    .id = "test.c",
    .name = "C test plugin",
    .version = "0.0.1",
    .init = c_init,
    .shutdown = c_shutdown,
    .get_extension = c_get_extension,
};

CCOC_EXPORT const ccoc_plugin_descriptor* ccoc_plugin_entry(void)
{
    return &descriptor;
}
