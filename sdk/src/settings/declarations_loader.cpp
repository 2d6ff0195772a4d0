// declarations_loader.cpp: a shared object's settings declarations, read with dlopen and dlsym
// only, so `ccoc-host --check` and the docs tool never start a plugin.
#include "ccoc/settings_check.hpp"

#include <dlfcn.h>
#include <link.h>

#include <cstring>

namespace ccoc::settings {

LoadedDeclarations loadDeclarations(const std::string& path)
{
    dlerror();
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        LoadedDeclarations out;
        const char* reason = dlerror();
        out.error = "cannot open " + path + ": " + (reason != nullptr ? reason : "unknown reason");
        return out;
    }
    return declarationsOf(handle);
}

LoadedDeclarations declarationsOf(void* handle)
{
    LoadedDeclarations out;
    out.opened = handle != nullptr;
    if (handle == nullptr) {
        out.error = "no shared object";
        return out;
    }
    void* symbol = dlsym(handle, CCOC_SETTINGS_DECLARATIONS_SYMBOL);
    if (symbol == nullptr) {
        return out;
    }
    // dlsym also searches the object's dependencies: a symbol found in another library is not
    // this object's declaration.
    link_map* map = nullptr;
    Dl_info info{};
    if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map != nullptr && dladdr(symbol, &info) != 0 &&
        info.dli_fname != nullptr && map->l_name != nullptr && std::strcmp(info.dli_fname, map->l_name) != 0) {
        return out;
    }
    out.declared = true;
    const auto function = reinterpret_cast<ccoc_settings_declarations_fn>(symbol);
    out.declarations = fromAbi(function(), &out.error);
    return out;
}

} // namespace ccoc::settings
