#include "driver_pinning.hpp"

#include <dlfcn.h>
#include <link.h>

#include <string>
#include <vector>

namespace ccoc::host {

int pinGraphicsDriverModules()
{
    std::vector<std::string> modules;
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t /*size*/, void* data) {
            const std::string name = info->dlpi_name != nullptr ? info->dlpi_name : "";
            if (name.size() > 7 && name.compare(name.size() - 7, 7, "_dri.so") == 0) {
                static_cast<std::vector<std::string>*>(data)->push_back(name);
            }
            return 0;
        },
        &modules);
    int pinned = 0;
    for (const auto& module : modules) {
        // RTLD_NOLOAD: only touch what is loaded already; RTLD_NODELETE: never unmap it.
        if (dlopen(module.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) != nullptr) {
            ++pinned;
        }
    }
    return pinned;
}

} // namespace ccoc::host
