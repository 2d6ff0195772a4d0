// Keeps the OpenGL driver modules mapped until the process ends.
//
// Mesa dlclose()s its DRI driver when the last GL context goes (glfwTerminate). Memory the driver
// still pointed at then looks leaked to LeakSanitizer, from an "unknown module" that no
// suppression can name. Pinning the module (RTLD_NODELETE) keeps those pointers visible, so the
// leak check of a sanitizer build reports our leaks and not the driver's teardown. Harmless in a
// normal build, where it is not called.
#pragma once

namespace ccoc::host {

// [main-thread] After the first GL context exists: marks every loaded "*_dri.so" module as
// never-unloaded. Returns how many were pinned.
int pinGraphicsDriverModules();

} // namespace ccoc::host
