// Through the C++ layer, an init hook that throws: the layer must catch it at the boundary, log
// it, and report failure; the host refuses the plugin.
#include <stdexcept>

#include "ccoc/plugin.hpp"

namespace {

bool initThrows(const ccoc::Host& /*host*/)
{
    throw std::runtime_error("settings make no sense");
}

} // namespace

CCOC_PLUGIN_INIT(initThrows);
CCOC_PLUGIN("test.layer_throws", "Throws in init", "1.0.0", "CCOC tests")
