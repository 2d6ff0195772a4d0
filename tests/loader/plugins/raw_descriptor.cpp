// One plugin per refusal case, chosen by a CASE_* define: a descriptor written by hand, as a
// vendor not using the C++ layer would, with exactly one thing wrong.
#include <stdexcept>

#include "ccoc/plugin.h"

namespace {

bool initOk(const ccoc_host* /*host*/, void** data)
{
    *data = nullptr;
    return true;
}
[[maybe_unused]] bool initFails(const ccoc_host* host, void** /*data*/)
{
    const auto* log = static_cast<const ccoc_log_service_v1*>(host->get_service(host, CCOC_SERVICE_LOG));
    log->log(host, CCOC_LOG_ERROR, "cannot find my licence file");
    return false;
}
[[maybe_unused]] bool initThrows(const ccoc_host* /*host*/, void** /*data*/)
{
    throw std::runtime_error("vendor library exploded");
}
void shutdown(void* /*data*/) {}
const void* extension(void* /*data*/, const char* /*id*/)
{
    return nullptr;
}

ccoc_plugin_descriptor make()
{
    ccoc_plugin_descriptor d{};
    d.struct_size = sizeof(d);
    d.abi_major = CCOC_ABI_MAJOR;
    d.abi_minor = CCOC_ABI_MINOR;
    d.id = "test.raw";
    d.name = "raw";
    d.version = "9.9.9";
    d.init = &initOk;
    d.shutdown = &shutdown;
    d.get_extension = &extension;
#if defined(CASE_ABI_MAJOR)
    d.abi_major = CCOC_ABI_MAJOR + 1;
#elif defined(CASE_ABI_MINOR_NEWER)
    d.abi_minor = CCOC_ABI_MINOR + 7;
#elif defined(CASE_OTHER_IMGUI)
    d.imgui_version = "1.89.2";
    d.imgui_layout_io = 1;
    d.imgui_layout_style = 1;
    d.imgui_layout_vert = 20;
#elif defined(CASE_OTHER_IMGUI_LAYOUT)
    d.imgui_version = "1.86";
    d.imgui_layout_io = 12345;
    d.imgui_layout_style = 1;
    d.imgui_layout_vert = 20;
#elif defined(CASE_SMALL_DESCRIPTOR)
    d.struct_size = 8;
#elif defined(CASE_INIT_FAILS)
    d.init = &initFails;
#elif defined(CASE_INIT_THROWS)
    d.init = &initThrows;
#endif
    return d;
}

const ccoc_plugin_descriptor kDescriptor = make();

} // namespace

extern "C" CCOC_EXPORT const ccoc_plugin_descriptor* ccoc_plugin_entry(void)
{
#if defined(CASE_NULL_DESCRIPTOR)
    return nullptr;
#else
    return &kDescriptor;
#endif
}
