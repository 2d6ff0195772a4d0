// Part of libccoc_imgui (sdk/imgui/ holds the shared ImGui; sdk/src/ stays free of ImGui and GLFW): lets the host and tools ask the shared library which ImGui it carries,
// independent of the headers they were compiled with.
#include <imgui.h>

extern "C" __attribute__((visibility("default"))) const char* ccoc_imgui_library_version()
{
    return IMGUI_VERSION;
}
